"""The compliance engine: INDICATORS.md computed for any scope and year.

The numbers come from the per-community and per-street figures (``targets.figures``): one row
per unit and year, kept current by every write in the write's own transaction, read in two
queries filtered by the scope's code prefix. A year the figures do not hold (before 2010,
after the plan's target year) is counted from the raw rows instead, in a fixed handful of
grouped queries (statistics, facilities, volunteers registered and departed, organisations,
workers) with conditional aggregates per year, two sums over different relations never
sharing a join. Python then judges each unit with the registry's pure functions and rolls the
verdicts up (ratios of sums, never means of ratios). The number of queries does not depend on
the number of communities, volunteers, facilities or years.

Nothing is cached: a read of the figures costs milliseconds, so every answer is computed from
the data as it is now, and no row is shared by the writes of different communities (there
was once a global data stamp for a roll-up cache; every write serialised on it).
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Count, DecimalField, Max, Q, Sum
from django.db.models.functions import Substr

from communities.models import Community, CommunityStat, SocialOrganization
from communities.scopes import Scope, child_level, resolve_scope
from core.dates import year_end
from core.querysets import lifespan_q
from core.scoping import CODE_LENGTHS, prefix_q
from facilities.models import Facility
from streets.models import Division, Street
from volunteers.models import Volunteer, VolunteerOrganization
from workforce.models import Worker
from workforce.querysets import BACHELOR_OR_HIGHER, COLLEGE_OR_HIGHER, COUNTED_ROLES

from .figures import FIRST_YEAR
from .models import MILLIONTHS, CommunityFigures, CommunityVerdicts, Plan, StreetFigures
from .plans import current_plan, plan_key
from .registry import (
    BASELINES,
    COMMUNITY_INDICATORS,
    INDICATORS,
    STREET_INDICATORS,
    Indicator,
    threshold_of,
)
from .results import (
    BaselineResult,
    CommunityRow,
    IndicatorResult,
    RegionResult,
    StreetRow,
    UnitValue,
)

ZERO = Decimal(0)
CENT = Decimal("0.01")
AREA_SUM = DecimalField(max_digits=15, decimal_places=2)
SUBDISTRICT = "subdistrict"


# ---------------------------------------------------------------------------------------------
# Gathering: the SQL side.


@dataclass
class _Facts:
    """Everything counted for one scope, keyed by year and unit code."""

    communities: list[tuple]  # (code, name, street_code, digital_3d_completed_on)
    streets: list[tuple]  # (code, name, county_code, kind)
    stats: dict  # (year, community) → (households, residents, party, party_vol, residents_vol)
    stations: dict  # (year, community) → largest in-service station area (absent: none)
    facility_area: dict  # (year, community) → Σ station + specialized area
    centres: dict  # (year, street) → (largest centre area, Σ centre area)
    volunteers: dict  # (year, community) → registered volunteers
    social_orgs: dict  # (year, community) → active social organisations
    workers: dict  # (year, community) → (counted, certified, bachelor+, college+)
    volunteer_orgs: dict  # (year, community) → active volunteer organisations
    years: set = field(default_factory=set)  # the years of the figures rows read


def _area(value) -> Decimal:
    """Return an area in ㎡ as an exact Decimal to the cent (SQLite hands back floats)."""
    return Decimal(str(value)).quantize(CENT)


def _count_by(condition: Q, years: list[int]) -> Count:
    """Count rows meeting ``condition``; for one year the WHERE clause already says it all."""
    return Count("*") if len(years) == 1 else Count("pk", filter=condition)


def _plain_rows(queryset) -> list[dict]:
    """Run a grouped ``values()`` queryset's own SQL and return its rows as plain dicts.

    Its columns are codes, counts and areas, which ``_area`` converts itself; skipping the
    ORM's per-value converters and row objects saves about a second per 100,000 communities.
    """
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _per_year(years, name, make):
    return {f"{name}_{y}": make(y) for y in years}


# Which statistics count (API.md, Reporting cycle): every row, or only those approved at
# every level of the year's reporting period (the others count as missing).
DATA_ALL = "all"
DATA_APPROVED = "approved"
DATA_CHOICES = {DATA_ALL: "全部统计数据", DATA_APPROVED: "仅各级审核通过的统计数据"}


def _community_list(scope_code: str) -> list[tuple]:
    return list(
        Community.objects.under(scope_code)
        .order_by("code")
        .values_list("code", "name", "street_id", "digital_3d_completed_on")
    )


def _gather(
    scope_code: str,
    years: list[int],
    plan: Plan,
    communities: list[tuple] | None = None,
    data: str = DATA_ALL,
) -> _Facts:
    """Read the facts of ``scope_code`` for ``years``: from the figures tables where they hold
    every one of the years, else (a year before 2010 or after the plan's target year) by
    counting the raw rows.
    """
    if communities is None:
        communities = _community_list(scope_code)
    if figures_hold(years, plan):
        return _gather_figures(scope_code, years, communities, data)
    return _gather_raw(scope_code, years, communities, data)


def figures_hold(years: list[int], plan: Plan) -> bool:
    """Say whether the figures tables hold every year of ``years``.

    They hold 2010 to the last plan's target year (``targets.figures``), so at least every
    year up to this plan's target year.
    """
    return FIRST_YEAR <= min(years) and max(years) <= plan.target_year


# The figures a read judges from, in the order ``_gather_figures`` unpacks them.
_FIGURE_FIELDS = (
    "year",
    "community_id",
    "has_stats",
    "stat_status",
    "households",
    "residents",
    "party_members",
    "party_members_volunteering",
    "residents_volunteering",
    "station_max_area",
    "station_area",
    "specialized_area",
    "registered_volunteers",
    "social_organizations",
    "volunteer_organizations",
    "counted_workers",
    "certified_workers",
    "bachelor_workers",
    "college_workers",
)
_FIGURE_COLUMNS = tuple(CommunityFigures._meta.get_field(f).column for f in _FIGURE_FIELDS)


def _gather_figures(
    scope_code: str,
    years: list[int] | None,
    communities: list[tuple],
    data: str,
    *,
    streets: bool = True,
    codes: list[str] | None = None,
):
    """Read the facts from the per-community and per-street figures (``targets.figures``).

    Two queries over rows kept current by every write, one row per unit and year: no
    statistic, volunteer, facility, organisation or worker row is visited. ``codes`` reads
    every year of those communities instead of the scope's, ``years=None`` every year the
    figures hold.
    """
    approved_only = data == DATA_APPROVED
    stats, stations, facility_area, volunteers = {}, {}, {}, {}
    social_orgs, volunteer_orgs, workers = {}, {}, {}
    if codes is not None:
        # A write's own communities (their verdicts upkeep): the statement without the ORM.
        marks = ", ".join(["%s"] * len(codes))
        sql = (
            f"SELECT {', '.join(_FIGURE_COLUMNS)} FROM {CommunityFigures._meta.db_table} "
            f"WHERE community_code IN ({marks})"
        )
        params = list(codes)
    else:
        where = prefix_q("community_id", scope_code)
        if years is not None:
            where &= Q(year__in=years)
        rows = CommunityFigures.objects.filter(where).order_by().values_list(*_FIGURE_FIELDS)
        sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    years_read = set()
    for (
        y,
        c,
        has_stats,
        status,
        households,
        residents,
        party,
        party_vol,
        residents_vol,
        station_max,
        station_area,
        specialized_area,
        registered,
        social,
        volunteer_org_count,
        counted,
        certified,
        bachelor,
        college,
    ) in fetched:
        key = (y, c)
        years_read.add(y)
        if has_stats and (not approved_only or status == "approved"):
            stats[key] = (households, residents, party, party_vol, residents_vol)
        if station_max is not None:
            stations[key] = _area(station_max)
        area = _area(station_area) + _area(specialized_area)
        if area:
            facility_area[key] = area
        if registered:
            volunteers[key] = registered
        if social:
            social_orgs[key] = social
        if volunteer_org_count:
            volunteer_orgs[key] = volunteer_org_count
        if counted:
            workers[key] = (counted, certified, bachelor, college)
    return _Facts(
        communities=communities,
        streets=_street_list(scope_code) if streets else [],
        stats=stats,
        stations=stations,
        facility_area=facility_area,
        centres=_centres_from_figures(scope_code, years) if streets else {},
        volunteers=volunteers,
        social_orgs=social_orgs,
        workers=workers,
        volunteer_orgs=volunteer_orgs,
        years=years_read,
    )


def _centres_from_figures(scope_code: str, years: list[int]) -> dict:
    """(year, street) → (largest in-service centre area, Σ centre area), streets with one."""
    rows = (
        StreetFigures.objects.filter(
            prefix_q("street_id", scope_code), year__in=years, centre_max_area__isnull=False
        )
        .order_by()
        .values_list("year", "street_id", "centre_max_area", "centre_area")
    )
    return {(y, code): (_area(largest), _area(total)) for y, code, largest, total in rows}


def _street_list(scope_code: str) -> list[tuple]:
    return list(
        Street.objects.under(scope_code)
        .order_by("code")
        .values_list("code", "name", "county_id", "kind")
    )


def _gather_raw(
    scope_code: str,
    years: list[int],
    communities: list[tuple],
    data: str = DATA_ALL,
) -> _Facts:
    """Run the engine's fixed set of grouped queries over the raw rows for ``scope_code``.

    ``communities`` are the scope's communities when the caller has read them already.
    With ``data="approved"`` only statistics approved at every level count; the others are
    missing.
    """
    last_day = year_end(max(years))
    streets = _street_list(scope_code)

    stats = {
        (y, c): (h, r, p, pv, rv)
        for c, y, h, r, p, pv, rv in CommunityStat.objects.under(scope_code)
        .filter(year__in=years, **({"status": "approved"} if data == DATA_APPROVED else {}))
        .order_by()
        .values_list(
            "community_id",
            "year",
            "households",
            "residents",
            "party_members",
            "party_members_volunteering",
            "residents_volunteering",
        )
    }

    # Facilities: one row per owner code and kind, the largest and the total in-service
    # floor area for each year (a centre's code is its street's, the others' their community's).
    facility_rows = (
        Facility.objects.under(scope_code)
        .filter(opened_on__lte=last_day)
        .order_by()
        .values("code", "kind")
        .annotate(
            **_per_year(years, "max", lambda y: Max("floor_area", filter=lifespan_q(Facility, y))),
            **_per_year(
                years,
                "sum",
                lambda y: Sum("floor_area", filter=lifespan_q(Facility, y), output_field=AREA_SUM),
            ),
        )
    )
    stations, facility_area, centres = {}, defaultdict(lambda: ZERO), {}
    for row in _plain_rows(facility_rows):
        for y in years:
            if row[f"max_{y}"] is None:
                continue
            largest, total = _area(row[f"max_{y}"]), _area(row[f"sum_{y}"])
            key = (y, row["code"])
            if row["kind"] == "centre":
                centres[key] = (largest, total)
            else:
                facility_area[key] += total
                if row["kind"] == "station":
                    stations[key] = largest

    def counts_by_community(queryset, extra=None):
        """Count rows active at each year's end, grouped by community."""
        extra = extra or {}
        annotations = {}
        start = queryset.model.LIFESPAN[0]
        for y in years:
            active = lifespan_q(queryset.model, y)
            annotations[f"n_{y}"] = Count("pk", filter=active)
            for name, condition in extra.items():
                annotations[f"{name}_{y}"] = Count("pk", filter=active & condition)
        rows = (
            queryset.under(scope_code)
            .filter(**{f"{start}__lte": last_day})
            .order_by()
            .values("community_id")
            .annotate(**annotations)
        )
        return _plain_rows(rows)

    # Registered volunteers, counted as "registered by then" minus "gone by then": the first
    # reads only the (community, registered_on) index, the second the small partial index of
    # departed volunteers, so the million rows themselves are never visited.
    volunteers = {}
    registered = (
        Volunteer.objects.under(scope_code)
        .filter(registered_on__lte=last_day)
        .order_by()
        .values("community_id")
        .annotate(
            **_per_year(years, "n", lambda y: _count_by(Q(registered_on__lte=year_end(y)), years))
        )
    )
    for row in _plain_rows(registered):
        for y in years:
            volunteers[(y, row["community_id"])] = row[f"n_{y}"]
    departed = (
        Volunteer.objects.under(scope_code)
        .filter(left_on__isnull=False, left_on__lte=last_day, registered_on__lte=last_day)
        .order_by()
        .values("community_id")
        .annotate(
            **_per_year(
                years,
                "n",
                lambda y: _count_by(
                    Q(left_on__lte=year_end(y), registered_on__lte=year_end(y)), years
                ),
            )
        )
    )
    for row in _plain_rows(departed):
        for y in years:
            key = (y, row["community_id"])
            volunteers[key] = volunteers.get(key, 0) - row[f"n_{y}"]

    social_orgs = {}
    for row in counts_by_community(SocialOrganization.objects):
        for y in years:
            social_orgs[(y, row["community_id"])] = row[f"n_{y}"]

    volunteer_orgs = {}
    for row in counts_by_community(VolunteerOrganization.objects):
        for y in years:
            volunteer_orgs[(y, row["community_id"])] = row[f"n_{y}"]

    workers = {}
    worker_rows = counts_by_community(
        Worker.objects.filter(role__in=COUNTED_ROLES),
        extra={
            "certified": ~Q(social_work_qualification="none"),
            "bachelor": Q(education__in=BACHELOR_OR_HIGHER),
            "college": Q(education__in=COLLEGE_OR_HIGHER),
        },
    )
    for row in worker_rows:
        for y in years:
            workers[(y, row["community_id"])] = (
                row[f"n_{y}"],
                row[f"certified_{y}"],
                row[f"bachelor_{y}"],
                row[f"college_{y}"],
            )

    return _Facts(
        communities=communities,
        streets=streets,
        stats=stats,
        stations=stations,
        facility_area=dict(facility_area),
        centres=centres,
        volunteers=volunteers,
        social_orgs=social_orgs,
        workers=workers,
        volunteer_orgs=volunteer_orgs,
    )


# ---------------------------------------------------------------------------------------------
# Judging: each unit with the registry's pure functions.


class _Verdict(NamedTuple):
    numerator: object
    denominator: object
    value: Decimal | None
    compliant: bool
    gap: Decimal


@dataclass(slots=True)
class _Unit:
    code: str
    name: str
    parent_code: str  # street (communities) or county (streets)
    kind: str  # street kind, "" for communities
    figures: dict
    verdicts: dict[str, _Verdict]
    has_stats: bool = True
    fully_compliant: bool = False


def _judges(indicators: list[Indicator], thresholds: dict) -> list[tuple]:
    """Return what judging needs per indicator, looked up once rather than per unit."""
    return [(i.code, i.judge, i.numerator, i.denominator, thresholds[i.code]) for i in indicators]


def _verdicts(judges: list[tuple], figures: dict) -> dict[str, _Verdict]:
    """Judge one unit on each indicator with the registry's pure functions."""
    verdicts = {}
    for code, judge, numerator_key, denominator_key, threshold in judges:
        numerator = figures[numerator_key]
        denominator = figures[denominator_key] if denominator_key else 1
        verdicts[code] = _Verdict(numerator, denominator, *judge(numerator, denominator, threshold))
    return verdicts


def _community_units(facts: _Facts, year: int, thresholds: dict) -> Iterator[_Unit]:
    """Yield each community judged, one at a time (at national scale a list of all 111,000
    judged communities alone would take some 400 MB)."""
    year_day = year_end(year)
    judges = _judges(COMMUNITY_INDICATORS, thresholds)
    for code, name, street_code, digital_on in facts.communities:
        stat = facts.stats.get((year, code))
        counted, certified, bachelor, college = facts.workers.get((year, code), (0, 0, 0, 0))
        figures = {
            "station_max_area": facts.stations.get((year, code), ZERO),
            "has_station": (year, code) in facts.stations,
            "facility_area": facts.facility_area.get((year, code), ZERO),
            "households": stat[0] if stat else None,
            "residents": stat[1] if stat else None,
            "party_members": stat[2] if stat else None,
            "party_members_volunteering": stat[3] if stat else None,
            "residents_volunteering": stat[4] if stat else None,
            "registered_volunteers": facts.volunteers.get((year, code), 0),
            "social_organizations": facts.social_orgs.get((year, code), 0),
            "volunteer_organizations": facts.volunteer_orgs.get((year, code), 0),
            "counted_workers": counted,
            "certified_workers": certified,
            "bachelor_workers": bachelor,
            "college_workers": college,
            "digital_3d": 1 if digital_on is not None and digital_on <= year_day else 0,
        }
        verdicts = _verdicts(judges, figures)
        yield _Unit(
            code=code,
            name=name,
            parent_code=street_code,
            kind="",
            figures=figures,
            verdicts=verdicts,
            has_stats=stat is not None,
            fully_compliant=all(v.compliant for v in verdicts.values()),
        )


def _street_units(facts: _Facts, year: int, thresholds: dict) -> Iterator[_Unit]:
    judges = _judges(STREET_INDICATORS, thresholds)
    for code, name, county_code, kind in facts.streets:
        largest, total = facts.centres.get((year, code), (None, ZERO))
        figures = {
            "centre_max_area": largest if largest is not None else ZERO,
            "has_centre": largest is not None,
            "centre_area": total,
        }
        yield _Unit(
            code=code,
            name=name,
            parent_code=county_code,
            kind=kind,
            figures=figures,
            verdicts=_verdicts(judges, figures),
        )


# ---------------------------------------------------------------------------------------------
# Rolling up: ratios of sums, counts of verdicts, sums of gaps.


@dataclass(slots=True)
class _Tally:
    applicable: int = 0
    compliant: int = 0
    missing: int = 0
    numerator: Decimal = ZERO
    denominator: Decimal = ZERO
    gap: Decimal = ZERO

    def add(self, verdict: _Verdict):
        self.applicable += 1
        if verdict.value is None:
            # Missing data adds nothing to the value or the gap (INDICATORS.md).
            self.missing += 1
            return
        if verdict.compliant:
            self.compliant += 1
        else:
            self.gap += verdict.gap
        self.numerator += verdict.numerator
        self.denominator += verdict.denominator


@dataclass
class _Region:
    code: str
    name: str
    level: str
    tallies: dict[str, _Tally] = field(
        default_factory=lambda: {i.code: _Tally() for i in INDICATORS}
    )
    communities: int = 0
    fully_compliant: int = 0
    facility_area: Decimal = ZERO  # every in-service facility: centres, stations, specialized
    households: int = 0  # of communities with statistics
    subdistricts: int = 0
    subdistricts_with_centre: int = 0
    with_station: int = 0
    small_station: int = 0
    volunteer_orgs: int = 0
    volunteers: int = 0

    def add_community(self, unit: _Unit, small_station_limit: Decimal):
        self.communities += 1
        tallies = self.tallies
        for code, verdict in unit.verdicts.items():
            tallies[code].add(verdict)
        if unit.fully_compliant:
            self.fully_compliant += 1
        figures = unit.figures
        self.facility_area += figures["facility_area"]
        if unit.has_stats:
            self.households += figures["households"]
        if figures["has_station"]:
            self.with_station += 1
            if figures["station_max_area"] < small_station_limit:
                self.small_station += 1
        self.volunteer_orgs += figures["volunteer_organizations"]
        self.volunteers += figures["registered_volunteers"]

    def add_stored(self, row: dict):
        """Add a group of communities' stored verdicts and figures, summed in the database."""
        n = row["n"]
        self.communities += n
        self.fully_compliant += int(row["s_fully"] or 0)
        self.facility_area += _from_units(row["s_facility_area"])
        self.households += int(row["s_households"] or 0)
        self.with_station += int(row["s_with_station"] or 0)
        self.small_station += int(row["s_small_station"] or 0)
        self.volunteer_orgs += int(row["s_volunteer_orgs"] or 0)
        self.volunteers += int(row["s_volunteers"] or 0)
        for indicator in COMMUNITY_INDICATORS:
            code = indicator.code
            tally = self.tallies[code]
            tally.applicable += n
            tally.missing += n - row[f"known_{code}"]
            tally.compliant += int(row[f"ok_{code}"] or 0)
            tally.gap += _from_units(row[f"gap_{code}"])
            if indicator.region_value == "ratio_of_sums":
                tally.numerator += _from_units(row[f"num_{code}"])
                tally.denominator += _from_units(row[f"den_{code}"])

    def add_street(self, unit: _Unit):
        self.facility_area += unit.figures["centre_area"]
        if unit.kind != SUBDISTRICT:
            return  # only 街道办事处 are held to the service-centre target
        self.subdistricts += 1
        if unit.figures["has_centre"]:
            self.subdistricts_with_centre += 1
        for code, verdict in unit.verdicts.items():
            self.tallies[code].add(verdict)

    def merge(self, other: "_Region"):
        """Add another region's tallies and counts to this one's (a child into its parent)."""
        for code, tally in other.tallies.items():
            mine = self.tallies[code]
            mine.applicable += tally.applicable
            mine.compliant += tally.compliant
            mine.missing += tally.missing
            mine.numerator += tally.numerator
            mine.denominator += tally.denominator
            mine.gap += tally.gap
        for name in (
            "communities",
            "fully_compliant",
            "facility_area",
            "households",
            "subdistricts",
            "subdistricts_with_centre",
            "with_station",
            "small_station",
            "volunteer_orgs",
            "volunteers",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def result(
        self, *, year: int, plan: Plan, thresholds: dict, with_baseline: bool
    ) -> RegionResult:
        indicators = []
        for indicator in INDICATORS:
            tally = self.tallies[indicator.code]
            if indicator.region_value == "area_per_households":
                value = indicator.unit_value(self.facility_area, self.households)
            elif indicator.region_value == "ratio_of_sums":
                value = indicator.unit_value(tally.numerator, tally.denominator)
            else:
                value = None
            indicators.append(
                IndicatorResult(
                    code=indicator.code,
                    name=indicator.name,
                    threshold=thresholds[indicator.code],
                    applicable=tally.applicable,
                    compliant=tally.compliant,
                    missing=tally.missing,
                    rate=_share(tally.compliant, tally.applicable),
                    value=value,
                    gap=tally.gap,
                )
            )
        return RegionResult(
            code=self.code,
            name=self.name,
            level=self.level,
            year=year,
            plan_code=plan.code,
            indicators=indicators,
            community_count=self.communities,
            fully_compliant_count=self.fully_compliant,
            fully_compliant_rate=_share(self.fully_compliant, self.communities),
            baseline=self.baseline(plan) if with_baseline else [],
        )

    def baseline(self, plan: Plan) -> list[BaselineResult]:
        published = plan.baseline or {}
        counts = {
            "streets_with_centre": (self.subdistricts_with_centre, self.subdistricts),
            "streets_without_centre": (
                self.subdistricts - self.subdistricts_with_centre,
                self.subdistricts,
            ),
            "communities_with_station": (self.with_station, self.communities),
            "communities_without_station": (self.communities - self.with_station, self.communities),
            "communities_with_small_station": (self.small_station, self.communities),
            "volunteer_organizations": (self.volunteer_orgs, None),
            "registered_volunteer_count": (self.volunteers, None),
        }
        results = []
        for b in BASELINES:
            count, of = counts[b.code]
            results.append(
                BaselineResult(
                    code=b.code,
                    name=b.name,
                    count=count,
                    rate=_share(count, of) if b.has_rate else None,
                    published=published.get(b.code, b.published),
                )
            )
        return results


def _share(part: int, whole: int | None) -> Decimal | None:
    if not whole:
        return None
    return Decimal(part) / Decimal(whole)


# ---------------------------------------------------------------------------------------------
# The public functions.


def _thresholds(plan: Plan) -> dict[str, Decimal]:
    return {i.code: threshold_of(plan, i.code) for i in INDICATORS}


def _child_scopes(scope: Scope, facts: _Facts) -> list[Scope]:
    level = child_level(scope.level)
    if level is None:
        return []
    if level in ("prefecture", "county"):
        rows = (
            Division.objects.under(scope.code)
            .filter(level=level)
            .order_by("code")
            .values_list("code", "name")
        )
    elif level == "street":
        rows = [(s[0], s[1]) for s in facts.streets]
    else:
        rows = [(c[0], c[1]) for c in facts.communities]
    return [Scope(code, name, level) for code, name in rows]


# Above this many communities a scope is gathered one child division at a time, so that only
# one child's facts are held at once (a nation's 111,000 communities would take ~400 MB).
PART_COMMUNITIES = 20_000


def _compute(
    scope: Scope, years: list[int], plan: Plan, *, with_children: bool, data: str = DATA_ALL
) -> dict[int, RegionResult]:
    """Compute ``scope`` for each of ``years`` (with its children's results if asked).

    Where the stored verdicts cover the question (every statistic counts, the years are the
    figures', the verdicts were judged against this plan's thresholds) the communities'
    tallies are sums in the database; otherwise every community is judged here.
    """
    thresholds = _thresholds(plan)
    if data == DATA_ALL and figures_hold(years, plan):
        stored = _compute_stored(scope, years, plan, thresholds, with_children=with_children)
        if stored is not None:
            return stored
    return _compute_judged(scope, years, plan, thresholds, with_children=with_children, data=data)


def _compute_stored(
    scope: Scope, years: list[int], plan: Plan, thresholds: dict, *, with_children: bool
) -> dict[int, RegionResult] | None:
    """Roll the scope up from the stored verdicts (``targets.verdicts``) in one grouped query.

    Returns None when they do not cover every community of the scope in every year (judged
    against other thresholds, or not yet judged): the caller then judges in Python.
    """
    level = child_level(scope.level)
    length = CODE_LENGTHS[level] if with_children and level else len(scope.code)
    # A street's communities are listed for its children; any other scope's only counted.
    communities = _community_list(scope.code) if with_children and level == "community" else []
    expected = len(communities) if communities else Community.objects.under(scope.code).count()
    rows = _grouped_rows(
        CommunityVerdicts.objects.filter(
            prefix_q("community_id", scope.code), year__in=years, plan_key=plan_key(plan)
        )
        .annotate(part=Substr("community_id", 1, length))
        .values("year", "part")
        .annotate(**_STORED_SUMS)
        .order_by()
    )
    counted = defaultdict(int)
    for row in rows:
        counted[row["year"]] += row["n"]
    if any(counted[y] != expected for y in years):
        return None

    streets = _street_list(scope.code)
    facts = _Facts(communities, streets, {}, {}, {}, {}, {}, {}, {}, {})
    facts.centres = _centres_from_figures(scope.code, years)
    child_scopes = _child_scopes(scope, facts) if with_children else []
    regions, children = _empty_regions(scope, child_scopes, years)
    street_length = CODE_LENGTHS[level] if with_children and level else None
    for y in years:
        region, kids = regions[y], children[y]
        for unit in _street_units(facts, y, thresholds):
            child = kids.get(unit.code[:street_length]) if kids else None
            (child or region).add_street(unit)
    for row in rows:
        kids = children[row["year"]]
        (kids.get(row["part"]) if kids else regions[row["year"]]).add_stored(row)
    return _results(regions, children, years, plan, thresholds, DATA_ALL)


def _grouped_rows(queryset) -> list[dict]:
    """Run the stored verdicts' grouped sums (``_plain_rows``), on PostgreSQL with room to hash.

    The groups are the children and years (31 prefectures of a nation, a few dozen at most),
    but the planner cannot know how many distinct code prefixes there are and guesses tens of
    thousands: within the default 4 MB of work memory it then sorts 111,000 rows on disk
    before grouping (0.30 s for the nation) instead of hashing them into the few groups
    (0.17 s). Allowing it more memory, for this statement only, lets it hash; what it uses is
    a few kilobytes.
    """
    if connection.vendor != "postgresql":
        return _plain_rows(queryset)
    sql, params = queryset.query.sql_with_params()
    # One statement string, so a read costs the same single query on both databases.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '256MB'; {sql}", params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# The sums by code prefix the stored verdicts are rolled up with (``_Region.add_stored``).
_STORED_SUMS = {
    "n": Count("*"),
    "s_fully": Sum("fully_compliant"),
    "s_facility_area": Sum("facility_area"),
    "s_households": Sum("households"),
    "s_with_station": Sum("has_station"),
    "s_small_station": Sum("small_station"),
    "s_volunteer_orgs": Sum("volunteer_organizations"),
    "s_volunteers": Sum("registered_volunteers"),
}
for _i in COMMUNITY_INDICATORS:
    _STORED_SUMS[f"ok_{_i.code}"] = Sum(f"{_i.code}_ok")
    _STORED_SUMS[f"known_{_i.code}"] = Count(f"{_i.code}_ok")
    _STORED_SUMS[f"gap_{_i.code}"] = Sum(f"{_i.code}_gap")
    if _i.region_value == "ratio_of_sums":
        _STORED_SUMS[f"num_{_i.code}"] = Sum(f"{_i.code}_num")
        _STORED_SUMS[f"den_{_i.code}"] = Sum(f"{_i.code}_den")


def _from_units(total) -> Decimal:
    """A stored sum of millionths as the exact amount."""
    return Decimal(int(total or 0)) / MILLIONTHS


def _empty_regions(scope: Scope, child_scopes: list[Scope], years: list[int]):
    regions = {y: _Region(scope.code, scope.name, scope.level) for y in years}
    children: dict[int, dict[str, _Region]] = {
        y: {c.code: _Region(c.code, c.name, c.level) for c in child_scopes} for y in years
    }
    return regions, children


def _results(regions, children, years, plan, thresholds, data) -> dict[int, RegionResult]:
    """Each year's region, with its children added into it and their results listed."""
    results = {}
    for y in years:
        region = regions[y]
        for child in children[y].values():
            region.merge(child)
        result = region.result(year=y, plan=plan, thresholds=thresholds, with_baseline=True)
        result.data = data
        result.children = [
            c.result(year=y, plan=plan, thresholds=thresholds, with_baseline=True)
            for c in children[y].values()
        ]
        results[y] = result
    return results


def _compute_judged(
    scope: Scope,
    years: list[int],
    plan: Plan,
    thresholds: dict,
    *,
    with_children: bool,
    data: str = DATA_ALL,
) -> dict[int, RegionResult]:
    """Compute ``scope`` by judging every community here with the registry's functions.

    A scope of up to ``PART_COMMUNITIES`` communities takes the fixed handful of queries of
    ``_gather``; a larger one (a nation) takes that handful once per child division.
    """
    small_station_limit = thresholds["community_station"]
    communities = _community_list(scope.code)
    level = child_level(scope.level)
    in_parts = level in ("prefecture", "county") and len(communities) > PART_COMMUNITIES
    facts = None if in_parts else _gather(scope.code, years, plan, communities, data)

    child_scopes = []
    if with_children or in_parts:
        child_scopes = _child_scopes(scope, facts)
    child_length = CODE_LENGTHS[level] if level and (with_children or in_parts) else None
    regions, children = _empty_regions(scope, child_scopes if with_children else [], years)

    def tally(part: _Facts):
        # Each unit is tallied once, into its child (or the region itself when there are no
        # children); the region is then the sum of its children.
        for y in years:
            region, kids = regions[y], children[y]
            for unit in _street_units(part, y, thresholds):
                child = kids.get(unit.code[:child_length]) if kids else None
                (child or region).add_street(unit)
            for unit in _community_units(part, y, thresholds):
                child = kids.get(unit.code[:child_length]) if kids else None
                (child or region).add_community(unit, small_station_limit)

    if in_parts:
        by_child = defaultdict(list)
        for row in communities:
            by_child[row[0][:child_length]].append(row)
        del communities
        for child in child_scopes:
            tally(_gather(child.code, years, plan, by_child.pop(child.code, []), data))
    else:
        tally(facts)
        del facts
    return _results(regions, children, years, plan, thresholds, data)


def compute_region(
    *,
    scope_code: str,
    year: int,
    plan: Plan | None = None,
    with_children: bool = True,
    data: str = DATA_ALL,
) -> RegionResult:
    """Compute every indicator, the summary and the baseline for a scope and year.

    Raises ``communities.scopes.UnknownScope`` for a code that is no division, street or community.
    """
    plan = plan or current_plan()
    scope = resolve_scope(scope_code)
    return _compute(scope, [year], plan, with_children=with_children, data=data)[year]


def compute_years(
    *, scope_code: str, years: list[int], plan: Plan | None = None
) -> dict[int, RegionResult]:
    """Compute the region (no children) for several years at once, for the progress line."""
    plan = plan or current_plan()
    years = sorted(set(years))
    scope = resolve_scope(scope_code)
    if not years:
        return {}
    return _compute(scope, years, plan, with_children=False)


def _unit_value(verdict: _Verdict, *, applicable: bool = True) -> UnitValue:
    return UnitValue(
        value=verdict.value,
        compliant=verdict.compliant and applicable,
        gap=verdict.gap if applicable and verdict.value is not None else None,
        applicable=applicable,
    )


def community_rows(
    *, scope_code: str, year: int, plan: Plan | None = None, data: str = DATA_ALL
) -> list[CommunityRow]:
    """Return one row per community in scope (by code): each indicator's value and verdict."""
    plan = plan or current_plan()
    scope = resolve_scope(scope_code)
    communities = _community_list(scope.code)
    if figures_hold([year], plan):
        facts = _gather_figures(scope.code, [year], communities, data, streets=False)
    else:
        facts = _gather_raw(scope.code, [year], communities, data)
        facts.streets = []
    return [
        CommunityRow(
            code=unit.code,
            name=unit.name,
            street_code=unit.parent_code,
            indicators={code: _unit_value(v) for code, v in unit.verdicts.items()},
            fully_compliant=unit.fully_compliant,
            missing_data=not unit.has_stats,
        )
        for unit in _community_units(facts, year, _thresholds(plan))
    ]


def street_rows(*, scope_code: str, year: int, plan: Plan | None = None) -> list[StreetRow]:
    """Return one row per street in scope (by code); ``street_centre`` applies to 街道 only."""
    plan = plan or current_plan()
    scope = resolve_scope(scope_code)
    thresholds = _thresholds(plan)
    if figures_hold([year], plan):
        facts = _Facts([], _street_list(scope.code), {}, {}, {}, {}, {}, {}, {}, {})
        facts.centres = _centres_from_figures(scope.code, [year])
    else:
        facts = _gather_raw(scope.code, [year], [], DATA_ALL)
    return [
        StreetRow(
            code=unit.code,
            name=unit.name,
            county_code=unit.parent_code,
            kind=unit.kind,
            indicators={
                code: _unit_value(v, applicable=unit.kind == SUBDISTRICT)
                for code, v in unit.verdicts.items()
            },
        )
        for unit in _street_units(facts, year, thresholds)
    ]
