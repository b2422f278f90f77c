"""Forms of the meetings app; rules live in services, forms check shape and choices."""

from __future__ import annotations

import calendar

from django import forms
from django.contrib.auth import get_user_model

from csp_portal.versioning import VersionField
from meetings import schedule12a
from meetings.models import ActionStatus, PartnerReport, Timing
from plans.selectors import priorities_in_force, priority_label


def people_in(partnership):
    return (
        get_user_model()
        .objects.filter(memberships__partnership=partnership)
        .order_by("last_name", "first_name")
        .distinct()
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(queryset=None)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="Leave blank for the body's usual time.",
    )
    venue = forms.CharField(required=False, help_text="Leave blank for the body's usual venue.")

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = partnership.bodies.filter(is_active=True)


class MeetingDetailsForm(forms.Form):
    """A meeting's date, start time and venue (a change is listed in the next pack)."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    venue = forms.CharField(max_length=300)


class ItemForm(forms.Form):
    title = forms.CharField(max_length=300)
    purpose = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    parent = forms.ModelChoiceField(
        queryset=None, required=False, label="Sub-item of", empty_label="(a main item)"
    )
    presenter = PersonChoiceField(queryset=None, required=False)
    presenter_name = forms.CharField(
        required=False, label="or presenter's name", help_text="When they have no login here."
    )
    presenter_organisation = forms.ModelChoiceField(queryset=None, required=False)
    is_exempt = forms.BooleanField(
        required=False,
        label="Exempt (not for publication)",
        help_text="Its content is left out of the public agenda, pack and minutes.",
    )
    exempt_paragraph = forms.TypedChoiceField(
        choices=[("", "(not exempt)"), *schedule12a.CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        label="Paragraph of Part 1 of Schedule 12A to the Local Government Act 1972",
        help_text="The description of exempt information the item meets "
        f"(wording from {schedule12a.SOURCE}).",
    )
    exempt_reason = forms.CharField(
        required=False,
        max_length=300,
        label="Public interest reason",
        help_text="Why the public interest in keeping it exempt outweighs the public "
        "interest in disclosing it.",
    )
    priorities = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Plan priorities this item discusses",
        help_text="The item is then listed on each priority's page.",
    )
    version = VersionField()

    def __init__(self, *args, meeting, with_priorities: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = meeting.items.filter(parent=None)
        self.fields["presenter"].queryset = people_in(meeting.body.partnership)
        # the partnership's own partner agencies, not every council's in the database
        self.fields[
            "presenter_organisation"
        ].queryset = meeting.body.partnership.organisations.all()
        if with_priorities:
            # an item being edited keeps the priorities it already discusses
            kept = [getattr(p, "pk", p) for p in self.initial.get("priorities") or []]
            self.fields["priorities"].queryset = priorities_in_force(
                meeting.body.partnership, keep=kept
            )
            self.fields["priorities"].label_from_instance = priority_label
        else:  # the quick "add an item" form on the meeting page stays short
            del self.fields["priorities"]

    def clean(self):
        data = super().clean()
        if data.get("is_exempt"):
            if not data.get("exempt_paragraph"):
                self.add_error(
                    "exempt_paragraph",
                    "Choose the paragraph of Schedule 12A the item is exempt under.",
                )
            if not data.get("exempt_reason", "").strip():
                self.add_error(
                    "exempt_reason",
                    "Give the public interest reason for keeping this item exempt.",
                )
        else:
            data["exempt_paragraph"] = None
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label="PDF paper", widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )
    title = forms.CharField(required=False, max_length=300)
    is_exempt = forms.BooleanField(required=False, label="Exempt (confidential) paper")


class AttachReportForm(forms.Form):
    report = forms.ModelChoiceField(queryset=None)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = PartnerReport.objects.filter(
            partnership=partnership
        ).select_related("organisation")


class MinuteForm(forms.Form):
    discussion = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One point per line.",
    )
    resolutions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One resolution per line; each is printed “AGREED that …”.",
    )
    version = VersionField()


class ActionForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    owner = PersonChoiceField(queryset=None, required=False)
    owner_name = forms.CharField(required=False, label="or owner's name")
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_in(partnership)


class CloseActionForm(forms.Form):
    status = forms.ChoiceField(choices=[c for c in ActionStatus.choices if c[0] != "open"])
    at = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        # An action is closed at a meeting of the body that set it.
        self.fields["at"].queryset = body.meetings.all()


class AmendmentForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Amendment")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    item = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Item it corrects",
        empty_label="(the minutes as a whole)",
        help_text="A correction to an exempt item stays out of the public minutes.",
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.order_by("parent__order", "order")


class DeclarationForm(forms.Form):
    item = forms.ModelChoiceField(queryset=None, label="Agenda item")
    person = PersonChoiceField(queryset=None)
    interest = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.all()
        self.fields["person"].queryset = people_in(meeting.body.partnership)


class ForwardProgrammeForm(forms.Form):
    item = forms.CharField(max_length=200)
    detail = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    timing = forms.ChoiceField(choices=Timing.choices, label="When")
    target_meeting = forms.ModelChoiceField(
        queryset=None, required=False, label="Meeting (when “At a meeting”)"
    )
    target_date = forms.DateField(
        required=False,
        label="Date (when “By a date”)",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    annual_month = forms.TypedChoiceField(
        choices=[("", "—")] + [(n, calendar.month_name[n]) for n in range(1, 13)],
        coerce=int,
        empty_value=None,
        required=False,
        label="Month (when “Annual”)",
    )
    action_by = forms.CharField(required=False, max_length=200)
    note = forms.CharField(required=False, label="Note for the history", max_length=300)

    def __init__(self, *args, body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_meeting"].queryset = body.meetings.exclude(status="cancelled")
