"""Django admin for certificates: read-only (issued from the portal, revoked there)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from communities.admin import RegionFilter
from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import Certificate


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    """Frozen when issued: certificates are issued and revoked from the portal only."""

    list_display = (
        "number",
        "volunteer",
        "organization",
        "period_from",
        "period_to",
        "hours",
        "status",
    )
    list_select_related = ("volunteer", "organization")
    list_filter = ("status", RegionFilter)
    search_fields = ("=number",)
    readonly_fields = (
        "number",
        "volunteer",
        "organization",
        "period_from",
        "period_to",
        "hours",
        "issued_on",
        "status",
        "revoke_reason",
    )
    fields = readonly_fields
