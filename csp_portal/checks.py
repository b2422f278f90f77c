"""Deployment checks of the portal's own settings (run by `manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_is_absolute_https(app_configs, **kwargs) -> list[Warning]:
    if settings.SITE_URL.startswith("https://"):
        return []
    return [
        Warning(
            "SITE_URL is not an https:// address, so e-mails would carry links that do "
            "not work or are not private.",
            hint="Set SITE_URL to the portal's public address, e.g. https://csp.example.org.",
            id="csp_portal.W001",
        )
    ]


@register(deploy=True)
def bank_holidays_cover_this_year(app_configs, **kwargs) -> list[Warning]:
    import datetime as dt

    from csp_portal.working_days import LAST_YEAR

    if dt.date.today().year < LAST_YEAR:
        return []
    return [
        Warning(
            f"The bank-holiday table (csp_portal/working_days.py) ends in {LAST_YEAR}: "
            "after that, reminders count only weekends as days off.",
            hint="Add the next years from https://www.gov.uk/bank-holidays.json.",
            id="csp_portal.W020",
        )
    ]
