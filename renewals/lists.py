"""The renewal dashboard's lists, as conditions that its counts and the agreements list's
state filter share: what ends soon, what is overdue, what is being negotiated."""

from django.db.models import Q
from django.utils.translation import gettext as _

from agreements.models import RUNNING_STATUSES, AgreementStatus

from .terms import months_added

# Months ahead each "ending within" list looks.
WINDOWS = (3, 6, 12)

# Being negotiated: new agreements, and renewals of agreements in effect.
OPEN_NEGOTIATION_STATUSES = (AgreementStatus.NEGOTIATING, AgreementStatus.RENEWING)
NEGOTIATIONS_OPEN = Q(status__in=OPEN_NEGOTIATION_STATUSES)


def ending_within(months, today):
    """Running, ending from today to the same day ``months`` calendar months ahead (both
    days included)."""
    return Q(
        status__in=RUNNING_STATUSES, end_date__gte=today, end_date__lte=months_added(today, months)
    )


def overdue(today):
    """Running, though the end date has passed: expired on paper, still in effect here."""
    return Q(status__in=RUNNING_STATUSES, end_date__lt=today)


def renewal_lists(today):
    """(address value of the list's state filter, label, condition), in the dashboard's order."""
    labels = {
        3: _("Ending within 3 months"),
        6: _("Ending within 6 months"),
        12: _("Ending within 12 months"),
    }
    return [
        *((f"ending-{months}", labels[months], ending_within(months, today)) for months in WINDOWS),
        ("overdue", _("Past its end date, still in effect"), overdue(today)),
        ("negotiating", _("Negotiations open"), NEGOTIATIONS_OPEN),
    ]


def widest_window(today):
    """Every agreement any list but the negotiations counts: running, ending within the
    widest window or before."""
    return Q(status__in=RUNNING_STATUSES, end_date__lte=months_added(today, max(WINDOWS)))
