"""Volunteer organisations, the volunteer register, social organisations and workers."""

import bisect
import datetime
import itertools
import json
import math

from core.validators import ID_CHECK_CHARS, ID_WEIGHTS
from volunteers.models import ServiceCategory

from . import calibration as cal
from . import names
from .options import Place, clamp
from .record_rows import RECORD_SHARE, new_record_rng

CATEGORIES = list(ServiceCategory.values)
# Full-time community workers are recruited by exam or hiring, not elected with the committee.
FULL_TIME_POSTS = ("full_time",)
PHONE_PREFIXES = tuple(
    [f"13{d}" for d in range(10)]
    + [f"15{d}" for d in (0, 1, 2, 3, 5, 6, 7, 8, 9)]
    + ["177", "180", "181", "182", "183", "186", "187", "188", "189"]
)
SURNAME_CUM = list(itertools.accumulate(names.SURNAME_WEIGHTS))
# Service categories of a volunteer: one, two or three, the fewer the likelier (44/33/22 %),
# drawn with a single random number from this pool of (codes, JSON) pairs.
CATEGORY_POOL = []
for _size, _copies in ((1, 24), (2, 4), (3, 1)):
    for _combo in itertools.combinations(range(len(CATEGORIES)), _size):
        _codes = [CATEGORIES[i] for i in _combo]
        CATEGORY_POOL.extend([(_codes, json.dumps(_codes))] * _copies)
SEQ_TEXT = [f"{i:03d}" for i in range(1000)]
SEQ_SUM = [sum(int(ch) * w for ch, w in zip(s, ID_WEIGHTS[14:17], strict=True)) for s in SEQ_TEXT]


class PeopleRows:
    """The people half of ``DemoBuilder`` (it provides the writers and the date helpers)."""

    def person_name(self, rng, male: bool, taken: set[str]) -> str:
        pool = names.GIVEN_MALE if male else names.GIVEN_FEMALE
        while True:
            name = rng.choices(names.SURNAME_WORDS, cum_weights=SURNAME_CUM)[0] + rng.choice(pool)
            if rng.random() < 0.7:
                name += rng.choice(pool + names.GIVEN_ANY)
            if name not in taken:
                taken.add(name)
                return name

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
            name = place.label(team)
            self.org_names[oid] = name
            # About two in five are registered with civil affairs; the others are filed (备案).
            registered_with = rng.random() < 0.4
            self.w_vorg.add(
                (
                    oid,
                    1,
                    self.now,
                    self.now,
                    place.code,
                    name,
                    self.iso(registered),
                    self.iso(dissolved),
                    "registered" if registered_with else "filed",
                    f"甘民社证字第{oid:06d}号" if registered_with else "",
                    rng.choice(names.SURNAME_WORDS) + "队长",
                    "",
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
            if role in FULL_TIME_POSTS:
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
            if role in FULL_TIME_POSTS:
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

        # Ids follow the order of registration, as in a real register.
        plan.sort(key=lambda person: person[0])
        rr = rng.random
        surnames = rng.choices(names.SURNAME_WORDS, cum_weights=SURNAME_CUM, k=len(plan))
        male_pool, female_pool, any_pool = names.GIVEN_MALE, names.GIVEN_FEMALE, names.GIVEN_ANY
        seen = self.seen_ids
        add = self.w_volunteer.add
        new_id = self.w_volunteer.new_id
        iso, now, code = self.iso, self.now, place.code
        category_pool, pool_size = CATEGORY_POOL, len(CATEGORY_POOL)
        record_rng = new_record_rng(self.options.seed, place.code)
        record_random = record_rng.random
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
            if record_random() < RECORD_SHARE:
                self.service_history(
                    record_rng,
                    place,
                    {
                        "id": vid,
                        "name": surname + given,
                        "male": male,
                        "id_number": id_number,
                        "registered": registered,
                        "left": left,
                        "categories": picked,
                        "organization": organization,
                    },
                )
