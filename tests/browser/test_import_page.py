"""The import page in Chromium: the chosen layout's columns and templates, the others hidden."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_import_page_shows_the_chosen_layouts_columns(
    live_server, desktop, django_user_model, artifacts
):
    page = desktop
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    django_user_model.objects.create_superuser("clerk", "", "correct horse battery")
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")

    page.goto(live_server.url + reverse("admin:exchanges_exchangestatistic_import"))
    published = page.locator('section.import-layout[data-resource="0"]')
    plain = page.locator('section.import-layout[data-resource="1"]')
    assert published.is_visible() and not plain.is_visible()
    assert published.locator("th[scope=row]").all_inner_texts() == [
        "Country/Region",
        "Number of researchers",
    ]

    page.select_option("#id_resource", label="Researcher counts: plain table")

    assert plain.is_visible() and not published.is_visible()
    assert plain.locator("th[scope=row]").all_inner_texts() == [
        "Academic year",
        "Direction",
        "Country/Region",
        "Researchers",
    ]
    assert page.locator("input[type=submit]").get_attribute("value") == "Preview"
    page.screenshot(path=artifacts / "import-page-plain-table.png", full_page=True)
    with page.expect_download() as download:
        plain.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename == "researcher-counts-plain-table-template.xlsx"
    assert not errors
