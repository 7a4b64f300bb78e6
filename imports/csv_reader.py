"""CSV in the encodings Japanese offices use, read row by row under the limits."""

import codecs
import csv
import io
import re

from django.utils.translation import gettext as _

from .limits import MAX_CELL_CHARACTERS
from .sheets import SpreadsheetError, trim_cells

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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


def read_csv(data, limits):
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
            row = trim_cells(row)
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
