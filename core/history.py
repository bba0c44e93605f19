"""The change history of one record: who changed what and when (django-simple-history).

Scoped like the record itself: a record the user may not see answers 404. Full ID numbers and
phone numbers never appear: the volunteer history does not store them, and they are skipped
here as well should another model ever carry them.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.core.paginator import Paginator
from django.db import connection, models
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .policy import policy_for

# Bookkeeping columns that every save changes or that are derived from others.
HIDDEN_FIELDS = {"version", "created_at", "updated_at", "code", "submitted_at", "reviewed_at"}
# Personal data is never shown in a history, whatever the model.
PERSONAL_FIELDS = {"id_number", "id_tail", "phone"}

ACTION_LABELS = {"+": "新增", "~": "修改", "-": "删除"}

PAGE_SIZE = 20


def history_start(model, *, reason: str) -> int:
    """Give every row of ``model`` that has no history yet its first entry (新增, 系统, ``reason``).

    Rows written in bulk (the hierarchy, the demo data) skip the per-row history; without a
    first entry, their first edit would list every field as "（空）→ value". One
    ``INSERT … SELECT`` in the database copies the rows as they stand, so that first edit
    shows only what it changed. Returns the number of entries written.
    """
    history = model.history.model
    names = [
        f.name
        for f in history._meta.concrete_fields
        if not f.name.startswith("history_") and f.name != "history_id"
    ]
    quote = connection.ops.quote_name
    target = ", ".join(quote(history._meta.get_field(n).column) for n in names)
    source = ", ".join("t." + quote(model._meta.get_field(n).column) for n in names)
    pk = quote(model._meta.pk.column)
    table, history_table = quote(model._meta.db_table), quote(history._meta.db_table)
    sql = (
        f"INSERT INTO {history_table} ({target}, history_date, history_type, history_change_reason, history_user_id) "
        f"SELECT {source}, %s, '+', %s, NULL FROM {table} t "
        f"WHERE NOT EXISTS (SELECT 1 FROM {history_table} h WHERE h.{pk} = t.{pk})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), reason])
        return cursor.rowcount


def history_models() -> dict[str, type[models.Model]]:
    """Return the models whose history the portal shows, by URL key (their ``HISTORY_KEY``)."""
    return {
        model.HISTORY_KEY: model
        for model in apps.get_models()
        if getattr(model, "HISTORY_KEY", None)
    }


def history_key(model) -> str | None:
    """Return the URL key of ``model``'s history, or None if it has none here."""
    return getattr(model, "HISTORY_KEY", None)


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
    list_choices = getattr(model_field.model, "LIST_CHOICES", {})
    if model_field.name in list_choices and isinstance(value, list):
        labels = dict(list_choices[model_field.name].choices)
        return "、".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def shown_fields(model) -> list[models.Field]:
    """Return the fields a history shows for ``model``: those its history keeps, without
    bookkeeping and personal data."""
    kept = {f.name for f in model.history.model._meta.concrete_fields}
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f.editable
        and f.name in kept
        and f.name not in HIDDEN_FIELDS | PERSONAL_FIELDS
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
    model_class = history_models().get(model)
    if model_class is None:
        raise Http404("没有这种记录。")
    if (
        isinstance(model_class._meta.pk, models.AutoField | models.BigAutoField)
        and not pk.isdigit()
    ):
        raise Http404("没有该记录。")
    queryset = policy_for(model_class).visible_to(request.user)
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
        "back_url": instance.get_absolute_url(),
    }
    return render(request, "history/record_history.html", context)
