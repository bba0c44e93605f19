"""目标考核 in a real browser: the county self-assesses a manual item with a file of evidence,
the prefecture scores it and overrides an automatic score with its reason, the province
reviews and finalises; the ranking shows the grade, and at 1440 and 768 pixels the ranking
and the score sheet keep their key columns in view."""

import re

import pytest

from assessment import services
from assessment.models import Assessment, EvidenceFile, ItemScore
from tests.assessment.helpers import ITEMS, build_province, make_scheme, users

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]

WIDTHS = (1440, 768)
# A sheet as wide as the demo's: the station rate, six manual items, bonus, deduction, veto.
MANUAL = [
    ("records", "工作台账"),
    ("leadership", "组织领导"),
    ("funding", "经费投入"),
    ("staffing", "社区工作者队伍建设"),
    ("volunteering", "志愿服务"),
    ("informatisation", "社区信息化建设"),
]
SCHEME_ITEMS = [
    ITEMS[0],
    *({"code": c, "name": n, "points": "10", "method": "manual"} for c, n in MANUAL),
    *ITEMS[2:],
]


def take_through(assessment, u, *, score: str):
    """Run another county's round to the end through the services: each manual item ``score``."""
    entries = [{"item": code, "score": score} for code, _ in MANUAL]
    official = {"620103": u["neighbour"]}.get(assessment.unit_code, u["admin"])
    above = u["prefecture"] if assessment.unit_code.startswith("6201") else u["other_prefecture"]
    a = services.assessment_submit(assessment=assessment, user=official, entries=entries)
    a = services.assessment_score(assessment=a, user=above, entries=entries)
    a = services.assessment_review(assessment=a, user=u["admin"])
    services.assessment_finalise(assessment=a, user=u["admin"])


def sign_out(page):
    page.goto("about:blank")
    page.context.clear_cookies()


def status(page) -> str:
    return page.get_by_test_id("sheet-status").inner_text()


def take_step(page, name):
    with page.expect_navigation():
        page.get_by_test_id(f"step-{name}").click()


def assert_in_view(page, selector: str, width: int, label: str):
    """The element is drawn wholly inside the window, left to right."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{label}: {selector} not drawn"
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (
        f"{label} at {width}px: {selector} spans {box['x']:.0f}–{box['x'] + box['width']:.0f}"
    )


def assert_no_page_scroll(page, width: int, label: str):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{label} at {width}px: the page is {scroll}px wide"


def test_a_round_from_self_assessment_to_the_ranking(
    live_server, page, login, screenshot, tmp_path
):
    build_province()
    u = users()
    scheme = make_scheme(user=u["admin"], items=SCHEME_ITEMS)
    services.scheme_launch(scheme=scheme, user=u["admin"])
    target = Assessment.objects.get(unit_code="620102")
    base = live_server.url
    sheet_url = f"{base}/assessment/{target.pk}/"
    evidence = tmp_path / "工作台账.pdf"
    evidence.write_bytes(b"%PDF-1.4 ledger")

    # The county's official: self-assess the manual item, with a note and a file; submit.
    login(page, u["county"].username)
    page.goto(sheet_url)
    assert status(page) == "单位自评"
    for code, _ in MANUAL:
        page.fill(f"#score-{code}", "9")
    page.fill("#evidence-records", "2015年工作台账12册，已扫描上传")
    page.set_input_files("input[name=files-records]", str(evidence))
    take_step(page, "submit")
    assert "自评已提交上级评分（上传佐证材料1份）" in page.content()
    assert status(page) == "上级评分"
    assert page.get_by_test_id("entry-form").count() == 0
    assert page.get_by_role("link", name="工作台账.pdf").count() == 1
    sign_out(page)

    # The prefecture: score the manual item, override the station rate with a reason.
    login(page, u["prefecture"].username)
    page.goto(sheet_url)
    assert status(page) == "上级评分"
    for code, _ in MANUAL:
        page.fill(f"#score-{code}", "9")
    page.fill("#score-records", "8")
    page.fill("#score-stations", "30")
    page.fill("#reason-stations", "新建服务站已投用，面积数据尚未更新")
    take_step(page, "score")
    assert status(page) == "省级复核"
    override = page.get_by_test_id("override-stations").inner_text()
    assert override == "自动计分 10.00，上级调整为 30.00：新建服务站已投用，面积数据尚未更新"
    sign_out(page)

    # The province: review, then finalise (the automatic scores are frozen).
    for code, score in (("620103", "9.5"), ("620201", "7.5")):
        take_through(Assessment.objects.get(unit_code=code), u, score=score)
    login(page, u["admin"].username)
    page.goto(sheet_url)
    take_step(page, "review")
    assert status(page) == "省级复核"
    take_step(page, "finalise")
    assert status(page) == "已定等"
    assert page.get_by_test_id("sheet-total").inner_text() == "83.00"
    assert page.get_by_test_id("sheet-grade").inner_text() == "良好"
    stations = ItemScore.objects.get(assessment=target, item__code="stations")
    assert stations.frozen and stations.reason.startswith("新建服务站")
    assert EvidenceFile.objects.filter(score__assessment=target).count() == 1

    # The ranking: 620103 first (40 + 57 = 97, 优秀), 620102 second (30 + 53 = 83, 良好).
    page.goto(f"{base}/assessment/schemes/{scheme.pk}/")
    row = page.get_by_test_id("rank-620102")
    assert re.search(r"良好", row.inner_text())
    assert "优秀" in page.get_by_test_id("rank-620103").inner_text()

    # Both pages at a desktop and a tablet width: the key columns stay in the window.
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/assessment/schemes/{scheme.pk}/")
        assert_no_page_scroll(page, width, "ranking")
        for key in ("rank", "unit", "total", "grade"):
            assert_in_view(page, f"[data-testid=rank-620102] [data-col={key}]", width, "ranking")
        screenshot(page, f"assessment-ranking-{width}")
        page.goto(sheet_url)
        assert_no_page_scroll(page, width, "sheet")
        for code in ("stations", "records"):
            assert_in_view(page, f"[data-testid=score-{code}]", width, "sheet")
        assert_in_view(page, "[data-testid=sheet-total]", width, "sheet")
        screenshot(page, f"assessment-sheet-{width}")
    assert not page.problems, page.problems
