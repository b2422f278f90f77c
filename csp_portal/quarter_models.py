"""A record of one quarter of a financial year: the two fields every app's quarterly
records declare (figures, progress, reports) and the Quarter they stand for, said once.

`QuarterlyRecord` is abstract: a model inheriting it gets the same columns it would
declare itself (a FinancialYearField and a 1-4 quarter), so adopting it changes no
migration. Each model keeps its own constraints (their names are in the migrations);
`quarter_1_to_4(name)` is the check every one of them declares.
"""

from __future__ import annotations

from django.db import models

from csp_portal.fields import FinancialYearField
from csp_portal.financial_year import QUARTER_CHOICES, Quarter


class QuarterlyRecord(models.Model):
    """Something recorded for one quarter of one financial year."""

    financial_year = FinancialYearField()
    quarter = models.PositiveSmallIntegerField(choices=QUARTER_CHOICES)

    class Meta:
        abstract = True

    @property
    def period(self) -> Quarter:
        return Quarter(self.financial_year, self.quarter)


def quarter_1_to_4(name: str) -> models.CheckConstraint:
    """The database's refusal of a quarter outside 1-4, under the model's own name."""
    return models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name=name)
