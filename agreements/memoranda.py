"""The published memoranda list, checked whole and turned into agreement changes.

Layout: title lines, a header "Country/Region | Institution | MOU | SEA" (the fact sheet puts
"Year of conclusion" above "MOU | SEA"), region heading rows, a blank country meaning "same as
the row above", "-" meaning none, footnote marks after names, and a Total row.
"""

import difflib
import re

from django.utils.translation import gettext as _
from import_export.results import RowResult

from .importing import ImportPlan, PlannedRow, column_label, parse_count
from .matching import CountryMatcher, fold
from .models import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    Agreement,
    AgreementKind,
    AgreementStatus,
    ImportKind,
    Institution,
    Region,
)

HEADERS = [_("Country/Region"), _("Institution"), _("MOU"), _("SEA")]
COUNTRY_SPELLINGS = {"country/region", "country", "country or region", "国・地域"}
INSTITUTION_SPELLINGS = {"institution", "institution name", "大学・機関名", "機関名"}
MOU_SPELLINGS = {"mou", "mou year", "year of mou"}
SEA_SPELLINGS = {"sea", "sea year", "year of sea"}
NONE_MARKS = {"", "-", "–", "—", "ー", "－"}
FOOTNOTE_MARKS = re.compile(r"[\s¹²³⁴⁵⁶⁷⁸⁹⁰*†‡※]+$")
REGION_HEADING = re.compile(r"^(?P<name>[^(（]+?)\s*([(（].*[)）])?$")
TOTAL_LABELS = {"total", "合計"}
KINDS = [("mou", AgreementKind.MOU, 2), ("sea", AgreementKind.SEA, 3)]


def strip_footnotes(name):
    return FOOTNOTE_MARKS.sub("", str(name or "")).strip()


def _text(row, index):
    value = row[index] if index < len(row) else None
    return "" if value is None else str(value).strip()


class MemorandaPlanner:
    def __init__(self):
        self.matcher = CountryMatcher()
        self.plan = ImportPlan(kind=ImportKind.MEMORANDA, model=Agreement, headers=HEADERS)
        self.institutions = {}
        self.names_by_country = {}
        for institution in Institution.objects.only("pk", "name", "name_ja", "country_id"):
            for spelling in (institution.name, institution.name_ja):
                if spelling:
                    key = (institution.country_id, fold(spelling))
                    self.institutions.setdefault(key, institution)
            self.names_by_country.setdefault(institution.country_id, []).append(institution.name)
        self.regions = {fold(region.name): region for region in Region.objects.all()}
        self.entries = []  # (line, country, institution, {"mou": year, "sea": year})

    def find_header(self, rows):
        for index, row in enumerate(rows[:10]):
            if fold(_text(row, 0)) in COUNTRY_SPELLINGS and fold(_text(row, 1)) in (
                INSTITUTION_SPELLINGS
            ):
                if fold(_text(row, 2)) in MOU_SPELLINGS and fold(_text(row, 3)) in SEA_SPELLINGS:
                    return index, index
                below = rows[index + 1] if index + 1 < len(rows) else []
                if fold(_text(below, 2)) in MOU_SPELLINGS and fold(_text(below, 3)) in (
                    SEA_SPELLINGS
                ):
                    return index, index + 1
                self.plan.refuse(
                    index + 1,
                    column_label(2, _text(row, 2)),
                    _('the columns after "Institution" must be "MOU" and "SEA".'),
                )
                return None, None
        self.plan.refuse(
            None,
            "",
            _(
                'No header row found: the table must start with "Country/Region", "Institution", '
                '"MOU", "SEA".'
            ),
        )
        return None, None

    def read(self, rows):
        first, last = self.find_header(rows)
        if first is None:
            return
        header_rows = {tuple(rows[first]), tuple(rows[last])}
        labels = [column_label(i, str(h)) for i, h in enumerate(HEADERS)]
        country = None
        in_others = False
        totals = None
        for index in range(last + 1, len(rows)):
            row, line = rows[index], index + 1
            cells = [_text(row, i) for i in range(max(len(row), 4))]
            if not any(cells) or tuple(row) in header_rows:
                continue
            if fold(cells[0]) in TOTAL_LABELS:
                totals = (line, cells)
                break
            if any(cells[4:]):
                self.plan.refuse(line, column_label(4, ""), _("unexpected text after column D."))
            if cells[0] and not cells[1] and cells[2] in NONE_MARKS and cells[3] in NONE_MARKS:
                heading = REGION_HEADING.match(cells[0])
                name = fold(heading.group("name")) if heading else fold(cells[0])
                if name in self.regions or cells[0].isupper():
                    in_others = name == "others"
                    country = None
                    continue
            if cells[0]:
                country = self.matcher.match(strip_footnotes(cells[0]))
                if country is None:
                    closest = self.matcher.closest(cells[0])
                    message = _('"%(text)s" is not a known country or region.') % {"text": cells[0]}
                    if closest:
                        message += " " + _("Closest known: %(names)s.") % {
                            "names": ", ".join(closest)
                        }
                    self.plan.refuse(line, labels[0], message)
                    country = False  # unknown: later rows "same as above" are not checked twice
                    continue
            elif country is None and not in_others:
                self.plan.refuse(
                    line, labels[0], _("the country is blank and there is no row above it.")
                )
                continue
            if country is False:
                continue
            name = strip_footnotes(cells[1])
            if not name:
                self.plan.refuse(line, labels[1], _("the institution is missing."))
                continue
            institution = self.match_institution(line, labels[1], country, name)
            years = {}
            for key, _kind, column in KINDS:
                years[key] = self.parse_year(line, labels[column], cells[column])
            if institution is not None:
                self.entries.append((line, country, institution, years))
        if totals:
            self.check_totals(*totals, labels)

    def parse_year(self, line, label, text):
        if text in NONE_MARKS:
            return None
        year, _problem = parse_count(text)
        if year is None or not EARLIEST_YEAR <= year <= LATEST_YEAR:
            self.plan.refuse(
                line,
                label,
                _('"%(v)s" is not a year between %(low)s and %(high)s, nor "-" for none.')
                % {"v": text, "low": EARLIEST_YEAR, "high": LATEST_YEAR},
            )
        return year

    def match_institution(self, line, label, country, name):
        country_id = country.pk if country else None
        institution = self.institutions.get((country_id, fold(name)))
        if institution is None:
            closest = difflib.get_close_matches(
                name, self.names_by_country.get(country_id, []), n=3, cutoff=0.6
            )
            where = country.name if country else _("no country")
            message = _('"%(name)s" is not a known institution in %(where)s.') % {
                "name": name,
                "where": where,
            }
            if closest:
                message += " " + _("Closest known: %(names)s.") % {"names": "; ".join(closest)}
            else:
                message += " " + _("Add the institution in the admin first.")
            self.plan.refuse(line, label, message)
        return institution

    def check_totals(self, line, cells, labels):
        for key, _kind, column in KINDS:
            if cells[column] in NONE_MARKS:
                continue
            stated, problem = parse_count(cells[column])
            counted = sum(1 for entry in self.entries if entry[3][key])
            if problem:
                self.plan.refuse(line, labels[column], _("the Total %s.") % problem)
            elif stated != counted:
                self.plan.refuse(
                    line,
                    labels[column],
                    _("the Total row says %(stated)s %(kind)s, but the list has %(counted)s.")
                    % {"stated": stated, "kind": key.upper(), "counted": counted},
                )

    def build(self):
        plan = self.plan
        seen = {}
        for line, _country, institution, _years in self.entries:
            if institution.pk in seen:
                plan.refuse(
                    line,
                    "",
                    _("%(name)s appears twice (also row %(other)s).")
                    % {"name": institution.name, "other": seen[institution.pk]},
                )
            seen[institution.pk] = line
        if not self.entries and not plan.problems:
            plan.refuse(None, "", _("The file lists no institutions."))
        if plan.problems:
            return plan
        existing = {
            (agreement.institution_id, agreement.kind): agreement
            for agreement in Agreement.objects.filter(status=AgreementStatus.IN_EFFECT)
            .select_related("institution")
            .order_by("pk")
        }
        for line, country, institution, years in self.entries:
            cells = [country.name if country else "", institution.name]
            types = set()
            for key, kind, _column in KINDS:
                year = years[key]
                current = existing.pop((institution.pk, kind), None)
                if year is None:
                    cells.append("-")
                    if current is not None:
                        plan.missing.append(
                            f"{institution.name}: {key.upper()} {current.concluded_year}"
                        )
                elif current is None:
                    plan.to_create.append(
                        Agreement(institution=institution, kind=kind, concluded_year=year)
                    )
                    plan.changes.append(f"{institution.name}: new {key.upper()} {year}")
                    types.add(RowResult.IMPORT_TYPE_NEW)
                    cells.append(year)
                elif current.concluded_year != year:
                    old = current.concluded_year
                    current.concluded_year = year
                    plan.to_update.append(current)
                    plan.changes.append(f"{institution.name}: {key.upper()} {old} → {year}")
                    types.add(RowResult.IMPORT_TYPE_UPDATE)
                    cells.append(f"{old} → {year}")
                else:
                    cells.append(year)
            import_type = next(
                (
                    t
                    for t in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE)
                    if t in types
                ),
                RowResult.IMPORT_TYPE_SKIP,
            )
            plan.rows.append(PlannedRow(line=line, import_type=import_type, cells=cells))
        for (_institution_id, kind), agreement in existing.items():
            plan.missing.append(
                f"{agreement.institution.name}: {kind.upper()} {agreement.concluded_year}"
            )
        plan.update_fields = ["concluded_year"]
        return plan


def plan_memoranda(sheet, **_options):
    """The plan for a memoranda list; the admin and import_agreements both call this."""
    planner = MemorandaPlanner()
    planner.read(sheet.rows)
    return planner.build()
