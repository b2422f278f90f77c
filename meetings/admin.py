"""Admin for the meetings app: every model, with its history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from meetings import models


@admin.register(models.Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["body", "date", "start_time", "venue", "status"]
    list_filter = ["body__partnership", "body", "status"]
    date_hierarchy = "date"


@admin.register(models.AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "parent", "order", "kind", "is_exempt", "exempt_paragraph"]
    list_filter = ["meeting__body", "kind", "is_exempt"]
    search_fields = ["title", "purpose"]


@admin.register(models.Paper)
class PaperAdmin(SimpleHistoryAdmin):
    list_display = ["title", "item", "kind", "page_count", "is_exempt"]
    list_filter = ["kind", "is_exempt"]
    search_fields = ["title"]


@admin.register(models.PartnerReport)
class PartnerReportAdmin(SimpleHistoryAdmin):
    list_display = ["subject", "organisation", "author", "date"]
    list_filter = ["partnership", "organisation"]
    search_fields = ["subject", "summary"]


@admin.register(models.Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "person", "status", "role", "organisation"]
    list_filter = ["status", "meeting__body"]


@admin.register(models.Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["description", "meeting", "owner", "owner_name", "due_date", "status"]
    list_filter = ["status", "meeting__body"]
    search_fields = ["description", "owner_name"]


@admin.register(models.ForwardProgrammeEntry)
class ForwardProgrammeEntryAdmin(SimpleHistoryAdmin):
    list_display = ["item", "body", "timing", "target_meeting", "annual_month", "action_by"]
    list_filter = ["body", "timing", "is_complete"]
    search_fields = ["item", "detail"]


for model in (
    models.ThemeUpdate,
    models.Declaration,
    models.Minute,
    models.Resolution,
    models.MinutesAmendment,
):
    admin.site.register(model, SimpleHistoryAdmin)


@admin.register(models.ForwardProgrammeEvent)
class ForwardProgrammeEventAdmin(admin.ModelAdmin):
    list_display = ["entry", "meeting", "date", "note"]


@admin.register(models.PackVersion)
class PackVersionAdmin(admin.ModelAdmin):
    list_display = ["meeting", "number", "kind", "published_at", "published_by"]
    readonly_fields = ["snapshot", "changes"]


@admin.register(models.StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """The life cycle's record (meetings/lifecycle.py): read, never edited."""

    list_display = ["meeting", "transition", "from_status", "to_status", "by", "at"]
    list_filter = ["transition", "to_status"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
