"""A scheme's counted items add up to its base score: the model's clean() refuses otherwise,
so the admin (scheme with its inline items) and the API both refuse, in Chinese."""

import json
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from assessment import services
from assessment.models import Scheme, SchemeItem

from .helpers import ITEMS, build_province, make_scheme, users

pytestmark = pytest.mark.django_db

MESSAGE = "计分考核项分值合计为100分，与基本分90分不一致（加分、扣分、一票否决项不计入基本分）。"


def test_bonus_deduction_and_veto_items_lie_outside_the_base():
    scheme = make_scheme()  # 40 + 60 counted; bonus 5, deduction 10, veto 0 left out
    assert scheme.base_score == D("100")
    scheme.full_clean()
    assert scheme.base_score_errors(list(scheme.items.all())) == []


def test_a_base_score_changed_alone_is_refused_by_clean():
    scheme = make_scheme()
    scheme.base_score = D("90")
    with pytest.raises(ValidationError) as error:
        scheme.full_clean()
    assert error.value.message_dict["base_score"] == [MESSAGE]


def test_a_scheme_without_items_yet_is_not_checked():
    Scheme(year=2016, level="county", name="草案", base_score=D("100")).full_clean()


def test_the_api_refuses_a_base_score_the_items_do_not_make_up():
    u = users()
    scheme = make_scheme(user=u["admin"])
    client = APIClient()
    client.force_authenticate(u["admin"])
    url = f"/api/v1/assessment-schemes/{scheme.pk}/"
    response = client.patch(url, {"base_score": "90", "version": scheme.version}, format="json")
    assert response.status_code == 400, response.content
    assert MESSAGE in response.json()["base_score"]
    scheme.refresh_from_db()
    assert scheme.base_score == D("100.00")
    # Base score and items changed together, consistently: accepted.
    items = [dict(ITEMS[0], points="30"), *ITEMS[1:]]
    response = client.patch(
        url, {"base_score": "90", "items": items, "version": scheme.version}, format="json"
    )
    assert response.status_code == 200, response.content
    assert Scheme.objects.get(pk=scheme.pk).base_score == D("90.00")


def admin_post(scheme, items, **changes) -> dict:
    data = {
        "year": scheme.year,
        "level": scheme.level,
        "name": scheme.name,
        "base_score": str(scheme.base_score),
        "grades": '[{"grade": "excellent", "min_score": "90"}, {"grade": "good", '
        '"min_score": "80"}, {"grade": "pass", "min_score": "60"}, '
        '{"grade": "fail", "min_score": "0"}]',
        "excellent_quota": "0.2",
        "expected_version": scheme.version,
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(sum(1 for i in items if i.get("id"))),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for n, item in enumerate(items):
        for key in ("id", "position", "code", "name", "points", "method", "standard"):
            data[f"items-{n}-{key}"] = item.get(key, "")
        data[f"items-{n}-params"] = item.get("params_json", "{}")
        data[f"items-{n}-scheme"] = scheme.pk or ""
    data.update(changes)
    return data


def existing_rows(scheme):
    return [
        {
            "id": i.pk,
            "position": i.position,
            "code": i.code,
            "name": i.name,
            "points": str(i.points),
            "method": i.method,
            "params_json": json.dumps(i.params),
        }
        for i in scheme.items.all()
    ]


def test_the_admin_refuses_items_that_do_not_add_up_and_takes_those_that_do(client):
    u = users()
    scheme = make_scheme(user=u["admin"])
    u["admin"].is_staff = True
    u["admin"].save(update_fields=["is_staff"])
    client.force_login(u["admin"])
    url = reverse("admin:assessment_scheme_change", args=[scheme.pk])
    rows = existing_rows(scheme)
    rows[0]["points"] = "30"  # 30 + 60 = 90 against a base of 100
    response = client.post(url, admin_post(scheme, rows))
    assert response.status_code == 200
    assert "计分考核项分值合计为90分，与基本分100分不一致" in response.content.decode()
    assert SchemeItem.objects.get(scheme=scheme, code="stations").points == D("40.00")
    # The base score lowered to 90 on the same page: accepted, items and scheme together.
    response = client.post(url, admin_post(scheme, rows, base_score="90"))
    assert response.status_code == 302, response.content.decode()[:3000]
    scheme.refresh_from_db()
    assert scheme.base_score == D("90.00")
    assert SchemeItem.objects.get(scheme=scheme, code="stations").points == D("30.00")


def test_the_admin_refuses_a_base_score_alone_on_a_launched_scheme(client):
    build_province()
    u = users()
    scheme = make_scheme(user=u["admin"])
    services.scheme_launch(scheme=scheme, user=u["admin"])
    u["admin"].is_staff = True
    u["admin"].save(update_fields=["is_staff"])
    client.force_login(u["admin"])
    url = reverse("admin:assessment_scheme_change", args=[scheme.pk])
    data = admin_post(scheme, [], base_score="90")
    data["items-INITIAL_FORMS"] = str(scheme.items.count())
    data["items-TOTAL_FORMS"] = str(scheme.items.count())
    for n, item in enumerate(scheme.items.all()):
        data[f"items-{n}-id"] = item.pk
        data[f"items-{n}-scheme"] = scheme.pk
    response = client.post(url, data)
    assert response.status_code == 200
    assert "与基本分90分不一致" in response.content.decode()
    assert Scheme.objects.get(pk=scheme.pk).base_score == D("100.00")
