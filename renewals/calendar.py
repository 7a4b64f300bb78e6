"""A staff member's calendar feed: the end dates of their agreements and the reminder dates."""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementKind

# The agreements whose dates a feed holds: running ones with an end date, this long back.
PAST_DAYS = 366


def feed_agreements(user):
    """The agreements a staff member's feed shows: those they are responsible for, if they may
    see agreements at all; running (in effect or being renewed), with an end date."""
    if not user.has_perm("agreements.view_agreement"):
        return Agreement.objects.none()
    since = timezone.localdate() - datetime.timedelta(days=PAST_DAYS)
    return (
        Agreement.objects.in_effect()
        .filter(responsible_staff=user, end_date__gte=since)
        .select_related("institution")
        .order_by("end_date", "pk")
    )


def calendar_feed(*, user, language, windows):
    """The iCalendar text (bytes) of the user's feed, written in ``language``."""
    with translation.override(language):
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//International partnerships//Renewal calendar//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        name = _("Agreement renewals")
        calendar.add("x-wr-calname", name)
        calendar.add("name", name)
        stamp = timezone.now()
        host = feed_host()
        for agreement in feed_agreements(user):
            what = _("%(kind)s with %(institution)s") % {
                "kind": AgreementKind(agreement.kind).short_label,
                "institution": agreement.institution.local_name,
            }
            calendar.add_component(
                _event(
                    uid=f"agreement-{agreement.pk}-end@{host}",
                    day=agreement.end_date,
                    summary=_("Ends: %(what)s") % {"what": what},
                    stamp=stamp,
                    agreement=agreement,
                )
            )
            for window in windows:
                calendar.add_component(
                    _event(
                        uid=f"agreement-{agreement.pk}-reminder-{window}@{host}",
                        day=agreement.end_date - datetime.timedelta(days=window),
                        summary=_("Renewal reminder (%(days)d days before the end): %(what)s")
                        % {"days": window, "what": what},
                        stamp=stamp,
                        agreement=agreement,
                    )
                )
        return calendar.to_ical()


def _event(*, uid, day, summary, stamp, agreement):
    """An all-day event: DTSTART a date, DTEND the next day (RFC 5545, 3.6.1)."""
    event = icalendar.Event()
    # The UID names the agreement and the kind of date, not the date: when an end date
    # changes, calendars move the event rather than keep the old one beside the new.
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("transp", "TRANSPARENT")
    if settings.SITE_URL:
        event.add(
            "url",
            settings.SITE_URL + reverse("admin:agreements_agreement_change", args=[agreement.pk]),
        )
    return event


def feed_host():
    """The host name the UIDs end in: the site's own (DJANGO_SITE_URL), so they are unique
    the world over; never the request's, which differs by how the feed is reached."""
    return urlsplit(settings.SITE_URL).hostname if settings.SITE_URL else "partnerships.invalid"
