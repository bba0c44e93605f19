"""Create, edit and delete views shared by every kind of record a community keeps.

Each view starts from the record policy's ``visible_to(user)`` queryset (outside → 404), asks
the policy before a write (→ 403 with its Chinese reason), and saves through
``core.services.record_save``/``record_delete`` so the version check, validation, history
and audit apply. A stale version is refused and the user's input stays on the form.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from .history import history_key
from .policy import ADD, CHANGE, DELETE, policy_for
from .services import StaleVersionError, record_delete, record_save

NO_WRITE_MESSAGE = "您无权执行该操作。"


CONFLICT_MESSAGE = (
    "保存失败：与他人同时提交的记录冲突（如同一年度或同名记录），请刷新后核对再保存。"
)


def forbidden_page(request, exception) -> HttpResponse:
    """Render the 403 page with the reason the write was refused."""
    message = str(exception) or NO_WRITE_MESSAGE
    return render(request, "core/forbidden.html", {"message": message}, status=403)


def explain_forbidden(view):
    """Answer a PermissionDenied raised by ``view`` with a 403 page that says why."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exception:
            return forbidden_page(request, exception)

    return wrapper


class ExplainForbiddenMixin:
    """Class-based version of ``explain_forbidden``."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as exception:
            return forbidden_page(request, exception)


class RecordFormMixin:
    """What the create and edit views share: the form, its page and the save."""

    model = None
    form_class = None
    template_name = "core/record_form.html"

    @property
    def policy(self):
        return policy_for(self.model)

    def save(self, form, user):
        """Validate and save the record and its lines; raise StaleVersionError/ValidationError."""
        with transaction.atomic():
            instance = record_save(
                instance=form.instance, user=user, expected_version=form.expected_version
            )
            form.save_lines(instance, user)
        return instance

    def owner_url(self, instance) -> str:
        """Where to go after saving: the record's place on its community's (or street's) page."""
        return instance.get_absolute_url()

    def render_form(self, request, form, *, community=None, street=None, instance=None):
        verbose = self.model._meta.verbose_name
        context = {
            "form": form,
            "model_name": verbose,
            "object": instance,
            "community": community,
            "street": street,
            "title": f"编辑{verbose}" if instance is not None else f"新增{verbose}",
            "cancel_url": self.owner_url(form.instance),
            "history_key": history_key(self.model) if instance is not None else None,
        }
        context.update(self.extra_context(form))
        return render(request, self.template_name, context)

    def extra_context(self, form) -> dict:
        return {}

    def form_kwargs(self, *, community=None, street=None) -> dict:
        kwargs = {}
        if community is not None:
            kwargs["community"] = community
        if street is not None:
            kwargs["street"] = street
        return kwargs

    def handle_post(self, request, form, **render_kwargs):
        if form.is_valid():
            try:
                instance = self.save(form, request.user)
            except StaleVersionError as error:
                form.add_error(None, error.message)
            except ValidationError as error:
                form.add_model_errors(error)
            except IntegrityError:
                # A concurrent save got in between the checks and the write.
                form.add_error(None, CONFLICT_MESSAGE)
            else:
                verb = "保存" if render_kwargs.get("instance") is not None else "新增"
                messages.success(request, f"已{verb}{self.model._meta.verbose_name}“{instance}”。")
                return redirect(self.owner_url(instance))
        return self.render_form(request, form, **render_kwargs)


class RecordCreateView(ExplainForbiddenMixin, RecordFormMixin, View):
    """Add a record under a parent (a community, or a street) the user may write under."""

    # The record's foreign key to the parent named in the URL.
    parent_field = "community"

    def get_parent(self, request, code):
        parent_model = self.model._meta.get_field(self.parent_field).related_model
        queryset = policy_for(parent_model).visible_to(request.user)
        if self.parent_field == "community":
            queryset = queryset.select_related("street")
        parent = get_object_or_404(queryset, code=code)
        self.policy.require(request.user, ADD, parent.code)
        return {self.parent_field: parent}

    def get(self, request, code):
        parent = self.get_parent(request, code)
        form = self.form_class(**self.form_kwargs(**parent))
        return self.render_form(request, form, **parent)

    def post(self, request, code):
        parent = self.get_parent(request, code)
        form = self.form_class(request.POST, **self.form_kwargs(**parent))
        return self.handle_post(request, form, **parent)


class StreetRecordCreateView(RecordCreateView):
    """Add a record to a street (a street's service centre)."""

    parent_field = "street"


class RecordUpdateView(ExplainForbiddenMixin, RecordFormMixin, View):
    """Edit a record the user may see and write."""

    def get_queryset(self, request):
        return self.policy.visible_to(request.user)

    def get_object(self, request, pk):
        instance = get_object_or_404(self.get_queryset(request), pk=pk)
        self.policy.require(request.user, CHANGE, instance)
        return instance

    def parents(self, instance) -> dict:
        return {
            "community": getattr(instance, "community", None),
            "street": getattr(instance, "street", None)
            if getattr(instance, "community_id", None) is None
            else None,
        }

    def get(self, request, pk):
        instance = self.get_object(request, pk)
        form = self.form_class(instance=instance)
        return self.render_form(request, form, instance=instance, **self.parents(instance))

    def post(self, request, pk):
        instance = self.get_object(request, pk)
        form = self.form_class(request.POST, instance=instance)
        return self.handle_post(request, form, instance=instance, **self.parents(instance))


class RecordDeleteView(ExplainForbiddenMixin, View):
    """Delete a record after a confirmation page; the version guards against a stale page."""

    model = None
    template_name = "core/record_confirm_delete.html"

    def get_queryset(self, request):
        return policy_for(self.model).visible_to(request.user)

    def get_object(self, request, pk):
        instance = get_object_or_404(self.get_queryset(request), pk=pk)
        policy_for(self.model).require(request.user, DELETE, instance)
        return instance

    def owner_url(self, instance) -> str:
        return RecordFormMixin.owner_url(self, instance)

    def get(self, request, pk):
        instance = self.get_object(request, pk)
        return self.render_page(request, instance)

    def render_page(self, request, instance, status=200):
        context = {
            "object": instance,
            "model_name": self.model._meta.verbose_name,
            "title": f"删除{self.model._meta.verbose_name}",
            "community": getattr(instance, "community", None),
            "cancel_url": self.owner_url(instance),
        }
        return render(request, self.template_name, context, status=status)

    def post(self, request, pk):
        instance = self.get_object(request, pk)
        try:
            expected = int(request.POST.get("version", ""))
        except ValueError:
            expected = None
        url = self.owner_url(instance)
        label = f"{self.model._meta.verbose_name}“{instance}”"
        try:
            record_delete(instance=instance, user=request.user, expected_version=expected)
        except StaleVersionError as error:
            messages.error(request, error.message)
            return self.render_page(request, instance, status=409)
        except ProtectedError:
            messages.error(request, f"{label}仍被其他记录引用，不能删除。")
            return self.render_page(request, instance, status=409)
        messages.success(request, f"已删除{label}。")
        return redirect(url)
