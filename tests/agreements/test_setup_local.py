import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from agreements.models import Agreement, Institution
from exchanges.models import StatisticsRelease

pytestmark = pytest.mark.django_db


def run_setup_local():
    out = io.StringIO()
    call_command("setup_local", stdout=out)
    return out.getvalue()


def test_first_run_loads_the_seed_and_prints_a_working_generated_password():
    output = run_setup_local()

    assert Institution.objects.count() == 237
    password = re.search(r"password: (\S+)", output).group(1)
    assert len(password) >= 20
    assert authenticate(username="admin", password=password) is not None


def test_passwords_differ_between_fresh_databases():
    first = re.search(r"password: (\S+)", run_setup_local()).group(1)
    get_user_model().objects.all().delete()
    second = re.search(r"password: (\S+)", run_setup_local()).group(1)
    assert first != second


def test_second_run_keeps_staff_edits_and_prints_no_password():
    run_setup_local()
    Agreement.objects.filter(institution__name="University of Oxford").update(concluded_year=1992)

    output = run_setup_local()

    assert "password:" not in output
    assert "Run: bash bin/manage changepassword admin" in output
    assert Agreement.objects.get(institution__name="University of Oxford").concluded_year == 1992
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_first_run_publishes_the_seed_statistics(client):
    run_setup_local()

    assert sorted(StatisticsRelease.objects.values_list("academic_year", "direction", "state")) == [
        (2022, "inbound", "published"),
        (2022, "outbound", "published"),
    ]
    page = client.get("/statistics/")
    assert [table.total.researchers for table in page.context["tables"]] == [1285, 3032]
