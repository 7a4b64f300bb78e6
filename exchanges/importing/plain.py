"""The plain table of researcher counts: one row per academic year, direction and country."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.layouts import Column
from imports.text import blank, column_label, parse_count

from ..models import EARLIEST_ACADEMIC_YEAR, LATEST_ACADEMIC_YEAR
from . import COUNTRY, StatisticsLayout, parse_direction, parse_year


def _cell(row, index):
    return row[index] if index is not None and index < len(row) else None


class PlainLayout(StatisticsLayout):
    """Academic year, Direction, Country/Region, Researchers: the statistics' own export."""

    name = gettext_lazy("Researcher counts: plain table")
    description = gettext_lazy(
        "One row per academic year, direction and country, as this list exports it. "
        "The direction is inbound or outbound (or its label, e.g. Researchers from abroad)."
    )

    columns = (
        Column(
            "academic_year",
            gettext_lazy("Academic year"),
            ("academic year", "year", "年度"),
            example="2022",
        ),
        Column("direction", gettext_lazy("Direction"), ("direction", "方向"), example="inbound"),
        COUNTRY,
        Column(
            "researchers",
            gettext_lazy("Researchers"),
            ("researchers", "number of researchers", "count", "人数", "研究者数"),
            example="50",
        ),
    )

    def read(self, rows):
        plan = self.plan_
        header_line = next(
            (index for index, row in enumerate(rows) if any(not blank(c) for c in row)), 0
        )
        header = rows[header_line]
        found = self.find_columns(plan, header, header_line + 1)
        if plan.refused:
            return
        labels = {name: column_label(found[name], header[found[name]]) for name in found}
        for index in range(header_line + 1, len(rows)):
            row, line = rows[index], index + 1
            if all(blank(cell) for cell in row):
                continue
            year_cell = _cell(row, found["academic_year"])
            year = parse_year(year_cell)
            if year is None:
                plan.refuse(
                    line,
                    labels["academic_year"],
                    _('"%(v)s" is not an academic year between %(low)s and %(high)s.')
                    % {"v": year_cell, "low": EARLIEST_ACADEMIC_YEAR, "high": LATEST_ACADEMIC_YEAR},
                )
            elif self.academic_year and year != self.academic_year:
                plan.refuse(
                    line,
                    labels["academic_year"],
                    _("the year %(v)s differs from the year chosen for this import, %(chosen)s.")
                    % {"v": year, "chosen": self.academic_year},
                )
            direction_cell = _cell(row, found["direction"])
            direction = parse_direction(direction_cell)
            if direction is None:
                plan.refuse(
                    line,
                    labels["direction"],
                    _('"%(v)s" is not a direction; write "inbound" or "outbound".')
                    % {"v": direction_cell or ""},
                )
            elif self.direction and direction != self.direction:
                plan.refuse(
                    line,
                    labels["direction"],
                    _("the direction %(v)s differs from the one chosen for this import, %(c)s.")
                    % {"v": direction, "c": self.direction},
                )
            country_cell = _cell(row, found["country"])
            country = None
            if blank(country_cell):
                plan.refuse(line, labels["country"], _("the country is missing."))
            else:
                country = self.match_country(line, labels["country"], str(country_cell).strip())
            researchers, problem = parse_count(_cell(row, found["researchers"]))
            if problem:
                plan.refuse(line, labels["researchers"], _("the count %s.") % problem)
            self.entries.append((line, year, direction, country, researchers))
