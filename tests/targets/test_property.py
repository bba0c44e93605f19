"""Property test: on random small hierarchies the engine agrees with a plain reference.

The reference below is written from INDICATORS.md alone, over the generated records (not the
database), with exact fractions; the engine must give the same per-community verdicts and the
same roll-ups for the province, for any year.
"""

import datetime
from decimal import Decimal
from fractions import Fraction
from math import ceil

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communities.models import Community, CommunityStat
from core.figures import figures_refresh
from streets.models import Division, Street
from targets.engine import community_rows, compute_region, street_rows

from .builders import facility as make_facility
from .builders import id_number

pytestmark = pytest.mark.django_db

T = {
    "street_centre": Fraction(800),
    "community_station": Fraction(300),
    "area_per_100_households": Fraction(20),
    "party_member_participation": Fraction(8, 10),
    "resident_participation": Fraction(3, 10),
    "registered_volunteers": Fraction(1, 10),
    "social_organizations": 5,
    "certified_social_worker": 1,
    "bachelor_degree_worker": 1,
    "college_educated_share": Fraction(1, 2),
    "digital_3d_community": 1,
}
COUNTED = {"secretary", "director", "deputy_director", "member", "full_time"}
EDUCATION = ["junior_or_below", "high_school", "secondary", "college", "bachelor", "postgraduate"]

# Dates cluster on the edges of years, where off-by-one mistakes live.
edge_dates = st.builds(
    lambda y, md: datetime.date(y, *md),
    st.integers(2012, 2016),
    st.sampled_from([(1, 1), (6, 30), (12, 31)]),
)
maybe_date = st.one_of(st.none(), edge_dates)
areas = st.sampled_from(["0.01", "150.00", "299.99", "300.00", "799.99", "800.00", "1200.50"])


@st.composite
def stats(draw):
    residents = draw(st.integers(0, 40))
    party = draw(st.integers(0, min(residents, 10)))
    return {
        "households": draw(st.integers(0, residents)),
        "residents": residents,
        "party_members": party,
        "party_members_volunteering": draw(st.integers(0, party)),
        "residents_volunteering": draw(st.integers(0, residents)),
    }


def span(start, end):
    """Keep an end date only when it is not before the start (the models refuse that)."""
    return (start, end if end is None or start is None or end >= start else None)


facilities = st.lists(
    st.builds(
        lambda kind, area, dates: {
            "kind": kind,
            "area": area,
            "opened": dates[0],
            "closed": dates[1],
        },
        st.sampled_from(["station", "station", "specialized"]),
        areas,
        st.builds(span, maybe_date, maybe_date),
    ),
    max_size=3,
)
memberships = st.lists(st.builds(span, edge_dates, maybe_date), max_size=6)
workers = st.lists(
    st.fixed_dictionaries(
        {
            "role": st.sampled_from(sorted(COUNTED) + ["group_leader", "building_leader"]),
            "education": st.sampled_from(EDUCATION),
            "qualification": st.sampled_from(["none", "none", "assistant", "senior"]),
            "dates": st.builds(span, edge_dates, maybe_date),
        }
    ),
    max_size=4,
)
communities = st.fixed_dictionaries(
    {
        "stats": st.one_of(st.none(), stats()),
        "facilities": facilities,
        "volunteers": memberships,
        "social_orgs": memberships,
        "workers": workers,
        "digital": maybe_date,
    }
)
streets = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["subdistrict", "subdistrict", "town", "other"]),
        "centres": st.lists(
            st.builds(
                lambda a, d: {"area": a, "opened": d[0], "closed": d[1]},
                areas,
                st.builds(span, maybe_date, maybe_date),
            ),
            max_size=2,
        ),
        "communities": st.lists(communities, max_size=3),
    }
)
provinces = st.lists(
    st.lists(st.lists(streets, min_size=1, max_size=2), min_size=1, max_size=2),
    min_size=1,
    max_size=2,
)


def active(start, end, year) -> bool:
    last = datetime.date(year, 12, 31)
    return start is not None and start <= last and (end is None or end > last)


def build(province):
    """Insert the generated hierarchy; return a flat description for the reference."""
    from communities.models import SocialOrganization
    from volunteers.models import Volunteer
    from workforce.models import Worker

    gansu = Division.objects.create(code="62", name="甘肃省", level="province")
    units = {"streets": [], "communities": []}
    for p, counties in enumerate(province, start=1):
        pref = Division.objects.create(
            code=f"62{p:02d}", name=f"市{p}", level="prefecture", parent=gansu
        )
        for c, street_specs in enumerate(counties, start=1):
            county = Division.objects.create(
                code=f"{pref.code}{c:02d}", name=f"县{c}", level="county", parent=pref
            )
            for s, spec in enumerate(street_specs, start=1):
                street = Street.objects.create(
                    code=f"{county.code}{s:03d}", name=f"街{s}", kind=spec["kind"], county=county
                )
                for centre in spec["centres"]:
                    make_facility(
                        kind="centre",
                        street=street,
                        area=centre["area"],
                        opened_on=centre["opened"],
                        closed_on=centre["closed"],
                        planned=centre["opened"] is None,
                    )
                units["streets"].append((street.code, spec))
                for n, cspec in enumerate(spec["communities"], start=1):
                    community = Community.objects.create(
                        code=f"{street.code}{n:03d}",
                        name=f"社区{n}",
                        street=street,
                        digital_3d_completed_on=cspec["digital"],
                    )
                    if cspec["stats"] is not None:
                        CommunityStat.objects.create(
                            community=community, year=YEAR_OF_STATS, **cspec["stats"]
                        )
                    for f in cspec["facilities"]:
                        make_facility(
                            kind=f["kind"],
                            community=community,
                            area=f["area"],
                            opened_on=f["opened"],
                            closed_on=f["closed"],
                            planned=f["opened"] is None,
                        )
                    Volunteer.objects.bulk_create(
                        Volunteer(
                            community=community,
                            name="志愿者",
                            gender="male",
                            id_number=id_number(county.code),
                            registered_on=a,
                            left_on=b,
                        )
                        for a, b in cspec["volunteers"]
                    )
                    SocialOrganization.objects.bulk_create(
                        SocialOrganization(
                            community=community, name=f"组织{i}", registered_on=a, dissolved_on=b
                        )
                        for i, (a, b) in enumerate(cspec["social_orgs"])
                    )
                    Worker.objects.bulk_create(
                        Worker(
                            community=community,
                            name=f"工作者{i}",
                            gender="female",
                            role=w["role"],
                            education=w["education"],
                            social_work_qualification=w["qualification"],
                            hired_on=w["dates"][0],
                            left_on=w["dates"][1],
                        )
                        for i, w in enumerate(cspec["workers"])
                    )
                    units["communities"].append((community.code, cspec))
    figures_refresh(None)  # rows written around the write path: their figures, as seed_demo does
    return units


YEAR_OF_STATS = 2015


def reference_community(spec, year):
    """Return {indicator: (numerator, denominator or None, value, compliant, gap)} from INDICATORS.md."""
    stat = spec["stats"] if year == YEAR_OF_STATS else None
    stations = [
        Fraction(Decimal(f["area"]))
        for f in spec["facilities"]
        if f["kind"] == "station" and active(f["opened"], f["closed"], year)
    ]
    area = sum(
        (
            Fraction(Decimal(f["area"]))
            for f in spec["facilities"]
            if active(f["opened"], f["closed"], year)
        ),
        Fraction(0),
    )
    vols = sum(1 for a, b in spec["volunteers"] if active(a, b, year))
    orgs = sum(1 for a, b in spec["social_orgs"] if active(a, b, year))
    staff = [w for w in spec["workers"] if w["role"] in COUNTED and active(*w["dates"], year)]
    certified = sum(1 for w in staff if w["qualification"] != "none")
    bachelor = sum(
        1 for w in staff if EDUCATION.index(w["education"]) >= EDUCATION.index("bachelor")
    )
    college = sum(1 for w in staff if EDUCATION.index(w["education"]) >= EDUCATION.index("college"))
    digital = (
        1 if spec["digital"] is not None and spec["digital"] <= datetime.date(year, 12, 31) else 0
    )

    out = {}
    largest = max(stations, default=Fraction(0))
    out["community_station"] = (
        largest,
        None,
        largest,
        largest >= T["community_station"],
        max(T["community_station"] - largest, 0),
    )
    households = stat["households"] if stat else None
    if households:
        value = area * 100 / households
        out["area_per_100_households"] = (
            area,
            households,
            value,
            value >= T["area_per_100_households"],
            max(households * T["area_per_100_households"] / 100 - area, 0),
        )
    else:
        out["area_per_100_households"] = (area, households, None, False, 0)
    for code, num, den in (
        (
            "party_member_participation",
            stat and stat["party_members_volunteering"],
            stat and stat["party_members"],
        ),
        (
            "resident_participation",
            stat and stat["residents_volunteering"],
            stat and stat["residents"],
        ),
        ("registered_volunteers", vols, stat and stat["residents"]),
        ("college_educated_share", college, len(staff)),
    ):
        if stat is None and code != "college_educated_share" or not den:
            out[code] = (num, den, None, False, 0)
        else:
            value = Fraction(num, den)
            out[code] = (num, den, value, value >= T[code], max(ceil(den * T[code]) - num, 0))
    for code, count in (
        ("social_organizations", orgs),
        ("certified_social_worker", certified),
        ("bachelor_degree_worker", bachelor),
        ("digital_3d_community", digital),
    ):
        out[code] = (count, None, count, count >= T[code], max(T[code] - count, 0))
    return out


def frac(value):
    return None if value is None else Fraction(value)


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(Fraction(a) - Fraction(b)) < Fraction(1, 10**18)


# Examples built in the test database: slow, large, inside the function's db fixture.
DATABASE_HEALTH_CHECKS = [
    HealthCheck.function_scoped_fixture,
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
]


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=DATABASE_HEALTH_CHECKS,
)
@given(province=provinces, year=st.sampled_from([2014, 2015, 2016]))
def test_engine_agrees_with_the_reference(province, year):
    with transaction.atomic():
        units = build(province)
        check(units, year)
        transaction.set_rollback(True)


def check(units, year):
    region = compute_region(scope_code="62", year=year)
    rows = {r.code: r for r in community_rows(scope_code="62", year=year)}
    srows = {r.code: r for r in street_rows(scope_code="62", year=year)}

    # per community
    refs = {}
    for code, spec in units["communities"]:
        ref = reference_community(spec, year)
        refs[code] = ref
        row = rows[code]
        for ind, (_num, _den, value, ok, gap) in ref.items():
            got = row.indicators[ind]
            assert close(got.value, value), (code, ind, got, value)
            assert got.compliant == ok, (code, ind)
            if value is not None:
                assert Fraction(got.gap) == Fraction(gap), (code, ind, got.gap, gap)
        assert row.fully_compliant == all(r[3] for r in ref.values())

    # per street
    street_ref = {}
    for code, spec in units["streets"]:
        centres = [
            Fraction(Decimal(c["area"]))
            for c in spec["centres"]
            if active(c["opened"], c["closed"], year)
        ]
        largest = max(centres, default=Fraction(0))
        street_ref[code] = (spec["kind"], largest, sum(centres, Fraction(0)))
        got = srows[code].indicators["street_centre"]
        assert Fraction(got.value) == largest
        assert got.compliant == (spec["kind"] == "subdistrict" and largest >= 800)

    # the province
    for item in region.indicators:
        if item.code == "street_centre":
            subs = [v for v in street_ref.values() if v[0] == "subdistrict"]
            assert item.applicable == len(subs)
            assert item.compliant == sum(1 for v in subs if v[1] >= 800)
            assert Fraction(item.gap) == sum((max(800 - v[1], 0) for v in subs), Fraction(0))
            assert item.value is None
            continue
        verdicts = [ref[item.code] for ref in refs.values()]
        have = [v for v in verdicts if v[2] is not None]
        assert item.applicable == len(verdicts)
        assert item.missing == len(verdicts) - len(have)
        assert item.compliant == sum(1 for v in have if v[3])
        assert Fraction(item.gap) == sum((Fraction(v[4]) for v in have), Fraction(0))
        if item.code == "area_per_100_households":
            area = sum((v[0] for v in verdicts), Fraction(0)) + sum(
                (v[2] for v in street_ref.values()), Fraction(0)
            )
            households = sum(v[1] for v in verdicts if v[1] is not None)
            expected = area * 100 / households if households else None
        elif item.code in (
            "party_member_participation",
            "resident_participation",
            "registered_volunteers",
            "college_educated_share",
        ):
            den = sum(v[1] for v in have)
            expected = Fraction(sum(v[0] for v in have), den) if den else None
        else:
            expected = None
        assert close(item.value, expected), (item.code, item.value, expected)
    assert region.community_count == len(refs)
    assert region.fully_compliant_count == sum(
        1 for ref in refs.values() if all(r[3] for r in ref.values())
    )
