"""Downloads of public tables as CSV, XLSX or JSON, built with tablib."""

import tablib
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from imports.formulas import make_formula_inert

DOWNLOAD_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# Spreadsheet programs open these; JSON is read by programs and keeps the text exactly.
SPREADSHEET_FORMATS = {"csv", "xlsx"}

UNKNOWN_FORMAT_MESSAGE = _(
    "“%(format)s” is not a download format. Choose csv, xlsx or json, e.g. ?format=csv."
)


def requested_format(request):
    """The download format asked for, None for the page itself, "" if no format is known."""
    if "format" not in request.GET:
        return None
    value = request.GET["format"].strip().lower()
    return value if value in DOWNLOAD_FORMATS else ""


def download_response(*, headers, rows, file_format, filename, title):
    """Send every row as a file; formula-like text is made inert in spreadsheet formats."""
    dataset = tablib.Dataset(headers=[str(header) for header in headers], title=title[:31])
    guard = make_formula_inert if file_format in SPREADSHEET_FORMATS else (lambda value: value)
    for row in rows:
        dataset.append([guard(value) for value in row])
    content = dataset.export(file_format)
    if file_format == "csv":
        # A byte order mark lets Excel read accented and Japanese names as UTF-8.
        content = "\ufeff" + content
    response = HttpResponse(content, content_type=DOWNLOAD_FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
