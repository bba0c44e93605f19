"""Every URL of the project, for every role, against objects inside and outside the scope.

The project's URL patterns are walked recursively. Each one must be classified in ``ROUTES``
(portal, API, Excel) or be a Django admin page, whose expectation follows from the admin
policy table ``ADMIN_MODELS``. A pattern that is neither fails ``test_every_route_is_classified``
with the message telling the developer where to classify it, so that a new route cannot be
added without saying who may open it.

The world: Lanzhou (6201) → 城关区 (620102) → 团结新村街道 (620102016) → community
620102016001 ("inside": every role but anonymous sees it), and Tianshui (6202) → 620201 →
620201001 → 620201001001 ("outside": only the administrator sees it). Each community has one
record of every kind. Users: an administrator (role admin, not a superuser), a prefecture
official of 6201, a street official of 620102016, community staff of 620102016001, anonymous.

Answers: 200, 302 to the login page, 401 (API, anonymous), 403 (a role that may not do this, or
a write into a scope it may not write), 404 (a row or code outside the user's scope: the same
answer as a missing one), 405 (a POST-only action opened with GET).
"""

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from targets.registry import INDICATORS
from volunteers.models import Volunteer

from .matrix_world import SCOPE, Objects, build_objects, code_of

pytestmark = pytest.mark.django_db

ROLES = ("admin", "prefecture", "street", "staff", "security", "auditor", "anonymous")
#: 三员分立 (等保 §8.1.4.2): the security administrator manages accounts, the audit
#: administrator reads the log; neither opens a record, a dashboard or a report.
SEPARATED = ("security", "auditor")
RECORD_ROLES = ("admin", "prefecture", "street", "staff")
REFUSED = {403, 404, 405}
SIDES = ("in", "out")

LOGIN = "login"  # a 302 to a login page
ANY_REDIRECT = 302


# -- walking the URL patterns -------------------------------------------------------------------


def walk(patterns=None, prefix: str = "") -> list[str]:
    """Return every URL pattern of the project as one route string (``api/v1/^streets/$``)."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            routes.extend(walk(pattern.url_patterns, prefix + str(pattern.pattern)))
        elif isinstance(pattern, URLPattern):
            routes.append(prefix + str(pattern.pattern))
    return routes


PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)|\([^)]*\)")


def fill(route: str, values: dict[str, str], positional: tuple[str, ...] = ()) -> str:
    """Put ``values`` into the route's parameters and return the path."""
    queue = list(positional)

    def replace(match):
        name = match.group(1) or match.group(2)
        if name is None:
            return str(queue.pop(0))
        return str(values[name])

    return "/" + PARAM.sub(replace, route).replace("^", "").replace("$", "")


# -- the policy, in the words of DESIGN.md ---------------------------------------------------


def sees(role: str, code: str | None) -> bool:
    """The one scoping rule: a user sees what lies under their code."""
    return code is None or code.startswith(SCOPE[role])


def writes(role: str, code: str | None) -> bool:
    """DESIGN.md, roles: admins write everything; staff the records under their code."""
    if role == "admin":
        return True
    return role == "staff" and code is not None and code.startswith(SCOPE[role])


def approves(role: str, code: str | None) -> bool:
    if role == "admin":
        return True
    return role in ("prefecture", "street") and code is not None and code.startswith(SCOPE[role])


# -- expectations -------------------------------------------------------------------------------

Expect = Callable[[str, str, Objects], set]


@dataclass
class Route:
    """How to open one pattern and what each role must get."""

    values: Callable[[str, Objects], dict] = lambda side, o: {}
    expect: Expect = None
    query: Callable[[str, Objects], str] = lambda side, o: ""
    positional: Callable[[str, Objects], tuple] = lambda side, o: ()


def read(kind: str, *, anonymous=LOGIN) -> Expect:
    """Rows of ``kind``: 200 inside the scope, 404 outside."""

    def expect(role, side, o):
        if role == "anonymous":
            return {anonymous}
        return {200} if sees(role, code_of(kind, o(kind, side))) else {404}

    return expect


def write(kind: str, *, anonymous=LOGIN, hidden_outside=(404,)) -> Expect:
    """A form that writes under a row of ``kind``: 404 outside, 403 for a role that may not write."""

    def expect(role, side, o):
        if role == "anonymous":
            return {anonymous}
        code = code_of(kind, o(kind, side))
        if not sees(role, code):
            return set(hidden_outside)
        return {200} if writes(role, code) else {403}

    return expect


def write_draft(kind: str) -> Expect:
    """Like ``write`` for statistics in draft; submitted rows are locked for staff."""
    base = write(kind)

    def expect(role, side, o):
        result = base(role, side, o)
        if result == {200} and role == "staff" and o(kind, side).status in ("submitted", "approved"):
            return {403}
        return result

    return expect


def approve(kind: str) -> Expect:
    def expect(role, side, o):
        if role == "anonymous":
            return {LOGIN}
        code = code_of(kind, o(kind, side))
        if not sees(role, code):
            return {404}
        return {200} if approves(role, code) else {403}

    return expect


def post_only(*, anonymous=LOGIN) -> Expect:
    def expect(role, side, o):
        return {anonymous} if role == "anonymous" else {405}

    return expect


def everyone(status=200, *, anonymous=LOGIN) -> Expect:
    def expect(role, side, o):
        return {anonymous} if role == "anonymous" else set(status if isinstance(status, set) else {status})

    return expect


def roles(allowed: set[str], *, anonymous=LOGIN, others=403) -> Expect:
    def expect(role, side, o):
        if role == "anonymous":
            return {anonymous}
        return {200} if role in allowed else {others}

    return expect


def api_read(kind: str) -> Expect:
    return read(kind, anonymous=401)


def code_values(kind: str, name: str = "code"):
    return lambda side, o: {name: code_of(kind, o(kind, side))}


def pk_values(kind: str, name: str = "pk"):
    return lambda side, o: {name: o(kind, side).pk}


def scope_query(kind: str, extra: str = ""):
    return lambda side, o: f"?scope={code_of(kind, o(kind, side))}{extra}"


IMPORTERS = {"admin", "staff"}
APPROVERS = {"admin", "prefecture", "street"}
INDICATOR = INDICATORS[0].code
RESOURCES = ("community-stats", "facilities", "volunteer-organizations", "volunteers", "social-organizations", "workers")

ROUTES: dict[str, Route] = {
    # -- accounts: sign-in, sign-out, landing page --
    "login/": Route(expect=lambda role, side, o: {200} if role == "anonymous" else {ANY_REDIRECT}),
    "logout/": Route(expect=lambda role, side, o: {LOGIN, 405} if role == "anonymous" else {405}),
    "password/": Route(expect=everyone()),  # 修改密码: one's own, for every signed-in user
    "": Route(expect=everyone(ANY_REDIRECT)),
    # -- dashboards --
    "dashboard/<str:code>/": Route(values=code_values("street"), expect=read("street")),
    "dashboard/<str:code>/chart/": Route(values=code_values("street"), expect=read("street"), query=lambda s, o: f"?indicator={INDICATOR}"),
    "dashboard/<str:code>/progress/": Route(values=code_values("street"), expect=read("street"), query=lambda s, o: f"?indicator={INDICATOR}"),
    "dashboard/<str:code>/failing/<str:indicator>/": Route(
        values=lambda side, o: {"code": o("street", side).code, "indicator": INDICATOR}, expect=read("street")
    ),
    "dashboard/<str:code>/failing-count/": Route(values=code_values("street"), expect=read("street")),
    "session/keep-alive/": Route(expect=everyone(204)),
    "search/": Route(expect=everyone()),
    # -- community pages, statistics, approvals, history --
    "communities/<str:code>/": Route(values=code_values("community"), expect=read("community")),
    "communities/<str:pk>/edit/": Route(values=code_values("community", "pk"), expect=write("community")),
    "streets/<str:code>/communities/": Route(values=code_values("street"), expect=read("street")),
    "communities/<str:code>/stats/new/": Route(values=code_values("community"), expect=write("community")),
    "stats/<int:pk>/": Route(values=pk_values("stat"), expect=read("stat")),
    "stats/<int:pk>/edit/": Route(values=pk_values("stat"), expect=write_draft("stat")),
    "stats/<int:pk>/delete/": Route(values=pk_values("stat"), expect=write_draft("stat")),
    "stats/<int:pk>/submit/": Route(values=pk_values("stat"), expect=post_only()),
    "stats/<int:pk>/approve/": Route(values=pk_values("stat_submitted"), expect=post_only()),
    "stats/<int:pk>/return/": Route(values=pk_values("stat_submitted"), expect=approve("stat_submitted")),
    "approvals/": Route(expect=roles(APPROVERS)),
    "approvals/approve/": Route(expect=post_only()),
    "history/<str:model>/<str:pk>/": Route(
        values=lambda side, o: {"model": "volunteer", "pk": o("volunteer", side).pk}, expect=read("volunteer")
    ),
    "communities/<str:code>/social-organizations/new/": Route(values=code_values("community"), expect=write("community")),
    "social-organizations/<int:pk>/edit/": Route(values=pk_values("social_organization"), expect=write("social_organization")),
    "social-organizations/<int:pk>/delete/": Route(values=pk_values("social_organization"), expect=write("social_organization")),
    "communities/<str:code>/facilities/new/": Route(values=code_values("community"), expect=write("community")),
    "streets/<str:code>/facilities/new/": Route(values=code_values("street"), expect=write("street")),
    "facilities/<int:pk>/edit/": Route(values=pk_values("facility"), expect=write("facility")),
    "facilities/<int:pk>/delete/": Route(values=pk_values("facility"), expect=write("facility")),
    "communities/<str:code>/volunteer-organizations/new/": Route(values=code_values("community"), expect=write("community")),
    "volunteer-organizations/<int:pk>/edit/": Route(values=pk_values("volunteer_organization"), expect=write("volunteer_organization")),
    "volunteer-organizations/<int:pk>/delete/": Route(values=pk_values("volunteer_organization"), expect=write("volunteer_organization")),
    "communities/<str:code>/volunteers/new/": Route(values=code_values("community"), expect=write("community")),
    "volunteers/<int:pk>/edit/": Route(values=pk_values("volunteer"), expect=write("volunteer")),
    "volunteers/<int:pk>/delete/": Route(values=pk_values("volunteer"), expect=write("volunteer")),
    "communities/<str:code>/workers/new/": Route(values=code_values("community"), expect=write("community")),
    "workers/<int:pk>/edit/": Route(values=pk_values("worker"), expect=write("worker")),
    "workers/<int:pk>/delete/": Route(values=pk_values("worker"), expect=write("worker")),
    # -- service standards and community teams --
    "standards/": Route(expect=everyone()),
    "standards/catalogue/": Route(expect=everyone()),
    "standards/reviews/": Route(expect=roles(APPROVERS)),
    "standards/facilities/<int:pk>/": Route(values=pk_values("facility"), expect=read("facility")),
    "standards/facilities/<int:pk>/checks/new/": Route(values=pk_values("facility"), expect=write("facility")),
    "standard-checks/<int:pk>/edit/": Route(values=pk_values("standard_check"), expect=write("standard_check")),
    "standard-checks/<int:pk>/delete/": Route(values=pk_values("standard_check"), expect=write("standard_check")),
    "standard-checks/<int:pk>/attachment/": Route(values=pk_values("standard_check"), expect=read("standard_check")),
    "standard-checks/<int:pk>/review/": Route(values=pk_values("standard_check"), expect=post_only()),
    "standard-checks/<int:pk>/return/": Route(values=pk_values("standard_check"), expect=post_only()),
    "standard-checks/<int:pk>/submit/": Route(values=pk_values("standard_check"), expect=post_only()),
    "teams/": Route(expect=read("street"), query=scope_query("street", "&year=2015")),
    "teams/training/": Route(expect=read("street"), query=scope_query("street", "&year=2015")),
    "teams/communities/<str:code>/": Route(values=code_values("community"), expect=read("community")),
    "communities/<str:code>/committees/new/": Route(values=code_values("community"), expect=write("community")),
    "committees/<int:pk>/edit/": Route(values=pk_values("committee"), expect=write("committee")),
    "committees/<int:pk>/delete/": Route(values=pk_values("committee"), expect=write("committee")),
    "communities/<str:code>/entrusted-projects/new/": Route(values=code_values("community"), expect=write("community")),
    "streets/<str:code>/entrusted-projects/new/": Route(values=code_values("street"), expect=write("street")),
    "entrusted-projects/<int:pk>/edit/": Route(values=pk_values("entrusted_project"), expect=write("entrusted_project")),
    "entrusted-projects/<int:pk>/delete/": Route(values=pk_values("entrusted_project"), expect=write("entrusted_project")),
    "training-plans/new/": Route(expect=roles({"admin"})),
    "training-plans/<int:pk>/edit/": Route(values=pk_values("training_plan"), expect=roles({"admin"})),
    "training-plans/<int:pk>/delete/": Route(values=pk_values("training_plan"), expect=roles({"admin"})),
    # -- 目标考核: schemes are read by every record role; a round open only under its unit --
    "assessment/": Route(expect=everyone()),
    "assessment/schemes/<int:pk>/": Route(values=pk_values("assessment_scheme"), expect=everyone()),
    "assessment/schemes/<int:pk>/ranking.xlsx": Route(values=pk_values("assessment_scheme"), expect=everyone()),
    "assessment/schemes/<int:pk>/launch/": Route(values=pk_values("assessment_scheme"), expect=post_only()),
    "assessment/units/<str:code>/": Route(values=code_values("county"), expect=everyone(ANY_REDIRECT)),
    "assessment/<int:pk>/": Route(values=pk_values("assessment"), expect=read("assessment")),
    "assessment/<int:pk>/sheet.xlsx": Route(values=pk_values("assessment"), expect=read("assessment")),
    "assessment/<int:pk>/scores/": Route(values=pk_values("assessment"), expect=post_only()),
    "assessment/<int:pk>/<slug:name>/": Route(
        values=lambda side, o: {"pk": o("assessment", side).pk, "name": "submit"}, expect=post_only()
    ),
    "assessment/files/<int:pk>/": Route(values=pk_values("evidence"), expect=read("evidence")),
    "api/v1/^assessment-schemes/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^assessment-schemes/(?P<pk>[^/.]+)/$": Route(values=pk_values("assessment_scheme"), expect=everyone(anonymous=401)),
    "api/v1/^assessment-schemes/(?P<pk>[^/.]+)/ranking/$": Route(values=pk_values("assessment_scheme"), expect=everyone(anonymous=401)),
    "api/v1/^assessment-schemes/(?P<pk>[^/.]+)/launch/$": Route(values=pk_values("assessment_scheme"), expect=post_only(anonymous=401)),
    "api/v1/^assessments/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^assessments/(?P<pk>[^/.]+)/$": Route(values=pk_values("assessment"), expect=api_read("assessment")),
    **{
        f"api/v1/^assessments/(?P<pk>[^/.]+)/{step}/$": Route(values=pk_values("assessment"), expect=post_only(anonymous=401))
        for step in ("submit", "score", "review", "finalise")
    },
    # -- service records: the volunteer's own record, the community's records, bulk entry --
    "volunteers/<int:pk>/record/": Route(values=pk_values("volunteer"), expect=read("volunteer")),
    "communities/<str:code>/service-records/": Route(values=code_values("community"), expect=read("community")),
    "communities/<str:code>/service-records/bulk/": Route(values=code_values("community"), expect=write("community")),
    "service-records/<int:pk>/<slug:step>/": Route(
        values=lambda side, o: {"pk": o("service_record", side).pk, "step": "confirm"}, expect=post_only()
    ),
    # -- 志愿者转移: the receiving community's request, the queue, the request page --
    "communities/<str:code>/volunteer-transfers/new/": Route(values=code_values("community"), expect=write("community")),
    "volunteer-transfers/": Route(expect=everyone()),
    "volunteer-transfers/<int:pk>/": Route(values=pk_values("transfer"), expect=read("transfer")),
    "volunteer-transfers/<int:pk>/<slug:step>/": Route(
        values=lambda side, o: {"pk": o("transfer", side).pk, "step": "approve"}, expect=post_only()
    ),
    # -- certificates: the public verification (no login) and the staff's pages --
    "verify/": Route(expect=lambda role, side, o: {200}),
    "verify/<str:number>/": Route(
        values=lambda side, o: {"number": o("certificate", side).number},
        query=lambda side, o: f"?code={o('certificate', side).check_code}",
        expect=lambda role, side, o: {200},
    ),
    "volunteers/<int:pk>/certificates/new/": Route(values=pk_values("volunteer"), expect=write("volunteer")),
    "certificates/<str:number>/": Route(values=lambda side, o: {"number": o("certificate", side).number}, expect=read("certificate")),
    "certificates/<str:number>/pdf/": Route(values=lambda side, o: {"number": o("certificate", side).number}, expect=read("certificate")),
    "certificates/<str:number>/revoke/": Route(values=lambda side, o: {"number": o("certificate", side).number}, expect=post_only()),
    # -- the reporting cycle's pages --
    "reporting/<str:code>/": Route(values=code_values("street"), expect=read("street"), query=lambda s, o: "?year=2015"),
    "reporting/<str:code>/quality/": Route(values=code_values("street"), expect=read("street"), query=lambda s, o: "?year=2015"),
    "reporting/<str:code>/summary/": Route(values=code_values("street"), expect=read("street"), query=lambda s, o: "?year=2015"),
    "reporting/<str:code>/urge/": Route(values=code_values("street"), expect=post_only()),
    "inbox/": Route(expect=everyone()),
    "inbox/count/": Route(expect=everyone()),
    "inbox/read-all/": Route(expect=post_only()),
    "inbox/<int:pk>/open/": Route(values=lambda s, o: {"pk": 1}, expect=post_only()),
    "reporting/<str:code>/approve-unit/": Route(values=code_values("street"), expect=post_only()),
    # -- Excel in the portal --
    "excel/": Route(expect=everyone()),
    "excel/report/compliance.xlsx": Route(expect=read("street"), query=scope_query("street", "&year=2015")),
    "excel/templates/<slug:resource>.xlsx": Route(values=lambda s, o: {"resource": "volunteers"}, expect=everyone()),
    "excel/export/<slug:resource>.xlsx": Route(
        values=lambda s, o: {"resource": "volunteers"}, expect=read("community"), query=scope_query("community")
    ),
    "excel/import/<slug:resource>/": Route(values=lambda s, o: {"resource": "volunteers"}, expect=roles(IMPORTERS)),
    # -- REST API --
    "api/v1/auth/token/": Route(expect=lambda role, side, o: {405}),
    "api/v1/auth/logout/": Route(expect=post_only(anonymous=401)),
    "api/v1/auth/tokens/": Route(expect=everyone(anonymous=401)),
    "api/v1/auth/tokens/<str:token_key>/": Route(values=lambda s, o: {"token_key": "abcdef"}, expect=post_only(anonymous=401)),
    "api/v1/^divisions/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^divisions/(?P<code>[^/.]+)/$": Route(values=code_values("county"), expect=api_read("county")),
    "api/v1/^streets/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^streets/(?P<code>[^/.]+)/$": Route(values=code_values("street"), expect=api_read("street")),
    "api/v1/^communities/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^communities/(?P<code>[^/.]+)/$": Route(values=code_values("community"), expect=api_read("community")),
    "api/v1/^community-stats/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^community-stats/(?P<pk>[^/.]+)/$": Route(values=pk_values("stat"), expect=api_read("stat")),
    "api/v1/^community-stats/(?P<pk>[^/.]+)/approve/$": Route(values=pk_values("stat_submitted"), expect=post_only(anonymous=401)),
    "api/v1/^community-stats/(?P<pk>[^/.]+)/return/$": Route(values=pk_values("stat_submitted"), expect=post_only(anonymous=401)),
    "api/v1/^community-stats/(?P<pk>[^/.]+)/submit/$": Route(values=pk_values("stat"), expect=post_only(anonymous=401)),
    "api/v1/^facilities/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^facilities/(?P<pk>[^/.]+)/$": Route(values=pk_values("facility"), expect=api_read("facility")),
    "api/v1/^volunteer-organizations/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^volunteer-organizations/(?P<pk>[^/.]+)/$": Route(values=pk_values("volunteer_organization"), expect=api_read("volunteer_organization")),
    "api/v1/^volunteers/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^volunteers/(?P<pk>[^/.]+)/$": Route(values=pk_values("volunteer"), expect=api_read("volunteer")),
    "api/v1/^social-organizations/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^social-organizations/(?P<pk>[^/.]+)/$": Route(values=pk_values("social_organization"), expect=api_read("social_organization")),
    "api/v1/^workers/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^workers/(?P<pk>[^/.]+)/$": Route(values=pk_values("worker"), expect=api_read("worker")),
    "api/v1/^budget-lines/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^budget-lines/(?P<pk>[^/.]+)/$": Route(values=pk_values("budget_line"), expect=api_read("budget_line")),
    "api/v1/^budget-lines/(?P<pk>[^/.]+)/approve/$": Route(values=pk_values("budget_line_submitted"), expect=post_only(anonymous=401)),
    "api/v1/^budget-lines/(?P<pk>[^/.]+)/return/$": Route(values=pk_values("budget_line_submitted"), expect=post_only(anonymous=401)),
    "api/v1/^budget-lines/(?P<pk>[^/.]+)/submit/$": Route(values=pk_values("budget_line"), expect=post_only(anonymous=401)),
    "api/v1/^yearly-targets/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^yearly-targets/(?P<pk>[^/.]+)/$": Route(values=pk_values("yearly_target"), expect=api_read("yearly_target")),
    "api/v1/funding/": Route(expect=api_read("county"), query=scope_query("county", "&year=2013")),
    "funding/<str:code>/": Route(values=code_values("county"), expect=read("county")),
    "api/v1/^service-standards/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^service-standards/(?P<code>[^/.]+)/$": Route(values=lambda s, o: {"code": o("service_standard", s).code}, expect=everyone(anonymous=401)),
    "api/v1/^standard-checks/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^standard-checks/(?P<pk>[^/.]+)/$": Route(values=pk_values("standard_check"), expect=api_read("standard_check")),
    "api/v1/^committees/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^committees/(?P<pk>[^/.]+)/$": Route(values=pk_values("committee"), expect=api_read("committee")),
    "api/v1/^training-plans/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^training-plans/(?P<pk>[^/.]+)/$": Route(values=pk_values("training_plan"), expect=everyone(anonymous=401)),
    "api/v1/^entrusted-projects/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^entrusted-projects/(?P<pk>[^/.]+)/$": Route(values=pk_values("entrusted_project"), expect=api_read("entrusted_project")),
    "api/v1/teams/": Route(expect=api_read("street"), query=scope_query("street", "&year=2015")),
    "api/v1/^service-records/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^service-records/bulk/$": Route(expect=post_only(anonymous=401)),
    "api/v1/^service-records/(?P<pk>[^/.]+)/$": Route(values=pk_values("service_record"), expect=api_read("service_record")),
    "api/v1/^service-records/(?P<pk>[^/.]+)/confirm/$": Route(values=pk_values("service_record"), expect=post_only(anonymous=401)),
    "api/v1/^service-records/(?P<pk>[^/.]+)/dispute/$": Route(values=pk_values("service_record"), expect=post_only(anonymous=401)),
    "api/v1/^service-records/(?P<pk>[^/.]+)/refuse/$": Route(values=pk_values("service_record"), expect=post_only(anonymous=401)),
    "api/v1/certificates/<str:number>.pdf": Route(values=lambda side, o: {"number": o("certificate", side).number}, expect=api_read("certificate")),
    "api/v1/^volunteer-transfers/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^volunteer-transfers/(?P<pk>[^/.]+)/$": Route(values=pk_values("transfer"), expect=api_read("transfer")),
    **{
        f"api/v1/^volunteer-transfers/(?P<pk>[^/.]+)/{step}/$": Route(values=pk_values("transfer"), expect=post_only(anonymous=401))
        for step in ("approve", "refuse", "withdraw")
    },
    "api/v1/^certificates/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^certificates/(?P<number>[0-9]{12}-[0-9]{4}-[0-9]{6})/$": Route(values=lambda side, o: {"number": o("certificate", side).number}, expect=api_read("certificate")),
    "api/v1/^certificates/(?P<number>[0-9]{12}-[0-9]{4}-[0-9]{6})/revoke/$": Route(values=lambda side, o: {"number": o("certificate", side).number}, expect=post_only(anonymous=401)),
    "api/v1/compliance/": Route(expect=api_read("street"), query=scope_query("street", "&year=2015")),
    "api/v1/compliance/communities/": Route(expect=api_read("street"), query=scope_query("street", "&year=2015")),
    "api/v1/compliance/streets/": Route(expect=api_read("county"), query=scope_query("county", "&year=2015")),
    "api/v1/plans/": Route(expect=everyone(anonymous=401)),
    "api/v1/plans/<slug:code>/": Route(values=lambda s, o: {"code": o("plan", s).code}, expect=everyone(anonymous=401)),
    # -- the reporting cycle (reporting/) --
    "api/v1/reporting-periods/": Route(expect=everyone(anonymous=401)),
    "api/v1/reporting-periods/<int:year>/": Route(values=lambda s, o: {"year": o("period", s).year}, expect=everyone(anonymous=401)),
    "api/v1/reporting/": Route(expect=api_read("street"), query=scope_query("street", "&year=2015")),
    "api/v1/reporting/late/": Route(expect=api_read("street"), query=scope_query("street", "&year=2015")),
    "api/v1/reporting/approve-unit/": Route(expect=post_only(anonymous=401)),
    "api/v1/reports/compliance.xlsx": Route(expect=api_read("street"), query=scope_query("street", "&year=2015")),
    "api/v1/reports/<slug:resource>.xlsx": Route(
        values=lambda s, o: {"resource": "volunteers"}, expect=api_read("community"), query=scope_query("community")
    ),
    "api/v1/imports/<slug:resource>/template.xlsx": Route(values=lambda s, o: {"resource": "volunteers"}, expect=everyone(anonymous=401)),
    "api/v1/imports/<slug:resource>/": Route(values=lambda s, o: {"resource": "volunteers"}, expect=post_only(anonymous=401)),
    # -- 后台任务: one's own list; a job inside its starter's scope --
    "api/v1/^jobs/$": Route(expect=everyone(anonymous=401)),
    "jobs/<int:pk>/": Route(values=pk_values("job"), expect=read("job")),
    "jobs/<int:pk>/errors.xlsx": Route(values=pk_values("job"), expect=read("job")),
    "jobs/<int:pk>/output.xlsx": Route(values=pk_values("job"), expect=read("job")),
    "jobs/report/": Route(expect=post_only()),
    "jobs/export/<slug:resource>/": Route(values=lambda s, o: {"resource": "volunteers"}, expect=post_only()),
    "api/v1/^jobs/(?P<pk>[^/.]+)/$": Route(values=pk_values("job"), expect=api_read("job")),
    # -- 民情流水线 (casework) --
    "api/v1/^case-categories/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^case-categories/(?P<code>[^/.]+)/$": Route(values=lambda s, o: {"code": o("case_category", s).code}, expect=everyone(anonymous=401)),
    "api/v1/^handling-units/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^handling-units/(?P<pk>[^/.]+)/$": Route(values=pk_values("handling_unit"), expect=api_read("handling_unit")),
    "api/v1/^cases/$": Route(expect=everyone(anonymous=401)),
    "api/v1/^cases/(?P<pk>[^/.]+)/$": Route(values=pk_values("case"), expect=api_read("case")),
    **{
        f"api/v1/^cases/(?P<pk>[^/.]+)/{step}/$": Route(values=pk_values("case"), expect=post_only(anonymous=401))
        for step in ("accept", "dispatch", "send-back", "escalate", "resolve", "rate", "urge", "extend", "grant-extension", "refuse-extension")
    },
    "api/v1/casework/measures/": Route(expect=api_read("street"), query=scope_query("street", "&year=2015")),
    "casework/": Route(expect=everyone(ANY_REDIRECT)),
    "casework/new/": Route(expect=everyone()),
    "casework/queue/": Route(expect=everyone()),
    "casework/cases/<int:pk>/": Route(values=pk_values("case"), expect=read("case")),
    "casework/cases/<int:pk>/rate/": Route(values=pk_values("case"), expect=read("case")),
    "casework/cases/<int:pk>/<slug:name>/": Route(values=lambda s, o: {"pk": o("case", s).pk, "name": "accept"}, expect=post_only()),
    "casework/dashboard/<str:code>/": Route(values=code_values("street"), expect=read("street")),
    "casework/export.xlsx": Route(expect=read("street"), query=scope_query("street", "&year=2015")),
    "casework/template.xlsx": Route(expect=everyone()),
    "casework/import/": Route(expect=everyone()),
    # The API contract is public for the systems that integrate with it (API.md); it holds no data.
    "api/schema/": Route(expect=everyone(anonymous=200)),
    "api/docs/": Route(expect=everyone(anonymous=200)),
    # -- Django admin: site-wide pages (model pages follow ADMIN_MODELS) --
    "admin/": Route(expect=everyone(anonymous=LOGIN)),
    "admin/login/": Route(expect=lambda role, side, o: {200} if role == "anonymous" else {ANY_REDIRECT}),
    "admin/logout/": Route(expect=lambda role, side, o: {LOGIN, 405} if role == "anonymous" else {405}),
    "admin/password_change/": Route(expect=everyone()),
    "admin/password_change/done/": Route(expect=everyone()),
    # Without its parameters the autocomplete refuses; its scoping is tested separately.
    "admin/autocomplete/": Route(expect=everyone(403)),
    "admin/jsi18n/": Route(expect=everyone()),
    "admin/r/<path:content_type_id>/<path:object_id>/": Route(
        values=lambda side, o: {
            "content_type_id": ContentType.objects.get_for_model(o("community", side)).pk,
            "object_id": o("community", side).pk,
        },
        # No oracle: a row outside the scope answers 404 like a missing one.
        expect=lambda role, side, o: {LOGIN} if role == "anonymous" else ({ANY_REDIRECT} if sees(role, code_of("community", o("community", side))) else {404}),
    ),
    "admin/otp_totp/totpdevice/<path:object_id>/delete/": Route(
        values=lambda s, o: {"object_id": o("totpdevice", s).pk},
        expect=roles({"security"}),
    ),
    "admin/axes/accessattempt/<path:object_id>/delete/": Route(
        values=lambda s, o: {"object_id": o("accessattempt", s).pk},
        expect=roles({"security"}),
    ),
    "admin/(?P<url>.*)$": Route(values=lambda s, o: {"url": "no-such-page/"}, expect=lambda role, side, o: {LOGIN, 404} if role == "anonymous" else {404}),
}

# -- Django admin: one policy table ----------------------------------------------------------

ALL = {"admin", "prefecture", "street", "staff"}
# model label → (kind of row used as target, roles that may view, roles that may write)
ADMIN_MODELS = {
    "streets.division": ("county", ALL, {"admin"}),
    "streets.street": ("street", ALL, {"admin"}),
    # Staff change their own community's page (its 3D digital date) but add or delete none.
    "communities.community": ("community", ALL, {"admin"}),
    "communities.communitystat": ("stat", ALL, {"admin", "staff"}),
    "communities.socialorganization": ("social_organization", ALL, {"admin", "staff"}),
    "facilities.facility": ("facility", ALL, {"admin", "staff"}),
    "facilities.facilityfunding": ("funding", ALL, {"admin", "staff"}),
    "volunteers.volunteerorganization": ("volunteer_organization", ALL, {"admin", "staff"}),
    "volunteers.volunteer": ("volunteer", ALL, {"admin", "staff"}),
    "volunteers.servicerecord": ("service_record", ALL, {"admin", "staff"}),
    "volunteers.starthreshold": ("star_threshold", ALL, {"admin"}),
    # Certificates are frozen: read in the admin, issued and revoked in the portal only.
    "certificates.certificate": ("certificate", ALL, set()),
    "volunteers.transferrequest": ("transfer", ALL, set()),
    "workforce.worker": ("worker", ALL, {"admin", "staff"}),
    "workforce.training": ("training", ALL, {"admin", "staff"}),
    # Budget lines: officials enter their own region's (the add page opens for them); the
    # rows used here are a county's, which neither official of the matrix may change.
    "funding.budgetline": ("budget_line", ALL, {"admin", "prefecture", "street"}),
    # Yearly targets: administrators; a prefecture's officials for its counties (stricter only).
    "funding.yearlytarget": ("yearly_target", ALL, {"admin", "prefecture"}),
    # 民情流水线: categories are plan data; units are set up by officials in the portal and the
    # API (here administrators only); requests are registered in the portal (here: administrators).
    "casework.casecategory": ("case_category", ALL, {"admin"}),
    "casework.handlingunit": ("handling_unit", ALL, {"admin"}),
    "casework.case": ("case", ALL, {"admin"}),
    # Province-wide: plans are read by all, written by administrators.
    "targets.plan": ("plan", ALL, {"admin"}),
    "standards.servicestandard": ("service_standard", ALL, {"admin"}),
    "teams.trainingplan": ("training_plan", ALL, {"admin"}),
    "standards.standardcheck": ("standard_check", ALL, {"admin", "staff"}),
    "teams.committee": ("committee", ALL, {"admin", "staff"}),
    "teams.entrustedproject": ("entrusted_project", ALL, {"admin", "staff"}),
    "reporting.reportingperiod": ("period", ALL, {"admin"}),
    # 目标考核: schemes are the provincial administrators'; rounds change only by their steps.
    "assessment.scheme": ("assessment_scheme", ALL, {"admin"}),
    "assessment.assessment": ("assessment", ALL, set()),
    # Users, groups and the audit log are the administrators'; the audit log is written by nobody.
    # 三员分立: accounts are the security administrator's, the log the audit administrator's;
    # the system administrator (admin) opens neither.
    "accounts.user": ("user", {"security"}, {"security"}),
    "auth.group": ("group", {"security"}, {"security"}),
    "accounts.auditlog": ("auditlog", {"auditor"}, set()),
    # Tokens and lockout records: superusers only (Django permissions, granted to nobody here).
    "knox.authtoken": ("authtoken", set(), set()),
    # TOTP devices: the security administrator sees them and removes a lost one.
    "otp_totp.totpdevice": ("totpdevice", {"security"}, set()),
    # Lockouts: the security administrator views them and unlocks (deletes the attempt).
    "axes.accessattempt": ("accessattempt", {"security"}, set()),
    "axes.accesslog": ("accesslog", set(), set()),
    "axes.accessfailurelog": ("accessfailurelog", set(), set()),
}
ADMIN_PAGE = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/(?P<rest>.*)$")


def admin_route(route: str) -> Route | None:
    """Derive the expectation of a Django admin model page from ``ADMIN_MODELS``."""
    match = ADMIN_PAGE.match(route)
    if not match or f"{match['app']}.{match['model']}" not in ADMIN_MODELS:
        return None
    kind, viewers, writers = ADMIN_MODELS[f"{match['app']}.{match['model']}"]
    rest = match["rest"]

    def on_object(need_write: bool):
        def expect(role, side, o):
            if role == "anonymous":
                return {LOGIN}
            if role not in viewers:
                # The separated roles have no scope: a scoped row is not found for them.
                return REFUSED if role in SEPARATED else {403}
            code = code_of(kind, o(kind, side))
            if not sees(role, code):
                return {404}
            if need_write and not (role in writers and (role in ("admin", *SEPARATED) or writes(role, code))):
                return {403}
            return {200}

        return expect

    object_id = lambda side, o: {"object_id": quote(o(kind, side).pk), "id": o(kind, side).pk}  # noqa: E731
    if rest == "":
        return Route(expect=lambda role, side, o: {LOGIN} if role == "anonymous" else ({200} if role in viewers else {403}))
    if rest == "add/":
        return Route(expect=lambda role, side, o: {LOGIN} if role == "anonymous" else ({200} if role in writers else {403}))
    if rest in ("<path:object_id>/change/", "<path:object_id>/history/"):
        return Route(values=object_id, expect=on_object(need_write=False))
    if rest == "<path:object_id>/delete/":
        return Route(values=object_id, expect=on_object(need_write=True))
    if rest == "<id>/password/":
        return Route(values=object_id, expect=on_object(need_write=True))
    if rest == "<path:object_id>/":
        # Django's old-style change URL: a redirect to the change page, which decides.
        return Route(values=object_id, expect=everyone(ANY_REDIRECT))
    if rest == "^([^/]+)/history/([^/]+)/$":
        # One historical version (django-simple-history).
        def positional(side, o):
            row = o(kind, side)
            return (quote(row.pk), row.history.order_by("-history_id").first().history_id)

        return Route(positional=positional, expect=on_object(need_write=False))
    return None


def admin_app_list(route: str) -> Route | None:
    if not route.startswith("admin/^(?P<app_label>"):
        return None

    def expect(role, side, o):
        if role == "anonymous":
            return {LOGIN}
        return {200}  # the administrator's own apps; others answer 404 (checked below)

    return Route(values=lambda s, o: {"app_label": "volunteers"}, expect=expect)


#: Pages of every signed-in user, the separated roles included: signing in and out, the
#: admin index, one's own password and API tokens.
EVERYONES = {
    "",
    "login/",
    "logout/",
    "password/",
    "admin/",
    "admin/login/",
    "admin/logout/",
    "admin/password_change/",
    "admin/password_change/done/",
    "admin/jsi18n/",
    "admin/(?P<url>.*)$",
    "api/v1/auth/token/",
    "api/v1/auth/logout/",
    "api/v1/auth/tokens/",
    "api/v1/auth/tokens/<str:token_key>/",
    "api/schema/",
    "api/docs/",
    "excel/templates/<slug:resource>.xlsx",
    "api/v1/imports/<slug:resource>/template.xlsx",
    "standards/catalogue/",  # the plan's catalogue of service items: reference text, no record
    "casework/template.xlsx",  # an empty import template, like the other templates
    "session/keep-alive/",
    "search/",  # finds only what the user may see: nothing without an area
    "verify/",  # the public verification of certificates
    "verify/<str:number>/",
    "inbox/",  # one's own messages
    "inbox/count/",
    "api/v1/^jobs/$",  # one's own jobs (none for a role that imports nothing)
}


def expectation(route: str, spec: Route, role: str, side: str, o: Objects) -> set:
    """What ``role`` must get; the separated roles get what every record role gets on pages
    that are everyone's (logout, the admin index, one's own tokens) and a refusal elsewhere."""
    if role not in SEPARATED or admin_route(route) is not None:
        return spec.expect(role, side, o)
    if admin_app_list(route) is not None:
        return {404}  # /admin/volunteers/: none of their models
    if route in EVERYONES:
        return spec.expect("staff", side, o)
    return REFUSED


def classify(route: str) -> Route | None:
    return ROUTES.get(route) or admin_route(route) or admin_app_list(route)


# -- the tests ----------------------------------------------------------------------------------


def test_every_route_is_classified():
    missing = [route for route in walk() if classify(route) is None]
    assert not missing, (
        "这些路由还没有在安全矩阵中分类（tests/security/test_route_matrix.py 的 ROUTES，"
        "或 Django admin 模型的 ADMIN_MODELS）。请为每个路由写明各角色在管辖范围内外应得到的结果"
        "（200 / 302 登录 / 403 / 404）：\n  " + "\n  ".join(missing)
    )


def test_every_registered_admin_model_has_a_policy():
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert registered <= set(ADMIN_MODELS), f"admin models without a policy: {sorted(registered - set(ADMIN_MODELS))}"


def body_text(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            return "\n".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    return raw.decode("utf-8", "replace")


def outcome(response) -> str | int:
    if response.status_code == 302:
        location = response.headers["Location"]
        if location.startswith(("/login/", "/admin/login/")):
            return LOGIN
    return response.status_code


@pytest.fixture
def objects():
    return build_objects()


def test_route_matrix(objects):
    clients = {}
    for role, user in objects.users.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)
    full_numbers = [n for v in Volunteer.objects.all() for n in (v.id_number, v.phone) if n]

    failures = []
    checked = 0
    for route in walk():
        spec = classify(route)
        if spec is None:
            continue  # reported by test_every_route_is_classified
        paths = {}
        for side in SIDES:
            path = fill(route, spec.values(side, objects), spec.positional(side, objects)) + spec.query(side, objects)
            if path not in paths.values():
                paths[side] = path
        for side, path in paths.items():
            for role in ROLES:
                expected = expectation(route, spec, role, side, objects)
                response = clients[role].get(path)
                got = outcome(response)
                checked += 1
                if got not in expected:
                    failures.append(f"{role:<10} {side:<3} GET {path} → {got}, expected {sorted(map(str, expected))}")
                elif response.status_code == 200:
                    text = body_text(response)
                    leaked = [n for n in full_numbers if n in text]
                    if leaked:
                        failures.append(f"{role:<10} {side:<3} GET {path} shows a full ID number or phone")
    assert checked > 500
    assert not failures, f"{len(failures)} of {checked} answers differ:\n" + "\n".join(failures)


def test_admin_app_pages_show_only_the_roles_apps(objects):
    client = Client()
    client.force_login(objects.users["staff"])
    assert client.get("/admin/volunteers/").status_code == 200
    assert client.get("/admin/accounts/").status_code == 404
    assert client.get("/admin/auth/").status_code == 404
    assert client.get("/admin/axes/").status_code == 404


NASTY = ["0", "-1", "99999999999999999999", "abc", "62%00", "%00", "６２０１", "62" * 40, "..%2F..%2Fetc", "1%27%20OR%20%271%27=%271", "%E2%80%AE", "<script>"]


def test_no_parameter_value_makes_the_server_answer_500(objects):
    """Garbage in every URL parameter and in the common query parameters: never a 500."""
    clients = {}
    for role in ("admin", "staff"):
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(objects.users[role])
    failures = []
    for route in walk():
        spec = classify(route)
        names = [m.group(1) or m.group(2) for m in PARAM.finditer(route) if m.group(1) or m.group(2)]
        unnamed = len([m for m in PARAM.finditer(route) if not (m.group(1) or m.group(2))])
        if spec is None or (not names and not unnamed and not spec.query("in", objects)):
            continue
        good = spec.values("in", objects)
        for bad in NASTY:
            for name in names or [None]:
                values = {**good, name: bad} if name else good
                try:
                    path = fill(route, values, tuple(bad for _ in range(unnamed)))
                except (KeyError, IndexError):
                    continue
                query = f"?scope={bad}&year={bad}&indicator={bad}&page={bad}&q={bad}"
                for role, client in clients.items():
                    status = client.get(path + query).status_code
                    if status >= 500:
                        failures.append(f"{role} GET {path + query} → {status}")
    assert not failures, "\n".join(failures)
