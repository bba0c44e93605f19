"""The teams' measures per scope and year, counted in the database.

- 两委 complete: per community the facts the rules of ``teams.rules`` look at, in one query
  (subqueries per fact), and the share of communities complete, rolled up to the children;
- the training plan: counted workers (INDICATORS.md's roles, employed at the end of the year),
  those with a training that started in the year, and the training hours, against the plan of
  the scope or of the nearest region above it;
- entrusted projects: the share of volunteer organisations in existence at the end of the year
  that run at least one project in the year.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Substr

from communities.models import Community
from communities.scopes import child_level, child_units
from core.querysets import lifespan_q
from core.scoping import CODE_LENGTHS, LEVEL_BY_LENGTH
from volunteers.models import VolunteerOrganization
from workforce.models import Training, Worker, WorkerRole

from .models import Committee, EntrustedProject, TrainingPlan
from .querysets import runs_in_q
from .rules import REQUIRED_COMMITTEES, TeamFacts, missing

FOUR = Decimal("0.0001")
ONE = Decimal("0.1")
COMMITTEE_ROLES = (WorkerRole.DIRECTOR, WorkerRole.DEPUTY_DIRECTOR, WorkerRole.MEMBER)


def rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(FOUR, rounding=ROUND_HALF_UP)


def child_width(scope_code: str) -> int | None:
    below = child_level(LEVEL_BY_LENGTH.get(len(scope_code), "community"))
    return CODE_LENGTHS[below] if below else None


# -- 两委 and sub-committees ------------------------------------------------------------------


def _worker_count(year: int, roles) -> Coalesce:
    workers = (
        Worker.objects.filter(lifespan_q(Worker, year), community=OuterRef("code"), role__in=roles)
        .order_by()
        .values("community")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(workers, output_field=IntegerField()), Value(0))


def team_facts(scope_code: str, year: int) -> list[TeamFacts]:
    """The rules' facts for every community under ``scope_code`` (one query)."""
    committees = {
        f"has_{kind}": Exists(
            Committee.objects.filter(
                lifespan_q(Committee, year), community=OuterRef("code"), kind=kind
            )
        )
        for kind in REQUIRED_COMMITTEES
    }
    rows = (
        Community.objects.under(scope_code)
        .annotate(
            n_secretary=_worker_count(year, [WorkerRole.SECRETARY]),
            n_director=_worker_count(year, [WorkerRole.DIRECTOR]),
            n_members=_worker_count(year, COMMITTEE_ROLES),
            n_group_leaders=_worker_count(year, [WorkerRole.GROUP_LEADER]),
            **committees,
        )
        .order_by("code")
    )
    return [
        TeamFacts(
            code=row.code,
            name=row.name,
            secretary=row.n_secretary,
            director=row.n_director,
            committee_members=row.n_members,
            group_leaders=row.n_group_leaders,
            resident_groups=row.resident_groups,
            committees=frozenset(k.value for k in REQUIRED_COMMITTEES if getattr(row, f"has_{k}")),
        )
        for row in rows
    ]


@dataclass
class TeamsRow:
    code: str
    name: str = ""
    communities: int = 0
    complete: int = 0

    @property
    def complete_rate(self) -> Decimal | None:
        return rate(self.complete, self.communities)


@dataclass
class TeamsSummary:
    scope: TeamsRow
    year: int
    missing_posts: list[dict] = field(default_factory=list)
    children: list[TeamsRow] = field(default_factory=list)


def teams_summary(scope_code: str, year: int, *, name: str = "") -> TeamsSummary:
    """The share of communities whose teams are complete, the incomplete ones and the children."""
    width = child_width(scope_code)
    children = (
        {code: TeamsRow(code, unit) for code, unit in child_units(scope_code)} if width else {}
    )
    total = TeamsRow(scope_code, name)
    gaps = []
    for facts in team_facts(scope_code, year):
        absent = missing(facts)
        total.communities += 1
        total.complete += not absent
        child = children.get(facts.code[:width]) if width else None
        if child is not None:
            child.communities += 1
            child.complete += not absent
        if absent:
            gaps.append({"community_code": facts.code, "name": facts.name, "missing": absent})
    return TeamsSummary(
        scope=total, year=year, missing_posts=gaps, children=list(children.values())
    )


# -- training -------------------------------------------------------------------------------


@dataclass
class TrainingRow:
    code: str
    name: str = ""
    workers: int = 0
    trained: int = 0
    hours: Decimal = Decimal("0")

    @property
    def trained_share(self) -> Decimal | None:
        return rate(self.trained, self.workers)

    @property
    def hours_per_worker(self) -> Decimal | None:
        if not self.workers:
            return None
        return (Decimal(self.hours) / self.workers).quantize(ONE, rounding=ROUND_HALF_UP)

    def meets(self, plan: TrainingPlan | None) -> bool | None:
        """Whether the plan is met: the share trained and the hours per worker reach it, each
        exactly (``trained / workers >= share`` compared without rounding)."""
        if plan is None or not self.workers:
            return None
        share_met = Decimal(self.trained) >= plan.share_to_train * self.workers
        hours_met = Decimal(self.hours) >= plan.hours_per_worker * self.workers
        return share_met and hours_met


@dataclass
class TrainingSummary:
    scope: TrainingRow
    year: int
    plan: TrainingPlan | None
    children: list[TrainingRow] = field(default_factory=list)

    @property
    def met(self) -> bool | None:
        return self.scope.meets(self.plan)


def _year_q(year: int, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}started_on__gte": datetime.date(year, 1, 1),
            f"{prefix}started_on__lte": datetime.date(year, 12, 31),
        }
    )


def training_summary(scope_code: str, year: int, *, name: str = "") -> TrainingSummary:
    """Workers counted and trained, hours, for the scope and its children (three queries)."""
    width = child_width(scope_code) or len(scope_code)
    workers = Worker.objects.under(scope_code).counted().employed_at(year)
    trained = Exists(Training.objects.filter(_year_q(year), worker=OuterRef("pk")))
    rows: dict[str, TrainingRow] = {}
    for unit, n, t in (
        workers.annotate(unit=Substr("community_id", 1, width))
        .values("unit")
        .annotate(n=Count("pk"), t=Count("pk", filter=Q(trained)))
        .values_list("unit", "n", "t")
        .order_by()
    ):
        rows[unit] = TrainingRow(unit, workers=n, trained=t)
    for unit, hours in (
        Training.objects.filter(_year_q(year), worker__in=workers)
        .annotate(unit=Substr("worker__community_id", 1, width))
        .values("unit")
        .annotate(h=Sum("hours"))
        .values_list("unit", "h")
        .order_by()
    ):
        rows.setdefault(unit, TrainingRow(unit)).hours = hours or Decimal("0")
    total = TrainingRow(scope_code, name)
    for row in rows.values():
        total.workers += row.workers
        total.trained += row.trained
        total.hours += row.hours
    children = []
    if child_width(scope_code):
        for code, unit in child_units(scope_code):
            row = rows.get(code, TrainingRow(code))
            row.name = unit
            children.append(row)
    plan = TrainingPlan.objects.applying_to(scope_code, year)
    return TrainingSummary(scope=total, year=year, plan=plan, children=children)


# -- entrusted projects ------------------------------------------------------------------------


@dataclass
class ProjectSummary:
    organizations: int
    running: int
    projects: int
    funding_wan_yuan: Decimal

    @property
    def running_share(self) -> Decimal | None:
        return rate(self.running, self.organizations)


def project_summary(scope_code: str, year: int) -> ProjectSummary:
    """The share of volunteer organisations running a project in ``year`` (two queries)."""
    running = Exists(EntrustedProject.objects.filter(runs_in_q(year), organization=OuterRef("pk")))
    orgs = (
        VolunteerOrganization.objects.under(scope_code)
        .active_at(year)
        .aggregate(n=Count("pk"), r=Count("pk", filter=Q(running)))
    )
    projects = (
        EntrustedProject.objects.under(scope_code)
        .running_in(year)
        .aggregate(n=Count("pk"), f=Sum("funding_wan_yuan"))
    )
    return ProjectSummary(
        organizations=orgs["n"],
        running=orgs["r"],
        projects=projects["n"],
        funding_wan_yuan=Decimal(projects["f"] or 0).quantize(Decimal("0.01")),
    )
