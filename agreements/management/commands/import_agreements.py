"""Load the published memoranda list, exactly as the admin's import does."""

from django.utils.translation import gettext_lazy

from agreements.resources import MemorandaResource
from imports.commands import ImportCommand


class Command(ImportCommand):
    help = gettext_lazy(
        "Import the memoranda list (Country/Region, Institution, MOU, SEA, optionally Japanese "
        "name) from CSV or XLSX. New partners are added. Nothing is written unless the whole "
        "file is sound."
    )
    resource_class = MemorandaResource
