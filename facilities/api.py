"""REST resource ``facilities/`` (API.md): street centres, community stations, specialized facilities."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from communities.models import Community
from core.api.base import (
    VERSION_HEADER,
    ModelCleanSerializer,
    ParentCodeField,
    ScopedFilterSet,
    ScopedModelViewSet,
    YearFilter,
)
from streets.models import Street

from .models import Facility, FacilityKind, ServiceItem


class FacilitySerializer(ModelCleanSerializer):
    """社区服务设施：街道社区服务中心（属于街道）、社区服务站和专项服务设施（属于社区）。"""

    street_code = ParentCodeField(
        source="street",
        queryset=Street.objects.all(),
        allow_null=True,
        required=False,
        help_text="所属街道代码（9位），街道社区服务中心必填。",
    )
    community_code = ParentCodeField(
        source="community",
        queryset=Community.objects.all(),
        allow_null=True,
        required=False,
        help_text="所属社区代码（12位），社区服务站和专项服务设施必填。",
    )
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceItem.choices),
        required=False,
        max_length=len(ServiceItem),
        help_text="一站式服务项目代码列表。",
    )

    class Meta:
        model = Facility
        fields = [
            "id",
            "name",
            "kind",
            "specialized_type",
            "street_code",
            "community_code",
            "code",
            "floor_area",
            "opened_on",
            "closed_on",
            "construction_mode",
            "address",
            "services",
            "version",
        ]
        read_only_fields = ["code", "version"]
        extra_kwargs = {
            "code": {"help_text": "所属区划代码（服务中心为街道代码，其余为社区代码）。"}
        }

    derived_fields = ("code",)


class FacilityFilter(ScopedFilterSet):
    kind = filters.ChoiceFilter(choices=FacilityKind.choices)
    street_code = filters.CharFilter(field_name="street_id", max_length=12)
    community_code = filters.CharFilter(field_name="community_id", max_length=12)
    in_service_year = YearFilter(method="filter_in_service", label="在该年12月31日在用")

    class Meta:
        model = Facility
        fields = ["kind", "street_code", "community_code", "scope", "in_service_year"]

    def filter_in_service(self, queryset, name, value):
        return queryset.in_service_at(value)


@extend_schema_view(
    update=extend_schema(parameters=[VERSION_HEADER]),
    partial_update=extend_schema(parameters=[VERSION_HEADER]),
    destroy=extend_schema(parameters=[VERSION_HEADER]),
)
class FacilityViewSet(ScopedModelViewSet):
    """社区服务设施；修改、删除时可在请求体带 version 或用 If-Match 头，版本已过期返回 409。"""

    model = Facility
    serializer_class = FacilitySerializer
    filterset_class = FacilityFilter
    versioned = True
