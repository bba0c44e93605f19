"""Build the demo data set on the loaded hierarchy, one street and one community at a time.

Every street and community draws from its own ``random.Random`` seeded with the run's seed and
its official code, so the same seed gives the same data whatever else changes, and a
community's facilities, organisations and workers do not depend on ``scale`` (only its
volunteer register does). The rows go in as plain tuples through ``RowWriter`` (see there
why); no history rows are written for the demo load.
"""

import datetime
import math
import random
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from certificates.models import Certificate
from communities.models import Community, CommunityStat, SocialOrganization
from facilities.models import Facility, FacilityFunding
from streets.models import Division, Street
from volunteers.models import ServiceRecord, Volunteer, VolunteerOrganization
from workforce.models import Training, Worker

from . import calibration as cal
from . import names
from .facility_rows import FacilityRows
from .options import DEMO_STREET, DemoOptions, Place, clamp
from .people_rows import PeopleRows
from .record_rows import RECORD_FIELDS, RecordRows
from .writer import DateCache, RowWriter

SHANGHAI = ZoneInfo("Asia/Shanghai")
VERSIONED = ["id", "version", "created_at", "updated_at"]

__all__ = ["DEMO_STREET", "DemoBuilder", "DemoOptions", "Place"]


class DemoBuilder(FacilityRows, PeopleRows, RecordRows):
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
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.seen_ids: set[str] = set()
        self.birth_cache: dict[int, tuple[str, int]] = {}
        self.digital_3d: dict[str, datetime.date | None] = {}
        self.special_status: dict[str, str] = {}
        self.year_bounds: dict[int, tuple[int, int]] = {}
        self.w_stat = RowWriter(
            CommunityStat,
            VERSIONED
            + (
                "community year households residents party_members party_members_volunteering"
                " residents_volunteering status return_reason submitted_at reviewed_at"
                " approval_levels approvals approved_levels"  # reporting/demo.py fills 2015's
            ).split(),
        )
        self.w_facility = RowWriter(
            Facility,
            VERSIONED
            + (
                "name kind specialized_type street community code floor_area opened_on closed_on"
                " construction_mode address services"
            ).split(),
        )
        self.w_funding = RowWriter(
            FacilityFunding,
            "facility source year amount_wan_yuan".split(),
            parents=[self.w_facility],
        )
        self.w_vorg = RowWriter(
            VolunteerOrganization,
            VERSIONED
            + (
                "community name registered_on dissolved_on registration_status registration_number"
                " manager_name contact_phone"
            ).split(),
        )
        self.w_volunteer = RowWriter(
            Volunteer,
            VERSIONED
            + (
                "community organization name gender id_number phone is_party_member registered_on"
                " left_on service_categories"
            ).split(),
            batch=10000,
            parents=[self.w_vorg],
        )
        self.w_record = RowWriter(ServiceRecord, RECORD_FIELDS, parents=[self.w_volunteer])
        self.w_certificate = RowWriter(
            Certificate,
            VERSIONED
            + (
                "number community year serial volunteer organization period_from period_to hours"
                " issued_on check_code content status revoke_reason"
            ).split(),
            parents=[self.w_volunteer],
        )
        self.org_names: dict[int, str] = {}
        self.certificate_serials: dict[str, int] = {}
        self.w_social = RowWriter(
            SocialOrganization,
            VERSIONED + "community name category registered_on dissolved_on".split(),
        )
        self.w_worker = RowWriter(
            Worker,
            VERSIONED
            + (
                "community name gender role education social_work_qualification recruitment hired_on left_on"
            ).split(),
        )
        self.w_training = RowWriter(
            Training, "worker title started_on hours organizer".split(), parents=[self.w_worker]
        )
        self.writers = {
            "社区年度统计": self.w_stat,
            "社区服务设施": self.w_facility,
            "设施资金": self.w_funding,
            "志愿者组织": self.w_vorg,
            "注册志愿者": self.w_volunteer,
            "志愿服务记录": self.w_record,
            "志愿服务证明": self.w_certificate,
            "社区社会组织": self.w_social,
            "社区工作者": self.w_worker,
            "培训记录": self.w_training,
        }

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

    # ----------------------------------------------------------------- dates

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
        """A year after the baseline, up to the target year; the later, the likelier."""
        return rng.choices(self.event_years, weights=self.event_weights)[0]

    def year_before(self, rng: random.Random, back: int) -> int:
        """A year in the ``back`` years up to the baseline year."""
        return self.A - int(rng.random() * back)

    def progress_at(self, year: int, shape: float) -> float:
        """How far from the baseline (0) to the target year (1) a figure has moved by ``year``."""
        if year <= self.A:
            return 0.0
        if year <= self.T:
            return ((year - self.A) / (self.T - self.A)) ** shape
        return 1.0 + 0.08 * (year - self.T)

    # ----------------------------------------------------------------- one community

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
                    "[]",
                    "[]",
                    0,
                )
            )
            result[year] = residents
        return result

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
