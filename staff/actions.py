"""Bulk actions on a list's selected records, each change kept in history with a reason."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from operations.cache import public_cache_bump


def records_update(model_admin, request, queryset, *, reason, done, **values):
    """Set ``values`` on the selected records that differ, one history entry each.

    ``done`` words the message ("Published %(count)d of %(selected)d %(records)s.").
    """
    model = model_admin.model
    selected = list(queryset.select_for_update().order_by("pk"))
    changed = [
        obj
        for obj in selected
        if any(getattr(obj, name) != value for name, value in values.items())
    ]
    problems = []
    for obj in changed:
        for name, value in values.items():
            setattr(obj, name, value)
        try:
            obj.full_clean()
        except ValidationError as error:
            problems.append(f"“{obj}”: {' '.join(error.messages)}")
    if problems:
        model_admin.message_user(
            request,
            _("Nothing was changed: %(problems)s") % {"problems": "; ".join(problems)},
            messages.ERROR,
        )
        return
    with transaction.atomic():
        bulk_update_with_history(
            changed,
            model,
            list(values),
            batch_size=500,
            default_user=request.user,
            default_change_reason=reason,
        )
    transaction.on_commit(public_cache_bump)
    model_admin.message_user(
        request,
        done
        % {
            "count": len(changed),
            "selected": len(selected),
            "records": model._meta.verbose_name_plural,
        },
        messages.SUCCESS,
    )


@admin.action(
    description=gettext_lazy("Publish selected %(verbose_name_plural)s"), permissions=["change"]
)
def publish_selected(model_admin, request, queryset):
    records_update(
        model_admin,
        request,
        queryset,
        is_published=True,
        reason=_("Published from the list"),
        done=_(
            "Published %(count)d of %(selected)d selected %(records)s (the others were already)."
        ),
    )


@admin.action(
    description=gettext_lazy("Unpublish selected %(verbose_name_plural)s"), permissions=["change"]
)
def unpublish_selected(model_admin, request, queryset):
    records_update(
        model_admin,
        request,
        queryset,
        is_published=False,
        reason=_("Unpublished from the list"),
        done=_(
            "Unpublished %(count)d of %(selected)d selected %(records)s (the others were already)."
        ),
    )


PUBLISHING_ACTIONS = (publish_selected, unpublish_selected)
