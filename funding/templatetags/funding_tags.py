"""Template filters of the funding app."""

from django import template

from funding.money import money as format_money

register = template.Library()


@register.filter
def money(value) -> str:
    return format_money(value)
