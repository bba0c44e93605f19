"""Fixtures for browser tests: headless system Chromium against pytest-django's live server.

Every test here is marked ``browser``; the whole directory is skipped when
``/usr/bin/chromium`` is missing. Use ``@pytest.mark.django_db(transaction=True)`` and
``@pytest.mark.xdist_group("browser")`` with ``live_server``.
"""

import importlib
import os
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer

from tests.factories import PASSWORD

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parent.parent / "docs" / "screenshots"
LAPTOP = {"width": 1366, "height": 900}
TABLET = {"width": 768, "height": 1024}


def pytest_collection_modifyitems(config, items):
    """Mark every test of this directory ``browser``; skip them all without Chromium."""
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is not installed: browser tests need the system Chromium"
    )
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not os.path.exists(CHROMIUM):
                item.add_marker(skip)


class SerialAppServer(ThreadedWSGIServer):
    """The live server reading requests in threads but running the portal for one at a time.

    On SQLite the test database lives in memory with a shared cache: two requests of one page
    at once (a dashboard's chart data beside its progress data) can find a table locked by the
    other ("database table is locked: django_session") and answer 500. The application runs
    under one lock, its response read to the end inside it; connections are still accepted
    and read in parallel, so a browser's idle preconnected socket blocks nothing.
    """

    def set_app(self, application):
        lock = threading.Lock()

        def serial(environ, start_response):
            with lock:
                result = application(environ, start_response)
                try:
                    body = list(result)
                finally:
                    if hasattr(result, "close"):
                        result.close()
            return body

        super().set_app(serial)


@pytest.fixture(scope="session", autouse=True)
def serial_live_server_on_sqlite():
    """Run the live server's requests one at a time where the database is in-memory SQLite."""
    from django.db import connection
    from django.test.testcases import LiveServerThread

    if connection.vendor != "sqlite":
        yield
        return
    previous = LiveServerThread.server_class
    LiveServerThread.server_class = SerialAppServer
    try:
        yield
    finally:
        LiveServerThread.server_class = previous


@pytest.fixture(autouse=True)
def current_plan_row(request):
    """Put the 十二五 plan back for live-server tests.

    Transactional tests flush every table when they end, the plan created by the data
    migration included; the engine needs it, so each browser test recreates it.
    """
    if "live_server" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    migration = importlib.import_module("targets.migrations.0002_twelfth_five_year_plan")
    migration.create_plan(apps, None)


@pytest.fixture(scope="module")
def playwright_instance():
    """Start Playwright for one test module.

    Playwright's sync API keeps an event loop running in this thread, and Django refuses
    ORM calls beside a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set only
    while a browser module runs (never in settings, never for the other tests, whose
    subprocesses such as ``check --deploy`` would inherit it).
    """
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as pw:
            yield pw
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="module")
def browser(playwright_instance):
    """A headless system Chromium shared by the module's tests (never ``playwright install``)."""
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def new_context(browser, viewport=None):
    """Open a Chinese-locale context in Shanghai time at the given viewport (laptop by default)."""
    return browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=viewport or LAPTOP,
        device_scale_factor=1,
    )


@pytest.fixture
def context(browser):
    ctx = new_context(browser)
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A page that records console errors and failed page requests in ``page.problems``."""
    page = context.new_page()
    problems: list[str] = []

    def on_console(msg):
        if msg.type == "error":
            where = msg.location or {}
            problems.append(f"console: {msg.text} [{where.get('url')}:{where.get('lineNumber')}]")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on(
        "response",
        lambda resp: (
            problems.append(f"{resp.status} {resp.url}")
            if resp.status >= 500 or ("/static/" in resp.url and resp.status >= 400)
            else None
        ),
    )
    page.problems = problems
    yield page
    settle(page)
    page.close()


def settle(page):
    """Wait until the page's own requests (htmx loads) are answered.

    A request still running on the live server when the test ends would race the database
    flush that ends a transactional test.
    """
    try:
        page.wait_for_load_state("networkidle", timeout=10_000)
    except Exception:  # noqa: BLE001 - a page that never settles is not this test's failure
        pass


@pytest.fixture
def login(live_server):
    """Return ``login(page, username, password=PASSWORD)``: sign in through the login form."""

    def do_login(page, username: str, password: str = PASSWORD):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("button[type=submit]")
        dashboard_ready(page)
        settle(page)  # the header's fragments (unread messages, reporting figure) load after
        return page

    return do_login


def dashboard_ready(page):
    """On a dashboard, wait until both charts are drawn (the progress data comes separately).

    Leaving the page earlier would abort that request in the browser while the live server
    still computes it, racing the database flush at the end of the test.
    """
    if page.locator("#progress-chart").count():
        page.wait_for_selector("#progress-chart[data-ready]", timeout=30_000)
    if page.locator("#bar-data").count():
        page.wait_for_selector("#bar-chart[data-ready]", timeout=30_000)
    if page.locator("#map-data").count():
        page.wait_for_selector("#map-chart[data-ready]", timeout=30_000)


@pytest.fixture
def screenshot(tmp_path_factory):
    """Return ``screenshot(page, name)``: save a full-page PNG.

    The PNGs go to docs/screenshots/ only with ``UPDATE_SCREENSHOTS=1`` (to refresh the
    README's pictures); an ordinary test run keeps them in a temporary folder, so running the
    suite never changes the working tree.
    """
    target = (
        SCREENSHOTS
        if os.environ.get("UPDATE_SCREENSHOTS") == "1"
        else tmp_path_factory.mktemp("shots")
    )

    def take(page, name: str, *, full_page: bool = True):
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
