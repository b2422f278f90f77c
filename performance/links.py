"""Where the app's pages, tasks and reminders send an officer: a quarter's entry grid."""

from __future__ import annotations

from django.urls import reverse

from csp_portal.financial_year import Quarter
from csp_portal.models import Partnership


def grid_url(partnership: Partnership, quarter: Quarter) -> str:
    """The entry grid of `quarter` (where it is entered, published and corrected)."""
    return reverse(
        "performance:enter_quarter",
        kwargs={
            "partnership": partnership.slug,
            "year": quarter.financial_year.start_year,
            "quarter": quarter.number,
        },
    )
