"""Deleted records: found by the version simple-history keeps of each deletion, and brought
back in one step together with the records their deletion took with them."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model

from .history import moment, version_label

# A cascade deletes the dependents just before their record, in the same request and by the
# same user: their deletions are recorded within milliseconds of it. A dependent the same
# user deleted on its own a few seconds before cannot be told apart (simple-history keeps no
# request id); one deleted earlier, or by someone else, stays deleted.
CASCADE_WINDOW = datetime.timedelta(seconds=5)


def deleted_versions(model):
    """The deletion version of each record of ``model`` that is gone now, newest first."""
    history = get_history_manager_for_model(model)
    pk_name = model._meta.pk.attname
    later_deletion = history.filter(
        **{pk_name: OuterRef(pk_name)}, history_type="-", history_id__gt=OuterRef("history_id")
    )
    return (
        history.filter(history_type="-")
        .filter(~Exists(model._base_manager.filter(pk=OuterRef(pk_name))))
        .filter(~Exists(later_deletion))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def cascaded_with(model, version):
    """(model, deletion version) of each record deleted with ``version``'s by a cascade."""
    for relation in model._meta.related_objects:
        if relation.many_to_many or relation.on_delete is not models.CASCADE:
            continue
        try:
            candidates = deleted_versions(relation.related_model)
        except NotHistoricalModelError:
            continue
        candidates = candidates.filter(
            **{relation.field.attname: version.instance.pk},
            history_user_id=version.history_user_id,
            history_date__gte=version.history_date - CASCADE_WINDOW,
            history_date__lte=version.history_date,
        )
        for candidate in candidates:
            yield relation.related_model, candidate


def deleted_record_restore(*, model, version, user, may_restore):
    """Put the record back as it was deleted, with what its deletion took along.

    ``may_restore(model)`` says whether the user may add records of a model; a dependent
    the user may not add refuses the whole restore. Each record gets a version whose
    reason says when it was deleted. Returns the restored records, the record first.
    """
    restored = []
    with transaction.atomic(using=router.db_for_write(model)):
        # Two restores of one record released together: the second waits here, then finds
        # the record back and is refused in words (not a unique violation, a server error).
        get_history_manager_for_model(model).select_for_update().filter(
            history_id=version.history_id
        ).exists()
        _restore(model, version, user, may_restore, restored)
    return restored


def _restore(model, version, user, may_restore, restored):
    if not may_restore(model):
        raise PermissionDenied
    obj = version.instance
    if model._base_manager.filter(pk=obj.pk).exists():
        raise ValidationError(
            _("“%(record)s” is not deleted: it was restored already.")
            % {"record": version_label(obj)}
        )
    try:
        obj.full_clean()
    except ValidationError as error:
        raise ValidationError(
            _("“%(record)s” cannot be restored: %(problems)s")
            % {"record": version_label(obj), "problems": " ".join(error.messages)}
        ) from error
    obj._change_reason = _("Restored; deleted %(date)s") % {"date": moment(version.history_date)}
    obj._history_user = user
    obj.save(force_insert=True)
    restored.append(obj)
    for dependent_model, dependent_version in cascaded_with(model, version):
        _restore(dependent_model, dependent_version, user, may_restore, restored)
