"""What the compliance engine answers: plain dataclasses that the API, CLI, pages and Excel read.

Numbers are exact (``int`` and ``Decimal``); rounding to 2 or 4 places happens only when a
result is written out (``targets.payload`` for the API).
"""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class IndicatorResult:
    """One indicator rolled up over a region (INDICATORS.md, rolling up)."""

    code: str
    name: str
    threshold: Decimal
    applicable: int
    compliant: int
    missing: int
    rate: Decimal | None  # compliant ÷ applicable, None if nothing applicable
    value: Decimal | None  # the region's ratio of sums, None where INDICATORS.md says null
    gap: Decimal  # in the indicator's own unit (㎡, people, organisations, workers, communities)


@dataclass
class BaselineResult:
    """One baseline figure (基本情况) computed for the year, beside the plan's published value."""

    code: str
    name: str
    count: int
    rate: Decimal | None
    published: str | None = None  # the plan's 2010 figure as printed, e.g. "89.5%" or "124"


@dataclass
class RegionResult:
    """Compliance of one scope (province, prefecture, county, street or community) in one year."""

    code: str
    name: str
    level: str  # province / prefecture / county / street / community
    year: int
    plan_code: str
    indicators: list[IndicatorResult]
    community_count: int
    fully_compliant_count: int
    fully_compliant_rate: Decimal | None
    baseline: list[BaselineResult] = field(default_factory=list)
    children: list["RegionResult"] = field(default_factory=list)
    data: str = "all"  # which statistics counted: "all", or "approved" at every level

    def indicator(self, code: str) -> IndicatorResult:
        return next(i for i in self.indicators if i.code == code)


@dataclass
class UnitValue:
    """One unit's (street's or community's) value and verdict for one indicator."""

    value: Decimal | None
    compliant: bool
    # What the unit lacks, in the indicator's gap unit (0 when compliant, None when the
    # indicator does not apply, e.g. street_centre for a town).
    gap: Decimal | None = None
    applicable: bool = True


@dataclass
class CommunityRow:
    code: str
    name: str
    street_code: str
    indicators: dict[str, UnitValue]  # the ten community indicators, registry order
    fully_compliant: bool
    missing_data: bool  # no annual statistics row for the year


@dataclass
class StreetRow:
    code: str
    name: str
    county_code: str
    kind: str
    indicators: dict[str, UnitValue]  # street_centre only
