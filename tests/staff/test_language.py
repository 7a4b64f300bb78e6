"""Staff read the admin in their browser's language until they choose one with the switch in
its header, which every role has (the login page too); the choice is kept for a year in
Django's language cookie and wins over the browser's languages."""

import pytest
from django.conf import settings
from django.urls import reverse

from staff.roles import EDITORS, IMPORTERS, VIEWERS
from tests.staff.admin_forms import log_in, staff_user

pytestmark = pytest.mark.django_db

ROLES = [None, VIEWERS, EDITORS, IMPORTERS, "superuser"]
YEAR = 365 * 24 * 60 * 60


def _signed_in(client, django_user_model, role):
    """The page the role sees first: the login page for a visitor, else the admin's home."""
    if role is None:
        return reverse("admin:login")
    if role == "superuser":
        django_user_model.objects.create_superuser("chief", "", "correct horse battery")
        username = "chief"
    else:
        username = "someone"
        staff_user(django_user_model, username, group=role)
    assert log_in(client, username).status_code == 302
    return reverse("admin:index")


def _page(client, path, browser_language):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=browser_language)
    assert response.status_code == 200
    return response.content.decode()


def _switch_to(client, language, path):
    return client.post(
        reverse("set_language"), {"language": language, "next": path}, HTTP_ACCEPT_LANGUAGE="ja"
    )


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_the_browsers_language_then_the_switch_choose_the_admins_language(
    client, django_user_model, role
):
    path = _signed_in(client, django_user_model, role)

    japanese = _page(client, path, "ja,en;q=0.5")
    assert '<html lang="ja"' in japanese
    assert "国際交流協定" in japanese
    assert '<form id="language-switch" method="post" action="/i18n/setlang/"' in japanese
    assert '<span lang="ja" aria-current="true">日本語</span>' in japanese
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in (
        japanese
    )
    assert f'<input type="hidden" name="next" value="{path}">' in japanese

    switched = _switch_to(client, "en", path)
    assert switched.status_code == 302
    assert switched["Location"] == path
    cookie = switched.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["max-age"] == YEAR

    english = _page(client, path, "ja,en;q=0.5")  # the browser still asks for Japanese
    assert '<html lang="en"' in english
    assert "International partnerships" in english
    assert '<span lang="en" aria-current="true">English</span>' in english
    assert '<button type="submit" name="language" value="ja" lang="ja">日本語</button>' in english

    assert _switch_to(client, "ja", path).cookies[settings.LANGUAGE_COOKIE_NAME].value == "ja"
    assert '<html lang="ja"' in _page(client, path, "en")


def test_without_a_choice_an_english_browser_reads_english(client, django_user_model):
    path = _signed_in(client, django_user_model, EDITORS)
    assert '<html lang="en"' in _page(client, path, "en-GB,en;q=0.8")
    assert '<html lang="ja"' in _page(client, path, "ja-JP")


def test_the_choice_outlives_the_session(client, django_user_model):
    path = _signed_in(client, django_user_model, VIEWERS)
    _switch_to(client, "ja", path)
    client.post(reverse("admin:logout"))
    login = _page(client, reverse("admin:login"), "en")
    assert '<html lang="ja"' in login
    assert "ユーザー名" in login


def test_the_switch_changes_nothing_by_get_nor_to_an_unknown_language(client, django_user_model):
    path = _signed_in(client, django_user_model, EDITORS)
    fetched = client.get(reverse("set_language"), {"language": "ja", "next": path})
    assert settings.LANGUAGE_COOKIE_NAME not in fetched.cookies
    unknown = _switch_to(client, "xx", path)
    assert settings.LANGUAGE_COOKIE_NAME not in unknown.cookies
    assert '<html lang="en"' in _page(client, path, "en")
