"""The whole-body attendance page: every member on one form, officers and guests by
name, one save (rules in meetings/attendance.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from csp_portal.access import partnership_view
from csp_portal.forms import show_refusal
from csp_portal.versioning import VersionField
from meetings import attendance, pages
from meetings.access import EDITORS
from meetings.models import MEMBER_STATUSES, OTHER_STATUSES, AttendanceStatus, Meeting

#: Blank rows offered for officers and guests, and added by "More rows".
BLANK_ROWS = 5
MAX_OTHERS = 200


class AttendanceSheetForm(forms.Form):
    """A status per member (with the substitute's name and a role) and rows of others."""

    version = VersionField()
    others = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_OTHERS)

    def __init__(self, *args: Any, meeting: Meeting, extra_rows: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.people = attendance.members(meeting)
        stored = {row.person_id: row for row in meeting.attendance.all() if row.person_id}
        others = [row for row in meeting.attendance.order_by("pk") if row.person_id is None]
        others += [
            row
            for row in meeting.attendance.order_by("pk")
            if row.person_id and row.status in OTHER_STATUSES
        ]
        statuses = [(s.value, s.label) for s in MEMBER_STATUSES]
        statuses[-1] = (AttendanceStatus.SUBSTITUTE.value, "Substitute")
        for person in self.people:
            row = stored.get(person.pk)
            prefix = f"m{person.pk}"
            self.fields[f"{prefix}_status"] = forms.ChoiceField(
                choices=statuses,
                widget=forms.RadioSelect,
                label=attendance.printed_name(person),
                required=False,
                initial=row.status if row and row.status in MEMBER_STATUSES else None,
            )
            self.fields[f"{prefix}_substitute"] = forms.CharField(
                required=False,
                max_length=200,
                label=f"Substitute for {attendance.printed_name(person)}",
                initial=row.substitute_name if row else "",
            )
            self.fields[f"{prefix}_role"] = forms.CharField(
                required=False,
                max_length=60,
                label=f"Role of {attendance.printed_name(person)}",
                initial=row.role if row else "",
            )
        count = int(self.data.get("others", 0) or 0) if self.is_bound else 0
        count = min(max(count, len(others)) + extra_rows, MAX_OTHERS)
        if not self.is_bound:
            count = len(others) + BLANK_ROWS
        self.fields["others"].initial = count
        self.other_count = count
        kinds = [
            (s.value, "Officer" if s == AttendanceStatus.OFFICER else "Guest")
            for s in OTHER_STATUSES
        ]
        for index in range(count):
            row = others[index] if index < len(others) else None
            number = index + 1
            self.fields[f"o{index}_name"] = forms.CharField(
                required=False,
                max_length=200,
                label=f"Name, row {number}",
                initial=row.label if row else "",
            )
            self.fields[f"o{index}_organisation"] = forms.CharField(
                required=False,
                max_length=200,
                label=f"Organisation, row {number}",
                initial=row.organisation_label if row else "",
            )
            self.fields[f"o{index}_status"] = forms.ChoiceField(
                choices=kinds,
                required=False,
                label=f"Officer or guest, row {number}",
                initial=row.status if row else AttendanceStatus.OFFICER,
            )
            self.fields[f"o{index}_role"] = forms.CharField(
                required=False,
                max_length=60,
                label=f"Role, row {number}",
                initial=row.role if row else "",
            )
        if not self.is_bound:
            self.fields["version"].initial = meeting.attendance_version

    def member_rows(self) -> list[dict]:
        return [
            {
                "person": person,
                "status": self[f"m{person.pk}_status"],
                "substitute": self[f"m{person.pk}_substitute"],
                "role": self[f"m{person.pk}_role"],
            }
            for person in self.people
        ]

    def other_rows(self) -> list[dict]:
        return [
            {
                "number": index + 1,
                "name": self[f"o{index}_name"],
                "organisation": self[f"o{index}_organisation"],
                "status": self[f"o{index}_status"],
                "role": self[f"o{index}_role"],
            }
            for index in range(self.other_count)
        ]

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        for person in self.people:
            if not data.get(f"m{person.pk}_status"):
                self.add_error(
                    f"m{person.pk}_status",
                    f"Choose whether {attendance.printed_name(person)} was present, sent "
                    "apologies, was absent or sent a substitute.",
                )
        return data

    def lines(self) -> tuple[list[attendance.MemberLine], list[attendance.OtherLine]]:
        data = self.cleaned_data
        members = [
            attendance.MemberLine(
                person=person,
                status=data[f"m{person.pk}_status"],
                role=data[f"m{person.pk}_role"],
                substitute_name=data[f"m{person.pk}_substitute"],
            )
            for person in self.people
        ]
        others = [
            attendance.OtherLine(
                name=data[f"o{i}_name"],
                status=data[f"o{i}_status"] or AttendanceStatus.OFFICER,
                organisation_name=data[f"o{i}_organisation"],
                role=data[f"o{i}_role"],
            )
            for i in range(self.other_count)
            if data.get(f"o{i}_name", "").strip() or data.get(f"o{i}_organisation", "").strip()
        ]
        return members, others


@partnership_view(EDITORS)
def attendance_sheet(request: HttpRequest, partnership: Any, pk: int) -> HttpResponse:
    meeting = pages.meeting_or_404(partnership, pk, request.user)
    more = request.method == "POST" and "more" in request.POST
    form = AttendanceSheetForm(
        request.POST or None, meeting=meeting, extra_rows=BLANK_ROWS if more else 0
    )
    stale = None
    if request.method == "POST" and not more and form.is_valid():
        members, others = form.lines()
        try:
            stale = pages.save_versioned(
                form,
                lambda version: attendance.save_sheet(
                    meeting=meeting, lines=members, others=others, expected_version=version
                ),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            if stale is None:
                messages.success(request, f"Attendance of {meeting} saved.")
                url = redirect("meetings:meeting", partnership.slug, meeting.pk).url
                return redirect(f"{url}#attendance-h")
    status = 200
    if request.method == "POST" and not more:
        status = 409 if stale else 400
    return render(
        request,
        "meetings/attendance.html",
        {"partnership": partnership, "meeting": meeting, "form": form, "stale": stale},
        status=status,
    )
