"""The file formats the admin offers: one import format for CSV and XLSX, guarded exports."""

import re

import tablib
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, JSON, XLSX, Format

from presentation.formulas import make_formula_inert

from .reading import read_spreadsheet


class SheetDataset(tablib.Dataset):
    """A tablib Dataset (first row as headers) that also carries the rows exactly as read.

    Layout-based imports read `sheet` (title lines, headings and line numbers intact);
    django-import-export's own row-by-row import reads the Dataset.
    """

    def __init__(self, sheet):
        width = max(len(row) for row in sheet.rows)
        # An empty XLSX cell is None; a text column must get "" as it does from a CSV.
        padded = [
            ["" if cell is None else cell for cell in row] + [""] * (width - len(row))
            for row in sheet.rows
        ]
        super().__init__(*padded[1:], headers=[str(cell) for cell in padded[0]])
        self.sheet = sheet


class SpreadsheetImportFormat(Format):
    """The only import format: CSV (UTF-8, BOM, UTF-16, CP932) or XLSX, told apart by content."""

    def __init__(self, encoding=None):
        # The admin offers an encoding; ours is found from the bytes, so it is ignored.
        self.encoding = encoding

    def get_title(self):
        return _("CSV or XLSX")

    def create_dataset(self, in_stream, **kwargs):
        data = in_stream.encode() if isinstance(in_stream, str) else bytes(in_stream)
        return SheetDataset(read_spreadsheet(data))

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
