"""An institution's agreements as a timeline per kind: "MOU: concluded 2014, renewed 2019 and
2024", with each step's term and status. Built from agreements already read (no query)."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import pgettext

from .models import AgreementKind, AgreementStatus
from .templatetags.dates import full_date


@dataclass
class Step:
    agreement: object
    is_renewal: bool

    @property
    def label(self):
        if self.is_renewal:
            return pgettext("timeline step", "Renewal")
        return pgettext("timeline step", "Conclusion")

    def html(self, url=None):
        """The step in a line: "Renewal: 1 April 2019, 31 March 2024, Expired", its name
        linked to ``url`` if given, its dates as <time> elements."""
        agreement = self.agreement
        label = format_html('<a href="{}">{}</a>', url, self.label) if url else self.label
        start, end = agreement.start_date, agreement.end_date
        # Many records (all those from the fact sheet) have no dates: the step says only what
        # is known, never a range of blanks.
        if start and end:
            wording = pgettext("timeline step", "{step}: {start} – {end} ({status})")
        elif start:
            wording = pgettext("timeline step", "{step}: {start} onwards ({status})")
        elif end:
            wording = pgettext("timeline step", "{step}: up to {end} ({status})")
        else:
            wording = pgettext("timeline step", "{step} ({status})")
        return format_html(
            wording,
            step=label,
            start=_time(start),
            end=_time(end),
            status=agreement.get_status_display(),
        )


@dataclass
class Timeline:
    kind: AgreementKind
    steps: list
    summary: str


def _when(agreement):
    return (agreement.start_date or datetime.date(agreement.concluded_year, 1, 1), agreement.pk)


def _year(year):
    return pgettext("timeline: a year", "%(year)s") % {"year": year}


def _listed(items):
    """Items in the page's language: "2019, 2020 and 2024", 2019年・2020年・2024年."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    separator = pgettext("timeline: between years", ", ")
    last = pgettext("timeline: before the last year", " and ")
    return separator.join(items[:-1]) + last + items[-1]


def _summary(steps):
    """The timeline in a sentence, from the year of first conclusion that every renewal keeps;
    agreements still under negotiation are not (yet) part of it."""
    concluded = [step for step in steps if step.agreement.status != AgreementStatus.NEGOTIATING]
    if not concluded:
        return ""
    phrases = []
    renewed = []

    def close_renewals():
        if renewed:
            phrases.append(pgettext("timeline", "renewed %(years)s") % {"years": _listed(renewed)})
            renewed.clear()

    for index, step in enumerate(concluded):
        agreement = step.agreement
        if index == 0:
            phrases.append(
                pgettext("timeline", "concluded %(year)s")
                % {"year": _year(agreement.concluded_year)}
            )
            if not step.is_renewal:
                continue
        if step.is_renewal:
            start = agreement.start_date
            renewed.append(_year(start.year if start else agreement.concluded_year))
        else:
            close_renewals()
            phrases.append(
                pgettext("timeline", "concluded %(year)s")
                % {"year": _year(agreement.concluded_year)}
            )
    close_renewals()
    return pgettext("timeline: between phrases", ", ").join(phrases)


def timelines(agreements):
    """One timeline per kind, in the kinds' order, each step in the order it took effect."""
    result = []
    for kind in AgreementKind:
        mine = sorted((a for a in agreements if a.kind == kind), key=_when)
        if not mine:
            continue
        steps = [Step(agreement, agreement.predecessor_id is not None) for agreement in mine]
        result.append(Timeline(kind=kind, steps=steps, summary=_summary(steps)))
    return result


def timeline_html(site_name, agreements):
    """The staff's timeline: each step linked to its agreement's form, with its term and status."""
    found = timelines(agreements)
    if not found:
        return pgettext("timeline", "No agreement yet.")
    change = reverse(f"{site_name}:agreements_agreement_change", args=[0])
    before, after = change.rsplit("/0/", 1)
    return format_html_join(
        "",
        '<div class="agreement-timeline"><p><strong>{}</strong>{}</p><ol>{}</ol></div>',
        (
            (
                timeline.kind.short_label,
                format_html("{}{}", pgettext("timeline: after the kind", ": "), timeline.summary)
                if timeline.summary
                else "",
                format_html_join(
                    "",
                    "<li>{}</li>",
                    (
                        (step.html(f"{before}/{step.agreement.pk}/{after}"),)
                        for step in timeline.steps
                    ),
                ),
            )
            for timeline in found
        ),
    )


def _time(date):
    if not date:
        return ""
    return format_html('<time datetime="{}">{}</time>', date.isoformat(), full_date(date))
