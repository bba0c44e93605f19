"""REST resources ``assessment-schemes/`` and ``assessments/`` (API.md, Assessment)."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import django_errors
from core.api.base import (
    VERSION_HEADER,
    ModelCleanSerializer,
    ScopedFilterSet,
    ScopedModelViewSet,
    YearFilter,
)

from . import services
from .methods import Method
from .models import Assessment, Grade, ItemScore, Level, Scheme, SchemeItem, Status
from .ranking import scheme_ranking


def two(value) -> str | None:
    return None if value is None else f"{value:.2f}"


# -- schemes -----------------------------------------------------------------------------------


class SchemeItemSerializer(serializers.ModelSerializer):
    method = serializers.ChoiceField(choices=Method.choices)
    params = serializers.JSONField(required=False)

    class Meta:
        model = SchemeItem
        fields = ["code", "name", "points", "method", "params", "standard"]
        extra_kwargs = {"standard": {"required": False}}

    def get_validators(self):
        return []


class GradeBandSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=Grade.choices)
    min_score = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0)


class SchemeSerializer(ModelCleanSerializer):
    """考核方案：年度、考核对象层级、基本分、等次划分、优秀比例和考核项。"""

    level = serializers.ChoiceField(choices=Level.choices)
    grades = GradeBandSerializer(many=True, required=False)
    items = SchemeItemSerializer(many=True, required=False)

    class Meta:
        model = Scheme
        fields = [
            "id",
            "year",
            "level",
            "name",
            "base_score",
            "grades",
            "excellent_quota",
            "items",
            "version",
        ]
        read_only_fields = ["version"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["grades"] = [
            {"grade": band["grade"], "min_score": f"{float(band['min_score']):.2f}"}
            for band in instance.grades
        ]
        return data

    def _save(self, instance, validated_data):
        items = validated_data.pop("items", None)
        grades = validated_data.pop("grades", None)
        for field, value in validated_data.items():
            setattr(instance, field, value)
        if grades is not None:
            instance.grades = [
                {"grade": g["grade"], "min_score": str(g["min_score"])} for g in grades
            ]
        try:
            return services.scheme_save(
                scheme=instance,
                items=[dict(i) for i in items] if items is not None else None,
                user=self.context["request"].user,
                expected_version=self.context.get("expected_version"),
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_errors(exc)) from None

    def create(self, validated_data):
        if "items" not in validated_data:
            validated_data["items"] = []
        return self._save(Scheme(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


class SchemeFilter(filters.FilterSet):
    year = YearFilter(field_name="year")
    level = filters.ChoiceFilter(choices=Level.choices)

    class Meta:
        model = Scheme
        fields = ["year", "level"]


RankingAnswer = inline_serializer(
    "AssessmentRanking",
    {
        "scheme": serializers.DictField(),
        "count": serializers.IntegerField(),
        "results": serializers.ListField(child=serializers.DictField()),
    },
)


@extend_schema_view(
    update=extend_schema(parameters=[VERSION_HEADER]),
    partial_update=extend_schema(parameters=[VERSION_HEADER]),
    destroy=extend_schema(parameters=[VERSION_HEADER]),
)
class SchemeViewSet(ScopedModelViewSet):
    """考核方案（省级管理员制定）；排名见 ranking/，发起考核见 launch/。"""

    model = Scheme
    serializer_class = SchemeSerializer
    filterset_class = SchemeFilter
    versioned = True

    def get_queryset(self):
        return super().get_queryset().prefetch_related("items")

    @extend_schema(responses=RankingAnswer, summary="考核排名")
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        scheme = self.get_object()
        items = list(scheme.items.all())
        rows = scheme_ranking(scheme, request.user, items=items)
        return Response(
            {
                "scheme": {
                    "id": scheme.pk,
                    "year": scheme.year,
                    "level": scheme.level,
                    "name": scheme.name,
                },
                "count": len(rows),
                "results": [ranking_row(row, items) for row in rows],
            }
        )

    @extend_schema(
        request=inline_serializer("AssessmentLaunch", {}),
        responses=inline_serializer("AssessmentLaunched", {"created": serializers.IntegerField()}),
        summary="发起考核（为该层级每个单位建立考核）",
    )
    @action(detail=True, methods=["post"])
    def launch(self, request, pk=None):
        scheme = self.get_object()
        return Response({"created": services.scheme_launch(scheme=scheme, user=request.user)})


def ranking_row(row, items) -> dict:
    a = row.assessment
    return {
        "id": a.pk,
        "rank": a.rank if a.status == Status.FINAL else None,
        "unit_code": a.unit_code,
        "unit_name": a.unit_name,
        "status": a.status,
        "total": two(a.total),
        "grade": a.grade or None,
        "is_vetoed": a.is_vetoed,
        "last_year_total": two(row.last_total),
        "change": two(row.change),
        "scores": {
            item.code: two(row.scores[item.code].effective) if item.code in row.scores else None
            for item in items
        },
    }


# -- assessments ------------------------------------------------------------------------------


class ScoreSerializer(serializers.ModelSerializer):
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)
    name = serializers.CharField(source="item.name", read_only=True)
    points = serializers.DecimalField(
        source="item.points", max_digits=6, decimal_places=2, read_only=True
    )
    method = serializers.CharField(source="item.method", read_only=True)
    effective = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = ItemScore
        fields = [
            "item",
            "name",
            "points",
            "method",
            "computed",
            "score",
            "reason",
            "evidence",
            "effective",
            "self_score",
            "self_deductions",
            "deductions",
            "vetoed",
            "frozen",
            "figures",
            "files",
        ]
        read_only_fields = fields

    def get_effective(self, obj) -> str:
        return two(obj.effective)

    def get_files(self, obj) -> list[str]:
        return [str(f) for f in obj.files.all()]


class AssessmentSerializer(serializers.ModelSerializer):
    """一个单位在一个方案中的考核：得分、总分、等次，定等后有名次。"""

    scheme = serializers.PrimaryKeyRelatedField(read_only=True)
    scores = ScoreSerializer(many=True, read_only=True)
    rank = serializers.SerializerMethodField()
    grade = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "scheme",
            "unit_code",
            "unit_name",
            "status",
            "scores",
            "total",
            "grade",
            "rank",
            "is_vetoed",
            "version",
        ]
        read_only_fields = fields

    def get_rank(self, obj) -> int | None:
        return obj.rank if obj.status == Status.FINAL else None

    def get_grade(self, obj) -> str | None:
        return obj.grade or None


class AssessmentFilter(ScopedFilterSet):
    scheme = filters.NumberFilter(field_name="scheme_id")
    status = filters.ChoiceFilter(choices=Status.choices)

    class Meta:
        model = Assessment
        fields = ["scheme", "scope", "status"]


ScoresBody = inline_serializer(
    "AssessmentScores",
    {
        "version": serializers.IntegerField(required=False, min_value=1),
        "scores": serializers.ListField(child=serializers.DictField(), required=False),
    },
)


def step(summary):
    return extend_schema(
        request=ScoresBody,
        responses=AssessmentSerializer,
        parameters=[VERSION_HEADER],
        summary=summary,
    )


@extend_schema_view(
    partial_update=extend_schema(request=ScoresBody, parameters=[VERSION_HEADER]),
    update=extend_schema(request=ScoresBody, parameters=[VERSION_HEADER]),
)
class AssessmentViewSet(ScopedModelViewSet):
    """考核：自评 → 上级评分 → 省级复核 → 定等；每一步带 version，版本过期返回 409。"""

    model = Assessment
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    versioned = True
    step_target = "assessment"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related("scores__item", "scores__files")
            .order_by("scheme_id", "unit_code")
        )

    def _entries(self):
        data = self.request.data if isinstance(self.request.data, Mapping) else {}
        entries = data.get("scores")
        if entries is not None and not isinstance(entries, list):
            raise exceptions.ValidationError({"scores": ["得分应为列表。"]})
        return entries

    def create(self, request, *args, **kwargs):
        raise exceptions.PermissionDenied(
            "考核由省级管理员按方案发起：POST assessment-schemes/{id}/launch/。"
        )

    def update(self, request, *args, **kwargs):
        row = self.get_object()
        with transaction.atomic():
            saved = services.assessment_enter(
                assessment=row,
                user=request.user,
                entries=self._entries() or [],
                expected_version=self.expected_version(),
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=saved.pk)).data)

    def take_step(self, service, **params):
        row = self.get_object()
        saved = service(
            assessment=row,
            user=self.request.user,
            expected_version=self.expected_version(),
            **params,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=saved.pk)).data)

    @step("提交自评")
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self.take_step(services.assessment_submit, entries=self._entries())

    @step("上级评分")
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        return self.take_step(services.assessment_score, entries=self._entries())

    @step("省级复核")
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self.take_step(services.assessment_review, entries=self._entries())

    @step("定等")
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        return self.take_step(services.assessment_finalise)
