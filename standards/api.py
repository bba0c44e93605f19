"""REST resources ``service-standards/`` and ``standard-checks/`` (API.md, Standards and teams)."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core.api.base import (
    VERSION_HEADER,
    ModelCleanSerializer,
    ScopedFilterSet,
    ScopedModelViewSet,
    YearFilter,
)
from facilities.models import Facility, ServiceItem

from .models import CHECKED_KINDS, CheckResult, ServiceStandard, StandardCheck


class VisiblePrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related row by id, looked up among the rows the caller may see (else 400)."""

    def __init__(self, model, **kwargs):
        self.model = model
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.model.objects.visible_to(getattr(request, "user", None))


class ServiceStandardSerializer(ModelCleanSerializer):
    """服务标准目录中的一项。"""

    class Meta:
        model = ServiceStandard
        fields = ["code", "service_line", "name", "content", "standard", "check_method"]

    def validate_code(self, value):
        if self.instance is not None and value != self.instance.pk:
            raise serializers.ValidationError("标准编号是记录的标识，不能修改。")
        return value


class ServiceStandardFilter(filters.FilterSet):
    service_line = filters.ChoiceFilter(choices=ServiceItem.choices)

    class Meta:
        model = ServiceStandard
        fields = ["service_line"]


class ServiceStandardViewSet(ScopedModelViewSet):
    """社区服务标准目录（全省统一，省级管理员维护）。"""

    model = ServiceStandard
    serializer_class = ServiceStandardSerializer
    filterset_class = ServiceStandardFilter
    lookup_field = "code"


class StandardCheckSerializer(ModelCleanSerializer):
    """服务设施某年度对一项服务标准的自查；result 为 meets、partly 或 not_met。"""

    facility = VisiblePrimaryKeyField(Facility, help_text="服务站或街道社区服务中心 id。")
    standard = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceStandard.objects.all(), help_text="服务标准编号。"
    )
    result = serializers.ChoiceField(choices=CheckResult.choices)
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = StandardCheck
        fields = ["id", "facility", "standard", "year", "result", "note", "reviewed_by", "version"]
        read_only_fields = ["version"]

    def validate_facility(self, value):
        if value.kind not in CHECKED_KINDS:
            raise serializers.ValidationError(
                "只有社区服务站和街道社区服务中心需要进行服务标准自查。"
            )
        return value


class StandardCheckFilter(ScopedFilterSet):
    facility = filters.NumberFilter(field_name="facility_id")
    year = YearFilter(field_name="year")
    result = filters.ChoiceFilter(choices=CheckResult.choices)

    class Meta:
        model = StandardCheck
        fields = ["facility", "scope", "year", "result"]


@extend_schema_view(
    update=extend_schema(parameters=[VERSION_HEADER]),
    partial_update=extend_schema(parameters=[VERSION_HEADER]),
    destroy=extend_schema(parameters=[VERSION_HEADER]),
)
class StandardCheckViewSet(ScopedModelViewSet):
    """服务标准自查；修改、删除时可在请求体带 version 或用 If-Match 头，版本已过期返回 409。"""

    model = StandardCheck
    serializer_class = StandardCheckSerializer
    filterset_class = StandardCheckFilter
    versioned = True
    list_select_related = ("standard", "reviewed_by")
