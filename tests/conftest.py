"""Shared fixtures: a pinned clock, users of every role, API clients, a real Celery worker,
headless Chromium."""

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from tests.support.browser import ARTIFACTS
from tests.support.factories import UserFactory, VendorFactory
from tests.support.openapi import openapi_schema

# Every test starts at this instant and the clock ticks from there, so no test depends on the
# day, the hour or the season it runs in. TEST_CLOCK=<ISO instant> starts every test elsewhere,
# to look for hidden wall-clock dependencies: e.g. TEST_CLOCK=2026-12-05T23:30:00Z (the local
# date is a day ahead of UTC's) or TEST_CLOCK=2027-03-27T23:30:00Z (midnight on the day that
# summer time starts).
PINNED_CLOCK = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)


def pinned_instant() -> datetime:
    value = os.environ.get("TEST_CLOCK", "")
    if not value:
        return PINNED_CLOCK
    instant = datetime.fromisoformat(value)
    if instant.tzinfo is None:
        raise ValueError(f"TEST_CLOCK={value!r} needs a UTC offset (...Z or +01:00)")
    return instant


@pytest.fixture(scope="session", autouse=True)
def message_catalogs():
    """Build locale/*/*.mo when one is missing or older than its .po (they are not committed;
    `make test` builds them first, this covers a direct pytest run). Needs gettext's msgfmt."""
    from django.conf import settings
    from django.core.management import call_command

    stale = [
        po
        for root in settings.LOCALE_PATHS
        for po in Path(root).glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        languages = sorted({po.parts[-3] for po in stale})
        ignore = [".venv", "var", "staticfiles", "node_modules", "build"]
        call_command("compilemessages", locale=languages, ignore_patterns=ignore, verbosity=0)
    yield


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in English, whatever an earlier test's request activated: Django keeps
    the active language per thread, so a Dutch page in one test would otherwise make the next
    test's service messages Dutch. Tests that read another language ask for it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def clock(request):
    """The pinned clock (time-machine, ticking); `clock.move_to(...)` moves it.

    Browser and worker tests keep the real clock: Chromium, Redis and worker processes live on
    it (cookie expiry, task ETAs), and a clock pinned in the past would expire their sessions.
    """
    if request.node.get_closest_marker("browser") or request.node.get_closest_marker("worker"):
        yield None
        return
    with time_machine.travel(pinned_instant(), tick=True) as traveller:
        yield traveller


@pytest.fixture
def vendor(db):
    return VendorFactory()


@pytest.fixture
def make_user(db):
    """Make a user of a role: `make_user("manager")`, `make_user("vendor", vendor=v)`."""

    def make(role: str, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def procurement_user(make_user):
    return make_user("procurement")


@pytest.fixture
def manager_user(make_user):
    return make_user("manager")


@pytest.fixture
def auditor_user(make_user):
    return make_user("auditor")


@pytest.fixture
def admin_user_role(make_user):
    return make_user("admin")


@pytest.fixture
def vendor_user(make_user, vendor):
    return make_user("vendor", vendor=vendor)


@pytest.fixture
def api():
    """An API client; `api.force_authenticate(user)` to act as someone."""
    return APIClient()


@pytest.fixture
def api_as(db):
    """`api_as(user)` gives a client authenticated as that user."""

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture(scope="session")
def openapi():
    """The generated OpenAPI schema (validated), for `tests.support.openapi.check`."""
    return openapi_schema()


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker in a thread, consuming from the configured broker (Redis in tests)."""
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings

    from config.celery import app

    app.control.purge()
    # Every queue, as `make run`'s worker (-Q): production may run one worker per queue.
    with start_worker(app, perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING",
                      queues=list(settings.JOB_QUEUES)):  # fmt: skip
        yield app


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` are skipped when the database is not PostgreSQL (`make run`'s
    SQLite, the second half of `make test`)."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("postgresql"):
        return
    skip = pytest.mark.skip(
        reason=f"needs PostgreSQL (the database is {engine.rsplit('.', 1)[-1]})"
    )
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def browser(request, live_server):
    """Headless Chromium driven by Debian's chromedriver; a screenshot is saved on failure."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1366,900",
    ):
        options.add_argument(flag)
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    driver.implicitly_wait(5)
    driver.base_url = live_server.url
    yield driver
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / f"{request.node.name}.png"))
    driver.quit()


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test keeps the files it uploads and the reports it renders in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
