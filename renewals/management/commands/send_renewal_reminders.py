"""E-mail the renewal reminders that are due today, each once; for cron, once a day."""

from django.conf import settings
from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import AgreementKind
from operations.commands import OperatorLanguageMixin
from operations.day_windows import BadDayWindows, day_windows
from renewals.reminders import ReminderNotSent, due_reminders, reminder_send


class Command(OperatorLanguageMixin, BaseCommand):
    help = gettext_lazy(
        "E-mail the responsible staff member (or RENEWAL_REMINDER_FALLBACK_EMAIL) when an "
        "agreement in effect enters a window of RENEWAL_REMINDER_DAYS before its end. Each "
        "reminder is sent once; run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Print what would be sent; send and record nothing."),
        )

    def handle(self, *args, dry_run=False, **options):
        try:
            windows = day_windows(settings.RENEWAL_REMINDER_DAYS, setting="RENEWAL_REMINDER_DAYS")
        except BadDayWindows as error:
            raise CommandError(str(error)) from None
        if not settings.SITE_URL:
            raise CommandError(
                _(
                    "DJANGO_SITE_URL is not set: the reminders link to the admin at the site's "
                    "address, e.g. https://partners.example.ac.jp."
                )
            )
        today = timezone.localdate()
        due = due_reminders(today=today, windows=windows)
        nobody = [item for item in due if item.recipient is None and item.window is not None]
        for item in nobody:
            self.stderr.write(
                _(
                    "No one to remind of %(agreement)s: no responsible staff member with an "
                    "e-mail address, and RENEWAL_REMINDER_FALLBACK_EMAIL is not set."
                )
                % {"agreement": _describe(item.agreement)}
            )
        sendable = [item for item in due if item not in nobody]
        if dry_run:
            self._print_plan(sendable)
            if nobody:
                raise CommandError(_("Some reminders have no one to go to (see above)."))
            return
        sent = 0
        failure = None
        connection = get_connection(fail_silently=False)
        try:
            for item in sendable:
                try:
                    done = reminder_send(due=item, connection=connection)
                except ReminderNotSent as error:
                    failure = error
                    if error.unconfirmed:
                        message = _(
                            "The mail server did not confirm that it took the reminder of "
                            "%(agreement)s to %(recipient)s (%(error)s): it may arrive. The next "
                            "run sends it again with the same Message-ID."
                        )
                    else:
                        message = _(
                            "The reminder of %(agreement)s to %(recipient)s could not be sent: "
                            "%(error)s"
                        )
                    self.stderr.write(
                        message
                        % {
                            "agreement": _describe(item.agreement),
                            "recipient": item.recipient.address,
                            "error": error,
                        }
                    )
                    # The mail server is down or refuses us: the others would fail alike.
                    break
                if not done:
                    continue  # another run at the same time took it
                self._print_done(item)
                sent += item.window is not None
        finally:
            connection.close()
        if failure is not None:
            raise CommandError(
                _(
                    "Sending stopped at the mail server's error; %(sent)d sent. The reminders "
                    "not sent are tried again on the next run."
                )
                % {"sent": sent}
            )
        if nobody:
            raise CommandError(_("Some reminders have no one to go to (see above)."))

    def _print_plan(self, due):
        if not due:
            self.stdout.write(_("Nothing to send."))
        for item in due:
            if item.window is not None:
                self.stdout.write(
                    _("Would send: %(reminder)s to %(recipient)s")
                    % {"reminder": _reminder(item, item.window), "recipient": _to(item)}
                )
            for window in item.skipped:
                self.stdout.write(
                    _("Would record as skipped: %(reminder)s")
                    % {"reminder": _reminder(item, window)}
                )

    def _print_done(self, item):
        if item.window is not None:
            self.stdout.write(
                _("Sent: %(reminder)s to %(recipient)s")
                % {"reminder": _reminder(item, item.window), "recipient": _to(item)}
            )
        for window in item.skipped:
            self.stdout.write(
                _("Recorded as skipped: %(reminder)s") % {"reminder": _reminder(item, window)}
            )


def _describe(agreement):
    return _("%(kind)s with %(institution)s (ends %(end)s)") % {
        "kind": AgreementKind(agreement.kind).short_label,
        "institution": agreement.institution.local_name,
        "end": date_format(agreement.end_date, "DATE_FORMAT"),
    }


def _reminder(item, window):
    return _("the %(days)d-day reminder of %(agreement)s") % {
        "days": window,
        "agreement": _describe(item.agreement),
    }


def _to(item):
    languages = "+".join(item.recipient.languages)
    return f"{item.recipient.address} ({languages})"
