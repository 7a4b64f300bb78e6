"""An institution gets a unique slug from the model itself, however it is created."""

import pytest
from django.urls import reverse

from agreements.models import Institution
from tests import factories
from tests.staff.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def test_the_orm_fills_a_blank_slug_from_the_name_and_keeps_it_unique():
    france, japan = factories.make_country(), factories.make_country()

    first = Institution.objects.create(name="Université de Synthèse", country=france)
    second = Institution.objects.create(name="Université de Synthèse", country=japan)
    third = Institution.objects.create(name="ボルドー大学", country=japan)

    assert first.slug == "universite-de-synthese"
    assert second.slug == "universite-de-synthese-2"
    assert third.slug == "institution"  # nothing to transliterate: the model's own name
    first.name = "Renamed"
    first.save()
    assert Institution.objects.get(pk=first.pk).slug == "universite-de-synthese"  # kept


def test_the_admin_without_javascript_creates_an_institution_with_a_slug(admin_client):
    country = factories.make_country()
    factories.make_institution(name="Synthetic College", slug="synthetic-college")
    url = reverse("admin:agreements_institution_add")
    data = change_form_data(
        admin_client.get(url), name="Synthetic College", country=str(country.pk), kind="university"
    )
    data["slug"] = ""  # what a browser sends when no script filled it in

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Institution.objects.get(name="Synthetic College", country=country)
    assert created.slug == "synthetic-college-2"
