"""The performance app's admin. Figures, publications and targets are read-only here:
they change through the entry grid, the imports and the targets page (which keep the
reasons for corrections and refresh the dashboards). Beats and categories are saved
through performance.services, so the dashboards show a rename at once."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from performance import services
from performance.models import (
    Beat,
    CrimeCategory,
    CrimeTypeMapping,
    FamilyGroup,
    FamilyGroupMember,
    FigureCorrection,
    ImportedMonth,
    LsoaBeat,
    MonthlyFigure,
    OffenceMapping,
    PeerFigure,
    PublishedQuarter,
    QuarterlyFigure,
    Target,
)


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Shown, with its history; changed only through the portal's own pages."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ThroughServicesAdmin(SimpleHistoryAdmin):
    """Saves and deletes through performance.services (which refresh the dashboards)."""

    def save_model(self, request, obj, form, change) -> None:
        services.save_reference(record=obj)

    def delete_model(self, request, obj) -> None:
        services.delete_reference(record=obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            services.delete_reference(record=obj)


@admin.register(Beat)
class BeatAdmin(ThroughServicesAdmin):
    list_display = ["code", "name", "partnership", "active_from", "active_to"]
    list_filter = ["partnership"]
    search_fields = ["code", "name"]


@admin.register(CrimeCategory)
class CrimeCategoryAdmin(ThroughServicesAdmin):
    list_display = ["name", "code", "parent", "partnership", "lower_is_better", "is_asb"]
    list_filter = ["partnership", "is_asb", "lower_is_better"]
    search_fields = ["name", "code"]


@admin.register(QuarterlyFigure)
class QuarterlyFigureAdmin(ReadOnlyAdmin):
    list_display = ["category", "financial_year", "quarter", "beat", "count", "updated_by"]
    list_filter = ["partnership", "financial_year", "quarter", "category"]
    search_fields = ["category__name", "beat__code", "beat__name"]
    list_select_related = ["category", "beat", "updated_by"]


@admin.register(PublishedQuarter)
class PublishedQuarterAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "financial_year", "quarter", "published_at", "published_by"]
    list_filter = ["partnership", "financial_year"]


@admin.register(FigureCorrection)
class FigureCorrectionAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "financial_year", "quarter", "made_at", "made_by", "reason"]
    list_filter = ["partnership", "financial_year"]
    search_fields = ["reason"]


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["category", "financial_year", "kind", "value", "tolerance", "partnership"]
    list_filter = ["partnership", "financial_year", "kind"]
    search_fields = ["category__name"]


@admin.register(LsoaBeat)
class LsoaBeatAdmin(SimpleHistoryAdmin):
    list_display = ["lsoa_code", "lsoa_name", "beat", "partnership"]
    list_filter = ["partnership", "beat"]
    search_fields = ["lsoa_code", "lsoa_name"]


@admin.register(CrimeTypeMapping)
class CrimeTypeMappingAdmin(SimpleHistoryAdmin):
    list_display = ["crime_type", "category", "partnership"]
    list_filter = ["partnership", "crime_type"]


@admin.register(FamilyGroup)
class FamilyGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "partnership"]


@admin.register(FamilyGroupMember)
class FamilyGroupMemberAdmin(SimpleHistoryAdmin):
    list_display = ["csp_name", "family_group", "is_self", "joined", "left"]
    list_filter = ["family_group"]
    search_fields = ["csp_name", "ons_code"]


@admin.register(PeerFigure)
class PeerFigureAdmin(SimpleHistoryAdmin):
    list_display = ["member", "category", "financial_year", "quarter", "count", "population"]
    list_filter = ["financial_year", "quarter", "category"]
    search_fields = ["member__csp_name"]
    list_select_related = ["member", "category"]


@admin.register(ImportedMonth)
class ImportedMonthAdmin(SimpleHistoryAdmin):
    list_display = ["month", "source", "partnership", "rows", "imported_at", "imported_by"]
    list_filter = ["partnership", "source"]
    date_hierarchy = "month"


@admin.register(OffenceMapping)
class OffenceMappingAdmin(SimpleHistoryAdmin):
    """Home Office offence → category; officers edit it on the Home Office import page."""

    list_display = ["category", "match_on", "value", "partnership"]
    list_filter = ["partnership", "match_on", "category"]
    search_fields = ["value", "category__name"]
    list_select_related = ["category", "partnership"]


@admin.register(MonthlyFigure)
class MonthlyFigureAdmin(admin.ModelAdmin):
    """The police.uk months as counted (read only: re-import a month to change it)."""

    list_display = ["month", "category", "beat", "count", "partnership"]
    list_filter = ["partnership", "month", "category"]
    list_select_related = ["category", "beat", "partnership"]
    date_hierarchy = "month"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
