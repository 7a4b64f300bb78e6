"""Drive the admin's import screens the way staff do: upload, read the preview, confirm."""

from pathlib import Path

from django.urls import reverse

DATA = Path(__file__).parent / "data"


def import_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")


def upload(client, model, name, *, resource="0", **options):
    """POST a sample file to the import page; returns the preview (or refusal) response."""
    with open(DATA / name, "rb") as handle:
        data = {"import_file": handle, "format": "0", "resource": resource}
        data.update({key: value for key, value in options.items() if value is not None})
        return client.post(import_url(model), data)


def confirm(client, model, preview):
    """Press "Confirm import" on a preview page."""
    form = preview.context["confirm_form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_process_import")
    return client.post(url, data, follow=True)


def page_text(response):
    return response.content.decode()


def upload_content(client, model, name, content, *, resource="0", **options):
    """POST bytes as an uploaded file, e.g. what the export just produced."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"import_file": SimpleUploadedFile(name, content), "format": "0", "resource": resource}
    data.update(options)
    return client.post(import_url(model), data)


EXPORT_FORMATS = {"csv": "0", "xlsx": "1", "json": "2"}


def export(client, model, file_format, *, resource="0", query=""):
    """Choose a format and every field on the export page, as staff do; returns the file bytes."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export") + query
    form = client.get(url).context["form"]
    data = {"format": EXPORT_FORMATS[file_format], "resource": resource}
    data.update(
        {name: "on" for name, field in form.fields.items() if hasattr(field, "resource_name")}
    )
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    return response.content


NOTHING_TO_CHANGE = "Nothing to change: every row matches the database."


def assert_nothing_to_change(preview):
    """A preview of a file that changes nothing: it says so and offers no confirm button."""
    text = page_text(preview)
    assert NOTHING_TO_CHANGE in text, text
    assert "confirm_form" not in preview.context
    assert 'name="confirm"' not in text and "Confirm import" not in text
    assert 'value="Preview"' in text  # the form is offered again for another file
