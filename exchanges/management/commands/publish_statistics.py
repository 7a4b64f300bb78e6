"""Publish (or unpublish) one academic year of researcher counts, as the admin's actions do."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from exchanges.models import EARLIEST_ACADEMIC_YEAR, LATEST_ACADEMIC_YEAR, Direction
from exchanges.services import (
    ReleaseError,
    release_publish,
    release_total,
    release_unpublish,
)
from operations.commands import OperatorLanguageMixin


class Command(OperatorLanguageMixin, BaseCommand):
    help = gettext_lazy(
        "Publish an academic year of researcher counts on the public pages and downloads "
        "(both directions that have figures, or one with --direction); --unpublish takes it "
        "off them again. Every change is kept in the release's history."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "year", help=_("Academic year, e.g. 2022 (1 April 2022 – 31 March 2023).")
        )
        parser.add_argument(
            "--direction",
            choices=Direction.values,
            help=_("Only inbound or only outbound (default: both)."),
        )
        parser.add_argument(
            "--unpublish",
            action="store_true",
            help=_("Take the year off the public pages (it becomes a draft again)."),
        )

    def handle(self, *args, **options):
        year = parse_year(options["year"])
        directions = [options["direction"]] if options["direction"] else Direction.values
        totals = {
            direction: release_total(academic_year=year, direction=direction)
            for direction in directions
        }
        with_figures = [direction for direction in directions if totals[direction] is not None]
        if not with_figures:
            what = release_name(year, options["direction"]) if options["direction"] else str(year)
            raise CommandError(
                _("There are no figures for %(what)s; import them first.") % {"what": what}
            )
        service = release_unpublish if options["unpublish"] else release_publish
        for direction in directions:
            what = release_name(year, direction)
            if totals[direction] is None:
                self.stdout.write(_("%(what)s: no figures, left alone.") % {"what": what})
                continue
            try:
                _release, changed = service(academic_year=year, direction=direction)
            except ReleaseError as error:
                raise CommandError(str(error)) from error
            names = {
                "what": what,
                "figures": ngettext(
                    "%(count)s researcher", "%(count)s researchers", totals[direction]
                )
                % {"count": f"{totals[direction]:,}"},
            }
            if options["unpublish"]:
                self.stdout.write(
                    self.style.SUCCESS(
                        _("Unpublished %(what)s (%(figures)s): now a draft.") % names
                    )
                    if changed
                    else _("%(what)s (%(figures)s) is already a draft; nothing changed.") % names
                )
            else:
                self.stdout.write(
                    self.style.SUCCESS(_("Published %(what)s (%(figures)s).") % names)
                    if changed
                    else _("%(what)s (%(figures)s) is already published; nothing changed.") % names
                )


def release_name(year, direction):
    """Name one year and direction as the command does: "2023 researchers from abroad"."""
    return _("%(year)s %(direction)s") % {
        "year": year,
        "direction": Direction(direction).label.lower(),
    }


def parse_year(text):
    try:
        year = int(text)
    except ValueError:
        year = None
    if year is None or not EARLIEST_ACADEMIC_YEAR <= year <= LATEST_ACADEMIC_YEAR:
        raise CommandError(
            _(
                "“%(text)s” is not an academic year: give a year between %(low)s and %(high)s, "
                "e.g. 2022."
            )
            % {"text": text, "low": EARLIEST_ACADEMIC_YEAR, "high": LATEST_ACADEMIC_YEAR}
        )
    return year
