"""Bulk actions on a list's selected records, each change kept in history with a reason."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from operations.cache import public_cache_bump


def records_update(model_admin, request, queryset, *, reason, done, **values):
    """Set ``values`` on the selected records that differ, one history entry each.

    ``done`` words the message ("Published %(count)d of %(selected)d %(records)s.").
    """
    model = model_admin.model
    with transaction.atomic(using=router.db_for_write(model)):
        # The list's query joins and groups for its columns; lock the selected rows alone.
        keys = list(queryset.values_list("pk", flat=True))
        selected = list(
            model._default_manager.filter(pk__in=keys).select_for_update().order_by("pk")
        )
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


def setting_action(name, *, description, reason, done, **values):
    """An action that sets ``values`` on the selected records (see records_update)."""

    @admin.action(description=description, permissions=["change"])
    def action(model_admin, request, queryset):
        records_update(model_admin, request, queryset, reason=str(reason), done=str(done), **values)

    action.__name__ = name
    return action


publish_selected = setting_action(
    "publish_selected",
    description=gettext_lazy("Publish selected %(verbose_name_plural)s"),
    reason=gettext_lazy("Published from the list"),
    done=gettext_lazy(
        "Published %(count)d of %(selected)d selected %(records)s (the others were already)."
    ),
    is_published=True,
)
unpublish_selected = setting_action(
    "unpublish_selected",
    description=gettext_lazy("Unpublish selected %(verbose_name_plural)s"),
    reason=gettext_lazy("Unpublished from the list"),
    done=gettext_lazy(
        "Unpublished %(count)d of %(selected)d selected %(records)s (the others were already)."
    ),
    is_published=False,
)

PUBLISHING_ACTIONS = (publish_selected, unpublish_selected)
