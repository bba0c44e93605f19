"""Certificate pages: the public verification, and issuing, viewing, downloading and revoking."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.policy import policy_for
from core.services import StaleVersionError
from core.views import explain_forbidden
from volunteers.models import Volunteer

from .forms import CertificateIssueForm, RevokeForm
from .models import Certificate
from .pdf import certificate_pdf, verify_url
from .services import certificate_issue, certificate_revoke
from .verification import certificate_lookup, public_facts, rate_exceeded

NOT_FOUND = "未查询到与该编号和校验码相符的志愿服务证明，请核对后重新输入。"


@login_not_required
@never_cache
@require_GET
def verify_form(request):
    """Show the verification form; with ``number`` and ``code`` given, answer like the result."""
    number = request.GET.get("number", "")
    if number:
        return verify_result(request, number)
    return render(request, "certificates/verify.html", {"facts": None, "asked": False})


@login_not_required
@never_cache
@require_GET
def verify_result(request, number):
    """Show what a certificate may tell the public, or one answer for every mismatch."""
    if rate_exceeded(request):
        return render(
            request,
            "certificates/verify.html",
            {"asked": False, "limited": True, "facts": None},
            status=429,
        )
    certificate = certificate_lookup(number, request.GET.get("code", ""))
    if certificate is None:
        return render(
            request,
            "certificates/verify.html",
            {"asked": True, "facts": None, "message": NOT_FOUND},
            status=404,
        )
    return render(
        request, "certificates/verify.html", {"asked": True, "facts": public_facts(certificate)}
    )


def _visible(request, number) -> Certificate:
    return get_object_or_404(
        policy_for(Certificate)
        .visible_to(request.user)
        .select_related("volunteer", "organization", "community", "issued_by"),
        number=number,
    )


def certificate_detail(request, number):
    """Show one certificate to the staff who may see it."""
    certificate = _visible(request, number)
    policy = policy_for(Certificate)
    return render(
        request,
        "certificates/certificate_detail.html",
        {
            "certificate": certificate,
            "c": certificate.content,
            "verify_url": verify_url(certificate, request),
            "can_revoke": "revoke" in policy.transitions(request.user, certificate),
            "revoke_form": RevokeForm(initial={"version": certificate.version}),
        },
    )


def certificate_download(request, number):
    """Answer the certificate's A4 PDF."""
    certificate = _visible(request, number)
    response = FileResponse(
        io.BytesIO(certificate_pdf(certificate, request)),
        as_attachment=True,
        filename=f"志愿服务证明{certificate.number}.pdf",
        content_type="application/pdf",
    )
    return response


@explain_forbidden
def certificate_revoke_view(request, number):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    certificate = _visible(request, number)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            certificate_revoke(
                certificate=certificate,
                user=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data.get("version"),
            )
            messages.success(request, f"证明 {certificate.number} 已撤销。")
        except StaleVersionError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "撤销证明时必须填写原因。")
    return redirect("certificate-detail", number)


@explain_forbidden
def certificate_issue_view(request, pk):
    """Issue a certificate for one volunteer from the issuer's confirmed records."""
    volunteer = get_object_or_404(
        policy_for(Volunteer).visible_to(request.user).select_related("community"), pk=pk
    )
    policy_for(Certificate).require(request.user, "add", volunteer.scope_code)
    form = CertificateIssueForm(request.POST or None, volunteer=volunteer)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = certificate_issue(
                volunteer=volunteer,
                user=request.user,
                organization=form.cleaned_data["organization"],
                period_from=form.cleaned_data["period_from"],
                period_to=form.cleaned_data["period_to"],
                contact=form.cleaned_data["contact"],
            )
        except ValidationError as exc:
            form.add_model_errors(exc)
        else:
            messages.success(request, f"已出具志愿服务证明 {certificate.number}。")
            return redirect("certificate-detail", certificate.number)
    certificates = list(volunteer.certificates.order_by("-issued_on", "-number"))
    return render(
        request,
        "certificates/certificate_issue.html",
        {"volunteer": volunteer, "form": form, "certificates": certificates},
    )
