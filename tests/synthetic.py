"""Synthetic records in bulk for the query-count tests: plainly not the seed. (The benchmarks
build their own, at the scales their figures are measured at.)"""

from agreements.models import (
    Agreement,
    AgreementKind,
    Institution,
    OnSiteLaboratory,
    PartnershipEvent,
    StrategicPartnership,
)
from exchanges.models import Direction, ExchangeStatistic, ReleaseState, StatisticsRelease
from places.models import Country, Region


def synthetic_records(size):
    """Synthetic partners, agreements and counts in bulk: `size` institutions over 40 countries."""
    regions = Region.objects.bulk_create(
        Region(name=f"Synthetic region {n}", slug=f"synthetic-region-{n}", display_order=n)
        for n in range(1, 5)
    )
    countries = Country.objects.bulk_create(
        Country(name=f"Synthetic country {n:03}", region=regions[n % 4]) for n in range(40)
    )
    institutions = Institution.objects.bulk_create(
        Institution(
            name=f"Synthetic University {n:05}",
            slug=f"synthetic-university-{n:05}",
            country=countries[n % 40],
        )
        for n in range(size)
    )
    Agreement.objects.bulk_create(
        Agreement(
            institution=institution,
            kind=kind,
            concluded_year=1950 + n % 70,
            scope_note="Synthetic scope note." if n % 10 == 0 else "",
        )
        for n, institution in enumerate(institutions)
        for kind in (AgreementKind.MOU, AgreementKind.SEA)[: 1 + n % 2]
    )
    partnerships = StrategicPartnership.objects.bulk_create(
        StrategicPartnership(institution=institution) for institution in institutions[::50]
    )
    PartnershipEvent.objects.bulk_create(
        PartnershipEvent(partnership=partnership, date="2024-03-01", title=f"Synthetic event {n}")
        for n, partnership in enumerate(partnerships)
    )
    laboratories = OnSiteLaboratory.objects.bulk_create(
        OnSiteLaboratory(name=f"Synthetic lab {n}", slug=f"synthetic-lab-{n}", departments="x")
        for n in range(max(1, size // 100))
    )
    for laboratory in laboratories:
        laboratory.partner_institutions.add(*institutions[:3])
    ExchangeStatistic.objects.bulk_create(
        ExchangeStatistic(academic_year=year, direction=direction, country=country, researchers=n)
        for year in (2021, 2022)
        for direction in Direction.values
        for n, country in enumerate(countries)
    )
    StatisticsRelease.objects.bulk_create(
        StatisticsRelease(academic_year=year, direction=direction, state=ReleaseState.PUBLISHED)
        for year in (2021, 2022)
        for direction in Direction.values
    )
    return institutions
