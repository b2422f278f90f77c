"""What a meeting records: attendance, declarations of interest, minutes and their
resolutions, actions and amendments to confirmed minutes (meetings.models re-exports
them)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from csp_portal.models import Organisation


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

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="attendance"
    )
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
        if self.name or self.person is None:
            return self.name
        name = self.person.get_full_name() or self.person.username
        title = getattr(getattr(self.person, "profile", None), "title", "")
        return f"{title} {name}" if title else name

    @property
    def organisation_label(self) -> str:
        return str(self.organisation) if self.organisation_id else self.organisation_name


class Declaration(models.Model):
    """A declaration of interest made on an agenda item."""

    item = models.ForeignKey(
        "meetings.AgendaItem", on_delete=models.CASCADE, related_name="declarations"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    interest = models.TextField()
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.person}: {self.interest}"


class Minute(models.Model):
    """The minute of one agenda item: the points discussed (one per line)."""

    item = models.OneToOneField(
        "meetings.AgendaItem", on_delete=models.CASCADE, related_name="minute"
    )
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

    item = models.ForeignKey(
        "meetings.AgendaItem", on_delete=models.CASCADE, related_name="resolutions"
    )
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

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="actions"
    )
    item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default="open")
    closed_at = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_actions",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting__date", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def owner_label(self) -> str:
        if self.owner is not None:
            return self.owner.get_full_name() or self.owner.username
        return self.owner_name


class MinutesAmendment(models.Model):
    """A change to minutes after they were confirmed: recorded, never silently made."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="amendments"
    )
    item = models.ForeignKey(
        "meetings.AgendaItem",
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
