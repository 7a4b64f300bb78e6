"""Fill in an admin change form the way a browser would, from the page as it was served."""

import datetime

from django.urls import reverse

from staff.roles import EDITORS

PASSWORD = "correct horse battery"


def _form_values(form):
    data = {}
    for bound_field in form:
        value = bound_field.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, list | tuple):
            value = [str(item) for item in value]
        data[bound_field.html_name] = value
    return data


def change_form_data(response, **changes):
    """The POST a browser sends for ``response``'s change form, with ``changes`` applied."""
    context = response.context
    data = _form_values(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        data.update(_form_values(formset.management_form))
        for form in formset.forms:
            data.update(_form_values(form))
    marks = context.get("history_marks")
    if marks:
        data["_history_marks"] = marks
    data.update(changes)
    return data


def staff_user(django_user_model, username, group=EDITORS, password=PASSWORD):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username=username, password=password, is_staff=True
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def log_in(client, username, password=PASSWORD, address="192.0.2.10"):
    """Log in through the admin's login form, as a person would."""
    response = client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )
    return response
