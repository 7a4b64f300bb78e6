"""Every bulk action asks for each right it uses: a user who lacks any one of them is not
offered the action, and posting it to the list directly changes nothing; a user with them all
runs it.

Django offers an action whose ``permissions`` list several rights to a user with ANY of them:
"Start renewal" (add the successor, change the agreement it renews) created agreements for
users who could only change agreements.
"""

import dataclasses
import datetime
import re
from collections.abc import Callable

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, AgreementStatus, Institution
from exchanges.models import ReleaseState, StatisticsRelease
from tests.factories import make_agreement, make_institution, make_statistic
from tests.staff.admin_forms import log_in

pytestmark = pytest.mark.django_db


@dataclasses.dataclass(frozen=True)
class Case:
    action: str
    model: type
    rights: frozenset  # on ``model``; everyone here may also view it
    make: Callable  # the record selected, in a state the action would change
    done: Callable  # whether the action happened to it
    says: str  # how the message that it happened begins

    def __str__(self):
        return f"{self.model._meta.model_name}-{self.action}"


def _fresh(obj):
    return type(obj)._default_manager.filter(pk=obj.pk).first()


def _running_agreement():
    return make_agreement(
        status=AgreementStatus.IN_EFFECT,
        start_date=datetime.date(2019, 4, 1),
        end_date=datetime.date(2024, 3, 31),
    )


def _expired_attempt():
    """A login failure older than the lockout's cool-off: it locks no one out any more."""
    attempt = AccessAttempt.objects.create(
        ip_address="192.0.2.1", username="aiko", failures_since_start=1
    )
    long_ago = timezone.now() - datetime.timedelta(days=1)
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=long_ago)
    return attempt


def _release_of(statistic):
    return StatisticsRelease.objects.get(
        academic_year=statistic.academic_year, direction=statistic.direction
    )


CASES = [
    Case(
        "start_renewal",
        Agreement,
        frozenset({"add", "change"}),
        _running_agreement,
        lambda obj: Agreement.objects.filter(predecessor=obj).exists(),
        "Started the renewal of 1 agreements",
    ),
    Case(
        "mark_expired",
        Agreement,
        frozenset({"change"}),
        _running_agreement,
        lambda obj: _fresh(obj).status == AgreementStatus.EXPIRED,
        "Marked 1 of 1 selected agreements expired.",
    ),
    Case(
        "mark_terminated",
        Agreement,
        frozenset({"change"}),
        _running_agreement,
        lambda obj: _fresh(obj).status == AgreementStatus.TERMINATED,
        "Marked 1 of 1 selected agreements terminated.",
    ),
    Case(
        "publish_selected",
        Institution,
        frozenset({"change"}),
        lambda: make_institution(is_published=False),
        lambda obj: _fresh(obj).is_published,
        "Published 1 of 1 selected institutions",
    ),
    Case(
        "unpublish_selected",
        Agreement,
        frozenset({"change"}),
        lambda: make_agreement(is_published=True),
        lambda obj: not _fresh(obj).is_published,
        "Unpublished 1 of 1 selected agreements",
    ),
    Case(
        "delete_selected",
        Agreement,
        frozenset({"delete"}),
        make_agreement,
        lambda obj: _fresh(obj) is None,
        "Successfully deleted 1 agreement.",
    ),
    Case(
        "delete_selected",
        Institution,
        frozenset({"delete"}),
        make_institution,
        lambda obj: _fresh(obj) is None,
        "Successfully deleted 1 institution.",
    ),
    Case(
        "cleanup_expired_attempts",
        AccessAttempt,
        frozenset({"delete"}),
        _expired_attempt,
        lambda obj: _fresh(obj) is None,
        "Cleaned up 1 expired access attempts.",
    ),
    Case(
        "publish",
        StatisticsRelease,
        frozenset({"publish"}),
        lambda: _release_of(make_statistic(published=False)),
        lambda obj: _fresh(obj).state == ReleaseState.PUBLISHED,
        "Published: 2022 researchers from abroad.",
    ),
    Case(
        "unpublish",
        StatisticsRelease,
        frozenset({"publish"}),
        lambda: _release_of(make_statistic(published=True)),
        lambda obj: _fresh(obj).state == ReleaseState.DRAFT,
        "Unpublished: 2022 researchers from abroad.",
    ),
]


def _codename(model, right):
    return f"{right}_{model._meta.model_name}"


def _rights_on_offer(model):
    """The rights on the model that change records (its own, like publishing, too)."""
    opts = model._meta
    rights = set(opts.default_permissions) | {
        codename.removesuffix(f"_{opts.model_name}") for codename, _name in opts.permissions
    }
    return rights - {"view", "import", "export"}


def _matrix():
    """Users with each right alone, with every right but one the action uses, and with
    exactly those it uses; all of them may view the list."""
    for case in CASES:
        offered = _rights_on_offer(case.model)
        assert case.rights <= offered, case
        grants = {frozenset({right}) for right in offered}
        grants |= {frozenset(offered - {right}) for right in case.rights}
        grants.add(case.rights)
        for rights in sorted(grants, key=sorted):
            yield pytest.param(case, rights, id=f"{case}-by-{'+'.join(sorted(rights)) or 'view'}")


def _user_with(client, model, rights):
    user = get_user_model().objects.create_user(
        username="clerk", password="correct horse battery", is_staff=True
    )
    codenames = {_codename(model, right) for right in {"view", *rights}}
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label=model._meta.app_label, codename__in=codenames
        )
    )
    log_in(client, "clerk", "correct horse battery")
    return user


def _rows(model):
    """The model's rows and, where it keeps one, its history: what any write changes."""
    history = getattr(model, "history", None)
    return model._default_manager.count(), history.count() if history is not None else None


def _changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _offered(page):
    select = re.search(r'<select name="action".*?</select>', page, flags=re.DOTALL)
    return re.findall(r'<option value="(\w+)"', select.group(0)) if select else []


@pytest.mark.parametrize(("case", "rights"), list(_matrix()))
def test_an_action_runs_only_for_a_user_with_every_right_it_uses(client, case, rights):
    may = case.rights <= rights
    # Logged in first: a login clears the expired login attempts.
    _user_with(client, case.model, rights)
    obj = case.make()
    before = _rows(case.model)

    offered = _offered(client.get(_changelist(case.model)).content.decode())
    response = client.post(
        _changelist(case.model),
        # "post" confirms a deletion at once, as the confirmation page does.
        {"action": case.action, ACTION_CHECKBOX_NAME: [obj.pk], "post": "yes"},
        follow=True,
    )

    said = [str(message) for message in response.context["messages"]]
    assert response.status_code == 200
    assert (case.action in offered) is may, (sorted(rights), offered)
    if may:
        assert case.done(obj)
        assert any(message.startswith(case.says) for message in said), said
    else:
        assert not case.done(obj), sorted(rights)
        assert _rows(case.model) == before
        # Django's answer to an action it does not offer; nothing at all on a list that
        # offers this user no action.
        assert said == (["No action selected."] if offered else [])


def test_every_action_of_the_admin_is_tried_above():
    superuser = get_user_model().objects.create_superuser("root", password="x")
    request = RequestFactory().get("/")
    request.user = superuser
    offered = {
        name
        for model_admin in admin.site._registry.values()
        for name in model_admin.get_actions(request)
    }
    assert offered == {case.action for case in CASES}
