"""REST resource ``workers/`` (API.md): community workers."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view

from communities.models import Community
from core.api.base import (
    VERSION_HEADER,
    ModelCleanSerializer,
    ParentCodeField,
    ScopedFilterSet,
    ScopedModelViewSet,
)

from .models import Education, Worker, WorkerRole


class WorkerSerializer(ModelCleanSerializer):
    """社区工作者。"""

    community_code = ParentCodeField(
        source="community", queryset=Community.objects.all(), help_text="社区代码（12位）。"
    )

    class Meta:
        model = Worker
        fields = [
            "id",
            "community_code",
            "name",
            "gender",
            "role",
            "education",
            "social_work_qualification",
            "recruitment",
            "hired_on",
            "left_on",
            "version",
        ]
        read_only_fields = ["version"]


class WorkerFilter(ScopedFilterSet):
    community_code = filters.CharFilter(field_name="community_id", max_length=12)
    role = filters.ChoiceFilter(choices=WorkerRole.choices)
    education = filters.ChoiceFilter(choices=Education.choices)

    class Meta:
        model = Worker
        fields = ["community_code", "scope", "role", "education"]


@extend_schema_view(
    update=extend_schema(parameters=[VERSION_HEADER]),
    partial_update=extend_schema(parameters=[VERSION_HEADER]),
    destroy=extend_schema(parameters=[VERSION_HEADER]),
)
class WorkerViewSet(ScopedModelViewSet):
    """社区工作者；修改、删除时可在请求体带 version 或用 If-Match 头，版本已过期返回 409。"""

    model = Worker
    serializer_class = WorkerSerializer
    filterset_class = WorkerFilter
    versioned = True
