"""Data-entry form for community service facilities."""

from django import forms

from core.dates import MAX_YEAR, MIN_YEAR
from core.forms import LineForm, VersionedModelForm

from .models import Facility, FacilityFunding, FacilityKind, ServiceItem, SpecializedType


class FundingLineForm(LineForm):
    """设施资金: one funding line (source, year, amount in 万元)."""

    class Meta:
        model = FacilityFunding
        fields = ["source", "year", "amount_wan_yuan"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "请选择"), *FacilityFunding.Source.choices]
        self.fields["year"].widget.attrs.update({"min": MIN_YEAR, "max": MAX_YEAR})
        self.fields["amount_wan_yuan"].widget.attrs.update({"min": "0.01", "step": "0.01"})


FundingFormSet = forms.inlineformset_factory(
    Facility,
    FacilityFunding,
    form=FundingLineForm,
    extra=2,
    max_num=30,
    validate_max=True,
    can_delete=True,
)


class FacilityForm(VersionedModelForm):
    """社区服务设施: a community's station or specialized facility, or a street's centre."""

    lines_formset = FundingFormSet
    lines_prefix = "funding"
    lines_title = "建设资金（万元）"

    services = forms.MultipleChoiceField(
        label="一站式服务项目",
        choices=ServiceItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Facility
        fields = [
            "name",
            "kind",
            "specialized_type",
            "floor_area",
            "opened_on",
            "closed_on",
            "construction_mode",
            "address",
            "services",
        ]

    def __init__(self, *args, street=None, **kwargs):
        super().__init__(*args, **kwargs)
        if street is not None:
            self.instance.street = street
            self.instance.kind = FacilityKind.CENTRE
        if self.instance.kind == FacilityKind.CENTRE:
            # A street's facility is its service centre; a community has stations and the rest.
            self.fields["kind"].choices = [(FacilityKind.CENTRE, FacilityKind.CENTRE.label)]
            del self.fields["specialized_type"]
        else:
            self.fields["specialized_type"].choices = [
                ("", "（仅专项服务设施填写）"),
                *SpecializedType.choices,
            ]
            self.fields["kind"].choices = [
                (FacilityKind.STATION, FacilityKind.STATION.label),
                (FacilityKind.SPECIALIZED, FacilityKind.SPECIALIZED.label),
            ]
        self.fields["floor_area"].widget.attrs.update(
            {"min": "0.01", "max": "100000", "step": "0.01"}
        )
