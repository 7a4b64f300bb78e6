"""Two staff members press Renew on the same agreement at the same moment: one successor."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from agreements.models import Agreement, AgreementStatus
from renewals.services import agreement_renew
from tests.factories import make_agreement

ROUNDS = 5


@pytest.mark.django_db(transaction=True)
def test_two_renewals_released_together_make_one_successor(django_user_model):
    users = [
        django_user_model.objects.create_user(name, is_staff=True) for name in ("sato", "suzuki")
    ]
    for round_ in range(ROUNDS):
        agreement = make_agreement(
            concluded_year=2014,
            start_date=datetime.date(2019, 4, 1),
            end_date=datetime.date(2024, 3, 31),
        )
        barrier = threading.Barrier(len(users))
        outcomes = []

        def renew(user, agreement=agreement, barrier=barrier, outcomes=outcomes):
            try:
                barrier.wait(timeout=10)
                agreement_renew(
                    agreement=agreement,
                    start_date=datetime.date(2024, 4, 1),
                    end_date=datetime.date(2029, 3, 31),
                    user=user,
                )
                outcomes.append("renewed")
            except ValidationError as error:
                outcomes.append(" ".join(error.messages))
            except Exception as error:  # an IntegrityError or a lock error: reported below
                outcomes.append(repr(error))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=renew, args=(user,)) for user in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["It already has a successor.", "renewed"], round_
        agreement.refresh_from_db()
        assert agreement.status == AgreementStatus.RENEWING
        assert Agreement.objects.filter(predecessor=agreement).count() == 1
        assert agreement.history.count() == 2  # created, then "Renewal started" once
