"""A second factor at sign-in: a TOTP device (an authenticator app), from django-otp.

Anyone may set one up on the "Two-factor sign-in" page; once confirmed, signing in asks
for its 6-digit code as well as the password. Administrators (staff and superusers, who
reach the Django admin) must have one whenever settings.OTP_REQUIRED_FOR_ADMINS is on —
by default whenever DEBUG is off, so the demo (DEBUG on) still runs with two commands.
Until their session is verified by a code, every page sends them to that page.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"


def required_for(user) -> bool:
    """Whether `user` must sign in with a second factor (administrators, outside DEBUG)."""
    return bool(settings.OTP_REQUIRED_FOR_ADMINS and (user.is_staff or user.is_superuser))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def check_code(device: TOTPDevice, code: str) -> str | None:
    """None when `code` is the device's current one, else what is wrong with it."""
    code = (code or "").replace(" ", "")
    if not code:
        return "Enter the 6-digit code from your authenticator app."
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return "Too many wrong codes: wait a minute, then try the newest code."
    if not device.verify_token(code):
        return "That code is not right (or has expired): try the newest one."
    return None


class SignInForm(AuthenticationForm):
    """Username and password, then the authenticator code for those who have one."""

    otp_token = forms.CharField(
        label="Code from your authenticator app",
        required=False,
        max_length=10,
        help_text="Only if you have set up two-factor sign-in.",
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None:
            device = confirmed_device(user)
            if device is not None:
                problem = check_code(device, self.cleaned_data.get("otp_token", ""))
                if problem:
                    raise forms.ValidationError(problem, code="otp")
                # django-otp marks the session verified at login (an attribute it adds)
                user.otp_device = device  # type: ignore[attr-defined]
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(label="6-digit code", max_length=10)


def _qr_svg(url: str) -> str:
    import qrcode  # here, not at start-up (0.3 s with PIL and lxml)
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Set up (or confirm this session with) the user's authenticator app."""
    user = request.user
    device = confirmed_device(user)
    verified = bool(device and user.is_verified())  # type: ignore[union-attr]  # django-otp's
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and not verified and form.is_valid():
        problem = check_code(device, form.cleaned_data["code"])
        if problem:
            form.add_error("code", problem)
        else:
            newly = not device.confirmed
            if newly:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(
                request,
                "Two-factor sign-in is on: from now on you sign in with a code as well."
                if newly
                else "Code accepted.",
            )
            return redirect(_safe_next(request))
    context = {
        "form": form,
        "verified": verified,
        "confirmed": device.confirmed,
        "required": required_for(user),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    if not device.confirmed:
        context["qr_svg"] = mark_safe(_qr_svg(device.config_url))  # noqa: S308 (our SVG)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "registration/two_factor.html", context)


@login_not_required
def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """The Django admin's sign-in: the portal's own page, then back to the admin."""
    target = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:index")
    if request.user.is_authenticated:
        return redirect(target)
    return redirect_to_login(target)


class RequireSecondFactorMiddleware:
    """Sends an administrator whose session is not verified by a code to set one up (or
    enter one) before any other page, the Django admin included."""

    ALLOWED = ("two_factor", "logout", "login", "keep_alive", "healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        # is_verified: added to every user by django-otp's middleware
        if user.is_authenticated and required_for(user) and not user.is_verified():  # type: ignore[attr-defined]
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed:
                target = reverse("two_factor")
                if request.method == "GET":
                    target += "?" + _next_query(request.get_full_path())
                return redirect(target)
        return self.get_response(request)


def _next_query(path: str) -> str:
    from django.utils.http import urlencode

    return urlencode({"next": path})
