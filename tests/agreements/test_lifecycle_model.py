"""An agreement's life: negotiated, in effect, renewed (the hand-over to a successor is the
renewals' service: tests/renewals/test_services.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements.models import Agreement, AgreementKind, AgreementStatus, RenewalType
from tests.factories import make_agreement, make_institution

pytestmark = pytest.mark.django_db


def test_an_agreement_being_renewed_still_counts_as_the_one_in_effect():
    old = make_agreement(kind=AgreementKind.MOU, status=AgreementStatus.RENEWING)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_agreement(institution=old.institution, kind=AgreementKind.MOU)
    assert list(Agreement.objects.in_effect()) == [old]


def test_an_agreement_under_negotiation_is_not_public():
    institution = make_institution()
    make_agreement(institution=institution, kind=AgreementKind.MOU, status="negotiating")
    renewing = make_agreement(institution=institution, kind=AgreementKind.SEA, status="renewing")
    assert list(Agreement.objects.public()) == [renewing]


def test_an_indefinite_agreement_has_no_end_date():
    agreement = make_agreement(renewal_type=RenewalType.INDEFINITE)
    agreement.end_date = datetime.date(2030, 3, 31)
    with pytest.raises(ValidationError, match="no fixed end has no end date"):
        agreement.full_clean()
