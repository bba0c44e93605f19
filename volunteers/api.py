"""REST resources ``volunteer-organizations/`` and ``volunteers/`` (API.md).

ID numbers and phone numbers are write-only in effect: they are read back masked
(``620102********1234``, ``138****5678``). A user allowed to see personal data may ask for the
full values with ``?unmask=1``; every such read is written to the audit log (without the numbers).
"""

import datetime

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
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
from core.personal import asked_to_unmask, personal_data_audit, unmask_decision
from core.validators import mask_phone, normalize_id_number

from .models import ServiceCategory, Volunteer, VolunteerOrganization

# -- volunteer-organizations ----------------------------------------------------------------


class VolunteerOrganizationSerializer(ModelCleanSerializer):
    """社区志愿者组织。"""

    community_code = ParentCodeField(
        source="community", queryset=Community.objects.all(), help_text="社区代码（12位）。"
    )

    class Meta:
        model = VolunteerOrganization
        fields = ["id", "community_code", "name", "registered_on", "dissolved_on", "version"]
        read_only_fields = ["version"]


class VolunteerOrganizationFilter(ScopedFilterSet):
    community_code = filters.CharFilter(field_name="community_id", max_length=12)

    class Meta:
        model = VolunteerOrganization
        fields = ["community_code", "scope"]


VERSIONED_EDITS = {
    "update": extend_schema(parameters=[VERSION_HEADER]),
    "partial_update": extend_schema(parameters=[VERSION_HEADER]),
    "destroy": extend_schema(parameters=[VERSION_HEADER]),
}


@extend_schema_view(**VERSIONED_EDITS)
class VolunteerOrganizationViewSet(ScopedModelViewSet):
    """社区志愿者组织；修改、删除时可在请求体带 version 或用 If-Match 头，版本已过期返回 409。"""

    model = VolunteerOrganization
    serializer_class = VolunteerOrganizationSerializer
    filterset_class = VolunteerOrganizationFilter
    versioned = True


# -- volunteers -----------------------------------------------------------------------------


class MaskedPhoneField(serializers.CharField):
    """A phone number written in full and read back masked, unless the reader may unmask."""

    def to_representation(self, value):
        if self.context.get("unmask"):
            return value
        return mask_phone(value)


class VolunteerSerializer(ModelCleanSerializer):
    """注册志愿者（实名登记）；身份证号码只写，电话读取时脱敏。"""

    community_code = ParentCodeField(
        source="community", queryset=Community.objects.all(), help_text="社区代码（12位）。"
    )
    organization = serializers.PrimaryKeyRelatedField(
        queryset=VolunteerOrganization.objects.all(),
        allow_null=True,
        required=False,
        help_text="所属志愿者组织 id（须属于同一社区），或 null。",
    )
    id_number = serializers.CharField(
        write_only=True,
        required=False,
        max_length=20,
        help_text="身份证号码（18位，GB 11643 校验）；只写，读取时返回 id_number_masked。新建时必填。",
    )
    id_number_masked = serializers.SerializerMethodField(
        help_text="脱敏身份证号码，如 620102********1234。"
    )
    phone = MaskedPhoneField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="联系电话；读取时脱敏，如 138****5678。",
    )
    service_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceCategory.choices),
        required=False,
        max_length=len(ServiceCategory),
        help_text="服务类别代码列表。",
    )

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "community_code",
            "organization",
            "name",
            "gender",
            "id_number",
            "id_number_masked",
            "phone",
            "is_party_member",
            "registered_on",
            "left_on",
            "service_categories",
            "version",
        ]
        read_only_fields = ["version"]

    def get_id_number_masked(self, obj) -> str:
        return obj.id_number_masked

    def validate_id_number(self, value):
        return normalize_id_number(value)

    def validate_phone(self, value):
        return (value or "").strip()

    def validate(self, attrs):
        if self.instance is None and not attrs.get("id_number"):
            raise serializers.ValidationError({"id_number": ["新建志愿者时必须填写身份证号码。"]})
        return attrs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.context.get("unmask"):
            data["id_number"] = instance.id_number
        return data


class VolunteerFilter(ScopedFilterSet):
    community_code = filters.CharFilter(field_name="community_id", max_length=12)
    is_party_member = filters.BooleanFilter()
    registered_year = YearFilter(method="filter_registered_year", label="注册年度")

    class Meta:
        model = Volunteer
        fields = ["community_code", "scope", "is_party_member", "registered_year"]

    def filter_registered_year(self, queryset, name, value):
        # A date range, not __year, so that the (community, registered_on) index stays usable.
        return queryset.filter(
            registered_on__gte=datetime.date(value, 1, 1),
            registered_on__lte=datetime.date(value, 12, 31),
        )


UNMASK = OpenApiParameter(
    "unmask",
    bool,
    OpenApiParameter.QUERY,
    required=False,
    description="为 1 时返回完整身份证号码（id_number）和电话；仅限有“查看完整个人信息”权限的用户，并记入审计日志。",
)


@extend_schema_view(
    list=extend_schema(parameters=[UNMASK]),
    retrieve=extend_schema(parameters=[UNMASK]),
    **VERSIONED_EDITS,
)
class VolunteerViewSet(ScopedModelViewSet):
    """注册志愿者（实名登记）；修改、删除时可在请求体带 version 或用 If-Match 头，版本已过期返回 409。"""

    model = Volunteer
    serializer_class = VolunteerSerializer
    filterset_class = VolunteerFilter
    versioned = True
    unmask = False

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        asked = request.method == "GET" and asked_to_unmask(request)
        self.unmask = unmask_decision(request, asked=asked, strict=True)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["unmask"] = self.unmask
        return context

    def _audit_unmask(self, ids):
        personal_data_audit(
            self.request,
            detail={"resource": "volunteers", "ids": ids, "fields": ["id_number", "phone"]},
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if self.unmask:
            self._audit_unmask([row["id"] for row in response.data["results"]])
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if self.unmask:
            self._audit_unmask([response.data["id"]])
        return response
