"""Researcher counts from a spreadsheet: the published layout or a plain table, checked whole.

The published layout (title lines, "Country/Region | Number of researchers", region headings
carrying their subtotal in brackets, "Others", "Total") is turned into the plain table here,
in one place, while its subtotals and total are checked against the rows.
"""

import re

from django.utils.translation import gettext as _
from import_export.results import RowResult

from agreements.importing import ImportPlan, PlannedRow, column_label, map_headers, parse_count
from agreements.matching import CountryMatcher, fold
from agreements.models import ImportKind, Region

from .models import (
    EARLIEST_ACADEMIC_YEAR,
    LATEST_ACADEMIC_YEAR,
    Direction,
    ExchangeStatistic,
)

HEADERS = [_("Academic year"), _("Direction"), _("Country/Region"), _("Researchers")]
PLAIN_COLUMNS = {
    "academic_year": (_("Academic year"), {"academic year", "year", "年度"}),
    "direction": (_("Direction"), {"direction", "方向"}),
    "country": (
        _("Country/Region"),
        {"country/region", "country", "country or region", "region", "国・地域", "国"},
    ),
    "researchers": (
        _("Researchers"),
        {"researchers", "number of researchers", "count", "人数", "研究者数"},
    ),
}
PUBLISHED_FIRST = {"country/region", "country or region", "国・地域", "国名"}
PUBLISHED_SECOND = {"number of researchers", "researchers", "人数", "研究者数"}
TOTAL_LABELS = {"total", "grand total", "合計", "総計", "計"}
REGION_HEADING = re.compile(r"^(?P<name>.*?)\s*[(（]\s*(?P<subtotal>[\d,，]+)\s*[)）]$")
TITLE_YEAR = re.compile(r"(?P<year>(19|20|21)\d{2})\s*(academic year|年度)", re.IGNORECASE)
DIRECTION_WORDS = {
    Direction.INBOUND: ("from abroad", "受入", "受け入れ", "inbound"),
    Direction.OUTBOUND: ("going abroad", "to abroad", "派遣", "outbound"),
}
HEADER_SEARCH_ROWS = 10


def _direction_spellings():
    spellings = {}
    for direction in Direction:
        spellings[fold(direction.value)] = direction.value
        spellings[fold(direction.label)] = direction.value
    for direction, words in DIRECTION_WORDS.items():
        spellings.update({fold(word): direction.value for word in words})
    return spellings


def parse_direction(value, _spellings={}):  # noqa: B006 - a cache built on first use
    if not _spellings:
        _spellings.update(_direction_spellings())
    if value in _spellings:
        return _spellings[value]
    return _spellings.get(fold(value))


def parse_year(value):
    count, _problem = parse_count(value)
    if count is None or not EARLIEST_ACADEMIC_YEAR <= count <= LATEST_ACADEMIC_YEAR:
        return None
    return count


def _cell(row, index):
    return row[index] if index is not None and index < len(row) else None


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


class StatisticsPlanner:
    """Check a whole sheet of counts and work out what it would change."""

    def __init__(self, *, academic_year=None, direction=None):
        self.academic_year = int(academic_year) if academic_year else None
        self.direction = direction or None
        self.matcher = CountryMatcher()
        self.suggestions_left = 50
        self.plan = ImportPlan(
            kind=ImportKind.STATISTICS,
            model=ExchangeStatistic,
            headers=HEADERS,
            academic_year=self.academic_year,
            direction=self.direction or "",
        )
        self.entries = []  # (line, year, direction, country, researchers)

    # -- reading ---------------------------------------------------------------------------
    def read(self, rows):
        published_header = None
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            first = fold(_cell(row, 0))
            second = fold(_cell(row, 1))
            if first in PUBLISHED_FIRST and second in PUBLISHED_SECOND and len(row) <= 2:
                published_header = index
                break
        if published_header is not None:
            self.read_published(rows, published_header)
        else:
            self.read_plain(rows)

    def match_country(self, line, column, text):
        country = self.matcher.match(text)
        if country is None:
            closest = []
            if self.suggestions_left > 0:
                self.suggestions_left -= 1
                closest = self.matcher.closest(text)
            message = _('"%(text)s" is not a known country or region.') % {"text": text}
            if closest:
                message += " " + _("Closest known: %(names)s.") % {"names": ", ".join(closest)}
            else:
                message += " " + _("Add the spelling as an alias in the admin if it is right.")
            self.plan.refuse(line, column, message)
        return country

    def read_plain(self, rows):
        header_line = next(
            (index for index, row in enumerate(rows) if any(not _blank(c) for c in row)), 0
        )
        header = rows[header_line]
        found = map_headers(self.plan, header, header_line + 1, PLAIN_COLUMNS, PLAIN_COLUMNS)
        if self.plan.problems:
            return
        labels = {name: column_label(found[name], header[found[name]]) for name in found}
        for index in range(header_line + 1, len(rows)):
            row, line = rows[index], index + 1
            if all(_blank(cell) for cell in row):
                continue
            year_cell = _cell(row, found["academic_year"])
            year = parse_year(year_cell)
            if year is None:
                self.plan.refuse(
                    line,
                    labels["academic_year"],
                    _('"%(v)s" is not an academic year between %(low)s and %(high)s.')
                    % {"v": year_cell, "low": EARLIEST_ACADEMIC_YEAR, "high": LATEST_ACADEMIC_YEAR},
                )
            elif self.academic_year and year != self.academic_year:
                self.plan.refuse(
                    line,
                    labels["academic_year"],
                    _("the year %(v)s differs from the year chosen for this import, %(chosen)s.")
                    % {"v": year, "chosen": self.academic_year},
                )
            direction_cell = _cell(row, found["direction"])
            direction = parse_direction(direction_cell)
            if direction is None:
                self.plan.refuse(
                    line,
                    labels["direction"],
                    _('"%(v)s" is not a direction; write "inbound" or "outbound".')
                    % {"v": direction_cell or ""},
                )
            elif self.direction and direction != self.direction:
                self.plan.refuse(
                    line,
                    labels["direction"],
                    _("the direction %(v)s differs from the one chosen for this import, %(c)s.")
                    % {"v": direction, "c": self.direction},
                )
            country_cell = _cell(row, found["country"])
            country = None
            if _blank(country_cell):
                self.plan.refuse(line, labels["country"], _("the country is missing."))
            else:
                country = self.match_country(line, labels["country"], str(country_cell).strip())
            researchers, problem = parse_count(_cell(row, found["researchers"]))
            if problem:
                self.plan.refuse(line, labels["researchers"], _("the count %s.") % problem)
            self.entries.append((line, year, direction, country, researchers))

    def read_published(self, rows, header_index):
        label_column = column_label(0, _cell(rows[header_index], 0))
        count_column = column_label(1, _cell(rows[header_index], 1))
        self.check_title(rows[:header_index])
        if not self.academic_year:
            self.plan.refuse(
                None,
                "",
                _("Choose the academic year: the published layout does not carry it in a column."),
            )
        if not self.direction:
            self.plan.refuse(
                None,
                "",
                _("Choose the direction (inbound or outbound) for the published layout."),
            )
        regions = {}
        for region in Region.objects.all():
            regions[fold(region.name)] = region
            regions[fold(region.slug)] = region
        heading = None  # [line, label, region, subtotal, sum]
        total = None
        grand_sum = 0
        for index in range(header_index + 1, len(rows)):
            row, line = rows[index], index + 1
            if all(_blank(cell) for cell in row):
                continue
            label = str(_cell(row, 0) or "").strip()
            value = _cell(row, 1)
            extra = [c for c in row[2:] if not _blank(c)]
            if extra:
                self.plan.refuse(
                    line,
                    column_label(2, ""),
                    _("the published layout has two columns; this row has more."),
                )
            if total is not None:
                if not _blank(value):
                    self.plan.refuse(line, label_column, _("a row after the Total row."))
                continue
            heading_match = REGION_HEADING.match(label) if _blank(value) else None
            if heading_match or (_blank(value) and fold(label) in regions):
                self.close_heading(heading, label_column)
                name = heading_match.group("name") if heading_match else label
                subtotal = None
                if heading_match:
                    subtotal, _problem = parse_count(heading_match.group("subtotal"))
                heading = [line, name, regions.get(fold(name)), subtotal, 0]
                continue
            if fold(label) in TOTAL_LABELS:
                total, problem = parse_count(value)
                if problem:
                    self.plan.refuse(line, count_column, _("the Total %s.") % problem)
                    total = -1
                else:
                    self.close_heading(heading, label_column)
                    heading = None
                    if total != grand_sum:
                        self.plan.refuse(
                            line,
                            count_column,
                            _("the Total row says %(total)s, but the rows add up to %(sum)s.")
                            % {"total": f"{total:,}", "sum": f"{grand_sum:,}"},
                        )
                continue
            if not label:
                self.plan.refuse(line, label_column, _("the country is missing."))
                continue
            country = self.match_country(line, label_column, label)
            researchers, problem = parse_count(value)
            if problem:
                self.plan.refuse(line, count_column, _("the count %s.") % problem)
            else:
                grand_sum += researchers
                if heading:
                    heading[4] += researchers
            if country and heading and heading[2] and country.region_id != heading[2].pk:
                self.plan.refuse(
                    line,
                    label_column,
                    _("%(country)s is listed under %(heading)s but belongs to %(region)s.")
                    % {"country": country, "heading": heading[1], "region": country.region},
                )
            self.entries.append((line, self.academic_year, self.direction, country, researchers))
        if total is None:
            self.close_heading(heading, label_column)

    def close_heading(self, heading, label_column):
        if not heading:
            return
        line, name, _region, subtotal, rows_sum = heading
        self.plan.subtotals.append(
            {"region": name, "heading": subtotal, "rows": rows_sum, "line": line}
        )
        if subtotal is not None and subtotal != rows_sum:
            self.plan.refuse(
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
            text = " ".join(str(cell) for cell in row if not _blank(cell))
            year_match = TITLE_YEAR.search(text)
            if year_match and self.academic_year:
                year = int(year_match.group("year"))
                if year != self.academic_year:
                    self.plan.refuse(
                        index + 1,
                        "A",
                        _("the title says %(year)s but %(chosen)s was chosen for this import.")
                        % {"year": year, "chosen": self.academic_year},
                    )
            folded = fold(text)
            for direction, words in DIRECTION_WORDS.items():
                said = any(fold(word) in folded for word in words)
                if said and self.direction and direction != self.direction:
                    self.plan.refuse(
                        index + 1,
                        "A",
                        _('the title "%(text)s" is for %(said)s, but %(chosen)s was chosen.')
                        % {"text": text, "said": direction.label, "chosen": self.direction},
                    )

    # -- planning --------------------------------------------------------------------------
    def build(self):
        plan = self.plan
        seen = {}
        for line, year, direction, country, _researchers in self.entries:
            if country is None or year is None or direction is None:
                continue
            key = (year, direction, country.pk)
            if key in seen:
                plan.refuse(
                    line,
                    "",
                    _("%(country)s appears twice for %(year)s %(direction)s (also row %(other)s).")
                    % {
                        "country": country,
                        "year": year,
                        "direction": direction,
                        "other": seen[key],
                    },
                )
            seen[key] = line
        if not self.entries and not plan.problems:
            plan.refuse(None, "", _("The file has no rows of counts."))
        if plan.problems:
            return plan
        scopes = {(year, direction) for _l, year, direction, _c, _r in self.entries}
        existing = {
            (row.academic_year, row.direction, row.country_id): row
            for row in ExchangeStatistic.objects.filter(
                academic_year__in={year for year, _d in scopes},
                direction__in={direction for _y, direction in scopes},
            )
            if (row.academic_year, row.direction) in scopes
        }
        labels = dict(Direction.choices)
        for line, year, direction, country, researchers in self.entries:
            cells = [year, labels[direction], country.name]
            current = existing.pop((year, direction, country.pk), None)
            if current is None:
                instance = ExchangeStatistic(
                    academic_year=year,
                    direction=direction,
                    country=country,
                    researchers=researchers,
                )
                plan.to_create.append(instance)
                plan.changes.append(f"{year} {direction} {country.name}: new, {researchers}")
                plan.rows.append(PlannedRow(line, RowResult.IMPORT_TYPE_NEW, [*cells, researchers]))
            elif current.researchers != researchers:
                old = current.researchers
                current.researchers = researchers
                plan.to_update.append(current)
                plan.changes.append(f"{year} {direction} {country.name}: {old} → {researchers}")
                plan.rows.append(
                    PlannedRow(
                        line, RowResult.IMPORT_TYPE_UPDATE, [*cells, f"{old} → {researchers}"]
                    )
                )
            else:
                plan.rows.append(
                    PlannedRow(line, RowResult.IMPORT_TYPE_SKIP, [*cells, researchers])
                )
        countries = self.matcher.countries
        for (year, direction, country_id), row in sorted(existing.items()):
            plan.missing.append(
                f"{year} {direction} {countries[country_id].name}: {row.researchers}"
            )
        plan.update_fields = ["researchers"]
        return plan


def plan_statistics(sheet, *, academic_year=None, direction=None):
    """The plan for a sheet of researcher counts; the admin and the command both call this."""
    planner = StatisticsPlanner(academic_year=academic_year, direction=direction)
    planner.read(sheet.rows)
    return planner.build()
