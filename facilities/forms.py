"""Data-entry form for community service facilities."""

from django import forms

from communities.forms import VersionedModelForm

from .models import Facility, FacilityKind, ServiceItem, SpecializedType


class FacilityForm(VersionedModelForm):
    """社区服务设施: a community's station or specialized facility, or a street's centre."""

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
