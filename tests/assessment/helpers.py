"""A small province for the assessment tests: two counties of 兰州 and one of 天水.

620102 has two communities with stations of 350 ㎡ and 200 ㎡ (one of two complies);
620103 one with 400 ㎡ (complies); 620201 one without a station.
"""

from decimal import Decimal

from assessment.models import Scheme
from assessment.services import scheme_save
from tests.factories import make_facility, make_hierarchy, make_stat, make_user

COUNTIES = ("620102", "620103", "620201")


def build_province():
    first = make_hierarchy(prefecture="6201", county="620102", street="620102016", communities=2)
    second = make_hierarchy(prefecture="6201", county="620103", street="620103001")
    third = make_hierarchy(prefecture="6202", county="620201", street="620201001")
    for community, area in ((first[0], "350"), (first[1], "200"), (second[0], "400")):
        make_facility(community=community, area=area)
    for community in (*first, *second, *third):
        make_stat(community, year=2015)
    return first + second + third


ITEMS = [
    {
        "code": "stations",
        "name": "社区服务站建设",
        "points": "40",
        "method": "indicator_rate",
        "params": {"indicator": "community_station", "full_at": "0.8", "zero_below": "0.4"},
    },
    {"code": "records", "name": "工作台账", "points": "60", "method": "manual", "params": {}},
    {"code": "innovation", "name": "创新工作", "points": "5", "method": "bonus", "params": {}},
    {"code": "incidents", "name": "安全事故", "points": "10", "method": "deduction", "params": {}},
    {"code": "veto", "name": "重大责任事故", "points": "0", "method": "veto", "params": {}},
]


def make_scheme(*, items=None, year=2015, level="county", quota="0.4", user=None) -> Scheme:
    scheme = Scheme(
        year=year,
        level=level,
        name="社区服务体系建设目标考核",
        base_score=Decimal("100"),
        excellent_quota=Decimal(quota),
    )
    return scheme_save(scheme=scheme, items=ITEMS if items is None else items, user=user)


def users():
    return {
        "admin": make_user("a_admin", role="admin", scope_code="62"),
        "county": make_user("a_county", role="official", scope_code="620102"),
        "neighbour": make_user("a_neighbour", role="official", scope_code="620103"),
        "prefecture": make_user("a_prefecture", role="official", scope_code="6201"),
        "other_prefecture": make_user("a_tianshui", role="official", scope_code="6202"),
        "staff": make_user("a_staff", role="staff", scope_code="620102016001"),
    }


def take_through(assessment, u, *, records="50", entries=None, finalise=True):
    """Run a round from self-assessment to final (or to review) with the given scores."""
    from assessment import services

    official = {"620102": u["county"], "620103": u["neighbour"]}.get(
        assessment.unit_code, u["admin"]
    )
    above = u["prefecture"] if assessment.unit_code.startswith("6201") else u["other_prefecture"]
    a = services.assessment_submit(
        assessment=assessment,
        user=official,
        expected_version=assessment.version,
        entries=[{"item": "records", "score": records, "evidence": "台账齐全"}],
    )
    a = services.assessment_score(
        assessment=a,
        user=above,
        expected_version=a.version,
        entries=[{"item": "records", "score": records}, *(entries or [])],
    )
    a = services.assessment_review(assessment=a, user=u["admin"], expected_version=a.version)
    if finalise:
        a = services.assessment_finalise(assessment=a, user=u["admin"], expected_version=a.version)
    return a
