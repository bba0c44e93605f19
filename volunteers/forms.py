"""Data-entry forms for volunteer organisations and the real-name volunteer register."""

from django import forms

from core.forms import LineForm, VersionedModelForm, date_field

from .models import ServiceCategory, ServiceRecord, Volunteer, VolunteerOrganization


class ServiceLineForm(LineForm):
    """志愿服务记录: one activity (date, hours, category) for the service-hours record."""

    class Meta:
        model = ServiceRecord
        fields = ["served_on", "hours", "category", "activity"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].widget.attrs.update({"min": "0.5", "max": "24", "step": "0.5"})


class ServiceFormSet(forms.BaseInlineFormSet):
    """The volunteer's latest service records (newest first); older ones stay as they are."""

    def get_queryset(self):
        # Evaluated once: the formset indexes, counts and looks rows up in it.
        if not hasattr(self, "_recent"):
            rows = super().get_queryset().order_by("-served_on", "-id")
            self._recent = list(rows[:RECENT_SERVICE_RECORDS])
        return self._recent


RECENT_SERVICE_RECORDS = 20

ServiceRecordFormSet = forms.inlineformset_factory(
    Volunteer,
    ServiceRecord,
    form=ServiceLineForm,
    formset=ServiceFormSet,
    extra=1,
    max_num=RECENT_SERVICE_RECORDS + 10,
    validate_max=True,
    can_delete=True,
)


class VolunteerOrganizationForm(VersionedModelForm):
    """志愿者组织."""

    unique_in_community = ("name", "该社区已有同名的志愿者组织。")

    class Meta:
        model = VolunteerOrganization
        fields = ["name", "registered_on", "dissolved_on"]


class VolunteerForm(VersionedModelForm):
    """注册志愿者: the ID number and phone are typed in full and never shown back in full."""

    service_categories = forms.MultipleChoiceField(
        label="服务类别",
        choices=ServiceCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    clear_phone = forms.BooleanField(label="删除联系电话", required=False)

    lines_formset = ServiceRecordFormSet
    lines_prefix = "service"
    lines_title = "志愿服务记录（最近20条）"

    class Meta:
        model = Volunteer
        fields = [
            "name",
            "gender",
            "id_number",
            "phone",
            "organization",
            "is_party_member",
            "registered_on",
            "left_on",
            "service_categories",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        community_id = self.instance.community_id
        # Only the organisations of this community can be chosen.
        self.fields["organization"].queryset = VolunteerOrganization.objects.filter(
            community_id=community_id
        ).order_by("name")
        self.fields["organization"].empty_label = "（不属于任何组织）"
        id_field, phone_field = self.fields["id_number"], self.fields["phone"]
        id_field.widget.attrs.update({"autocomplete": "off", "maxlength": 18})
        phone_field.widget.attrs.update({"autocomplete": "off", "inputmode": "tel"})
        if self.instance.pk is not None:
            # Never put the stored number into the page: an empty field keeps it.
            self.initial["id_number"] = ""
            self.initial["phone"] = ""
            id_field.required = False
            id_field.help_text = f"当前：{self.instance.id_number_masked}。留空则不修改。"
            id_field.widget.attrs["placeholder"] = self.instance.id_number_masked
            if self.instance.phone:
                phone_field.help_text = f"当前：{self.instance.phone_masked}。留空则不修改。"
                phone_field.widget.attrs["placeholder"] = self.instance.phone_masked
        else:
            del self.fields["clear_phone"]

    def save_lines(self, instance, user) -> None:
        # The user who enters a new line is its recorder (谁记录谁证明).
        if self.lines is not None and self.lines_posted:
            for line in self.lines.extra_forms:
                line.instance.recorder = user
        super().save_lines(instance, user)

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number", "")
        if not value and self.instance.pk is not None:
            return self.instance.id_number
        return value.strip().replace(" ", "").upper()

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        if self.instance.pk is not None:
            if self.data.get(self.add_prefix("clear_phone")) in ("on", "true", "1", "True"):
                return ""
            if not value:
                return self.instance.phone
        return value


class ActivityForm(forms.ModelForm):
    """The fields one activity shares between all its volunteers (bulk entry)."""

    class Meta:
        model = ServiceRecord
        fields = [
            "organization",
            "activity",
            "served_on",
            "category",
            "place",
            "people_served",
            "beneficiaries",
            "leader",
            "rating",
            "content",
        ]
        widgets = {"content": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = VolunteerOrganization.objects.filter(
            community=community
        ).order_by("name")
        self.fields["organization"].empty_label = "（本社区记录）"
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                date_field(field)
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs.setdefault("data-testid", f"activity-{name}")

    def _post_clean(self):
        # Checked per line by the bulk service (with the volunteer and the hours).
        pass


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TransferRequestForm(forms.Form):
    """志愿者转移申请: the ID number the receiving community holds, and why."""

    id_number = forms.CharField(
        label="身份证号码",
        max_length=18,
        min_length=18,
        help_text="填写完整的18位身份证号码；审核通过前不显示该志愿者的任何登记信息。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "pattern": "[0-9]{17}[0-9Xx]"}),
    )
    reason = forms.CharField(
        label="申请理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：该志愿者已迁入本社区居住。",
    )

    def add_model_errors(self, error) -> None:
        """Show a ValidationError raised by the service next to its field (or above the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
