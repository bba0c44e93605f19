"""志愿者转移 pages: the receiving community's request, the approver's queue, the request."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from communities.models import Community
from core.policy import ADD, VIEW, policy_for
from core.scoping import user_scope_code
from core.services import StaleVersionError
from core.views import explain_forbidden

from . import services
from .forms import ReasonForm, TransferRequestForm
from .models import TransferRequest, TransferStatus, Volunteer
from .policies import may_decide_transfer

PER_PAGE = 50
STEPS = {
    "approve": services.transfer_approve,
    "refuse": services.transfer_refuse,
    "withdraw": services.transfer_withdraw,
}


def _visible(request):
    return (
        policy_for(TransferRequest)
        .visible_to(request.user)
        .select_related("volunteer", "from_community", "to_community", "requested_by", "decided_by")
    )


@explain_forbidden
def transfer_request_create_view(request, code):
    """Ask for a volunteer registered in another community, by their full ID number."""
    community = get_object_or_404(Community.objects.visible_to(request.user), code=code)
    policy_for(TransferRequest).require(request.user, ADD, community.code)
    form = TransferRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.transfer_request_create(
                user=request.user,
                to_community=community,
                id_number=form.cleaned_data["id_number"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_model_errors(exc)
        else:
            messages.success(request, "转移申请已提交，待街道或上级审核。")
            return redirect("volunteer-transfer-detail", transfer.pk)
    return render(request, "volunteers/transfer_form.html", {"community": community, "form": form})


@explain_forbidden
def transfer_list(request):
    """List the requests the user sees; those waiting for the user's decision first."""
    policy = policy_for(TransferRequest)
    policy.require(request.user, VIEW)
    rows = _visible(request).order_by("-created_at", "-pk")
    to_decide = [
        row
        for row in rows.filter(status=TransferStatus.REQUESTED)[:PER_PAGE]
        if may_decide_transfer(request.user, row.from_community_id, row.to_community_id)
    ]
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for row in [*to_decide, *page.object_list]:
        row.shows_volunteer = policy.can_see_volunteer(request.user, row)
    scope = user_scope_code(request.user) or ""
    can_ask = len(scope) == 12 and policy.can(request.user, ADD, scope)
    return render(
        request,
        "volunteers/transfer_list.html",
        {"to_decide": to_decide, "page": page, "ask_code": scope if can_ask else ""},
    )


def transfer_detail(request, pk):
    """Show one request; its volunteer only to whoever may see them where they are now."""
    transfer = get_object_or_404(_visible(request), pk=pk)
    policy = policy_for(TransferRequest)
    return render(
        request,
        "volunteers/transfer_detail.html",
        {
            "transfer": transfer,
            "shows_volunteer": policy.can_see_volunteer(request.user, transfer),
            # The decider of a transfer out of their area no longer sees the volunteer's page.
            "opens_volunteer": policy_for(Volunteer).can(
                request.user, VIEW, transfer.volunteer.community_id
            ),
            "steps": policy.transitions(request.user, transfer),
            "form": ReasonForm(initial={"version": transfer.version}),
        },
    )


@explain_forbidden
def transfer_step(request, pk, step):
    """Approve, refuse or withdraw a request (POST from the request page)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    transfer = get_object_or_404(_visible(request), pk=pk)
    service = STEPS.get(step)
    if service is None:
        return HttpResponseNotAllowed(["POST"])
    form = ReasonForm(request.POST)
    form.is_valid()
    params = {"transfer": transfer, "user": request.user}
    params["expected_version"] = form.cleaned_data.get("version")
    if step != "withdraw":
        params["reason"] = form.cleaned_data.get("reason", "")
    try:
        service(**params)
        messages.success(request, f"转移申请 #{transfer.pk} 已处理。")
    except StaleVersionError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("volunteer-transfer-detail", transfer.pk)
