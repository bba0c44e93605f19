"""Build the demo data set on the loaded hierarchy, one street and one community at a time.

Every street and community draws from its own ``random.Random`` seeded with the run's seed and
its official code, so the same seed gives the same data whatever else changes, and a
community's facilities, organisations and workers do not depend on ``scale`` (only its
volunteer register does). The rows go in as plain tuples through ``RowWriter`` (see there
why); no history rows are written for the demo load.
"""

import bisect
import datetime
import itertools
import json
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from communities.models import Community, CommunityStat, SocialOrganization
from facilities.models import Facility, FacilityFunding, ServiceItem, SpecializedType
from gansu_community.validators import ID_CHECK_CHARS, ID_WEIGHTS
from streets.models import Division, Street, StreetKind
from volunteers.models import ServiceCategory, ServiceRecord, Volunteer, VolunteerOrganization
from workforce.models import Training, Worker

from . import calibration as cal
from . import names
from .writer import DateCache, RowWriter

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_STREET = "620102016"  # 兰州市城关区 团结新村街道: the demo official's and staff's street
SERVICE_ITEMS = list(ServiceItem.values)
CATEGORIES = list(ServiceCategory.values)
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
PHONE_PREFIXES = tuple(
    [f"13{d}" for d in range(10)]
    + [f"15{d}" for d in (0, 1, 2, 3, 5, 6, 7, 8, 9)]
    + ["177", "180", "181", "182", "183", "186", "187", "188", "189"]
)
SURNAME_CUM = []
for _weight in names.SURNAME_WEIGHTS:
    SURNAME_CUM.append((SURNAME_CUM[-1] if SURNAME_CUM else 0) + _weight)
# Service categories of a volunteer: one, two or three, the fewer the likelier (44/33/22 %),
# drawn with a single random number from this pool of (codes, JSON) pairs.
CATEGORY_POOL = []
for _size, _copies in ((1, 24), (2, 4), (3, 1)):
    for _combo in itertools.combinations(range(len(CATEGORIES)), _size):
        _codes = [CATEGORIES[i] for i in _combo]
        CATEGORY_POOL.extend([(_codes, json.dumps(_codes))] * _copies)
SEQ_TEXT = [f"{i:03d}" for i in range(1000)]
SEQ_SUM = [sum(int(ch) * w for ch, w in zip(s, ID_WEIGHTS[14:17], strict=True)) for s in SEQ_TEXT]


def clamp(value, low, high):
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
    """What a community's rows need to know about where it lies."""

    code: str
    name: str
    street_code: str
    street_name: str
    county_name: str
    prefecture_name: str

    @property
    def short(self) -> str:
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


@dataclass
class DemoCounts:
    """Rows written per table."""

    tables: dict[str, int] = field(default_factory=dict)


class DemoBuilder:
    """Write the whole demo data set; ``run()`` returns the rows written per table."""

    def __init__(self, options: DemoOptions, *, progress=None):
        self.options = options
        self.progress = progress or (lambda n=1: None)
        self.A = options.first_year
        self.T = options.target_year
        self.B = options.last_year
        self.years = list(range(self.A, self.B + 1))
        self.event_years = list(range(self.A + 1, self.T + 1)) or [self.T]
        self.event_weights = [1.0 + 0.5 * i for i in range(len(self.event_years))]
        self.iso = DateCache()
        now = timezone.now()
        self.now = connection.ops.adapt_datetimefield_value(now)
        self.seen_ids: set[str] = set()
        self.birth_cache: dict[int, tuple[str, int]] = {}
        self.w_stat = RowWriter(
            CommunityStat,
            [
                "id",
                "version",
                "created_at",
                "updated_at",
                "community",
                "year",
                "households",
                "residents",
                "party_members",
                "party_members_volunteering",
                "residents_volunteering",
                "status",
                "return_reason",
                "submitted_at",
                "reviewed_at",
            ],
        )
        self.w_facility = RowWriter(
            Facility,
            [
                "id",
                "version",
                "created_at",
                "updated_at",
                "name",
                "kind",
                "specialized_type",
                "street",
                "community",
                "code",
                "floor_area",
                "opened_on",
                "closed_on",
                "construction_mode",
                "address",
                "services",
            ],
        )
        self.w_funding = RowWriter(
            FacilityFunding,
            ["facility", "source", "year", "amount_wan_yuan"],
            parents=[self.w_facility],
        )
        self.w_vorg = RowWriter(
            VolunteerOrganization,
            [
                "id",
                "version",
                "created_at",
                "updated_at",
                "community",
                "name",
                "registered_on",
                "dissolved_on",
            ],
        )
        self.w_volunteer = RowWriter(
            Volunteer,
            [
                "id",
                "version",
                "created_at",
                "updated_at",
                "community",
                "organization",
                "name",
                "gender",
                "id_number",
                "phone",
                "is_party_member",
                "registered_on",
                "left_on",
                "service_categories",
            ],
            batch=10000,
            parents=[self.w_vorg],
        )
        self.w_record = RowWriter(
            ServiceRecord,
            ["volunteer", "served_on", "hours", "category", "activity"],
            parents=[self.w_volunteer],
        )
        self.w_social = RowWriter(
            SocialOrganization,
            [
                "id",
                "version",
                "created_at",
                "updated_at",
                "community",
                "name",
                "category",
                "registered_on",
                "dissolved_on",
            ],
        )
        self.w_worker = RowWriter(
            Worker,
            [
                "id",
                "version",
                "created_at",
                "updated_at",
                "community",
                "name",
                "gender",
                "role",
                "education",
                "social_work_qualification",
                "recruitment",
                "hired_on",
                "left_on",
            ],
        )
        self.w_training = RowWriter(
            Training,
            ["worker", "title", "started_on", "hours", "organizer"],
            parents=[self.w_worker],
        )
        self.writers = {
            "社区年度统计": self.w_stat,
            "社区服务设施": self.w_facility,
            "设施资金": self.w_funding,
            "志愿者组织": self.w_vorg,
            "注册志愿者": self.w_volunteer,
            "志愿服务记录": self.w_record,
            "社区社会组织": self.w_social,
            "社区工作者": self.w_worker,
            "培训记录": self.w_training,
        }
        self.digital_3d: dict[str, datetime.date | None] = {}
        self.special_status: dict[str, str] = {}
        self.year_bounds: dict[int, tuple[int, int]] = {}

    # ----------------------------------------------------------------- the whole run

    def places(self) -> list[Place]:
        """Read the communities with the names of their street, county and prefecture."""
        divisions = dict(Division.objects.values_list("code", "name"))
        streets = {s.code: s for s in Street.objects.all()}
        result = []
        for code, name, street_code in Community.objects.order_by("code").values_list(
            "code", "name", "street_id"
        ):
            street = streets[street_code]
            result.append(
                Place(
                    code=code,
                    name=name,
                    street_code=street_code,
                    street_name=street.name,
                    county_name=divisions.get(street.county_id, ""),
                    prefecture_name=divisions.get(street.county_id[:4], ""),
                )
            )
        return result

    def run(self, places: list[Place] | None = None) -> dict[str, int]:
        """Write every row; the caller holds the transaction."""
        places = self.places() if places is None else places
        street_codes = {p.street_code for p in places}
        streets = (
            Street.objects.filter(code__in=street_codes).select_related("county").order_by("code")
        )
        divisions = dict(Division.objects.values_list("code", "name"))
        for street in streets:
            self.build_street(street, divisions.get(street.county_id, ""))
        demo_street = sorted(p.code for p in places if p.street_code == DEMO_STREET)
        if demo_street:
            self.special_status[demo_street[0]] = "draft"
            for code in demo_street[1:3]:
                self.special_status[code] = "submitted"
        for place in places:
            self.build_community(place)
            self.progress(1)
        for writer in self.writers.values():
            writer.flush()
        self.save_digital_3d()
        return {label: w.count for label, w in self.writers.items()}

    def save_digital_3d(self) -> None:
        """Store the 3D digital community completion dates on the communities."""
        objs = [
            Community(code=code, digital_3d_completed_on=day)
            for code, day in self.digital_3d.items()
        ]
        Community.objects.bulk_update(objs, ["digital_3d_completed_on"], batch_size=500)

    # ----------------------------------------------------------------- helpers

    def day_in(self, rng: random.Random, year: int) -> int:
        """A random day of ``year``, as an ordinal."""
        bounds = self.year_bounds.get(year)
        if bounds is None:
            start = datetime.date(year, 1, 1).toordinal()
            bounds = self.year_bounds[year] = (
                start,
                datetime.date(year, 12, 31).toordinal() - start + 1,
            )
        return bounds[0] + int(rng.random() * bounds[1])

    def event_year(self, rng: random.Random) -> int:
        return rng.choices(self.event_years, weights=self.event_weights)[0]

    def year_before(self, rng: random.Random, back: int) -> int:
        """A year in the ``back`` years up to the baseline year."""
        return self.A - int(rng.random() * back)

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

    def person_name(self, rng, male: bool, taken: set[str]) -> str:
        pool = names.GIVEN_MALE if male else names.GIVEN_FEMALE
        while True:
            name = rng.choices(names.SURNAME_WORDS, cum_weights=SURNAME_CUM)[0] + rng.choice(pool)
            if rng.random() < 0.7:
                name += rng.choice(pool + names.GIVEN_ANY)
            if name not in taken:
                taken.add(name)
                return name

    # ----------------------------------------------------------------- streets

    def build_street(self, street: Street, county_name: str) -> None:
        """A 街道 service centre for most 街道 (and a few towns), upgraded over the years."""
        rng = random.Random(f"{self.options.seed}/street/{street.code}")
        level, _ = cal.PREFECTURES.get(street.code[:4], cal.DEFAULT_PREFECTURE)
        name = f"{street.name}社区服务中心"
        address = f"{county_name}{street.name}"
        common = {
            "rng": rng,
            "name": name,
            "kind": "centre",
            "street_code": street.code,
            "community_code": None,
            "address": address,
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
        if has0:
            opened = self.day_in(rng, self.year_before(rng, 7))
            area0 = self.area(rng, 800, 2000) if large0 else self.area(rng, 260, 799.5)
            if ok and not large0:
                swap = self.day_in(rng, self.event_year(rng))
                self.facility(
                    **common,
                    area=area0,
                    opened=opened,
                    closed=swap,
                    mode=self.mode(rng),
                    services=services[:5],
                )
                self.facility(
                    **common,
                    area=self.area(rng, 800, 2200),
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
                area=self.area(rng, 800, 2000),
                opened=self.day_in(rng, self.event_year(rng)),
                closed=None,
                mode=self.mode(rng),
                services=services,
            )
        elif rng.random() < 0.4:
            self.facility(
                **common,
                area=self.area(rng, 300, 799.5),
                opened=self.day_in(rng, self.event_year(rng)),
                closed=None,
                mode=self.mode(rng),
                services=services,
            )

    # ----------------------------------------------------------------- communities

    def build_community(self, place: Place) -> None:
        rng = random.Random(f"{self.options.seed}/community/{place.code}")
        level, size = cal.PREFECTURES.get(place.code[:4], cal.DEFAULT_PREFECTURE)
        effort = clamp(rng.gauss(level, cal.EFFORT_SPREAD), 0.05, 1.0)
        z = {key: effort + rng.gauss(0, cal.TARGET_NOISE) - cut for key, cut in cal.CUTOFFS.items()}
        residents = self.stats(rng, place, size, z)
        self.stations(rng, place, level, effort, z)
        self.specialized(rng, place, effort)
        self.digital(rng, place, z["digital_3d_community"])
        orgs = self.volunteer_orgs(rng, place, level, effort)
        self.social_orgs(rng, place, z["social_organizations"])
        self.workers(rng, place, effort, z)
        self.volunteers(rng, place, level, residents, z["registered_volunteers"], orgs)

    def progress_at(self, year: int, shape: float) -> float:
        """How far from the baseline (0) to the target year (1) a figure has moved by ``year``."""
        if year <= self.A:
            return 0.0
        if year <= self.T:
            return ((year - self.A) / (self.T - self.A)) ** shape
        return 1.0 + 0.08 * (year - self.T)

    @staticmethod
    def share_of(total: int, rate: float, threshold: float) -> int:
        """``rate`` of ``total``, rounded so that it meets ``threshold`` exactly when ``rate`` does."""
        exact = rate * total
        return min(total, math.ceil(exact)) if rate >= threshold else math.floor(exact)

    def stats(self, rng, place: Place, size: float, z: dict) -> dict[int, int]:
        """Yearly statistics; return the residents per year."""
        res0 = clamp(
            round(cal.RESIDENTS_MEDIAN * size * rng.lognormvariate(0, cal.RESIDENTS_SIGMA)),
            *cal.RESIDENTS_RANGE,
        )
        growth = rng.uniform(0.005, 0.03)
        household_size = rng.uniform(*cal.HOUSEHOLD_SIZE)
        party_share = rng.uniform(*cal.PARTY_SHARE)
        p0, r0 = rng.uniform(0.30, 0.55), rng.uniform(0.06, 0.16)
        p_target = clamp(0.80 + 0.30 * z["party_member_participation"], 0.35, 0.97)
        r_target = clamp(0.30 + 0.25 * z["resident_participation"], 0.12, 0.60)
        shape = rng.uniform(0.7, 1.4)
        last_roll = rng.random()
        submit_day = rng.randint(5, 55)
        review_days = rng.randint(3, 25)
        result = {}
        for year in self.years:
            t = self.progress_at(year, shape)
            residents = round(res0 * (1 + growth) ** (year - self.A))
            households = round(residents / household_size)
            party = max(1, round(residents * (party_share + 0.0005 * (year - self.A))))
            p_rate = min(0.98, p0 + (p_target - p0) * t)
            r_rate = min(0.70, r0 + (r_target - r0) * t)
            status, reason = "approved", ""
            if year == self.B:
                status = self.special_status.get(place.code) or (
                    "approved"
                    if last_roll < 0.80
                    else "submitted"
                    if last_roll < 0.89
                    else "draft"
                    if last_roll < 0.96
                    else "returned"
                )
                if status == "returned":
                    reason = names.RETURN_REASONS[int(last_roll * 1000) % len(names.RETURN_REASONS)]
            submitted = reviewed = None
            if status != "draft":
                at = datetime.datetime(year + 1, 1, 1, 10, 0, tzinfo=SHANGHAI) + datetime.timedelta(
                    days=submit_day
                )
                submitted = connection.ops.adapt_datetimefield_value(at)
                if status in ("approved", "returned"):
                    reviewed = connection.ops.adapt_datetimefield_value(
                        at + datetime.timedelta(days=review_days, hours=5)
                    )
            self.w_stat.add(
                (
                    self.w_stat.new_id(),
                    1,
                    self.now,
                    self.now,
                    place.code,
                    year,
                    households,
                    residents,
                    party,
                    self.share_of(party, p_rate, 0.80),
                    self.share_of(residents, r_rate, 0.30),
                    status,
                    reason,
                    submitted,
                    reviewed,
                )
            )
            result[year] = residents
        return result

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
        if has0:
            opened = self.day_in(rng, self.year_before(rng, 7))
            area0 = self.area(rng, 80, 299.5) if small0 else self.area(rng, 300, 720)
            if small0 and ok:
                swap = self.day_in(rng, self.event_year(rng))
                self.facility(
                    **common,
                    area=area0,
                    opened=opened,
                    closed=swap,
                    mode=self.mode(rng),
                    services=services[:3],
                )
                self.facility(
                    **common,
                    area=self.area(rng, 300, 900),
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
                area=self.area(rng, 300, 800),
                opened=self.day_in(rng, self.event_year(rng)),
                closed=None,
                mode=self.mode(rng),
                services=services,
            )
        elif rng.random() < 0.6:
            self.facility(
                **common,
                area=self.area(rng, 120, 299.5),
                opened=self.day_in(rng, self.event_year(rng)),
                closed=None,
                mode=self.mode(rng),
                services=services,
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

    def digital(self, rng, place: Place, z: float) -> None:
        """三维数字社区: completed by the target year where the effort reached it."""
        day = None
        if z >= 0:
            earliest = max(self.A + 1, self.T - 3)
            year = clamp(self.T - int(z / 0.06 * rng.random()), earliest, self.T)
            day = self.day_in(rng, year)
        elif rng.random() < 0.35:
            day = self.day_in(rng, self.T + 1)
        self.digital_3d[place.code] = datetime.date.fromordinal(day) if day else None

    def volunteer_orgs(
        self, rng, place: Place, level: float, effort: float
    ) -> list[tuple[int, int]]:
        """Volunteer organisations; return (registered_on ordinal, id) sorted by date."""
        a, b = cal.VOLUNTEER_ORGS_BASELINE
        before = max(0, round(a + b * level + rng.uniform(-1, 1)))
        later = max(0, round(1 + 2.5 * effort + rng.uniform(-1, 1)))
        total = min(before + later, len(names.VOLUNTEER_TEAMS))
        teams = rng.sample(names.VOLUNTEER_TEAMS, total)
        dissolved_one = before > 1 and rng.random() < 0.15
        result = []
        for i, team in enumerate(teams):
            registered = self.day_in(
                rng, self.year_before(rng, 6) if i < before else self.event_year(rng)
            )
            dissolved = None
            if dissolved_one and i == 0:
                dissolved = self.day_in(rng, self.event_year(rng))
                dissolved = max(dissolved, registered)
            oid = self.w_vorg.new_id()
            self.w_vorg.add(
                (
                    oid,
                    1,
                    self.now,
                    self.now,
                    place.code,
                    place.label(team),
                    self.iso(registered),
                    self.iso(dissolved),
                )
            )
            if dissolved is None:
                result.append((registered, oid))
        result.sort()
        return result

    def social_orgs(self, rng, place: Place, z: float) -> None:
        """Community social organisations: ≥ 5 in the target year where the effort reached it."""
        at_target = clamp(5 + math.floor(6 * z), 1, 16)
        at_base = clamp(round(at_target * rng.uniform(0.25, 0.55)), 1, at_target)
        gone = 1 if rng.random() < 0.25 else 0
        picks = rng.sample(names.SOCIAL_ORGANIZATIONS, at_target + gone)
        for i, (label, category) in enumerate(picks):
            dissolved = None
            if i < at_base + gone:
                registered = self.day_in(rng, self.year_before(rng, 8))
                if i < gone:
                    dissolved = max(registered, self.day_in(rng, self.event_year(rng)))
            else:
                registered = self.day_in(rng, self.event_year(rng))
            self.w_social.add(
                (
                    self.w_social.new_id(),
                    1,
                    self.now,
                    self.now,
                    place.code,
                    place.label(label),
                    category,
                    self.iso(registered),
                    self.iso(dissolved),
                )
            )

    def workers(self, rng, place: Place, effort: float, z: dict) -> None:
        """Committee members, full-time workers, group and building leaders, with turnover."""
        positions = (
            ["secretary", "director"]
            + ["deputy_director"] * rng.randint(1, 2)
            + ["member"] * rng.randint(2, 4)
            + ["full_time"] * clamp(round(1 + 4 * effort + rng.uniform(-1, 1)), 0, 6)
            + ["group_leader"] * rng.randint(2, 6)
            + ["building_leader"] * rng.randint(0, 4)
        )
        elections = [y for y in (self.A + 1, self.A + 4, self.A + 7) if y <= self.B]
        end = datetime.date(self.T, 12, 31).toordinal()
        people = []  # [role, hired, left, counted-at-target]
        for role in positions:
            if role == "full_time":
                year = self.year_before(rng, 6) if rng.random() < 0.35 else self.event_year(rng)
                people.append([role, self.day_in(rng, year), None])
                continue
            if elections and rng.random() < 0.45:
                election = datetime.date(rng.choice(elections), 6, 1).toordinal() + rng.randint(
                    0, 45
                )
                people.append([role, election, None])
                if rng.random() < 0.6:
                    people.append([role, self.day_in(rng, self.year_before(rng, 9) - 1), election])
            else:
                people.append([role, self.day_in(rng, self.year_before(rng, 9)), None])
        counted = [
            p
            for p in people
            if p[0] in ("secretary", "director", "deputy_director", "member", "full_time")
            and p[1] <= end
            and (p[2] is None or p[2] > end)
        ]
        # The newest hires are the best educated and the most often certified.
        counted.sort(key=lambda p: -(p[1] + rng.randint(0, 1500)))
        n = len(counted)
        share = clamp(0.5 + 0.6 * z["college_educated_share"], 0.1, 1.0)
        if z["college_educated_share"] >= 0:
            college = max(math.ceil(n / 2), min(n, math.ceil(n * share)))
        else:
            college = min(math.floor(n * share), (n - 1) // 2)
        if z["bachelor_degree_worker"] >= 0:
            college = max(college, 1)
        education = {}
        for i, person in enumerate(counted):
            if i < college:
                if z["bachelor_degree_worker"] >= 0 and (i == 0 or rng.random() < 0.4):
                    education[id(person)] = "postgraduate" if rng.random() < 0.04 else "bachelor"
                else:
                    education[id(person)] = "college"
            else:
                education[id(person)] = rng.choices(
                    ["junior_or_below", "high_school", "secondary"], [10, 45, 45]
                )[0]
        certified = {}
        if z["certified_social_worker"] >= 0:
            howmany = 1 + (rng.random() < 0.4) + (rng.random() < 0.15)
            for person in counted[:howmany]:
                certified[id(person)] = rng.choices(
                    ["assistant", "intermediate", "senior"], [70, 27, 3]
                )[0]
        taken: set[str] = set()
        last = datetime.date(self.B, 12, 31).toordinal()
        for person in people:
            role, hired, left = person
            male = rng.random() < 0.35
            if id(person) in education:
                edu = education[id(person)]
            elif role in ("group_leader", "building_leader"):
                edu = rng.choices(
                    ["junior_or_below", "high_school", "secondary", "college"], [40, 40, 12, 8]
                )[0]
            else:
                edu = rng.choices(
                    ["high_school", "secondary", "college", "bachelor"], [35, 30, 27, 8]
                )[0]
            qualification = certified.get(
                id(person), "assistant" if rng.random() < 0.02 else "none"
            )
            if role == "full_time":
                recruitment = "exam" if rng.random() < 0.6 else "hiring"
            else:
                recruitment = "election"
            wid = self.w_worker.new_id()
            self.w_worker.add(
                (
                    wid,
                    1,
                    self.now,
                    self.now,
                    place.code,
                    self.person_name(rng, male, taken),
                    "male" if male else "female",
                    role,
                    edu,
                    qualification,
                    recruitment,
                    self.iso(hired),
                    self.iso(left),
                )
            )
            if id(person) in education and rng.random() < 0.12:
                for title, organizer in rng.sample(names.TRAININGS, rng.randint(1, 2)):
                    start = max(hired, datetime.date(self.A, 1, 1).toordinal())
                    if start > last:
                        break
                    day = start + int(rng.random() * (last - start + 1))
                    self.w_training.add(
                        (
                            wid,
                            title,
                            self.iso(day),
                            f"{rng.choice((8, 16, 24, 32, 40))}.0",
                            organizer,
                        )
                    )

    # ----------------------------------------------------------------- volunteers

    def birth(self, ordinal: int) -> tuple[str, int]:
        """YYYYMMDD of a birth date and its share of the GB 11643 weighted sum."""
        cached = self.birth_cache.get(ordinal)
        if cached is None:
            text = datetime.date.fromordinal(ordinal).strftime("%Y%m%d")
            cached = (text, sum(int(ch) * w for ch, w in zip(text, ID_WEIGHTS[6:14], strict=True)))
            self.birth_cache[ordinal] = cached
        return cached

    def volunteers(self, rng, place: Place, level: float, residents: dict, z: float, orgs) -> None:
        """The real-name register: about 138,000 in 2010 and a million in 2015 at full scale."""
        scale = self.options.scale
        T, A = self.T, self.A
        share = clamp(
            cal.VOLUNTEER_SHARE_AT_CUTOFF + cal.VOLUNTEER_SHARE_SLOPE * z,
            *cal.VOLUNTEER_SHARE_RANGE,
        )
        a, b = cal.VOLUNTEERS_AT_BASELINE
        early = clamp(a + b * level + rng.uniform(-0.03, 0.03), 0.02, 0.5)
        full_target = residents[T] * share
        # At full scale the count meets 10 % exactly when the share does.
        full_target = (
            math.ceil(full_target)
            if share >= cal.VOLUNTEER_SHARE_AT_CUTOFF
            else math.floor(full_target)
        )

        def scaled(value: float) -> int:
            """Scale a full-size count, rounding up or down at random so that totals stay right."""
            if scale == 1:
                return round(value)
            value *= scale
            return math.floor(value) + (rng.random() < value - math.floor(value))

        n_target = full_target if scale == 1 else scaled(full_target)
        n_base = min(n_target, scaled(full_target * early))
        leavers_base = min(scaled(full_target * cal.VOLUNTEER_LEAVERS * 0.4), n_base)
        leavers_new = scaled(full_target * cal.VOLUNTEER_LEAVERS * 0.6)
        n_later = scaled(full_target * 0.08 * (self.B - T))
        region = place.code[:6]
        region_sum = sum(int(ch) * w for ch, w in zip(region, ID_WEIGHTS[:6], strict=True))
        base_years = list(range(A - 5, A + 1))
        new_years = list(range(A + 1, T + 1)) or [T]
        later_years = list(range(T + 1, self.B + 1))
        end_target = datetime.date(T, 12, 31).toordinal()
        org_days = [o[0] for o in orgs]
        org_ids = [o[1] for o in orgs]

        plan = []  # (registered ordinal, left ordinal or None)
        for year in rng.choices(
            base_years, weights=[1, 1.4, 2, 2.8, 4, 5.6], k=n_base + leavers_base
        ):
            plan.append([self.day_in(rng, year), None])
        for person in plan[:leavers_base]:
            person[1] = self.day_in(rng, rng.choice(new_years))
        start_new = len(plan)
        for year in rng.choices(
            new_years,
            weights=[1.35**i for i in range(len(new_years))],
            k=n_target - n_base + leavers_new,
        ):
            plan.append([self.day_in(rng, year), None])
        for person in plan[start_new : start_new + leavers_new]:
            person[1] = min(end_target, person[0] + rng.randint(30, 900))
        if later_years:
            for year in rng.choices(later_years, k=n_later):
                plan.append([self.day_in(rng, year), None])

        plan.sort(
            key=lambda person: person[0]
        )  # ids follow the order of registration, as in a real register
        rr = rng.random
        surnames = rng.choices(names.SURNAME_WORDS, cum_weights=SURNAME_CUM, k=len(plan))
        male_pool, female_pool, any_pool = names.GIVEN_MALE, names.GIVEN_FEMALE, names.GIVEN_ANY
        seen = self.seen_ids
        add = self.w_volunteer.add
        new_id = self.w_volunteer.new_id
        iso, now, code = self.iso, self.now, place.code
        category_pool, pool_size = CATEGORY_POOL, len(CATEGORY_POOL)
        records = self.w_record
        for (registered, left), surname in zip(plan, surnames, strict=True):
            male = rr() < 0.48
            pool = male_pool if male else female_pool
            given = pool[int(rr() * len(pool))]
            if rr() < 0.7:
                given += (pool + any_pool)[int(rr() * (len(pool) + len(any_pool)))]
            roll = rr()
            age = (
                18 + int(rr() * 12)
                if roll < 0.4
                else 30 + int(rr() * 25)
                if roll < 0.75
                else 55 + int(rr() * 17)
            )
            born = registered - age * 365 - int(rr() * 365)
            while True:
                birth_text, birth_sum = self.birth(born)
                seq = int(rr() * 500) * 2 + (1 if male else 0)
                first17 = region + birth_text + SEQ_TEXT[seq]
                if first17 not in seen:
                    seen.add(first17)
                    break
                born -= 1
            id_number = first17 + ID_CHECK_CHARS[(region_sum + birth_sum + SEQ_SUM[seq]) % 11]
            phone = (
                PHONE_PREFIXES[int(rr() * len(PHONE_PREFIXES))] + f"{int(rr() * 1e8):08d}"
                if rr() < 0.88
                else ""
            )
            picked, cats = category_pool[int(rr() * pool_size)]
            organization = None
            if org_ids and rr() < 0.72:
                upto = bisect.bisect_right(org_days, registered)
                if upto:
                    organization = org_ids[int(rr() * upto)]
            vid = new_id()
            add(
                (
                    vid,
                    1,
                    now,
                    now,
                    code,
                    organization,
                    surname + given,
                    "male" if male else "female",
                    id_number,
                    phone,
                    rr() < 0.14,
                    iso(registered),
                    iso(left),
                    cats,
                )
            )
            if rr() < 0.02:
                until = left or datetime.date(self.B, 12, 31).toordinal()
                for _ in range(rng.randint(1, 4)):
                    day = registered + int(rr() * (until - registered + 1))
                    category = picked[int(rr() * len(picked))]
                    activity = rng.choice(names.ACTIVITIES[category])
                    records.add(
                        (vid, iso(day), f"{rng.randint(2, 16) / 2:.1f}", category, activity)
                    )
