"""Forms of the shared core."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
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
