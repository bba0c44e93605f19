"""The service standards' measures per scope and year, counted in the database.

- coverage of the catalogue: the (facility, item) pairs with a self-check that year, over the
  facilities in service (stations and centres) times the catalogue's items;
- the share meeting the standard: the self-checks answered 达标 over all self-checks;
- the stations providing none of a service line: stations in service with no self-check of any
  item of that line that year.

One query for the facilities, one for the checks (both grouped by the child unit's code
prefix), one for the catalogue and one for the stations missing a line, whatever the size.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr

from communities.scopes import child_level, child_units
from core.scoping import CODE_LENGTHS, LEVEL_BY_LENGTH
from facilities.models import Facility, FacilityKind, ServiceItem

from .models import CHECKED_KINDS, CheckResult, ServiceStandard, StandardCheck

FOUR = Decimal("0.0001")


def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` to four places (None when there is nothing to divide by)."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(FOUR, rounding=ROUND_HALF_UP)


@dataclass
class StandardsRow:
    code: str
    name: str = ""
    facilities: int = 0
    stations: int = 0
    provided: int = 0
    meets: int = 0
    partly: int = 0
    not_met: int = 0
    catalogue: int = 0

    @property
    def checks(self) -> int:
        return self.provided

    @property
    def coverage(self) -> Decimal | None:
        return rate(self.provided, self.facilities * self.catalogue)

    @property
    def meeting_share(self) -> Decimal | None:
        return rate(self.meets, self.provided)


@dataclass
class StandardsSummary:
    scope: StandardsRow
    year: int
    lines: list[dict] = field(default_factory=list)
    children: list[StandardsRow] = field(default_factory=list)
    missing_lines: list[dict] = field(default_factory=list)


def facilities_checked(scope_code: str, year: int):
    """Stations and centres in service under ``scope_code`` on 31 December of ``year``."""
    return Facility.objects.under(scope_code).in_service_at(year).filter(kind__in=CHECKED_KINDS)


def standards_summary(scope_code: str, year: int, *, name: str = "") -> StandardsSummary:
    """Compute the measures for ``scope_code`` and ``year``, with the next level down."""
    level = LEVEL_BY_LENGTH.get(len(scope_code), "community")
    below = child_level(level)
    width = CODE_LENGTHS[below] if below else len(scope_code)
    catalogue = dict(
        ServiceStandard.objects.values_list("service_line").annotate(n=Count("code")).order_by()
    )
    size = sum(catalogue.values())
    facilities = facilities_checked(scope_code, year)
    rows: dict[str, StandardsRow] = {}
    for code, total, stations in (
        facilities.annotate(unit=Substr("code", 1, width))
        .values("unit")
        .annotate(n=Count("id"), s=Count("id", filter=Q(kind=FacilityKind.STATION)))
        .values_list("unit", "n", "s")
        .order_by()
    ):
        row = rows.setdefault(code, StandardsRow(code, catalogue=size))
        row.facilities, row.stations = total, stations
    checks = StandardCheck.objects.filter(year=year, facility__in=facilities)
    by_line: dict[str, dict[str, int]] = {}
    for code, line, result, n in (
        checks.annotate(unit=Substr("facility__code", 1, width))
        .values("unit", "standard__service_line", "result")
        .annotate(n=Count("id"))
        .values_list("unit", "standard__service_line", "result", "n")
        .order_by()
    ):
        row = rows.setdefault(code, StandardsRow(code, catalogue=size))
        row.provided += n
        setattr(row, result, getattr(row, result) + n)
        counts = by_line.setdefault(line, {"provided": 0, "meets": 0})
        counts["provided"] += n
        if result == CheckResult.MEETS:
            counts["meets"] += n
    total = StandardsRow(scope_code, name=name, catalogue=size)
    for row in rows.values():
        for attr in ("facilities", "stations", "provided", "meets", "partly", "not_met"):
            setattr(total, attr, getattr(total, attr) + getattr(row, attr))
    children = []
    if below:
        for code, unit_name in child_units(scope_code):
            row = rows.get(code, StandardsRow(code, catalogue=size))
            row.name = unit_name
            children.append(row)
    lines = []
    for value, label in ServiceItem.choices:
        items = catalogue.get(value, 0)
        counts = by_line.get(value, {"provided": 0, "meets": 0})
        lines.append(
            {
                "code": value,
                "label": label,
                "items": items,
                "provided": counts["provided"],
                "meets": counts["meets"],
                "coverage": rate(counts["provided"], items * total.facilities),
                "meeting_share": rate(counts["meets"], counts["provided"]),
            }
        )
    return StandardsSummary(
        scope=total,
        year=year,
        lines=lines,
        children=children,
        missing_lines=stations_missing_lines(
            scope_code, year, [v for v in catalogue if catalogue[v]]
        ),
    )


def stations_missing_lines(scope_code: str, year: int, lines: list[str]) -> list[dict]:
    """The stations in service that provide none of the items of one or more ``lines`` (one query)."""
    if not lines:
        return []
    marks = {
        f"has_{line}": Exists(
            StandardCheck.objects.filter(
                facility=OuterRef("pk"), year=year, standard__service_line=line
            )
        )
        for line in lines
    }
    labels = dict(ServiceItem.choices)
    missing = []
    stations = (
        Facility.objects.under(scope_code)
        .in_service_at(year)
        .filter(kind=FacilityKind.STATION)
        .select_related("community")
        .annotate(**marks)
        .order_by("code", "name")
    )
    for station in stations:
        absent = [line for line in lines if not getattr(station, f"has_{line}")]
        if absent:
            missing.append(
                {
                    "facility": station,
                    "lines": absent,
                    "labels": [labels[line] for line in absent],
                }
            )
    return missing
