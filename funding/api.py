"""REST resources ``budget-lines/``, ``yearly-targets/`` and ``GET funding/`` (API.md)."""

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, generics, permissions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.base import (
    VERSION_HEADER,
    ModelCleanSerializer,
    ScopedFilterSet,
    ScopedModelViewSet,
    YearFilter,
)
from targets.models import Plan
from targets.params import compliance_params

from . import services
from .models import BudgetLine, CostType, FundSource, YearlyTarget
from .payload import funding_payload
from .rollups import summarise

# -- budget-lines ---------------------------------------------------------------------------


class BudgetLineSerializer(ModelCleanSerializer):
    """专项经费预算：区划（省、市州、县区、街道）、年度、支出类别、资金来源与金额（万元）。"""

    region_code = serializers.CharField(
        max_length=9, help_text="区划代码：省2位、市州4位、县区6位或街道（乡镇）9位。"
    )

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "region_code",
            "year",
            "cost_type",
            "source",
            "budgeted_wan_yuan",
            "allocated_wan_yuan",
            "spent_wan_yuan",
            "status",
            "version",
            "return_reason",
        ]
        read_only_fields = ["status", "version", "return_reason"]

    def persist(self, instance):
        return services.budget_line_save(
            line=instance,
            user=self.context["request"].user,
            expected_version=self.context.get("expected_version"),
        )


class BudgetLineFilter(ScopedFilterSet):
    region_code = filters.CharFilter(field_name="region_code", max_length=9)
    year = YearFilter(field_name="year")
    cost_type = filters.ChoiceFilter(choices=CostType.choices)
    source = filters.ChoiceFilter(choices=FundSource.choices)

    class Meta:
        model = BudgetLine
        fields = ["region_code", "scope", "year", "cost_type", "source"]


ReturnReason = inline_serializer(
    "BudgetLineReturn",
    {
        "reason": serializers.CharField(max_length=500, help_text="退回原因（必填）。"),
        "version": serializers.IntegerField(required=False, min_value=1),
    },
)
VersionOnly = inline_serializer(
    "BudgetLineTransition", {"version": serializers.IntegerField(required=False, min_value=1)}
)


@extend_schema_view(
    update=extend_schema(parameters=[VERSION_HEADER]),
    partial_update=extend_schema(parameters=[VERSION_HEADER]),
    destroy=extend_schema(parameters=[VERSION_HEADER]),
)
class BudgetLineViewSet(ScopedModelViewSet):
    """专项经费预算：本级民政干部录入，上级审核（草稿 → 已上报 → 已审核，或附原因退回）；版本已过期返回 409。"""

    model = BudgetLine
    serializer_class = BudgetLineSerializer
    filterset_class = BudgetLineFilter
    versioned = True
    step_target = "line"

    @extend_schema(
        request=VersionOnly,
        responses=BudgetLineSerializer,
        parameters=[VERSION_HEADER],
        summary="上报审核",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self.take_step(services.budget_line_submit)

    @extend_schema(
        request=VersionOnly,
        responses=BudgetLineSerializer,
        parameters=[VERSION_HEADER],
        summary="审核通过",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.take_step(services.budget_line_approve)

    @extend_schema(
        request=ReturnReason,
        responses=BudgetLineSerializer,
        parameters=[VERSION_HEADER],
        summary="退回修改",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self.take_step(
            services.budget_line_return, reason=self.text_param("reason", "退回原因")
        )


# -- yearly-targets -------------------------------------------------------------------------


class YearlyTargetSerializer(ModelCleanSerializer):
    """年度目标：某规划某指标某区划某年度应达到的达标率（0–1，四位小数）。"""

    plan = serializers.PrimaryKeyRelatedField(
        queryset=Plan.objects.all(), help_text="规划代码（如 12th-five-year）。"
    )
    region_code = serializers.CharField(max_length=9, help_text="区划代码（2、4、6或9位）。")
    rate = serializers.DecimalField(
        max_digits=5, decimal_places=4, help_text='目标达标率，四位小数字符串，如 "0.7000"。'
    )

    class Meta:
        model = YearlyTarget
        fields = ["id", "plan", "indicator", "region_code", "year", "rate", "version"]
        read_only_fields = ["version"]

    def persist(self, instance):
        return services.yearly_target_save(
            target=instance,
            user=self.context["request"].user,
            expected_version=self.context.get("expected_version"),
        )


class YearlyTargetFilter(ScopedFilterSet):
    plan = filters.CharFilter(field_name="plan_id", max_length=32)
    indicator = filters.CharFilter(field_name="indicator", max_length=32)
    year = YearFilter(field_name="year")

    class Meta:
        model = YearlyTarget
        fields = ["plan", "indicator", "scope", "year"]


@extend_schema_view(
    update=extend_schema(parameters=[VERSION_HEADER]),
    partial_update=extend_schema(parameters=[VERSION_HEADER]),
    destroy=extend_schema(parameters=[VERSION_HEADER]),
)
class YearlyTargetViewSet(ScopedModelViewSet):
    """年度目标（规划数据）：省级管理员制定；市州民政干部可为所辖县区制定更严格的目标。"""

    model = YearlyTarget
    serializer_class = YearlyTargetSerializer
    filterset_class = YearlyTargetFilter
    versioned = True


# -- funding summary ------------------------------------------------------------------------


class AmountsSerializer(serializers.Serializer):
    budgeted = serializers.CharField()
    allocated = serializers.CharField()
    spent = serializers.CharField()


class SpecialFundSerializer(serializers.Serializer):
    """本级专项经费（财政补助的预算安排）本年与上年，及与上年相比。"""

    this_year = serializers.CharField(allow_null=True)
    last_year = serializers.CharField(allow_null=True)
    trend = serializers.ChoiceField(choices=["rising", "flat", "falling", "missing"])


class FundingScopeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()


class FundingTotalsSerializer(serializers.Serializer):
    budgeted = serializers.CharField()
    allocated = serializers.CharField()
    spent = serializers.CharField()
    by_cost_type = serializers.DictField(child=AmountsSerializer())
    by_source = serializers.DictField(child=AmountsSerializer())


class FundingChildSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    budgeted = serializers.CharField()
    allocated = serializers.CharField()
    spent = serializers.CharField()
    special_fund = SpecialFundSerializer()
    per_100_households = serializers.CharField(allow_null=True)


class FundingSerializer(serializers.Serializer):
    """The answer of ``funding/`` (API.md)."""

    scope = FundingScopeSerializer()
    year = serializers.IntegerField()
    own = FundingTotalsSerializer(help_text="本级预算（区划代码即本区划）。")
    below = FundingTotalsSerializer(
        help_text="下级合计（含设施资金，计入设施建设与维护的已支出）。"
    )
    special_fund = SpecialFundSerializer()
    per_100_households = serializers.CharField(allow_null=True, help_text="每百户已支出（万元）。")
    per_capita_yuan = serializers.CharField(allow_null=True, help_text="人均已支出（元）。")
    children = FundingChildSerializer(many=True)


@extend_schema(
    tags=["专项经费"],
    summary="专项经费投入",
    parameters=[
        OpenApiParameter(
            "scope", str, description="省、市州、县区或街道代码；默认为当前用户的管辖范围。"
        ),
        OpenApiParameter("year", int, description="年度；默认为规划目标年度。"),
    ],
    responses={
        200: FundingSerializer,
        400: OpenApiTypes.OBJECT,
        404: OpenApiResponse(description="未知的区划，或不在管辖范围内。"),
    },
)
class FundingView(generics.GenericAPIView):
    """``GET funding/``: the scope's own lines, those below, the rule per child, per household."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None
    serializer_class = FundingSerializer

    def get(self, request):
        query = compliance_params(request.user, request.query_params)
        if query.scope.level == "community":
            raise exceptions.ValidationError(
                {"scope": ["专项经费按省、市州、县区和街道（乡镇）统计，请选择街道或以上的区划。"]}
            )
        return Response(funding_payload(summarise(query.scope, query.year)))
