"""``GET jobs/`` (the caller's own jobs) and ``GET jobs/{id}/`` (API.md, Jobs)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response

from core.policy import policy_for

from .models import Job, JobState
from .services import LIGHT_FIELDS, jobs_fail_stale, jobs_requeue_lost


class JobSerializer(serializers.ModelSerializer):
    """后台任务：状态、进度与结果（导入的结果即同步导入的应答）。"""

    progress = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "kind", "state", "progress", "started_at", "finished_at", "result"]
        read_only_fields = fields

    def get_progress(self, job) -> dict:
        return {"done": job.progress_done, "total": job.progress_total}


def job_body(job: Job) -> dict:
    """Return a job as the API answers it."""
    return JobSerializer(job).data


@extend_schema_view(
    list=extend_schema(tags=["后台任务"], summary="我发起的后台任务（最近的在前）"),
    retrieve=extend_schema(tags=["后台任务"], summary="一个后台任务的状态、进度与结果"),
)
class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """后台任务：列表只含本人发起的任务；单个任务在发起人的管辖范围内可见。"""

    serializer_class = JobSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        jobs_fail_stale()
        jobs = policy_for(Job).visible_to(self.request.user).defer(*LIGHT_FIELDS)
        if self.action == "list":
            jobs = jobs.filter(started_by=self.request.user)
        return jobs

    def retrieve(self, request, *args, **kwargs):
        job = self.get_object()
        if job.state == JobState.QUEUED and jobs_requeue_lost(job.pk):
            job.refresh_from_db(fields=["task_id"])  # its task was lost; it has a new one
        return Response(self.get_serializer(job).data)
