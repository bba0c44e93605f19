"""The 资金投入 page: cards per cost type and source, the rule per child, drill-down, scoping."""

import pytest

from tests.factories import make_user

from .helpers import line, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines():
    world()
    line("620102", 2012, budgeted="100")
    line("620102", 2013, budgeted="90")  # falling
    line("620103", 2012, budgeted="50")
    line("620103", 2013, budgeted="50")  # flat
    line("6201", 2012, budgeted="200")
    line("6201", 2013, "worker_pay", budgeted="260", allocated="250", spent="240")


def test_page_shows_money_rule_and_falling_children(client, lines):
    client.force_login(make_user("p", role="official", scope_code="6201"))
    response = client.get("/funding/6201/", {"year": 2013})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="special-fund">260.00<' in text
    assert "逐年增长" in text
    assert 'data-testid="falling-list"' in text
    assert 'href="/funding/620102/?year=2013"' in text  # drill-down
    assert 'data-trend="flat"' in text
    assert "funding-data" in text
    assert 'data-testid="import-budget-lines"' in text  # 兰州's own officials enter its lines
    county_page = client.get("/funding/620102/", {"year": 2013}).content.decode()
    assert 'data-testid="import-budget-lines"' not in county_page  # not the county's


def test_page_is_scoped(client, lines):
    client.force_login(make_user("c", role="official", scope_code="620103"))
    assert client.get("/funding/620102/").status_code == 404
    assert client.get("/funding/620103/").status_code == 200
    assert client.get("/funding/620103001001/").status_code == 404  # communities keep no budget
