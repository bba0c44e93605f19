"""Tried as a hostile user would: no write reaches a row outside the user's scope or role.

Every way of changing data (portal forms and actions, REST API create/update/delete and
approval actions, Django admin delete and bulk delete, Excel import by page and API) is posted
with a payload that would be accepted from someone allowed to write there. Users of the other
roles post it against the community outside their scope (and officials, who write nothing,
inside it too): the answer is 403 or 404 (400 for an import whose rows lie outside) and not one
byte of the database changes. The administrator then posts the same payload and the data does
change, which shows the payload itself was good.
"""

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from openpyxl import Workbook

from communities.models import Community

from .matrix_world import OUTSIDE, Objects, build_objects, fingerprint
from .worlds import make_person

pytestmark = pytest.mark.django_db

@dataclass
class Write:
    """One way of changing data: method, path and payload for the inside or outside target."""

    name: str
    method: str
    path: Callable[[str, Objects], str]
    data: Callable[[str, Objects], dict | bytes] = lambda side, o: {}
    fmt: str = "form"  # form, json or multipart
    approval: bool = False  # an official's action (approve/return) rather than a data write
    refused: set = field(default_factory=lambda: {403, 404})


def _on(kind, pattern):
    return lambda side, o: pattern.format(pk=o(kind, side).pk, code=getattr(o(kind, side), "code", ""))


def _version(kind, extra=None):
    def data(side, o):
        values = {"version": o(kind, side).version}
        values.update(extra or {})
        return values

    return data


_serial = iter(range(500_000, 10**9))


def _stat_form(side, o):
    return {"year": 2014, "households": 900, "residents": 2500, "party_members": 90,
            "party_members_volunteering": 60, "residents_volunteering": 700}


def _facility_form(side, o):
    return {"name": "新建服务站", "kind": "station", "floor_area": "350", "opened_on": "2013-01-01",
            "construction_mode": "new_build", "address": "某路1号"}


def _volunteer_form(side, o):
    return {"name": "新志愿者", **make_person(next(_serial)), "phone": "13912345678",
            "registered_on": "2013-01-01", "service_categories": ["elderly"], "is_party_member": ""}


def _worker_form(side, o):
    return {"name": "新工作者", "gender": "male", "role": "member", "education": "bachelor",
            "social_work_qualification": "none", "recruitment": "hiring", "hired_on": "2013-01-01"}


def _with_version(kind, form):
    return lambda side, o: {**form(side, o), "version": o(kind, side).version}


def _workbook(side, o) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "注册志愿者"
    sheet.append(["社区代码", "姓名", "性别", "身份证号码", "联系电话", "是否党员", "注册日期"])
    person = make_person(next(_serial))
    gender = {"male": "男", "female": "女"}[person["gender"]]
    sheet.append([o("community", side).code, "导入志愿者", gender, person["id_number"], "13900001111", "否", "2013-03-01"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PORTAL = [
    Write("community edit", "post", _on("community", "/communities/{code}/edit/"), lambda s, o: {"digital_3d_completed_on": "2014-06-01"}),
    Write("stat create", "post", _on("community", "/communities/{code}/stats/new/"), _stat_form),
    Write("stat edit", "post", _on("stat", "/stats/{pk}/edit/"), _with_version("stat", _stat_form)),
    Write("stat delete", "post", _on("stat", "/stats/{pk}/delete/"), _version("stat")),
    Write("stat submit", "post", _on("stat", "/stats/{pk}/submit/"), _version("stat")),
    Write("stat approve", "post", _on("stat_submitted", "/stats/{pk}/approve/"), _version("stat_submitted"), approval=True),
    Write("stat return", "post", _on("stat_submitted", "/stats/{pk}/return/"), _version("stat_submitted", {"reason": "数据有误"}), approval=True),
    # Bulk approval keeps only the ticked rows the official may see: the outside one is skipped.
    Write("approvals bulk", "post", lambda s, o: "/approvals/approve/",
          lambda s, o: {"stat": [o("stat_submitted", s).pk], f"version-{o('stat_submitted', s).pk}": o("stat_submitted", s).version},
          approval=True, refused={302, 403}),
    Write("social organisation create", "post", _on("community", "/communities/{code}/social-organizations/new/"),
          lambda s, o: {"name": "新社会组织", "category": "elderly", "registered_on": "2013-01-01"}),
    Write("social organisation edit", "post", _on("social_organization", "/social-organizations/{pk}/edit/"),
          _with_version("social_organization", lambda s, o: {"name": "改名组织", "category": "elderly", "registered_on": "2013-01-01"})),
    Write("social organisation delete", "post", _on("social_organization", "/social-organizations/{pk}/delete/"), _version("social_organization")),
    Write("facility create", "post", _on("community", "/communities/{code}/facilities/new/"), _facility_form),
    Write("centre create", "post", _on("street", "/streets/{code}/facilities/new/"),
          lambda s, o: {**_facility_form(s, o), "kind": "centre", "name": "第二服务中心"}),
    Write("facility edit", "post", _on("facility", "/facilities/{pk}/edit/"), _with_version("facility", _facility_form)),
    Write("facility delete", "post", _on("facility", "/facilities/{pk}/delete/"), _version("facility")),
    Write("volunteer organisation create", "post", _on("community", "/communities/{code}/volunteer-organizations/new/"),
          lambda s, o: {"name": "新志愿队", "registered_on": "2013-01-01"}),
    Write("volunteer organisation edit", "post", _on("volunteer_organization", "/volunteer-organizations/{pk}/edit/"),
          _with_version("volunteer_organization", lambda s, o: {"name": "改名志愿队", "registered_on": "2013-01-01"})),
    Write("volunteer organisation delete", "post", _on("volunteer_organization", "/volunteer-organizations/{pk}/delete/"),
          _version("volunteer_organization")),
    Write("volunteer create", "post", _on("community", "/communities/{code}/volunteers/new/"), _volunteer_form),
    Write("volunteer edit", "post", _on("volunteer", "/volunteers/{pk}/edit/"), _with_version("volunteer", _volunteer_form)),
    Write("volunteer delete", "post", _on("volunteer", "/volunteers/{pk}/delete/"), _version("volunteer")),
    Write("worker create", "post", _on("community", "/communities/{code}/workers/new/"), _worker_form),
    Write("worker edit", "post", _on("worker", "/workers/{pk}/edit/"), _with_version("worker", _worker_form)),
    Write("worker delete", "post", _on("worker", "/workers/{pk}/delete/"), _version("worker")),
    # The import page shows the row errors on the page itself (200); nothing is applied.
    Write("excel import page", "post", lambda s, o: "/excel/import/volunteers/", lambda s, o: {"file": _workbook(s, o)},
          fmt="multipart", refused={200, 400, 403}),
]

API_RESOURCES = [
    ("community-stats", "stat", lambda s, o: {**_stat_form(s, o), "community_code": o("community", s).code}),
    ("social-organizations", "social_organization",
     lambda s, o: {"community_code": o("community", s).code, "name": "接口组织", "category": "elderly", "registered_on": "2013-01-01"}),
    ("facilities", "facility", lambda s, o: {**_facility_form(s, o), "community_code": o("community", s).code}),
    ("volunteer-organizations", "volunteer_organization",
     lambda s, o: {"community_code": o("community", s).code, "name": "接口志愿队", "registered_on": "2013-01-01"}),
    ("volunteers", "volunteer",
     lambda s, o: {"community_code": o("community", s).code, "name": "接口志愿者",
                   **make_person(next(_serial)), "registered_on": "2013-01-01"}),
    ("workers", "worker", lambda s, o: {**_worker_form(s, o), "community_code": o("community", s).code, "name": "接口工作者"}),
]

API = [
    Write("api community update", "patch", _on("community", "/api/v1/communities/{code}/"),
          lambda s, o: {"digital_3d_completed_on": "2014-06-01"}, fmt="json"),
    Write("api stat submit", "post", _on("stat", "/api/v1/community-stats/{pk}/submit/"), _version("stat"), fmt="json"),
    Write("api stat approve", "post", _on("stat_submitted", "/api/v1/community-stats/{pk}/approve/"),
          _version("stat_submitted"), fmt="json", approval=True),
    Write("api stat return", "post", _on("stat_submitted", "/api/v1/community-stats/{pk}/return/"),
          _version("stat_submitted", {"reason": "数据有误"}), fmt="json", approval=True),
    Write("api volunteer import", "post", lambda s, o: "/api/v1/imports/volunteers/", lambda s, o: {"file": _workbook(s, o)},
          fmt="multipart", refused={400, 403}),
]
for slug, kind, body in API_RESOURCES:
    API += [
        Write(f"api {slug} create", "post", lambda s, o, slug=slug: f"/api/v1/{slug}/", body, fmt="json"),
        Write(f"api {slug} update", "patch", _on(kind, f"/api/v1/{slug}/{{pk}}/"),
              lambda s, o, kind=kind, body=body: {k: v for k, v in body(s, o).items() if k not in ("community_code", "id_number", "gender")} | {"version": o(kind, s).version},
              fmt="json"),
        Write(f"api {slug} delete", "delete", _on(kind, f"/api/v1/{slug}/{{pk}}/"), fmt="json"),
    ]

ADMIN_PAGES = {
    "communitystat": ("communities", "stat"),
    "socialorganization": ("communities", "social_organization"),
    "facility": ("facilities", "facility"),
    "facilityfunding": ("facilities", "funding"),
    "volunteerorganization": ("volunteers", "volunteer_organization"),
    "volunteer": ("volunteers", "volunteer"),
    "servicerecord": ("volunteers", "service_record"),
    "worker": ("workforce", "worker"),
    "training": ("workforce", "training"),
}
ADMIN = []
for model, (app, kind) in ADMIN_PAGES.items():
    ADMIN += [
        Write(f"admin {model} delete", "post", _on(kind, f"/admin/{app}/{model}/{{pk}}/delete/"), lambda s, o: {"post": "yes"}),
        Write(f"admin {model} bulk delete", "post", lambda s, o, app=app, model=model: f"/admin/{app}/{model}/",
              lambda s, o, kind=kind: {"action": "delete_selected", "_selected_action": [o(kind, s).pk], "post": "yes"},
              refused={200, 302, 403, 404}),
    ]

WRITES = PORTAL + API + ADMIN


def _send(client: Client, write: Write, side: str, o: Objects):
    path, data = write.path(side, o), write.data(side, o)
    if write.fmt == "json":
        return getattr(client, write.method)(path, data=json.dumps(data), content_type="application/json")
    if write.fmt == "multipart":
        upload = io.BytesIO(data["file"])
        upload.name = "志愿者.xlsx"
        return client.post(path, {"file": upload})
    return getattr(client, write.method)(path, data)


@pytest.fixture
def objects():
    return build_objects()


def test_hostile_writes_change_nothing_and_the_same_payload_works_for_the_administrator(objects):
    clients = {}
    for role in ("admin", "prefecture", "street", "staff"):
        clients[role] = Client()
        clients[role].force_login(objects.users[role])

    failures = []
    for write in WRITES:
        attempts = [(role, "out") for role in ("prefecture", "street", "staff")]
        if write.approval:
            attempts.append(("staff", "in"))
        else:
            attempts += [("prefecture", "in"), ("street", "in")]
        for role, side in attempts:
            before = fingerprint()
            response = _send(clients[role], write, side, objects)
            if fingerprint() != before:
                failures.append(f"{write.name}: {role} changed data {side}side the scope (answer {response.status_code})")
            elif response.status_code not in write.refused:
                failures.append(f"{write.name}: {role} {side} got {response.status_code}, expected {sorted(write.refused)}")
        # The payload is a good one: the administrator's identical request changes the data.
        with transaction.atomic():
            before = fingerprint()
            response = _send(clients["admin"], write, "out", objects)
            changed = fingerprint() != before
            transaction.set_rollback(True)
        if not changed or response.status_code >= 400:
            failures.append(f"{write.name}: the administrator's request did not apply ({response.status_code}), so the payload proves nothing")
    assert not failures, "\n".join(failures)


def test_the_outside_community_is_really_outside(objects):
    assert objects("community", "out").code == OUTSIDE
    for role in ("prefecture", "street", "staff"):
        assert not Community.objects.visible_to(objects.users[role]).filter(code=OUTSIDE).exists()
