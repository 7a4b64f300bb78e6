"""What reading a spreadsheet of either kind shares: the error a clerk is shown, the limits a
file is read under, and the cleaning of each cell."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from presentation.formulas import restore_formula_text

from .limits import (
    DEFAULT_MAX_CELLS,
    DEFAULT_MAX_INFLATED_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_MAX_UPLOAD_BYTES,
    MAX_CELL_CHARACTERS,
    MAX_COLUMNS,
)


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


def trim_cells(cells):
    """The row's cleaned cells without trailing empty ones."""
    cells = [clean_cell(cell) for cell in cells]
    while cells and cells[-1] in (None, ""):
        cells.pop()
    return cells
