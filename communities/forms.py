"""Data-entry forms for yearly statistics, social organisations and the community itself."""

from django import forms

from core.dates import MAX_YEAR, MIN_YEAR
from core.forms import VersionedModelForm

from .models import Community, CommunityStat, SocialOrganization


class CommunityStatForm(VersionedModelForm):
    """社区年度统计: the five yearly figures; the year is fixed once the row exists."""

    class Meta:
        model = CommunityStat
        fields = [
            "year",
            "households",
            "residents",
            "party_members",
            "party_members_volunteering",
            "residents_volunteering",
        ]

    unique_in_community = ("year", "该社区该年度的统计数据已存在。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["year"].disabled = True
        for name in self.Meta.fields:
            self.fields[name].widget.attrs.setdefault("min", 0)
        self.fields["year"].widget.attrs.update({"min": MIN_YEAR, "max": MAX_YEAR})


class ReturnForm(forms.Form):
    """退回: the reason sent back to the community."""

    reason = forms.CharField(
        label="退回原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": "退回时必须填写退回原因。"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SocialOrganizationForm(VersionedModelForm):
    """社区社会组织."""

    class Meta:
        model = SocialOrganization
        fields = ["name", "category", "registered_on", "dissolved_on"]

    unique_in_community = ("name", "该社区已有同名的社会组织。")


class CommunityForm(VersionedModelForm):
    """社区: what staff keep about the community itself (the 3D digital community date)."""

    class Meta:
        model = Community
        fields = ["digital_3d_completed_on", "resident_groups"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Community rows carry no version column: the one date is saved as entered.
        del self.fields["version"]
        self.fields[
            "digital_3d_completed_on"
        ].help_text = "三维数字社区建成并通过验收的日期；尚未建成请留空。"
        # Left out of a post (an older page or script), the number stays as it is.
        self.fields["resident_groups"].required = False

    def clean_resident_groups(self):
        value = self.cleaned_data.get("resident_groups")
        return self.instance.resident_groups if value is None else value

    @property
    def expected_version(self) -> None:
        return None
