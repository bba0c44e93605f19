"""Options of a demo load and what a community's rows need to know about where it lies."""

from dataclasses import dataclass

from . import calibration as cal

DEMO_STREET = "620102016"  # 兰州市城关区 团结新村街道: the demo official's and staff's street


def clamp(value, low, high):
    """Bound ``value`` to ``[low, high]``."""
    return max(low, min(high, value))


@dataclass
class DemoOptions:
    """How much and which demo data to build."""

    seed: int = 2015
    scale: float = 1.0
    first_year: int = cal.BASELINE_YEAR
    last_year: int = cal.TARGET_YEAR

    @property
    def target_year(self) -> int:
        """The year calibrated to the plan's targets: 2015 when in range, else the last year."""
        if self.first_year < cal.TARGET_YEAR <= self.last_year:
            return cal.TARGET_YEAR
        return self.last_year


@dataclass
class Place:
    """A community with the names of its street, county and prefecture."""

    code: str
    name: str
    street_code: str
    street_name: str
    county_name: str
    prefecture_name: str

    @property
    def short(self) -> str:
        """The name without 社区居委会: 团结新村."""
        name = self.name
        for suffix in ("社区居委会", "居委会", "社区"):
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
        return name

    def label(self, what: str) -> str:
        """Name something of the community: 团结新村社区 + 老年协会 (no doubled 社区)."""
        return f"{self.short}社区{what.removeprefix('社区')}"

    @property
    def address(self) -> str:
        return f"{self.prefecture_name}{self.county_name}{self.street_name}{self.short}社区"
