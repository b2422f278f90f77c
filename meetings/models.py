"""Meetings of a partnership's bodies: agendas, papers, attendance, minutes, actions,
the Forward Programme and the published agenda packs."""

from __future__ import annotations

import string

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from csp_portal.models import Body, Organisation
from meetings import schedule12a


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    AGENDA_PUBLISHED = "agenda_published", "Agenda published"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    MINUTES_CONFIRMED = "minutes_confirmed", "Minutes confirmed"


def minutes_upload_path(instance: Meeting, filename: str) -> str:
    return f"meetings/minutes/{instance.pk}/{filename}"


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    start_time = models.TimeField()
    venue = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=30, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    published_at = models.DateTimeField(null=True, blank=True)
    publish_job = models.ForeignKey(
        "csp_portal.BackgroundJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The latest job building and publishing this meeting's pack.",
    )
    minutes_confirmed_at = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The meeting at which these minutes were confirmed and signed.",
    )
    minutes_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attendance_version = models.PositiveIntegerField(
        default=0, help_text="Counts saves of the attendance, so a stale save is refused."
    )
    public_minutes_pdf = models.FileField(
        upload_to=minutes_upload_path,
        blank=True,
        help_text="The public minutes as printed when confirmed (rebuilt on an amendment).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "date", "start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "date", "start_time"], name="one_meeting_per_body_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.body} – {self.date:%-d %B %Y}"

    @property
    def partnership(self):
        return self.body.partnership

    @property
    def minutes_locked(self) -> bool:
        return self.status == MeetingStatus.MINUTES_CONFIRMED


class ItemKind(models.TextChoices):
    APOLOGIES = "apologies", "Apologies"
    MINUTES = "minutes", "Minutes of the previous meeting"
    MATTERS_ARISING = "matters_arising", "Matters arising"
    STANDING = "standing", "Standing item"
    BUSINESS = "business", "Business"
    AOB = "aob", "Any other business"
    EXCLUSION = "exclusion", "Exclusion of the press and public"
    FORWARD_PROGRAMME = "forward_programme", "Forward Programme"


class AgendaItem(models.Model):
    """One item on a meeting's agenda; sub-items have a parent (6(a), 6(b))."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    order = models.PositiveIntegerField(help_text="Position among its siblings, from 1.")
    kind = models.CharField(max_length=30, choices=ItemKind.choices, default=ItemKind.BUSINESS)
    title = models.CharField(max_length=300)
    purpose = models.TextField(blank=True)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    presenter_name = models.CharField(
        max_length=200, blank=True, help_text="When the presenter has no account here."
    )
    presenter_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_exempt = models.BooleanField(
        "exempt (confidential)",
        default=False,
        help_text="Its content is left out of the public pack and public pages.",
    )
    exempt_paragraph = models.PositiveSmallIntegerField(
        "paragraph of Schedule 12A",
        choices=schedule12a.CHOICES,
        null=True,
        blank=True,
        help_text="The paragraph of Part 1 of Schedule 12A to the Local Government Act 1972 "
        "whose description of exempt information the item meets.",
    )
    exempt_reason = models.CharField(
        "public interest reason",
        max_length=300,
        blank=True,
        help_text="Why the public interest in keeping it exempt outweighs the public "
        "interest in disclosing it.",
    )
    priorities = models.ManyToManyField("plans.Priority", blank=True, related_name="agenda_items")
    forward_programme_entry = models.ForeignKey(
        "ForwardProgrammeEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Counts saves of the wording, so a stale edit is refused."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_exempt=False) | ~models.Q(exempt_reason=""),
                name="exempt_item_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(is_exempt=False, exempt_paragraph__isnull=True)
                | models.Q(
                    is_exempt=True,
                    exempt_paragraph__isnull=False,  # NULL would pass a bare range check
                    exempt_paragraph__gte=1,
                    exempt_paragraph__lte=7,
                ),
                name="exempt_item_cites_paragraph",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def presenter_label(self) -> str:
        if self.presenter is not None:
            name = self.presenter.get_full_name() or self.presenter.username
            title = getattr(getattr(self.presenter, "profile", None), "title", "")
            if title in ("Inspector", "Councillor", "Dr", "Sergeant", "Superintendent"):
                name = f"{title} {name}"  # as agendas print them: "Inspector D. Barker"
        else:
            name = self.presenter_name
        if name and self.presenter_organisation_id:
            return f"{name}, {self.presenter_organisation}"
        return name


def sub_item_letter(position: int) -> str:
    """1 -> a, 2 -> b … 27 -> aa: the letter of a sub-item."""
    letters = ""
    while position > 0:
        position, rem = divmod(position - 1, 26)
        letters = string.ascii_lowercase[rem] + letters
    return letters


class PackKind(models.TextChoices):
    AGENDA = "agenda", "Agenda pack"
    REVISED = "revised", "Revised agenda pack"
    SUPPLEMENTARY = "supplementary", "Supplementary pack"


def pack_upload_path(instance: PackVersion, filename: str) -> str:
    return f"meetings/packs/{instance.meeting_id}/{filename}"


class PackVersion(models.Model):
    """A published pack, frozen: the members' and public PDFs and what they contained."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="packs")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=PackKind.choices)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(help_text="Items and papers as published, to compare later.")
    changes = models.JSONField(default=list, blank=True)
    public_changes = models.JSONField(
        default=list, blank=True, help_text="What changed, leaving out exempt items and papers."
    )
    members_pdf = models.FileField(upload_to=pack_upload_path)
    public_pdf = models.FileField(upload_to=pack_upload_path)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="pack_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} for {self.meeting}"


class StatusChange(models.Model):
    """One step of a meeting's life cycle (meetings/lifecycle.py): who took it, and when.

    No history: the rows are themselves the record, written once and never changed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="status_changes")
    transition = models.CharField(max_length=30)
    from_status = models.CharField(max_length=30, choices=MeetingStatus.choices)
    to_status = models.CharField(max_length=30, choices=MeetingStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.from_status} → {self.to_status}"


# Kept in modules of their own by topic; imported here so that Django (and migrations)
# find every model of the app in meetings.models.
from meetings.minutes_models import (  # noqa: E402
    MEMBER_STATUSES,
    OTHER_STATUSES,
    Action,
    ActionStatus,
    Attendance,
    AttendanceStatus,
    Declaration,
    Minute,
    MinutesAmendment,
    Resolution,
)
from meetings.paper_models import (  # noqa: E402
    Paper,
    PaperKind,
    PartnerReport,
    PerformanceRow,
    ThemeUpdate,
    paper_upload_path,
)
from meetings.programme_models import (  # noqa: E402
    ForwardProgrammeEntry,
    ForwardProgrammeEvent,
    Timing,
)

__all__ = [
    "MEMBER_STATUSES",
    "OTHER_STATUSES",
    "Action",
    "ActionStatus",
    "AgendaItem",
    "Attendance",
    "AttendanceStatus",
    "Declaration",
    "ForwardProgrammeEntry",
    "ForwardProgrammeEvent",
    "ItemKind",
    "Meeting",
    "MeetingStatus",
    "Minute",
    "MinutesAmendment",
    "PackKind",
    "PackVersion",
    "Paper",
    "PaperKind",
    "PartnerReport",
    "PerformanceRow",
    "Resolution",
    "StatusChange",
    "ThemeUpdate",
    "Timing",
    "minutes_upload_path",
    "pack_upload_path",
    "paper_upload_path",
    "sub_item_letter",
]
