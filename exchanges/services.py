"""Publishing and unpublishing a year and direction of statistics, with history."""

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from operations.cache import public_cache_bump

from .models import Direction, ExchangeStatistic, ReleaseState, StatisticsRelease


class ReleaseError(Exception):
    """A release that cannot be published or unpublished; the message says why."""


def release_total(*, academic_year, direction):
    """The researchers of one year and direction, or None when it has no figures."""
    return (
        ExchangeStatistic.objects.for_year(academic_year)
        .of_direction(direction)
        .aggregate(total=Sum("researchers"))["total"]
    )


def releases_ensure_drafts(*, scopes):
    """A draft release for each (year, direction) that has none; published ones stay so."""
    scopes = set(scopes)
    if not scopes:
        return []
    existing = set(
        StatisticsRelease.objects.filter(
            academic_year__in={year for year, _direction in scopes}
        ).values_list("academic_year", "direction")
    )
    created = []
    for year, direction in sorted(scopes - existing):
        release = StatisticsRelease(academic_year=year, direction=direction)
        release._change_reason = _("Draft made by an import of its figures")
        release.full_clean()
        release.save()
        created.append(release)
    return created


def _set_state(*, academic_year, direction, state, user, reason):
    label = f"{academic_year} {Direction(direction).label}"
    with transaction.atomic():
        total = release_total(academic_year=academic_year, direction=direction)
        if total is None and state == ReleaseState.PUBLISHED:
            raise ReleaseError(
                _("There are no figures for %(what)s; import them first.") % {"what": label}
            )
        release = (
            StatisticsRelease.objects.select_for_update()
            .filter(academic_year=academic_year, direction=direction)
            .first()
        )
        if release is None and state == ReleaseState.DRAFT:
            # Never published: a draft already, now listed among the releases.
            (release,) = releases_ensure_drafts(scopes={(academic_year, direction)}) or [None]
            return release, False
        if release is None:
            release = StatisticsRelease(academic_year=academic_year, direction=direction)
        if release.state == state and release.pk:
            return release, False
        release.state = state
        if state == ReleaseState.PUBLISHED:
            release.published_by = user if getattr(user, "pk", None) else None
            release.published_at = timezone.now()
        else:
            release.published_by = None
            release.published_at = None
        release._change_reason = reason
        if getattr(user, "pk", None):
            release._history_user = user
        release.full_clean()
        release.save()
        # Cached public pages show the old figures until this commits, then none do.
        transaction.on_commit(public_cache_bump)
    return release, True


def release_publish(*, academic_year, direction, user=None):
    """Make one year and direction public; returns (release, whether it changed)."""
    return _set_state(
        academic_year=academic_year,
        direction=direction,
        state=ReleaseState.PUBLISHED,
        user=user,
        reason=_("Published"),
    )


def release_unpublish(*, academic_year, direction, user=None):
    """Take one year and direction off the public pages; returns (release, whether it changed)."""
    return _set_state(
        academic_year=academic_year,
        direction=direction,
        state=ReleaseState.DRAFT,
        user=user,
        reason=_("Unpublished"),
    )
