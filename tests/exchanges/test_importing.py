"""Researcher counts through the admin's import (upload, preview, confirm) and the command."""

import csv

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.test import override_settings

from exchanges.models import ExchangeStatistic
from imports.models import ImportRecord
from places.models import CountryAlias
from tests.importing import (
    DATA,
    assert_nothing_to_change,
    confirm,
    page_text,
    upload,
    upload_content,
)
from tests.spreadsheets import rows_openpyxl_sees, with_dimension, xlsx_from_rows

pytestmark = pytest.mark.django_db


def counts():
    return sorted(
        ExchangeStatistic.objects.values_list(
            "academic_year", "direction", "country__name", "researchers"
        )
    )


def china_inbound():
    return ExchangeStatistic.objects.get(
        academic_year=2022, direction="inbound", country__name="China"
    )


@pytest.mark.parametrize(
    "name",
    [
        "researchers-inbound-2022.csv",
        "researchers-inbound-2022-bom.csv",
        "researchers-inbound-2022-cp932.csv",
    ],
)
def test_published_layout_in_each_encoding_loads_into_an_empty_year(seed, admin_client, name):
    ExchangeStatistic.objects.filter(direction="inbound").delete()

    preview = upload(admin_client, ExchangeStatistic, name, academic_year=2022, direction="inbound")

    text = page_text(preview)
    assert "72 new, 0 changed, 0 unchanged." in text
    assert "ASIA" in text and "506" in text  # the regional subtotal is shown
    assert ExchangeStatistic.objects.filter(direction="inbound").count() == 0  # preview only

    done = confirm(admin_client, ExchangeStatistic, preview)

    assert "72 new, 0 changed, 0 unchanged." in page_text(done)
    assert china_inbound().researchers == 166
    assert ExchangeStatistic.objects.filter(direction="inbound").count() == 72
    record = ImportRecord.objects.get()
    assert (record.file_name, record.created_count, record.scope) == (name, 72, "2022 inbound")
    assert record.user.is_superuser
    history = china_inbound().history.get()
    assert (history.history_type, history.history_change_reason) == ("+", str(record))
    assert (history.history_user, history.researchers) == (record.user, 166)


def test_xlsx_outbound_reimport_changes_nothing_and_says_so(seed, admin_client):
    before = counts()

    preview = upload(
        admin_client,
        ExchangeStatistic,
        "researchers-outbound-2022.xlsx",
        academic_year=2022,
        direction="outbound",
    )

    assert "No change: all 113 rows are already in the database." in page_text(preview)
    assert_nothing_to_change(preview)
    assert counts() == before
    assert not ImportRecord.objects.exists()


def test_corrected_file_updates_in_place_and_reports_rows_missing_from_file(seed, admin_client):
    row = china_inbound()
    row.researchers = 160
    row.save()
    ExchangeStatistic.objects.filter(direction="inbound", country__name="Laos").delete()
    total_before = ExchangeStatistic.objects.count()

    preview = upload(
        admin_client,
        ExchangeStatistic,
        "statistics-plain.csv",
    )
    text = page_text(preview)
    assert "6 new, 0 changed, 0 unchanged." in text

    preview = upload(
        admin_client,
        ExchangeStatistic,
        "researchers-inbound-2022.csv",
        academic_year=2022,
        direction="inbound",
    )
    text = page_text(preview)
    assert "1 new, 1 changed, 70 unchanged." in text
    assert "160 → 166" in text

    confirm(admin_client, ExchangeStatistic, preview)

    assert china_inbound().researchers == 166
    assert ExchangeStatistic.objects.count() == total_before + 1  # Laos again, no duplicates
    latest = china_inbound().history.first()
    assert (latest.history_type, latest.researchers) == ("~", 166)
    assert latest.history_change_reason == str(ImportRecord.objects.latest("pk"))


def test_rows_in_database_but_not_in_file_are_listed_and_kept(seed, admin_client):
    extra = (
        ExchangeStatistic.objects.filter(direction="outbound", academic_year=2022)
        .exclude(country__exchange_statistics__direction="inbound")
        .first()
    )
    extra.direction = "inbound"
    extra.save()  # a 2022 inbound count for a country the inbound file does not list
    china = china_inbound()
    china.researchers += 1
    china.save()  # and one the file corrects, so there is something to confirm

    preview = upload(
        admin_client,
        ExchangeStatistic,
        "researchers-inbound-2022.csv",
        academic_year=2022,
        direction="inbound",
    )
    assert "1 records in the database are not in the file; they are kept." in page_text(preview)
    assert f"2022 inbound {extra.country.name}" in page_text(preview)

    confirm(admin_client, ExchangeStatistic, preview)

    assert ExchangeStatistic.objects.filter(pk=extra.pk).exists()


def test_plain_table_matches_iso_names_codes_and_aliases(seed, admin_client):
    preview = upload(admin_client, ExchangeStatistic, "statistics-plain.csv")
    confirm(admin_client, ExchangeStatistic, preview)

    loaded = {
        (row.direction, row.country.iso_code): row.researchers
        for row in ExchangeStatistic.objects.filter(academic_year=2023)
    }
    assert loaded == {
        ("inbound", "KR"): 50,
        ("inbound", "VN"): 9,
        ("inbound", "TR"): 12,
        ("outbound", "CZ"): 30,
        ("outbound", "RU"): 4,
        ("outbound", "GB"): 170,
    }


REFUSALS = [
    (
        "broken-subtotal.csv",
        "Region &quot;ASIA&quot;: the rows under it add up to 506, but the heading says 507.",
    ),
    ("broken-total.csv", "the Total row says 1,290, but the rows add up to 1,285."),
    ("broken-duplicate.csv", "China appears twice for 2022 inbound (also row 7)."),
    ("broken-counts.csv", "the count -7 is negative."),
    ("broken-counts.csv", "the count 4.5 is not a whole number."),
    ("broken-counts.csv", "the count &quot;lots&quot; is not a number."),
    (
        "broken-country.csv",
        "&quot;Bangladesch&quot; is not a known country or region. Closest known: Bangladesh",
    ),
    ("broken-columns.csv", "the required column &quot;Direction&quot; is missing."),
    ("broken-columns.csv", "&quot;Remarks&quot; is not a known column"),
]


@pytest.mark.parametrize(("name", "message"), REFUSALS)
def test_refused_file_lists_the_problem_and_changes_nothing(seed, admin_client, name, message):
    before = counts()

    preview = upload(admin_client, ExchangeStatistic, name, academic_year=2022, direction="inbound")

    text = page_text(preview)
    assert preview.status_code == 200
    assert "The file was refused" in text
    assert message in text
    assert "confirm_form" not in preview.context or not preview.context["confirm_form"]
    assert counts() == before
    assert not ImportRecord.objects.exists()


def test_duplicate_problem_names_row_and_column(seed, admin_client):
    preview = upload(
        admin_client,
        ExchangeStatistic,
        "broken-country.csv",
        academic_year=2022,
        direction="inbound",
    )
    problem = preview.context["result"].problems[0]
    assert (problem.row, problem.column) == (5, "A (Country/Region)")


FILE_REFUSALS = [
    ("empty.csv", "The submitted file is empty."),
    ("not-a-spreadsheet.pdf.csv", "The file is not a spreadsheet."),
    ("undecodable.csv", "neither UTF-8, UTF-16 nor Shift_JIS (CP932)"),
    ("old-excel.xls", "Excel 97-2003 (.xls) files are not accepted."),
]


@pytest.mark.parametrize(("name", "message"), FILE_REFUSALS)
def test_unreadable_files_are_refused_with_the_file_named(seed, admin_client, name, message):
    before = counts()

    response = upload(
        admin_client, ExchangeStatistic, name, academic_year=2022, direction="inbound"
    )

    errors = " ".join(response.context["form"].errors["import_file"])
    assert message in errors
    assert name in errors or name == "empty.csv"
    assert counts() == before


@override_settings(IMPORT_MAX_UPLOAD_BYTES=500)
def test_file_over_the_size_limit_is_refused(seed, admin_client):
    response = upload(
        admin_client,
        ExchangeStatistic,
        "researchers-inbound-2022.csv",
        academic_year=2022,
        direction="inbound",
    )
    errors = " ".join(response.context["form"].errors["import_file"])
    assert "the limit is 500 bytes (IMPORT_MAX_UPLOAD_BYTES)" in errors


@override_settings(IMPORT_MAX_INFLATED_BYTES=1000)
def test_workbook_that_unpacks_too_far_is_refused(seed, admin_client):
    response = upload(
        admin_client,
        ExchangeStatistic,
        "researchers-outbound-2022.xlsx",
        academic_year=2022,
        direction="outbound",
    )
    assert "IMPORT_MAX_INFLATED_BYTES" in " ".join(response.context["form"].errors["import_file"])


def test_published_layout_needs_year_and_direction_and_checks_the_title(seed, admin_client):
    missing = upload(admin_client, ExchangeStatistic, "researchers-inbound-2022.csv")
    assert "Choose the academic year" in page_text(missing)

    wrong = upload(
        admin_client,
        ExchangeStatistic,
        "researchers-inbound-2022-cp932.csv",
        academic_year=2023,
        direction="inbound",
    )
    assert "the title says 2022 but 2023 was chosen" in page_text(wrong)


def test_confirm_is_all_or_nothing_when_the_database_changed_since_preview(seed, admin_client):
    ExchangeStatistic.objects.filter(direction="inbound").delete()
    preview = upload(
        admin_client,
        ExchangeStatistic,
        "statistics-plain.csv",
    )
    assert preview.context["confirm_form"]
    CountryAlias.objects.filter(alias="Great Britain").delete()  # staff remove an alias meanwhile

    done = confirm(admin_client, ExchangeStatistic, preview)

    assert "The file was refused and nothing was changed" in page_text(done)
    assert "Great Britain" in page_text(done)
    assert not ExchangeStatistic.objects.filter(academic_year=2023).exists()


def test_confirm_removes_the_stored_upload(seed, admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    preview = upload(admin_client, ExchangeStatistic, "statistics-plain.csv")
    stored = sorted(path.name for path in (tmp_path / "django-import-export").iterdir())
    upload_name = preview.context["confirm_form"].initial["import_file_name"]
    assert stored == [upload_name, f"{upload_name}.preview"]  # the file and what its preview saw

    confirm(admin_client, ExchangeStatistic, preview)

    assert list((tmp_path / "django-import-export").iterdir()) == []


def test_refused_upload_is_not_left_in_storage(seed, admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload(admin_client, ExchangeStatistic, "broken-subtotal.csv", academic_year=2022)
    assert list((tmp_path / "django-import-export").iterdir()) == []


def test_import_needs_the_import_permission_and_the_rights_to_add_and_change(seed, client):
    clerk = User.objects.create_user("clerk", password="pw", is_staff=True)
    clerk.user_permissions.add(
        Permission.objects.get(codename="view_exchangestatistic"),
        Permission.objects.get(codename="add_exchangestatistic"),
        Permission.objects.get(codename="change_exchangestatistic"),
    )
    client.force_login(clerk)
    assert upload(client, ExchangeStatistic, "statistics-plain.csv").status_code == 403

    clerk.user_permissions.add(Permission.objects.get(codename="import_exchangestatistic"))
    clerk.user_permissions.remove(Permission.objects.get(codename="change_exchangestatistic"))
    clerk = User.objects.get(pk=clerk.pk)
    client.force_login(clerk)
    assert upload(client, ExchangeStatistic, "statistics-plain.csv").status_code == 403

    clerk.user_permissions.add(Permission.objects.get(codename="change_exchangestatistic"))
    clerk = User.objects.get(pk=clerk.pk)
    client.force_login(clerk)
    preview = upload(client, ExchangeStatistic, "statistics-plain.csv")
    confirm(client, ExchangeStatistic, preview)
    assert ImportRecord.objects.get().user == clerk


def test_preview_and_import_cost_a_fixed_number_of_queries(
    seed, admin_client, django_assert_max_num_queries
):
    ExchangeStatistic.objects.filter(direction="outbound").delete()
    with django_assert_max_num_queries(20):
        preview = upload(
            admin_client,
            ExchangeStatistic,
            "researchers-outbound-2022.xlsx",
            academic_year=2022,
            direction="outbound",
        )
    with django_assert_max_num_queries(25):
        confirm(admin_client, ExchangeStatistic, preview)
    assert ExchangeStatistic.objects.filter(direction="outbound").count() == 113


# -- the command -----------------------------------------------------------------------------


def test_command_imports_with_year_and_direction(seed, capsys):
    ExchangeStatistic.objects.filter(direction="inbound").delete()

    call_command(
        "import_statistics",
        str(DATA / "researchers-inbound-2022-cp932.csv"),
        "--year",
        "2022",
        "--direction",
        "inbound",
    )

    assert "72 new, 0 changed, 0 unchanged." in capsys.readouterr().out
    assert china_inbound().researchers == 166
    assert ImportRecord.objects.get().user is None


def test_command_dry_run_writes_nothing(seed, capsys):
    ExchangeStatistic.objects.filter(direction="inbound").delete()

    call_command(
        "import_statistics",
        str(DATA / "researchers-inbound-2022.csv"),
        "--year=2022",
        "--direction=inbound",
        "--dry-run",
    )

    assert "Dry run, nothing written: 72 new" in capsys.readouterr().out
    assert not ExchangeStatistic.objects.filter(direction="inbound").exists()


def test_command_refusal_prints_problems_and_exits_non_zero(seed, capsys):
    before = counts()

    with pytest.raises(CommandError, match="refused"):
        call_command(
            "import_statistics",
            str(DATA / "broken-subtotal.csv"),
            "--year=2022",
            "--direction=inbound",
        )

    assert 'Region "ASIA": the rows under it add up to 506' in capsys.readouterr().err
    assert counts() == before


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_published_layout_export_imports_back_unchanged(seed, admin_client, file_format):
    from tests.importing import export, upload_content

    content = export(
        admin_client,
        ExchangeStatistic,
        file_format,
        resource="1",
        query="?direction__exact=outbound&academic_year__exact=2022",
    )
    before = counts()

    preview = upload_content(
        admin_client,
        ExchangeStatistic,
        f"published.{file_format}",
        content,
        academic_year="2022",
        direction="outbound",
    )

    text = page_text(preview)
    assert "No change: all 113 rows are already in the database." in text
    assert "<td>EUROPE</td><td>1160</td><td>1160</td>" in text  # the subtotal, checked
    if file_format == "csv":
        assert '"EUROPE (1,160)",' in content.decode()
    assert_nothing_to_change(preview)
    assert counts() == before


def test_confirming_twice_applies_once_and_explains(seed, admin_client):
    ExchangeStatistic.objects.filter(direction="inbound").delete()
    preview = upload(
        admin_client,
        ExchangeStatistic,
        "researchers-inbound-2022.csv",
        academic_year=2022,
        direction="inbound",
    )
    confirm(admin_client, ExchangeStatistic, preview)

    again = confirm(admin_client, ExchangeStatistic, preview)

    assert "The uploaded file is no longer available; nothing was changed." in page_text(again)
    assert ExchangeStatistic.objects.filter(direction="inbound").count() == 72
    assert ImportRecord.objects.count() == 1


@override_settings(IMPORT_PREVIEW_ROWS=5)
def test_large_preview_shows_a_summary_not_every_row(seed, admin_client):
    ExchangeStatistic.objects.filter(direction="outbound", country__region__slug="europe").delete()

    preview = upload(
        admin_client,
        ExchangeStatistic,
        "researchers-outbound-2022.xlsx",
        academic_year=2022,
        direction="outbound",
    )

    text = page_text(preview)
    assert len(preview.context["result"].rows) == 5  # only new and changed rows are listed
    assert "108 more rows are not shown" in text
    assert preview.context["confirm_form"]


def test_export_needs_the_export_permission(seed, client):
    clerk = User.objects.create_user("importer", password="pw", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                f"{action}_exchangestatistic" for action in ("view", "add", "change", "import")
            ]
        )
    )
    client.force_login(clerk)

    assert client.get("/admin/exchanges/exchangestatistic/export/").status_code == 403
    assert client.get("/admin/exchanges/exchangestatistic/import/").status_code == 200


def test_cached_statistics_page_shows_the_imported_figures_once_committed(
    seed, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    page = "/statistics/2022/"
    assert "1,285" in client.get(page).content.decode()
    corrected = tmp_path / "researchers-2022-correction.csv"
    corrected.write_text(
        "Academic year,Direction,Country/Region,Researchers\n2022,inbound,China,170\n",
        encoding="utf-8",
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_statistics", str(corrected))

    content = client.get(page).content.decode()
    assert "1,289" in content
    assert "1,285" not in content


def test_workbook_with_an_xml_entity_bomb_is_refused_and_changes_nothing(seed, admin_client):
    """A "billion laughs" sheet: XML entities that expand without bound must not be parsed."""
    import io
    import zipfile

    source = zipfile.ZipFile(DATA / "researchers-outbound-2022.xlsx")
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
            for n in range(1, 10)
        )
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    hostile = io.BytesIO()
    with zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = bomb.encode()
            target.writestr(item, content)
    before = counts()

    response = upload_content(
        admin_client,
        ExchangeStatistic,
        "researchers-outbound-2022.xlsx",
        hostile.getvalue(),
        academic_year=2022,
        direction="outbound",
    )

    errors = " ".join(response.context["form"].errors["import_file"])
    assert "researchers-outbound-2022.xlsx: The workbook declares XML entities" in errors
    assert counts() == before


# -- every row, whatever the workbook's <dimension> says ----------------------------------------


def lying_workbook(xlsx, dimension):
    lying = with_dimension(xlsx, dimension)
    if dimension is not None:
        assert rows_openpyxl_sees(lying) == 1  # openpyxl trusting the tag would see one row
    return lying


@pytest.mark.parametrize("dimension", ["A1", None], ids=["stale", "missing"])
def test_published_workbook_with_a_lying_dimension_imports_every_row(seed, admin_client, dimension):
    ExchangeStatistic.objects.filter(direction="outbound").delete()
    xlsx = lying_workbook((DATA / "researchers-outbound-2022.xlsx").read_bytes(), dimension)

    preview = upload_content(
        admin_client,
        ExchangeStatistic,
        "outbound.xlsx",
        xlsx,
        academic_year=2022,
        direction="outbound",
    )
    assert "113 new, 0 changed, 0 unchanged." in page_text(preview)
    confirm(admin_client, ExchangeStatistic, preview)

    outbound = ExchangeStatistic.objects.filter(direction="outbound", academic_year=2022)
    assert outbound.count() == 113
    assert sum(outbound.values_list("researchers", flat=True)) == 3032


def plain_rows():
    with open(DATA / "statistics-plain.csv", newline="", encoding="utf-8") as handle:
        return [[int(c) if c.isdigit() else c for c in row] for row in csv.reader(handle)]


@pytest.mark.parametrize("dimension", ["A1", None], ids=["stale", "missing"])
def test_plain_workbook_with_a_lying_dimension_imports_every_row(seed, admin_client, dimension):
    xlsx = lying_workbook(xlsx_from_rows(plain_rows()), dimension)

    preview = upload_content(admin_client, ExchangeStatistic, "plain.xlsx", xlsx)
    assert "6 new, 0 changed, 0 unchanged." in page_text(preview)
    confirm(admin_client, ExchangeStatistic, preview)

    assert ExchangeStatistic.objects.filter(academic_year=2023).count() == 6


@pytest.mark.parametrize("dimension", ["A1", None], ids=["stale", "missing"])
def test_command_reads_every_row_of_a_workbook_with_a_lying_dimension(
    seed, capsys, tmp_path, dimension
):
    ExchangeStatistic.objects.filter(direction="outbound").delete()
    published = tmp_path / "published.xlsx"
    published.write_bytes(
        lying_workbook((DATA / "researchers-outbound-2022.xlsx").read_bytes(), dimension)
    )
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(lying_workbook(xlsx_from_rows(plain_rows()), dimension))

    call_command("import_statistics", str(published), "--year=2022", "--direction=outbound")
    call_command("import_statistics", str(plain))

    out = capsys.readouterr().out
    assert "113 new, 0 changed, 0 unchanged." in out
    assert "6 new, 0 changed, 0 unchanged." in out
    assert ExchangeStatistic.objects.filter(direction="outbound", academic_year=2022).count() == 113
