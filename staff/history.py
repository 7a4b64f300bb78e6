"""Name and show old versions of records, even when a record they point to was deleted."""

from django.core.exceptions import ObjectDoesNotExist
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model

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
