"""The fact sheet's own table of researcher counts, for one academic year and direction.

Title lines, a header "Country/Region | Number of researchers", region headings carrying
their subtotal in brackets ("ASIA (506)"), country rows, "Others" and a "Total" row: the
subtotals and the total are checked against the rows.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.layouts import Column
from imports.text import blank, column_label, fold, parse_count
from places.models import Region

from . import COUNTRY, DIRECTION_WORDS, StatisticsLayout

TOTAL_LABELS = {"total", "grand total", "合計", "総計", "計"}
REGION_HEADING = re.compile(r"^(?P<name>.*?)\s*[(（]\s*(?P<subtotal>[\d,，]+)\s*[)）]$")
TITLE_YEAR = re.compile(r"(?P<year>(19|20|21)\d{2})\s*(academic year|年度)", re.IGNORECASE)
HEADER_SEARCH_ROWS = 10


def _cell(row, index):
    return row[index] if index < len(row) else None


def _region_spellings():
    regions = {}
    for region in Region.objects.all():
        for spelling in (region.name, region.slug, region.name_ja):
            if spelling:
                regions[fold(spelling)] = region
    return regions


@dataclass
class _Table:
    """How far the reading of the table has come: the open region heading, the Total."""

    label_column: str
    count_column: str
    regions: dict  # folded spelling → Region
    heading: list | None = None  # [line, label, region, subtotal, sum]
    total: int | None = None
    grand_sum: int = 0


class PublishedLayout(StatisticsLayout):
    """Region headings with subtotals, country rows, Others, Total; year and direction chosen."""

    name = gettext_lazy("Researcher counts: published layout")
    description = gettext_lazy(
        "The fact sheet's table for one academic year and direction (choose both below): "
        "optional title lines, the header row, each region's heading (e.g. ASIA (506)) with "
        "its countries under it, and a Total row. Subtotals and the total are checked."
    )

    columns = (
        COUNTRY,
        Column(
            "researchers",
            gettext_lazy("Number of researchers"),
            ("number of researchers", "researchers", "人数", "研究者数"),
            example="166",
        ),
    )

    @classmethod
    def template_rows(cls):
        """The header, every region's heading to put countries under, and the Total row."""
        headings = [[region.name.upper(), ""] for region in Region.objects.all()]
        return [cls.headers(), *headings, ["Total", ""]]

    @classmethod
    def header_line(cls, rows):
        """Index of the layout's header row among the first rows, or None."""
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if (
                len(row) <= 2
                and cls.column("country").matches(_cell(row, 0))
                and cls.column("researchers").matches(_cell(row, 1))
            ):
                return index
        return None

    def read(self, rows):
        header_index = self.header_line(rows)
        label_column = column_label(0, _cell(rows[header_index], 0))
        count_column = column_label(1, _cell(rows[header_index], 1))
        self.check_title(rows[:header_index])
        self.check_choices()
        table = _Table(label_column, count_column, _region_spellings())
        for index in range(header_index + 1, len(rows)):
            self.read_row(table, index + 1, rows[index])
        if table.total is None:
            self.close_heading(table.heading, label_column)

    def check_choices(self):
        plan = self.plan_
        if not self.academic_year:
            plan.refuse(
                None,
                "",
                _("Choose the academic year: the published layout does not carry it in a column."),
            )
        if not self.direction:
            plan.refuse(
                None, "", _("Choose the direction (inbound or outbound) for the published layout.")
            )
        if self.academic_year and self.direction:
            plan.scope = f"{self.academic_year} {self.direction}"

    def read_row(self, table, line, row):
        if all(blank(cell) for cell in row):
            return
        label = str(_cell(row, 0) or "").strip()
        value = _cell(row, 1)
        if any(not blank(cell) for cell in row[2:]):
            self.plan_.refuse(
                line,
                column_label(2, ""),
                _("the published layout has two columns; this row has more."),
            )
        if table.total is not None:
            if not blank(value):
                self.plan_.refuse(line, table.label_column, _("a row after the Total row."))
            return
        heading_match = REGION_HEADING.match(label) if blank(value) else None
        if heading_match or (blank(value) and fold(label) in table.regions):
            self.open_heading(table, line, label, heading_match)
        elif fold(label) in TOTAL_LABELS:
            self.read_total(table, line, value)
        elif not label:
            self.plan_.refuse(line, table.label_column, _("the country is missing."))
        else:
            self.read_country(table, line, label, value)

    def open_heading(self, table, line, label, heading_match):
        self.close_heading(table.heading, table.label_column)
        name = heading_match.group("name") if heading_match else label
        subtotal = None
        if heading_match:
            subtotal, _problem = parse_count(heading_match.group("subtotal"))
        table.heading = [line, name, table.regions.get(fold(name)), subtotal, 0]

    def read_total(self, table, line, value):
        table.total, problem = parse_count(value)
        if problem:
            self.plan_.refuse(line, table.count_column, _("the Total %s.") % problem)
            table.total = -1
            return
        self.close_heading(table.heading, table.label_column)
        table.heading = None
        if table.total != table.grand_sum:
            self.plan_.refuse(
                line,
                table.count_column,
                _("the Total row says %(total)s, but the rows add up to %(sum)s.")
                % {"total": f"{table.total:,}", "sum": f"{table.grand_sum:,}"},
            )

    def read_country(self, table, line, label, value):
        country = self.match_country(line, table.label_column, label)
        researchers, problem = parse_count(value)
        heading = table.heading
        if problem:
            self.plan_.refuse(line, table.count_column, _("the count %s.") % problem)
        else:
            table.grand_sum += researchers
            if heading:
                heading[4] += researchers
        if country and heading and heading[2] and country.region_id != heading[2].pk:
            self.plan_.refuse(
                line,
                table.label_column,
                _("%(country)s is listed under %(heading)s but belongs to %(region)s.")
                % {"country": country, "heading": heading[1], "region": country.region},
            )
        self.entries.append((line, self.academic_year, self.direction, country, researchers))

    def close_heading(self, heading, label_column):
        if not heading:
            return
        line, name, _region, subtotal, rows_sum = heading
        self.plan_.subtotals.append(
            {"region": name, "heading": subtotal, "rows": rows_sum, "line": line}
        )
        if subtotal is not None and subtotal != rows_sum:
            self.plan_.refuse(
                line,
                label_column,
                _(
                    'Region "%(name)s": the rows under it add up to %(sum)s, '
                    "but the heading says %(subtotal)s."
                )
                % {"name": name, "sum": f"{rows_sum:,}", "subtotal": f"{subtotal:,}"},
            )

    def check_title(self, title_rows):
        for index, row in enumerate(title_rows):
            text = " ".join(str(cell) for cell in row if not blank(cell))
            year_match = TITLE_YEAR.search(text)
            if year_match and self.academic_year:
                year = int(year_match.group("year"))
                if year != self.academic_year:
                    self.plan_.refuse(
                        index + 1,
                        "A",
                        _("the title says %(year)s but %(chosen)s was chosen for this import.")
                        % {"year": year, "chosen": self.academic_year},
                    )
            folded = fold(text)
            for direction, words in DIRECTION_WORDS.items():
                said = any(fold(word) in folded for word in words)
                if said and self.direction and direction != self.direction:
                    self.plan_.refuse(
                        index + 1,
                        "A",
                        _('the title "%(text)s" is for %(said)s, but %(chosen)s was chosen.')
                        % {"text": text, "said": direction.label, "chosen": self.direction},
                    )
