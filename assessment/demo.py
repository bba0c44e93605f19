"""The demo 目标考核: the 十二五 county scheme of 2015 (and of 2014, for the change from last
year), scored for all 88 counties on the demo data and ranked.

Every county draws from its own ``random.Random`` (the run's seed and its code): how far its
round has come in 2015 (most finalised, the others at review, scoring or still in
self-assessment), its manual scores (better where its data are better, with some noise),
bonuses, deductions, one override with its reason, and one veto. 2014 is finalised
throughout. The steps run through the services with ``user=None`` (the system), so history
and audit are written as for any round.
"""

import random
from decimal import ROUND_HALF_UP, Decimal

from . import services
from .models import Assessment, Scheme, Status
from .sources import SourceCache

NAME = "十二五社区服务体系建设目标考核（县区）"
TWO = Decimal("0.01")
# (full_at, zero_below) of the rate items: the target year's and the interim year's.
TARGET_BANDS = {
    "stations": ("0.9", "0.2"),
    "volunteers": ("0.8", "0.1"),
    "organisations": ("0.8", "0.1"),
}
INTERIM_BANDS = {
    "stations": ("0.7", "0.1"),
    "volunteers": ("0.4", "0"),
    "organisations": ("0.6", "0.1"),
}


def _items(year: int) -> list[dict]:
    # The interim year asks less than the plan's target year (年度目标逐年提高).
    bands = INTERIM_BANDS if year < 2015 else TARGET_BANDS

    def rate(code, name, points, indicator, full_at, zero_below, standard=""):
        return {
            "code": code,
            "name": name,
            "points": str(points),
            "method": "indicator_rate",
            "params": {"indicator": indicator, "full_at": full_at, "zero_below": zero_below},
            "standard": standard,
        }

    items = [
        rate("stations", "社区综合服务站建设", 20, "community_station", *bands["stations"]),
        rate("volunteers", "社区志愿者注册", 10, "registered_volunteers", *bands["volunteers"]),
        rate(
            "organisations", "社区社会组织培育", 10, "social_organizations", *bands["organisations"]
        ),
        {
            "code": "social_workers",
            "name": "社区工作者持证",
            "points": "10",
            "method": "indicator_rate",
            "params": {"indicator": "certified_social_worker"},
            "standard": "按每个社区至少有1名持证社会工作者的社区占比计分：得分 = 10 × 占比。",
        },
        {
            "code": "casework_on_time",
            "name": "民情诉求按时办结",
            "points": "10",
            "method": "casework_on_time",
            "params": {"full_at": "0.9", "zero_below": "0.6"},
        },
        {
            "code": "satisfaction",
            "name": "群众满意度",
            "points": "10",
            "method": "casework_satisfaction",
            "params": {"full_at": "0.9", "zero_below": "0.6"},
        },
        {
            "code": "leadership",
            "name": "组织领导",
            "points": "10",
            "method": "manual",
            "standard": "社区服务体系建设纳入党委、政府重要议事日程，有专门机构和人员负责；"
            "每缺一项扣2分。",
        },
    ]
    if year >= 2015:
        items.insert(
            6,
            {
                "code": "reporting",
                "name": "年度统计按时上报",
                "points": "10",
                "method": "reporting_on_time",
                "params": {"full_at": "0.95", "zero_below": "0.5"},
            },
        )
        items.append(
            {
                "code": "funding",
                "name": "经费投入",
                "points": "10",
                "method": "manual",
                "standard": "社区服务专项经费列入财政预算并逐年增长；未列入扣5分，未增长扣3分。",
            }
        )
    else:
        items.append(
            {
                "code": "funding",
                "name": "经费投入",
                "points": "20",
                "method": "manual",
                "standard": "社区服务专项经费列入财政预算并逐年增长；未列入扣10分，未增长扣5分。",
            }
        )
    items += [
        {
            "code": "innovation",
            "name": "创新工作",
            "points": "5",
            "method": "bonus",
            "standard": "获省级以上表彰或经验被推广的，每项加2分，最多加5分。",
        },
        {
            "code": "violations",
            "name": "违规违纪",
            "points": "5",
            "method": "deduction",
            "standard": "挤占挪用建设资金、弄虚作假的，每起扣2分，最多扣5分。",
        },
        {
            "code": "veto",
            "name": "重大安全责任事故",
            "points": "0",
            "method": "veto",
            "standard": "社区服务设施发生重大安全责任事故的，实行一票否决。",
        },
    ]
    return items


def _scheme(year: int) -> Scheme:
    scheme = Scheme.objects.filter(year=year, level="county", name=NAME).first()
    if scheme is None:
        scheme = services.scheme_save(
            scheme=Scheme(
                year=year,
                level="county",
                name=NAME,
                base_score=Decimal("100"),
                excellent_quota=Decimal("0.2000"),
            ),
            items=_items(year),
            user=None,
        )
    return scheme


def _manual(points: Decimal, quality: Decimal, rng: random.Random) -> str:
    """A manual score that follows the county's data (its automatic share) with some noise."""
    share = min(max(quality + Decimal(rng.uniform(-0.15, 0.15)), Decimal("0.3")), Decimal(1))
    value = (points * share * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2
    return f"{value:.2f}"


def _take(assessment: Assessment, rng: random.Random, stop: str, veto: bool, cache) -> None:
    scores = {s.item.code: s for s in assessment.scores.select_related("item")}
    automatic = [s for s in scores.values() if s.item.is_automatic]
    got = sum((s.computed or 0 for s in automatic), Decimal(0))
    most = sum((s.item.points for s in automatic), Decimal(0))
    quality = got / most if most else Decimal("0.5")
    manual = {code: s for code, s in scores.items() if s.item.kind == "manual"}
    own = [
        {
            "item": code,
            "score": _manual(s.item.points, quality + Decimal("0.08"), rng),
            "evidence": "见工作台账、会议纪要和相关文件",
        }
        for code, s in manual.items()
    ]
    a = services.assessment_submit(assessment=assessment, user=None, entries=own, cache=cache)
    if stop == Status.SCORING:
        return
    given = [
        {"item": code, "score": _manual(s.item.points, quality, rng)} for code, s in manual.items()
    ]
    if rng.random() < 0.25:
        given.append(
            {
                "item": "innovation",
                "deductions": [
                    {"reason": "社区服务经验被省民政厅推广", "points": "2"},
                    *(
                        [{"reason": "获全国和谐社区建设示范单位", "points": "2"}]
                        if rng.random() < 0.4
                        else []
                    ),
                ],
            }
        )
    if rng.random() < 0.12:
        given.append(
            {
                "item": "violations",
                "deductions": [{"reason": "挤占社区服务站建设资金", "points": "2"}],
            }
        )
    if veto:
        given.append({"item": "veto", "vetoed": True, "reason": "社区服务站发生火灾，造成人员伤亡"})
    stations = scores.get("stations")
    if stations is not None and rng.random() < 0.05 and stations.computed < stations.item.points:
        given.append(
            {
                "item": "stations",
                "score": f"{min(stations.computed + 4, stations.item.points):.2f}",
                "reason": "年内新建服务站已投入使用，年度统计尚未录入（附验收报告）",
            }
        )
    a = services.assessment_score(assessment=a, user=None, entries=given, cache=cache)
    if stop == Status.REVIEW:
        return
    a = services.assessment_review(assessment=a, user=None, cache=cache)
    services.assessment_finalise(assessment=a, user=None, cache=cache)


def _stage(rng: random.Random, year: int, final_share: float) -> str:
    if year < 2015:
        return Status.FINAL
    draw = rng.random()
    if draw < final_share:
        return Status.FINAL
    return rng.choice([Status.REVIEW, Status.REVIEW, Status.SCORING, Status.SELF_ASSESSMENT])


def build_assessment_demo(*, seed: int = 2015, year: int = 2015) -> dict[str, int]:
    """Score the demo counties for ``year - 1`` and ``year``; return the rounds written."""
    from streets.models import Division

    if not Division.objects.filter(level="county").exists():
        return {}
    written = 0
    for y in (year - 1, year):
        scheme = _scheme(y)
        cache = SourceCache(y)  # each area's figures counted once for all its rounds
        services.scheme_launch(scheme=scheme, user=None, cache=cache)
        rounds = list(scheme.assessments.select_related("scheme").order_by("unit_code"))
        vetoed = random.Random(f"{seed}-veto-{y}").choice(rounds).unit_code if y == year else ""
        for assessment in rounds:
            if assessment.status != Status.SELF_ASSESSMENT:
                continue
            rng = random.Random(f"{seed}-{assessment.unit_code}-{y}")
            stop = _stage(rng, y, final_share=0.7)
            if stop == Status.SELF_ASSESSMENT:
                continue
            _take(assessment, rng, stop, veto=assessment.unit_code == vetoed, cache=cache)
        written += len(rounds)
    return {"目标考核": written}
