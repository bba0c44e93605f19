"""What the demo data is calibrated to, in one place.

The baseline year (2010 by default) follows the figures the plan gives in its section 一
(甘政办发〔2012〕192号): about 60 % of 街道 with a service centre, 89.5 % of communities with a
station, a majority of those stations below 300 ㎡, 7,000+ volunteer organisations and 138,400
registered volunteers. The target year (2015) lands "largely but not fully" on the targets of
section 二, with the prefectures spread by their level of development: 兰州 ahead, 甘南 behind.

Every community draws one latent "effort" ``u`` around its prefecture's level; each target
then holds in the target year when ``u`` plus a little noise reaches that target's cut-off
(``CUTOFFS``). So the indicators are correlated, as they are in reality, and the prefectures
differ by more than chance.
"""

BASELINE_YEAR = 2010
TARGET_YEAR = 2015

# Development level of each prefecture (0..1) and the relative size of its communities.
PREFECTURES = {
    "6201": (0.92, 1.30),  # 兰州市
    "6202": (0.90, 1.05),  # 嘉峪关市
    "6203": (0.85, 1.00),  # 金昌市
    "6204": (0.72, 0.95),  # 白银市
    "6205": (0.68, 0.95),  # 天水市
    "6206": (0.64, 0.90),  # 武威市
    "6207": (0.74, 0.90),  # 张掖市
    "6208": (0.62, 0.90),  # 平凉市
    "6209": (0.78, 0.95),  # 酒泉市
    "6210": (0.60, 0.85),  # 庆阳市
    "6211": (0.56, 0.85),  # 定西市
    "6212": (0.54, 0.80),  # 陇南市
    "6229": (0.48, 0.85),  # 临夏回族自治州
    "6230": (0.38, 0.65),  # 甘南藏族自治州
}
DEFAULT_PREFECTURE = (0.65, 0.90)

EFFORT_SPREAD = 0.13  # standard deviation of a community's effort around its prefecture's
TARGET_NOISE = 0.12  # standard deviation of the per-target noise

# A target holds in the target year when effort + noise >= its cut-off.
CUTOFFS = {
    "street_centre": 0.62,
    "community_station": 0.62,
    "party_member_participation": 0.58,
    "resident_participation": 0.60,
    "registered_volunteers": 0.57,
    "social_organizations": 0.55,
    "certified_social_worker": 0.60,
    "bachelor_degree_worker": 0.42,
    "college_educated_share": 0.55,
    "digital_3d_community": 0.52,
}

# Residents of a community in the baseline year: a median, times the prefecture's size factor,
# times a log-normal spread.
RESIDENTS_MEDIAN = 3900
RESIDENTS_SIGMA = 0.35
RESIDENTS_RANGE = (1100, 16000)
HOUSEHOLD_SIZE = (2.6, 3.0)  # residents per household (≈ 2.8)
PARTY_SHARE = (0.025, 0.055)  # party members among residents

# Baseline facilities: P(station) = a + b·level, P(station below 300 ㎡ | station) = a − b·level.
STATION_BASELINE = (0.79, 0.15)
SMALL_STATION_BASELINE = (0.85, 0.27)
CENTRE_BASELINE = (0.13, 0.53)  # among 街道
TOWN_CENTRE_SHARE = 0.10  # towns, townships and zones that run a centre anyway

# Registered volunteers: share of residents registered in the target year is
# VOLUNTEER_SHARE_AT_CUTOFF + VOLUNTEER_SHARE_SLOPE·(effort − cut-off); the share of those
# already registered in the baseline year is a + b·level.
VOLUNTEER_SHARE_AT_CUTOFF = 0.10
VOLUNTEER_SHARE_SLOPE = 0.07
VOLUNTEER_SHARE_RANGE = (0.03, 0.2)
VOLUNTEERS_AT_BASELINE = (0.055, 0.08)
VOLUNTEER_LEAVERS = 0.05  # registered volunteers who left again, as a share of those active

# Volunteer organisations per community in the baseline year: a + b·level (± 1).
VOLUNTEER_ORGS_BASELINE = (1.3, 3.0)
