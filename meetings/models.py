"""Meetings of a partnership's bodies: agendas, papers, attendance, minutes, actions,
the Forward Programme and the published agenda packs."""

from __future__ import annotations

import string

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from csp_portal.fields import FinancialYearField
from csp_portal.financial_year import QUARTER_CHOICES, Quarter
from csp_portal.models import Body, Organisation, Partnership
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
        if self.presenter_id:
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


class PaperKind(models.TextChoices):
    UPLOAD = "upload", "Uploaded PDF"
    REPORT = "report", "Partner update report"
    BLOCK = "block", "Generated paper"


def paper_upload_path(instance: Paper, filename: str) -> str:
    return f"meetings/papers/{instance.item.meeting_id}/{filename}"


class Paper(models.Model):
    """A paper attached to an agenda item: an uploaded PDF, a partner report or a block."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    order = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=10, choices=PaperKind.choices)
    title = models.CharField(max_length=300)
    is_exempt = models.BooleanField("exempt (confidential)", default=False)
    file = models.FileField(upload_to=paper_upload_path, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    report = models.ForeignKey(
        "PartnerReport", on_delete=models.PROTECT, null=True, blank=True, related_name="papers"
    )
    block_key = models.CharField(max_length=60, blank=True)
    block_params = models.JSONField(default=dict, blank=True)
    frozen_html = models.TextField(
        blank=True, help_text="A generated paper as it stood when the pack was published."
    )
    frozen_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="upload", page_count__isnull=False)
                    | models.Q(kind="report", report__isnull=False)
                    | (models.Q(kind="block") & ~models.Q(block_key=""))
                ),
                name="paper_has_its_content",
            )
        ]

    def __str__(self) -> str:
        return self.title


class PartnerReport(models.Model):
    """A partner's quarterly update to the partnership, in the partnership's template."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="partner_reports"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.CharField(max_length=200)
    date = models.DateField()
    subject = models.CharField("subject title", max_length=300)
    summary = models.TextField(help_text="Purpose, background and context for the update.")
    recommendations = models.TextField(blank=True)
    performance_data = models.TextField(blank=True)
    budget_implications = models.TextField("budget / resource implications", blank=True)
    key_risks = models.TextField("key risks / issues", blank=True)
    planned_activity = models.TextField("planned activity in the next quarter", blank=True)
    other_updates = models.TextField(
        "other updates, developments, achievements, challenges / opportunities", blank=True
    )
    gaps_support = models.TextField("gaps / support required", blank=True)
    priorities = models.ManyToManyField(
        "plans.Priority", blank=True, related_name="partner_reports"
    )
    financial_year = FinancialYearField(null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(choices=QUARTER_CHOICES, null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_reports",
        help_text="The meeting the report is written for.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-date", "organisation"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(financial_year__isnull=True, quarter__isnull=True)
                | models.Q(financial_year__isnull=False, quarter__isnull=False),
                name="report_quarter_has_its_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.subject}"

    @property
    def period(self) -> Quarter | None:
        if self.financial_year is None or self.quarter is None:
            return None
        return Quarter(self.financial_year, self.quarter)


class PerformanceRow(models.Model):
    """One line of a partner report's performance table (seed 003): a crime type, its
    performance to date (% change) and the year-to-date figures a year ago and now."""

    report = models.ForeignKey(
        PartnerReport, on_delete=models.CASCADE, related_name="performance_rows"
    )
    order = models.PositiveSmallIntegerField()
    crime_type = models.CharField(max_length=200)
    change_pct = models.DecimalField(
        "performance to date (%)", max_digits=7, decimal_places=1, null=True, blank=True
    )
    previous = models.PositiveIntegerField(null=True, blank=True)
    current = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "order"], name="one_row_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.crime_type}"

    @property
    def change_display(self) -> str:
        """+4.9%, −10.6% (a true minus), 0.0%, or n/a: as the dashboards print it."""
        if self.change_pct is None:
            return "n/a"
        if self.change_pct > 0:
            return f"+{self.change_pct}%"
        if self.change_pct < 0:
            return f"−{-self.change_pct}%"
        return "0.0%"

    @property
    def previous_display(self) -> str:
        return "–" if self.previous is None else f"{self.previous:,}"

    @property
    def current_display(self) -> str:
        return "–" if self.current is None else f"{self.current:,}"


class ThemeUpdate(models.Model):
    """A partner report's update against one theme of the partnership plan."""

    report = models.ForeignKey(PartnerReport, on_delete=models.CASCADE, related_name="updates")
    theme = models.ForeignKey("plans.Theme", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "theme__number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "theme"], name="one_update_per_theme")
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.theme}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    SUBSTITUTE = "substitute", "Substitute sent"
    OFFICER = "officer", "Officer in attendance"
    GUEST = "guest", "Also in attendance"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


#: What a member of the body can be marked on the whole-body attendance page.
MEMBER_STATUSES = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.APOLOGIES,
    AttendanceStatus.ABSENT,
    AttendanceStatus.SUBSTITUTE,
)
#: People who are not members: officers and guests, by name and organisation.
OTHER_STATUSES = (AttendanceStatus.OFFICER, AttendanceStatus.GUEST)


class Attendance(models.Model):
    """One person at (or sending apologies to) a meeting: a portal user, or only a name
    (guests, officers without an account); a member who sent a substitute names them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(
        max_length=200, blank=True, help_text="As printed in the minutes, e.g. Mr T. McCabe."
    )
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation_name = models.CharField(
        max_length=200, blank=True, help_text="When the organisation is not on the portal."
    )
    role = models.CharField(max_length=60, blank=True, help_text="e.g. Chair")
    substitute_name = models.CharField(
        max_length=200, blank=True, help_text="Who attended in the member's place."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "status", "person__last_name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_each"),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(name=""),
                name="attendance_names_someone",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="substitute") | ~models.Q(substitute_name=""),
                name="substitute_is_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} – {self.get_status_display()}"

    @property
    def label(self) -> str:
        """The name as the minutes print it: "Inspector D. Barker", "Ms A. Fadesco"."""
        if self.name:
            return self.name
        name = self.person.get_full_name() or self.person.username
        title = getattr(getattr(self.person, "profile", None), "title", "")
        return f"{title} {name}" if title else name

    @property
    def organisation_label(self) -> str:
        return str(self.organisation) if self.organisation_id else self.organisation_name


class Declaration(models.Model):
    """A declaration of interest made on an agenda item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    interest = models.TextField()
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.person}: {self.interest}"


class Minute(models.Model):
    """The minute of one agenda item: the points discussed (one per line)."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="minute")
    discussion = models.TextField(blank=True, help_text="One point per line.")
    version = models.PositiveIntegerField(
        default=1, help_text="Counts saves, so a clerk's stale save is refused, not applied."
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Minute of {self.item}"

    @property
    def points(self) -> list[str]:
        return [line.strip() for line in self.discussion.splitlines() if line.strip()]


class Resolution(models.Model):
    """A numbered decision on an agenda item, printed "AGREED that …"."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="resolutions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(help_text="What follows “AGREED that”.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="resolution_number_unique")
        ]

    def __str__(self) -> str:
        return f"AGREED that {self.text}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "No longer needed"


class Action(models.Model):
    """Something a meeting asked someone to do; open ones come back as matters arising."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default="open")
    closed_at = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="closed_actions"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting__date", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def owner_label(self) -> str:
        if self.owner_id:
            return self.owner.get_full_name() or self.owner.username
        return self.owner_name


class MinutesAmendment(models.Model):
    """A change to minutes after they were confirmed: recorded, never silently made."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="amendments")
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        help_text="The item the correction is to (exempt with it); empty for the whole minutes.",
    )
    text = models.TextField()
    reason = models.TextField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "made_at"]

    def __str__(self) -> str:
        return f"Amendment to {self.meeting}"


class Timing(models.TextChoices):
    MEETING = "meeting", "At a meeting"
    DATE = "date", "By a date"
    STANDING = "standing", "Standing Item"
    ANNUAL = "annual", "Annual"
    TO_BE_SCHEDULED = "unscheduled", "To be scheduled"


class ForwardProgrammeEntry(models.Model):
    """An item of work a body plans to consider, and when."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="forward_programme")
    item = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    timing = models.CharField(max_length=20, choices=Timing.choices)
    target_meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_date = models.DateField(null=True, blank=True)
    annual_month = models.PositiveSmallIntegerField(null=True, blank=True)
    action_by = models.CharField(max_length=200, blank=True)
    is_complete = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "is_complete", "timing", "item"]
        verbose_name_plural = "Forward Programme entries"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(timing="annual")
                | models.Q(annual_month__gte=1, annual_month__lte=12),
                name="annual_entry_has_month",
            )
        ]

    def __str__(self) -> str:
        return self.item

    @property
    def when(self) -> str:
        import calendar

        if self.timing == Timing.MEETING and self.target_meeting_id:
            return f"{self.target_meeting.date:%-d %B %Y}"
        if self.timing == Timing.DATE and self.target_date:
            return f"{self.target_date:%B %Y}"
        if self.timing == Timing.ANNUAL and self.annual_month:
            return f"{calendar.month_name[self.annual_month]} (Annual)"
        return self.get_timing_display()


class ForwardProgrammeEvent(models.Model):
    """What happened to an entry at a meeting: considered, rescheduled, added, closed."""

    entry = models.ForeignKey(
        ForwardProgrammeEntry, on_delete=models.CASCADE, related_name="events"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date = models.DateField()
    note = models.TextField()

    class Meta:
        ordering = ["entry", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.entry}: {self.note}"


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
