"""Service centres, stations and specialized facilities, with their funding lines."""

import datetime
import json
import random
from dataclasses import dataclass
from decimal import Decimal

from facilities.models import ServiceItem, SpecializedType
from streets.models import Street, StreetKind

from . import calibration as cal
from . import names
from .options import Place, clamp

SERVICE_ITEMS = list(ServiceItem.values)
SPECIALIZED_TYPES = list(SpecializedType.values)
SPECIALIZED_AREA = {
    "day_care": (100, 400),
    "health": (60, 250),
    "culture_sports": (40, 200),
    "children": (30, 120),
    "disability": (30, 150),
    "library": (20, 100),
    "other": (20, 150),
}
SPECIALIZED_SERVICES = {
    "day_care": ["social_security"],
    "health": ["health_family_planning"],
    "culture_sports": ["culture_education_sports"],
    "library": ["culture_education_sports"],
}


@dataclass(frozen=True)
class Sizes:
    """Floor areas (㎡, low–high) of a centre or station at each turn of its history."""

    small: tuple[float, float]  # in the baseline year, below the target
    adequate: tuple[float, float]  # in the baseline year, meeting it
    upgraded: tuple[float, float]  # replacing a small one
    new: tuple[float, float]  # opened later where there was none, meeting the target
    late_small: tuple[float, float]  # opened later, still below the target
    late_small_share: float  # of the places that miss the target and had none


# 甘政办发〔2012〕192号 二: centres 不低于800平方米, stations 不少于300平方米.
CENTRE_SIZES = Sizes((260, 799.5), (800, 2000), (800, 2200), (800, 2000), (300, 799.5), 0.4)
STATION_SIZES = Sizes((80, 299.5), (300, 720), (300, 900), (300, 800), (120, 299.5), 0.6)


class FacilityRows:
    """The facility half of ``DemoBuilder`` (it provides the writers and the date helpers)."""

    @staticmethod
    def area(rng: random.Random, low: float, high: float) -> Decimal:
        """An area in ㎡ between low and high, in half square metres."""
        value = round(rng.uniform(low, high) * 2) / 2
        return Decimal(str(clamp(value, low, high))).quantize(Decimal("0.01"))

    def facility(
        self,
        *,
        rng,
        name,
        kind,
        street_code,
        community_code,
        area,
        opened,
        closed,
        mode,
        address,
        services,
        specialized_type="",
    ) -> None:
        fid = self.w_facility.new_id()
        self.w_facility.add(
            (
                fid,
                1,
                self.now,
                self.now,
                name,
                kind,
                specialized_type,
                street_code if kind == "centre" else None,
                community_code if kind != "centre" else None,
                street_code if kind == "centre" else community_code,
                str(area),
                self.iso(opened),
                self.iso(closed),
                mode,
                address,
                json.dumps(services),
            )
        )
        self.funding(rng, fid, kind, area, opened)

    def funding(self, rng, facility_id: int, kind: str, area: Decimal, opened: int) -> None:
        """One to three funding lines whose sum is about 0.1–0.3 万元 per ㎡."""
        year = max(2000, datetime.date.fromordinal(opened).year)
        if kind == "centre":
            sources = ["provincial", "local"] + (["central"] if rng.random() < 0.5 else [])
        elif kind == "station":
            sources = ["local"] + (["provincial"] if rng.random() < 0.8 else [])
            sources += ["lottery"] if rng.random() < 0.3 else []
            sources += ["social"] if rng.random() < 0.15 else []
        else:
            sources = ["local"] + (["lottery"] if rng.random() < 0.5 else [])
            sources += ["social"] if rng.random() < 0.3 else []
        total = float(area) * rng.uniform(0.10, 0.30)
        weights = [rng.uniform(0.5, 2.0) for _ in sources]
        for source, weight in zip(sources, weights, strict=True):
            amount = max(0.01, round(total * weight / sum(weights), 2))
            self.w_funding.add((facility_id, source, year, f"{amount:.2f}"))

    def mode(self, rng, upgrade: bool = False) -> str:
        if upgrade:
            return rng.choices(
                ["extension", "new_build", "purchase", "repurpose"], [50, 25, 15, 10]
            )[0]
        return rng.choices(["new_build", "extension", "purchase", "repurpose"], [45, 20, 15, 20])[0]

    def services(self, rng, low: int) -> list[str]:
        count = clamp(low, 1, len(SERVICE_ITEMS))
        picked = set(rng.sample(SERVICE_ITEMS, count))
        return [s for s in SERVICE_ITEMS if s in picked]

    def service_point(
        self,
        rng,
        common: dict,
        *,
        sizes: Sizes,
        has0: bool,
        adequate0: bool,
        ok: bool,
        services: list[str],
        services_before: int,
    ) -> None:
        """A centre or station over the years: kept, replaced by a larger one, or opened late."""
        if has0:
            opened = self.day_in(rng, self.year_before(rng, 7))
            area0 = self.area(rng, *sizes.adequate) if adequate0 else self.area(rng, *sizes.small)
            if ok and not adequate0:
                swap = self.day_in(rng, self.event_year(rng))
                self.facility(
                    **common,
                    area=area0,
                    opened=opened,
                    closed=swap,
                    mode=self.mode(rng),
                    services=services[:services_before],
                )
                self.facility(
                    **common,
                    area=self.area(rng, *sizes.upgraded),
                    opened=swap,
                    closed=None,
                    mode=self.mode(rng, upgrade=True),
                    services=services,
                )
            else:
                self.facility(
                    **common,
                    area=area0,
                    opened=opened,
                    closed=None,
                    mode=self.mode(rng),
                    services=services,
                )
        elif ok:
            self.facility(
                **common,
                area=self.area(rng, *sizes.new),
                opened=self.day_in(rng, self.event_year(rng)),
                closed=None,
                mode=self.mode(rng),
                services=services,
            )
        elif rng.random() < sizes.late_small_share:
            self.facility(
                **common,
                area=self.area(rng, *sizes.late_small),
                opened=self.day_in(rng, self.event_year(rng)),
                closed=None,
                mode=self.mode(rng),
                services=services,
            )

    def build_street(self, street: Street, county_name: str) -> None:
        """A 街道 service centre for most 街道 (and a few towns), upgraded over the years."""
        rng = random.Random(f"{self.options.seed}/street/{street.code}")
        level, _ = cal.PREFECTURES.get(street.code[:4], cal.DEFAULT_PREFECTURE)
        common = {
            "rng": rng,
            "name": f"{street.name}社区服务中心",
            "kind": "centre",
            "street_code": street.code,
            "community_code": None,
            "address": f"{county_name}{street.name}",
        }
        if street.kind != StreetKind.SUBDISTRICT:
            if rng.random() < cal.TOWN_CENTRE_SHARE:
                opened = self.day_in(rng, rng.randint(self.A - 4, self.T))
                self.facility(
                    **common,
                    area=self.area(rng, 200, 1200),
                    opened=opened,
                    closed=None,
                    mode=self.mode(rng),
                    services=self.services(rng, rng.randint(4, 8)),
                )
            return
        a, b = cal.CENTRE_BASELINE
        has0 = rng.random() < a + b * level
        large0 = has0 and rng.random() < 0.40 + 0.25 * level
        effort = rng.gauss(level, cal.EFFORT_SPREAD)
        ok = large0 or effort + rng.gauss(0, cal.TARGET_NOISE) >= cal.CUTOFFS["street_centre"]
        services = self.services(rng, rng.randint(6, 8))
        self.service_point(
            rng,
            common,
            sizes=CENTRE_SIZES,
            has0=has0,
            adequate0=large0,
            ok=ok,
            services=services,
            services_before=5,
        )

    def stations(self, rng, place: Place, level: float, effort: float, z: dict) -> None:
        """The community service station: 89.5 % have one in 2010, most small; upgrades later."""
        a, b = cal.STATION_BASELINE
        has0 = rng.random() < a + b * level
        a, b = cal.SMALL_STATION_BASELINE
        small0 = has0 and rng.random() < a - b * level
        ok = (has0 and not small0) or z["community_station"] >= 0
        services = self.services(rng, 3 + int(effort * 4) + rng.randint(0, 2))
        common = {
            "rng": rng,
            "name": f"{place.short}社区服务站",
            "kind": "station",
            "street_code": place.street_code,
            "community_code": place.code,
            "address": place.address,
        }
        self.service_point(
            rng,
            common,
            sizes=STATION_SIZES,
            has0=has0,
            adequate0=not small0,
            ok=ok,
            services=services,
            services_before=3,
        )

    def specialized(self, rng, place: Place, effort: float) -> None:
        """Day care, health station, activity rooms …: a few per community, most opened lately."""
        count = clamp(int(0.5 + 3 * effort + rng.uniform(-1, 1)), 0, 5)
        for kind in rng.sample(SPECIALIZED_TYPES, count):
            if rng.random() < 0.3:
                opened = self.day_in(rng, self.year_before(rng, 6))
            else:
                opened = self.day_in(rng, self.event_year(rng))
            closed = None
            if rng.random() < 0.05:
                closed = min(
                    opened + rng.randint(200, 1500), datetime.date(self.B, 12, 31).toordinal()
                )
            self.facility(
                rng=rng,
                name=place.label(names.SPECIALIZED_NAMES[kind]),
                kind="specialized",
                specialized_type=kind,
                street_code=place.street_code,
                community_code=place.code,
                area=self.area(rng, *SPECIALIZED_AREA[kind]),
                opened=opened,
                closed=closed,
                mode=self.mode(rng),
                address=place.address,
                services=SPECIALIZED_SERVICES.get(kind, []),
            )
