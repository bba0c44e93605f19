"""Forms for issuing and revoking certificates."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from core.forms import date_field
from volunteers.models import VolunteerOrganization


class CertificateIssueForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="出具组织",
        queryset=VolunteerOrganization.objects.none(),
        required=False,
        empty_label="（本社区）",
        help_text="谁记录谁证明：只计入该组织记录并已确认的服务。",
    )
    period_from = forms.DateField(label="服务起始日期")
    period_to = forms.DateField(label="服务截止日期")
    contact = forms.CharField(label="联系方式", max_length=50, required=False)

    def __init__(self, *args, volunteer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = VolunteerOrganization.objects.filter(
            community_id=volunteer.community_id
        ).order_by("name")
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                date_field(field)
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs.setdefault("data-testid", f"issue-{name}")

    def add_model_errors(self, error):
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            target = field if field in self.fields and field != NON_FIELD_ERRORS else None
            for message in messages:
                self.add_error(target, message)


class RevokeForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
