"""REST resources ``committees/``, ``training-plans/``, ``entrusted-projects/`` and the summary
``GET teams/`` (API.md, Standards and teams)."""

from decimal import Decimal

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response

from communities.models import Community
from communities.scopes import scope_param
from core.api.base import (
    VERSION_HEADER,
    ModelCleanSerializer,
    ParentCodeField,
    ScopedFilterSet,
    ScopedModelViewSet,
    YearFilter,
)
from facilities.models import ServiceItem
from funding.models import BudgetLine
from standards.api import VisiblePrimaryKeyField
from streets.models import Street
from targets.params import current_plan_or_none, parse_year, this_year
from volunteers.models import VolunteerOrganization
from workforce.models import Worker

from .measures import teams_summary
from .models import Committee, CommitteeKind, EntrustedProject, TrainingPlan

VERSIONED = {
    "update": extend_schema(parameters=[VERSION_HEADER]),
    "partial_update": extend_schema(parameters=[VERSION_HEADER]),
    "destroy": extend_schema(parameters=[VERSION_HEADER]),
}


def four(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.4f}"


# -- committees ------------------------------------------------------------------------------


class CommitteeSerializer(ModelCleanSerializer):
    """居民委员会下属委员会。"""

    community_code = ParentCodeField(
        source="community", queryset=Community.objects.all(), help_text="社区代码（12位）。"
    )
    kind = serializers.ChoiceField(choices=CommitteeKind.choices)
    chair = VisiblePrimaryKeyField(
        Worker,
        allow_null=True,
        required=False,
        help_text="主任委员（本社区的社区工作者 id）或 null。",
    )

    class Meta:
        model = Committee
        fields = [
            "id",
            "community_code",
            "kind",
            "chair",
            "established_on",
            "dissolved_on",
            "version",
        ]
        read_only_fields = ["version"]


class CommitteeFilter(ScopedFilterSet):
    community_code = filters.CharFilter(field_name="community_id", max_length=12)
    kind = filters.ChoiceFilter(choices=CommitteeKind.choices)

    class Meta:
        model = Committee
        fields = ["community_code", "scope", "kind"]


@extend_schema_view(**VERSIONED)
class CommitteeViewSet(ScopedModelViewSet):
    """下属委员会；修改、删除时可在请求体带 version 或用 If-Match 头，版本已过期返回 409。"""

    model = Committee
    serializer_class = CommitteeSerializer
    filterset_class = CommitteeFilter
    versioned = True


# -- training-plans ----------------------------------------------------------------------------


class TrainingPlanSerializer(ModelCleanSerializer):
    """社区工作者培训计划（省级管理员维护）。"""

    share_to_train = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        coerce_to_string=True,
        help_text='培训覆盖比例，四位小数，如 "0.8000"。',
    )

    class Meta:
        model = TrainingPlan
        fields = [
            "id",
            "region_code",
            "year",
            "courses",
            "hours_per_worker",
            "share_to_train",
            "version",
        ]
        read_only_fields = ["version"]


class TrainingPlanFilter(ScopedFilterSet):
    year = YearFilter(field_name="year")

    class Meta:
        model = TrainingPlan
        fields = ["scope", "year"]


@extend_schema_view(**VERSIONED)
class TrainingPlanViewSet(ScopedModelViewSet):
    """培训计划；修改、删除时可在请求体带 version 或用 If-Match 头，版本已过期返回 409。"""

    model = TrainingPlan
    serializer_class = TrainingPlanSerializer
    filterset_class = TrainingPlanFilter
    versioned = True


# -- entrusted-projects ------------------------------------------------------------------------


class EntrustedProjectSerializer(ModelCleanSerializer):
    """委托给志愿服务组织的社区公益服务项目；community_code 与 street_code 二者填一。"""

    community_code = ParentCodeField(
        source="community",
        queryset=Community.objects.all(),
        allow_null=True,
        required=False,
        help_text="委托社区代码（12位），或 null。",
    )
    street_code = ParentCodeField(
        source="street",
        queryset=Street.objects.all(),
        allow_null=True,
        required=False,
        help_text="委托街道代码（9位），或 null。",
    )
    organization = VisiblePrimaryKeyField(
        VolunteerOrganization, help_text="承接的志愿服务组织 id（须属于同一社区或街道）。"
    )
    service_line = serializers.ChoiceField(choices=ServiceItem.choices)
    budget_line = serializers.PrimaryKeyRelatedField(
        queryset=BudgetLine.objects.all(),
        allow_null=True,
        required=False,
        help_text="经费来源的专项经费预算 id（本社区、街道或上级区划，与项目开始同一年度），或 null。",
    )

    class Meta:
        model = EntrustedProject
        fields = [
            "id",
            "community_code",
            "street_code",
            "organization",
            "name",
            "service_line",
            "starts_on",
            "ends_on",
            "funding_wan_yuan",
            "budget_line",
            "target_beneficiaries",
            "achieved_beneficiaries",
            "rating",
            "version",
        ]
        read_only_fields = ["version"]


class EntrustedProjectFilter(ScopedFilterSet):
    organization = filters.NumberFilter(field_name="organization_id")
    service_line = filters.ChoiceFilter(choices=ServiceItem.choices)

    class Meta:
        model = EntrustedProject
        fields = ["scope", "organization", "service_line"]


@extend_schema_view(**VERSIONED)
class EntrustedProjectViewSet(ScopedModelViewSet):
    """委托服务项目；修改、删除时可在请求体带 version 或用 If-Match 头，版本已过期返回 409。"""

    model = EntrustedProject
    serializer_class = EntrustedProjectSerializer
    filterset_class = EntrustedProjectFilter
    versioned = True
    list_select_related = ("organization",)


# -- teams/ summary ----------------------------------------------------------------------------


class MissingPostsSerializer(serializers.Serializer):
    community_code = serializers.CharField()
    missing = serializers.ListField(child=serializers.CharField())


class TeamsChildSerializer(serializers.Serializer):
    scope = serializers.CharField()
    name = serializers.CharField()
    communities = serializers.IntegerField()
    two_committees_complete = serializers.IntegerField()
    complete_rate = serializers.CharField(allow_null=True)


class TeamsSerializer(serializers.Serializer):
    scope = serializers.CharField()
    year = serializers.IntegerField()
    communities = serializers.IntegerField()
    two_committees_complete = serializers.IntegerField(help_text="两委及下属组织健全的社区数。")
    complete_rate = serializers.CharField(allow_null=True, help_text="健全的社区占比，四位小数。")
    missing_posts = MissingPostsSerializer(many=True)
    children = TeamsChildSerializer(many=True)


def teams_payload(summary) -> dict:
    scope = summary.scope
    return {
        "scope": scope.code,
        "year": summary.year,
        "communities": scope.communities,
        "two_committees_complete": scope.complete,
        "complete_rate": four(scope.complete_rate),
        "missing_posts": [
            {"community_code": gap["community_code"], "missing": gap["missing"]}
            for gap in summary.missing_posts
        ],
        "children": [
            {
                "scope": child.code,
                "name": child.name,
                "communities": child.communities,
                "two_committees_complete": child.complete,
                "complete_rate": four(child.complete_rate),
            }
            for child in summary.children
        ],
    }


@extend_schema(
    tags=["社区队伍"],
    summary="两委及下属组织健全情况",
    parameters=[
        OpenApiParameter(
            "scope", str, description="区划、街道或社区代码；默认为当前用户的管辖范围。"
        ),
        OpenApiParameter("year", int, description="年度；默认为规划目标年度。"),
    ],
    responses={200: TeamsSerializer, 400: OpenApiTypes.OBJECT},
)
class TeamsView(generics.GenericAPIView):
    """``GET teams/``: communities whose 两委 and sub-committees are complete, per scope."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None
    serializer_class = TeamsSerializer

    def get(self, request):
        raw = request.query_params.get("year")
        if raw in (None, ""):
            plan = current_plan_or_none()
            year = plan.target_year if plan else this_year()
        else:
            year = parse_year(raw)
        scope = scope_param(request.user, request.query_params.get("scope"))
        return Response(teams_payload(teams_summary(scope.code, year)))
