"""Prepare a local database: migrate, load the seed data once, and make a staff account."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Institution
from operations.commands import OperatorLanguageMixin


class Command(OperatorLanguageMixin, BaseCommand):
    help = gettext_lazy(
        "Migrate, load the fact sheet's seed data into an empty database, and create a local "
        "superuser with a generated password (printed once) if there is none."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--username",
            default="admin",
            help=_("Name of the local superuser (default: admin)."),
        )

    def handle(self, *args, username, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(_("Database is migrated."))

        # Loading the seed over existing records would undo staff edits, so only fill an
        # empty database.
        if Institution.objects.exists():
            self.stdout.write(_("Records exist already; the seed data is not loaded again."))
        else:
            call_command("loaddata", "seed", verbosity=0)
            self.stdout.write(
                _("Seed data loaded: %(count)s partner institutions.")
                % {"count": Institution.objects.count()}
            )

        user_model = get_user_model()
        if user_model.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                _("A superuser exists already. Forgot the password? Run: %(command)s")
                % {"command": f"bash bin/manage changepassword {username}"}
            )
            return
        password = secrets.token_urlsafe(18)
        user_model.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Created the local superuser for %(address)s\n"
                    "    username: %(username)s\n    password: %(password)s\n"
                    "This password is shown only now."
                )
                % {
                    "address": "http://127.0.0.1:8000/admin/",
                    "username": username,
                    "password": password,
                }
            )
        )
