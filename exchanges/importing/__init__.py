"""Researcher counts from a spreadsheet: the published layout or a plain table, checked whole.

Both layouts read rows into entries (line, academic year, direction, country, researchers);
what the entries would change is worked out here, in one place.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.results import RowResult

from imports.layouts import Column, Layout
from imports.plans import ABSENT, PlannedRow
from imports.text import fold, in_every_language, parse_count
from places.matching import CountryMatcher

from ..models import (
    EARLIEST_ACADEMIC_YEAR,
    LATEST_ACADEMIC_YEAR,
    Direction,
    ExchangeStatistic,
    StatisticsRelease,
)

DIRECTION_WORDS = {
    Direction.INBOUND: ("from abroad", "受入", "受け入れ", "inbound"),
    Direction.OUTBOUND: ("going abroad", "to abroad", "派遣", "outbound"),
}


def _direction_spellings():
    spellings = {}
    for direction in Direction:
        spellings[fold(direction.value)] = direction.value
        for label in in_every_language(direction.label):
            spellings[fold(label)] = direction.value
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


COUNTRY = Column(
    "country",
    gettext_lazy("Country/Region"),
    ("country/region", "country", "country or region", "region", "国・地域", "国", "国名"),
    example="Republic of Korea",
)


class StatisticsLayout(Layout):
    """What both layouts of researcher counts share: matching, and the plan from entries."""

    kind = "statistics"
    kind_label = gettext_lazy("Researcher counts")
    model = ExchangeStatistic

    @classmethod
    def preview_headers(cls):
        return [_("Academic year"), _("Direction"), _("Country/Region"), _("Researchers")]

    def __init__(self, *, academic_year=None, direction=None, **options):
        super().__init__(**options)
        self.academic_year = int(academic_year) if academic_year else None
        self.direction = direction or None
        self.matcher = CountryMatcher()
        self.plan_ = self.new_plan()
        self.entries = []  # (line, year, direction, country, researchers)

    def match_country(self, line, column, text):
        country = self.matcher.match(text)
        if country is None:
            self.plan_.refuse(line, column, self.matcher.unknown(text))
        return country

    def read(self, rows):
        raise NotImplementedError

    def plan(self, sheet):
        self.read(sheet.rows)
        plan = self.plan_
        self.refuse_repeats()
        if not self.entries and not plan.refused:
            plan.refuse(None, "", _("The file has no rows of counts."))
        if plan.refused:
            return plan
        scopes = sorted({(year, direction) for _l, year, direction, _c, _r in self.entries})
        plan.scope = ", ".join(f"{year} {direction}" for year, direction in scopes)
        existing = self.existing_counts(scopes)
        labels = dict(Direction.choices)
        for entry in self.entries:
            self.plan_entry(entry, existing, labels)
        self.note_releases(plan, scopes)
        self.note_missing(existing)
        return plan

    def refuse_repeats(self):
        seen = {}
        for line, year, direction, country, _researchers in self.entries:
            if country is None or year is None or direction is None:
                continue
            key = (year, direction, country.pk)
            if key in seen:
                self.plan_.refuse(
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

    @staticmethod
    def existing_counts(scopes):
        """The stored counts of the years and directions the file covers, by their key."""
        return {
            (row.academic_year, row.direction, row.country_id): row
            for row in ExchangeStatistic.objects.filter(
                academic_year__in={year for year, _d in scopes},
                direction__in={direction for _y, direction in scopes},
            )
            if (row.academic_year, row.direction) in scopes
        }

    def plan_entry(self, entry, existing, labels):
        """Plan one row of counts, taking the count it replaces out of `existing`: what is left
        there is what the file no longer lists."""
        plan = self.plan_
        line, year, direction, country, researchers = entry
        current = existing.pop((year, direction, country.pk), None)
        cells = [year, labels[direction], country.name]
        name = f"{year} {direction} {country.name}"
        plan.basis[name] = ABSENT if current is None else str(current.researchers)
        if current is None:
            # By key, not object: a national file makes 100,000 of these.
            plan.create(
                ExchangeStatistic(
                    academic_year=year,
                    direction=direction,
                    country_id=country.pk,
                    researchers=researchers,
                )
            )
            plan.changes.append(f"{name}: new, {researchers}")
            plan.rows.append(PlannedRow(line, RowResult.IMPORT_TYPE_NEW, [*cells, researchers]))
        elif current.researchers != researchers:
            old = current.researchers
            current.researchers = researchers
            plan.update(current, ["researchers"], [old])
            plan.changes.append(f"{name}: {old} → {researchers}")
            plan.rows.append(
                PlannedRow(line, RowResult.IMPORT_TYPE_UPDATE, [*cells, f"{old} → {researchers}"])
            )
        else:
            plan.rows.append(PlannedRow(line, RowResult.IMPORT_TYPE_SKIP, [*cells, researchers]))

    def note_missing(self, existing):
        """Name the stored counts of the covered years that the file no longer lists."""
        countries = self.matcher.countries
        for (year, direction, country_id), row in sorted(existing.items()):
            self.plan_.missing.append(
                f"{year} {direction} {countries[country_id].name}: {row.researchers}"
            )

    def note_releases(self, plan, scopes):
        """Say what confirming does to the public pages: a published year changes at once."""
        states = {
            (release.academic_year, release.direction): release
            for release in StatisticsRelease.objects.filter(
                academic_year__in={year for year, _d in scopes}
            )
        }
        changed = {(obj.academic_year, obj.direction) for obj in (*plan.to_create, *plan.to_update)}
        labels = dict(Direction.choices)
        for year, direction in scopes:
            release = states.get((year, direction))
            # Confirm applies the plan only if the release is still as the preview saw it.
            plan.basis[f"release {year} {direction}"] = release.state if release else ABSENT
            if (year, direction) not in changed:
                continue
            what = f"{year} {labels[direction].lower()}"
            if release is not None and release.is_published:
                plan.notes.append(
                    _(
                        "%(what)s is published: confirming this import changes the public "
                        "pages at once (statistics, home page, fact sheet and downloads)."
                    )
                    % {"what": what}
                )
            else:
                plan.notes.append(
                    _(
                        "%(what)s is a draft: confirming this import changes no public page "
                        "until the year is published (Statistics releases, or the "
                        "publish_statistics command)."
                    )
                    % {"what": what}
                )
