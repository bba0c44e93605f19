"""REST endpoints of the targets app: compliance (API.md, Compliance) and plans."""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, generics, mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from core.api.base import PolicyPermission
from core.dates import MAX_YEAR, MIN_YEAR
from core.validators import CONTROL_CHARACTERS

from .engine import community_rows, compute_region, street_rows
from .models import Plan
from .params import BadParameter, compliance_params
from .payload import community_row_payload, region_payload, street_row_payload
from .registry import COMMUNITY_INDICATORS, INDICATOR_COUNT, INDICATORS, threshold_errors
from .services import plan_delete, plan_save

SCOPE_PARAM = OpenApiParameter(
    "scope", str, description="区划、街道或社区代码；默认为当前用户的管辖范围。"
)
YEAR_PARAM = OpenApiParameter(
    "year", int, description=f"年度（{MIN_YEAR}–{MAX_YEAR}）；默认为规划目标年度。"
)
PLAN_PARAM = OpenApiParameter(
    "plan", str, description="规划代码；默认为当前规划（如 12th-five-year）。"
)
DATA_PARAM = OpenApiParameter(
    "data",
    str,
    enum=["all", "approved"],
    description="all（默认）：全部统计数据；approved：仅各级审核通过的统计数据，其余计为缺数据。",
)
FAILING_PARAM = OpenApiParameter(
    "failing",
    str,
    enum=[i.code for i in COMMUNITY_INDICATORS],
    description="只列出该指标未达标的社区（指标代码）。",
)


class IndicatorSummarySerializer(serializers.Serializer):
    """One indicator rolled up over a region (documentation of the answer)."""

    code = serializers.ChoiceField(choices=[i.code for i in INDICATORS])
    name = serializers.CharField()
    short_name = serializers.CharField()
    level = serializers.ChoiceField(choices=["street", "community"])
    unit = serializers.CharField()
    gap_unit = serializers.CharField()
    threshold = serializers.CharField(help_text='阈值，十进制字符串，如 "800"、"0.80"。')
    applicable = serializers.IntegerField(help_text="应达标的单位数。")
    compliant = serializers.IntegerField(help_text="达标的单位数。")
    missing = serializers.IntegerField(help_text="数据缺失（值为 null）的单位数。")
    rate = serializers.CharField(allow_null=True, help_text="达标率，四位小数。")
    value = serializers.CharField(allow_null=True, help_text="区域值（比值之和），四位小数。")
    gap = serializers.CharField(help_text="缺口：平方米两位小数；人、个、名为整数。")
    year_target = serializers.CharField(
        allow_null=True, help_text="该年度的目标达标率，四位小数；规划基期之前为 null。"
    )
    year_target_source = serializers.ChoiceField(
        choices=["set", "straight_line"],
        allow_null=True,
        help_text="set：已制定的年度目标；straight_line：未制定，按基期至目标年度直线推算。",
    )
    on_track = serializers.BooleanField(
        allow_null=True, help_text="达标率是否不低于该年度目标；无法判断时为 null。"
    )


class FullyCompliantSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    rate = serializers.CharField(allow_null=True)


class BaselineSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()
    rate = serializers.CharField(allow_null=True)
    published = serializers.CharField(allow_null=True, help_text="规划公布的2010年数据。")


class ScopeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(
        choices=["province", "prefecture", "county", "street", "community"]
    )


class PlanSummarySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    start_year = serializers.IntegerField()
    target_year = serializers.IntegerField()


class RegionSummarySerializer(ScopeSerializer):
    indicators = IndicatorSummarySerializer(many=True)
    community_count = serializers.IntegerField()
    fully_compliant_communities = FullyCompliantSerializer()


class ComplianceSerializer(serializers.Serializer):
    """The answer of ``compliance/`` (API.md)."""

    scope = ScopeSerializer()
    year = serializers.IntegerField()
    plan = PlanSummarySerializer()
    indicators = IndicatorSummarySerializer(many=True)
    community_count = serializers.IntegerField()
    fully_compliant_communities = FullyCompliantSerializer()
    baseline = BaselineSerializer(many=True)
    children = RegionSummarySerializer(many=True)
    data = serializers.ChoiceField(
        choices=["all", "approved"],
        help_text="所用数据口径：all 全部数据，approved 仅审核通过的数据。",
    )


class UnitValueSerializer(serializers.Serializer):
    value = serializers.CharField(allow_null=True)
    compliant = serializers.BooleanField(allow_null=True, help_text="不适用时为 null。")
    applicable = serializers.BooleanField()
    gap = serializers.CharField(allow_null=True)


class CommunityRowSerializer(serializers.Serializer):
    """One row of ``compliance/communities/``."""

    code = serializers.CharField()
    name = serializers.CharField()
    street_code = serializers.CharField()
    indicators = serializers.DictField(child=UnitValueSerializer())
    fully_compliant = serializers.BooleanField()
    missing_data = serializers.BooleanField(help_text="该年度没有年度统计数据。")


class StreetRowSerializer(serializers.Serializer):
    """One row of ``compliance/streets/``."""

    code = serializers.CharField()
    name = serializers.CharField()
    county_code = serializers.CharField()
    kind = serializers.ChoiceField(choices=["subdistrict", "town", "township", "other"])
    indicators = serializers.DictField(child=UnitValueSerializer())


def bad_request(field: str, message: str):
    return exceptions.ValidationError({field: [message]})


@extend_schema(
    tags=["达标情况"],
    summary="达标情况汇总",
    description=f"一个区划在一个年度的{INDICATOR_COUNT}项指标、全部达标社区、基本情况和下一级区划（INDICATORS.md）。",
    parameters=[SCOPE_PARAM, YEAR_PARAM, PLAN_PARAM, DATA_PARAM],
    responses={
        200: ComplianceSerializer,
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="未知的规划或超出范围的年度。"),
        404: OpenApiResponse(description="未知的区划，或区划不在当前用户的管辖范围内。"),
    },
)
class ComplianceView(generics.GenericAPIView):
    """``GET compliance/``: the scope's indicators, summary, baseline and children."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None

    def get(self, request):
        query = compliance_params(request.user, request.query_params)
        result = compute_region(
            scope_code=query.scope.code, year=query.year, plan=query.plan, data=query.data
        )
        return Response(region_payload(result, query.plan))


class _RowsView(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = []

    def rows(self, query):
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        query = compliance_params(request.user, request.query_params)
        page = self.paginate_queryset(self.rows(query))
        return self.get_paginated_response(page)


@extend_schema(
    tags=["达标情况"],
    summary="各社区达标情况",
    parameters=[SCOPE_PARAM, YEAR_PARAM, PLAN_PARAM, DATA_PARAM, FAILING_PARAM],
    responses={
        200: CommunityRowSerializer(many=True),
        400: OpenApiTypes.OBJECT,
        404: OpenApiResponse(description="未知的区划，或不在管辖范围内。"),
    },
)
class CommunityComplianceView(_RowsView):
    """``GET compliance/communities/``: one row per community in scope, by code."""

    serializer_class = CommunityRowSerializer

    def rows(self, query):
        failing = self.request.query_params.get("failing")
        if failing not in (None, "") and failing not in {i.code for i in COMMUNITY_INDICATORS}:
            raise BadParameter("failing", f"未知的社区指标：{failing}。")
        rows = community_rows(
            scope_code=query.scope.code, year=query.year, plan=query.plan, data=query.data
        )
        if failing:
            rows = [r for r in rows if not r.indicators[failing].compliant]
        return [community_row_payload(r) for r in rows]


@extend_schema(
    tags=["达标情况"],
    summary="各街道达标情况（街道社区服务中心）",
    parameters=[SCOPE_PARAM, YEAR_PARAM, PLAN_PARAM],
    responses={
        200: StreetRowSerializer(many=True),
        400: OpenApiTypes.OBJECT,
        404: OpenApiResponse(description="未知的区划，或不在管辖范围内。"),
    },
)
class StreetComplianceView(_RowsView):
    """``GET compliance/streets/``: one row per street in scope; 街道 are held to the centre target."""

    serializer_class = StreetRowSerializer

    def rows(self, query):
        rows = street_rows(scope_code=query.scope.code, year=query.year, plan=query.plan)
        return [street_row_payload(r) for r in rows]


def _refuse_control_characters(value, path: str):
    """Refuse control characters anywhere in a plan: its names end up in Excel reports."""
    if isinstance(value, str):
        if CONTROL_CHARACTERS.search(value):
            raise serializers.ValidationError({path: ["不能包含控制字符。"]})
    elif isinstance(value, Mapping):
        for item in value.values():
            _refuse_control_characters(item, path)
    elif isinstance(value, list):
        for item in value:
            _refuse_control_characters(item, path)


class PlanSerializer(serializers.ModelSerializer):
    """A plan with its thresholds (indicator code → decimal string)."""

    code = serializers.SlugField(max_length=32)
    thresholds = serializers.DictField(child=serializers.CharField(), required=False)
    baseline = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)

    class Meta:
        model = Plan
        fields = [
            "code",
            "name",
            "title",
            "document_number",
            "start_year",
            "target_year",
            "thresholds",
            "baseline_year",
            "baseline",
            "is_current",
        ]

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            for key, value in data.items():
                _refuse_control_characters(value, str(key))
        return super().to_internal_value(data)

    def validate_code(self, value):
        if self.instance is not None and value != self.instance.code:
            raise serializers.ValidationError("规划代码不能修改。")
        if self.instance is None and Plan.objects.filter(code=value).exists():
            raise serializers.ValidationError("该规划代码已存在。")
        return value

    def validate_thresholds(self, value):
        errors = threshold_errors(value)
        if errors:
            raise serializers.ValidationError(errors)
        return {code: str(Decimal(str(raw).strip())) for code, raw in value.items()}

    def validate(self, attrs):
        start = attrs.get("start_year", getattr(self.instance, "start_year", None))
        target = attrs.get("target_year", getattr(self.instance, "target_year", None))
        for field, year in (("start_year", start), ("target_year", target)):
            if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
                raise serializers.ValidationError(
                    {field: [f"年度必须在{MIN_YEAR}至{MAX_YEAR}之间。"]}
                )
        if start is not None and target is not None and target < start:
            raise serializers.ValidationError({"target_year": ["目标年度不能早于起始年度。"]})
        return attrs

    def _save(self, plan):
        try:
            return plan_save(plan=plan, user=self.context["request"].user)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None

    def create(self, validated_data):
        return self._save(Plan(**validated_data))

    def update(self, instance, validated_data):
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return self._save(instance)


@extend_schema_view(
    list=extend_schema(tags=["规划"], summary="规划列表"),
    retrieve=extend_schema(tags=["规划"], summary="规划详情"),
    create=extend_schema(tags=["规划"], summary="新建规划（省级管理员）"),
    update=extend_schema(tags=["规划"], summary="修改规划（省级管理员）"),
    partial_update=extend_schema(tags=["规划"], summary="修改规划（省级管理员）"),
    destroy=extend_schema(tags=["规划"], summary="删除规划（省级管理员）"),
)
class PlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """``plans/``: the plans and their thresholds, keyed by code."""

    model = Plan
    serializer_class = PlanSerializer
    # Everyone signed in reads plans; only provincial administrators change them.
    permission_classes = [PolicyPermission]
    lookup_field = "code"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends = []

    def get_queryset(self):
        return Plan.objects.order_by("start_year", "code")

    def destroy(self, request, *args, **kwargs):
        plan = self.get_object()
        try:
            plan_delete(plan=plan, user=request.user)
        except ProtectedError:
            raise bad_request("code", "该规划仍被引用，不能删除。") from None
        except ValueError as exc:
            raise bad_request("code", str(exc)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)
