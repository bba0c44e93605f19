"""Form pieces every data-entry page shares: ISO date pickers, inline lines, versioned forms."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from .services import record_delete, record_save
from .text import normalize
from .validators import validate_id_number, validate_phone

DATE_FORMAT = "%Y-%m-%d"
# Text fields holding a code, an ID number or a phone, by name (model fields with the ID or
# phone validator are found by their validators).
CODE_LIKE_NAMES = ("code", "id_number", "phone", "region_code", "scope_code")
CODE_LIKE_SUFFIXES = ("_code", "_phone", "_id_number")
NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField, forms.DateField)


def normalized_kind(name: str, field: forms.Field) -> str | None:
    """Say whether the field takes a number or a date (``"number"``), a code, an ID number or
    a phone (``"code"``: no spaces inside either), or free text (None)."""
    if isinstance(field, NUMBER_FIELDS):
        return "number"
    if not isinstance(field, forms.CharField):
        return None
    if name in CODE_LIKE_NAMES or name.endswith(CODE_LIKE_SUFFIXES):
        return "code"
    if any(v in (validate_id_number, validate_phone) for v in field.validators):
        return "code"
    return None


def _tidy(value, kind: str):
    if not isinstance(value, str):
        return value
    value = normalize(value)
    return value.replace(" ", "") if kind == "code" else value


def normalize_form_data(form) -> None:
    """Tidy the posted codes, ID numbers, phones, numbers and dates of a bound form before it
    is validated (full-width digits, ideographic and non-breaking spaces, zero-width
    characters and BOMs: ``core.text.normalize``); free text is left as typed."""
    if not form.is_bound or getattr(form, "_data_normalized", False):
        return
    form._data_normalized = True
    kinds = {
        form.add_prefix(name): kind
        for name, field in form.fields.items()
        if (kind := normalized_kind(name, field))
    }
    if not kinds or not hasattr(form.data, "keys"):
        return
    data = form.data.copy()
    for key, kind in kinds.items():
        if key not in data:
            continue
        if hasattr(data, "setlist"):
            data.setlist(key, [_tidy(v, kind) for v in data.getlist(key)])
        else:
            data[key] = _tidy(data[key], kind)
    form.data = data


class NormalizingMixin:
    """Normalise the posted codes, numbers and dates before the form validates them."""

    def full_clean(self):
        normalize_form_data(self)
        super().full_clean()


class DateInput(forms.DateInput):
    """A browser date picker sending ISO dates.

    Django 5.2's zh_Hans input formats misread "2016年9月5日" (NOTES.md), so every date goes
    through ``<input type="date">`` and is parsed as ``YYYY-MM-DD`` only.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATE_FORMAT)


def date_field(form_field: forms.Field) -> forms.Field:
    """Make a model's DateField take ISO dates from a date picker."""
    form_field.widget = DateInput()
    form_field.input_formats = [DATE_FORMAT]
    return form_field


class LineForm(NormalizingMixin, forms.ModelForm):
    """One line of an inline table (funding lines, trainings, service records): small inputs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                date_field(field)
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
                choices = getattr(field, "choices", None)
                if isinstance(field, forms.TypedChoiceField) and choices and choices[0][0] == "":
                    field.choices = [("", "请选择"), *choices[1:]]
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs["class"] = "form-control form-control-sm"


class VersionedModelForm(NormalizingMixin, forms.ModelForm):
    """A ModelForm carrying the record's ``version`` in a hidden field (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # A field unique within the community, and its message. The constraint's other column
    # (community) is not a form field, so ModelForm would skip the check; it is done here.
    unique_in_community: tuple[str, str] | None = None

    # An inline formset of lines edited and saved with the record (funding lines of a
    # facility, trainings of a worker), its prefix and its heading.
    lines_formset = None
    lines_prefix = "lines"
    lines_title = ""
    lines_help = "每行一条；留空的行不保存。需要更多行时，保存后再编辑即可继续添加。"

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        if community is not None:
            self.instance.community = community
        if self.instance.pk is not None and hasattr(self.instance, "version"):
            # An edit must say which version it is based on; a new record has none.
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                date_field(field)
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.HiddenInput):
                continue
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
                choices = getattr(field, "choices", None)
                if isinstance(field, forms.TypedChoiceField) and choices and choices[0][0] == "":
                    field.choices = [("", "请选择"), *choices[1:]]
            else:
                widget.attrs.setdefault("class", "form-control")
        # A post without the lines (a script, an older page) leaves them as they are.
        self.lines = None
        self.lines_posted = False
        if self.lines_formset is not None:
            self.lines_posted = self.is_bound and f"{self.lines_prefix}-TOTAL_FORMS" in self.data
            self.lines = self.lines_formset(
                self.data if self.lines_posted else None,
                instance=self.instance,
                prefix=self.lines_prefix,
            )

    def is_valid(self) -> bool:
        form_ok = super().is_valid()
        if self.lines is None or not self.lines_posted:
            return form_ok
        return self.lines.is_valid() and form_ok

    def save_lines(self, instance, user) -> None:
        """Save the posted lines against the saved ``instance`` (inside its transaction)."""
        if self.lines is not None and self.lines_posted:
            self.lines.instance = instance
            lines_save(self.lines, user)

    def full_clean(self):
        super().full_clean()
        self.mark_invalid()

    def mark_invalid(self) -> None:
        """Give the inputs of fields with errors Bootstrap's ``is-invalid`` class."""
        for name in self._errors or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "").split()
                if "is-invalid" not in classes:
                    widget.attrs["class"] = " ".join([*classes, "is-invalid"])

    def clean(self):
        cleaned = super().clean()
        if self.unique_in_community:
            field, message = self.unique_in_community
            value = cleaned.get(field)
            community_id = getattr(self.instance, "community_id", None)
            if value is not None and community_id:
                clash = type(self.instance).objects.filter(
                    community_id=community_id, **{field: value}
                )
                if self.instance.pk is not None:
                    clash = clash.exclude(pk=self.instance.pk)
                if clash.exists():
                    self.add_error(field, message)
        return cleaned

    @property
    def expected_version(self) -> int | None:
        """The version the user's edit is based on (None for a new record)."""
        if self.instance.pk is None:
            return None
        return self.cleaned_data.get("version")

    def add_model_errors(self, error: ValidationError) -> None:
        """Show a ValidationError raised on save next to its fields (or above the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            target = field if field in self.fields and field != NON_FIELD_ERRORS else None
            for message in messages:
                self.add_error(target, message)
        self.mark_invalid()


def lines_save(formset, user) -> None:
    """Save an inline formset's lines through the one write path (history, audit)."""
    for line in formset.save(commit=False):
        record_save(instance=line, user=user)
    for line in formset.deleted_objects:
        record_delete(instance=line, user=user)
