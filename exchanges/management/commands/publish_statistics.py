"""Publish (or unpublish) one academic year of researcher counts, as the admin's actions do."""

from django.core.management.base import BaseCommand, CommandError

from exchanges.models import EARLIEST_ACADEMIC_YEAR, LATEST_ACADEMIC_YEAR, Direction
from exchanges.services import (
    ReleaseError,
    release_publish,
    release_total,
    release_unpublish,
)


class Command(BaseCommand):
    help = (
        "Publish an academic year of researcher counts on the public pages and downloads "
        "(both directions that have figures, or one with --direction); --unpublish takes it "
        "off them again. Every change is kept in the release's history."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", help="Academic year, e.g. 2022 (1 April 2022 – 31 March 2023).")
        parser.add_argument(
            "--direction",
            choices=Direction.values,
            help="Only inbound or only outbound (default: both).",
        )
        parser.add_argument(
            "--unpublish",
            action="store_true",
            help="Take the year off the public pages (it becomes a draft again).",
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
            what = (
                f"{year} {Direction(options['direction']).label.lower()}"
                if options["direction"]
                else str(year)
            )
            raise CommandError(f"There are no figures for {what}; import them first.")
        service = release_unpublish if options["unpublish"] else release_publish
        for direction in directions:
            what = f"{year} {Direction(direction).label.lower()}"
            if totals[direction] is None:
                self.stdout.write(f"{what}: no figures, left alone.")
                continue
            try:
                _release, changed = service(academic_year=year, direction=direction)
            except ReleaseError as error:
                raise CommandError(str(error)) from error
            figures = f"{totals[direction]:,} researchers"
            if options["unpublish"]:
                self.stdout.write(
                    self.style.SUCCESS(f"Unpublished {what} ({figures}): now a draft.")
                    if changed
                    else f"{what} ({figures}) is already a draft; nothing changed."
                )
            else:
                self.stdout.write(
                    self.style.SUCCESS(f"Published {what} ({figures}).")
                    if changed
                    else f"{what} ({figures}) is already published; nothing changed."
                )


def parse_year(text):
    try:
        year = int(text)
    except ValueError:
        year = None
    if year is None or not EARLIEST_ACADEMIC_YEAR <= year <= LATEST_ACADEMIC_YEAR:
        raise CommandError(
            f"“{text}” is not an academic year: give a year between {EARLIEST_ACADEMIC_YEAR} "
            f"and {LATEST_ACADEMIC_YEAR}, e.g. 2022."
        )
    return year
