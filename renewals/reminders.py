"""Which renewal reminders are due, to whom they go, what they say, and sending each once."""

import dataclasses
import datetime
import hashlib
import smtplib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage
from django.db import IntegrityError, router, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements.models import Agreement, AgreementKind, AgreementStatus, RenewalType
from operations.mail import DeliveryUnconfirmed

from .models import ReminderOutcome, RenewalReminder
from .terms import months_added


@dataclasses.dataclass(frozen=True)
class Recipient:
    """Where a reminder goes, and in which languages it is written (both for the fallback)."""

    address: str
    languages: tuple
    responsible: bool


@dataclasses.dataclass
class DueReminder:
    """The narrowest window an agreement has entered and not been reminded of (``window``,
    None when that one went out already), and the wider ones a run will not send."""

    agreement: Agreement
    window: int | None
    skipped: list
    days_left: int
    recipient: Recipient | None


class ReminderNotSent(Exception):
    """The mail server refused, could not be reached, or did not confirm it took the mail in
    time (``unconfirmed``: the whole mail went out, so it may arrive); nothing of this reminder
    was kept, and the next run sends it again."""

    def __init__(self, message, *, unconfirmed=False):
        super().__init__(message)
        self.unconfirmed = unconfirmed


def due_reminders(*, today, windows):
    """Every reminder due today, in order of end date: agreements in effect (or being
    renewed) whose end date is today or later and within the widest window."""
    agreements = (
        Agreement.objects.in_effect()
        .filter(end_date__gte=today, end_date__lte=today + datetime.timedelta(days=max(windows)))
        .select_related("institution__country", "responsible_staff__reminder_profile")
        .order_by("end_date", "pk")
    )
    agreements = list(agreements)
    recorded = set(
        RenewalReminder.objects.filter(agreement__in=agreements).values_list(
            "agreement_id", "window_days", "end_date"
        )
    )
    due = []
    for agreement in agreements:
        days_left = (agreement.end_date - today).days
        entered = sorted(window for window in windows if days_left <= window)
        if not entered:
            continue
        narrowest, *wider = entered
        if (agreement.pk, narrowest, agreement.end_date) in recorded:
            narrowest = None
        skipped = [w for w in wider if (agreement.pk, w, agreement.end_date) not in recorded]
        if narrowest is None and not skipped:
            continue
        due.append(DueReminder(agreement, narrowest, skipped, days_left, recipient_for(agreement)))
    return due


def recipient_for(agreement):
    """The responsible staff member, in their language, while they are active staff with an
    address; otherwise RENEWAL_REMINDER_FALLBACK_EMAIL in both languages; None if unset."""
    person = agreement.responsible_staff
    if person is not None and person.is_active and person.is_staff and person.email:
        return Recipient(person.email, (language_of(person),), responsible=True)
    if settings.RENEWAL_REMINDER_FALLBACK_EMAIL:
        languages = tuple(code for code, _name in settings.LANGUAGES)
        return Recipient(settings.RENEWAL_REMINDER_FALLBACK_EMAIL, languages, responsible=False)
    return None


def language_of(user):
    """The language the staff member chose for reminders, else the site's."""
    try:
        return user.reminder_profile.language
    except ObjectDoesNotExist:
        return settings.LANGUAGE_CODE


def reminder_send(*, due, connection):
    """Record the reminder (and the wider windows it stands for) and send it, as one step.

    The row goes in first: a second run at the same time waits on it, then finds it taken
    and sends nothing (False). It is kept only once the server answered that it took the
    mail. When the mail cannot be sent, or the server did not answer in time, the rows are
    rolled back, so the next run sends it again (ReminderNotSent): at least once, then, and
    twice when the server took a mail it did not confirm. Both sendings carry the same
    Message-ID (``reminder_message_id``), so mail programs that drop duplicates show one.
    """
    using = router.db_for_write(RenewalReminder)
    try:
        with transaction.atomic(using=using):
            rows = []
            if due.window is not None:
                rows.append((due.window, ReminderOutcome.SENT))
            rows += [(window, ReminderOutcome.SKIPPED) for window in due.skipped]
            for window, outcome in rows:
                RenewalReminder.objects.using(using).create(
                    agreement=due.agreement,
                    window_days=window,
                    end_date=due.agreement.end_date,
                    outcome=outcome,
                    recipient=due.recipient.address if outcome == ReminderOutcome.SENT else "",
                )
            if due.window is not None:
                try:
                    connection.open()  # once a run; a refused connection fails here
                    reminder_message(due, connection=connection).send()
                except (smtplib.SMTPException, OSError) as error:
                    raise ReminderNotSent(
                        str(error) or type(error).__name__,
                        unconfirmed=isinstance(error, DeliveryUnconfirmed),
                    ) from error
    except IntegrityError:
        return False
    return True


def reminder_message(due, *, connection=None):
    """The e-mail: subject and plain text in each of the recipient's languages."""
    subjects, bodies = [], []
    for language in due.recipient.languages:
        with translation.override(language):
            subjects.append(_subject(due))
            bodies.append(_body(due))
    return EmailMessage(
        subject=" / ".join(subjects),
        body="\n\n――――――――――――――――――――\n\n".join(bodies),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[due.recipient.address],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated", "Message-ID": reminder_message_id(due)},
    )


def reminder_message_id(due):
    """The same for each sending of one reminder: its agreement, window, end date and
    recipient (a digest of the address), at the site's host name."""
    agreement = due.agreement
    recipient = hashlib.sha256(due.recipient.address.encode()).hexdigest()[:16]
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return (
        f"<renewal-reminder.{agreement.pk}.{due.window}d.{agreement.end_date:%Y%m%d}."
        f"{recipient}@{host}>"
    )


def _date(value):
    return date_format(value, "DATE_FORMAT")


def _names(agreement):
    institution = agreement.institution
    country = institution.country.local_name if institution.country else ""
    return {
        "institution": institution.local_name,
        "where": f"{institution.local_name} ({country})" if country else institution.local_name,
        "kind": agreement.get_kind_display(),
        "short_kind": AgreementKind(agreement.kind).short_label,
        "end": _date(agreement.end_date),
    }


def _subject(due):
    return _("Renewal reminder: %(short_kind)s with %(institution)s ends on %(end)s") % _names(
        due.agreement
    )


def _days(days_left):
    return ngettext("%(days)d day", "%(days)d days", days_left) % {"days": days_left}


def _body(due):
    """The plain text in the active language (renewals/templates/renewals/reminder.txt)."""
    return render_to_string("renewals/reminder.txt", _body_context(due))


def _body_context(due):
    agreement = due.agreement
    names = _names(agreement)
    today = agreement.end_date - datetime.timedelta(days=due.days_left)
    deadline = None
    notice = ""
    if agreement.notice_period_months:
        deadline = months_added(agreement.end_date, -agreement.notice_period_months)
        notice = ngettext(
            "Notice period: %(months)d month; notice must be given by %(deadline)s.",
            "Notice period: %(months)d months; notice must be given by %(deadline)s.",
            agreement.notice_period_months,
        ) % {"months": agreement.notice_period_months, "deadline": _date(deadline)}
    contact = " ".join(
        part
        for part in (
            agreement.partner_contact_name,
            f"<{agreement.partner_contact_email}>" if agreement.partner_contact_email else "",
        )
        if part
    )
    site = settings.SITE_URL
    return {
        **names,
        "days": _days(due.days_left),
        "status": agreement.get_status_display(),
        "type": agreement.get_renewal_type_display(),
        "notice": notice,
        "contact": contact,
        "renewing": agreement.status == AgreementStatus.RENEWING,
        "automatic": agreement.renewal_type == RenewalType.AUTOMATIC,
        "deadline": _date(deadline) if deadline is not None else "",
        "deadline_passed": deadline is not None and deadline < today,
        "admin_url": site + reverse("admin:agreements_agreement_change", args=[agreement.pk]),
        "calendar_url": site + reverse("renewals:calendar"),
        "responsible": due.recipient.responsible,
    }
