"""The registry of the plan's targets: one entry per indicator, in INDICATORS.md's order.

Each indicator counts one way, written here as pure functions over numbers (``int`` and
``Decimal``, never floats). The thresholds are data (``Plan.thresholds``); the defaults below
are the 十二五 plan's (甘政办发〔2012〕192号 二、总体目标). The engine, API, CLI, dashboards and
Excel report all read this registry, so a new indicator is one entry.

Every indicator is read as a fraction ``numerator ÷ denominator`` of one unit's figures:

- ``area``: the largest in-service facility's floor area (denominator 1);
- ``ratio``: a share or an area per hundred households (the denominator may be 0 or missing);
- ``count`` / ``flag``: a number of things (denominator 1).

The registry also writes each indicator's figures, the same way in every channel: one
precision (ratios and rates to four places, ㎡ to two, people and things whole; API.md),
rounded half-up for display only (compliance was decided on the exact values), then worded
for a screen (``value_label``), a cell (``value_cell``: number and number format) or a line
of text (``value_text``). ``targets.payload`` writes the same rounded numbers as the API's
strings.
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation

STREET = "street"
COMMUNITY = "community"

AREA = "area"
RATIO = "ratio"
COUNT = "count"
FLAG = "flag"

HUNDRED = Decimal(100)
ZERO = Decimal(0)

# Places a figure is written with (API.md): ratios and rates, ㎡, whole people and things.
FOUR = Decimal("0.0001")
TWO = Decimal("0.01")
WHOLE = Decimal(1)
TENTH = Decimal("0.1")  # a percentage on the command line (77.7%)

# Number formats of the Excel cells.
PERCENT_FORMAT = "0.0%"
THRESHOLD_PERCENT_FORMAT = "0%"
AREA_FORMAT = "#,##0.00"
AREA_RATIO_FORMAT = "0.00"
WHOLE_FORMAT = "#,##0"
COUNT_FORMAT = "0"
FLAG_FORMAT = '"已完成";;"未完成"'

NONE_TEXT = "—"  # a value that is undefined, on the command line


def rounded(value, places: Decimal) -> Decimal | None:
    """Return ``value`` rounded half-up to ``places`` (None stays None)."""
    if value is None:
        return None
    return Decimal(value).quantize(places, rounding=ROUND_HALF_UP)


def round_ratio(value) -> Decimal | None:
    """Return a ratio or rate with four places, as the API writes it."""
    return rounded(value, FOUR)


def percent_label(ratio) -> str | None:
    """Write a ratio for a screen: the 4-place ratio with the point moved ("77.69%")."""
    if ratio is None:
        return None
    return f"{round_ratio(ratio) * 100:.2f}%"


def percent_number(ratio) -> float | None:
    """Return a ratio as the percentage a chart plots (the 4-place ratio × 100)."""
    return None if ratio is None else float(round_ratio(ratio) * 100)


def percent_text(ratio) -> str:
    """Write a ratio for the command line, one place of a percent ("77.7%"), or a dash."""
    if ratio is None:
        return NONE_TEXT
    return f"{rounded(Decimal(ratio) * 100, TENTH)}%"


def number_text(value, places: Decimal = TWO) -> str:
    """Write a number for the command line with thousands separators ("9,650.00"), or a dash."""
    if value is None:
        return NONE_TEXT
    return f"{rounded(value, places):,}"


def rate_cell(rate) -> tuple[Decimal | None, str]:
    """Return a rate or share as an Excel cell: the 4-place ratio shown as a percentage."""
    return round_ratio(rate), PERCENT_FORMAT


CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """Write 0–99 in Chinese numerals, as a count of items reads (10 → "十", 11 → "十一")."""
    if not 0 <= number < 100:
        raise ValueError(number)
    if number < 10:
        return CHINESE_DIGITS[number]
    tens, ones = divmod(number, 10)
    return (
        ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")
    )


def fraction(numerator, denominator) -> Decimal | None:
    """Return ``numerator ÷ denominator`` exactly enough, or None for a zero or missing one."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


def reaches(numerator, denominator, threshold: Decimal) -> bool:
    """Say whether ``numerator ÷ denominator ≥ threshold``, compared without division.

    不低于 / 不少于 / 以上 / 至少 include the stated number, hence ``≥``. A zero or missing
    denominator never complies (INDICATORS.md: a null value is not compliant).
    """
    if numerator is None or denominator is None or denominator == 0:
        return False
    return Decimal(numerator) >= Decimal(threshold) * Decimal(denominator)


def shortfall_amount(numerator, denominator, threshold: Decimal) -> Decimal:
    """Return ``threshold × denominator − numerator`` when short, else 0 (㎡ or things)."""
    if numerator is None or denominator is None or denominator == 0:
        return Decimal(0)
    lack = Decimal(threshold) * Decimal(denominator) - Decimal(numerator)
    return lack if lack > 0 else Decimal(0)


def shortfall_people(numerator, denominator, threshold: Decimal) -> Decimal:
    """Return ``⌈denominator × threshold⌉ − numerator`` people when short, else 0."""
    if numerator is None or denominator is None or denominator == 0:
        return Decimal(0)
    needed = (Decimal(threshold) * Decimal(denominator)).to_integral_value(rounding=ROUND_CEILING)
    lack = needed - Decimal(numerator)
    return lack if lack > 0 else Decimal(0)


@dataclass(frozen=True)
class Indicator:
    """One target of the plan and the way a unit's figures are judged against it."""

    code: str
    name: str  # the target as the report prints it
    short_name: str
    level: str  # STREET or COMMUNITY: which units are held to it
    kind: str  # AREA, RATIO, COUNT or FLAG
    unit: str  # unit of a value ("㎡", "㎡/百户", "%", "个", "名", "")
    gap_unit: str  # unit of a gap ("平方米", "人", "个", "名", "个社区")
    plan_words: str  # the plan's sentence (甘政办发〔2012〕192号 二)
    method: str  # how it is counted (INDICATORS.md: a unit's value, compliant when)
    default_threshold: Decimal
    # Names of the unit's figures (targets.engine.UnitFigures) forming the fraction; a
    # denominator of None means 1.
    numerator: str
    denominator: str | None
    # The denominator comes from the annual statistics (missing when there is no row).
    needs_stats: bool
    # Scale of the value: area per *hundred* households multiplies by 100.
    scale: Decimal = Decimal(1)
    # How a shortfall is counted: whole people (ceil) or an amount (㎡, things).
    gap_in_people: bool = False
    # How the region's value is formed: "ratio_of_sums", "area_per_households" or None.
    region_value: str | None = None

    @property
    def is_percentage(self) -> bool:
        return self.unit == "%"

    @property
    def is_flag(self) -> bool:
        return self.kind == FLAG

    # -- Writing figures: one precision, three media (screen, Excel cell, command line). --

    @property
    def value_places(self) -> Decimal:
        """Places of one unit's value: ㎡ two, counts whole, ratios four."""
        if self.kind == AREA:
            return TWO
        if self.kind in (COUNT, FLAG):
            return WHOLE
        return FOUR

    @property
    def gap_places(self) -> Decimal:
        """Places of a gap: ㎡ two, people and things whole."""
        return TWO if self.gap_unit == "平方米" else WHOLE

    def round_value(self, value) -> Decimal | None:
        """Return a value (one unit's, or a region's ratio) at the indicator's precision.

        Only ratios have a region value (``region_value``), so a region's value is written
        with four places, as API.md asks.
        """
        return rounded(value, self.value_places)

    def round_gap(self, gap) -> Decimal | None:
        """Return a gap at the indicator's precision."""
        return rounded(gap, self.gap_places)

    def threshold_amount(self, threshold) -> str:
        """Write the target as the plan states it ("80%", "800 ㎡", "已完成")."""
        value = Decimal(threshold)
        if self.is_percentage:
            return f"{(value * 100).normalize():f}%"
        if self.is_flag:
            return "已完成"
        return f"{value.normalize():f} {self.unit}".strip()

    def threshold_label(self, threshold) -> str:
        """Write the target as a condition for a screen ("≥ 800 ㎡", "≥ 80%", "已完成")."""
        amount = self.threshold_amount(threshold)
        return amount if self.is_flag else f"≥ {amount}"

    def value_label(self, value) -> str | None:
        """Write a value for a screen ("320.00 ㎡", "84.00%", "5 个", "已完成")."""
        if value is None:
            return None
        if self.is_percentage:
            return percent_label(value)
        if self.is_flag:
            return "已完成" if self.round_value(value) >= 1 else "未完成"
        return f"{self.round_value(value)} {self.unit}".strip()

    def gap_label(self, gap) -> str | None:
        """Write a gap for a screen ("120 人", "9650.00 平方米")."""
        if gap is None:
            return None
        return f"{self.round_gap(gap)} {self.gap_unit}"

    def shortfall_label(self, gap) -> str:
        """Say what one unit lacks ("缺 164 人", "缺 12.50 平方米", "尚未完成"), "—" if nothing."""
        if gap is None or gap <= 0:
            return "—"
        if self.is_flag:
            return "尚未完成"
        return f"缺 {self.gap_label(gap)}"

    @property
    def value_format(self) -> str:
        """The Excel number format of a value."""
        if self.kind == AREA:
            return AREA_FORMAT
        if self.is_flag:
            return FLAG_FORMAT
        if self.is_percentage:
            return PERCENT_FORMAT
        if self.kind == RATIO:
            return AREA_RATIO_FORMAT  # ㎡/百户
        return COUNT_FORMAT

    @property
    def gap_format(self) -> str:
        """The Excel number format of a gap."""
        return AREA_FORMAT if self.gap_places == TWO else WHOLE_FORMAT

    @property
    def threshold_format(self) -> str:
        """The Excel number format of a threshold."""
        if self.is_percentage:
            return THRESHOLD_PERCENT_FORMAT
        if self.kind == AREA:
            return WHOLE_FORMAT
        return COUNT_FORMAT

    def value_cell(self, value) -> tuple[Decimal | None, str]:
        """Return a value as an Excel cell: the number the screen prints, and its format."""
        return self.round_value(value), self.value_format

    def gap_cell(self, gap) -> tuple[Decimal | None, str]:
        """Return a gap as an Excel cell: the number the screen prints, and its format."""
        return self.round_gap(gap), self.gap_format

    def threshold_cell(self, threshold) -> tuple[Decimal, str]:
        """Return a threshold as an Excel cell (the plan's number, e.g. 0.80 shown 80%)."""
        return Decimal(threshold), self.threshold_format

    def value_text(self, value) -> str:
        """Write a value for the command line ("77.7%", "12.35 ㎡/百户"), or a dash."""
        if value is None:
            return NONE_TEXT
        if self.is_percentage:
            return percent_text(value)
        places = WHOLE if self.kind in (COUNT, FLAG) else TWO
        return f"{number_text(value, places)} {self.unit}".strip()

    def gap_text(self, gap) -> str:
        """Write a gap for the command line ("9,650.00 平方米", "120 人")."""
        return f"{number_text(gap, self.gap_places)} {self.gap_unit}"

    def threshold_text(self, threshold) -> str:
        """Write the target for the command line ("≥800㎡", "≥80.0%", "已完成")."""
        if self.is_percentage:
            return f"≥{percent_text(threshold)}"
        if self.is_flag:
            return "已完成"
        return f"≥{threshold}{self.unit}"

    def unit_value(self, numerator, denominator=1) -> Decimal | None:
        """Return one unit's value (None for a zero or missing denominator)."""
        if self.denominator is None:
            return None if numerator is None else Decimal(numerator)
        value = fraction(numerator, denominator)
        return None if value is None else value * self.scale

    def complies(self, numerator, denominator, threshold: Decimal) -> bool:
        """Say whether one unit meets the target (exact; ≥ includes the threshold)."""
        if self.denominator is None:
            return numerator is not None and Decimal(numerator) >= Decimal(threshold)
        # value × scale ≥ threshold  ⇔  numerator × scale ≥ threshold × denominator
        if numerator is None:
            return False
        return reaches(Decimal(numerator) * self.scale, denominator, threshold)

    def judge(self, numerator, denominator, threshold: Decimal) -> tuple:
        """Return ``(value, compliant, gap)`` for one unit: the three functions above at once.

        The engine calls this for every community and indicator, so it takes the short paths
        (integers compare exactly with ``Decimal``) but decides exactly as they do.
        """
        if numerator is None:
            return None, False, ZERO
        if self.denominator is None:
            numerator = Decimal(numerator)
            if numerator >= threshold:
                return numerator, True, ZERO
            return numerator, False, threshold - numerator
        if not denominator:
            return None, False, ZERO
        scaled = numerator * self.scale
        value = Decimal(scaled) / denominator
        target = threshold * denominator
        if scaled >= target:
            return value, True, ZERO
        if self.gap_in_people:
            return value, False, target.to_integral_value(rounding=ROUND_CEILING) - numerator
        return value, False, (target - scaled) / self.scale

    def gap(self, numerator, denominator, threshold: Decimal) -> Decimal:
        """Return what one unit lacks to meet the target, in ``gap_unit`` (0 when it does)."""
        if numerator is None:
            return Decimal(0)
        if self.denominator is None:
            return shortfall_amount(numerator, 1, threshold)
        if self.gap_in_people:
            return shortfall_people(numerator, denominator, threshold)
        # area per hundred households: households × threshold ÷ 100 − area
        if denominator is None or denominator == 0:
            return Decimal(0)
        return shortfall_amount(numerator, Decimal(denominator) / self.scale, threshold)


INDICATORS: list[Indicator] = [
    Indicator(
        code="street_centre",
        name="街道社区服务中心面积不低于800平方米",
        short_name="街道服务中心",
        level=STREET,
        kind=AREA,
        unit="㎡",
        gap_unit="平方米",
        plan_words="全省所有街道建有1个不低于800平方米的社区服务中心",
        method="街道办事处在用的最大一处社区服务中心的建筑面积；不低于目标值为达标。镇、乡和开发区不参加本项考核。",
        default_threshold=Decimal("800"),
        numerator="centre_max_area",
        denominator=None,
        needs_stats=False,
    ),
    Indicator(
        code="community_station",
        name="社区服务站面积不少于300平方米",
        short_name="社区服务站",
        level=COMMUNITY,
        kind=AREA,
        unit="㎡",
        gap_unit="平方米",
        plan_words="所有城市社区建有1个不少于300平方米的社区服务站",
        method="社区在用的最大一处社区服务站的建筑面积；没有服务站按0计；不少于目标值为达标。",
        default_threshold=Decimal("300"),
        numerator="station_max_area",
        denominator=None,
        needs_stats=False,
    ),
    Indicator(
        code="area_per_100_households",
        name="每百户居民拥有社区服务设施面积不低于20平方米",
        short_name="每百户设施面积",
        level=COMMUNITY,
        kind=RATIO,
        unit="㎡/百户",
        gap_unit="平方米",
        plan_words="每百户居民拥有的社区服务设施面积不低于20平方米",
        method="社区在用的服务站和专项服务设施建筑面积合计×100÷户数；地区值为地区内全部在用设施面积（含街道服务中心）×100÷有统计数据社区的户数合计。",
        default_threshold=Decimal("20"),
        numerator="facility_area",
        denominator="households",
        needs_stats=True,
        scale=HUNDRED,
        region_value="area_per_households",
    ),
    Indicator(
        code="party_member_participation",
        name="80%以上的社区党员参与社区志愿活动",
        short_name="党员参与志愿活动",
        level=COMMUNITY,
        kind=RATIO,
        unit="%",
        gap_unit="人",
        plan_words="80%以上的社区党员……参与社区志愿活动",
        method="参与志愿活动的党员人数÷党员人数；地区值为分子合计÷分母合计（比值之和，不是比值平均）。",
        default_threshold=Decimal("0.80"),
        numerator="party_members_volunteering",
        denominator="party_members",
        needs_stats=True,
        gap_in_people=True,
        region_value="ratio_of_sums",
    ),
    Indicator(
        code="resident_participation",
        name="30%以上的社区居民参与社区志愿活动",
        short_name="居民参与志愿活动",
        level=COMMUNITY,
        kind=RATIO,
        unit="%",
        gap_unit="人",
        plan_words="30%以上的社区居民参与社区志愿活动",
        method="参与志愿活动的居民人数÷常住居民人数；地区值为分子合计÷分母合计。",
        default_threshold=Decimal("0.30"),
        numerator="residents_volunteering",
        denominator="residents",
        needs_stats=True,
        gap_in_people=True,
        region_value="ratio_of_sums",
    ),
    Indicator(
        code="registered_volunteers",
        name="注册社区志愿者达到居民总数10%以上",
        short_name="注册志愿者",
        level=COMMUNITY,
        kind=RATIO,
        unit="%",
        gap_unit="人",
        plan_words="注册社区志愿者达到本地区居民总数10%以上",
        method="年末在册的注册志愿者人数÷常住居民人数；地区值为分子合计÷分母合计。",
        default_threshold=Decimal("0.10"),
        numerator="registered_volunteers",
        denominator="residents",
        needs_stats=True,
        gap_in_people=True,
        region_value="ratio_of_sums",
    ),
    Indicator(
        code="social_organizations",
        name="每个社区拥有5个以上社区社会组织",
        short_name="社区社会组织",
        level=COMMUNITY,
        kind=COUNT,
        unit="个",
        gap_unit="个",
        plan_words="每个社区拥有5个以上社区社会组织",
        method="年末存续的社区社会组织个数。",
        default_threshold=Decimal("5"),
        numerator="social_organizations",
        denominator=None,
        needs_stats=False,
    ),
    Indicator(
        code="certified_social_worker",
        name="至少有1名社区工作者获得社会工作者职业资格",
        short_name="持证社工",
        level=COMMUNITY,
        kind=COUNT,
        unit="名",
        gap_unit="名",
        plan_words="每个社区居民委员会至少有1名社区工作者获得社会工作者职业资格",
        method="在职的社区工作人员（书记、主任、副主任、委员、专职社区工作者）中取得社会工作者职业资格的人数。",
        default_threshold=Decimal("1"),
        numerator="certified_workers",
        denominator=None,
        needs_stats=False,
    ),
    Indicator(
        code="bachelor_degree_worker",
        name="至少有1名社区工作者达到本科学历",
        short_name="本科学历工作者",
        level=COMMUNITY,
        kind=COUNT,
        unit="名",
        gap_unit="名",
        plan_words="每个社区居民委员会至少有……1名达到本科学历",
        method="在职的社区工作人员中本科及以上学历的人数。",
        default_threshold=Decimal("1"),
        numerator="bachelor_workers",
        denominator=None,
        needs_stats=False,
    ),
    Indicator(
        code="college_educated_share",
        name="50%以上工作人员具有大专以上学历",
        short_name="大专以上学历",
        level=COMMUNITY,
        kind=RATIO,
        unit="%",
        gap_unit="人",
        plan_words="50%以上工作人员具有大专以上学历",
        method="在职的社区工作人员中大专及以上学历人数÷社区工作人员人数；地区值为分子合计÷分母合计。",
        default_threshold=Decimal("0.50"),
        numerator="college_workers",
        denominator="counted_workers",
        needs_stats=False,
        gap_in_people=True,
        region_value="ratio_of_sums",
    ),
    Indicator(
        code="digital_3d_community",
        name="完成三维数字社区建设",
        short_name="三维数字社区",
        level=COMMUNITY,
        kind=FLAG,
        unit="",
        gap_unit="个社区",
        plan_words="全面完成全省所有城市社区三维数字社区建设任务",
        method="三维数字社区在年末前建成为已完成。",
        default_threshold=Decimal("1"),
        numerator="digital_3d",
        denominator=None,
        needs_stats=False,
    ),
]

INDICATOR_BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
COMMUNITY_INDICATORS: list[Indicator] = [i for i in INDICATORS if i.level == COMMUNITY]
STREET_INDICATORS: list[Indicator] = [i for i in INDICATORS if i.level == STREET]
# "十项社区指标", "十一项指标": how many there are, as the pages and reports say it.
COMMUNITY_INDICATOR_COUNT = chinese_numeral(len(COMMUNITY_INDICATORS))
INDICATOR_COUNT = chinese_numeral(len(INDICATORS))

DEFAULT_THRESHOLDS: dict[str, str] = {i.code: str(i.default_threshold) for i in INDICATORS}


@dataclass(frozen=True)
class Baseline:
    """One figure of the plan's 基本情况 (section 一), computed the same way for any year."""

    code: str
    name: str
    published: str  # the plan's 2010 figure for Gansu, as printed
    plan_words: str
    has_rate: bool


BASELINES: list[Baseline] = [
    Baseline(
        "streets_with_centre",
        "设有社区服务中心的街道",
        "60%",
        "60%的街道设有社区服务中心",
        True,
    ),
    Baseline(
        "streets_without_centre",
        "没有社区服务中心的街道",
        "51",
        "全省有51个街道没有建社区服务中心",
        True,
    ),
    Baseline(
        "communities_with_station",
        "设有社区服务站的社区",
        "89.5%",
        "89.5%的社区设有社区服务站",
        True,
    ),
    Baseline(
        "communities_without_station",
        "没有办公服务用房的社区",
        "124",
        "124个社区没有办公服务用房",
        True,
    ),
    Baseline(
        "communities_with_small_station",
        "办公服务用房在300平方米以下的社区",
        "699",
        "699个社区办公服务用房在300平方米以下",
        True,
    ),
    Baseline(
        "volunteer_organizations",
        "社区志愿者组织",
        "7000+",
        "全省现有社区志愿者组织7000多个",
        False,
    ),
    Baseline(
        "registered_volunteer_count",
        "注册志愿者人数",
        "138400",
        "志愿者人数达到13.84万人",
        False,
    ),
]

BASELINE_BY_CODE: dict[str, Baseline] = {b.code: b for b in BASELINES}

# The plan's published 2010 figures (基本情况), stored with the 十二五 plan as reference values.
PUBLISHED_2010 = {
    "streets": "125",
    "communities": "1186",
    **{b.code: b.published for b in BASELINES},
}


def threshold_errors(thresholds) -> list[str]:
    """Return what is wrong with a plan's thresholds (in Chinese), nothing if they are valid."""
    if not isinstance(thresholds, dict):
        return ["达标阈值必须是“指标代码 → 阈值”的对象。"]
    errors = []
    for code, raw in thresholds.items():
        indicator = INDICATOR_BY_CODE.get(code)
        if indicator is None:
            errors.append(f"未知的指标代码：{code}。")
            continue
        try:
            number = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            errors.append(f"{indicator.short_name}的阈值必须是数字。")
            continue
        if isinstance(raw, bool) or not number.is_finite() or number <= 0 or number > 100000:
            errors.append(f"{indicator.short_name}的阈值必须大于0且不超过100000。")
        elif indicator.unit == "%" and number > 1:
            errors.append(f"{indicator.short_name}的阈值是比例，应在0到1之间（如 0.80）。")
    return errors


def threshold_of(plan, code: str) -> Decimal:
    """Return the plan's threshold for an indicator, the registry's default if it has none."""
    raw = (getattr(plan, "thresholds", None) or {}).get(code)
    if raw in (None, ""):
        return INDICATOR_BY_CODE[code].default_threshold
    return Decimal(str(raw))
