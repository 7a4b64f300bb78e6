"""Django's loaddata, which also gives each record it loads a first version."""

from django.core.management.commands import loaddata
from django.db import transaction

from staff.versions import fixture_reason, initial_versions_create


class Command(loaddata.Command):
    help = (
        f"{loaddata.Command.help} Records without a version get a first one, whose reason "
        "names the fixture (the seed's: “Loaded from the fact sheet”)."
    )

    def handle(self, *fixture_labels, **options):
        with transaction.atomic(using=options["database"]):
            super().handle(*fixture_labels, **options)
            initial_versions_create(
                reason=fixture_reason(fixture_labels), using=options["database"]
            )
