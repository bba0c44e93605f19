"""Official codes: the right length and starting with the parent's code."""

from communities.models import Community
from streets.models import Division, Street
from tests.factories import make_hierarchy
from tests.model_rules import assert_accepted, assert_refused


def province():
    return Division.objects.get_or_create(
        code="62", defaults={"name": "甘肃省", "level": "province"}
    )[0]


def test_prefecture_code_of_wrong_length_is_refused(db):
    prefecture = Division(code="620", name="某市", level="prefecture", parent=province())
    assert_refused(prefecture, "code", "市州代码应为4位数字。")


def test_prefecture_code_not_under_the_province_is_refused(db):
    prefecture = Division(code="6301", name="西宁市", level="prefecture", parent=province())
    assert_refused(prefecture, "code", "市州代码必须以上级区划代码 62 开头。")


def test_county_code_of_wrong_length_is_refused(db):
    pref = Division.objects.create(
        code="6201", name="兰州市", level="prefecture", parent=province()
    )
    assert_refused(
        Division(code="62010", name="某区", level="county", parent=pref),
        "code",
        "县区代码应为6位数字。",
    )


def test_county_code_with_letters_is_refused(db):
    pref = Division.objects.create(
        code="6201", name="兰州市", level="prefecture", parent=province()
    )
    assert_refused(
        Division(code="6201AB", name="某区", level="county", parent=pref),
        "code",
        "县区代码应为6位数字。",
    )


def test_county_must_hang_under_a_prefecture(db):
    county = Division(code="620102", name="城关区", level="county", parent=province())
    assert_refused(county, "parent", "县区的上级应为市州。")


def test_prefecture_without_parent_is_refused(db):
    assert_refused(
        Division(code="6201", name="兰州市", level="prefecture"), "parent", "请指定上级区划。"
    )


def test_valid_county_is_accepted(db):
    pref = Division.objects.create(
        code="6201", name="兰州市", level="prefecture", parent=province()
    )
    assert_accepted(Division(code="620102", name="城关区", level="county", parent=pref))


def test_street_code_of_wrong_length_is_refused(db):
    county = make_hierarchy()[0].street.county
    assert_refused(
        Street(code="62010201", name="某街道", kind="subdistrict", county=county),
        "code",
        "街道代码应为9位数字。",
    )


def test_street_code_not_under_its_county_is_refused(db):
    county = make_hierarchy()[0].street.county
    street = Street(code="620103001", name="某街道", kind="subdistrict", county=county)
    assert_refused(street, "code", "街道代码必须以上级区划代码 620102 开头。")


def test_street_must_hang_under_a_county(db):
    prefecture = make_hierarchy()[0].street.county.parent
    street = Street(code="620100001", name="某街道", kind="subdistrict", county=prefecture)
    assert_refused(street, "county", "街道的上级必须是县区。")


def test_community_code_of_wrong_length_is_refused(db):
    street = make_hierarchy()[0].street
    assert_refused(
        Community(code="62010201600", name="某社区", street=street),
        "code",
        "社区代码应为12位数字。",
    )


def test_community_code_not_under_its_street_is_refused(db):
    street = make_hierarchy()[0].street
    community = Community(code="620102017001", name="某社区", street=street)
    assert_refused(community, "code", "社区代码必须以上级区划代码 620102016 开头。")


def test_valid_community_is_accepted(db):
    street = make_hierarchy()[0].street
    assert_accepted(Community(code="620102016009", name="新社区", street=street))
