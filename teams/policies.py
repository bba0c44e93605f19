"""Who may do what with committees, training plans and entrusted projects."""

from core.policy import AdminWritesPolicy, register

from .models import Committee, EntrustedProject, TrainingPlan


class TrainingPlanPolicy(AdminWritesPolicy):
    """A region's training plan is plan data: everyone reads every plan (a county's workers are
    measured against the province's plan when the county has none); administrators write."""

    scoped = False


register(Committee)
register(EntrustedProject)
register(TrainingPlan, TrainingPlanPolicy)
