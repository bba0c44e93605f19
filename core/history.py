"""The change history of one record: who changed what and when (django-simple-history).

Scoped like the record itself: a record the user may not see answers 404. Full ID numbers and
phone numbers never appear: the volunteer history does not store them, and they are skipped
here as well should another model ever carry them.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

# history URL key → "app_label.ModelName"
HISTORY_MODELS = {
    "community": "communities.Community",
    "stat": "communities.CommunityStat",
    "social-organization": "communities.SocialOrganization",
    "facility": "facilities.Facility",
    "volunteer-organization": "volunteers.VolunteerOrganization",
    "volunteer": "volunteers.Volunteer",
    "worker": "workforce.Worker",
}

# Bookkeeping columns that every save changes or that are derived from others.
HIDDEN_FIELDS = {"version", "created_at", "updated_at", "code", "submitted_at", "reviewed_at"}
# Personal data is never shown in a history, whatever the model.
PERSONAL_FIELDS = {"id_number", "phone"}

ACTION_LABELS = {"+": "新增", "~": "修改", "-": "删除"}

# JSON list fields holding choice codes: field name → dotted path of the choices class.
LIST_CHOICES = {
    "services": "facilities.models.ServiceItem",
    "service_categories": "volunteers.models.ServiceCategory",
}

PAGE_SIZE = 20


def history_key(model) -> str | None:
    """Return the URL key of ``model``'s history, or None if it has none here."""
    label = f"{model._meta.app_label}.{model.__name__}"
    return next((key for key, value in HISTORY_MODELS.items() if value == label), None)


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    date: datetime
    user: str
    action: str
    action_code: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _list_labels(name: str) -> dict[str, str]:
    return dict(import_string(LIST_CHOICES[name]).choices)


def _display(model_field, value, names: dict) -> str:
    """Return a value as a Chinese reader expects it."""
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(model_field, models.ForeignKey):
        return names.get((model_field.name, value), str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if model_field.name in LIST_CHOICES and isinstance(value, list):
        labels = _list_labels(model_field.name)
        return "、".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def shown_fields(model) -> list[models.Field]:
    """Return the fields a history shows for ``model`` (no bookkeeping, no personal data)."""
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in HIDDEN_FIELDS | PERSONAL_FIELDS
    ]


def history_entries(records: list, model) -> list[Entry]:
    """Turn history rows (newest first) into entries listing each changed field."""
    fields = {f.name: f for f in shown_fields(model)}
    raw: list[tuple] = []
    fk_ids: dict[str, set] = {}
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        if older is not None and record.history_type != "-":
            delta = record.diff_against(older, included_fields=list(fields))
            pairs = [(c.field, c.old, c.new) for c in delta.changes]
        elif record.history_type == "+" or older is None:
            pairs = [
                (name, None, getattr(record, f.attname))
                for name, f in fields.items()
                if getattr(record, f.attname) not in (None, "", [])
            ]
        else:
            pairs = []
        for name, old, new in pairs:
            if isinstance(fields[name], models.ForeignKey):
                fk_ids.setdefault(name, set()).update(v for v in (old, new) if v is not None)
        raw.append((record, pairs))
    names = {}
    for name, ids in fk_ids.items():
        related = fields[name].related_model
        for obj in related._default_manager.filter(pk__in=ids):
            names[(name, obj.pk)] = str(obj)
    entries = []
    for record, pairs in raw:
        user = record.history_user
        entries.append(
            Entry(
                date=record.history_date,
                user=(user.get_full_name() or user.get_username()) if user else "系统",
                action=ACTION_LABELS.get(record.history_type, record.history_type),
                action_code=record.history_type,
                reason=record.history_change_reason or "",
                changes=[
                    Change(
                        label=str(fields[name].verbose_name),
                        old=_display(fields[name], old, names),
                        new=_display(fields[name], new, names),
                    )
                    for name, old, new in pairs
                ],
            )
        )
    return entries


def record_history(request, model: str, pk: str):
    """Show who changed a record, what and when."""
    label = HISTORY_MODELS.get(model)
    if label is None:
        raise Http404("没有这种记录。")
    model_class = apps.get_model(label)
    if (
        isinstance(model_class._meta.pk, models.AutoField | models.BigAutoField)
        and not pk.isdigit()
    ):
        raise Http404("没有该记录。")
    queryset = model_class.objects.visible_to(request.user)
    if any(f.name == "community" for f in model_class._meta.concrete_fields):
        queryset = queryset.select_related("community")
    instance = get_object_or_404(queryset, pk=pk)
    # One more history row than the page holds, so the page's oldest entry has its predecessor.
    page = Paginator(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    following = (
        page.paginator.object_list[page.end_index() : page.end_index() + 1]
        if page.has_next()
        else []
    )
    entries = history_entries(rows + list(following), model_class)[: len(rows)]
    community = getattr(instance, "community", None) if model != "community" else instance
    context = {
        "object": instance,
        "model_name": model_class._meta.verbose_name,
        "entries": entries,
        "page_obj": page,
        "community": community,
        "back_url": back_url(instance, model),
    }
    return render(request, "history/record_history.html", context)


def back_url(instance, model: str) -> str:
    """Return the page the record is shown on."""
    if model == "community":
        return instance.get_absolute_url()
    if model == "stat":
        return reverse("stat-detail", args=[instance.pk])
    community = getattr(instance, "community", None)
    if community is not None:
        return community.get_absolute_url()
    return reverse("street-communities", args=[instance.street_id])
