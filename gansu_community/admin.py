"""The portal's Django admin site: Chinese titles and the province summary on the index."""

import logging

from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from core.scoping import PROVINCE_CODE, user_scope_code

logger = logging.getLogger(__name__)


# The admin site -------------------------------------------------------------------------


def province_summary(request) -> dict | None:
    """Return the province's compliance in the current plan's target year, for those who see it all.

    The same figures as the dashboards and the API (``targets.engine.compute_region``).
    """
    if user_scope_code(request.user) != PROVINCE_CODE:
        return None
    from communities.scopes import UnknownScope
    from targets.engine import compute_region
    from targets.models import Plan
    from targets.plans import current_plan
    from targets.registry import INDICATOR_BY_CODE, percent_label

    try:
        plan = current_plan()
        result = compute_region(
            scope_code=PROVINCE_CODE, year=plan.target_year, plan=plan, with_children=False
        )
    except (Plan.DoesNotExist, UnknownScope):
        return None  # no plan or no hierarchy loaded yet
    except Exception:
        # The summary is an aid on the index page: never lock administrators out of the admin.
        logger.exception("无法计算管理后台首页的全省达标情况")
        return None
    rows = []
    for item in result.indicators:
        indicator = INDICATOR_BY_CODE[item.code]
        rows.append(
            {
                "name": indicator.name,
                "threshold": indicator.threshold_amount(item.threshold),
                "applicable": item.applicable,
                "compliant": item.compliant,
                "missing": item.missing,
                "rate": percent_label(item.rate) or "—",
                "gap": indicator.gap_label(item.gap) or "—",
            }
        )
    try:
        dashboard_url = reverse("dashboard", args=[PROVINCE_CODE])
    except NoReverseMatch:
        dashboard_url = None
    return {
        "name": result.name,
        "year": result.year,
        "plan": plan.name,
        "rows": rows,
        "community_count": result.community_count,
        "fully_compliant_count": result.fully_compliant_count,
        "fully_compliant_rate": percent_label(result.fully_compliant_rate) or "—",
        "dashboard_url": dashboard_url,
    }


class PortalAdminSite(admin.AdminSite):
    """The Django admin of the portal: Chinese titles and the province summary on the index."""

    site_header = "甘肃省社区服务体系建设管理平台"
    site_title = "甘肃省社区服务体系建设管理平台"
    index_title = "数据管理"

    @property
    def login_form(self):
        from accounts.forms import AdminLoginForm

        return AdminLoginForm

    def has_permission(self, request):
        """Admit a session that passed the second factor when the admin requires one.

        With ``ADMIN_OTP_REQUIRED`` (DEBUG off) every user of the admin signs in here with a
        dynamic password; a portal session signed in with the password alone is sent to the
        admin's login page.
        """
        from accounts.otp import admin_otp_enforced, session_verified

        if not super().has_permission(request):
            return False
        return not admin_otp_enforced() or session_verified(request)

    def get_urls(self):
        """The admin's "view on site" redirect (``r/<ct>/<id>/``) answers 404 outside the scope.

        Django's shortcut redirects to any row's page, telling that the row exists even where
        the user may not see it; here the row must be one the model's admin shows the user.
        """
        from django.urls import path

        urls = super().get_urls()
        scoped = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site_redirect),
            name="view_on_site",
        )
        return [scoped if getattr(u, "name", None) == "view_on_site" else u for u in urls]

    def view_on_site_redirect(self, request, content_type_id, object_id):
        from django.contrib.contenttypes import views as contenttype_views
        from django.contrib.contenttypes.models import ContentType
        from django.core.exceptions import ObjectDoesNotExist, ValidationError
        from django.http import Http404

        plain = str(content_type_id).isascii() and str(content_type_id).isdigit()
        if not plain or "\x00" in str(object_id):
            raise Http404("不存在或无权查看。")  # no lookup with what no database can compare
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
            model_admin = self._registry.get(model)
            visible = model_admin is not None and (
                model_admin.get_queryset(request).filter(pk=object_id).exists()
            )
        except (ObjectDoesNotExist, ValueError, ValidationError):
            visible = False
        if not visible:
            raise Http404("不存在或无权查看。")
        return contenttype_views.shortcut(request, content_type_id, object_id)

    def index(self, request, extra_context=None):
        context = {"compliance": province_summary(request), **(extra_context or {})}
        return super().index(request, context)
