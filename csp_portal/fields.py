"""Model and form fields that store a FinancialYear as the year it starts in."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable

from csp_portal.financial_year import FinancialYear


class FinancialYearFormField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", "Written as 2022/23.")
        kwargs.pop("max_value", None)
        kwargs.pop("min_value", None)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return str(FinancialYear(value))
        return "" if value is None else str(value)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return FinancialYear.parse(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from error


class FinancialYearField(models.PositiveSmallIntegerField):
    """Stores 2022/23 as 2022; gives back a FinancialYear."""

    description = "Financial year (1 April - 31 March)"

    # What django-stubs reads for this field's types (it would say int otherwise): set
    # as a FinancialYear, its start year or "2022/23"; read back as a FinancialYear. The
    # stubs declare these on IntegerField for subclasses to narrow, hence the ignores.
    _pyi_private_set_type: FinancialYear | int | str | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: FinancialYear  # type: ignore[assignment]
    _pyi_lookup_exact_type: FinancialYear | int | str  # type: ignore[assignment]

    def from_db_value(self, value, expression, connection):
        return None if value is None else FinancialYear(value)

    def to_python(self, value):
        if value is None or isinstance(value, FinancialYear):
            return value
        try:
            return FinancialYear.parse(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from error

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, FinancialYear):
            return value.start_year
        if isinstance(value, str):
            return FinancialYear.parse(value).start_year
        return int(value)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else str(value)

    def formfield(self, form_class=None, choices_form_class=None, **kwargs):
        return super().formfield(form_class=form_class or FinancialYearFormField, **kwargs)
