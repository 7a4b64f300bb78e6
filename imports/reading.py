"""Read an uploaded spreadsheet into rows: CSV in the encodings Japanese offices use, or XLSX.

Everything a clerk can get wrong about the file itself (wrong type, too large, undecodable,
a zip bomb) becomes a SpreadsheetError whose message says what to do, never a traceback.
Each kind is read under the limits while it is parsed (csv_reader, xlsx_reader), so a hostile
file is refused in bounded time and memory instead of being read whole first.
"""

import hashlib
import io

from django.utils.translation import gettext as _

from .csv_reader import read_csv
from .sheets import Limits, Sheet, SpreadsheetError
from .xlsx_reader import read_xlsx

NOT_SPREADSHEET_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"7z")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, old .doc


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
        rows, encoding = read_xlsx(data, limits)
    else:
        rows, encoding = read_csv(data, limits)
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
