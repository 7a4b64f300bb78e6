"""The admin's import flow under fault: tampered confirms, uploads past the limit, records that
changed since the preview, errors; and the stored upload is gone after each of them."""

import io

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test import override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from agreements.models import Agreement
from exchanges.models import ExchangeStatistic
from imports.models import ImportRecord
from operations.uploads import OversizedUpload, UploadLimitHandler
from places.models import Country, CountryAlias, Region
from tests.importing import DATA, confirm, import_url, page_text, upload, upload_content

pytestmark = pytest.mark.django_db


def stored(media_root):
    """The files waiting in the admin's upload storage."""
    folder = media_root / "django-import-export"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def counts():
    return sorted(
        ExchangeStatistic.objects.values_list(
            "academic_year", "direction", "country__name", "researchers"
        )
    )


def confirm_data(preview, **changes):
    data = {
        name: value
        for name, value in preview.context["confirm_form"].initial.items()
        if value is not None
    }
    data.update(changes)
    return data


def preview_inbound(client):
    ExchangeStatistic.objects.filter(direction="inbound").delete()
    return upload(
        client,
        ExchangeStatistic,
        "researchers-inbound-2022.csv",
        academic_year=2022,
        direction="inbound",
    )


PROCESS = reverse("admin:exchanges_exchangestatistic_process_import")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("format", "7"),
        ("format", "csv"),
        ("format", "-1"),
        ("format", "٠"),
        ("resource", "3"),
        ("resource", "x"),
        ("academic_year", "twenty"),
        ("academic_year", "2023"),
        ("direction", "sideways"),
        ("direction", "outbound"),
        ("original_file_name", ""),
    ],
)
def test_a_tampered_confirm_is_a_bad_request_that_changes_nothing(
    seed, admin_client, media_root, field, value
):
    preview = preview_inbound(admin_client)
    before = counts()

    response = admin_client.post(PROCESS, confirm_data(preview, **{field: value}))

    assert response.status_code == 400
    assert "The confirmation does not match the preview" in page_text(response)
    assert field in page_text(response)
    assert counts() == before
    assert not ImportRecord.objects.exists()
    assert stored(media_root) == []


def test_an_empty_confirm_is_a_bad_request(seed, admin_client):
    response = admin_client.post(PROCESS, {})

    assert response.status_code == 400
    assert "import_file_name" in page_text(response)


@pytest.mark.parametrize("name", ["../../settings.py", "not-a-stored-name", ""])
def test_a_confirm_naming_no_stored_upload_is_a_bad_request(seed, admin_client, name):
    preview = preview_inbound(admin_client)

    response = admin_client.post(PROCESS, confirm_data(preview, import_file_name=name))

    assert response.status_code == 400
    assert "import_file_name" in page_text(response)


def test_confirm_is_refused_when_the_records_changed_since_the_preview(
    seed, admin_client, media_root
):
    china = ExchangeStatistic.objects.get(
        academic_year=2022, direction="inbound", country__name="China"
    )
    china.researchers = 160
    china.save()
    preview = upload(
        admin_client,
        ExchangeStatistic,
        "researchers-inbound-2022.csv",
        academic_year=2022,
        direction="inbound",
    )
    assert "160 → 166" in page_text(preview)
    china.researchers = 170  # a colleague corrects the figure meanwhile
    china.save()

    done = confirm(admin_client, ExchangeStatistic, preview)

    text = page_text(done)
    assert "have changed since the preview: 2022 inbound China: 160 when previewed, 170 now" in text
    assert "upload the file again for a new preview" in text
    china.refresh_from_db()
    assert china.researchers == 170
    assert not ImportRecord.objects.exists()
    assert stored(media_root) == []


def test_confirm_is_refused_when_a_new_row_appeared_since_the_preview(seed, admin_client):
    preview = preview_inbound(admin_client)
    ExchangeStatistic.objects.create(
        academic_year=2022,
        direction="inbound",
        country=Country.objects.get(name="China"),
        researchers=1,
    )

    done = confirm(admin_client, ExchangeStatistic, preview)

    assert "2022 inbound China: absent when previewed, 1 now" in page_text(done)
    assert ExchangeStatistic.objects.filter(direction="inbound").count() == 1


def test_a_record_import_is_refused_when_its_rows_changed_since_the_preview(
    seed, admin_client, media_root
):
    # Headed by field names, as exports were before their columns had titles.
    content = b"slug,name,display_order\nasia,Asia and the Pacific,1\n"
    preview = upload_content(admin_client, Region, "regions.csv", content)
    assert preview.context["confirm_form"]
    Region.objects.filter(slug="asia").update(name="Asia-Pacific")

    done = confirm(admin_client, Region, preview)

    assert "have changed since the preview" in page_text(done)
    assert Region.objects.get(slug="asia").name == "Asia-Pacific"
    assert stored(media_root) == []


# -- nothing left behind -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("old-excel.xls", {}),  # not a spreadsheet we read
        ("empty.csv", {}),  # refused by the form itself
        ("broken-subtotal.csv", {"academic_year": 2022, "direction": "inbound"}),  # the plan
        ("researchers-inbound-2022.csv", {}),  # the published layout needs year and direction
    ],
)
def test_a_refused_upload_is_not_left_in_storage(seed, admin_client, media_root, name, options):
    response = upload(admin_client, ExchangeStatistic, name, **options)

    assert not response.context.get("confirm_form")
    assert stored(media_root) == []


def test_an_upload_is_removed_when_the_preview_fails_unexpectedly(
    seed, admin_client, media_root, monkeypatch
):
    from exchanges.importing.published import PublishedLayout

    def broken(self, rows):
        raise RuntimeError("a bug")

    monkeypatch.setattr(PublishedLayout, "read", broken)
    admin_client.raise_request_exception = True

    with pytest.raises(RuntimeError):
        preview_inbound(admin_client)

    assert stored(media_root) == []


def test_an_upload_is_removed_when_the_confirm_fails_unexpectedly(
    seed, admin_client, media_root, monkeypatch
):
    preview = preview_inbound(admin_client)
    from exchanges.importing.published import PublishedLayout

    def broken(self, rows):
        raise RuntimeError("a bug")

    monkeypatch.setattr(PublishedLayout, "read", broken)
    with pytest.raises(RuntimeError):
        admin_client.post(PROCESS, confirm_data(preview))

    assert stored(media_root) == []
    assert not ExchangeStatistic.objects.filter(direction="inbound").exists()


def test_a_confirm_refused_for_its_content_leaves_nothing(seed, admin_client, media_root):
    ExchangeStatistic.objects.filter(academic_year=2023).delete()
    preview = upload(admin_client, ExchangeStatistic, "statistics-plain.csv")
    CountryAlias.objects.filter(alias="Great Britain").delete()

    done = confirm(admin_client, ExchangeStatistic, preview)

    assert "The file was refused and nothing was changed" in page_text(done)
    assert stored(media_root) == []


# -- the upload limit, while the request streams in --------------------------------------------


class Recorder(FileUploadHandler):
    """Stands for the handlers that keep a file (memory, temporary file): counts what it gets."""

    received = 0

    def receive_data_chunk(self, raw_data, start):
        Recorder.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


def test_the_upload_handler_passes_nothing_on_past_the_limit(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100_000
    body = encode_multipart(
        BOUNDARY, {"import_file": _named(b"x" * 3_000_000, "big.csv"), "format": "0"}
    )
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    Recorder.received = 0
    handlers = [UploadLimitHandler(), Recorder()]

    post, files = MultiPartParser(meta, io.BytesIO(body), handlers).parse()

    upload = files["import_file"]
    assert isinstance(upload, OversizedUpload)
    assert upload.size == 3_000_000
    assert Recorder.received <= 100_000  # nothing past the limit was kept anywhere
    assert post["format"] == "0"  # the rest of the form still arrives


def _named(content, name):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


@override_settings(IMPORT_MAX_UPLOAD_BYTES=500)
def test_an_upload_past_the_limit_gets_a_message_and_is_never_stored(
    seed, admin_client, media_root, tmp_path, settings
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    content = (DATA / "researchers-inbound-2022.csv").read_bytes() * 50

    response = upload_content(
        admin_client,
        ExchangeStatistic,
        "national.csv",
        content,
        academic_year=2022,
        direction="inbound",
    )

    errors = " ".join(response.context["form"].errors["import_file"])
    assert f"national.csv: The file is {len(content):,} bytes; the limit is 500 bytes" in errors
    assert stored(media_root) == []
    assert [path.name for path in tmp_path.iterdir() if path.suffix == ".upload"] == []


def test_the_import_page_still_works_after_an_oversized_upload(seed, admin_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 500
    upload_content(admin_client, Agreement, "big.csv", b"x" * 10_000)
    settings.IMPORT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    Agreement.objects.filter(institution__name="Kasetsart University", kind="sea").delete()

    assert admin_client.get(import_url(Agreement)).status_code == 200
    preview = upload(admin_client, Agreement, "memoranda-2024.csv")
    assert preview.context["confirm_form"]
