"""Downloads of public tables as CSV and JSON (tablib) or XLSX (XlsxWriter)."""

import io

import tablib
import xlsxwriter
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


def workbook(*, headers, rows, title):
    """One sheet laid out as tablib lays it out: bold, frozen headers, columns as wide as
    their longest text, multi-line text wrapped, no cell for None or "".

    XlsxWriter, not tablib's openpyxl: a full list is thousands of rows, which it writes in a
    third of the time.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(title)
    wrapped = book.add_format({"text_wrap": True})
    headers = [str(header) for header in headers]
    sheet.write_row(0, 0, headers, book.add_format({"bold": True}))
    sheet.freeze_panes(1, 0)
    widths = [len(header) for header in headers]
    write_string, write_number = sheet.write_string, sheet.write_number
    for row_number, row in enumerate(rows, 1):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue  # an empty cell, as openpyxl leaves it
            text = str(value)
            widths[column] = max(widths[column], len(text))
            if isinstance(value, str):
                write_string(row_number, column, value, wrapped if "\n" in value else None)
            else:
                write_number(row_number, column, value)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    book.close()
    return buffer.getvalue()


def download_response(*, headers, rows, file_format, filename, title):
    """Send every row as a file; formula-like text is made inert in spreadsheet formats."""
    guard = make_formula_inert if file_format in SPREADSHEET_FORMATS else (lambda value: value)
    rows = ([guard(value) for value in row] for row in rows)
    if file_format == "xlsx":
        content = workbook(headers=headers, rows=rows, title=title[:31])
    else:
        dataset = tablib.Dataset(headers=[str(header) for header in headers], title=title[:31])
        for row in rows:
            dataset.append(row)
        content = dataset.export(file_format)
    if file_format == "csv":
        # A byte order mark lets Excel read accented and Japanese names as UTF-8.
        content = "\ufeff" + content
    response = HttpResponse(content, content_type=DOWNLOAD_FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
