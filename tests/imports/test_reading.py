"""Every row of a spreadsheet is read, whatever it claims; hostile shapes are refused in bounded
time and memory, as the clerk's own reader sees them (the admin and commands use this)."""

import codecs
import datetime

import pytest

from imports.reading import Limits, SpreadsheetError, read_spreadsheet
from tests.spreadsheets import (
    hostile_files,
    rows_openpyxl_sees,
    sheet_of_rows,
    with_dimension,
    with_sheet_xml,
    xlsx_from_rows,
)

ROWS = [["Country", "Count"], *([f"Country {n}", n] for n in range(1, 71))]


@pytest.mark.parametrize("dimension", ["A1", "A1:B2", None], ids=["stale A1", "stale", "missing"])
def test_every_row_is_read_whatever_the_dimension_tag_says(dimension):
    xlsx = with_dimension(xlsx_from_rows(ROWS), dimension)
    if dimension is not None:
        assert rows_openpyxl_sees(xlsx) < len(ROWS)  # the file really lies about its size

    sheet = read_spreadsheet(xlsx)

    assert sheet.rows == ROWS


def test_rows_keep_their_excel_numbers_across_gaps():
    xlsx = with_sheet_xml(
        sheet_of_rows('<row r="{n}"><c r="B{n}"><v>{n}</v></c></row>', 1, start=3)
    )
    assert read_spreadsheet(xlsx).rows == [[], [], [None, 3]]


def test_cells_keep_their_types():
    when = datetime.date(2024, 4, 1)
    sheet = read_spreadsheet(xlsx_from_rows([["text", 3, 4.0, 4.5, True, when]]))
    assert sheet.rows == [["text", 3, 4, 4.5, True, when]]


@pytest.mark.parametrize("delimiter", [",", "\t"], ids=["comma", "tab"])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_text_with_a_byte_order_mark_is_read(delimiter, codec):
    bom = codecs.BOM_UTF16_LE if codec == "utf-16-le" else codecs.BOM_UTF16_BE
    text = delimiter.join(["国・地域", "人数"]) + "\r\n" + delimiter.join(["中国", "166"]) + "\r\n"

    sheet = read_spreadsheet(bom + text.encode(codec))

    assert sheet.rows == [["国・地域", "人数"], ["中国", "166"]]
    assert sheet.encoding == "utf-16"


def test_a_cell_longer_than_excel_allows_is_refused():
    with pytest.raises(SpreadsheetError, match="Row 2 has a cell of 40,000 characters"):
        read_spreadsheet(b"a\n" + b"x" * 40_000 + b"\n")


SMALL = Limits(upload_bytes=5 * 1024 * 1024, rows=2_000, cells=10_000)


@pytest.fixture(scope="module")
def hostile():
    """Every hostile file, made once for the module: making them all is most of the time."""
    return hostile_files(SMALL)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("xlsx: rows of one cell, one more than the row limit", "more than 2,000 rows"),
        ("xlsx: empty rows past the row limit, no <dimension>", "more than 2,000 rows"),
        ("xlsx: one row numbered past the row limit", "more than 2,000 rows"),
        ("xlsx: rows of 50 cells up to the cell limit", "more than 10,000 filled cells"),
        ("xlsx: millions of empty elements", "XML elements"),
        ("xlsx: one row of a million empty cells", "far larger than any real one"),
        ("xlsx: a value in column XFD", "a value in column XFD"),
        ("xlsx: distinct shared strings past the cell limit", "more than 10,000 filled cells"),
        ("xlsx: one cell holding 40 MB of text", "a spreadsheet cell holds at most 32,767"),
        ("xlsx: entity expansion (billion laughs)", "declares XML entities"),
        ("csv: newlines up to the upload limit", "The file is empty"),
        ("csv: one row of commas", "at most 50 are accepted"),
        ("csv: one quoted field of the whole file", "field larger than field limit"),
        ("csv: short rows up to the upload limit", "more than 2,000 rows"),
        ("csv: UTF-16 short rows up to the upload limit", "more than 2,000 rows"),
    ],
)
def test_hostile_files_within_the_upload_limit_are_refused(hostile, name, message):
    data = hostile[name]
    assert len(data) <= SMALL.upload_bytes

    with pytest.raises(SpreadsheetError, match=message):
        read_spreadsheet(data, SMALL)


def test_a_file_at_the_row_limit_is_read_whole():
    xlsx = with_sheet_xml(sheet_of_rows('<row r="{n}"><c><v>{n}</v></c></row>', SMALL.rows))
    assert len(read_spreadsheet(xlsx, SMALL).rows) == SMALL.rows
