"""Forms of the shared core."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader

from csp_portal.mail import send_email


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password-reset form, its e-mail rendered here and sent by the worker."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        send_email(subject=subject, body=body, to=[to_email], html=html, from_email=from_email)


def show_refusal(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal (a ValidationError) on the bound form the person sent:
    each message on its field where the form has that field, the rest at the top. The
    one way every view shows why nothing was saved, beside what the person typed."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
