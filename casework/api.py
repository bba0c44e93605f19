"""REST resources ``case-categories/``, ``handling-units/``, ``cases/`` and ``casework/measures/`` (API.md).

The resident's name and phone are write-only: they are read back masked
(``resident_name_masked`` 王*, ``resident_phone_masked`` 138****5678), in full only to a user
with the permission who asks with ``?unmask=1``, and every such read is audited.
"""

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from communities.models import Community
from communities.scopes import scope_param
from core.api.base import (
    VERSION_HEADER,
    ApiSchema,
    ModelCleanSerializer,
    ParentCodeField,
    ScopedFilterSet,
    ScopedModelViewSet,
)
from core.personal import asked_to_unmask, personal_data_audit, unmask_decision

from . import calendar, services
from .measures import compute_measures, measures_payload, parse_period
from .models import Case, CaseCategory, CaseStatus, Channel, HandlingUnit, Satisfaction
from .querysets import overdue_q

# -- categories -------------------------------------------------------------------------------


class CaseCategorySerializer(ModelCleanSerializer):
    """诉求类别及其办理时限（工作日）；省级管理员维护。"""

    class Meta:
        model = CaseCategory
        fields = ["code", "name", "time_limit_working_days"]

    def validate_code(self, value):
        if self.instance is not None and value != self.instance.pk:
            raise serializers.ValidationError("类别代码是记录的标识，不能修改。")
        return value


class CaseCategoryViewSet(ScopedModelViewSet):
    """诉求类别；仅省级管理员可以新增、修改、删除。"""

    model = CaseCategory
    serializer_class = CaseCategorySerializer
    lookup_field = "code"
    pagination_class = None

    def get_queryset(self):
        return CaseCategory.objects.all()


# -- handling units ---------------------------------------------------------------------------


class HandlingUnitSerializer(ModelCleanSerializer):
    """承办单位：区划（县区、街道或社区）代码加可选的部门名称。"""

    code = serializers.CharField(max_length=12, help_text="区划代码（2、4、6、9或12位）。")

    class Meta:
        model = HandlingUnit
        fields = ["id", "code", "department", "name", "version"]
        read_only_fields = ["name", "version"]


class HandlingUnitFilter(ScopedFilterSet):
    class Meta:
        model = HandlingUnit
        fields = ["scope"]


class HandlingUnitViewSet(ScopedModelViewSet):
    """承办单位；民政干部为本辖区设立，省级管理员可设立全部。"""

    model = HandlingUnit
    serializer_class = HandlingUnitSerializer
    filterset_class = HandlingUnitFilter
    versioned = True


# -- cases ------------------------------------------------------------------------------------


class CaseSerializer(ModelCleanSerializer):
    """民情诉求：受理编号、办理期限、状态等只读；居民姓名和电话只写，读取时脱敏。"""

    community_code = ParentCodeField(
        source="community", queryset=Community.objects.all(), help_text="社区代码（12位）。"
    )
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=CaseCategory.objects.all(), help_text="类别代码。"
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    resident_name = serializers.CharField(
        write_only=True, max_length=32, help_text="居民姓名（只写）。"
    )
    resident_phone = serializers.CharField(
        write_only=True,
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="联系电话（只写）。",
    )
    resident_name_masked = serializers.SerializerMethodField(help_text="脱敏姓名，如 王*。")
    resident_phone_masked = serializers.SerializerMethodField(
        help_text="脱敏电话，如 138****5678。"
    )
    accepted_on = serializers.DateField(
        required=False, help_text="受理日期，默认今天，不能晚于今天。"
    )
    is_overdue = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=CaseStatus.choices, read_only=True)
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, read_only=True, allow_null=True
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "community_code",
            "category",
            "channel",
            "description",
            "resident_name",
            "resident_phone",
            "resident_name_masked",
            "resident_phone_masked",
            "address",
            "accepted_on",
            "due_on",
            "calendar_note",
            "status",
            "handling_unit",
            "resolved_on",
            "resolution",
            "satisfaction",
            "reopen_count",
            "is_overdue",
            "version",
        ]
        read_only_fields = [
            "number",
            "due_on",
            "calendar_note",
            "handling_unit",
            "resolved_on",
            "resolution",
            "reopen_count",
            "version",
        ]

    def get_resident_name_masked(self, obj) -> str:
        return obj.resident_name if self.context.get("unmask") else obj.resident_name_masked

    def get_resident_phone_masked(self, obj) -> str:
        return obj.resident_phone if self.context.get("unmask") else obj.resident_phone_masked

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue

    def persist(self, instance):
        user = self.context["request"].user
        if instance.pk is None:
            return services.case_register(case=instance, user=user)
        return services.case_update(
            case=instance, user=user, expected_version=self.context.get("expected_version")
        )


class CaseFilter(ScopedFilterSet):
    community_code = filters.CharFilter(field_name="community_id", max_length=12)
    status = filters.ChoiceFilter(choices=CaseStatus.choices)
    category = filters.CharFilter(field_name="category_id", max_length=32)
    handling_unit = filters.NumberFilter(field_name="handling_unit_id")
    is_overdue = filters.BooleanFilter(method="filter_overdue", label="是否超期")
    accepted_from = filters.DateFilter(field_name="accepted_on", lookup_expr="gte")
    accepted_to = filters.DateFilter(field_name="accepted_on", lookup_expr="lte")

    class Meta:
        model = Case
        fields = [
            "community_code",
            "scope",
            "status",
            "category",
            "handling_unit",
            "is_overdue",
            "accepted_from",
            "accepted_to",
        ]

    def filter_overdue(self, queryset, name, value):
        q = overdue_q(calendar.today())
        return queryset.filter(q) if value else queryset.exclude(q)


def body(name: str, field) -> serializers.Serializer:
    return inline_serializer(
        f"Case{name}",
        {"version": serializers.IntegerField(required=False, min_value=1), **field},
    )


VersionOnly = body("Step", {})
Reason = body("Reason", {"reason": serializers.CharField(max_length=500)})
Dispatch = body("Dispatch", {"handling_unit": serializers.IntegerField()})
Resolve = body("Resolve", {"resolution": serializers.CharField(max_length=2000)})
Rate = body("Rate", {"satisfaction": serializers.ChoiceField(choices=Satisfaction.choices)})
Urge = body("Urge", {"note": serializers.CharField(max_length=500, required=False)})
Extend = body(
    "Extend",
    {"working_days": serializers.IntegerField(min_value=1), "reason": serializers.CharField()},
)
Decide = body("Decide", {"note": serializers.CharField(max_length=500, required=False)})


def step(summary, request):
    return extend_schema(
        request=request, responses=CaseSerializer, parameters=[VERSION_HEADER], summary=summary
    )


UNMASK = OpenApiParameter(
    "unmask",
    OpenApiTypes.BOOL,
    description="为 1 时返回完整姓名和电话（需相应权限，写入审计日志）。",
)


@extend_schema_view(
    list=extend_schema(parameters=[UNMASK]),
    retrieve=extend_schema(parameters=[UNMASK]),
    update=extend_schema(parameters=[VERSION_HEADER]),
    partial_update=extend_schema(parameters=[VERSION_HEADER]),
    destroy=extend_schema(parameters=[VERSION_HEADER]),
)
class CaseViewSet(ScopedModelViewSet):
    """民情诉求：受理 → 分派 → 签收 → 办结 → 回访；每一步带 version，版本过期返回 409。"""

    model = Case
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    versioned = True
    list_select_related = ("category",)
    step_target = "case"
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
            self.request, detail={"model": "casework.case", "pks": [str(i) for i in ids]}
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if self.unmask:
            rows = response.data["results"] if "results" in response.data else response.data
            self._audit_unmask([row["id"] for row in rows])
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if self.unmask:
            self._audit_unmask([response.data["id"]])
        return response

    def _unit(self):
        data = self.request.data if isinstance(self.request.data, dict) else {}
        raw = data.get("handling_unit")
        if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit():
            raise exceptions.ValidationError({"handling_unit": ["请选择承办单位。"]})
        unit = HandlingUnit.objects.filter(pk=int(raw)).first()
        if unit is None:
            raise exceptions.ValidationError({"handling_unit": ["承办单位不存在。"]})
        return unit

    @step("分派", Dispatch)
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_(self, request, pk=None):  # not ``dispatch``: that name is the view's own
        return self.take_step(services.case_dispatch, unit=self._unit())

    @step("签收", VersionOnly)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self.take_step(services.case_accept)

    @step("退单", Reason)
    @action(detail=True, methods=["post"], url_path="send-back", url_name="send-back")
    def send_back(self, request, pk=None):
        return self.take_step(services.case_send_back, reason=self.text_param("reason", "退单理由"))

    @step("上报上级", Reason)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        return self.take_step(services.case_escalate, reason=self.text_param("reason", "上报理由"))

    @step("办结", Resolve)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self.take_step(
            services.case_resolve, resolution=self.text_param("resolution", "办理结果")
        )

    @step("回访（不满意则重办）", Rate)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        return self.take_step(
            services.case_rate, satisfaction=self.text_param("satisfaction", "满意度")
        )

    @step("催办", Urge)
    @action(detail=True, methods=["post"])
    def urge(self, request, pk=None):
        return self.take_step(services.case_urge, note=self.text_param("note", "催办说明"))

    @step("申请延期", Extend)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        data = request.data if isinstance(request.data, dict) else {}
        return self.take_step(
            services.case_extend,
            working_days=data.get("working_days"),
            reason=self.text_param("reason", "延期理由"),
        )

    @step("批准延期", Decide)
    @action(detail=True, methods=["post"], url_path="grant-extension", url_name="grant-extension")
    def grant_extension(self, request, pk=None):
        return self.take_step(services.case_grant_extension, note=self.text_param("note", "说明"))

    @step("不予延期", Decide)
    @action(detail=True, methods=["post"], url_path="refuse-extension", url_name="refuse-extension")
    def refuse_extension(self, request, pk=None):
        return self.take_step(services.case_refuse_extension, note=self.text_param("note", "说明"))


# -- measures ---------------------------------------------------------------------------------

PERIOD_MESSAGE = "请用 year=YYYY、quarter=YYYY-Qn 或 month=YYYY-MM 指定统计期间。"


class MeasuresView(APIView):
    """民情流水线的统计：受理、办结、回访、未办结、超期、按期办结率、满意率等（按受理日期）。"""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    schema = ApiSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter("scope", str, description="区划代码，默认本人辖区。"),
            OpenApiParameter("year", int),
            OpenApiParameter("quarter", str, description="YYYY-Qn"),
            OpenApiParameter("month", str, description="YYYY-MM"),
        ],
        responses=OpenApiTypes.OBJECT,
        summary="民情流水线统计",
    )
    def get(self, request):
        scope = scope_param(request.user, request.query_params.get("scope"))
        params = request.query_params
        period = parse_period(
            year=params.get("year")
            or (None if params.get("month") or params.get("quarter") else calendar.today().year),
            month=params.get("month"),
            quarter=params.get("quarter"),
        )
        if period is None:
            raise exceptions.ValidationError({"period": [PERIOD_MESSAGE]})
        return Response(measures_payload(compute_measures(scope.code, period), scope.name))
