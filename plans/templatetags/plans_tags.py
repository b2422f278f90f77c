"""Template helpers of the plans pages: RAG badges with their word, quarter parameters."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from csp_portal.financial_year import Quarter
from csp_portal.rag import Rag

register = template.Library()


@register.filter
def quarter_param(quarter: Quarter) -> str:
    """The ?quarter= value of a quarter: "2018-2" for Q2 2018/19."""
    return f"{quarter.financial_year.start_year}-{quarter.number}"


@register.simple_tag
def rag_badge(rag) -> str:
    """A RAG rating as a coloured badge that also says its word (colour is never alone)."""
    rag = Rag(rag)
    return format_html('<span class="rag rag-{}">{}</span>', rag.value, rag.label)


@register.filter
def figure(value) -> str:
    """A count or value with thousands separators, or an en dash when there is none."""
    if value is None:
        return "–"
    try:
        if value == int(value):
            return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
    return f"{value:,}"


@register.filter
def lines(text: str) -> list[str]:
    """Split a bulleted block of text into its points (one per line)."""
    return [line.strip(" •-\t") for line in (text or "").splitlines() if line.strip(" •-\t")]
