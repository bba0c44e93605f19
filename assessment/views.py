"""Pages of the 目标考核: the schemes, a scheme's ranking, a unit's score sheet and its steps,
and the Excel workbooks of both."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core import views as records
from core.audit import RECORD_ADD, audit, record_detail
from core.policy import policy_for
from core.roles import RECORD_ROLES, role_of
from core.scoping import get_visible_or_404
from core.services import StaleVersionError

from . import services
from .methods import MANUAL, VETO
from .models import Assessment, EvidenceFile, ItemScore, Scheme, Status
from .ranking import previous_scheme, scheme_ranking
from .workflow import ASSESSMENT_WORKFLOW

STEP_SERVICES = {
    "submit": (services.assessment_submit, "自评已提交上级评分"),
    "score": (services.assessment_score, "评分已提交省级复核"),
    "review": (services.assessment_review, "已复核"),
    "finalise": (services.assessment_finalise, "已定等"),
}


def _schemes(user):
    return policy_for(Scheme).visible_to(user)


def _require_record_role(user) -> None:
    """三员分立: the security and audit administrators open no assessment page."""
    if role_of(user) not in RECORD_ROLES:
        raise PermissionDenied("您的角色不查看目标考核。")


def home(request):
    """The schemes, newest first, with how far their rounds have come."""
    _require_record_role(request.user)
    schemes = _schemes(request.user).annotate(
        units=Count("assessments"),
        finals=Count("assessments", filter=Q(assessments__status=Status.FINAL)),
    )
    return render(request, "assessment/home.html", {"schemes": schemes})


def ranking(request, pk):
    """A scheme's ranking: score, grade, rank, each item's score, the change from last year."""
    scheme = get_object_or_404(_schemes(request.user), pk=pk)
    items = list(scheme.items.all())
    last = previous_scheme(scheme)
    rows = scheme_ranking(scheme, request.user, items=items, last=last)
    # A veto item has no points: the grade column says 一票否决, so it takes no column here.
    columns = [item for item in items if item.kind != VETO]
    context = {
        "scheme": scheme,
        "items": columns,
        "rows": [
            {"row": row, "cells": [row.scores.get(item.code) for item in columns]} for row in rows
        ],
        "last": last,
        "counts": {
            "units": len(rows),
            "final": sum(1 for row in rows if row.assessment.is_final),
        },
        "can_launch": policy_for(Scheme).can(request.user, "launch", scheme),
    }
    return render(request, "assessment/ranking.html", context)


def _round(request, pk) -> Assessment:
    return get_visible_or_404(Assessment, request.user, pk)


def _sheet_rows(assessment: Assessment) -> list[ItemScore]:
    return list(
        assessment.scores.select_related("item")
        .prefetch_related("files")
        .order_by("item__position", "item_id")
    )


def sheet(request, pk):
    """A unit's score sheet (考核内容、考核标准、分值、考核方式、得分), printable on A4."""
    assessment = _round(request, pk)
    scheme = assessment.scheme
    policy = policy_for(Assessment)
    scores = _sheet_rows(assessment)
    may_enter = assessment.status != Status.FINAL and policy.can(request.user, "enter", assessment)
    steps = [ASSESSMENT_WORKFLOW[name] for name in policy.transitions(request.user, assessment)]
    context = {
        "assessment": assessment,
        "scheme": scheme,
        "scores": scores,
        "may_enter": may_enter,
        "stage": assessment.status,
        "steps": steps,
        "base_total": sum((s.effective for s in scores if s.item.spec.counts_in_base), Decimal(0)),
    }
    return render(request, "assessment/sheet.html", context)


def unit_sheet(request, code):
    """The newest score sheet of a unit the user may see (the dashboards' cards link here)."""
    _require_record_role(request.user)
    assessment = (
        Assessment.objects.visible_to(request.user)
        .filter(unit_code=code)
        .order_by("-scheme__year", "-pk")
        .first()
    )
    if assessment is None:
        messages.info(request, "该单位尚无可以查看的目标考核评分表。")
        return redirect("assessment-home")
    return redirect("assessment-sheet", assessment.pk)


def _deduction_lines(text: str, label: str) -> list[dict]:
    """Read "事由 分数" lines from a textarea into ``[{"reason", "points"}]``."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        reason, _, points = line.rpartition(" ")
        try:
            Decimal(points)
        except InvalidOperation:
            raise ValidationError(f"{label}第{number}行应为“事由 分数”，如“台账不全 2”。") from None
        rows.append({"reason": reason.strip(), "points": points})
    return rows


def _form_entries(post, scores: list[ItemScore], stage: str) -> list[dict]:
    """Turn the sheet's form into the entries the services take."""
    entries = []
    for score in scores:
        item, code = score.item, score.item.code
        entry = {"item": code}
        raw = post.get(f"score-{code}", "").strip()
        lines = post.get(f"deductions-{code}", "")
        if f"evidence-{code}" in post:
            entry["evidence"] = post.get(f"evidence-{code}", "")
        if stage == Status.SELF_ASSESSMENT:
            if item.kind != MANUAL:
                continue
            if lines.strip():
                entry["deductions"] = _deduction_lines(lines, item.name)
            elif raw:
                entry["score"] = raw
        elif item.is_automatic:
            entry["score"] = raw or None
            entry["reason"] = post.get(f"reason-{code}", "")
        elif item.kind == VETO:
            entry["vetoed"] = post.get(f"vetoed-{code}") == "on"
            entry["reason"] = post.get(f"reason-{code}", "")
        else:
            if lines.strip():
                entry["deductions"] = _deduction_lines(lines, item.name)
            elif raw:
                entry["score"] = raw
            if f"reason-{code}" in post:
                entry["reason"] = post.get(f"reason-{code}", "")
        if len(entry) > 1:
            entries.append(entry)
    return entries


def _version(post) -> int | None:
    version = post.get("version")
    return int(version) if str(version or "").isdigit() else None


def _save_files(request, assessment: Assessment, scores: list[ItemScore]) -> int:
    saved = 0
    for score in scores:
        for upload in request.FILES.getlist(f"files-{score.item.code}"):
            evidence = EvidenceFile(score=score, file=upload, uploaded_by=request.user)
            evidence.full_clean()
            evidence.save()
            audit(
                action=RECORD_ADD,
                user=request.user,
                scope_code=assessment.unit_code,
                detail=record_detail(evidence, item=score.item.code),
            )
            saved += 1
    return saved


@require_POST
@records.explain_forbidden
def enter(request, pk):
    """Save the scores of the current stage (and take the stage's step if asked)."""
    assessment = _round(request, pk)
    policy_for(Assessment).require(request.user, "enter", assessment)
    scores = _sheet_rows(assessment)
    name = request.POST.get("step", "")
    try:
        entries = _form_entries(request.POST, scores, assessment.status)
        with transaction.atomic():
            saved = services.assessment_enter(
                assessment=assessment,
                user=request.user,
                entries=entries,
                expected_version=_version(request.POST),
            )
            files = _save_files(request, saved, scores)
            if name in STEP_SERVICES:
                service, done = STEP_SERVICES[name]
                service(assessment=saved, user=request.user, expected_version=saved.version)
    except StaleVersionError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        note = f"（上传佐证材料{files}份）" if files else ""
        messages.success(
            request,
            f"{assessment.unit_name}：{done if name in STEP_SERVICES else '得分已保存'}{note}。",
        )
    return redirect("assessment-sheet", assessment.pk)


@require_POST
@records.explain_forbidden
def step(request, pk, name):
    """Take one step of the round (提交自评、提交评分、复核、定等)."""
    if name not in STEP_SERVICES:
        raise Http404("没有该考核环节。")
    assessment = _round(request, pk)
    service, done = STEP_SERVICES[name]
    try:
        service(assessment=assessment, user=request.user, expected_version=_version(request.POST))
    except StaleVersionError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"{assessment.unit_name}：{done}。")
    return redirect("assessment-sheet", assessment.pk)


@require_POST
@records.explain_forbidden
def launch(request, pk):
    """发起考核: open the rounds of every unit of the scheme's level."""
    scheme = get_object_or_404(_schemes(request.user), pk=pk)
    try:
        created = services.scheme_launch(scheme=scheme, user=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已为{created}个单位发起考核。")
    return redirect(reverse("assessment-ranking", args=[scheme.pk]))


def evidence_file(request, pk):
    """A file of evidence, for those who may see its sheet (404 otherwise)."""
    evidence = get_object_or_404(EvidenceFile.objects.select_related("score__assessment"), pk=pk)
    if not policy_for(Assessment).can_view(request.user, evidence.score.assessment):
        raise Http404("不存在或无权查看。")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("佐证材料文件已不存在。") from None
    return FileResponse(handle, as_attachment=True, filename=str(evidence))


def ranking_xlsx(request, pk):
    """The ranking as an official return (Excel)."""
    from .workbook import ranking_workbook_response

    scheme = get_object_or_404(_schemes(request.user), pk=pk)
    return ranking_workbook_response(request, scheme)


def sheet_xlsx(request, pk):
    """A unit's score sheet as an official return (Excel)."""
    from .workbook import sheet_workbook_response

    return sheet_workbook_response(request, _round(request, pk))
