"""A confirmation whose hidden choices were altered is refused with a message, the upload
kept for a proper confirm, and nothing written."""

import pytest
from django.urls import reverse

from agreements.models import Agreement, ImportRecord
from tests.importing import page_text, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "altered",
    [{"format": "abc"}, {"format": "99"}, {"format": "-1"}, {"resource": "99"}],
)
def test_an_altered_confirmation_is_refused_with_a_message(seed, admin_client, altered):
    preview = upload(admin_client, Agreement, "memoranda-2024.csv")
    form = preview.context["confirm_form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    url = reverse("admin:agreements_agreement_process_import")

    refused = admin_client.post(url, {**data, **altered}, follow=True)

    assert refused.status_code == 200
    assert "The confirmation was altered; nothing was changed." in page_text(refused)
    assert not ImportRecord.objects.exists()
    # The untouched confirmation still works.
    done = admin_client.post(url, data, follow=True)
    assert ImportRecord.objects.count() == 1, page_text(done)
