"""REST endpoints of the reporting cycle (API.md, Reporting cycle)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from communities.cycle import APPROVAL_LEVELS
from core.api import django_errors
from core.api.base import PolicyPermission
from core.dates import MAX_YEAR, MIN_YEAR

from .models import ReportingPeriod, default_due_on, default_opens_on
from .params import reporting_params
from .rates import COUNTS, RATES, late_communities, reporting_rates, staff_names
from .services import UnitBlocked, approve_unit, period_delete, period_save

SCOPE_PARAM = OpenApiParameter(
    "scope", str, description="区划、街道或社区代码；默认为当前用户的管辖范围。"
)
YEAR_PARAM = OpenApiParameter("year", int, description="年度；默认为最近一个填报周期的年度。")


def rate_text(value) -> str | None:
    return None if value is None else str(value)


# -- reporting-periods ----------------------------------------------------------------------


class PeriodSerializer(serializers.ModelSerializer):
    """一个年度的填报周期：开始填报日期、截止日期（默认次年1月31日）、审核层级、提前提醒天数。"""

    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)
    opens_on = serializers.DateField(required=False, help_text="默认为当年12月1日。")
    due_on = serializers.DateField(required=False, help_text="默认为次年1月31日。")
    approval_levels = serializers.ListField(
        child=serializers.ChoiceField(choices=APPROVAL_LEVELS),
        required=False,
        help_text='自下而上的审核层级，默认 ["street", "county"]。',
    )
    reminder_days = serializers.IntegerField(required=False, min_value=0, max_value=366)

    class Meta:
        model = ReportingPeriod
        fields = ["year", "opens_on", "due_on", "approval_levels", "reminder_days"]

    def validate_year(self, value):
        if self.instance is not None and value != self.instance.year:
            raise serializers.ValidationError("年度不能修改。")
        if self.instance is None and ReportingPeriod.objects.filter(year=value).exists():
            raise serializers.ValidationError("该年度的填报周期已存在。")
        return value

    def _save(self, period):
        try:
            return period_save(period=period, user=self.context["request"].user)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_errors(exc)) from None

    def create(self, validated_data):
        year = validated_data["year"]
        validated_data.setdefault("opens_on", default_opens_on(year))
        validated_data.setdefault("due_on", default_due_on(year))
        return self._save(ReportingPeriod(**validated_data))

    def update(self, instance, validated_data):
        for key, value in validated_data.items():
            setattr(instance, key, value)
        return self._save(instance)


@extend_schema_view(
    list=extend_schema(tags=["填报周期"], summary="填报周期列表"),
    retrieve=extend_schema(tags=["填报周期"], summary="填报周期详情"),
    create=extend_schema(tags=["填报周期"], summary="新建填报周期（省级管理员）"),
    update=extend_schema(tags=["填报周期"], summary="修改填报周期（省级管理员）"),
    partial_update=extend_schema(tags=["填报周期"], summary="修改填报周期（省级管理员）"),
    destroy=extend_schema(tags=["填报周期"], summary="删除填报周期（省级管理员）"),
)
class PeriodViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """``reporting-periods/``: one period per year, keyed by year."""

    model = ReportingPeriod
    serializer_class = PeriodSerializer
    permission_classes = [PolicyPermission]
    lookup_field = "year"
    lookup_value_regex = "[0-9]{4}"
    filter_backends = []

    def get_queryset(self):
        return ReportingPeriod.objects.order_by("-year")

    def perform_destroy(self, instance):
        period_delete(period=instance, user=self.request.user)


# -- rates ----------------------------------------------------------------------------------


def counts_payload(rates) -> dict:
    body = {"code": rates.code, "name": rates.name, "level": rates.level}
    body.update({name: getattr(rates, name) for name in COUNTS})
    body.update({name: rate_text(rates.rate(name)) for name, _ in RATES})
    return body


def rates_payload(rates, year, period) -> dict:
    body = {
        "scope": {"code": rates.code, "name": rates.name, "level": rates.level},
        "year": year,
        "due_on": period.due_on.isoformat() if period else None,
        "approval_levels": list(period.approval_levels) if period else [],
    }
    body.update({name: getattr(rates, name) for name in COUNTS})
    body.update({name: rate_text(rates.rate(name)) for name, _ in RATES})
    body["children"] = [counts_payload(child) for child in rates.children]
    return body


@extend_schema(
    tags=["填报进度"],
    summary="填报率、审核率与按时上报率",
    parameters=[SCOPE_PARAM, YEAR_PARAM],
    responses={
        200: OpenApiTypes.OBJECT,
        400: OpenApiTypes.OBJECT,
        404: OpenApiResponse(description="未知的区划，或不在管辖范围内。"),
    },
)
class ReportingView(generics.GenericAPIView):
    """``GET reporting/``: expected, entered, submitted, approved and on-time counts with rates."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None
    filter_backends = []

    def get(self, request):
        query = reporting_params(request.user, request.query_params)
        rates = reporting_rates(query.scope, query.year)
        return Response(rates_payload(rates, query.year, query.period))


class LateRowSerializer(serializers.Serializer):
    community_code = serializers.CharField()
    name = serializers.CharField()
    street_code = serializers.CharField()
    street_name = serializers.CharField()
    status = serializers.CharField(allow_null=True, help_text="草稿、已退回等；未填报为 null。")
    submitted_at = serializers.DateTimeField(allow_null=True, help_text="首次上报时间。")
    staff = serializers.ListField(child=serializers.CharField(), help_text="社区工作人员姓名。")


@extend_schema(
    tags=["填报进度"],
    summary="未按时上报的社区",
    parameters=[SCOPE_PARAM, YEAR_PARAM],
    responses={
        200: LateRowSerializer(many=True),
        400: OpenApiTypes.OBJECT,
        404: OpenApiTypes.OBJECT,
    },
)
class LateView(generics.ListAPIView):
    """``GET reporting/late/``: communities not submitted by the due date (or not yet)."""

    permission_classes = [permissions.IsAuthenticated]
    filter_backends = []
    serializer_class = LateRowSerializer

    def list(self, request, *args, **kwargs):
        query = reporting_params(request.user, request.query_params)
        page = self.paginate_queryset(late_communities(query.scope.code, query.year))
        names = staff_names(c.code for c in page)
        rows = [
            {
                "community_code": c.code,
                "name": c.name,
                "street_code": c.street_id,
                "street_name": c.street.name,
                "status": c.stat_status,
                "submitted_at": (
                    timezone.localtime(c.first_submitted_at).isoformat()
                    if c.first_submitted_at
                    else None
                ),
                "staff": names.get(c.code, []),
            }
            for c in page
        ]
        return self.get_paginated_response(rows)


class UnitBody(serializers.Serializer):
    scope = serializers.CharField(max_length=12, help_text="街道或区划代码。")
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)


@extend_schema(
    tags=["填报进度"],
    summary="整体审核本级下的全部统计",
    request=UnitBody,
    responses={
        200: inline_serializer(
            "ApproveUnitResult",
            {
                "level": serializers.CharField(),
                "approved": serializers.ListField(child=serializers.CharField()),
            },
        ),
        403: OpenApiTypes.OBJECT,
        409: inline_serializer(
            "ApproveUnitBlocked", {"blocking": serializers.ListField(child=serializers.CharField())}
        ),
    },
)
class ApproveUnitView(generics.GenericAPIView):
    """``POST reporting/approve-unit/``: approve every waiting row under a unit, or 409 with the rows that hold it back."""

    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None
    filter_backends = []

    def post(self, request):
        body = UnitBody(data=request.data)
        body.is_valid(raise_exception=True)
        query = reporting_params(
            request.user,
            {"scope": body.validated_data["scope"], "year": body.validated_data["year"]},
        )
        try:
            result = approve_unit(scope_code=query.scope.code, year=query.year, user=request.user)
        except UnitBlocked as exc:
            return Response(
                {"detail": str(exc), "blocking": exc.blocking}, status=status.HTTP_409_CONFLICT
            )
        return Response({"level": result.level, "approved": result.approved})
