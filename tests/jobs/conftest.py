"""Fixtures of the job tests: the Excel tests' hierarchy and users, a worker run in-process,
the tasks backend of a test that runs a worker process (``backend``)."""

import io

import pytest
from django_tasks_db.management.commands.db_worker import Worker

from tests.excel.conftest import admin, communities, staff, xlsx  # noqa: F401
from tests.excel.test_import_volunteers import HEADER, row  # noqa: F401
from tests.factories import make_user


def run_worker() -> None:
    """Run the database backend's worker until no task is left (``db_worker --batch``)."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def upload(rows, name="志愿者.xlsx"):
    return as_upload(xlsx(HEADER, rows, title="注册志愿者"), name)


def as_upload(data: bytes, name="志愿者.xlsx"):
    """Return the bytes of a workbook as an uploaded file (the same file each time)."""
    f = io.BytesIO(data)
    f.name = name
    return f


@pytest.fixture
def other_staff(communities):  # noqa: F811
    """Staff of the other county (620201001): outside the first staff's scope."""
    return make_user("staff-out", role="staff", scope_code="620201001")


@pytest.fixture
def official(communities):  # noqa: F811
    """A prefecture official of 6201, above the first staff."""
    return make_user("official1", role="official", scope_code="6201")


def many_rows(count: int) -> list[list]:
    """Return ``count`` valid volunteer rows with distinct ID numbers."""
    import datetime

    from tests.excel.test_import_volunteers import id_number

    start = datetime.date(1960, 1, 1)
    rows = []
    for i in range(count):
        birth = (start + datetime.timedelta(days=i // 900)).strftime("%Y%m%d")
        rows.append(row(seq=i % 900 + 1, id=id_number(i % 900 + 1, birth=birth)))
    return rows


REDIS_URL = "redis://127.0.0.1:6379/10"


def redis_up() -> bool:
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 — no client or no server: the RQ runs are skipped
        return False


@pytest.fixture(
    params=[
        "db",
        pytest.param(
            "rq",
            marks=[
                pytest.mark.skipif(not redis_up(), reason="no Redis on 127.0.0.1:6379"),
                # one Redis queue for every test database: one xdist worker at a time
                pytest.mark.xdist_group("rq"),
            ],
        ),
    ]
)
def backend(request, settings):
    """The tasks backend of this run; for RQ, this process enqueues into the local Redis."""
    if request.param == "rq":
        import django_rq

        settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
        }
        queue = django_rq.get_queue("default")
        queue.empty()
        yield "rq"
        queue.empty()
    else:
        yield "db"
