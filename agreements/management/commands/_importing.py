"""What the import commands share: run the admin's path, print the outcome, fail loudly."""

from django.core.management.base import CommandError

from agreements.importing import ImportRefused, import_file


def run_import(command, resource, path, *, dry_run, **options):
    try:
        plan, record = import_file(resource, path, dry_run=dry_run, **options)
    except FileNotFoundError as error:
        raise CommandError(f"{path}: no such file.") from error
    except ImportRefused as refusal:
        for problem in refusal.problems:
            command.stderr.write(f"{path}: {problem}")
        raise CommandError(
            f"{path} was refused ({len(refusal.problems)} problems); nothing was changed."
        ) from refusal
    for subtotal in plan.subtotals:
        command.stdout.write(
            f"  {subtotal['region']}: heading {subtotal['heading']}, rows {subtotal['rows']}"
        )
    for change in plan.changes[:50]:
        command.stdout.write(f"  {change}")
    if len(plan.changes) > 50:
        command.stdout.write(f"  … and {len(plan.changes) - 50} more changes.")
    for missing in plan.missing[:50]:
        command.stdout.write(f"  Not in the file, kept: {missing}")
    prefix = "Dry run, nothing written" if dry_run else str(record)
    command.stdout.write(command.style.SUCCESS(f"{prefix}: {plan.summary_text()}"))
