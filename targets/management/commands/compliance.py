"""``manage.py compliance``: the plan's targets for a scope and year, as a table or as JSON."""

import json
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from core.scoping import LEVEL_LABELS
from targets.engine import compute_region
from targets.params import BadParameter, command_params
from targets.payload import region_payload
from targets.registry import (
    COMMUNITY_INDICATOR_COUNT,
    COMMUNITY_INDICATORS,
    INDICATOR_BY_CODE,
    INDICATORS,
    percent_text,
)


def display_width(text: str) -> int:
    """Return how many terminal columns ``text`` takes (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def render_table(headers: list[str], rows: list[list[str]], numeric_from: int = 1) -> str:
    """Lay ``rows`` out in aligned columns; columns from ``numeric_from`` on align right."""
    widths = [max(display_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells):
        return "  ".join(
            pad(str(c), w, right=i >= numeric_from)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def verdict_word(compliant: int, missing: int, applicable: int) -> str:
    """Say how one community fares on one indicator: 达标, 未达标 or 缺数据."""
    if missing:
        return "缺数据"
    return "达标" if applicable and compliant == applicable else "未达标"


class Command(BaseCommand):
    help = "计算一个区划在一个年度的规划达标情况（INDICATORS.md），输出表格或 JSON。"

    def add_arguments(self, parser):
        parser.add_argument("--scope", default="62", help="区划、街道或社区代码（默认 62 甘肃省）")
        parser.add_argument("--year", type=int, default=None, help="年度（默认规划目标年度）")
        parser.add_argument("--plan", default=None, help="规划代码（默认当前规划）")
        parser.add_argument("--format", choices=["table", "json"], default="table", help="输出格式")

    def handle(self, *args, **options):
        try:
            params = command_params(
                scope=options["scope"], year=options["year"], plan=options["plan"]
            )
        except BadParameter as exc:
            raise CommandError("；".join(exc.messages)) from None
        scope, year, plan = params.scope, params.year, params.plan
        result = compute_region(scope_code=scope.code, year=year, plan=plan)
        if options["format"] == "json":
            payload = region_payload(result, plan)
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self.table(result, plan))

    def table(self, result, plan) -> str:
        out = [
            f"{result.name}（{result.code}，{LEVEL_LABELS[result.level]}）{result.year}年"
            f"社区服务体系建设达标情况 —— {plan.name}规划（{plan.start_year}—{plan.target_year}年）",
            f"社区 {result.community_count} 个，{COMMUNITY_INDICATOR_COUNT}项社区指标全部达标 "
            f"{result.fully_compliant_count} 个（{percent_text(result.fully_compliant_rate)}）",
            "",
        ]
        rows = []
        for item in result.indicators:
            indicator = INDICATOR_BY_CODE[item.code]
            rows.append(
                [
                    indicator.name,
                    indicator.threshold_text(item.threshold),
                    str(item.applicable),
                    str(item.compliant),
                    percent_text(item.rate),
                    indicator.value_text(item.value),
                    indicator.gap_text(item.gap),
                    str(item.missing),
                ]
            )
        headers = ["指标", "目标", "应达标", "达标", "达标率", "区域值", "缺口", "数据缺失"]
        out.append(render_table(headers, rows))

        if result.baseline:
            out += ["", "基本情况（本年度计算值 / 规划公布的2010年数据）"]
            rows = [
                [
                    b.name,
                    f"{b.count:,}",
                    percent_text(b.rate),
                    b.published or "—",
                ]
                for b in result.baseline
            ]
            out.append(render_table(["项目", "数量", "比例", "规划公布值"], rows))

        if result.children and result.children[0].level == "community":
            # One community each: say 达标 / 未达标 / 缺数据 rather than a rate of 0 or 100 %.
            out += ["", "各社区达标情况"]
            community_codes = [i.code for i in COMMUNITY_INDICATORS]
            headers = [
                "社区",
                "全部达标",
                *(INDICATOR_BY_CODE[c].short_name for c in community_codes),
            ]
            rows = [
                [
                    f"{child.name}（{child.code}）",
                    verdict_word(child.fully_compliant_count, 0, 1),
                    *(
                        verdict_word(item.compliant, item.missing, item.applicable)
                        for item in (child.indicator(c) for c in community_codes)
                    ),
                ]
                for child in result.children
            ]
            out.append(render_table(headers, rows))
        elif result.children:
            out += ["", f"下一级（{LEVEL_LABELS[result.children[0].level]}）达标率"]
            headers = ["名称", "社区数", "全部达标", *(i.short_name for i in INDICATORS)]
            rows = [
                [
                    f"{child.name}（{child.code}）",
                    str(child.community_count),
                    percent_text(child.fully_compliant_rate),
                    *(percent_text(child.indicator(i.code).rate) for i in INDICATORS),
                ]
                for child in result.children
            ]
            out.append(render_table(headers, rows))
        return "\n".join(out) + "\n"
