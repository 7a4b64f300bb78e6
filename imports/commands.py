"""The base of the import commands: the admin's code path, its output, a non-zero exit."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from operations.commands import OperatorLanguageMixin

from .formats import SheetDataset
from .plans import ImportRefused, Problem
from .reading import SpreadsheetError, read_spreadsheet_file

SHOWN_LINES = 50


def import_file(resource, path, *, dry_run=False, user=None, **options):
    """Run a file through a resource exactly as the admin's confirm does; return the result.

    Raises ImportRefused with every problem when the file is refused (nothing is written).
    """
    try:
        sheet = read_spreadsheet_file(path)
    except SpreadsheetError as error:
        raise ImportRefused([Problem(None, "", str(error))]) from error
    result = resource.import_data(
        SheetDataset(sheet),
        dry_run=dry_run,
        file_name=Path(path).name,
        user=user,
        rollback_on_validation_errors=True,
        **options,
    )
    if result.has_errors() or result.has_validation_errors():
        problems = list(result.problems)
        problems += [Problem(None, "", str(error.error)) for error in result.base_errors]
        for line, errors in result.row_errors():
            problems += [Problem(line, "", str(error.error)) for error in errors]
        if not result.problems:
            problems += [
                Problem(row.number, "", str(row.error_dict)) for row in result.invalid_rows
            ]
        raise ImportRefused(problems, result.more_problems)
    return result


class ImportCommand(OperatorLanguageMixin, BaseCommand):
    """Import one file with `resource_class`; subclasses add their options."""

    resource_class = None

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("CSV (UTF-8, UTF-16 or Shift_JIS) or XLSX file."))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Check and report; write nothing.")
        )

    def import_options(self, options):
        """The options passed to the import, e.g. the academic year."""
        return {}

    def handle(self, *args, **options):
        path = options["file"]
        try:
            result = import_file(
                self.resource_class(),
                path,
                dry_run=options["dry_run"],
                **self.import_options(options),
            )
        except (FileNotFoundError, IsADirectoryError) as error:
            raise CommandError(_("%(path)s: no such file.") % {"path": path}) from error
        except ImportRefused as refusal:
            for problem in refusal.problems:
                self.stderr.write(f"{path}: {problem}")
            count = len(refusal.problems) + refusal.more
            if refusal.more:
                self.stderr.write(
                    _("%(path)s: … and %(n)s more problems.") % {"path": path, "n": refusal.more}
                )
            raise CommandError(
                ngettext(
                    "%(path)s was refused (%(count)s problem); nothing was changed.",
                    "%(path)s was refused (%(count)s problems); nothing was changed.",
                    count,
                )
                % {"path": path, "count": count}
            ) from refusal
        self.report(result, dry_run=options["dry_run"])

    def report(self, result, *, dry_run):
        plan = result.plan
        record = result.import_record
        if plan is None:
            summary = _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged.") % {
                "new": result.totals["new"],
                "changed": result.totals["update"],
                "unchanged": result.totals["skip"],
            }
        else:
            for subtotal in plan.subtotals:
                self.stdout.write(
                    "  "
                    + _("%(region)s: heading %(heading)s, rows %(rows)s")
                    % {
                        "region": subtotal["region"],
                        "heading": subtotal["heading"],
                        "rows": subtotal["rows"],
                    }
                )
            for line in plan.changes[:SHOWN_LINES]:
                self.stdout.write(f"  {line}")
            if len(plan.changes) > SHOWN_LINES:
                more = len(plan.changes) - SHOWN_LINES
                self.stdout.write("  " + _("… and %(n)s more changes.") % {"n": more})
            for note in plan.notes[:SHOWN_LINES]:
                self.stdout.write("  " + _("Check: %(note)s") % {"note": note})
            for missing in plan.missing[:SHOWN_LINES]:
                self.stdout.write("  " + _("Not in the file, kept: %(what)s") % {"what": missing})
            summary = plan.summary_text()
        prefix = _("Dry run, nothing written") if dry_run else str(record)
        self.stdout.write(self.style.SUCCESS(f"{prefix}: {summary}"))
