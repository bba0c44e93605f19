"""Base classes of the REST API: serializers, filters, permissions, versions, schema, token login.

Every resource viewset of API.md derives from :class:`ScopedModelViewSet`, whose queryset
starts from the record policy's ``visible_to(user)`` (rows outside the caller's code are 404)
and whose permission asks that policy; every serializer derives from
:class:`ModelCleanSerializer`, which saves through the one write path
(``core.services.record_save``: policy, version, ``full_clean()``, history, audit) and answers
field-keyed 400s.
"""

from collections.abc import Mapping

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.utils.module_loading import import_string
from django_filters import rest_framework as filters
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.dates import MAX_YEAR, MIN_YEAR
from core.models import past_date_fields
from core.policy import ADD, CHANGE, DELETE, VIEW, policy_for
from core.scoping import code_is_under, user_scope_code
from core.services import record_delete, record_save
from core.validators import EARLIEST_DATE, text_problem

from . import NON_FIELD_KEY, django_errors
from .parsers import JSONParser

CODE_VALIDATOR = RegexValidator(
    r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$", "区划代码应为2、4、6、9或12位数字。", code="scope"
)
MAX_VERSION = 2**31 - 1


# -- serializers ----------------------------------------------------------------------------


def code_schema(lengths) -> dict:
    """Return the OpenAPI constraints of an official code of one of ``lengths`` digits."""
    lengths = tuple(sorted(lengths))
    alternatives = "|".join(rf"\d{{{n}}}" for n in lengths)
    pattern = rf"^\d{{{lengths[0]}}}$" if len(lengths) == 1 else rf"^({alternatives})$"
    return {"pattern": pattern, "minLength": lengths[0], "maxLength": lengths[-1]}


#: Code lengths by the model a code names (streets.Division: province, prefecture, county).
CODE_LENGTHS_BY_MODEL = {"community": (12,), "street": (9,), "division": (2, 4, 6)}


class CodeField(serializers.CharField):
    """A record's own official code (its key); the schema states its digits and length.

    The model's ``check_code`` is what refuses a wrong code (400, in Chinese); the schema
    says the same so that a client can check before it sends.
    """

    def __init__(self, *, lengths: tuple[int, ...], **kwargs):
        self.code_lengths = lengths
        kwargs.setdefault("max_length", max(lengths))
        kwargs.setdefault("min_length", min(lengths))
        words = "、".join(str(n) for n in lengths)
        kwargs.setdefault(
            "error_messages",
            {"min_length": f"代码应为{words}位数字。", "max_length": f"代码应为{words}位数字。"},
        )
        super().__init__(**kwargs)


class ParentCodeField(serializers.PrimaryKeyRelatedField):
    """A parent addressed by its official code: unknown → 400, outside the caller's write scope → 403.

    ``lengths`` (default: by the parent's model) are the code lengths the schema states.
    """

    default_error_messages = {
        "required": "该字段是必填项。",
        "does_not_exist": "代码“{pk_value}”不存在。",
        "incorrect_type": "代码格式不正确，应为数字字符串。",
    }

    def __init__(self, *, lengths: tuple[int, ...] | None = None, **kwargs):
        kwargs.setdefault("pk_field", serializers.CharField(max_length=12))
        queryset = kwargs.get("queryset")
        model_name = queryset.model._meta.model_name if queryset is not None else ""
        self.code_lengths = lengths or CODE_LENGTHS_BY_MODEL.get(model_name, (2, 4, 6, 9, 12))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str | int) or isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        parent = super().to_internal_value(str(data))
        request = self.context.get("request")
        user = getattr(request, "user", None)
        model = getattr(getattr(self.parent, "Meta", None), "model", None)
        if (
            user is not None
            and model is not None
            and not policy_for(model).can(user, ADD, parent.pk)
        ):
            raise exceptions.PermissionDenied(f"您无权在“{parent}”（{parent.pk}）下写入数据。")
        return parent


def reject_unstorable(value, path: str):
    """Refuse control characters and lone surrogates before they reach a serializer field."""
    problem = text_problem(value)
    if problem:
        raise serializers.ValidationError({path: [problem]})


class ModelCleanSerializer(serializers.ModelSerializer):
    """Validate through the model's ``full_clean()`` and save with ``record_save``.

    DRF's own uniqueness validators are switched off: the model's constraints answer in
    Chinese, in one place for forms, the API and imports.
    """

    # Columns the model derives from other fields (not sent by clients).
    derived_fields: tuple[str, ...] = ()

    def get_validators(self):
        return []

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            for key, value in data.items():
                reject_unstorable(value, str(key))
        return super().to_internal_value(data)

    def api_names(self) -> dict[str, str]:
        """Map model field names to the API's names (``community`` → ``community_code``)."""
        return {
            field.source: name
            for name, field in self.fields.items()
            if field.source not in (name, "*") and "." not in field.source
        }

    def create(self, validated_data):
        return self.save_instance(self.Meta.model(**validated_data))

    def update(self, instance, validated_data):
        for field, value in validated_data.items():
            setattr(instance, field, value)
        return self.save_instance(instance)

    def save_instance(self, instance):
        """Validate and save, turning model errors into API errors."""
        try:
            return self.persist(instance)
        except DjangoValidationError as exc:
            errors = django_errors(exc, self.api_names())
            derived = [key for key in self.derived_fields if key in errors]
            if derived and len(derived) < len(errors):
                # A derived column is only empty because of another field's error: say that one.
                for key in derived:
                    del errors[key]
            raise serializers.ValidationError(errors) from None

    def persist(self, instance):
        """Save ``instance`` through the one write path."""
        return record_save(
            instance=instance,
            user=self.context["request"].user,
            expected_version=self.context.get("expected_version"),
        )


class CodeKeyedSerializer(ModelCleanSerializer):
    """A division, street or community: its code is the key and cannot change afterwards."""

    def validate_code(self, value):
        if self.instance is not None and value != self.instance.pk:
            raise serializers.ValidationError(
                "代码是记录的标识，不能修改；如需更正请删除后重新创建。"
            )
        return value


class CodeFieldSchema(OpenApiSerializerFieldExtension):
    """State an official code's digits and length in the OpenAPI schema."""

    target_class = CodeField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        schema.update(code_schema(self.target.code_lengths))
        return schema


class ParentCodeFieldSchema(CodeFieldSchema):
    target_class = ParentCodeField


class DecimalStringSchema(OpenApiSerializerFieldExtension):
    """State a decimal string's range: no minus sign when it cannot be negative, no more whole
    digits than its maximum has, and the bounds themselves (``x-minimum``, ``x-maximum``,
    which OpenAPI 3.0 cannot put on a string otherwise)."""

    target_class = serializers.DecimalField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        if schema.get("type") != "string" or "pattern" not in schema:
            return schema
        low, high = field.min_value, field.max_value
        whole = field.max_whole_digits
        if high is not None:
            whole = min(whole or 99, len(str(int(abs(high)))))
        sign = "" if low is not None and low >= 0 else "-?"
        schema["pattern"] = rf"^{sign}\d{{0,{whole}}}(?:\.\d{{0,{field.decimal_places}}})?$"
        if low is not None:
            schema["x-minimum"] = str(low)
        if high is not None:
            schema["x-maximum"] = str(high)
        return schema


class PastDateSchema(OpenApiSerializerFieldExtension):
    """State the bounds of a date of something that has happened (registered, opened, hired,
    completed): not before 1949-10-01 (``x-minimum``) nor after today in Asia/Shanghai
    (``x-maximum: "today"``), as ``core.models.not_in_future_error`` refuses. OpenAPI 3.0
    has no bound for a date string, hence the extensions."""

    target_class = serializers.DateField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        model = getattr(getattr(field.parent, "Meta", None), "model", None)
        if model is None or field.source not in past_date_fields(model):
            return schema
        schema["x-minimum"] = EARLIEST_DATE.isoformat()
        schema["x-maximum"] = "today"
        return schema


# -- filters ------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(filters.Filter):
    """A year in the one range every channel accepts (``core.dates``)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


class ScopedFilterSet(filters.FilterSet):
    """Every list's ``scope`` filter: keep what lies under a division, street or community code.

    A code above the caller's own keeps everything the caller sees; one beside it, nothing.
    """

    scope = filters.CharFilter(
        method="filter_scope",
        validators=[CODE_VALIDATOR],
        label="区划代码（省、市州、县区、街道或社区），保留其下的记录",
    )

    def filter_scope(self, queryset, name, value):
        own = user_scope_code(getattr(self.request, "user", None))
        if own and (code_is_under(value, own) or code_is_under(own, value)):
            return queryset  # already the caller's range or the narrower one (get_queryset)
        return queryset.under(value)


# -- permissions ----------------------------------------------------------------------------


# DRF actions that are record actions of the policy; any other action is a workflow step.
POLICY_ACTIONS = {
    "create": ADD,
    "update": CHANGE,
    "partial_update": CHANGE,
    "destroy": DELETE,
    "list": VIEW,
    "retrieve": VIEW,
}


def policy_action(view) -> str:
    """Name the policy's action for a DRF view's request (``return_`` → ``return``)."""
    action = getattr(view, "action", None) or ""
    return POLICY_ACTIONS.get(action, action.rstrip("_"))


class PolicyPermission(BasePermission):
    """Ask the record policy of the view's model (DESIGN.md, roles; ``core.policy``).

    Reads: the roles the policy lets see the records (rows come from its ``visible_to``).
    Writes: ``add`` for a create, ``change`` / ``delete`` for a row, and a workflow action
    (``submit``, ``approve`` …) by its name, checked per row.
    """

    message = "您的角色无权执行该操作。"

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        policy = policy_for(view.model)
        if request.method in SAFE_METHODS:
            return policy.can(user, VIEW)
        action = policy_action(view)
        if not policy.can(user, action):
            self.message = policy.message(action)
            return False
        return True

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        policy = policy_for(view.model)
        action = policy_action(view)
        if not policy.can(request.user, action, obj):
            self.message = policy.message(action, obj)
            return False
        return True


# -- schema ----------------------------------------------------------------------------------

ErrorDetail = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})
FieldErrors = inline_serializer(
    "FieldErrors",
    {NON_FIELD_KEY: serializers.ListField(child=serializers.CharField(), required=False)},
)
StaleVersion = inline_serializer(
    "StaleVersion", {"detail": serializers.CharField(), "version": serializers.IntegerField()}
)


class ApiSchema(AutoSchema):
    """Add the contract's error answers (400, 401, 403, 404, 409) to each operation."""

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if direction != "response":
            return bodies
        view = self.view
        errors = {"401": ErrorDetail, "403": ErrorDetail}
        if self.method in ("POST", "PUT", "PATCH") or not self._is_list_view():
            errors["400"] = FieldErrors
        if "{" in self.path:
            errors["404"] = ErrorDetail
        if self.method in ("PUT", "PATCH", "DELETE", "POST") and getattr(view, "versioned", False):
            if "{" in self.path:
                errors["409"] = StaleVersion
        for code, serializer in errors.items():
            bodies.setdefault(code, self._get_response_for_code(serializer, code))
        return bodies


VERSION_HEADER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="乐观锁版本号（也可在请求体中以 version 字段提供）；与当前版本不一致时返回 409。",
)


# -- viewsets -----------------------------------------------------------------------------


class ScopedModelViewSet(viewsets.ModelViewSet):
    """List, detail, create, update and delete over ``Model.objects.visible_to(user)``."""

    model = None
    versioned = False
    list_select_related: tuple[str, ...] = ()
    permission_classes = [IsAuthenticated, PolicyPermission]
    # API.md: JSON in and out. No browsable HTML either: its forms would list every parent
    # (communities, organisations) of the province in drop-downs, outside the caller's scope.
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    schema = ApiSchema()
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        queryset = policy_for(self.model).visible_to(self.request.user)
        scope = self.request.query_params.get("scope", "")
        own = user_scope_code(self.request.user)
        if (
            self.action == "list"
            and own
            and scope.isdigit()
            and scope != own
            and code_is_under(scope, own)
        ):
            # A ``scope`` inside the caller's own: start from that one range, not two on the
            # same column, which SQLite cannot combine into one index range.
            queryset = self.model.objects.under(scope)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset

    def expected_version(self) -> int | None:
        """Read the ``version`` the client based its edit on (body, else ``If-Match``)."""
        if not self.versioned:
            return None
        raw = None
        data = self.request.data
        if isinstance(data, Mapping) and "version" in data:
            raw = data.get("version")
        elif self.request.headers.get("If-Match"):
            raw = self.request.headers["If-Match"].strip().removeprefix("W/").strip('"')
        if raw is None or raw == "":
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | str):
            raise exceptions.ValidationError({"version": ["版本号必须是正整数。"]})
        text = str(raw).strip()
        if not text.isdigit() or not 0 < int(text) <= MAX_VERSION:
            raise exceptions.ValidationError({"version": ["版本号必须是正整数。"]})
        return int(text)

    # The keyword by which the app's transition services take the row (``stat=``, ``case=``).
    step_target = "instance"

    def take_step(self, service, **params):
        """Run a workflow transition service on the requested row; answer with the row as saved."""
        row = self.get_object()
        saved = service(
            **{self.step_target: row},
            user=self.request.user,
            expected_version=self.expected_version(),
            **params,
        )
        return Response(self.get_serializer(saved).data)

    def text_param(self, name: str, label: str) -> str:
        """Read a text field of a JSON body (missing: empty); 400 for anything but text."""
        data = self.request.data if isinstance(self.request.data, Mapping) else {}
        value = data.get(name, "")
        if not isinstance(value, str):
            raise exceptions.ValidationError({name: [f"{label}必须是文字。"]})
        return value

    def perform_create(self, serializer):
        serializer.save()

    def perform_update(self, serializer):
        serializer.context["expected_version"] = self.expected_version()
        serializer.save()

    def perform_destroy(self, instance):
        record_delete(
            instance=instance, user=self.request.user, expected_version=self.expected_version()
        )


# -- token login -----------------------------------------------------------------------------


class TokenLoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, label="用户名")
    password = serializers.CharField(
        max_length=256, label="密码", style={"input_type": "password"}, trim_whitespace=False
    )
    otp = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        label="动态口令",
        help_text="须双因素认证的用户（管理员、民政干部）填写身份验证器中的6位数字。",
    )


class TokenLoginView(APIView):
    """``POST {"username", "password"}`` → ``{"token"}``; the login lockout applies (django-axes)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    schema = ApiSchema()
    locked_message = "登录失败次数过多，该账号已在本地址锁定30分钟，请稍后再试或联系管理员。"

    @extend_schema(
        request=TokenLoginSerializer,
        responses={
            200: inline_serializer("TokenAnswer", {"token": serializers.CharField()}),
            400: FieldErrors,
            429: ErrorDetail,
        },
        auth=[],
        summary="用户名和密码换取令牌",
    )
    def post(self, request):
        serializer = TokenLoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # django-axes needs the Django request itself: it counts failures and locks from it.
        django_request = request._request
        user = authenticate(
            request=django_request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        credentials = get_credentials(username=serializer.validated_data["username"])
        if getattr(django_request, "axes_locked_out", False) or (
            user is None and AxesProxyHandler.is_locked(django_request, credentials)
        ):
            # Answer in JSON here instead of letting the middleware render the HTML page.
            django_request.axes_locked_out = False
            return Response(
                {"detail": self.locked_message}, status=status.HTTP_429_TOO_MANY_REQUESTS
            )
        if user is None or not user.is_active:
            raise exceptions.ValidationError({NON_FIELD_KEY: ["用户名或密码不正确。"]})
        # The second factor (settings.SECOND_FACTOR_CHECK, accounts.otp): core names no app.
        second_factor_check = import_string(settings.SECOND_FACTOR_CHECK)
        try:
            second_factor_check(user, serializer.validated_data.get("otp"), request=django_request)
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"otp": error.messages}) from None
        user_logged_in.send(sender=type(user), request=django_request, user=user)
        # A new token for every login (core.api.tokens): it expires and can be revoked.
        from .tokens import token_issue

        return Response({"token": token_issue(user)})
