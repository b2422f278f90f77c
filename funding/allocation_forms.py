"""Forms of the funding-formula page: the inputs, and the confirmed creation of funds."""

from __future__ import annotations

from django import forms

from csp_portal.financial_year import FinancialYear

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


def _year(value: str) -> FinancialYear:
    try:
        return FinancialYear.parse(value)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from error


class AmountsForm(forms.Form):
    even = forms.DecimalField(label="Even share (£)", **MONEY)
    population = forms.DecimalField(label="Share by population (£)", **MONEY)
    crime = forms.DecimalField(label="Share by crime (£)", **MONEY)

    def clean(self):
        cleaned = super().clean()
        for name in ("even", "population", "crime"):
            value = cleaned.get(name)
            if value is not None and value != value.to_integral_value():
                self.add_error(name, "Give a whole number of pounds.")
        return cleaned

    def amounts(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("even", "population", "crime")}


class AllocationForm(AmountsForm):
    SOURCES = [
        ("figures", "The stored populations and crime figures"),
        ("csv", "A CSV file: partnership,population,crime"),
    ]
    source = forms.ChoiceField(choices=SOURCES, widget=forms.RadioSelect, initial="figures")
    partnerships = forms.ModelMultipleChoiceField(
        queryset=None,
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

    def __init__(self, *args, partnerships=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnerships"].queryset = partnerships
        self.fields["partnerships"].initial = list(partnerships) if partnerships else []

    def clean(self):
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
