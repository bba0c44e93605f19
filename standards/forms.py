"""The self-check form: one catalogue item, one year, the result, a note and a photo or file."""

from django import forms

from core.forms import VersionedModelForm

from .models import ServiceStandard, StandardCheck


class StandardCheckForm(VersionedModelForm):
    """服务标准自查."""

    class Meta:
        model = StandardCheck
        fields = ["standard", "year", "result", "note", "attachment"]
        widgets = {"result": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, facility=None, **kwargs):
        super().__init__(*args, **kwargs)
        if facility is not None:
            self.instance.facility = facility
        self.fields["standard"].queryset = ServiceStandard.objects.order_by("code")
        self.fields["standard"].empty_label = "请选择服务标准"
        self.fields["result"].widget.attrs["class"] = "form-check-input"
        if self.instance.pk is not None:
            # The item and year identify the check; a correction of those is a new check.
            for name in ("standard", "year"):
                self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        standard, year = cleaned.get("standard"), cleaned.get("year")
        facility_id = self.instance.facility_id
        if standard is not None and year is not None and facility_id:
            clash = StandardCheck.objects.filter(
                facility_id=facility_id, standard=standard, year=year
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("standard", "该设施该年度已有这一服务标准的自查记录。")
        return cleaned


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="审核意见", max_length=500, required=False)
