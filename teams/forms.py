"""Data-entry forms for committees, entrusted projects and training plans."""

from core.forms import VersionedModelForm
from funding.models import BudgetLine
from volunteers.models import VolunteerOrganization
from workforce.models import Worker

from .models import Committee, EntrustedProject, TrainingPlan


class CommitteeForm(VersionedModelForm):
    """下属委员会."""

    class Meta:
        model = Committee
        fields = ["kind", "chair", "established_on", "dissolved_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = Worker.objects.filter(
            community_id=self.instance.community_id, left_on__isnull=True
        ).order_by("name")
        self.fields["chair"].empty_label = "暂未确定"


class EntrustedProjectForm(VersionedModelForm):
    """委托服务项目."""

    class Meta:
        model = EntrustedProject
        fields = [
            "organization",
            "name",
            "service_line",
            "starts_on",
            "ends_on",
            "funding_wan_yuan",
            "budget_line",
            "target_beneficiaries",
            "achieved_beneficiaries",
            "rating",
        ]

    def __init__(self, *args, street=None, **kwargs):
        super().__init__(*args, **kwargs)
        if street is not None:
            self.instance.street = street
        code = self.instance.community_id or self.instance.street_id or "-"
        self.fields["organization"].queryset = VolunteerOrganization.objects.under(code).order_by(
            "community_id", "name"
        )
        self.fields["organization"].empty_label = "请选择本辖区的志愿服务组织"
        self.fields[
            "organization"
        ].help_text = "只能委托本社区（街道项目：本街道各社区）的志愿服务组织。"
        # The budget lines of the project's own region and the regions above it.
        regions = [code[:n] for n in (2, 4, 6, 9) if n <= len(code)] if code != "-" else []
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(
            region_code__in=regions
        ).order_by("-year", "region_code", "cost_type", "source")
        self.fields["budget_line"].empty_label = "不关联预算"


class TrainingPlanForm(VersionedModelForm):
    """社区工作者培训计划."""

    class Meta:
        model = TrainingPlan
        fields = ["region_code", "year", "courses", "hours_per_worker", "share_to_train"]
