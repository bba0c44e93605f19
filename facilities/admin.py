"""Django admin for community service facilities and their funding lines."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from communities.admin import RegionFilter
from core.admin import ScopedAdminMixin, ScopedInlineMixin, VersionedAdminForm

from .models import Facility, FacilityFunding, ServiceItem


class FacilityForm(VersionedAdminForm):
    services = forms.MultipleChoiceField(
        label="一站式服务项目",
        required=False,
        choices=ServiceItem.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Facility
        fields = "__all__"


class FacilityFundingInline(ScopedInlineMixin, admin.TabularInline):
    model = FacilityFunding
    fields = ("source", "year", "amount_wan_yuan")


@admin.register(Facility)
class FacilityAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = FacilityForm
    list_display = (
        "name",
        "kind",
        "specialized_type",
        "code",
        "street",
        "community",
        "floor_area",
        "opened_on",
        "closed_on",
        "construction_mode",
    )
    list_select_related = ("street", "community")
    list_filter = ("kind", "specialized_type", "construction_mode", RegionFilter)
    search_fields = ("name", "^code")
    autocomplete_fields = ("street", "community")
    readonly_fields = ("code", "version")
    inlines = (FacilityFundingInline,)


@admin.register(FacilityFunding)
class FacilityFundingAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("facility", "facility_code", "source", "year", "amount_wan_yuan")
    list_select_related = ("facility",)
    list_filter = ("source", "year", RegionFilter)
    search_fields = ("facility__name", "^facility__code")
    autocomplete_fields = ("facility",)

    @admin.display(description="所属区划代码", ordering="facility__code")
    def facility_code(self, obj):
        return obj.facility.code
