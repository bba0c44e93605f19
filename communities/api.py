"""REST resources ``communities/``, ``community-stats/`` and ``social-organizations/`` (API.md)."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action

from core.api.base import (
    VERSION_HEADER,
    CodeField,
    CodeKeyedSerializer,
    ModelCleanSerializer,
    ParentCodeField,
    ScopedFilterSet,
    ScopedModelViewSet,
    YearFilter,
)
from streets.models import Street

from . import services
from .models import (
    Community,
    CommunityStat,
    SocialOrganization,
    SocialOrganizationCategory,
    StatStatus,
)

# -- communities ----------------------------------------------------------------------------


class CommunitySerializer(CodeKeyedSerializer):
    """社区居委会，按12位社区代码标识。"""

    code = CodeField(lengths=(12,), help_text="社区代码，12位，以所属街道代码开头。")
    street_code = ParentCodeField(
        source="street", queryset=Street.objects.all(), help_text="所属街道（乡镇）代码（9位）。"
    )

    class Meta:
        model = Community
        fields = ["code", "name", "street_code", "digital_3d_completed_on"]


class CommunityFilter(ScopedFilterSet):
    street_code = filters.CharFilter(field_name="street_id", max_length=12)
    search = filters.CharFilter(
        field_name="name", lookup_expr="icontains", max_length=64, label="按名称搜索"
    )

    class Meta:
        model = Community
        fields = ["street_code", "scope", "search"]


class CommunityViewSet(ScopedModelViewSet):
    """社区居委会；仅省级管理员可以新建、修改、删除。"""

    model = Community
    serializer_class = CommunitySerializer
    filterset_class = CommunityFilter
    lookup_field = "code"


# -- community-stats ------------------------------------------------------------------------


class ApprovalSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["street", "county", "prefecture", "province"])
    user = serializers.CharField(help_text="审核人用户名。")
    at = serializers.DateTimeField(help_text="审核时间。")


class CommunityStatSerializer(ModelCleanSerializer):
    """社区年度统计：户数、常住居民、党员及参与志愿活动人数；status 与 version 只读。

    approvals 为已通过的各级审核（层级、审核人、时间，按顺序）；submitted_on_time 为首次上报是否在截止日期（北京时间）之前，首次上报前为 null。"""

    approvals = ApprovalSerializer(many=True, read_only=True)

    community_code = ParentCodeField(
        source="community", queryset=Community.objects.all(), help_text="社区代码（12位）。"
    )

    class Meta:
        model = CommunityStat
        fields = [
            "id",
            "community_code",
            "year",
            "households",
            "residents",
            "party_members",
            "party_members_volunteering",
            "residents_volunteering",
            "status",
            "version",
            "return_reason",
            "approvals",
            "submitted_on_time",
        ]
        read_only_fields = [
            "status",
            "version",
            "return_reason",
            "approvals",
            "submitted_on_time",
        ]

    def persist(self, instance):
        return services.stat_save(
            stat=instance,
            user=self.context["request"].user,
            expected_version=self.context.get("expected_version"),
        )


class CommunityStatFilter(ScopedFilterSet):
    community_code = filters.CharFilter(field_name="community_id", max_length=12)
    year = YearFilter(field_name="year")
    status = filters.ChoiceFilter(choices=StatStatus.choices)

    class Meta:
        model = CommunityStat
        fields = ["community_code", "year", "scope", "status"]


ReturnReason = inline_serializer(
    "StatReturn",
    {
        "reason": serializers.CharField(max_length=500, help_text="退回原因（必填）。"),
        "version": serializers.IntegerField(required=False, min_value=1),
    },
)
VersionOnly = inline_serializer(
    "StatTransition", {"version": serializers.IntegerField(required=False, min_value=1)}
)


@extend_schema_view(
    update=extend_schema(parameters=[VERSION_HEADER]),
    partial_update=extend_schema(parameters=[VERSION_HEADER]),
    destroy=extend_schema(parameters=[VERSION_HEADER]),
)
class CommunityStatViewSet(ScopedModelViewSet):
    """社区年度统计：草稿 → 已上报 → 已审核，或附原因退回；修改、删除时可在请求体带 version 或用 If-Match 头，版本已过期返回 409。"""

    model = CommunityStat
    serializer_class = CommunityStatSerializer
    filterset_class = CommunityStatFilter
    versioned = True

    step_target = "stat"

    @extend_schema(
        request=VersionOnly,
        responses=CommunityStatSerializer,
        parameters=[VERSION_HEADER],
        summary="上报审核",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self.take_step(services.stat_submit)

    @extend_schema(
        request=VersionOnly,
        responses=CommunityStatSerializer,
        parameters=[VERSION_HEADER],
        summary="审核通过",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.take_step(services.stat_approve)

    @extend_schema(
        request=ReturnReason,
        responses=CommunityStatSerializer,
        parameters=[VERSION_HEADER],
        summary="退回修改",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self.take_step(services.stat_return, reason=self.text_param("reason", "退回原因"))


# -- social-organizations ------------------------------------------------------------------


class SocialOrganizationSerializer(ModelCleanSerializer):
    """社区社会组织。"""

    community_code = ParentCodeField(
        source="community", queryset=Community.objects.all(), help_text="社区代码（12位）。"
    )

    class Meta:
        model = SocialOrganization
        fields = [
            "id",
            "community_code",
            "name",
            "category",
            "registered_on",
            "dissolved_on",
            "version",
        ]
        read_only_fields = ["version"]


class SocialOrganizationFilter(ScopedFilterSet):
    community_code = filters.CharFilter(field_name="community_id", max_length=12)
    category = filters.ChoiceFilter(choices=SocialOrganizationCategory.choices)

    class Meta:
        model = SocialOrganization
        fields = ["community_code", "scope", "category"]


@extend_schema_view(
    update=extend_schema(parameters=[VERSION_HEADER]),
    partial_update=extend_schema(parameters=[VERSION_HEADER]),
    destroy=extend_schema(parameters=[VERSION_HEADER]),
)
class SocialOrganizationViewSet(ScopedModelViewSet):
    """社区社会组织；修改、删除时可在请求体带 version 或用 If-Match 头，版本已过期返回 409。"""

    model = SocialOrganization
    serializer_class = SocialOrganizationSerializer
    filterset_class = SocialOrganizationFilter
    versioned = True
