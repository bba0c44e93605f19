"""Property-based run over every operation of /api/schema/: no input makes the server answer 5xx."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from gansu_community.wsgi import application
from tests.factories import make_hierarchy, make_stat, make_user


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Do what Django's test client does: requests must not close the test's connection.

    schemathesis calls the WSGI application directly, so ``request_finished`` would run
    ``close_old_connections`` and, on PostgreSQL, end the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    make_hierarchy(communities=2)
    make_stat(make_hierarchy(prefecture="6202", county="620201", street="620201001")[0])
    return schemathesis.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def token(db):
    admin = make_user("schemathesis_admin", role="admin", scope_code="62")
    from tests.factories import make_token

    return make_token(admin)


# ST_ENDPOINT narrows the run to matching paths while debugging one operation.
schema = schemathesis.from_pytest_fixture("api_schema", endpoint=os.environ.get("ST_ENDPOINT"))


@schema.parametrize()
@settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error(case, token):
    response = case.call_wsgi(headers={"Authorization": f"Token {token}"})
    case.validate_response(response, checks=(not_a_server_error,))
