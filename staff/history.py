"""Name and show old versions of records, even when a record they point to was deleted."""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.exceptions import NotHistoricalModelError
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_history_manager_for_model

# One way to write a moment and a day on every history page, message and reason.
MOMENT_FORMAT = "%Y-%m-%d %H:%M:%S"
DAY_FORMAT = "%Y-%m-%d"
EMPTY = "–"

# An institution's parent's parent: deep enough for any name this project builds.
DEPTH = 3


def with_deleted_relations(instance, depth=DEPTH):
    """Give each relation whose record was deleted that record's last recorded version.

    A version of an agreement is named after its institution; once the institution is
    deleted, naming it would fail, and so would the page showing it. Returns ``instance``,
    changed in place.
    """
    for field in instance._meta.concrete_fields:
        if not field.is_relation or getattr(instance, field.attname) is None:
            continue
        try:
            getattr(instance, field.name)
        except ObjectDoesNotExist:
            last = _last_version(field.related_model, getattr(instance, field.attname))
            if last is not None:
                if depth > 1:
                    with_deleted_relations(last, depth - 1)
                setattr(instance, field.name, last)
    return instance


def version_label(instance):
    """The instance's name, or its kind and key when even that cannot be made."""
    try:
        return str(with_deleted_relations(instance))
    except ObjectDoesNotExist:
        return f"{instance._meta.verbose_name} #{instance.pk}"


def _last_version(model, pk):
    try:
        history = get_history_manager_for_model(model)
    except NotHistoricalModelError:
        return None
    last = history.filter(**{model._meta.pk.attname: pk}).order_by("-history_id").first()
    return last.instance if last is not None else None


def moment(value):
    """A moment as every history page, message and reason writes it, in local time."""
    return timezone.localtime(value).strftime(MOMENT_FORMAT)


def value_display(field, value):
    """A field's value as staff read it: choice labels, Yes/No, one date format."""
    if value is None or value == "":
        return EMPTY
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return moment(value)
    if isinstance(value, datetime.date):
        return value.strftime(DAY_FORMAT)
    return value


class OfficeHistoryContextHelper(HistoricalRecordContextHelper):
    """simple-history's change lines, with values as staff read them."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            return super().prepare_delta_change_value(change, value)
        return value_display(field, value)
