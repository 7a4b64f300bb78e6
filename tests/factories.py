"""Synthetic records for tests: plainly fictional, never mistaken for the seed data."""

import itertools

from django.utils.text import slugify

from agreements.models import Agreement, AgreementKind, Institution, StrategicPartnership
from exchanges.models import Direction, ExchangeStatistic, ReleaseState, StatisticsRelease
from places.models import Country, Region

_sequence = itertools.count(1)


def make_region(**fields):
    number = next(_sequence)
    fields.setdefault("name", f"Test region {number}")
    fields.setdefault("slug", slugify(fields["name"]))
    fields.setdefault("display_order", number)
    return Region.objects.create(**fields)


def make_country(**fields):
    number = next(_sequence)
    if "region" not in fields:
        fields["region"] = make_region()
    fields.setdefault("name", f"Testland {number}")
    fields.setdefault("iso_code", "")
    return Country.objects.create(**fields)


def make_institution(**fields):
    number = next(_sequence)
    fields.setdefault("name", f"Test University {number}")
    fields.setdefault("slug", slugify(fields["name"]))
    if "country" not in fields:
        fields["country"] = make_country()
    return Institution.objects.create(**fields)


def make_agreement(**fields):
    if "institution" not in fields:
        fields["institution"] = make_institution()
    fields.setdefault("kind", AgreementKind.MOU)
    fields.setdefault("concluded_year", 2010)
    return Agreement.objects.create(**fields)


def make_strategic_partnership(**fields):
    if "institution" not in fields:
        fields["institution"] = make_institution()
    return StrategicPartnership.objects.create(**fields)


def make_statistic(*, published=True, **fields):
    """A count; its year and direction published unless asked for a draft."""
    if "country" not in fields:
        fields["country"] = make_country()
    fields.setdefault("academic_year", 2022)
    fields.setdefault("direction", Direction.INBOUND)
    fields.setdefault("researchers", 1)
    statistic = ExchangeStatistic.objects.create(**fields)
    make_release(
        academic_year=statistic.academic_year,
        direction=statistic.direction,
        state=ReleaseState.PUBLISHED if published else ReleaseState.DRAFT,
    )
    return statistic


def make_release(*, academic_year, direction, state=ReleaseState.PUBLISHED):
    release, _created = StatisticsRelease.objects.update_or_create(
        academic_year=academic_year, direction=direction, defaults={"state": state}
    )
    return release
