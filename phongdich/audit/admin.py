"""The audit trail in Django admin, read-only: nobody adds, changes or deletes an audit record."""

from django.contrib import admin
from django.http import HttpRequest

from phongdich.audit.models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("event_time", "actor", "event", "target_type", "target_id", "area")
    list_filter = ("event", "target_type")
    search_fields = ("actor__username", "target_type")
    date_hierarchy = "event_time"
    list_select_related = ("actor", "area")
    readonly_fields = ("event_time", "actor", "event", "target_type", "target_id", "area", "changes", "extra")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditLog | None = None) -> bool:
        return False
