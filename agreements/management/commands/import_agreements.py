"""Load the published memoranda list, exactly as the admin's import does."""

from django.core.management.base import BaseCommand

from agreements.management.commands._importing import run_import
from agreements.resources import MemorandaResource


class Command(BaseCommand):
    help = (
        "Import the memoranda list (Country/Region, Institution, MOU, SEA) from CSV or XLSX. "
        "Nothing is written unless the whole file is sound."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8 or Shift_JIS) or XLSX file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )

    def handle(self, *args, **options):
        run_import(self, MemorandaResource(), options["file"], dry_run=options["dry_run"])
