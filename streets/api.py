"""REST resources ``divisions/`` and ``streets/`` (API.md), keyed by official code."""

from django_filters import rest_framework as filters

from core.api.base import (
    CodeField,
    CodeKeyedSerializer,
    ParentCodeField,
    ScopedFilterSet,
    ScopedModelViewSet,
)

from .models import Division, DivisionLevel, Street, StreetKind


class DivisionSerializer(CodeKeyedSerializer):
    """行政区划：省、市州、县区，按统计用区划代码标识。"""

    code = CodeField(lengths=(2, 4, 6), help_text="统计用区划代码：省2位、市州4位、县区6位。")
    parent_code = ParentCodeField(
        source="parent",
        queryset=Division.objects.all(),
        lengths=(2, 4),
        allow_null=True,
        required=False,
        help_text="上级区划代码；省级为 null。",
    )

    class Meta:
        model = Division
        fields = ["code", "name", "level", "parent_code"]


class DivisionFilter(ScopedFilterSet):
    level = filters.ChoiceFilter(choices=DivisionLevel.choices)
    parent_code = filters.CharFilter(field_name="parent_id", max_length=12)

    class Meta:
        model = Division
        fields = ["level", "parent_code", "scope"]


class DivisionViewSet(ScopedModelViewSet):
    """行政区划（省、市州、县区）；仅省级管理员可以新建、修改、删除。"""

    model = Division
    serializer_class = DivisionSerializer
    filterset_class = DivisionFilter
    lookup_field = "code"


class StreetSerializer(CodeKeyedSerializer):
    """街道（乡镇）：街道办事处、镇、乡或开发区等。"""

    code = CodeField(lengths=(9,), help_text="街道（乡镇）代码，9位，以所属县区代码开头。")
    county_code = ParentCodeField(
        source="county",
        queryset=Division.objects.all(),
        lengths=(6,),
        help_text="所属县区代码（6位）。",
    )

    class Meta:
        model = Street
        fields = ["code", "name", "kind", "county_code"]


class StreetFilter(ScopedFilterSet):
    kind = filters.ChoiceFilter(choices=StreetKind.choices)
    county_code = filters.CharFilter(field_name="county_id", max_length=12)

    class Meta:
        model = Street
        fields = ["kind", "county_code", "scope"]


class StreetViewSet(ScopedModelViewSet):
    """街道（乡镇）；仅省级管理员可以新建、修改、删除。"""

    model = Street
    serializer_class = StreetSerializer
    filterset_class = StreetFilter
    lookup_field = "code"
