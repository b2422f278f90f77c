"""Optimistic locking for forms that two people can have open at once.

A record carries a `version` (a positive integer bumped on every save). A form sends back
the version it was opened at; the service, holding the row lock, compares it with the
stored one and, when someone saved in between, raises `StaleVersion` listing what they
changed. The view then shows the form again with everything the user typed, the list of
changes, and the new version, so a second save is a deliberate choice to overwrite.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Change:
    """One field someone else changed: its label, what is stored now, what was typed."""

    label: str
    stored: str
    typed: str


class StaleVersion(ValidationError):
    """The record was saved by someone else after this form was opened."""

    def __init__(self, what: str, *, current_version: int, changes: Iterable[Change]):
        self.current_version = current_version
        self.changes = list(changes)
        super().__init__(
            f"Someone else saved {what} while you were editing it. Nothing of yours was "
            "saved: your text is kept below, with what they changed. Save again to "
            "replace their version with yours.",
            code="stale",
        )


def changes_between(stored: dict[str, str], typed: dict[str, str], labels: dict[str, str]):
    """The fields whose stored value differs from what the user typed."""
    return [
        Change(labels.get(name, name), str(stored[name]), str(typed.get(name, "")))
        for name in stored
        if str(stored[name]).strip() != str(typed.get(name, "")).strip()
    ]


def check_version(
    *,
    what: str,
    stored_version: int,
    expected: int | None,
    stored: dict[str, str],
    typed: dict[str, str],
    labels: dict[str, str] | None = None,
) -> None:
    """Raise StaleVersion when `expected` (the form's version) is not the stored one.

    `expected=None` means the caller does not track versions (a command, the demo
    loader): the save goes ahead.
    """
    if expected is None or expected == stored_version:
        return
    raise StaleVersion(
        what,
        current_version=stored_version,
        changes=changes_between(stored, typed, labels or {}),
    )


class VersionField(forms.IntegerField):
    """The hidden field a versioned form carries."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


def refresh_version(form: forms.Form, error: StaleVersion, field: str = "version") -> None:
    """After a refusal: the form, still holding what the user typed, now carries the
    current version, so saving again overwrites knowingly."""
    data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict when bound
    data[form.add_prefix(field)] = str(error.current_version)
    form.data = data


def check_and_bump(instance, *, expected: int | None, what: str, field: str = "edit_version"):
    """For a record edited through a ModelForm: lock its stored row, refuse the save when
    the form was opened at another version (listing the fields that differ), and set the
    next version on `instance` for the caller's save. A new record passes."""
    if instance.pk is None:
        return
    model = type(instance)
    stored = model.objects.select_for_update().get(pk=instance.pk)
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.editable
        and not f.primary_key
        and f.name != field
        and f.get_internal_type() != "FileField"
    ]
    check_version(
        what=what,
        stored_version=getattr(stored, field),
        expected=expected,
        stored={f.attname: _shown(stored, f) for f in fields},
        typed={f.attname: _shown(instance, f) for f in fields},
        labels={f.attname: str(f.verbose_name).capitalize() for f in fields},
    )
    setattr(instance, field, getattr(stored, field) + 1)


def _shown(record, field) -> str:
    value = getattr(record, field.attname)
    if field.is_relation and value is not None:
        return str(getattr(record, field.name))
    return "" if value is None else str(value)


class VersionedModelForm(forms.ModelForm):
    """A ModelForm carrying its record's `edit_version` as a hidden `version` field."""

    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = getattr(self.instance, "edit_version", None)

    def posted_version(self) -> int | None:
        """The version the form was opened at; -1 (stale) when an existing record's form
        posted none, so a hand-made or pre-version request cannot overwrite blindly."""
        if self.instance.pk is None:
            return None
        version = self.cleaned_data.get("version")
        return -1 if version is None else version
