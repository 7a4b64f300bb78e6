"""Give every record that has no version yet a first one."""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from operations.commands import OperatorLanguageMixin
from staff.versions import initial_versions_create


class Command(OperatorLanguageMixin, BaseCommand):
    help = gettext_lazy(
        "Give every record without any version (loaded before loaddata made them) a first "
        "version, so its first edit can be undone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reason",
            default="Loaded from the fact sheet",
            help=_("Reason the first versions give (default: Loaded from the fact sheet)."),
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, reason, database, **options):
        with transaction.atomic(using=database):
            made = initial_versions_create(reason=reason, using=database)
        self.stdout.write(_("First versions made: %(made)s.") % {"made": made})
