"""Two restores of one deleted record released together: one restores, the other is told."""

from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import Institution
from tests.concurrency import run_together
from tests.factories import make_institution

pytestmark = pytest.mark.django_db(transaction=True)

DELETED = reverse("admin:deleted_records")
ROUNDS = 6


def test_two_restores_released_together_restore_once_and_refuse_the_other(django_user_model):
    admin = django_user_model.objects.create_superuser("restorer", password="pw-restore-1234")
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(admin)
        clients.append(client)
    for round_number in range(ROUNDS):
        institution = make_institution(name=f"Synthetic Race University {round_number}")
        pk = institution.pk
        institution.delete()
        version = Institution.history.get(id=pk, history_type="-")
        data = {"model": "agreements.institution", "version": version.history_id}

        first, second = run_together(
            *(partial(client.post, DELETED, data, follow=True) for client in clients)
        )

        assert not isinstance(first, Exception), first
        assert not isinstance(second, Exception), second
        assert first.status_code == second.status_code == 200
        # What each clerk reads (the pages' text: the test client's captured contexts are
        # shared between threads).
        pages = [response.content.decode() for response in (first, second)]
        name = f"Synthetic Race University {round_number}"
        refusals = (
            # Refused while the other restore held the record, or after it had committed.
            f"“{name}” is not deleted: it was restored already.",
            "That record is not deleted (any more); nothing was done.",
        )
        restored = [page for page in pages if f"Restored “{name}”." in page]
        refused = [page for page in pages if any(refusal in page for refusal in refusals)]
        assert (len(restored), len(refused)) == (1, 1)
        assert restored != refused
        assert Institution.objects.filter(pk=pk).count() == 1
        assert Institution.history.filter(id=pk, history_type="+").count() == 2  # made, restored
