"""Read an uploaded spreadsheet into rows: CSV in the encodings Japanese offices use, or XLSX.

Everything a clerk can get wrong about the file itself (wrong type, too large, undecodable,
a zip bomb) becomes a SpreadsheetError whose message says what to do, never a traceback.

Every row is read whatever the file claims about itself: a workbook's `<dimension>` tag is
ignored (it is often stale), rows are counted as they stream in, and the limits on rows,
cells and XML size are checked while parsing, so a hostile file is refused in bounded time
and memory instead of being read whole first.
"""

import codecs
import csv
import datetime
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.cell.text import Text
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import ROW_TAG, WorkSheetParser
from openpyxl.xml.constants import (
    ARC_CONTENT_TYPES,
    ARC_STYLE,
    SHARED_STRINGS,
    SHEET_MAIN_NS,
    XLSM,
    XLSX,
    XLTM,
    XLTX,
)
from openpyxl.xml.functions import fromstring, iterparse

from presentation.formulas import restore_formula_text

DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 200_000
DEFAULT_MAX_CELLS = 1_000_000
# A workbook of the office's size unpacks to a few MB; hundreds of MB is a zip bomb.
DEFAULT_MAX_INFLATED_BYTES = 100 * 1024 * 1024
MAX_COLUMNS = 50
# Excel's own limit on the text of one cell.
MAX_CELL_CHARACTERS = 32_767
# Parts openpyxl reads whole (the workbook, its relations, styles, content types) are a few
# KB in real files; this bounds what a hostile one can make it build in memory.
MAX_WHOLE_PART_BYTES = 2 * 1024 * 1024
# A real row holds a few XML elements per cell (cell, value, rich-text runs).
MAX_ELEMENTS_PER_ITEM = 40 * MAX_COLUMNS
WORKBOOK_TYPES = (XLSX, XLSM, XLTX, XLTM)
NOT_SPREADSHEET_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"7z")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, old .doc
STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"
TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message is meant for the person who sent it."""


@dataclass(frozen=True)
class Limits:
    """How much one import may hold; settings of the same names override the defaults."""

    upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    inflated_bytes: int = DEFAULT_MAX_INFLATED_BYTES
    rows: int = DEFAULT_MAX_ROWS
    cells: int = DEFAULT_MAX_CELLS
    columns: int = MAX_COLUMNS

    @classmethod
    def from_settings(cls):
        return cls(
            upload_bytes=getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES),
            inflated_bytes=getattr(
                settings, "IMPORT_MAX_INFLATED_BYTES", DEFAULT_MAX_INFLATED_BYTES
            ),
            rows=getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS),
            cells=getattr(settings, "IMPORT_MAX_CELLS", DEFAULT_MAX_CELLS),
        )

    @property
    def xml_elements(self):
        """XML elements a sheet of the largest accepted size needs: cell, value or inline text."""
        return 3 * self.cells + 2 * self.rows + 10_000

    def too_many_rows(self):
        return SpreadsheetError(
            _(
                "The file has more than %(limit)s rows, the most one import accepts "
                "(IMPORT_MAX_ROWS)."
            )
            % {"limit": f"{self.rows:,}"}
        )

    def too_many_cells(self):
        return SpreadsheetError(
            _(
                "The file has more than %(limit)s filled cells, the most one import accepts "
                "(IMPORT_MAX_CELLS)."
            )
            % {"limit": f"{self.cells:,}"}
        )

    def too_wide(self, row, count):
        return SpreadsheetError(
            _("Row %(row)s has %(count)s columns; at most %(limit)s are accepted.")
            % {"row": row, "count": count, "limit": self.columns}
        )

    def cell_too_long(self, row, length):
        return SpreadsheetError(
            _(
                "Row %(row)s has a cell of %(length)s characters; a spreadsheet cell holds at "
                "most %(limit)s."
            )
            % {"row": row, "length": f"{length:,}", "limit": f"{MAX_CELL_CHARACTERS:,}"}
        )

    def too_large(self, size):
        return SpreadsheetError(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes (IMPORT_MAX_UPLOAD_BYTES).")
            % {"size": f"{size:,}", "limit": f"{self.upload_bytes:,}"}
        )


def max_upload_bytes():
    return Limits.from_settings().upload_bytes


@dataclass
class Sheet:
    """The cells of one uploaded file, top to bottom, with what identifies the upload."""

    rows: list = field(default_factory=list)
    size: int = 0
    sha256: str = ""
    encoding: str = ""


def clean_cell(value):
    if isinstance(value, str):
        return restore_formula_text(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        # Excel has no date type: a date comes back as midnight; the records hold dates.
        return value.date()
    return value


def _trim(cells):
    """The row's cleaned cells without trailing empty ones."""
    cells = [clean_cell(cell) for cell in cells]
    while cells and cells[-1] in (None, ""):
        cells.pop()
    return cells


# -- CSV -------------------------------------------------------------------------------------


def _decode(data):
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" and several survey tools write UTF-16 with a byte-order mark.
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise SpreadsheetError(
                _("The file starts as UTF-16 text but is damaged at byte %(at)s.")
                % {"at": f"{error.start:,}"}
            ) from error
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(
        _(
            "The file could not be read as text: it is neither UTF-8, UTF-16 nor Shift_JIS "
            '(CP932). Save it from Excel as "CSV UTF-8" or as an .xlsx workbook.'
        )
    )


def _read_csv(data, limits):
    text, encoding = _decode(data)
    if CONTROL_CHARACTERS.search(text):
        raise SpreadsheetError(_("The file is not a spreadsheet: it contains binary data."))
    if text.lstrip()[:1] in ("{", "[", "<"):
        raise SpreadsheetError(_("Only CSV and XLSX files can be imported."))
    # Only the delimiter is guessed; quoting is always Excel's, which the sniffer misjudges
    # on cells with doubled quotes.
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",\t;").delimiter
    except csv.Error:
        delimiter = ","
    rows = []
    cells = 0
    try:
        reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
        for number, row in enumerate(reader, 1):
            if number > limits.rows:
                raise limits.too_many_rows()
            row = _trim(row)
            if len(row) > limits.columns:
                raise limits.too_wide(number, len(row))
            longest = max(map(len, map(str, row)), default=0)
            if longest > MAX_CELL_CHARACTERS:
                raise limits.cell_too_long(number, longest)
            cells += len(row)
            if cells > limits.cells:
                raise limits.too_many_cells()
            rows.append(row)
    except csv.Error as error:
        raise SpreadsheetError(
            _("The CSV file is malformed: %(problem)s.") % {"problem": error}
        ) from error
    return rows, encoding


# -- XLSX ------------------------------------------------------------------------------------


def _damaged(error):
    if isinstance(error, DefusedXmlException) or isinstance(error.__cause__, DefusedXmlException):
        return SpreadsheetError(
            _(
                "The workbook declares XML entities, which could make it expand without "
                "bound; refused. Save it again from Excel as .xlsx."
            )
        )
    return SpreadsheetError(
        _("The workbook is damaged (%(problem)s). Save it again from Excel as .xlsx.")
        % {"problem": type(error).__name__}
    )


class _Streamed:
    """Walk an XML part once, counting elements and dropping each finished item at once.

    ElementTree's iterparse keeps every element it has seen attached to its parent unless it
    is removed: openpyxl only clears rows, so millions of tiny elements (or rows) in a small
    file grow without bound. Here each element at most `detach_depth` deep (depth 1: a child
    of the root) is removed from its parent as it ends, no item may hold more than
    MAX_ELEMENTS_PER_ITEM elements, and only the finished `tag` elements at `detach_depth`
    (rows, shared strings) are yielded.
    """

    def __init__(self, source, *, limit, what, detach_depth, tag):
        self.source = source
        self.limit = limit
        self.what = what
        self.detach_depth = detach_depth
        self.tag = tag

    def refuse(self, message):
        return SpreadsheetError(message % {"what": self.what, "limit": f"{self.limit:,}"})

    def __iter__(self):
        parents = []
        push, pop = parents.append, parents.pop
        count = in_item = 0
        limit, detach_depth, tag = self.limit, self.detach_depth, self.tag
        for event, element in iterparse(self.source, events=("start", "end")):
            if event == "start":
                count += 1
                in_item += 1
                if count > limit:
                    raise self.refuse(
                        _(
                            "The workbook's %(what)s holds more than %(limit)s XML elements, "
                            "more than a sheet within the import limits needs; refused."
                        )
                    )
                if in_item > MAX_ELEMENTS_PER_ITEM:
                    raise self.refuse(
                        _("The workbook's %(what)s holds an item far larger than any real one.")
                    )
                push(element)
                continue
            pop()
            depth = len(parents)
            if depth and depth <= detach_depth:
                if depth == detach_depth and element.tag == tag:
                    yield element
                parents[-1].remove(element)
                in_item = 0


def _shared_strings(archive, path, limits):
    strings = []
    with archive.open(path) as source:
        walk = _Streamed(
            source,
            limit=limits.xml_elements,
            what=_("shared strings"),
            detach_depth=1,
            tag=STRING_TAG,
        )
        for element in walk:
            if len(strings) >= limits.cells:
                raise limits.too_many_cells()
            if len(element) == 1 and element[0].tag == TEXT_TAG:
                text = element[0].text or ""  # plain text, by far the most common
            else:
                text = Text.from_tree(element).content  # rich text runs, phonetic guides
            strings.append(text.replace("x005F_", ""))
    return strings


def _sheet_rows(archive, path, parser, limits):
    """Every row of the sheet, numbered as Excel numbers them, within the limits."""
    rows = []
    cells = 0
    with archive.open(path) as source:
        walk = _Streamed(
            source, limit=limits.xml_elements, what=_("first sheet"), detach_depth=2, tag=ROW_TAG
        )
        for element in walk:
            number, parsed = parser.parse_row(element)
            parser.row_dimensions.clear()  # row heights and styles: not needed, not kept
            if number > limits.rows:
                raise limits.too_many_rows()
            if number <= len(rows):
                raise SpreadsheetError(
                    _(
                        "The workbook lists row %(row)s twice or out of order. "
                        "Save it again from Excel as .xlsx."
                    )
                    % {"row": number}
                )
            values = {}
            for cell in parsed:
                value = cell["value"]
                if value is None or value == "":
                    continue
                if cell["column"] > limits.columns:
                    raise SpreadsheetError(
                        _(
                            "Row %(row)s has a value in column %(column)s; at most %(limit)s "
                            "columns are accepted."
                        )
                        % {
                            "row": number,
                            "column": get_column_letter(min(cell["column"], 18278)),
                            "limit": limits.columns,
                        }
                    )
                if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
                    raise limits.cell_too_long(number, len(value))
                values[cell["column"]] = value
            cells += len(values)
            if cells > limits.cells:
                raise limits.too_many_cells()
            rows.extend([] for _gap in range(number - 1 - len(rows)))
            width = max(values, default=0)
            rows.append(_trim([values.get(column) for column in range(1, width + 1)]))
    return rows


def _checked_archive(data, limits):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise SpreadsheetError(_("The file is not a valid .xlsx workbook.")) from error
    # The sizes a zip declares bound what it inflates to: zipfile stops at the declared size.
    inflated = sum(info.file_size for info in infos)
    if inflated > limits.inflated_bytes:
        archive.close()
        raise SpreadsheetError(
            _(
                "The workbook unpacks to %(size)s bytes, more than the %(limit)s allowed "
                "(IMPORT_MAX_INFLATED_BYTES); refused."
            )
            % {"size": f"{inflated:,}", "limit": f"{limits.inflated_bytes:,}"}
        )
    return archive


def _check_whole_part(archive, name):
    try:
        size = archive.getinfo(name).file_size
    except KeyError:
        return
    if size > MAX_WHOLE_PART_BYTES:
        raise SpreadsheetError(
            _("The workbook's part %(name)s is %(size)s bytes, far beyond a real one; refused.")
            % {"name": name, "size": f"{size:,}"}
        )


def _read_xlsx(data, limits):
    archive = _checked_archive(data, limits)
    not_a_workbook = SpreadsheetError(_("The file is a zip archive but not an .xlsx workbook."))
    try:
        # openpyxl reads the workbook's structure and styles (for dates); the shared strings
        # and the rows are streamed here under the limits.
        if ARC_CONTENT_TYPES not in archive.namelist():
            raise not_a_workbook
        _check_whole_part(archive, ARC_CONTENT_TYPES)
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.package = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
        workbook_part = next(
            (
                part.PartName[1:]
                for part in reader.package.Override
                if part.ContentType in WORKBOOK_TYPES
            ),
            None,
        )
        if workbook_part is None:
            raise not_a_workbook
        for part in (workbook_part, get_rels_path(workbook_part), ARC_STYLE):
            _check_whole_part(archive, part)
        reader.read_workbook()
        workbook = reader.wb
        apply_stylesheet(reader.archive, workbook)
        sheet_path = next(
            (
                rel.target
                for _sheet, rel in reader.parser.find_sheets()
                if "worksheet" in rel.Type and rel.target in reader.valid_files
            ),
            None,
        )
        if sheet_path is None:
            raise SpreadsheetError(_("The workbook has no worksheet."))
        strings_part = reader.package.find(SHARED_STRINGS)
        strings = []
        if strings_part is not None:
            strings = _shared_strings(archive, strings_part.PartName[1:], limits)
        parser = WorkSheetParser(
            None,
            strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        rows = _sheet_rows(archive, sheet_path, parser, limits)
        reader.archive.close()
    except SpreadsheetError:
        raise
    except Exception as error:  # openpyxl and expat raise many kinds for a broken workbook
        raise _damaged(error) from error
    finally:
        archive.close()
    return rows, "xlsx"


def read_spreadsheet(data, limits=None):
    """Return a Sheet for CSV or XLSX bytes, or raise SpreadsheetError saying why not."""
    limits = limits or Limits.from_settings()
    if len(data) > limits.upload_bytes:
        raise limits.too_large(len(data))
    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    if data.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            _("Excel 97-2003 (.xls) files are not accepted. Save the sheet as .xlsx or CSV.")
        )
    if data.startswith(NOT_SPREADSHEET_MAGIC):
        raise SpreadsheetError(_("The file is not a spreadsheet. Only CSV and XLSX are accepted."))
    if data.startswith(ZIP_MAGIC):
        rows, encoding = _read_xlsx(data, limits)
    else:
        rows, encoding = _read_csv(data, limits)
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        raise SpreadsheetError(_("The file is empty."))
    return Sheet(
        rows=rows, size=len(data), sha256=hashlib.sha256(data).hexdigest(), encoding=encoding
    )


def read_spreadsheet_file(path, limits=None):
    """Read a file from disk for the commands, refusing an oversized one before reading it."""
    limits = limits or Limits.from_settings()
    with open(path, "rb") as handle:
        data = handle.read(limits.upload_bytes + 1)
        if len(data) > limits.upload_bytes:
            handle.seek(0, io.SEEK_END)
            raise limits.too_large(handle.tell())
    return read_spreadsheet(data, limits)
