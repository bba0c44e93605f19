"""Data-entry form for community workers and their training records."""

from django import forms

from core.forms import LineForm, VersionedModelForm

from .models import Training, Worker


class TrainingLineForm(LineForm):
    """培训记录: one training the worker attended."""

    class Meta:
        model = Training
        fields = ["title", "started_on", "hours", "organizer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].widget.attrs.update({"min": "0.5", "step": "0.5"})


TrainingFormSet = forms.inlineformset_factory(
    Worker, Training, form=TrainingLineForm, extra=1, max_num=50, validate_max=True, can_delete=True
)


class WorkerForm(VersionedModelForm):
    """社区工作者."""

    unique_in_community = ("name", "该社区已有同名的社区工作者。")
    lines_formset = TrainingFormSet
    lines_prefix = "training"
    lines_title = "培训记录"

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
