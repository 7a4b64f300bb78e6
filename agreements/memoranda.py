"""The published memoranda list, checked whole and turned into agreement changes.

Layout: title lines, a header "Country/Region | Institution | MOU | SEA" (the fact sheet puts
"Year of conclusion" above "MOU | SEA"), optionally a "Japanese name" column after them,
region heading rows, a blank country meaning "same as the row above", "-" meaning none,
footnote marks after names, and a Total row.

An institution the list names that is not known in its country is a new partner: it is
created with the agreements, and the preview says so, naming any known institution of that
country whose name is very close (a likely typo or variant) so staff decide first.
"""

import difflib
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.layouts import Column, Layout
from imports.text import cell_text, column_label, fold, parse_count
from places.matching import CountryMatcher
from places.models import Region

from .memoranda_changes import KINDS, agreements_in_effect, note_missing, plan_entry, refuse_repeats
from .models import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    Agreement,
    Institution,
    InstitutionKind,
)

NONE_MARKS = {"", "-", "–", "—", "ー", "－"}
FOOTNOTE_MARKS = re.compile(r"[\s¹²³⁴⁵⁶⁷⁸⁹⁰*†‡※]+$")
REGION_HEADING = re.compile(r"^(?P<name>[^(（]+?)\s*([(（].*[)）])?$")
TOTAL_LABELS = {"total", "合計"}
# A yearly list brings a handful of new partners; thousands mean a wrong country column.
MAX_NEW_INSTITUTIONS = 1000
# How alike two names in one country must be to flag the new one as a likely variant.
SIMILAR = 0.8


def strip_footnotes(name):
    return FOOTNOTE_MARKS.sub("", str(name or "")).strip()


class MemorandaLayout(Layout):
    """Country/Region, Institution, MOU year, SEA year, and optionally the Japanese name."""

    kind = "memoranda"
    kind_label = gettext_lazy("Memoranda list")
    name = gettext_lazy("Memoranda list")
    description = gettext_lazy(
        "The fact sheet's list of memoranda: one row per partner institution with the year of "
        'its MOU and of its SEA ("-" for none). Region headings, title lines and a Total row '
        "may stay in; a blank country means the same as the row above."
    )
    model = Agreement
    writes = (Institution, Agreement)
    columns = (
        Column(
            "country",
            gettext_lazy("Country/Region"),
            ("country/region", "country", "country or region", "国・地域"),
            example="France",
        ),
        Column(
            "institution",
            gettext_lazy("Institution"),
            ("institution", "institution name", "大学・機関名", "機関名"),
            example="University of Bordeaux",
        ),
        Column(
            "mou",
            gettext_lazy("MOU"),
            ("mou", "mou year", "year of mou", "MOU締結年", "学術交流協定"),
            example="2014",
        ),
        Column(
            "sea",
            gettext_lazy("SEA"),
            ("sea", "sea year", "year of sea", "SEA締結年", "学生交流協定"),
            example="2016",
        ),
        Column(
            "name_ja",
            gettext_lazy("Japanese name"),
            ("name in japanese", "institution (japanese)", "日本語名", "機関名（日本語）", "和名"),
            example="ボルドー大学",
            required=False,
        ),
    )

    def __init__(self, **options):
        super().__init__(**options)
        self.matcher = CountryMatcher()
        self.plan_ = self.new_plan()
        self.plan_.writes_for(Institution)  # new partners are written before their agreements
        self.institutions = {}
        self.names_by_country = {}
        for institution in Institution.objects.only("pk", "name", "name_ja", "country_id"):
            for spelling in (institution.name, institution.name_ja):
                if spelling:
                    key = (institution.country_id, fold(spelling))
                    self.institutions.setdefault(key, institution)
            self.names_by_country.setdefault(institution.country_id, {})[fold(institution.name)] = (
                institution.name
            )
        self.regions = {}
        for region in Region.objects.all():
            for spelling in (region.name, region.name_ja):
                if spelling:
                    self.regions[fold(spelling)] = region
        self.new = {}  # (country id, folded name) → new Institution
        self.similar = {}  # (country id, folded name) → known names very close to it
        self.entries = []  # (line, country, institution, {"mou": year, "sea": year}, name_ja)
        self.index = {}

    # -- reading ---------------------------------------------------------------------------

    def find_header(self, rows):
        column = self.column
        for index, row in enumerate(rows[:10]):
            if not (
                column("country").matches(cell_text(row, 0))
                and column("institution").matches(cell_text(row, 1))
            ):
                continue
            below = rows[index + 1] if index + 1 < len(rows) else []
            for years in (row, below):
                if column("mou").matches(cell_text(years, 2)) and column("sea").matches(
                    cell_text(years, 3)
                ):
                    self.read_extra_columns(index, row, years)
                    return index, index + (years is below)
            self.plan_.refuse(
                index + 1,
                column_label(2, cell_text(row, 2)),
                _('the columns after "Institution" must be "MOU" and "SEA".'),
            )
            return None, None
        self.plan_.refuse(
            None,
            "",
            _(
                'No header row found: the table must start with "Country/Region", "Institution", '
                '"MOU", "SEA".'
            ),
        )
        return None, None

    def read_extra_columns(self, index, *header_rows):
        """Columns after SEA: only the Japanese name is known."""
        width = max(len(row) for row in header_rows)
        for position in range(4, width):
            texts = [cell_text(row, position) for row in header_rows]
            text = next((text for text in texts if text), "")
            if not text:
                continue
            if self.column("name_ja").matches(text) and "name_ja" not in self.index:
                self.index["name_ja"] = position
            else:
                self.plan_.refuse(
                    index + 1,
                    column_label(position, text),
                    _('"%(text)s" is not a known column; after "SEA" only "%(ja)s" may follow.')
                    % {"text": text, "ja": self.column("name_ja").label},
                )

    def read(self, rows):
        plan = self.plan_
        first, last = self.find_header(rows)
        if first is None:
            return
        header_rows = {tuple(rows[first]), tuple(rows[last])}
        labels = [column_label(i, header) for i, header in enumerate(self.headers()[:4])]
        name_ja_at = self.index.get("name_ja")
        country = None
        in_others = False
        totals = None
        for index in range(last + 1, len(rows)):
            row, line = rows[index], index + 1
            cells = [cell_text(row, i) for i in range(max(len(row), 4))]
            name_ja = (
                cells[name_ja_at] if name_ja_at is not None and name_ja_at < len(cells) else ""
            )
            if not any(cells) or tuple(row) in header_rows:
                continue
            if fold(cells[0]) in TOTAL_LABELS:
                totals = (line, cells)
                break
            if any(cell for position, cell in enumerate(cells[4:], 4) if position != name_ja_at):
                plan.refuse(line, column_label(4, ""), _("unexpected text after column D."))
            if cells[0] and not cells[1] and cells[2] in NONE_MARKS and cells[3] in NONE_MARKS:
                heading = REGION_HEADING.match(cells[0])
                name = fold(heading.group("name")) if heading else fold(cells[0])
                if name in self.regions or cells[0].isupper():
                    in_others = name == "others" or (
                        name in self.regions and self.regions[name].slug == "others"
                    )
                    country = None
                    continue
            if cells[0]:
                country = self.matcher.match(strip_footnotes(cells[0]))
                if country is None:
                    plan.refuse(line, labels[0], self.matcher.unknown(cells[0]))
                    country = False  # unknown: later rows "same as above" are not checked twice
                    continue
            elif country is None and not in_others:
                plan.refuse(
                    line, labels[0], _("the country is blank and there is no row above it.")
                )
                continue
            if country is False:
                continue
            name = strip_footnotes(cells[1])
            if not name:
                plan.refuse(line, labels[1], _("the institution is missing."))
                continue
            years = {
                key: self.parse_year(line, labels[2 + n], cells[2 + n])
                for n, (key, _k) in enumerate(KINDS)
            }
            institution = self.match_institution(line, country, name, name_ja, in_others)
            if institution is not None:
                self.entries.append((line, country, institution, years, name_ja))
        if totals:
            self.check_totals(*totals, labels)

    def parse_year(self, line, label, text):
        if text in NONE_MARKS:
            return None
        year, _problem = parse_count(text)
        if year is None or not EARLIEST_YEAR <= year <= LATEST_YEAR:
            self.plan_.refuse(
                line,
                label,
                _('"%(v)s" is not a year between %(low)s and %(high)s, nor "-" for none.')
                % {"v": text, "low": EARLIEST_YEAR, "high": LATEST_YEAR},
            )
        return year

    def match_institution(self, line, country, name, name_ja, in_others):
        country_id = country.pk if country else None
        institution = self.institutions.get((country_id, fold(name)))
        if institution is None and name_ja:
            institution = self.institutions.get((country_id, fold(name_ja)))
        if institution is not None:
            if name_ja and institution.name_ja and fold(name_ja) != fold(institution.name_ja):
                self.plan_.notes.append(
                    _(
                        'Row %(line)s: the Japanese name "%(file)s" differs from the record\'s '
                        '"%(record)s"; the record is kept.'
                    )
                    % {"line": line, "file": name_ja, "record": institution.name_ja}
                )
            return institution
        key = (country_id, fold(name))
        if key in self.new:
            return self.new[key]
        if len(self.new) >= MAX_NEW_INSTITUTIONS:
            self.plan_.refuse(
                line,
                "",
                _(
                    "more than %(n)s institutions in the list are unknown; is the "
                    "Country/Region column right? Add new partners in smaller files."
                )
                % {"n": MAX_NEW_INSTITUTIONS},
            )
            return None
        kind = InstitutionKind.UNIVERSITY
        if country is None and in_others:
            kind = InstitutionKind.INTERNATIONAL_ORGANISATION
        institution = self.new[key] = Institution(
            name=name, name_ja=name_ja, country=country, kind=kind
        )
        known = self.names_by_country.get(country_id, {})
        self.similar[key] = [
            known[folded]
            for folded in difflib.get_close_matches(fold(name), known, n=3, cutoff=SIMILAR)
        ]
        return institution

    def check_totals(self, line, cells, labels):
        for position, (key, _kind) in enumerate(KINDS, 2):
            if cells[position] in NONE_MARKS:
                continue
            stated, problem = parse_count(cells[position])
            counted = sum(1 for entry in self.entries if entry[3][key])
            if problem:
                self.plan_.refuse(line, labels[position], _("the Total %s.") % problem)
            elif stated != counted:
                self.plan_.refuse(
                    line,
                    labels[position],
                    _("the Total row says %(stated)s %(kind)s, but the list has %(counted)s.")
                    % {"stated": stated, "kind": key.upper(), "counted": counted},
                )

    # -- planning --------------------------------------------------------------------------

    def plan(self, sheet):
        self.read(sheet.rows)
        plan = self.plan_
        refuse_repeats(plan, self.entries)
        if not self.entries and not plan.refused:
            plan.refuse(None, "", _("The file lists no institutions."))
        if plan.refused:
            return plan
        existing = agreements_in_effect()
        slugs = set()  # given to new institutions so far, so no two of them share one
        for entry in self.entries:
            plan_entry(plan, entry, existing=existing, similar=self.similar, slugs=slugs)
        note_missing(plan, existing)
        return plan
