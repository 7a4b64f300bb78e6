"""Renewing an agreement: its successor created and the agreement marked as being renewed,
in one step; later the successor taking over, its predecessor expiring. Each change is kept
in history with its reason."""

import datetime

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import RUNNING_STATUSES, Agreement, AgreementStatus, RenewalType
from operations.cache import public_cache_bump

from .terms import term_end

# What the successor takes over from the agreement it renews, as it is.
COPIED_FIELDS = (
    "institution",
    "kind",
    "concluded_year",  # the year of first conclusion stays with every renewal
    "renewal_type",
    "scope_note",
    "notice_period_months",
    "responsible_staff",
    "partner_contact_name",
    "partner_contact_email",
    "is_published",
)


def renewal_defaults(agreement):
    """The successor's proposed term: from the day after the old end, as long as the old term
    (no end when the old one had none or its start is not known)."""
    if agreement.end_date is None:
        start = timezone.localdate()
        return {"start_date": start, "end_date": None}
    start = agreement.end_date + datetime.timedelta(days=1)
    end = None
    if agreement.start_date is not None and agreement.renewal_type != RenewalType.INDEFINITE:
        end = term_end(agreement.start_date, agreement.end_date, start)
    return {"start_date": start, "end_date": end}


def renewal_refusal(agreement):
    """Why the agreement cannot be renewed, in a sentence, or None if it can.

    Only a running agreement (in effect, or marked as being renewed) without a successor is
    renewed: an expired or terminated one is concluded anew (a new agreement), one under
    negotiation is not yet in effect.
    """
    if Agreement.objects.filter(predecessor=agreement).exists():
        return _("It already has a successor.")
    if agreement.status not in RUNNING_STATUSES:
        return _("Only an agreement in effect can be renewed; this one is %(status)s.") % {
            "status": agreement.get_status_display().lower()
        }
    return None


def agreement_renew(*, agreement, start_date, end_date, user, reason=""):
    """Create the agreement's successor under negotiation and mark the agreement as being
    renewed. Raises ValidationError, changing nothing, when it cannot be renewed or the dates
    are wrong."""
    with transaction.atomic(using=router.db_for_write(Agreement)):
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        refusal = renewal_refusal(agreement)
        if refusal:
            raise ValidationError(refusal, code="not_renewable")
        problems = _date_problems(agreement, start_date, end_date)
        if problems:
            raise ValidationError(problems, code="bad_dates")
        successor = Agreement(
            **{name: getattr(agreement, name) for name in COPIED_FIELDS},
            predecessor=agreement,
            start_date=start_date,
            end_date=end_date,
            status=AgreementStatus.NEGOTIATING,
        )
        successor.full_clean()
        note = str(reason).strip()
        successor._change_reason = _limited(
            _("Renewal of the agreement of %(start)s") % {"start": _date_text(agreement)}, note
        )
        successor._history_user = user
        successor.save()
        agreement.status = AgreementStatus.RENEWING
        agreement._change_reason = _limited(_("Renewal started"), note)
        agreement._history_user = user
        agreement.full_clean()
        agreement.save(update_fields=["status"])
    transaction.on_commit(public_cache_bump)
    return successor


def agreements_renew(*, agreements, user, reason=""):
    """Renew each agreement with its default dates, all or none. Raises ValidationError naming
    each agreement that cannot be renewed, and why, changing nothing."""
    with transaction.atomic(using=router.db_for_write(Agreement)):
        keys = [agreement.pk for agreement in agreements]
        locked = list(
            Agreement.objects.select_for_update()
            .filter(pk__in=keys)
            .select_related("institution")
            .order_by("pk")
        )
        refused = []
        for agreement in locked:
            refusal = renewal_refusal(agreement)
            if refusal is None:
                defaults = renewal_defaults(agreement)
                refusal = " ".join(_date_problems(agreement, **defaults)) or None
            if refusal:
                refused.append(f"“{agreement}”: {refusal}")
        if refused:
            raise ValidationError("; ".join(refused), code="not_renewable")
        successors = [
            agreement_renew(
                agreement=agreement, user=user, reason=reason, **renewal_defaults(agreement)
            )
            for agreement in locked
        ]
    return successors


def successor_takes_over(*, agreement, user):
    """End the running agreement that ``agreement`` renews, as ``agreement`` comes into effect;
    return it, or None when ``agreement`` takes over from none (not running, no predecessor,
    or one already ended).

    Call it inside the transaction that saves ``agreement``, just before the save: the
    database lets an institution have one agreement of a kind in effect, so the predecessor
    must have ended first, and it ends only if the successor is saved.
    """
    using = router.db_for_write(Agreement)
    if not transaction.get_connection(using).in_atomic_block:
        raise TransactionManagementError(
            "successor_takes_over runs inside the transaction that saves the successor."
        )
    predecessor = agreement.predecessor_it_replaces()
    if predecessor is None:
        return None
    predecessor = Agreement.objects.select_for_update().get(pk=predecessor.pk)
    if predecessor.status not in RUNNING_STATUSES:
        return None  # another save ended it while this one waited for the lock
    predecessor.status = AgreementStatus.EXPIRED
    predecessor._change_reason = str(_("Renewed: its successor took effect"))
    if user is not None:
        predecessor._history_user = user
    predecessor.save(update_fields=["status"])
    return predecessor


def _date_problems(agreement, start_date, end_date):
    problems = []
    if start_date is None:
        problems.append(_("The new term needs a start date."))
        return problems
    if agreement.start_date is not None and start_date <= agreement.start_date:
        problems.append(
            _("The new term must start after the current one started (%(date)s).")
            % {"date": agreement.start_date.isoformat()}
        )
    if end_date is not None and end_date < start_date:
        problems.append(_("The end date must not be before the start date."))
    if end_date is not None and agreement.renewal_type == RenewalType.INDEFINITE:
        problems.append(
            _("The agreement has no fixed end (renewal type Indefinite): leave the end date blank.")
        )
    return problems


def _date_text(agreement):
    if agreement.start_date is not None:
        return agreement.start_date.isoformat()
    return str(agreement.concluded_year)


def _limited(reason, note):
    """The fixed reason and the user's note, within the 100 characters history keeps."""
    text = f"{reason}: {note}" if note else str(reason)
    return text[:100]
