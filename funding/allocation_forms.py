"""Forms of the funding-formula page: the inputs, and the confirmed creation of funds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from csp_portal.financial_year import FinancialYear
from csp_portal.models import Partnership
from funding.allocation import COMPONENTS


def _pounds(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, min_value=0)


def _year(value: str) -> FinancialYear:
    try:
        return FinancialYear.parse(value)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from error


class AmountsForm(forms.Form):
    even = _pounds("Even share (£)")
    population = _pounds("Share by population (£)")
    crime = _pounds("Share by crime (£)")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for name in COMPONENTS:
            value = cleaned.get(name)
            if value is not None and value != value.to_integral_value():
                self.add_error(name, "Give a whole number of pounds.")
        return cleaned

    def amounts(self) -> dict[str, Decimal]:
        return {name: self.cleaned_data[name] for name in COMPONENTS}


class AllocationForm(AmountsForm):
    SOURCES = [
        ("figures", "The stored populations and crime figures"),
        ("csv", "A CSV file: partnership,population,crime"),
    ]
    source = forms.ChoiceField(choices=SOURCES, widget=forms.RadioSelect, initial="figures")
    partnerships = forms.ModelMultipleChoiceField(
        queryset=Partnership.objects.none(),  # the county's, given to the form
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The partnerships that share the pot (stored figures only).",
    )
    year = forms.CharField(
        label="Financial year of the figures", required=False, help_text="e.g. 2022/23"
    )
    quarter = forms.TypedChoiceField(
        label="Crime to the end of",
        choices=[(4, "Q4 (the whole year)"), (3, "Q3"), (2, "Q2"), (1, "Q1")],
        coerce=int,
        initial=4,
        required=False,
    )
    category = forms.CharField(
        label="Crime category code", initial="ALL", required=False, max_length=40
    )
    inputs_file = forms.FileField(label="Inputs (CSV)", required=False)

    def __init__(
        self, *args: Any, partnerships: QuerySet[Partnership] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partnerships"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = partnerships
        field.initial = list(partnerships) if partnerships else []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("source") == "csv":
            if not cleaned.get("inputs_file"):
                self.add_error("inputs_file", "Choose the CSV file of inputs.")
        elif cleaned.get("source") == "figures":
            if not cleaned.get("year"):
                self.add_error("year", "Give the financial year of the figures.")
            else:
                try:
                    cleaned["year"] = _year(cleaned["year"])
                except forms.ValidationError as error:
                    self.add_error("year", error)
            if not cleaned.get("partnerships"):
                self.add_error("partnerships", "Choose at least one partnership.")
            cleaned["category"] = (cleaned.get("category") or "ALL").strip()
            cleaned["quarter"] = cleaned.get("quarter") or 4
        return cleaned


class CarriedInputsForm(AmountsForm):
    """The computed allocation's inputs, carried by the result page's buttons."""

    inputs_csv = forms.CharField(widget=forms.HiddenInput, max_length=200_000)


class CreateFundsForm(CarriedInputsForm):
    fund_name = forms.CharField(label="Name of each partnership's fund", max_length=200)
    fund_year = forms.CharField(label="Financial year of the funds", help_text="e.g. 2023/24")
    funder = forms.CharField(label="Funder", max_length=200, required=False)
    confirm = forms.BooleanField(
        label="Create one fund in each partnership above with its allocated total",
        required=True,
    )

    def clean_fund_year(self) -> FinancialYear:
        return _year(self.cleaned_data["fund_year"])
