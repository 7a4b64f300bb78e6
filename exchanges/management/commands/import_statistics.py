"""Load a spreadsheet of researcher counts, exactly as the admin's import does."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exchanges.models import Direction
from exchanges.resources import ExchangeStatisticResource
from imports.commands import ImportCommand


class Command(ImportCommand):
    help = gettext_lazy(
        "Import researcher counts from a CSV or XLSX file (published layout or plain table). "
        "Nothing is written unless the whole file is sound."
    )
    resource_class = ExchangeStatisticResource

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--year",
            type=int,
            help=_("Academic year, e.g. 2022 (required for the published layout)."),
        )
        parser.add_argument(
            "--direction",
            choices=Direction.values,
            help=_("inbound or outbound (required for the published layout)."),
        )

    def import_options(self, options):
        return {"academic_year": options["year"], "direction": options["direction"]}
