"""Load a spreadsheet of researcher counts, exactly as the admin's import does."""

from django.core.management.base import BaseCommand

from agreements.management.commands._importing import run_import
from exchanges.models import Direction
from exchanges.resources import ExchangeStatisticResource


class Command(BaseCommand):
    help = (
        "Import researcher counts from a CSV or XLSX file (published layout or plain table). "
        "Nothing is written unless the whole file is sound."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8 or Shift_JIS) or XLSX file.")
        parser.add_argument(
            "--year",
            type=int,
            help="Academic year, e.g. 2022 (required for the published layout).",
        )
        parser.add_argument(
            "--direction",
            choices=Direction.values,
            help="inbound or outbound (required for the published layout).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )

    def handle(self, *args, **options):
        run_import(
            self,
            ExchangeStatisticResource(),
            options["file"],
            dry_run=options["dry_run"],
            academic_year=options["year"],
            direction=options["direction"],
        )
