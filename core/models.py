"""Abstract bases shared by the domain apps: versions, scope codes and lifespans."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .dates import year_end
from .validators import PARENTHESES, past_date_error, storable_text_errors


class ScopedRecord:
    """A row that hangs under an official code, named by ``SCOPE_FIELD``.

    ``SCOPE_FIELD`` is the ORM path of that code (``code``, ``community_id``,
    ``facility__code`` …); ``scope_code`` reads it off the row. It is the one answer to
    "which code does this row hang under", for scoping, policies, history and imports.
    """

    SCOPE_FIELD = "code"

    @property
    def scope_code(self) -> str:
        """Return the official code this row hangs under ("" when it has none yet)."""
        value = self
        for part in self.SCOPE_FIELD.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return ""
        return value or ""


class CleanTextModel(models.Model):
    """Refuse text no report or database should hold, whichever channel saves the row."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = storable_text_errors(self, exclude or ())
        try:
            super().clean_fields(exclude)
        except ValidationError as exc:
            for name, messages in exc.error_dict.items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)


class VersionedModel(CleanTextModel):
    """A record that carries an optimistic-concurrency version and timestamps."""

    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


def field_label(instance, name: str) -> str:
    """Return a field's label without its parenthesised hint (建筑面积（平方米） → 建筑面积)."""
    return PARENTHESES.sub("", str(instance._meta.get_field(name).verbose_name))


def past_date_fields(model) -> set[str]:
    """Name the date fields of ``model`` that record what has happened (bounded by
    ``not_in_future_error``): a lifespan's start and the model's ``PAST_DATES``."""
    names = set(getattr(model, "PAST_DATES", ()))
    if issubclass(model, Lifespan):
        names.add(model.LIFESPAN[0])
    return names


def not_in_future_error(instance, name: str) -> str | None:
    """Say why the date in field ``name`` of something that happened is refused, or None.

    After today (Asia/Shanghai) or before 1949-10-01 (``core.validators.past_date_error``).
    """
    return past_date_error(
        getattr(instance, name), field_label(instance, name), timezone.localdate()
    )


class Lifespan(models.Model):
    """A record that starts on one date and may end on another (``LIFESPAN = (start, end)``).

    INDICATORS.md counts what exists "at Y", on 31 December of Y: started on or before that
    day and not ended by then. Facilities, volunteers, organisations and workers all follow
    this one rule, and one rule between the two dates: the end is not before the start.
    """

    LIFESPAN: tuple[str, str] = ("registered_on", "dissolved_on")

    class Meta:
        abstract = True

    def is_active_at(self, year: int) -> bool:
        """Say whether the record exists on 31 December of ``year``."""
        start, end = (getattr(self, name) for name in self.LIFESPAN)
        day = year_end(year)
        return start is not None and start <= day and (end is None or end > day)

    def lifespan_errors(self) -> dict[str, str]:
        """Return ``{field: message}`` for a start in the future or an end before the start.

        A start date records what has happened (registered, opened, hired): a plan leaves
        it empty, so a date after today (Asia/Shanghai) is a typing error, and so is one
        before 1949-10-01 (an end date is then bounded by the start).
        """
        start_name, end_name = self.LIFESPAN
        start, end = getattr(self, start_name), getattr(self, end_name)
        errors = {}
        future = not_in_future_error(self, start_name)
        if future:
            errors[start_name] = future
        if start and end and end < start:
            errors[end_name] = (
                f"{field_label(self, end_name)}不能早于{field_label(self, start_name)}。"
            )
        return errors

    def clean(self):
        errors = self.lifespan_errors()
        if errors:
            raise ValidationError(errors)
