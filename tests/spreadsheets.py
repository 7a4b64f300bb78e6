"""Build spreadsheets for tests and benchmarks: real workbooks, stale or missing `<dimension>`,
and SYNTHETIC hostile files that stay within the upload limits."""

import codecs
import io
import re
import zipfile

import openpyxl

SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def xlsx_from_rows(rows):
    """An .xlsx workbook holding `rows` on its first sheet, as openpyxl writes it."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite_parts(xlsx, rewrite):
    """A copy of the workbook with each part's bytes passed through rewrite(name, data)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = rewrite(item.filename, source.read(item.filename))
            if data is not None:
                target.writestr(item.filename, data, compresslevel=9)
    return buffer.getvalue()


def with_dimension(xlsx, dimension):
    """The workbook with its first sheet's `<dimension>` set to `dimension`, or removed (None).

    Files written by other tools or edited by scripts often carry a stale one.
    """

    def rewrite(name, data):
        if name != "xl/worksheets/sheet1.xml":
            return data
        text = data.decode()
        assert re.search(r"<dimension [^>]*/>", text), "the sheet has no <dimension> to change"
        replacement = "" if dimension is None else f'<dimension ref="{dimension}"/>'
        return re.sub(r"<dimension [^>]*/>", replacement, text).encode()

    return _rewrite_parts(xlsx, rewrite)


def rows_openpyxl_sees(xlsx):
    """How many rows openpyxl's read-only mode yields when it trusts `<dimension>`."""
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
    try:
        return sum(1 for _row in workbook.active.iter_rows(values_only=True))
    finally:
        workbook.close()


def with_sheet_xml(sheet_xml, *, shared_strings=None):
    """A valid workbook whose first sheet (and shared strings) are the given XML bytes."""
    base = xlsx_from_rows([["a"]])

    def rewrite(name, data):
        if name == "xl/worksheets/sheet1.xml":
            return sheet_xml
        if name == "[Content_Types].xml" and shared_strings is not None:
            return data.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
        return data

    xlsx = _rewrite_parts(base, rewrite)
    if shared_strings is None:
        return xlsx
    buffer = io.BytesIO(xlsx)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as target:
        target.writestr("xl/sharedStrings.xml", shared_strings, compresslevel=9)
    return buffer.getvalue()


def sheet_of_rows(row_xml, count, *, start=1):
    """Sheet XML of `count` rows, each `row_xml` formatted with its number `n`."""
    body = "".join(row_xml.format(n=n) for n in range(start, start + count))
    return (SHEET_HEAD + body + SHEET_TAIL).encode()


# -- SYNTHETIC hostile files: each within the upload limit, each built to cost the most -------


def hostile_files(limits):
    """name → (bytes, what it does): the worst shapes we know, within `limits`."""
    rows, cells = limits.rows, limits.cells
    files = {}
    files["xlsx: rows of one cell, one more than the row limit"] = with_sheet_xml(
        sheet_of_rows('<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>', rows + 1)
    )
    files["xlsx: empty rows past the row limit, no <dimension>"] = with_sheet_xml(
        sheet_of_rows('<row r="{n}"/>', rows + 1)
    )
    files["xlsx: one row numbered past the row limit"] = with_sheet_xml(
        sheet_of_rows('<row r="{n}"><c><v>1</v></c></row>', 1, start=1_048_576)
    )
    files["xlsx: rows of 50 cells up to the cell limit"] = with_sheet_xml(
        sheet_of_rows('<row r="{n}">' + "<c><v>7</v></c>" * 50 + "</row>", cells // 50 + 1)
    )
    files["xlsx: millions of empty elements"] = with_sheet_xml(
        (SHEET_HEAD + "<x/>" * (3 * cells + 2 * rows + 20_000) + SHEET_TAIL).encode()
    )
    files["xlsx: one row of a million empty cells"] = with_sheet_xml(
        (SHEET_HEAD + '<row r="1">' + "<c/>" * 1_000_000 + "</row>" + SHEET_TAIL).encode()
    )
    files["xlsx: a value in column XFD"] = with_sheet_xml(
        (SHEET_HEAD + '<row r="1"><c r="XFD1"><v>1</v></c></row>' + SHEET_TAIL).encode()
    )
    files["xlsx: distinct shared strings past the cell limit"] = with_sheet_xml(
        sheet_of_rows('<row r="{n}"><c t="s"><v>0</v></c></row>', 1),
        shared_strings=(
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + "".join(f"<si><t>{n}</t></si>" for n in range(cells + 1))
            + "</sst>"
        ).encode(),
    )
    files["xlsx: one cell holding 40 MB of text"] = with_sheet_xml(
        (
            SHEET_HEAD
            + '<row r="1"><c t="inlineStr"><is><t>'
            + "x" * (40 * 1024 * 1024)
            + "</t></is></c></row>"
            + SHEET_TAIL
        ).encode()
    )
    files["xlsx: entity expansion (billion laughs)"] = with_sheet_xml(
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(
                f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
                for n in range(1, 10)
            )
            + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c t="inlineStr"><is><t>&lol9;</t></is></c></row>'
            "</sheetData></worksheet>"
        ).encode()
    )
    budget = limits.upload_bytes
    header = "Academic year,Direction,Country/Region,Researchers\n"
    files["csv: the most rows accepted, each a duplicate"] = (
        header + "2022,inbound,China,1\n" * (limits.rows - 1)
    ).encode()
    unknown = min(limits.rows - 1, (budget - len(header)) // 32)
    files["csv: as many rows as fit, each an unknown country"] = (
        header + "".join(f"2022,inbound,Atlantis {n:06d},1\n" for n in range(unknown))
    ).encode()
    files["csv: newlines up to the upload limit"] = b"\n" * budget
    files["csv: one row of commas"] = b"," * (budget - 1) + b"x"
    files["csv: one quoted field of the whole file"] = b'"' + b"x" * (budget - 2) + b'"'
    files["csv: short rows up to the upload limit"] = b"1,2\n" * (budget // 4)
    files["csv: UTF-16 short rows up to the upload limit"] = codecs.BOM_UTF16_LE + (
        "1\t2\n" * (budget // 8 - 1)
    ).encode("utf-16-le")
    return files
