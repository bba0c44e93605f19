"""Excel in the portal and the API: templates, exports, imports and the compliance report.

Every path starts from the user's scope: an export or report of a code outside it answers
404 as if the code did not exist; an import refuses rows outside it row by row. Each export
and import leaves an audit row with the file's SHA-256.
"""

import hashlib
import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import AuditAction
from accounts.services import audit_record
from communities.models import Community
from communities.scopes import LEVELS, resolve_scope, scope_param
from core.personal import (
    asked_to_unmask,
    may_see_personal_data,
    personal_data_audit,
    unmask_decision,
)
from core.policy import policy_for
from core.scoping import LEVEL_LABELS, user_scope_code
from core.xlsx.reading import ImportFileError, max_bytes, max_rows, web_max_bytes, web_max_rows
from jobs.api import job_body
from jobs.models import JobKind
from jobs.services import job_start_import
from jobs.views import recent_jobs
from streets.models import Division, Street
from targets.params import (
    BadParameter,
    ComplianceParams,
    compliance_params,
    current_plan_or_none,
    year_choices,
)
from targets.report import build_compliance_workbook, report_filename

from .exporters import build_export, build_template
from .importers import import_workbook, require_importer
from .resources import RESOURCES, Resource

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL_BYTES = 16 * 1024 * 1024


def web_row_limit() -> int:
    return web_max_rows()


WEB_LIMIT_HINT = "更大的文件请用本页的“后台导入”。"


def get_resource(slug: str) -> Resource:
    resource = RESOURCES.get(slug)
    if resource is None:
        raise Http404("没有这种数据。")
    return resource


def _spooled():
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, suffix=".xlsx")


def _finish(fh, filename: str) -> tuple[FileResponse, str]:
    """Hash the written workbook and hand it out as a download."""
    fh.seek(0)
    digest = hashlib.sha256()
    for block in iter(lambda: fh.read(1024 * 1024), b""):
        digest.update(block)
    fh.seek(0)
    response = FileResponse(fh, as_attachment=True, filename=filename, content_type=XLSX)
    return response, digest.hexdigest()


# How far below the user's own scope the chooser reaches (the next level or two down).
CHOOSER_DEPTH = 2


def _units(user, levels: list[str], under: str) -> list[tuple[str, str, str]]:
    """Return (code, name, level) of the units at ``levels`` under ``under`` the user can see."""
    rows: list[tuple[str, str, str]] = []
    divisions = [level for level in levels if level in ("prefecture", "county")]
    if divisions:
        rows += (
            Division.objects.visible_to(user)
            .under(under)
            .filter(level__in=divisions)
            .values_list("code", "name", "level")
        )
    for level, model in (("street", Street), ("community", Community)):
        if level in levels:
            names = model.objects.visible_to(user).under(under).values_list("code", "name")
            rows += [(code, name, level) for code, name in names]
    return rows


def scope_choices(user, chosen: str | None = None) -> list[dict]:
    """Return the scopes the Excel page offers: the user's own and the units under it.

    The next two levels down, in code order so that each unit follows its parent; communities
    are listed only when they are the next level (a street's scope), since a street is small
    enough for any export. A chosen unit deeper down brings its own next level, so one can go
    on splitting (province → prefecture → county → street). Every list starts from
    ``visible_to(user)``.
    """
    own = user_scope_code(user)
    if own is None:
        return []
    top = resolve_scope(own)
    start = LEVELS.index(top.level)
    wanted = LEVELS[start + 1 : start + 1 + CHOOSER_DEPTH]
    if "community" in wanted and wanted.index("community") > 0:
        wanted.remove("community")
    rows = [(top.code, top.name, top.level), *_units(user, wanted, top.code)]
    if chosen and chosen != top.code:
        scope = resolve_scope(chosen)
        rows.append((scope.code, scope.name, scope.level))
        below = LEVELS[LEVELS.index(scope.level) + 1 : LEVELS.index(scope.level) + 2]
        rows += _units(user, below, scope.code)
    unique = sorted({code: (code, name, level) for code, name, level in rows}.values())
    return [
        {
            "code": code,
            "name": name,
            "level": LEVEL_LABELS[level],
            "indent": "\u3000" * max(LEVELS.index(level) - start, 0),
            "selected": code == (chosen or own),
        }
        for code, name, level in unique
    ]


def template_response(resource: Resource) -> FileResponse:
    fh = _spooled()
    build_template(resource, fh)
    response, _ = _finish(fh, f"{resource.title}导入模板.xlsx")
    return response


def export_max_rows() -> int:
    """Rows one export request may write (a province's million volunteers would take minutes)."""
    return int(getattr(settings, "EXPORT_MAX_ROWS", 200000))


class ExportTooLarge(Exception):
    def __init__(self, rows: int):
        self.message = (
            f"该范围内共有 {rows:,} 条记录，超过单次导出上限 {export_max_rows():,} 条。"
            "请选择更小的范围（如某个市州、县区或街道）分别导出，或使用“后台导出”。"
        )
        super().__init__(self.message)


def export_response(*, resource: Resource, request, scope_raw) -> FileResponse:
    """Write the records of ``resource`` under the scope as a workbook.

    ID numbers and phones are masked by default (DESIGN.md); a user with the permission gets
    them in full only by asking (``?unmask=1``), and each such export is audited.
    """
    user = request.user
    scope = scope_param(user, scope_raw)
    code, name = scope.code, scope.name
    unmasked = unmask_decision(request, asked=asked_to_unmask(request))
    queryset = policy_for(resource.model).visible_to(user).under(code)
    count = queryset.count()
    if count > export_max_rows():
        raise ExportTooLarge(count)
    fh = _spooled()
    rows = build_export(resource, queryset, fh, unmasked=unmasked)
    day = timezone.localdate().strftime("%Y%m%d")
    response, digest = _finish(fh, f"{name}{resource.title}_{day}.xlsx")
    detail = {
        "resource": resource.slug,
        "scope": code,
        "rows": rows,
        "sha256": digest,
        "masked": not unmasked,
    }
    audit_record(
        action=AuditAction.EXPORT, request=request, user=user, scope_code=code, detail=detail
    )
    if unmasked and resource.has_personal_data and rows:
        personal_data_audit(
            request,
            detail={"resource": resource.slug, "scope": code, "rows": rows, "via": "excel_export"},
        )
    return response


def report_response(*, request, query: ComplianceParams) -> FileResponse:
    """Build the compliance workbook for a parsed scope, year and plan and audit the download."""
    fh = _spooled()
    region = build_compliance_workbook(
        scope_code=query.scope.code,
        year=query.year,
        plan=query.plan,
        out=fh,
        data=query.data,
        user=request.user,
    )
    response, digest = _finish(fh, report_filename(region.name, region.year))
    audit_record(
        action=AuditAction.EXPORT,
        request=request,
        user=request.user,
        scope_code=region.code,
        detail={
            "resource": "compliance-report",
            "scope": region.code,
            "year": region.year,
            "plan": query.plan.code,
            "data": query.data,
            "sha256": digest,
        },
    )
    return response


# -- portal ----------------------------------------------------------------------------


def can_import(user, resource: Resource) -> bool:
    """Say whether ``user`` may import records of ``resource`` (its policy's ``add``)."""
    try:
        require_importer(user, resource)
    except PermissionDenied:
        return False
    return True


@require_GET
def excel_home(request):
    """List the templates, exports and imports the user may use, and the compliance report.

    ``?scope=`` picks the unit the export links and the report use (the user's own scope by
    default); the chooser offers the units under the user's scope, so an export refused as
    too large can be split by prefecture, county or street.
    """
    scope = scope_param(request.user, request.GET.get("scope"))
    own = user_scope_code(request.user)
    plan = current_plan_or_none()
    return render(
        request,
        "excel/home.html",
        {
            "resources": list(RESOURCES.values()),
            "scope_code": scope.code,
            "scope_name": scope.name,
            "own_scope": own,
            "scope_options": scope_choices(request.user, scope.code),
            "export_limit": f"{export_max_rows():,}",
            "importable": {r.slug for r in RESOURCES.values() if can_import(request.user, r)},
            "masked": True,
            "can_unmask": may_see_personal_data(request.user),
            "years": year_choices(plan),
            "default_year": plan.target_year if plan else None,
            **made_files(request.user),
        },
    )


def made_files(user) -> dict:
    """The user's latest report and export jobs (one query), for the Excel page's panels."""
    jobs = recent_jobs(user, kinds=(JobKind.REPORT, JobKind.EXPORT), limit=20)
    return {
        "report_jobs": [j for j in jobs if j.kind == JobKind.REPORT][:3],
        "export_jobs": [j for j in jobs if j.kind == JobKind.EXPORT][:5],
    }


@require_GET
def template_download(request, resource):
    return template_response(get_resource(resource))


@require_GET
def export_download(request, resource):
    try:
        return export_response(
            resource=get_resource(resource), request=request, scope_raw=request.GET.get("scope")
        )
    except ExportTooLarge as exc:
        messages.error(request, exc.message + "请在本页“导出范围”中选择下级区划或街道后再导出。")
        scope = request.GET.get("scope") or ""
        return redirect(reverse("excel-home") + (f"?scope={scope}" if scope.isdigit() else ""))


@require_GET
def report_compliance(request):
    """``/excel/report/compliance.xlsx?scope=&year=&plan=``: the dashboard's download button.

    An unknown scope or one outside the user's is 404 (``ScopeNotFound``), as in the API.
    """
    try:
        query = compliance_params(request.user, request.GET)
    except BadParameter as exc:
        return HttpResponseBadRequest(
            "；".join(exc.messages), content_type="text/plain; charset=utf-8"
        )
    return report_response(request=request, query=query)


@require_http_methods(["GET", "POST"])
def import_page(request, resource):
    """Upload a filled template; show every problem by row and column, or what was imported."""
    resource = get_resource(resource)
    require_importer(request.user, resource)
    result = None
    file_error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            file_error = "请选择要上传的 .xlsx 文件。"
        elif request.POST.get("background"):
            try:
                job_start_import(
                    resource=resource,
                    upload=upload,
                    user=request.user,
                    dry_run=bool(request.POST.get("dry_run")),
                )
            except ImportFileError as exc:
                file_error = exc.message
            else:
                # Back to this page: the job's progress shows there, now and on any later visit.
                return redirect(reverse("excel-import", args=[resource.slug]))
        else:
            try:
                result = import_workbook(
                    resource=resource,
                    upload=upload,
                    user=request.user,
                    request=request,
                    dry_run=bool(request.POST.get("dry_run")),
                    file_name=upload.name,
                    row_limit=web_row_limit(),
                    limit_hint=WEB_LIMIT_HINT,
                byte_limit=web_max_bytes(),
                )
            except ImportFileError as exc:
                file_error = exc.message
    return render(
        request,
        "excel/import.html",
        {
            "resource": resource,
            "result": result,
            "errors": result.errors[:1000] if result else [],
            "more_errors": max(len(result.errors) - 1000, 0) if result else 0,
            "file_error": file_error,
            "columns": resource.columns,
            "row_limit": web_row_limit(),
            "job_row_limit": max_rows(),
            "max_mb": web_max_bytes() // (1024 * 1024),
            "job_max_mb": max_bytes() // (1024 * 1024),
            "template_url": reverse("excel-template", args=[resource.slug]),
            "jobs": recent_jobs(request.user, resource.slug),
        },
    )


# -- REST API --------------------------------------------------------------------------


class _ExcelAPIView(APIView):
    """The Excel endpoints of the API. ``ScopeNotFound`` (unknown or outside the caller's
    scope) answers 404 and ``BadParameter`` 400 through the API's exception handler."""

    permission_classes = [permissions.IsAuthenticated]


XLSX_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="Excel 工作簿（.xlsx）。")
SCOPE = OpenApiParameter(
    "scope", str, description="区划、街道或社区代码；默认为当前用户的管辖范围。"
)
RESOURCE = OpenApiParameter(
    "resource",
    str,
    OpenApiParameter.PATH,
    enum=list(RESOURCES),
    description="数据种类。",
)


@extend_schema(
    tags=["Excel"],
    summary="达标情况报表（Excel）",
    parameters=[
        SCOPE,
        OpenApiParameter("year", int, description="年度；默认为规划目标年度。"),
        OpenApiParameter("plan", str, description="规划代码；默认为当前规划。"),
    ],
    responses={
        (200, XLSX): XLSX_RESPONSE,
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="未知的规划或超出范围的年度。"),
        404: OpenApiResponse(description="未知的区划，或区划不在当前用户的管辖范围内。"),
    },
)
class ComplianceReportAPI(_ExcelAPIView):
    """``GET reports/compliance.xlsx?scope=&year=&plan=``: the compliance report workbook."""

    def get(self, request):
        query = compliance_params(request.user, request.query_params)
        return report_response(request=request, query=query)


@extend_schema(
    tags=["Excel"],
    summary="数据导出（Excel，导入模板格式）",
    parameters=[RESOURCE, SCOPE],
    responses={
        (200, XLSX): XLSX_RESPONSE,
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="记录过多，请缩小范围。"),
        404: OpenApiResponse(description="没有这种数据，或区划不在管辖范围内。"),
    },
)
class ResourceExportAPI(_ExcelAPIView):
    """``GET reports/<resource>.xlsx?scope=``: the records as a workbook in the template's layout."""

    def get(self, request, resource):
        resource = RESOURCES.get(resource)
        if resource is None:
            raise exceptions.NotFound("没有这种数据。")
        try:
            return export_response(
                resource=resource, request=request, scope_raw=request.query_params.get("scope")
            )
        except ExportTooLarge as exc:
            return Response({"scope": [exc.message]}, status=status.HTTP_400_BAD_REQUEST)


@extend_schema(
    tags=["Excel"],
    summary="导入模板（Excel）",
    parameters=[RESOURCE],
    responses={(200, XLSX): XLSX_RESPONSE, 404: OpenApiResponse(description="没有这种数据。")},
)
class TemplateAPI(_ExcelAPIView):
    """``GET imports/<resource>/template.xlsx``: the empty import template."""

    def get(self, request, resource):
        resource = RESOURCES.get(resource)
        if resource is None:
            raise exceptions.NotFound("没有这种数据。")
        return template_response(resource)


@extend_schema(
    tags=["Excel"],
    summary="Excel 批量导入",
    parameters=[
        RESOURCE,
        OpenApiParameter("dry_run", bool, description="只检查，不导入。"),
        OpenApiParameter(
            "async", bool, description="作为后台任务导入：立即答复 202 和任务，进度见 jobs/{id}/。"
        ),
    ],
    request={
        "multipart/form-data": {
            "type": "object",
            "properties": {"file": {"type": "string", "format": "binary"}},
            "required": ["file"],
        }
    },
    responses={
        200: OpenApiResponse(
            OpenApiTypes.OBJECT, description="检查通过并已导入（或 dry_run 时只检查）：各项计数。"
        ),
        202: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="async=1：任务已排队（同一用户同一文件正在处理时，答复原任务）。",
        ),
        400: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="文件无法读取（file），或逐行列出的问题（errors：row、column、message），未导入任何数据。",
        ),
        403: OpenApiResponse(description="当前角色不能导入数据。"),
        404: OpenApiResponse(description="没有这种数据。"),
    },
)
class ImportAPI(_ExcelAPIView):
    """``POST imports/<resource>/`` (multipart ``file``; ``?dry_run=1`` only checks).

    200 with the counts when the file was clean and applied; 400 with every problem by row
    and column (nothing saved), or with ``file`` for a file that is not a usable workbook.
    """

    parser_classes = [MultiPartParser, FormParser]

    def post(self, request, resource):
        resource = RESOURCES.get(resource)
        if resource is None:
            raise exceptions.NotFound("没有这种数据。")
        upload = request.FILES.get("file")
        if upload is None:
            return Response(
                {"file": ["请上传 .xlsx 文件（表单字段 file）。"]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        dry_run = _flag(request, "dry_run")
        if _flag(request, "async"):
            return self.start_job(request, resource, upload, dry_run)
        try:
            result = import_workbook(
                resource=resource,
                upload=upload,
                user=request.user,
                request=request,
                dry_run=dry_run,
                file_name=upload.name,
                row_limit=web_row_limit(),
                limit_hint=WEB_LIMIT_HINT,
                byte_limit=web_max_bytes(),
            )
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        except ImportFileError as exc:
            return Response({"file": [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
        body = result.as_dict()
        return Response(
            body, status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST
        )

    def start_job(self, request, resource, upload, dry_run: bool) -> Response:
        """Queue the import as a job and answer 202 with it (the running one for the same file)."""
        try:
            job, _ = job_start_import(
                resource=resource, upload=upload, user=request.user, dry_run=dry_run
            )
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        except ImportFileError as exc:
            return Response({"file": [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
        body = job_body(job)
        return Response(
            body,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": reverse("api-job-detail", args=[job.pk])},
        )


def _flag(request, name: str) -> bool:
    value = request.query_params.get(name) or request.data.get(name) or ""
    return str(value).lower() in ("1", "true", "yes")


def api(view):
    """The API authenticates inside DRF (session or token); the site-wide login redirect must not."""
    return login_not_required(view)
