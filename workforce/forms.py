"""Data-entry form for community workers."""

from communities.forms import VersionedModelForm

from .models import Worker


class WorkerForm(VersionedModelForm):
    """社区工作者."""

    unique_in_community = ("name", "该社区已有同名的社区工作者。")

    class Meta:
        model = Worker
        fields = [
            "name",
            "gender",
            "role",
            "education",
            "social_work_qualification",
            "recruitment",
            "hired_on",
            "left_on",
        ]
