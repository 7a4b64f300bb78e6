"""Remove uploads that waited for a confirm that never came."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.tmp_storages import MediaStorage

from operations.commands import OperatorLanguageMixin


class Command(OperatorLanguageMixin, BaseCommand):
    help = gettext_lazy("Delete stored import uploads older than --hours (default 24).")

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=24, help=_("Age in hours (default 24)."))

    def handle(self, *args, **options):
        storage = MediaStorage()
        folder = storage.MEDIA_FOLDER
        cutoff = timezone.now() - datetime.timedelta(hours=options["hours"])
        try:
            _folders, names = storage._storage.listdir(folder)
        except FileNotFoundError:
            names = []
        removed = 0
        for name in names:
            path = f"{folder}/{name}"
            if storage._storage.get_modified_time(path) < cutoff:
                storage._storage.delete(path)
                removed += 1
        self.stdout.write(
            _("Removed %(count)s abandoned upload(s) from %(folder)s/.")
            % {"count": removed, "folder": folder}
        )
