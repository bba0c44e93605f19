"""REST resources ``volunteer-organizations/``, ``volunteers/`` and ``service-records/`` (API.md).

ID numbers and phone numbers are write-only in effect: they are read back masked
(``620102********1234``, ``138****5678``). A user allowed to see personal data may ask for the
full values with ``?unmask=1``; every such read is written to the audit log (without the numbers).
"""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

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
from core.policy import ADD, policy_for
from core.validators import mask_phone, normalize_id_number

from . import services
from .models import (
    OrganizationRegistration,
    Rating,
    RecordStatus,
    ServiceCategory,
    ServiceRecord,
    StarThreshold,
    TransferRequest,
    TransferStatus,
    Volunteer,
    VolunteerOrganization,
)
from .querysets import star_level_of

MAX_ID = 2**63 - 1  # the largest id a database column holds

# -- volunteer-organizations ----------------------------------------------------------------


class VolunteerOrganizationSerializer(ModelCleanSerializer):
    """社区志愿者组织。"""

    community_code = ParentCodeField(
        source="community", queryset=Community.objects.all(), help_text="社区代码（12位）。"
    )

    manager_name = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="负责人姓名。"
    )
    volunteer_count = serializers.SerializerMethodField(help_text="本年度末在册的志愿者人数。")
    hours_this_year = serializers.SerializerMethodField(
        help_text="本年度已确认的服务时长（小时，一位小数的字符串）。"
    )

    class Meta:
        model = VolunteerOrganization
        fields = [
            "id",
            "community_code",
            "name",
            "registered_on",
            "dissolved_on",
            "registration_status",
            "registration_number",
            "manager",
            "manager_name",
            "contact_phone",
            "volunteer_count",
            "hours_this_year",
            "version",
        ]
        read_only_fields = ["version", "manager"]
        extra_kwargs = {
            "registration_status": {"choices": OrganizationRegistration.choices},
        }

    def _activity(self, obj):
        if not hasattr(obj, "volunteer_count"):
            year = timezone.localdate().year
            fresh = VolunteerOrganization.objects.with_activity(year).get(pk=obj.pk)
            obj.volunteer_count, obj.hours_this_year = fresh.volunteer_count, fresh.hours_this_year
        return obj

    def get_volunteer_count(self, obj) -> int:
        return self._activity(obj).volunteer_count

    def get_hours_this_year(self, obj) -> str:
        return f"{self._activity(obj).hours_this_year:.1f}"

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["contact_phone"] = mask_phone(instance.contact_phone) if instance.contact_phone else ""
        return data


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

    def get_queryset(self):
        return super().get_queryset().with_activity(timezone.localdate().year)


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
    confirmed_hours = serializers.SerializerMethodField(
        help_text="累计已确认的服务时长（小时，一位小数的字符串）。"
    )
    hours_this_year = serializers.SerializerMethodField(
        help_text="本年度已确认的服务时长（小时，一位小数的字符串）。"
    )
    star_level = serializers.SerializerMethodField(
        help_text="星级（0–5），按累计已确认时长和星级标准。"
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
            "confirmed_hours",
            "hours_this_year",
            "star_level",
            "version",
        ]
        read_only_fields = ["version"]

    def get_id_number_masked(self, obj) -> str:
        return obj.id_number_masked

    def _hours(self, obj) -> Decimal:
        # Lists annotate the sums; a row just written is counted here.
        value = getattr(obj, "confirmed_hours", None)
        if value is None:
            value = obj.service_records.confirmed().hours_total()
            obj.confirmed_hours = value
        return value

    def get_confirmed_hours(self, obj) -> str:
        return f"{self._hours(obj):.1f}"

    def get_hours_this_year(self, obj) -> str:
        value = getattr(obj, "hours_this_year", None)
        if value is None:
            year = timezone.localdate().year
            value = obj.service_records.confirmed().served_in(year).hours_total()
        return f"{value:.1f}"

    def get_star_level(self, obj) -> int:
        value = getattr(obj, "star_level", None)
        if value is None:
            value = star_level_of(self._hours(obj), StarThreshold.objects.pairs())
        return value

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
    star_level = filters.NumberFilter(
        method="filter_star_level", label="星级（0–5）", min_value=0, max_value=5
    )
    active = filters.BooleanFilter(method="filter_active", label="近12个月内有已确认的服务")

    class Meta:
        model = Volunteer
        fields = ["community_code", "scope", "is_party_member", "registered_year"]

    def filter_star_level(self, queryset, name, value):
        return queryset.with_star(int(value))

    def filter_active(self, queryset, name, value):
        active = Volunteer.objects.active_in_last_year(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=active) if value else queryset.exclude(pk__in=active)

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

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.method == "GET" and not getattr(self, "swagger_fake_view", False):
            queryset = queryset.with_star_level().with_hours_in(timezone.localdate().year)
        return queryset

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


# -- service-records ------------------------------------------------------------------------


class ServiceRecordSerializer(ModelCleanSerializer):
    """志愿服务记录；只有已确认（confirmed）的记录计入时长、星级和证明。"""

    volunteer = serializers.PrimaryKeyRelatedField(
        queryset=Volunteer.objects.all(), help_text="志愿者 id。"
    )
    organization = serializers.PrimaryKeyRelatedField(
        queryset=VolunteerOrganization.objects.all(),
        allow_null=True,
        required=False,
        help_text="记录组织 id（志愿者所在社区的志愿者组织），null 表示由社区记录。",
    )
    hours = serializers.DecimalField(
        max_digits=3,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("24"),
        help_text="实际服务时长（小时，不含路途），0.5–24，以0.5为单位。",
    )
    recorder = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="记录人（用户名）。"
    )

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "volunteer",
            "organization",
            "activity",
            "served_on",
            "place",
            "people_served",
            "beneficiaries",
            "content",
            "hours",
            "category",
            "leader",
            "rating",
            "status",
            "status_reason",
            "recorder",
            "version",
        ]
        read_only_fields = ["status", "status_reason", "recorder", "version"]

    def create(self, validated_data):
        record = ServiceRecord(recorder=self.context["request"].user, **validated_data)
        return self.save_instance(record)


class IdFilter(filters.Filter):
    """An object id: a whole number the database can hold (anything else is a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ServiceRecordFilter(ScopedFilterSet):
    volunteer = IdFilter(field_name="volunteer_id")
    organization = IdFilter(field_name="organization_id")
    community_code = filters.CharFilter(field_name="volunteer__community_id", max_length=12)
    status = filters.ChoiceFilter(choices=RecordStatus.choices)
    served_from = filters.DateFilter(field_name="served_on", lookup_expr="gte")
    served_to = filters.DateFilter(field_name="served_on", lookup_expr="lte")

    class Meta:
        model = ServiceRecord
        fields = [
            "volunteer",
            "organization",
            "community_code",
            "scope",
            "status",
            "served_from",
            "served_to",
        ]


RecordVersion = inline_serializer(
    "ServiceRecordTransition", {"version": serializers.IntegerField(required=False, min_value=1)}
)
RecordReason = inline_serializer(
    "ServiceRecordReason",
    {
        "reason": serializers.CharField(max_length=500, help_text="理由（必填）。"),
        "version": serializers.IntegerField(required=False, min_value=1),
    },
)


class BulkLineSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="志愿者 id。")
    hours = serializers.CharField(help_text='服务时长（小时），如 "2.5"。')


class BulkEntrySerializer(serializers.Serializer):
    """One activity, many volunteers: the shared fields and one line per volunteer."""

    organization = serializers.PrimaryKeyRelatedField(
        queryset=VolunteerOrganization.objects.all(), allow_null=True, required=False
    )
    activity = serializers.CharField(max_length=200)
    served_on = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    people_served = serializers.IntegerField(min_value=0, required=False)
    beneficiaries = serializers.CharField(max_length=100, required=False, allow_blank=True)
    content = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=ServiceCategory.choices)
    leader = serializers.CharField(max_length=50, required=False, allow_blank=True)
    rating = serializers.ChoiceField(choices=Rating.choices, required=False, allow_blank=True)
    volunteers = BulkLineSerializer(many=True, allow_empty=False, max_length=services.BULK_MAX)


@extend_schema_view(**VERSIONED_EDITS)
class ServiceRecordViewSet(ScopedModelViewSet):
    """志愿服务记录：待确认 → 已确认；志愿者可申请更正（disputed），处理后确认或不予确认。
    修改、删除时可在请求体带 version 或用 If-Match 头，版本已过期返回 409。"""

    model = ServiceRecord
    serializer_class = ServiceRecordSerializer
    filterset_class = ServiceRecordFilter
    versioned = True
    list_select_related = ("recorder",)
    step_target = "record"

    @extend_schema(
        request=RecordVersion,
        responses=ServiceRecordSerializer,
        parameters=[VERSION_HEADER],
        summary="确认记录",
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self.take_step(services.service_record_confirm)

    @extend_schema(
        request=RecordReason,
        responses=ServiceRecordSerializer,
        parameters=[VERSION_HEADER],
        summary="申请更正",
    )
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        return self.take_step(
            services.service_record_dispute, reason=self.text_param("reason", "更正理由")
        )

    @extend_schema(
        request=RecordReason,
        responses=ServiceRecordSerializer,
        parameters=[VERSION_HEADER],
        summary="不予确认",
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self.take_step(
            services.service_record_refuse, reason=self.text_param("reason", "不予确认理由")
        )

    @extend_schema(
        request=BulkEntrySerializer,
        responses={201: ServiceRecordSerializer(many=True)},
        summary="批量录入同一活动",
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        policy_for(ServiceRecord).require(request.user, ADD)
        entry = BulkEntrySerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        data = dict(entry.validated_data)
        lines = [dict(line) for line in data.pop("volunteers")]
        try:
            records = services.service_records_bulk_create(
                user=request.user, activity=data, lines=lines
            )
        except services.BulkEntryError as exc:
            raise serializers.ValidationError(exc.as_body()) from None
        return Response(
            ServiceRecordSerializer(records, many=True, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


# -- 志愿者转移 -------------------------------------------------------------------------------


class TransferRequestSerializer(serializers.ModelSerializer):
    """志愿者转移申请：转入社区凭完整身份证号码申请；审核通过前不返回志愿者的任何登记信息。"""

    to_community_code = ParentCodeField(
        source="to_community",
        queryset=Community.objects.all(),
        help_text="转入社区代码（12位）。",
    )
    id_number = serializers.CharField(
        write_only=True,
        min_length=18,
        max_length=18,
        help_text="志愿者的完整身份证号码（只写）。",
    )
    id_number_masked = serializers.CharField(read_only=True)
    volunteer = serializers.SerializerMethodField(help_text="志愿者 id；无权查看时为 null。")
    from_community_code = serializers.SerializerMethodField(
        help_text="转出社区代码；无权查看志愿者时为 null。"
    )
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    requested_at = serializers.DateTimeField(source="created_at", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = TransferRequest
        fields = [
            "id",
            "to_community_code",
            "id_number",
            "id_number_masked",
            "reason",
            "status",
            "volunteer",
            "from_community_code",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "version",
        ]
        read_only_fields = ["status", "decided_at", "decision_reason", "version"]

    def get_validators(self):
        return []

    def _shows(self, obj) -> bool:
        user = self.context["request"].user
        return policy_for(TransferRequest).can_see_volunteer(user, obj)

    def get_volunteer(self, obj) -> int | None:
        return obj.volunteer_id if self._shows(obj) else None

    def get_from_community_code(self, obj) -> str | None:
        return obj.from_community_id if self._shows(obj) else None

    def create(self, validated_data):
        from django.core.exceptions import ValidationError as DjangoValidationError

        from core.api import django_errors

        try:
            return services.transfer_request_create(
                user=self.context["request"].user,
                to_community=validated_data["to_community"],
                id_number=validated_data["id_number"],
                reason=validated_data["reason"],
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                django_errors(exc, {"to_community": "to_community_code"})
            ) from None


class TransferRequestFilter(ScopedFilterSet):
    status = filters.ChoiceFilter(choices=TransferStatus.choices)
    to_community_code = filters.CharFilter(field_name="to_community_id", max_length=12)

    class Meta:
        model = TransferRequest
        fields = ["scope", "status", "to_community_code"]


TransferDecision = inline_serializer(
    "VolunteerTransferDecision",
    {
        "reason": serializers.CharField(
            max_length=500, required=False, help_text="审核意见（不同意时必填）。"
        ),
        "version": serializers.IntegerField(required=False, min_value=1),
    },
)
TransferVersion = inline_serializer(
    "VolunteerTransferWithdraw",
    {"version": serializers.IntegerField(required=False, min_value=1)},
)


class TransferRequestViewSet(ScopedModelViewSet):
    """志愿者转移申请：转入社区的社区工作人员申请，转出社区所在街道或覆盖两社区的上级审核；
    申请提交后不能修改或删除，只能撤回。"""

    model = TransferRequest
    serializer_class = TransferRequestSerializer
    filterset_class = TransferRequestFilter
    versioned = True
    step_target = "transfer"
    # Edits and deletes stay routed so that they answer the policy's reason (403).
    list_select_related = ("volunteer", "requested_by", "decided_by")

    @extend_schema(
        request=TransferDecision,
        responses=TransferRequestSerializer,
        parameters=[VERSION_HEADER],
        summary="同意转移",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.take_step(
            services.transfer_approve, reason=self.text_param("reason", "审核意见")
        )

    @extend_schema(
        request=TransferDecision,
        responses=TransferRequestSerializer,
        parameters=[VERSION_HEADER],
        summary="不同意转移",
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self.take_step(
            services.transfer_refuse, reason=self.text_param("reason", "审核意见")
        )

    @extend_schema(
        request=TransferVersion,
        responses=TransferRequestSerializer,
        parameters=[VERSION_HEADER],
        summary="撤回申请",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self.take_step(services.transfer_withdraw)
