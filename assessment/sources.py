"""Where the automatic items' figures come from: the compliance engine, the reporting cycle
and the request pipeline, each asked once per parent area of the units scored.

A source answers ``{unit_code: Figure}`` for the units of one level; it never re-counts what
its app counts, it reads that app's public function.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from core.scoping import PROVINCE_CODE

PARENT_LENGTH = {"prefecture": len(PROVINCE_CODE), "county": 4, "street": 6}


@dataclass
class Figure:
    """The rate an automatic item is scored on and the counts it came from."""

    rate: Decimal | None
    part: int | None = None
    whole: int | None = None
    part_label: str = ""
    whole_label: str = ""

    @property
    def is_not_applicable(self) -> bool:
        """Say whether the unit has nothing to measure (none applicable, none expected)."""
        return self.rate is None and self.whole == 0

    def as_json(self) -> dict:
        return {
            "rate": None if self.rate is None else f"{self.rate:.4f}",
            "part": self.part,
            "whole": self.whole,
            "part_label": self.part_label,
            "whole_label": self.whole_label,
        }

    @classmethod
    def from_json(cls, data: dict | None) -> "Figure | None":
        if not data:
            return None
        rate = data.get("rate")
        return cls(
            rate=None if rate is None else Decimal(rate),
            part=data.get("part"),
            whole=data.get("whole"),
            part_label=data.get("part_label", ""),
            whole_label=data.get("whole_label", ""),
        )

    def text(self) -> str:
        """Say what the figure is, for a score sheet (达标 12 / 适用 15，达标率 80.00%)."""
        if self.is_not_applicable:
            return f"无{self.whole_label}对象，按满分计"
        if self.rate is None:
            return "无数据"
        counts = ""
        if self.whole is not None:
            counts = f"{self.part_label} {self.part} / {self.whole_label} {self.whole}，"
        return f"{counts}比率 {self.rate * 100:.2f}%"


def parents_of(unit_codes, level: str) -> dict[str, list[str]]:
    """Group unit codes by the area one level above them."""
    length = PARENT_LENGTH[level]
    groups = defaultdict(list)
    for code in unit_codes:
        groups[code[:length]].append(code)
    return groups


class SourceCache:
    """Each source's answer per parent area, computed at most once in one scoring run."""

    def __init__(self, year: int):
        self.year = year
        self._answers: dict[tuple, dict] = {}

    def get(self, name: str, parent: str, compute):
        key = (name, parent)
        if key not in self._answers:
            self._answers[key] = compute(parent, self.year)
        return self._answers[key]


def _compliance_children(parent: str, year: int) -> dict:
    from targets.engine import compute_region

    result = compute_region(scope_code=parent, year=year, with_children=True)
    return {child.code: child for child in result.children}


def indicator_figures(cache: SourceCache, level: str, units, params: dict) -> dict[str, Figure]:
    """Each unit's compliance rate for one indicator of the plan (``targets.engine``)."""
    code = params["indicator"]
    figures = {}
    for parent, codes in parents_of(units, level).items():
        children = cache.get("compliance", parent, _compliance_children)
        for unit in codes:
            child = children.get(unit)
            if child is None:
                figures[unit] = Figure(rate=None)
                continue
            result = child.indicator(code)
            figures[unit] = Figure(
                rate=result.rate,
                part=result.compliant,
                whole=result.applicable,
                part_label="达标",
                whole_label="应达标",
            )
    return figures


def _reporting_children(parent: str, year: int) -> dict:
    from communities.scopes import resolve_scope
    from reporting.rates import reporting_rates

    rates = reporting_rates(resolve_scope(parent), year)
    return {child.code: child for child in rates.children}


def reporting_figures(cache: SourceCache, level: str, units, params: dict) -> dict[str, Figure]:
    """Each unit's on-time reporting rate of the year (``reporting.rates``)."""
    figures = {}
    for parent, codes in parents_of(units, level).items():
        children = cache.get("reporting", parent, _reporting_children)
        for unit in codes:
            child = children.get(unit)
            if child is None:
                figures[unit] = Figure(rate=None)
                continue
            figures[unit] = Figure(
                rate=child.on_time_rate,
                part=child.on_time,
                whole=child.expected,
                part_label="按时上报",
                whole_label="应报社区",
            )
    return figures


def _casework_children(parent: str, year: int) -> dict:
    from casework.measures import compute_measures, year_period

    measures = compute_measures(parent, year_period(year), units=False)
    return {child.code: child for child in measures.children}


def casework_figures(measure: str):
    """Each unit's on-time or satisfaction rate of the year (``casework.measures``)."""
    counts = {
        "on_time_rate": ("on_time", "resolved", "按时办结", "已办结"),
        "satisfaction_rate": ("satisfied", "rated", "满意和基本满意", "已回访"),
    }[measure]

    def figures_of(cache: SourceCache, level: str, units, params: dict) -> dict[str, Figure]:
        figures = {}
        for parent, codes in parents_of(units, level).items():
            children = cache.get("casework", parent, _casework_children)
            for unit in codes:
                child = children.get(unit)
                if child is None:
                    figures[unit] = Figure(rate=None)
                    continue
                part, whole, part_label, whole_label = counts
                figures[unit] = Figure(
                    rate=getattr(child, measure),
                    part=getattr(child, part),
                    whole=getattr(child, whole),
                    part_label=part_label,
                    whole_label=whole_label,
                )
        return figures

    return figures_of
