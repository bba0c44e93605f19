"""The pages of the 目标考核 through the test client: the ranking, a unit's score sheet, the
entry form of each stage, and the evidence files — with their scope before and after
finalisation, and their query counts (the ranking's does not grow with the units)."""

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment import services
from assessment.models import Assessment, EvidenceFile, ItemScore
from streets.models import Division
from tests.factories import make_hierarchy

from .helpers import build_province, make_scheme, take_through, users

pytestmark = pytest.mark.django_db

# Session and user; the scheme, its items, last year's scheme, the rounds, their scores and
# last year's totals; the header's area name; the session saved (with its savepoint).
PINNED_RANKING_PAGE_QUERIES = 12
# Session and user; the round, its scheme, its scores with their items, their files; the
# header's area name; the session saved.
PINNED_SHEET_PAGE_QUERIES = 10
# Session and user; the file with its round; the session saved.
PINNED_FILE_QUERIES = 6


@pytest.fixture
def world():
    communities = build_province()
    u = users()
    scheme = make_scheme(user=u["admin"])
    services.scheme_launch(scheme=scheme, user=u["admin"])
    rounds = {a.unit_code: a for a in scheme.assessments.select_related("scheme")}
    return {"u": u, "scheme": scheme, "rounds": rounds, "communities": communities}


def as_user(client, user):
    client.force_login(user)
    return client


def page_queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries), response


def fresh(assessment):
    return Assessment.objects.select_related("scheme").get(pk=assessment.pk)


# -- the ranking ---------------------------------------------------------------------------


def test_the_ranking_page_shows_rank_grade_item_scores_and_the_change(world, client):
    u = world["u"]
    last = make_scheme(user=u["admin"], year=2014)
    services.scheme_launch(scheme=last, user=u["admin"])
    take_through(last.assessments.get(unit_code="620103"), u, records="40")  # 80 in 2014
    take_through(world["rounds"]["620103"], u, records="55")  # 95
    url = reverse("assessment-ranking", args=[world["scheme"].pk])
    body = as_user(client, u["admin"]).get(url).content.decode()
    assert "2015年度社区服务体系建设目标考核考核结果" in body
    row = body[body.index('data-testid="rank-620103"') :]
    row = row[: row.index("</tr>")]
    assert ">1<" in row and "优秀" in row and "95.00" in row and "+15.00" in row
    assert "40.00" in row and "55.00" in row  # each item's score
    assert "上年对照：2014年" in body


def test_the_ranking_page_query_count_does_not_grow_with_the_units(world, client):
    u = world["u"]
    last = make_scheme(user=u["admin"], year=2014)
    services.scheme_launch(scheme=last, user=u["admin"])
    take_through(world["rounds"]["620103"], u, records="55")
    client = as_user(client, u["admin"])
    url = reverse("assessment-ranking", args=[world["scheme"].pk])
    small, response = page_queries(client, url)
    assert response.content.decode().count('data-testid="rank-') == 3
    for n in range(4, 12):
        make_hierarchy(prefecture="6201", county=f"6201{n:02d}", street=f"6201{n:02d}001")
    services.scheme_launch(scheme=world["scheme"], user=u["admin"])
    for code in ("620104", "620105"):
        take_through(Assessment.objects.get(unit_code=code), u, records="30")
    large, response = page_queries(client, url)
    assert Division.objects.filter(level="county").count() == 11
    assert response.content.decode().count('data-testid="rank-') == 11
    assert large == small
    assert small == PINNED_RANKING_PAGE_QUERIES, small


def test_a_county_official_sees_only_its_own_row_until_the_others_are_final(world, client):
    u = world["u"]
    client = as_user(client, u["neighbour"])  # 620103
    url = reverse("assessment-ranking", args=[world["scheme"].pk])
    body = client.get(url).content.decode()
    assert 'data-testid="rank-620103"' in body
    assert 'data-testid="rank-620102"' not in body and 'data-testid="rank-620201"' not in body
    take_through(world["rounds"]["620102"], u)
    body = client.get(url).content.decode()
    assert 'data-testid="rank-620102"' in body  # published once final
    assert 'data-testid="rank-620201"' not in body


# -- the score sheet ------------------------------------------------------------------------


def test_the_score_sheet_has_the_columns_of_an_official_sheet(world, client):
    u = world["u"]
    url = reverse("assessment-sheet", args=[world["rounds"]["620102"].pk])
    count, response = page_queries(as_user(client, u["county"]), url)
    body = response.content.decode()
    for column in ("考核内容", "考核标准", "分值", "考核方式", "得分"):
        assert f"<th>{column}</th>" in body or f'<th class="num">{column}</th>' in body
    assert "“社区服务站”达标率达到80%及以上得满分" in body or "达到80%及以上得满分" in body
    assert 'data-testid="entry-form"' in body  # the unit's own official self-assesses
    assert count == PINNED_SHEET_PAGE_QUERIES, count


def test_a_county_official_never_sees_another_countys_sheet_before_finalisation(world, client):
    u = world["u"]
    target = world["rounds"]["620102"]
    urls = [
        reverse("assessment-sheet", args=[target.pk]),
        reverse("assessment-sheet-xlsx", args=[target.pk]),
    ]
    neighbour = as_user(client, u["neighbour"])
    for url in urls:
        assert neighbour.get(url).status_code == 404
    take_through(target, u, finalise=False)  # under review: still not published
    for url in urls:
        assert neighbour.get(url).status_code == 404
    services.assessment_finalise(
        assessment=fresh(target), user=u["admin"], expected_version=fresh(target).version
    )
    response = neighbour.get(urls[0])
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="entry-form"' not in body and "定等（" not in body  # read only
    assert neighbour.get(urls[1]).status_code == 200


def test_another_prefecture_may_neither_see_nor_score_a_sheet(world, client):
    u = world["u"]
    target = world["rounds"]["620102"]
    other = as_user(client, u["other_prefecture"])
    assert other.get(reverse("assessment-sheet", args=[target.pk])).status_code == 404
    response = other.post(
        reverse("assessment-enter", args=[target.pk]),
        {"version": target.version, "score-records": "1"},
    )
    assert response.status_code == 404
    assert ItemScore.objects.get(assessment=target, item__code="records").self_score is None


# -- the entry form and the evidence --------------------------------------------------------


def upload(name="台账.pdf", content=b"%PDF-1.4 evidence"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_county_self_assesses_with_evidence_and_submits(world, client):
    u = world["u"]
    target = world["rounds"]["620102"]
    client = as_user(client, u["county"])
    response = client.post(
        reverse("assessment-enter", args=[target.pk]),
        {
            "version": target.version,
            "score-records": "55",
            "evidence-records": "台账齐全，见附件",
            "files-records": upload(),
            "step": "submit",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "自评已提交上级评分（上传佐证材料1份）" in body
    score = ItemScore.objects.get(assessment=target, item__code="records")
    assert (score.self_score, score.evidence) == (D("55.00"), "台账齐全，见附件")
    assert fresh(target).status == "scoring"
    evidence = EvidenceFile.objects.get(score=score)
    assert reverse("assessment-file", args=[evidence.pk]) in body
    assert 'data-testid="entry-form"' not in body  # the county may no longer enter


def test_a_file_of_a_kind_not_allowed_is_refused_in_chinese(world, client):
    u = world["u"]
    target = world["rounds"]["620102"]
    response = as_user(client, u["county"]).post(
        reverse("assessment-enter", args=[target.pk]),
        {
            "version": target.version,
            "score-records": "55",
            "files-records": upload("run.exe", b"MZ"),
        },
        follow=True,
    )
    assert "佐证材料只能是图片、PDF、Word 或 Excel 文件" in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert ItemScore.objects.get(assessment=target, item__code="records").self_score is None


def test_a_stale_form_is_refused(world, client):
    u = world["u"]
    target = world["rounds"]["620102"]
    client = as_user(client, u["county"])
    url = reverse("assessment-enter", args=[target.pk])
    assert client.post(url, {"version": target.version, "score-records": "50"}).status_code == 302
    response = client.post(url, {"version": target.version, "score-records": "40"}, follow=True)
    assert ItemScore.objects.get(assessment=target, item__code="records").self_score == D("50")
    assert "该记录已被他人修改，请刷新后查看最新内容再保存" in response.content.decode()


def test_evidence_is_downloaded_by_those_who_see_the_sheet_only(world, client):
    u = world["u"]
    target = world["rounds"]["620102"]
    as_user(client, u["county"]).post(
        reverse("assessment-enter", args=[target.pk]),
        {"version": target.version, "score-records": "55", "files-records": upload()},
    )
    evidence = EvidenceFile.objects.get()
    url = reverse("assessment-file", args=[evidence.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    assert "attachment" in response["Content-Disposition"]
    assert len(queries) == PINNED_FILE_QUERIES, len(queries)
    for key in ("prefecture", "admin"):
        assert as_user(client, u[key]).get(url).status_code == 200
    for key in ("neighbour", "other_prefecture"):
        assert as_user(client, u[key]).get(url).status_code == 404
    take_through(fresh(target), u, records="55")
    assert as_user(client, u["neighbour"]).get(url).status_code == 200  # published with the sheet


def test_the_prefecture_overrides_only_with_a_reason_and_the_sheet_keeps_both(world, client):
    u = world["u"]
    target = services.assessment_submit(
        assessment=world["rounds"]["620102"],
        user=u["county"],
        entries=[{"item": "records", "score": "50"}],
    )
    client = as_user(client, u["prefecture"])
    url = reverse("assessment-enter", args=[target.pk])
    response = client.post(
        url, {"version": target.version, "score-records": "50", "score-stations": "30"}, follow=True
    )
    assert "理由" in response.content.decode()
    stations = ItemScore.objects.get(assessment=target, item__code="stations")
    assert stations.score is None
    response = client.post(
        url,
        {
            "version": target.version,
            "score-records": "50",
            "score-stations": "30",
            "reason-stations": "新建站已投用，台账未及时录入",
            "step": "score",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "评分已提交省级复核" in body
    stations.refresh_from_db()
    assert (stations.computed, stations.score) == (D("10.00"), D("30.00"))
    assert stations.reason == "新建站已投用，台账未及时录入"
    assert "自动计分 10.00，上级调整为 30.00：新建站已投用，台账未及时录入" in body
    assert fresh(target).total == D("80.00")


def test_the_province_reviews_and_finalises_and_the_sheet_is_frozen(world, client):
    u = world["u"]
    target = take_through(world["rounds"]["620102"], u, finalise=False)
    client = as_user(client, u["admin"])
    sheet = reverse("assessment-sheet", args=[target.pk])
    body = client.get(sheet).content.decode()
    assert 'data-testid="step-finalise"' in body
    response = client.post(
        reverse("assessment-step", args=[target.pk, "finalise"]),
        {"version": fresh(target).version},
        follow=True,
    )
    body = response.content.decode()
    assert "已定等" in body and "已锁定" in body and "第1名" in body
    assert 'data-testid="entry-form"' not in body


# -- the rules the issue names, through the round -------------------------------------------


def test_a_tie_at_the_quota_line_shares_the_rank_and_neither_is_excellent(world, client):
    """Quota 0.4 of 3 units is one 优秀 place; two units tie on total, automatic subtotal and
    deductions at rank 1: the shared rank crosses the line, so both are 良好."""
    u = world["u"]
    override = [{"item": "stations", "score": "35", "reason": "实地核查认定"}]
    for code in ("620102", "620103"):
        take_through(world["rounds"][code], u, records="60", entries=override)
    take_through(world["rounds"]["620201"], u, records="30")
    rows = {a.unit_code: (a.rank, a.total, a.grade) for a in Assessment.objects.all()}
    assert rows == {
        "620102": (1, D("95.00"), "good"),
        "620103": (1, D("95.00"), "good"),
        "620201": (3, D("30.00"), "fail"),
    }
    body = as_user(client, u["admin"]).get(reverse("assessment-ranking", args=[world["scheme"].pk]))
    text = body.content.decode()
    row = text[text.index('data-testid="rank-620102"') :]
    assert "良好" in row[: row.index("</tr>")]


def test_a_tie_broken_by_the_automatic_subtotal_gives_the_place(world):
    u = world["u"]
    take_through(
        world["rounds"]["620102"],
        u,
        records="60",
        entries=[{"item": "stations", "score": "30", "reason": "实地核查认定"}],
    )  # 30 + 60 = 90
    take_through(world["rounds"]["620103"], u, records="50")  # 40 + 50 = 90
    rows = {a.unit_code: (a.rank, a.grade) for a in Assessment.objects.exclude(rank=None)}
    assert rows == {"620103": (1, "excellent"), "620102": (2, "good")}


def test_a_final_sheet_keeps_its_frozen_scores_and_override_after_the_data_changes(world, client):
    from tests.factories import make_facility

    u = world["u"]
    final = take_through(
        world["rounds"]["620102"],
        u,
        records="50",
        entries=[{"item": "stations", "score": "20", "reason": "部分服务站未达标准"}],
    )
    make_facility(community=world["communities"][1], area="420", name="新建站")
    services.assessments_refresh(list(Assessment.objects.select_related("scheme")))
    stations = ItemScore.objects.get(assessment=final, item__code="stations")
    assert (stations.computed, stations.score, stations.reason) == (
        D("10.00"),
        D("20.00"),
        "部分服务站未达标准",
    )
    assert fresh(final).total == D("70.00")
    body = as_user(client, u["county"]).get(reverse("assessment-sheet", args=[final.pk]))
    assert "自动计分 10.00，上级调整为 20.00：部分服务站未达标准" in body.content.decode()
