"""Read an uploaded spreadsheet into rows: CSV in the encodings Japanese offices use, or XLSX.

Everything a clerk can get wrong about the file itself (wrong type, too large, undecodable,
a zip bomb) becomes a SpreadsheetError whose message says what to do, never a traceback.
"""

import csv
import datetime
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

import tablib
from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, JSON, XLSX, Format

from .spreadsheets import make_formula_inert, restore_formula_text

DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 1_000_000
DEFAULT_MAX_COLUMNS = 50
# A workbook of the office's size unpacks to a few MB; hundreds of MB is a zip bomb.
DEFAULT_MAX_INFLATED_BYTES = 200 * 1024 * 1024
NOT_SPREADSHEET_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"7z")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, old .doc


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message is meant for the person who sent it."""


def max_upload_bytes():
    return getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def max_rows():
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


@dataclass
class Sheet:
    """The cells of one uploaded file, top to bottom, with what identifies the upload."""

    rows: list = field(default_factory=list)
    size: int = 0
    sha256: str = ""
    encoding: str = ""


def _clean_cell(value):
    if isinstance(value, str):
        value = restore_formula_text(value.strip())
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        # Excel has no date type: a date comes back as midnight; the records hold dates.
        return value.date()
    return value


def _trim(rows):
    """Drop trailing empty cells and trailing empty rows; keep inner blank rows as blank."""
    trimmed = []
    for row in rows:
        cells = [_clean_cell(cell) for cell in row]
        while cells and cells[-1] in (None, ""):
            cells.pop()
        trimmed.append(cells)
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed


def _decode(data):
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(
        _(
            "The file could not be read as text: it is neither UTF-8 nor Shift_JIS (CP932). "
            'Save it from Excel as "CSV UTF-8" or as an .xlsx workbook.'
        )
    )


def _read_csv(data):
    text, encoding = _decode(data)
    if CONTROL_CHARACTERS.search(text):
        raise SpreadsheetError(_("The file is not a spreadsheet: it contains binary data."))
    # Only the delimiter is guessed; quoting is always Excel's, which the sniffer misjudges
    # on cells with doubled quotes.
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",\t;").delimiter
    except csv.Error:
        delimiter = ","
    limit = max_rows()
    rows = []
    try:
        for number, row in enumerate(
            csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter), 1
        ):
            if number > limit:
                raise SpreadsheetError(
                    _("The file has more than %(limit)s rows, the most one import accepts.")
                    % {"limit": f"{limit:,}"}
                )
            if len(row) > DEFAULT_MAX_COLUMNS:
                raise SpreadsheetError(
                    _("Row %(row)s has %(count)s columns; at most %(limit)s are accepted.")
                    % {"row": number, "count": len(row), "limit": DEFAULT_MAX_COLUMNS}
                )
            rows.append(row)
    except csv.Error as error:
        raise SpreadsheetError(
            _("The CSV file is malformed: %(problem)s.") % {"problem": error}
        ) from error
    return rows, encoding


def _read_xlsx(data):
    import openpyxl

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise SpreadsheetError(_("The file is not a valid .xlsx workbook.")) from error
    limit = getattr(settings, "IMPORT_MAX_INFLATED_BYTES", DEFAULT_MAX_INFLATED_BYTES)
    if inflated > limit:
        raise SpreadsheetError(
            _(
                "The workbook unpacks to %(size)s bytes, more than the %(limit)s allowed "
                "(IMPORT_MAX_INFLATED_BYTES); refused."
            )
            % {"size": f"{inflated:,}", "limit": f"{limit:,}"}
        )
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise SpreadsheetError(_("The file is a zip archive but not an .xlsx workbook."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        if isinstance(error.__cause__, DefusedXmlException):
            raise SpreadsheetError(
                _(
                    "The workbook declares XML entities, which could make it expand without "
                    "bound; refused. Save it again from Excel as .xlsx."
                )
            ) from error
        raise SpreadsheetError(
            _("The workbook could not be opened (%(problem)s). Save it again from Excel as .xlsx.")
            % {"problem": type(error).__name__}
        ) from error
    try:
        worksheet = workbook.worksheets[0]
        if (worksheet.max_row or 0) > max_rows():
            raise SpreadsheetError(
                _("The first sheet has more than %(limit)s rows, the most one import accepts.")
                % {"limit": f"{max_rows():,}"}
            )
        rows = [
            list(row) for row in worksheet.iter_rows(max_col=DEFAULT_MAX_COLUMNS, values_only=True)
        ]
    except SpreadsheetError:
        raise
    except Exception as error:  # malformed XML inside the zip
        raise SpreadsheetError(
            _("The workbook is damaged (%(problem)s). Save it again from Excel as .xlsx.")
            % {"problem": type(error).__name__}
        ) from error
    finally:
        workbook.close()
    return rows, "xlsx"


def read_spreadsheet(data):
    """Return a Sheet for CSV or XLSX bytes, or raise SpreadsheetError saying why not."""
    if len(data) > max_upload_bytes():
        raise SpreadsheetError(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes (IMPORT_MAX_UPLOAD_BYTES).")
            % {"size": f"{len(data):,}", "limit": f"{max_upload_bytes():,}"}
        )
    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    if data.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            _("Excel 97-2003 (.xls) files are not accepted. Save the sheet as .xlsx or CSV.")
        )
    if data.startswith(NOT_SPREADSHEET_MAGIC):
        raise SpreadsheetError(_("The file is not a spreadsheet. Only CSV and XLSX are accepted."))
    if data.startswith(ZIP_MAGIC):
        rows, encoding = _read_xlsx(data)
    elif data[:5].lstrip().startswith((b"{", b"[", b"<")):
        raise SpreadsheetError(_("Only CSV and XLSX files can be imported."))
    else:
        rows, encoding = _read_csv(data)
    rows = _trim(rows)
    if not rows:
        raise SpreadsheetError(_("The file is empty."))
    return Sheet(
        rows=rows, size=len(data), sha256=hashlib.sha256(data).hexdigest(), encoding=encoding
    )


def sheet_to_dataset(sheet):
    """A tablib Dataset (first row as headers) that also carries the raw Sheet."""
    width = max(len(row) for row in sheet.rows)
    # An empty XLSX cell is None; a text column must get "" as it does from a CSV.
    padded = [
        ["" if cell is None else cell for cell in row] + [""] * (width - len(row))
        for row in sheet.rows
    ]
    headers = [str(cell) if cell is not None else "" for cell in padded[0]]
    dataset = tablib.Dataset(*padded[1:], headers=headers)
    dataset.sheet = sheet
    return dataset


class SpreadsheetImportFormat(Format):
    """The only import format: CSV (UTF-8, BOM, CP932) or XLSX, told apart by content."""

    def __init__(self, encoding=None):
        # The admin offers an encoding; ours is found from the bytes, so it is ignored.
        self.encoding = encoding

    def get_title(self):
        return _("CSV or XLSX")

    def create_dataset(self, in_stream, **kwargs):
        data = in_stream.encode() if isinstance(in_stream, str) else bytes(in_stream)
        return sheet_to_dataset(read_spreadsheet(data))

    def get_extension(self):
        return "csv"

    def can_import(self):
        return True


PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _inert(cell):
    # A CSV carries numbers as text: "-3" is a number to Excel, not a formula, and stays so.
    if isinstance(cell, str) and PLAIN_NUMBER.match(cell):
        return cell
    return make_formula_inert(cell)


def _guard(dataset):
    guarded = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        guarded.append([_inert(cell) for cell in row])
    return guarded


class GuardedCSV(CSV):
    """CSV export where formula-like text is inert and numbers stay numbers."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(_guard(dataset), **kwargs)

    def can_import(self):
        return False


class GuardedXLSX(XLSX):
    def export_data(self, dataset, **kwargs):
        return super().export_data(_guard(dataset), **kwargs)

    def can_import(self):
        return False


EXPORT_FORMATS = [GuardedCSV, GuardedXLSX, JSON]
IMPORT_FORMATS = [SpreadsheetImportFormat]
