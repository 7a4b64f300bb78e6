"""The memoranda list and every record's own export, through the admin and the command."""

import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from import_export.results import RowResult

from agreements.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Institution,
    OnSiteLaboratory,
    PartnershipEvent,
    Programme,
    StrategicPartnership,
)
from exchanges.models import ExchangeStatistic
from imports.models import ImportRecord
from places.models import Country, Region
from tests import factories
from tests.importing import (
    DATA,
    assert_nothing_to_change,
    confirm,
    export,
    page_text,
    upload,
    upload_content,
)
from tests.spreadsheets import rows_openpyxl_sees, with_dimension

pytestmark = pytest.mark.django_db


def agreements():
    return sorted(
        Agreement.objects.values_list("institution__name", "kind", "concluded_year", "status")
    )


def in_effect(name, kind):
    return Agreement.objects.get(
        institution__name=name, kind=kind, status=AgreementStatus.IN_EFFECT
    )


@pytest.mark.parametrize("name", ["memoranda-2024.csv", "memoranda-2024.xlsx"])
def test_memoranda_list_reimported_changes_nothing(seed, admin_client, name):
    before = agreements()

    preview = upload(admin_client, Agreement, name)

    assert "No change: all 237 rows are already in the database." in page_text(preview)
    assert_nothing_to_change(preview)
    assert agreements() == before
    assert not ImportRecord.objects.exists()


def test_memoranda_list_creates_and_corrects_agreements(seed, admin_client):
    in_effect("Kasetsart University", AgreementKind.SEA).delete()
    bordeaux = in_effect("University of Bordeaux", AgreementKind.MOU)
    bordeaux.concluded_year = 2013
    bordeaux.save()
    extra = factories.make_agreement(
        institution=Institution.objects.get(name="Tufts University"), kind=AgreementKind.SEA
    )

    preview = upload(admin_client, Agreement, "memoranda-2024.csv")
    text = page_text(preview)
    assert "1 new, 1 changed, 235 unchanged." in text
    assert "2013 → 2014" in text  # footnote mark "¹" after the name did not stop the match
    assert "Tufts University: SEA 2010" in text  # in the database, not in the file: kept

    confirm(admin_client, Agreement, preview)

    assert in_effect("Kasetsart University", AgreementKind.SEA).concluded_year == 2001
    assert in_effect("University of Bordeaux", AgreementKind.MOU).concluded_year == 2014
    assert Agreement.objects.filter(pk=extra.pk).exists()
    record = ImportRecord.objects.get()
    assert (record.kind, record.created_count, record.updated_count) == ("memoranda", 1, 1)


def memoranda_with(replace):
    text = (DATA / "memoranda-2024.csv").read_bytes().decode()
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return text.encode()


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        ({"Total,,194,153": "Total,,195,153"}, "the Total row says 195 MOU, but the list has 194"),
        (
            {"Bhutan,Royal University of Bhutan,2013": "Bhutan,Royal University of Bhutan,20I3"},
            "&quot;20I3&quot; is not a year",
        ),
        ({"Bhutan,Royal": "Bhutann,Royal"}, "&quot;Bhutann&quot; is not a known country"),
        ({"ASIA,,,\r\nBhutan,Royal": "ASIA,,,\r\n,Royal"}, "the country is blank"),
    ],
)
def test_memoranda_refusals_change_nothing(seed, admin_client, replace, message):
    before = agreements()

    preview = upload_content(admin_client, Agreement, "memoranda.csv", memoranda_with(replace))

    assert "The file was refused" in page_text(preview)
    assert message in page_text(preview)
    assert agreements() == before


def test_import_agreements_command(seed, capsys):
    in_effect("Kasetsart University", AgreementKind.SEA).delete()

    call_command("import_agreements", str(DATA / "memoranda-2024.xlsx"), "--dry-run")
    assert "Dry run, nothing written: 1 new" in capsys.readouterr().out
    assert not Agreement.objects.filter(institution__name="Kasetsart University", kind="sea")

    call_command("import_agreements", str(DATA / "memoranda-2024.xlsx"))
    assert in_effect("Kasetsart University", AgreementKind.SEA).concluded_year == 2001


def test_import_agreements_command_refuses_non_spreadsheets(seed, capsys):
    with pytest.raises(CommandError, match="refused"):
        call_command("import_agreements", str(DATA / "old-excel.xls"))
    assert "Excel 97-2003 (.xls) files are not accepted" in capsys.readouterr().err


# -- every record's own export imports back unchanged ------------------------------------------


def snapshot(model):
    return sorted(map(repr, model.objects.values()))


def make_laboratory():
    laboratory = OnSiteLaboratory.objects.create(
        name="Synthetic on-site lab", slug="synthetic-lab", departments="Engineering"
    )
    laboratory.partner_institutions.set(Institution.objects.order_by("pk")[:2])
    return laboratory


ROUND_TRIPS = [
    (Region, "0"),
    (Country, "0"),
    (Institution, "0"),
    (Agreement, "1"),  # resource 0 is the memoranda list; 1 is the agreements' own export
    (StrategicPartnership, "0"),
    (PartnershipEvent, "0"),
    (OnSiteLaboratory, "0"),
    (Programme, "0"),
    (ExchangeStatistic, "0"),
]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("model", "resource"), ROUND_TRIPS, ids=lambda v: getattr(v, "__name__", v)
)
def test_every_export_imports_back_as_no_change(seed, admin_client, model, resource, file_format):
    make_laboratory()
    Institution.objects.filter(pk=Institution.objects.order_by("pk")[0].pk).update(
        notes='=HYPERLINK("http://example.invalid")', name_ja="-5 needs guarding"
    )
    before = snapshot(model)
    content = export(admin_client, model, file_format)

    preview = upload_content(
        admin_client, model, f"export.{file_format}", content, resource=resource
    )

    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), page_text(preview)
    assert result.totals[RowResult.IMPORT_TYPE_NEW] == 0
    assert result.totals[RowResult.IMPORT_TYPE_UPDATE] == 0
    assert_nothing_to_change(preview)
    assert snapshot(model) == before
    assert not ImportRecord.objects.exists()


def test_csv_export_makes_formulas_inert_and_keeps_numbers(seed, admin_client):
    factories.make_institution(name="+SUM(A1:A9)", notes="@cmd", slug="formula-test")

    text = export(admin_client, Institution, "csv").decode()

    assert "'+SUM(A1:A9)" in text and "'@cmd" in text
    statistics = export(admin_client, ExchangeStatistic, "csv").decode()
    assert "2022,Researchers from abroad,China,166" in statistics  # the label, not the code


def test_xlsx_export_makes_formulas_inert_and_keeps_numbers(seed, admin_client):
    factories.make_institution(name="=1+1", slug="formula-test")

    workbook = openpyxl.load_workbook(io.BytesIO(export(admin_client, Institution, "xlsx")))
    names = [row[1] for row in workbook.active.iter_rows(values_only=True)]
    assert "'=1+1" in names
    statistics = openpyxl.load_workbook(io.BytesIO(export(admin_client, ExchangeStatistic, "xlsx")))
    counts = [row[3] for row in statistics.active.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(count, int) for count in counts)


def test_json_export_has_every_row(seed, admin_client):
    rows = json.loads(export(admin_client, Agreement, "json"))
    assert len(rows) == Agreement.objects.count()


def test_import_records_are_listed_read_only(seed, admin_client):
    Agreement.objects.filter(institution__name="Kasetsart University", kind="sea").delete()
    preview = upload(admin_client, Agreement, "memoranda-2024.csv")
    confirm(admin_client, Agreement, preview)
    record = ImportRecord.objects.get()

    listing = admin_client.get("/admin/imports/importrecord/")
    change = admin_client.get(f"/admin/imports/importrecord/{record.pk}/change/")

    assert "memoranda-2024.csv" in page_text(listing)
    assert record.sha256 in page_text(change)
    assert 'name="_save"' not in page_text(change)  # nothing can be edited
    assert admin_client.get("/admin/imports/importrecord/add/").status_code == 403


def test_clear_import_uploads_removes_only_old_files(settings, tmp_path, capsys):
    import os
    import time

    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "django-import-export"
    folder.mkdir()
    (folder / "abandoned").write_bytes(b"old")
    (folder / "waiting").write_bytes(b"new")
    two_days_ago = time.time() - 48 * 3600
    os.utime(folder / "abandoned", (two_days_ago, two_days_ago))

    call_command("clear_import_uploads", "--hours", "24")

    assert sorted(path.name for path in folder.iterdir()) == ["waiting"]
    assert "Removed 1 abandoned upload(s)" in capsys.readouterr().out


def test_import_record_pages_are_closed_to_visitors_and_escape_file_names(
    client, admin_client, django_user_model
):
    record = ImportRecord.objects.create(
        kind="statistics",
        model_label="exchanges.exchangestatistic",
        file_name='<script>alert("x")</script>.csv',
        file_size=1,
        sha256="0" * 64,
    )
    pages = [
        "/admin/imports/importrecord/",
        f"/admin/imports/importrecord/{record.pk}/change/",
    ]
    for url in pages:
        assert client.get(url).status_code == 302
    django_user_model.objects.create_user("newcomer", password="pw", is_staff=True)
    client.force_login(django_user_model.objects.get(username="newcomer"))
    for url in pages:
        assert client.get(url).status_code == 403
        text = page_text(admin_client.get(url))
        assert '<script>alert("x")</script>' not in text
        assert "&lt;script&gt;" in text


# -- every row, whatever the workbook's <dimension> says ----------------------------------------


@pytest.mark.parametrize("dimension", ["A1", None], ids=["stale", "missing"])
def test_memoranda_workbook_with_a_lying_dimension_imports_every_row(
    seed, admin_client, capsys, tmp_path, dimension
):
    Agreement.objects.filter(kind=AgreementKind.SEA).delete()
    xlsx = with_dimension((DATA / "memoranda-2024.xlsx").read_bytes(), dimension)
    if dimension is not None:
        assert rows_openpyxl_sees(xlsx) == 1

    preview = upload_content(admin_client, Agreement, "memoranda.xlsx", xlsx)
    assert "153 new, 0 changed, 84 unchanged." in page_text(preview)
    path = tmp_path / "memoranda.xlsx"
    path.write_bytes(xlsx)
    call_command("import_agreements", str(path))

    assert "153 new, 0 changed, 84 unchanged." in capsys.readouterr().out
    assert Agreement.objects.filter(kind=AgreementKind.SEA).count() == 153


# -- new partners ----------------------------------------------------------------------------

NEW_PARTNERS = {
    "Country/Region,Institution,Year of conclusion,\r\n,,MOU,SEA\r\n": (
        "Country/Region,Institution,Year of conclusion,,Japanese name\r\n,,MOU,SEA,\r\n"
    ),
    "Bhutan,Royal University of Bhutan,2013,-\r\n": (
        "Bhutan,Royal University of Bhutan,2013,-,ブータン王立大学\r\n"
        ",Royal Univ. of Bhutan,2023,-,\r\n"
    ),
    "France,Université Paris Cité,1979,2015\r\n": (
        "France,Université Paris Cité,1979,2015,\r\n"
        ",Synthetic Institute of Testing,2024,2024,テスト研究所\r\n"
    ),
    "Total,,194,153": "Total,,196,154",
}


def test_new_partners_are_shown_in_the_preview_and_created_on_confirm(seed, admin_client):
    before = Institution.objects.count()

    preview = upload_content(
        admin_client, Agreement, "memoranda-2025.csv", memoranda_with(NEW_PARTNERS)
    )

    text = page_text(preview)
    assert "3 new, 0 changed, 237 unchanged. Among them 2 new institutions." in text
    assert "New; new institution; similar to Royal University of Bhutan" in text
    assert (
        "Row 7: Royal Univ. of Bhutan is new; similar to Royal University of Bhutan in Bhutan."
        in text
    )
    assert "New; new institution</td>" in text  # the synthetic institute is like no other
    assert Institution.objects.count() == before  # a preview writes nothing

    confirm(admin_client, Agreement, preview)

    institute = Institution.objects.get(name="Synthetic Institute of Testing")
    assert (institute.country.name, institute.name_ja) == ("France", "テスト研究所")
    assert institute.slug == "synthetic-institute-of-testing"
    assert [(a.kind, a.concluded_year) for a in institute.agreements.order_by("kind")] == [
        ("mou", 2024),
        ("sea", 2024),
    ]
    variant = Institution.objects.get(name="Royal Univ. of Bhutan")
    assert (variant.country.name, variant.slug) == ("Bhutan", "royal-univ-of-bhutan")
    record = ImportRecord.objects.get()
    assert "New institution: Synthetic Institute of Testing (France)" in record.summary
    history = institute.history.get()
    assert (history.history_type, history.history_change_reason) == ("+", str(record))
    assert history.history_user == record.user
    assert Institution.objects.get(name="Royal University of Bhutan").name_ja == ""  # kept


def test_a_new_partner_named_like_one_elsewhere_gets_its_own_slug(seed, capsys, tmp_path):
    existing = Institution.objects.get(name="Royal University of Bhutan")
    path = tmp_path / "memoranda.csv"
    path.write_bytes(
        memoranda_with(
            {
                "France,Université Paris Cité,1979,2015\r\n": (
                    "France,Université Paris Cité,1979,2015\r\n"
                    ",Royal University of Bhutan,2024,-\r\n"
                ),
                "Total,,194,153": "Total,,195,153",
            }
        )
    )

    call_command("import_agreements", str(path))

    out = capsys.readouterr().out
    assert "New institution: Royal University of Bhutan (France)" in out
    twin = Institution.objects.get(name="Royal University of Bhutan", country__name="France")
    assert twin.slug == f"{existing.slug}-2"


def test_new_partners_under_others_without_a_country_are_organisations(seed, admin_client):
    content = memoranda_with(
        {
            ",UNESCO Chairs,2018,-\r\n": ",UNESCO Chairs,2018,-\r\n,Synthetic Network,2024,-\r\n",
            "Total,,194,153": "Total,,195,153",
        }
    )
    confirm(admin_client, Agreement, upload_content(admin_client, Agreement, "m.csv", content))

    network = Institution.objects.get(name="Synthetic Network")
    assert (network.country, network.kind) == (None, "international_organisation")


def test_a_japanese_name_column_matches_known_partners_too(seed, admin_client):
    bhutan = Institution.objects.get(name="Royal University of Bhutan")
    bhutan.name_ja = "ブータン王立大学"
    bhutan.save()
    content = memoranda_with(
        {
            "Country/Region,Institution,Year of conclusion,\r\n,,MOU,SEA\r\n": (
                "Country/Region,Institution,MOU,SEA,機関名（日本語）\r\n"
            ),
            "Bhutan,Royal University of Bhutan,2013,-\r\n": (
                "Bhutan,R.U.B.,2014,-,ブータン王立大学\r\n"
            ),
        }
    )

    preview = upload_content(admin_client, Agreement, "m.csv", content)

    assert "0 new, 1 changed, 236 unchanged." in page_text(preview)


def test_the_agreements_export_carries_the_renewal_terms_and_imports_them_back(admin_client, db):
    from django.contrib.auth import get_user_model

    keeper = get_user_model().objects.create_user("keeper", is_staff=True)
    get_user_model().objects.create_user("outsider", is_staff=False)
    agreement = factories.make_agreement(
        renewal_type="automatic",
        notice_period_months=6,
        responsible_staff=keeper,
        partner_contact_name="Dr Example",
        partner_contact_email="partner@example.org",
    )
    text = export(admin_client, Agreement, "csv").decode()
    header, row = text.splitlines()[:2]
    for title in (
        "Renewal type",
        "Notice period (months)",
        "Responsible staff member (user name)",
        "Partner contact",
        "Partner contact e-mail",
    ):
        assert title in header
    assert "Renews automatically,6,keeper,Dr Example,partner@example.org" in row

    changed = text.replace("Dr Example", "Dr Changed")
    preview = upload_content(admin_client, Agreement, "a.csv", changed.encode(), resource="1")
    assert preview.context["result"].totals[RowResult.IMPORT_TYPE_UPDATE] == 1
    confirm(admin_client, Agreement, preview)
    agreement.refresh_from_db()
    assert agreement.partner_contact_name == "Dr Changed"

    # Only a staff member can be responsible: anyone else is refused with the row, unchanged.
    refused = text.replace(",keeper,", ",outsider,")
    preview = upload_content(admin_client, Agreement, "b.csv", refused.encode(), resource="1")
    assert preview.context["result"].has_validation_errors()
    assert "No staff member has the user name “outsider”." in page_text(preview)
    agreement.refresh_from_db()
    assert agreement.responsible_staff == keeper
