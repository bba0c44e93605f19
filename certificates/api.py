"""REST resource ``certificates/`` (API.md, volunteer record): issue, read, PDF, revoke."""

from django.http import HttpResponse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404

from core.api.base import VERSION_HEADER, ScopedFilterSet, ScopedModelViewSet
from core.policy import policy_for
from volunteers.api import IdFilter
from volunteers.models import Volunteer, VolunteerOrganization

from . import services
from .models import Certificate, CertificateStatus
from .pdf import certificate_pdf, verify_url


class CertificateSerializer(serializers.ModelSerializer):
    """志愿服务证明；出具后内容固定，只能撤销。"""

    volunteer = serializers.PrimaryKeyRelatedField(
        queryset=Volunteer.objects.all(), help_text="志愿者 id。"
    )
    organization = serializers.PrimaryKeyRelatedField(
        queryset=VolunteerOrganization.objects.all(),
        allow_null=True,
        required=False,
        help_text="出具组织 id；null 表示由社区出具（社区记录的服务）。",
    )
    community_code = serializers.CharField(source="community_id", read_only=True)
    hours = serializers.DecimalField(max_digits=8, decimal_places=1, read_only=True)
    contact = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=50, help_text="联系方式。"
    )
    masked_name = serializers.CharField(read_only=True)
    issuer = serializers.CharField(source="issuer_name", read_only=True)
    revoke_reason = serializers.CharField(read_only=True)
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "number",
            "community_code",
            "volunteer",
            "organization",
            "period_from",
            "period_to",
            "hours",
            "issued_on",
            "check_code",
            "status",
            "masked_name",
            "issuer",
            "revoke_reason",
            "contact",
            "verify_url",
            "version",
        ]
        read_only_fields = ["number", "issued_on", "check_code", "status", "version"]

    def get_verify_url(self, obj) -> str:
        return verify_url(obj, self.context.get("request"))

    def validate_volunteer(self, value):
        user = self.context["request"].user
        if not policy_for(Volunteer).visible_to(user).filter(pk=value.pk).exists():
            raise serializers.ValidationError("志愿者不存在或不在您的管辖范围内。")
        return value

    def create(self, validated_data):
        return services.certificate_issue(user=self.context["request"].user, **validated_data)


class CertificateFilter(ScopedFilterSet):
    volunteer = IdFilter(field_name="volunteer_id")
    community_code = filters.CharFilter(field_name="community_id", max_length=12)
    status = filters.ChoiceFilter(choices=CertificateStatus.choices)

    class Meta:
        model = Certificate
        fields = ["volunteer", "community_code", "scope", "status"]


RevokeReason = inline_serializer(
    "CertificateRevoke",
    {
        "reason": serializers.CharField(max_length=500, help_text="撤销原因（必填）。"),
        "version": serializers.IntegerField(required=False, min_value=1),
    },
)


class CertificateViewSet(ScopedModelViewSet):
    """志愿服务证明：按出具组织已确认的记录出具，编号为 {社区代码}-{年度}-{6位序号}；出具后不能修改或删除，只能附原因撤销。"""

    model = Certificate
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter
    versioned = True
    lookup_field = "number"
    lookup_value_regex = r"[0-9]{12}-[0-9]{4}-[0-9]{6}"
    list_select_related = ("organization",)
    # Edits and deletes stay routed so that they answer the policy's reason (403: frozen).
    step_target = "certificate"

    @extend_schema(
        request=RevokeReason,
        responses=CertificateSerializer,
        parameters=[VERSION_HEADER],
        summary="撤销证明",
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, number=None):
        return self.take_step(
            services.certificate_revoke, reason=self.text_param("reason", "撤销原因")
        )


class CertificatePdfView(viewsets.GenericViewSet):
    """The PDF of one certificate: ``GET certificates/{number}.pdf``."""

    model = Certificate
    permission_classes = ScopedModelViewSet.permission_classes
    schema = ScopedModelViewSet.schema

    def get_queryset(self):
        return policy_for(Certificate).visible_to(self.request.user)

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        summary="下载证明（PDF）",
        operation_id="certificates_pdf",
    )
    def retrieve(self, request, number=None):
        certificate = get_object_or_404(self.get_queryset(), number=number)
        response = HttpResponse(
            certificate_pdf(certificate, request), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="certificate-{certificate.number}.pdf"'
        )
        return response
