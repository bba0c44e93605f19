"""The portal's view of a job: its panel (polled by htmx while it runs), its error workbook,
the workbook a report job made, and starting a report job from the Excel page."""

import io

from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.policy import policy_for
from targets.params import BadParameter, compliance_params

from .models import Job, JobState
from .services import (
    LIGHT_FIELDS,
    job_start_export,
    job_start_report,
    jobs_fail_stale,
    jobs_requeue_lost,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

RECENT = 10


def visible_job_or_404(user, pk: int, *, light: bool = True) -> Job:
    """Return the job ``pk`` if ``user`` may see it; a missing and a hidden job answer alike."""
    jobs = policy_for(Job).visible_to(user)
    if light:
        jobs = jobs.defer(*LIGHT_FIELDS)
    try:
        return jobs.get(pk=pk)
    except Job.DoesNotExist:
        raise Http404("该任务不存在或无权查看。") from None


def recent_jobs(
    user, resource: str | None = None, kind: str | None = None, kinds=(), limit: int = RECENT
) -> list[Job]:
    """Return the user's own latest jobs (of one resource or kind(s), if given), newest first."""
    jobs_fail_stale()
    jobs = Job.objects.started_by(user).defer(*LIGHT_FIELDS)
    if resource:
        jobs = jobs.filter(resource=resource)
    if kind:
        jobs = jobs.filter(kind=kind)
    if kinds:
        jobs = jobs.filter(kind__in=kinds)
    return list(jobs[:limit])


@require_GET
def job_panel(request, pk):
    """Show a job's state, progress bar and result; htmx asks again every second while it runs."""
    jobs_fail_stale()
    job = visible_job_or_404(request.user, pk)
    if job.state == JobState.QUEUED and jobs_requeue_lost(job.pk):
        job.refresh_from_db(fields=["task_id"])
    context = {"job": job}
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_job.html", context)
    return render(request, "jobs/job.html", context)


@require_GET
def job_errors(request, pk):
    """Download every problem the import found as a workbook (row, column, message)."""
    job = visible_job_or_404(request.user, pk, light=False)
    if not job.error_workbook:
        raise Http404("该任务没有问题清单。")
    name = f"{job.file_name.removesuffix('.xlsx') or '导入'}_问题清单.xlsx"
    return FileResponse(
        io.BytesIO(bytes(job.error_workbook)),
        as_attachment=True,
        filename=name,
        content_type=XLSX,
    )


@require_GET
def job_output(request, pk):
    """Download the workbook a finished report job made."""
    job = visible_job_or_404(request.user, pk, light=False)
    if not job.output:
        raise Http404("该任务没有生成文件。")
    return FileResponse(
        io.BytesIO(bytes(job.output)),
        as_attachment=True,
        filename=job.output_name,
        content_type=XLSX,
    )


@require_POST
def job_start_export_view(request, resource):
    """后台导出: queue the export of one kind of record under the posted scope."""
    from communities.scopes import scope_param
    from core.personal import may_see_personal_data
    from excel.views import get_resource

    resource = get_resource(resource)
    scope = scope_param(request.user, request.POST.get("scope"))
    asked = str(request.POST.get("unmask", "")).lower() in ("1", "true", "yes")
    job, _ = job_start_export(
        resource=resource,
        scope=scope,
        user=request.user,
        unmasked=asked and may_see_personal_data(request.user),
    )
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_job.html", {"job": job})
    return redirect("job-detail", job.pk)


@require_POST
def job_start_report_view(request):
    """后台生成: queue the compliance workbook of the posted scope, year and plan.

    htmx gets the job's panel (it then polls it); a plain form post goes to the job's page.
    """
    try:
        query = compliance_params(request.user, request.POST)
    except BadParameter as exc:
        return HttpResponseBadRequest(
            "；".join(exc.messages), content_type="text/plain; charset=utf-8"
        )
    job, _ = job_start_report(query=query, user=request.user)
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_job.html", {"job": job})
    return redirect("job-detail", job.pk)
