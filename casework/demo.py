"""Demo requests for 2014–2015 across Gansu: realistic categories, channels and outcomes.

Each community draws from its own ``random.Random`` (the run's seed and its code), about 9
requests a year at scale 1 (tens of thousands over the province). Most are closed on time and
rated satisfied; some are resolved late, some sent back, some reopened after a dissatisfied
rating, and a few of December 2015's are still open (overdue by now). Rows go in through
the demo's ``RowWriter`` (COPY on PostgreSQL); no history rows are written for the demo load (as for the other records).
"""

import bisect
import datetime
import random
from zoneinfo import ZoneInfo

from django.utils import timezone

from communities.models import Community
from demo.writer import RowWriter, reset_sequences
from streets.models import Division, Street

from . import calendar
from .models import Case, CaseCategory, CaseEvent, Channel, HandlingUnit, Satisfaction

CHANNEL_LABELS = dict(Channel.choices)
SATISFACTION_LABELS = dict(Satisfaction.choices)
CASE_FIELDS = (
    "id version created_at updated_at number community category channel description"
    " resident_name resident_phone address accepted_on due_on calendar_note status handling_unit"
    " dispatcher_code resolved_on resolution resolve_working_days satisfaction rated_on"
    " reopen_count sent_back_count escalation_count urge_count last_urged_on extension_days"
    " extension_requested_days extension_reason"
).split()
EVENT_FIELDS = "case kind at on user unit note automatic".split()

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEARS = (2014, 2015)
PER_COMMUNITY_YEAR = 9
BATCH = 5000

CATEGORY_WEIGHTS = {"consultation": 34, "help": 30, "suggestion": 10, "complaint": 19, "report": 7}
CHANNEL_WEIGHTS = {"window": 34, "phone": 30, "grid_worker": 22, "visit": 9, "online": 5}
DEPARTMENTS = ("民政局", "人社局", "住建局")
TOPICS = {
    "consultation": (
        "咨询城乡居民最低生活保障申请条件",
        "咨询高龄老人补贴办理流程",
        "咨询居民医疗保险缴费时间",
        "咨询廉租住房申请所需材料",
        "咨询办理居住证的手续",
        "咨询残疾人证办理流程",
    ),
    "help": (
        "独居老人家中水管破裂，请求帮助维修",
        "困难家庭子女上学，申请临时救助",
        "楼道照明损坏，夜间出行不便",
        "行动不便老人申请上门服务",
        "冬季取暖困难，请求协调供暖",
        "失业人员请求推荐就业岗位",
    ),
    "suggestion": (
        "建议在小区增设健身器材",
        "建议社区开设老年人日间照料服务",
        "建议增加小区垃圾分类投放点",
        "建议在学校门口设置减速带",
        "建议延长社区服务站周末开放时间",
    ),
    "complaint": (
        "投诉楼下餐馆油烟扰民",
        "投诉小区物业服务不到位",
        "投诉夜间施工噪音扰民",
        "投诉小区违规停车堵塞消防通道",
        "投诉供暖温度不达标",
    ),
    "report": (
        "举报小区内私搭乱建",
        "举报占用绿地种菜",
        "举报无证经营的小作坊",
        "举报楼道堆放易燃杂物",
    ),
}
ANSWERS = {
    "consultation": "已向居民解释相关政策和办理流程，并告知所需材料。",
    "help": "已协调相关单位上门处理，问题已解决。",
    "suggestion": "建议已采纳，列入社区年度工作计划。",
    "complaint": "已会同相关部门现场处理，并向居民反馈处理结果。",
    "report": "经核查情况属实，已依法依规处理。",
}
STREETS = ("建设路", "民主路", "和平巷", "团结街", "幸福里", "友谊路", "文化街", "滨河路")


def _weighted(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class WorkingDays:
    """Working days as a sorted list of ordinals: the n-th working day after a date in O(log n)."""

    def __init__(self, first: datetime.date, last: datetime.date):
        days = []
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                days.append(day.toordinal())
            day += datetime.timedelta(days=1)
        self.days = days

    def after(self, day: datetime.date, n: int) -> datetime.date:
        index = bisect.bisect_right(self.days, day.toordinal())
        return datetime.date.fromordinal(self.days[index + n - 1])

    def between(self, start: datetime.date, end: datetime.date) -> int:
        return bisect.bisect_right(self.days, end.toordinal()) - bisect.bisect_right(
            self.days, start.toordinal()
        )


def _units(codes: list[str]) -> dict[tuple[str, str], int]:
    """Create (or find) the demo's handling units: each community, street and county department."""
    communities = dict(Community.objects.filter(code__in=codes).values_list("code", "name"))
    street_codes = sorted({c[:9] for c in codes})
    streets = dict(Street.objects.filter(code__in=street_codes).values_list("code", "name"))
    counties = dict(
        Division.objects.filter(code__in=sorted({c[:6] for c in codes})).values_list("code", "name")
    )
    wanted = {(c, ""): communities[c] for c in codes}
    wanted.update({(s, ""): n for s, n in streets.items()})
    for county, name in counties.items():
        wanted[(county, "")] = name
        for dept in DEPARTMENTS:
            wanted[(county, dept)] = name  # 城关区 + 民政局
    existing = {
        (u.code, u.department): u.pk
        for u in HandlingUnit.objects.filter(code__in=[k[0] for k in wanted])
    }
    new = []
    for (code, dept), name in wanted.items():
        if (code, dept) in existing:
            continue
        new.append(HandlingUnit(code=code, department=dept, name=f"{name}{dept}"))
    HandlingUnit.objects.bulk_create(new, batch_size=BATCH)
    return {
        (u.code, u.department): u.pk
        for u in HandlingUnit.objects.filter(code__in=[k[0] for k in wanted])
    }


def _at(day: datetime.date, rng) -> datetime.datetime:
    return datetime.datetime(
        day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59), tzinfo=SHANGHAI
    )


def build_casework_demo(
    *, codes: list[str], seed: int = 2015, scale: float = 1.0
) -> dict[str, int]:
    """Write the demo requests of the communities ``codes``; return the rows per table."""
    if not codes:
        return {}
    limits = dict(CaseCategory.objects.values_list("code", "time_limit_working_days"))
    work = WorkingDays(datetime.date(YEARS[0], 1, 1), datetime.date(YEARS[-1] + 1, 6, 30))
    units = _units(codes)
    dept_keys: dict[str, list[tuple[str, str]]] = {}
    for code, dept in units:
        if dept:
            dept_keys.setdefault(code, []).append((code, dept))
    today = calendar.today()
    w_case = RowWriter(Case, CASE_FIELDS, batch=BATCH)
    w_event = RowWriter(CaseEvent, EVENT_FIELDS, batch=BATCH * 4, parents=[w_case])
    now = timezone.now().isoformat()

    def iso(day):
        return None if day is None else day.isoformat()

    per_year = max(PER_COMMUNITY_YEAR * scale, 0.05)
    for code in codes:
        rng = random.Random(f"{seed}:casework:{code}")
        size = rng.lognormvariate(0, 0.5)
        seq: dict[datetime.date, int] = {}
        for year in YEARS:
            count = int(per_year * size * (0.8 if year == 2014 else 1.1) + rng.random())
            days = sorted(
                datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
                for _ in range(count)
            )
            for accepted in days:
                if accepted > today:
                    continue
                seq[accepted] = seq.get(accepted, 0) + 1
                if seq[accepted] > 999:
                    continue
                category = _weighted(rng, CATEGORY_WEIGHTS)
                limit = limits.get(category, 5)
                due = work.after(accepted, limit)
                roll = rng.random()
                unit_roll = rng.random()
                if unit_roll < 0.5:
                    unit_key = (code, "")
                elif unit_roll < 0.8:
                    unit_key = (code[:9], "")
                else:
                    unit_key = rng.choice(dept_keys.get(code[:6]) or [(code[:9], "")])
                sent_back = rng.random() < 0.03
                reopened = rng.random() < 0.04
                late_december = accepted >= datetime.date(2015, 12, 10)
                if late_december and roll < 0.25:
                    outcome = "open"
                elif roll < 0.91:
                    outcome = "on_time"
                else:
                    outcome = "late"
                resolved = None
                if outcome == "on_time":
                    resolved = work.after(accepted, rng.randint(1, limit))
                elif outcome == "late":
                    resolved = work.after(accepted, limit + rng.randint(1, 8))
                if resolved is not None and resolved > today:
                    resolved, outcome = None, "open"
                satisfaction = None
                rated = None
                if resolved is not None:
                    s = rng.random()
                    satisfaction = "satisfied" if s < 0.8 else "basically_satisfied"
                    rated = min(work.after(resolved, rng.randint(1, 3)), today)
                status = (
                    "closed"
                    if resolved
                    else ("in_progress" if rng.random() < 0.7 else "dispatched")
                )
                topic = rng.choice(TOPICS[category])
                surname = rng.choice("王张李刘陈杨赵马周吴徐孙朱胡郭何高罗魏牛")
                given = rng.choice("建国秀兰文华丽娟志强玉梅海燕明亮桂英春花永红") + rng.choice(
                    "明华英芳军平刚霞林珍"
                )
                case_id = w_case.new_id()
                channel = _weighted(rng, CHANNEL_WEIGHTS)
                reopen_count = 1 if reopened and resolved else 0
                urged = outcome != "on_time"
                unit = units.get(unit_key)
                w_case.add(
                    (
                        case_id,
                        1,
                        now,
                        now,
                        f"{code}{accepted:%Y%m%d}{seq[accepted]:03d}",
                        code,
                        category,
                        channel,
                        topic,
                        surname + given,
                        f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                        f"{rng.choice(STREETS)}{rng.randint(1, 120)}号{rng.randint(1, 12)}单元",
                        iso(accepted),
                        iso(due),
                        None,
                        status,
                        unit,
                        code,
                        iso(resolved),
                        ANSWERS[category] if resolved else "",
                        work.between(accepted, resolved) if resolved else None,
                        satisfaction,
                        iso(rated),
                        reopen_count,
                        1 if sent_back else 0,
                        0,
                        1 if urged else 0,
                        iso(min(due, today)) if urged else None,
                        0,
                        None,
                        "",
                    )
                )

                def add(kind, day, note="", on_unit=unit, automatic=False, _id=case_id, _rng=rng):
                    at = _at(day, _rng).isoformat()
                    w_event.add((_id, kind, at, iso(day), None, on_unit, note, automatic))

                add("register", accepted, CHANNEL_LABELS[channel], on_unit=None)
                add("dispatch", accepted)
                if sent_back:
                    add("send_back", work.after(accepted, 1), "不属于本单位职责范围")
                    add("dispatch", work.after(accepted, 1))
                if status != "dispatched":
                    add("accept", work.after(accepted, 1))
                if urged:
                    add("urge", min(due, today), "系统自动催办", on_unit=unit, automatic=True)
                if resolved is not None:
                    if reopen_count:
                        add("resolve", resolved, ANSWERS[category])
                        add("reopen", resolved, "居民不满意，重新办理")
                    add("resolve", resolved, ANSWERS[category])
                    add("rate", rated, SATISFACTION_LABELS[satisfaction])
    w_case.flush()
    w_event.flush()
    reset_sequences([Case, CaseEvent])
    return {"民情诉求": w_case.count, "诉求环节": w_event.count}
