"""The vendored boundaries match the hierarchy: every prefecture of the province map, and every
county of each prefecture map, is one of our codes; every county has an area but 兰州新区."""

import csv
import json

from django.conf import settings

from targets.maps import MAP_COUNTIES, county_features, map_panel

STATIC = settings.BASE_DIR / "static"
DIVISIONS = settings.BASE_DIR / "fixtures" / "gansu_divisions.csv"


def divisions(level: str) -> dict[str, dict]:
    with open(DIVISIONS, encoding="utf-8") as fh:
        return {r["code"]: r for r in csv.DictReader(fh) if r["level"] == level}


def test_the_province_map_holds_the_14_prefectures_by_code():
    geo = json.loads((STATIC / "vendor/maps/gansu.json").read_text(encoding="utf-8"))
    prefectures = divisions("prefecture")
    by_code = {f["id"][:4]: f["properties"]["name"] for f in geo["features"]}
    assert set(by_code) == set(prefectures) and len(by_code) == 14
    assert all(by_code[code] == prefectures[code]["name"] for code in by_code)


def test_every_county_of_every_prefecture_map_matches_a_county_code():
    counties = divisions("county")
    maps = county_features()
    assert set(maps) == set(divisions("prefecture"))
    matched = set()
    for prefecture, (file, names) in maps.items():
        geo = json.loads((STATIC / "vendor/maps/counties" / file).read_text(encoding="utf-8"))
        features = {f["properties"]["name"] for f in geo["features"]}
        assert features == set(names), file  # every feature of the file is matched
        for name, code in names.items():
            assert counties[code]["parent_code"] == prefecture, (name, code)
            matched.add(code)
    assert set(counties) - matched == {"620171"}  # 兰州新区: no boundary of its own
    with open(MAP_COUNTIES, encoding="utf-8") as fh:
        unmapped = [r for r in csv.DictReader(fh) if not r["map_file"]]
    assert [(r["county_code"], r["prefecture_code"]) for r in unmapped] == [("620171", "6201")]


def test_map_panels_exist_for_the_province_and_prefectures_only():
    bars = [
        {
            "code": "620171",
            "name": "兰州新区",
            "value": 50.0,
            "label": "50.00%",
            "detail": "",
            "colour": "red",
            "url": "/dashboard/620171/",
        }
    ]
    panel = map_panel("6201", "prefecture", bars)
    assert panel["url"].endswith("gan1_su4_lan2_zhou1.geojson")
    assert panel["names"]["城关区"] == "620102"
    assert panel["unmapped"] == ["兰州新区"]
    assert map_panel("62", "province", [])["key"] == "id4"
    assert map_panel("620102", "county", bars) is None
    assert county_features()["6208"][1]["华亭县"] == "620881"  # since 2018 华亭市
