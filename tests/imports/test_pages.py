"""The import and export pages as a clerk reads them: layouts by name, their columns and
templates, a Preview button, changes before unchanged rows, titled columns and labels."""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from agreements.models import Agreement, Institution
from exchanges.models import ExchangeStatistic
from imports.models import ImportRecord
from places.models import Region
from tests.importing import (
    assert_nothing_to_change,
    confirm,
    export,
    import_url,
    page_text,
    upload_content,
)
from tests.spreadsheets import xlsx_from_rows

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def options_of(text, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', text, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def layout_section(text, index):
    """The import page's section for one layout, as the clerk reads it."""
    match = re.search(
        rf'<section class="import-layout module" data-resource="{index}">(.*?)</section>',
        text,
        re.S,
    )
    assert match, text
    return match.group(1)


def column_names(section):
    return re.findall(r'<th scope="row">([^<]*)</th>', section)


def template(client, model, index, extension):
    url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_import_template",
        args=[index, extension],
    )
    return client.get(url)


def rows_of(response, extension):
    if extension == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [
        ["" if cell is None else str(cell) for cell in row]
        for row in workbook.active.iter_rows(values_only=True)
    ]


def as_file(rows, extension):
    if extension == "xlsx":
        return xlsx_from_rows(rows)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


# -- the import page ---------------------------------------------------------------------------


def test_import_layouts_are_named_as_staff_know_them(seed, admin_client):
    statistics = page_text(admin_client.get(import_url(ExchangeStatistic)))
    agreements = page_text(admin_client.get(import_url(Agreement)))

    assert options_of(statistics, "resource") == [
        "Researcher counts: published layout",
        "Researcher counts: plain table",
    ]
    assert options_of(agreements, "resource") == ["Memoranda list", "Agreements: exported table"]
    assert "Layout of the file" in agreements
    for text in (statistics, agreements):
        assert "Resource" not in text  # no class names, no "Resource" label


def test_import_page_lists_each_layouts_own_columns_with_an_example(seed, admin_client):
    statistics = page_text(admin_client.get(import_url(ExchangeStatistic)))
    agreements = page_text(admin_client.get(import_url(Agreement)))
    institutions = page_text(admin_client.get(import_url(Institution)))

    published = layout_section(statistics, 0)
    assert column_names(published) == ["Country/Region", "Number of researchers"]
    assert "<td>Republic of Korea</td>" in published and "<td>166</td>" in published
    assert column_names(layout_section(statistics, 1)) == [
        "Academic year",
        "Direction",
        "Country/Region",
        "Researchers",
    ]
    memoranda = layout_section(agreements, 0)
    assert column_names(memoranda) == [
        "Country/Region",
        "Institution",
        "MOU",
        "SEA",
        "Japanese name",
    ]
    assert "<td>University of Bordeaux</td>" in memoranda
    assert column_names(layout_section(agreements, 1))[:3] == [
        "ID",
        "Institution (slug)",
        "Kind",
    ]
    columns = column_names(layout_section(institutions, 0))
    assert {"Japanese name", "ROR ID", "Published", "Kind"} <= set(columns)
    # Database field names are not columns of any layout.
    for text in (statistics, agreements, institutions):
        for field_name in ("name_ja", "ror_id", "is_published", "concluded_year"):
            assert field_name not in text
    # A record layout's example is a record of the office's own, choices by their labels.
    first = Institution.objects.first()
    assert f"<td>{first.slug}</td>" in layout_section(institutions, 0)
    assert "One of: University, Research institute" in institutions
    assert '<th scope="row">Name</th><td>' in institutions
    assert re.search(r'<th scope="row">Name</th><td>[^<]*</td><td>yes</td>', institutions)
    assert re.search(r'<th scope="row">Japanese name</th><td>[^<]*</td><td>no</td>', institutions)


def test_the_submit_button_says_preview(seed, admin_client):
    text = page_text(admin_client.get(import_url(Agreement)))

    assert 'type="submit" class="default" value="Preview"' in text
    assert 'value="Submit"' not in text


# -- templates ---------------------------------------------------------------------------------


TEMPLATES = [
    (ExchangeStatistic, 0, "researcher-counts-published-layout", None),
    (ExchangeStatistic, 1, "researcher-counts-plain-table", None),
    (Agreement, 0, "memoranda-list", None),
    (Agreement, 1, "agreements-exported-table", None),
    (Institution, 0, "institutions-exported-table", None),
]


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
@pytest.mark.parametrize(("model", "index", "name", "_"), TEMPLATES)
def test_each_layout_has_a_template_with_its_columns(
    seed, admin_client, model, index, name, _, extension
):
    page = page_text(admin_client.get(import_url(model)))
    response = template(admin_client, model, index, extension)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(XLSX_TYPE if extension == "xlsx" else "text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{name}-template.{extension}"'
    )
    assert response.request["PATH_INFO"] in page  # the page links to it
    headers = rows_of(response, extension)[0]
    assert headers == column_names(layout_section(page, index))


def test_templates_are_refused_to_those_who_may_not_import_and_unknown_ones_are_404(
    seed, admin_client, client
):
    assert template(admin_client, Agreement, 2, "xlsx").status_code == 404
    assert template(admin_client, Agreement, 0, "pdf").status_code == 404
    assert template(client, Agreement, 0, "xlsx").status_code == 302  # to the login page


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_published_template_filled_in_imports_cleanly(seed, admin_client, extension):
    rows = rows_of(template(admin_client, ExchangeStatistic, 0, extension), extension)
    assert rows[-1][0] == "Total" and rows[1][0] == "ASIA"
    europe = next(i for i, row in enumerate(rows) if row[0] == "EUROPE")
    # SYNTHETIC figures for a year the seed does not have.
    rows.insert(europe + 1, ["France", "3"])
    rows.insert(2, ["China", "5"])
    rows[-1][1] = "8"

    preview = upload_content(
        admin_client,
        ExchangeStatistic,
        f"filled.{extension}",
        as_file(rows, extension),
        academic_year="2031",
        direction="inbound",
    )

    assert "2 new, 0 changed, 0 unchanged." in page_text(preview), page_text(preview)
    confirm(admin_client, ExchangeStatistic, preview)
    assert ExchangeStatistic.objects.filter(academic_year=2031).count() == 2


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_plain_and_memoranda_and_record_templates_filled_in_import_cleanly(
    seed, admin_client, extension
):
    filled = [
        # SYNTHETIC rows, named as such.
        (ExchangeStatistic, 1, ["2031", "inbound", "China", "5"]),
        (Agreement, 0, ["France", "Synthetic Test University", "2031", "-", ""]),
        (
            Institution,
            0,
            [
                "synthetic-test-institute",
                "Synthetic Test Institute",
                "",
                "France",
                "",
                "Research institute",
                "",
                "",
                "",
                "1",
            ],
        ),
    ]
    for model, index, row in filled:
        rows = rows_of(template(admin_client, model, index, extension), extension)
        assert len(rows) == 1  # the header alone
        preview = upload_content(
            admin_client,
            model,
            f"filled.{extension}",
            as_file([rows[0], row], extension),
            resource=str(index),
        )
        assert "1 new, 0 changed" in page_text(preview), page_text(preview)
        confirm(admin_client, model, preview)

    assert ExchangeStatistic.objects.filter(academic_year=2031).count() == 1
    assert (
        Agreement.objects.get(institution__name="Synthetic Test University").concluded_year == 2031
    )
    assert Institution.objects.get(slug="synthetic-test-institute").kind == "research_institute"
    assert ImportRecord.objects.count() == 3


# -- the preview -------------------------------------------------------------------------------


def test_changes_come_first_and_unchanged_rows_are_folded(seed, admin_client):
    content = export(admin_client, ExchangeStatistic, "csv", query="?academic_year__exact=2022")
    lines = content.decode().splitlines()
    last = lines[-1].rsplit(",", 1)
    lines[-1] = f"{last[0]},{int(last[1]) + 1}"  # the file's last row corrects a count

    preview = upload_content(
        admin_client, ExchangeStatistic, "counts.csv", "\n".join(lines).encode(), resource="1"
    )

    text = page_text(preview)
    unchanged = len(lines) - 2
    change_at = text.index("Changed</td>")
    folded_at = text.index('<details class="import-unchanged">')
    assert change_at < folded_at
    assert f"<summary>{unchanged} unchanged rows</summary>" in text
    assert text.count("Unchanged</td>") == unchanged
    assert text.index("Unchanged</td>") > folded_at
    assert 'value="Confirm import"' in text


def test_a_record_preview_puts_its_change_first_with_its_row(seed, admin_client):
    content = export(admin_client, Region, "csv").decode().splitlines()
    content[-1] = content[-1].replace("Others", "Others (renamed)", 1)

    preview = upload_content(admin_client, Region, "regions.csv", "\n".join(content).encode())

    text = page_text(preview)
    assert f"0 new, 1 changed, {len(content) - 2} unchanged." in text
    changes = text[: text.index('<details class="import-unchanged">')]
    assert f'<td class="import-line">{len(content)}</td>' in changes
    assert "Changed</td>" in changes and "Unchanged</td>" not in changes


def test_a_file_that_changes_nothing_offers_no_confirm(seed, admin_client):
    content = export(admin_client, Region, "xlsx")

    preview = upload_content(admin_client, Region, "regions.xlsx", content)

    assert_nothing_to_change(preview)
    assert f"<summary>{Region.objects.count()} unchanged rows</summary>" in page_text(preview)


def test_a_file_in_the_other_layout_is_read_as_such_and_the_preview_says_so(seed, admin_client):
    content = b"Academic year,Direction,Country/Region,Researchers\n2031,inbound,China,5\n"

    preview = upload_content(admin_client, ExchangeStatistic, "plain.csv", content, resource="0")

    text = page_text(preview)
    assert (
        "The file is laid out as “Researcher counts: plain table”, not “Researcher counts: "
        "published layout”; it was read as such." in text
    )
    assert "1 new, 0 changed, 0 unchanged." in text


def test_a_choice_staff_misspell_is_refused_naming_row_and_the_labels(seed, admin_client):
    rows = rows_of(template(admin_client, Institution, 0, "csv"), "csv")
    row = ["synthetic-x", "Synthetic X", "", "France", "", "Universty", "", "", "", "1"]

    preview = upload_content(admin_client, Institution, "x.csv", as_file([rows[0], row], "csv"))

    text = page_text(preview)
    assert (
        "<tr><td>2</td><td>Kind</td><td>&quot;Universty&quot; is not one of "
        "&quot;University&quot;, &quot;Research institute&quot;"
    ) in text
    assert not Institution.objects.filter(slug="synthetic-x").exists()


# -- exports -----------------------------------------------------------------------------------


def test_exports_have_titled_columns_and_choice_labels(seed, admin_client):
    institutions = list(csv.reader(io.StringIO(export(admin_client, Institution, "csv").decode())))
    agreements = openpyxl.load_workbook(io.BytesIO(export(admin_client, Agreement, "xlsx")))
    agreement_rows = list(agreements.active.iter_rows(values_only=True))

    assert institutions[0] == [
        "Slug",
        "Name",
        "Japanese name",
        "Country or region",
        "Parent institution (slug)",
        "Kind",
        "Website",
        "ROR ID",
        "Notes for staff",
        "Published",
    ]
    assert {row[5] for row in institutions[1:]} <= {
        "University",
        "Research institute",
        "Government agency",
        "International organisation",
        "Network or consortium",
    }
    assert "University" in {row[5] for row in institutions[1:]}
    assert agreement_rows[0][:7] == (
        "ID",
        "Institution (slug)",
        "Kind",
        "Year of conclusion",
        "Start date",
        "End date",
        "Status",
    )
    assert {row[2] for row in agreement_rows[1:]} == {
        "MOU (general memorandum)",
        "SEA (student exchange agreement)",
    }
    assert "In effect" in {row[6] for row in agreement_rows[1:]}


def test_the_export_page_offers_columns_by_their_titles(seed, admin_client):
    url = reverse("admin:agreements_institution_export")
    text = page_text(admin_client.get(url))

    for title in ("Japanese name", "ROR ID", "Published", "Country or region"):
        assert f">{title}</label>" in text, title
    for code_label in ("Name Ja", "Ror Id", "Is Published"):
        assert code_label not in text
