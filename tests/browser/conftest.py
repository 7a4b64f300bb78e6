"""A real Chromium (Debian's package) driven by Playwright against the live test server."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from staff.roles import VIEWERS
from tests.admin_records import make_every_kind_of_record, make_groups
from tests.browser.admin_screens import PASSWORD

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""


def pytest_collection_modifyitems(config, items):
    if chromium_path():
        return
    if os.environ.get("CI"):
        # .ci/run installs Chromium; in CI a missing browser is a failure, never a skip.
        raise pytest.UsageError("CI is set but Chromium is missing: install Debian's chromium.")
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the
    # tests stay synchronous and are safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts():
    # Shared by parallel workers: every test writes files of its own name, and making the
    # folder twice at once is harmless.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def records(seed):
    """The seed and a record of every kind the admin lists (tests/admin_records.py)."""
    make_every_kind_of_record()


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("chief", "", PASSWORD)


@pytest.fixture
def viewer(django_user_model):
    make_groups()
    user = django_user_model.objects.create_user("reader", "", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=VIEWERS))
    return user
