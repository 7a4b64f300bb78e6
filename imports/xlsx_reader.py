"""XLSX read in bounded time and memory: openpyxl reads the workbook's structure and styles,
the shared strings and the rows of the first sheet are streamed here under the limits.

A workbook's `<dimension>` tag is ignored (it is often stale): rows are counted as they stream
in, and the limits on rows, cells and XML size are checked while parsing, so a hostile file is
refused before it is read whole.
"""

import io
import zipfile

from defusedxml import DefusedXmlException
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

from .limits import MAX_CELL_CHARACTERS, MAX_COLUMNS
from .sheets import SpreadsheetError, trim_cells

# Parts openpyxl reads whole (the workbook, its relations, styles, content types) are a few
# KB in real files; this bounds what a hostile one can make it build in memory.
MAX_WHOLE_PART_BYTES = 2 * 1024 * 1024
# A real row holds a few XML elements per cell (cell, value, rich-text runs).
MAX_ELEMENTS_PER_ITEM = 40 * MAX_COLUMNS
WORKBOOK_TYPES = (XLSX, XLSM, XLTX, XLTM)
STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"
TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"


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
            rows.append(trim_cells([values.get(column) for column in range(1, width + 1)]))
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


def read_xlsx(data, limits):
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
