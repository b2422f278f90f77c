"""Generated papers (the `PackBlock`s other apps register) chosen from lists.

A block that declares its parameters (`PackBlock.params_declared`) gets a form whose
fields are built from them: each choice field offers only the values the block accepts
for this partnership (its funds, its quarters with figures, its bodies), so the clerk
never types a database id. The same check runs when the paper is attached
(`clean_params`), whoever calls: a value not on the list (a fund of another partnership,
a made-up quarter) is refused with the field named, and the block's own `validate`
(a quarter without complete figures) is asked last. Blocks registered without declared
parameters still take typed JSON, as before.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape

from csp_portal.extension_points import BlockParam, PackBlock, pack_block, pack_blocks
from meetings.agenda import check_agenda_editable
from meetings.models import AgendaItem, Paper, PaperKind
from meetings.papers import next_paper_order


def _choices(param: BlockParam, partnership: Any) -> list[tuple[Any, str]]:
    return list(param.choices(partnership)) if param.choices else []


def clean_params(block: PackBlock, partnership: Any, raw: dict) -> dict:
    """The parameters as the block takes them (choice values in their own type), or a
    ValidationError naming the parameter and what is wrong; nothing is attached."""
    if not block.params_declared:
        return raw if isinstance(raw, dict) else {}
    if not isinstance(raw, dict):
        raise ValidationError(f"“{block.label}” takes its parameters from the lists.")
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for param in block.params_declared:
        value = raw.get(param.name)
        if value in (None, ""):
            if param.required:
                errors.setdefault(param.name, []).append(
                    f"{block.label}: choose the {param.label.lower()}."
                )
            continue
        if param.kind == "date":
            try:
                cleaned[param.name] = dt.date.fromisoformat(str(value)).isoformat()
            except ValueError:
                errors.setdefault(param.name, []).append(
                    f"{block.label}: “{value}” is not a date (give it as YYYY-MM-DD)."
                )
            continue
        offered = {str(choice): choice for choice, _ in _choices(param, partnership)}
        if str(value) not in offered:
            errors.setdefault(param.name, []).append(
                f"{block.label}: “{value}” is not one of {partnership}'s "
                f"{param.label.lower()} choices."
            )
            continue
        cleaned[param.name] = offered[str(value)]
    if errors:
        raise ValidationError(errors)
    if block.validate is not None:
        try:
            block.validate(partnership, cleaned)
        except (ValueError, LookupError) as exc:
            raise ValidationError(f"{block.label}: {exc}") from exc
    return cleaned


class GeneratedPaperForm(forms.Form):
    """One generated paper's form: a field per declared parameter (prefixed by its key,
    so every block's form can sit on one page)."""

    title = forms.CharField(
        required=False, max_length=300, help_text="Leave empty to use the paper's name."
    )
    is_exempt = forms.BooleanField(required=False, label="Exempt (confidential)")

    def __init__(self, *args: Any, block: PackBlock, partnership: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"gen-{block.key}")
        super().__init__(*args, **kwargs)
        self.block = block
        self.partnership = partnership
        self.declared = bool(block.params_declared)
        for param in block.params_declared:
            self.fields[f"p_{param.name}"] = _field(param, partnership)
        if not self.declared:
            self.fields["params"] = forms.JSONField(
                required=False,
                label="Parameters (JSON)",
                # crispy prints help text as HTML, and '{"fund": <id>}' is not markup
                help_text=escape(block.describe_params),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def params(self) -> dict:
        if not self.declared:
            return self.cleaned_data.get("params") or {}
        return {p.name: self.cleaned_data.get(f"p_{p.name}") for p in self.block.params_declared}

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        try:
            self.cleaned_params = clean_params(self.block, self.partnership, self.params())
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, problems in error.message_dict.items():
                    field = f"p_{name}" if f"p_{name}" in self.fields else None
                    for problem in problems:
                        self.add_error(field, problem)
            else:
                for problem in error.messages:
                    self.add_error(None, problem)
        return data


def _field(param: BlockParam, partnership: Any) -> forms.Field:
    if param.kind == "date":
        return forms.DateField(
            label=param.label,
            required=param.required,
            help_text=escape(param.help_text),
            widget=forms.DateInput(attrs={"type": "date"}),
        )
    choices = [("", "Choose…")] + [(str(v), label) for v, label in _choices(param, partnership)]
    return forms.ChoiceField(
        label=param.label,
        required=param.required,
        choices=choices,
        help_text=escape(param.help_text),
    )


def forms_for(partnership: Any, data: Any = None, posted_key: str = "") -> list[GeneratedPaperForm]:
    """A form per registered block, bound to `data` only for the one posted."""
    return [
        GeneratedPaperForm(
            data if block.key == posted_key else None, block=block, partnership=partnership
        )
        for block in pack_blocks()
    ]


@transaction.atomic
def attach_generated_paper(
    *, item: AgendaItem, key: str, params: dict, title: str = "", is_exempt: bool = False
) -> Paper:
    """Attach a generated paper, its parameters checked against the block's lists and its
    own validation; a refused one changes nothing."""
    check_agenda_editable(item.meeting)
    try:
        block = pack_block(key)
    except LookupError as exc:
        raise ValidationError({"block_key": str(exc)}) from exc
    cleaned = clean_params(block, item.meeting.body.partnership, params)
    return Paper.objects.create(
        item=item,
        order=next_paper_order(item),
        kind=PaperKind.BLOCK,
        title=title or block.label,
        block_key=key,
        block_params=json.loads(json.dumps(cleaned)),
        is_exempt=is_exempt,
    )
