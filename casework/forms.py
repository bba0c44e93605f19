"""Forms of the pipeline's pages: the fast registration form and the steps' small forms."""

from django import forms

from .models import Case, CaseCategory, Channel, Satisfaction

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class CaseRegisterForm(forms.ModelForm):
    """受理登记: category, channel, description, resident and address; the number comes at once."""

    category = forms.ModelChoiceField(
        label="类别",
        queryset=CaseCategory.objects.all(),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    channel = forms.ChoiceField(label="受理渠道", choices=Channel.choices, widget=forms.RadioSelect)
    accepted_on = forms.DateField(label="受理日期", widget=DATE_INPUT, required=False)

    class Meta:
        model = Case
        fields = [
            "community",
            "category",
            "channel",
            "description",
            "resident_name",
            "resident_phone",
            "address",
            "accepted_on",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
            "resident_name": forms.TextInput(
                attrs={"class": "form-control", "autocomplete": "off"}
            ),
            "resident_phone": forms.TextInput(
                attrs={"class": "form-control", "autocomplete": "off", "inputmode": "tel"}
            ),
            "address": forms.TextInput(attrs={"class": "form-control"}),
            "community": forms.Select(attrs={"class": "form-select"}),
        }

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["community"].empty_label = None
        self.fields["category"].label_from_instance = lambda c: (
            f"{c.name}（{c.time_limit_working_days}个工作日）"
        )


class DispatchForm(forms.Form):
    handling_unit = forms.ChoiceField(label="承办单位")

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handling_unit"].choices = [(u.pk, u.name) for u in units]


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label="居民评价", choices=Satisfaction.choices, widget=forms.RadioSelect
    )
