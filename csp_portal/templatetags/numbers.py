"""{% load numbers %}: the portal's one number format in templates (csp_portal.number_format).

{{ row.current|count }}            7,812     (– when missing)
{{ row.difference|signed }}        +123, −1,234
{{ row.change_pct|percent_change }} +4.9%, −10.6%, n/a
{{ r.current_rate|rate }}          47.03
{{ distance|signed_rate }}         +1.20, −0.45
"""

from __future__ import annotations

from django import template

from csp_portal import number_format

register = template.Library()


@register.filter
def count(value: object) -> str:
    return number_format.count(value)


@register.filter
def signed(value: object) -> str:
    return number_format.signed(value)


@register.filter
def percent_change(value: object) -> str:
    return number_format.percent_change(value)


@register.filter
def rate(value: object, places: int = 2) -> str:
    return number_format.rate(value, int(places))


@register.filter
def signed_rate(value: object, places: int = 2) -> str:
    return number_format.signed_rate(value, int(places))
