"""The base of every records admin: full history, safe reverts and no silent overwrites."""

from axes import admin as axes_admin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.forms.models import _get_foreign_key
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model

from operations.cache import public_cache_bump

from .actions import PUBLISHING_ACTIONS
from .forms import KnownKeysAutocompleteSelect, KnownKeysAutocompleteSelectMultiple, column_labelled
from .history import (
    OfficeHistoryContextHelper,
    moment,
    value_display,
    version_label,
    with_deleted_relations,
)
from .lists import OfficeChangeList, RelatedInUseFilter

# What a records admin builds on (as django.contrib.admin offers its filters beside ModelAdmin).
__all__ = ["OfficeModelAdmin", "RelatedInUseFilter"]

# Name of the hidden field that carries, from the moment a form was opened, the newest
# history entry of the record and of each inline's records ("app.model=id;...").
HISTORY_MARKS_FIELD = "_history_marks"


class OfficeModelAdmin(SimpleHistoryAdmin):
    """Keep every version, show changes field by field, and refuse a save over a newer one."""

    change_form_template = "staff/change_form.html"
    object_history_form_template = "staff/object_history_form.html"
    object_history_list_template = "staff/object_history_list.html"
    # What must be ended or removed before a record can go, in plain words.
    delete_confirmation_template = "staff/delete_confirmation.html"
    delete_selected_confirmation_template = "staff/delete_selected_confirmation.html"

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        # Every list of records that can be published offers to publish and unpublish them.
        if any(field.name == "is_published" for field in model._meta.get_fields()):
            self.actions = [*(self.actions or ()), *PUBLISHING_ACTIONS]

    # Rights

    def has_add_and_change_permission(self, request, obj=None):
        """For what adds records and changes the selected ones (renewing adds a successor and
        changes the agreement it renews): ``@admin.action(permissions=["add_and_change"])``.

        Django offers an action whose ``permissions`` lists several rights to a user with any
        one of them, so ``["add", "change"]`` let a user who may only change create records.
        """
        return self.has_add_permission(request) and self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                KnownKeysAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                KnownKeysAutocompleteSelectMultiple(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changelist(self, request, **kwargs):
        return OfficeChangeList

    def get_changelist_formset(self, request, **kwargs):
        return column_labelled(super().get_changelist_formset(request, **kwargs))

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if isinstance(inline, admin.TabularInline):
                formset = column_labelled(formset)
            yield formset, inline

    def get_empty_value_display(self):
        # Asked for every cell of a changelist: Django's own gets there through an
        # AttributeError each time.
        return mark_safe(  # noqa: S308 - the admin's own setting, as Django marks it
            getattr(self, "empty_value_display", None) or self.admin_site.empty_value_display
        )

    def action_checkbox(self, obj):
        """The same checkbox as Django's, written by one format_html() instead of a widget.

        Django renders a form widget through two templates for every row: a fifth of a
        100-row changelist's time.
        """
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(_("Select this object for an action - {}"), str(obj)),
        )

    # History

    def history_scopes(self, request, obj):
        """Historical rows that belong to what this change form shows, by model label."""
        opts = self.model._meta
        scopes = {
            opts.label: get_history_manager_for_model(self.model).filter(
                **{opts.pk.attname: obj.pk}
            )
        }
        for inline in self.get_inline_instances(request, obj):
            try:
                history = get_history_manager_for_model(inline.model)
            except NotHistoricalModelError:
                continue
            foreign_key = _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name)
            scopes[inline.model._meta.label] = history.filter(**{foreign_key.attname: obj.pk})
        return scopes

    def history_marks(self, request, obj):
        marks = []
        for label, history in self.history_scopes(request, obj).items():
            newest = history.order_by("-history_id").values_list("history_id", flat=True)
            marks.append(f"{label}={newest.first() or 0}")
        return ";".join(marks)

    def changes_since(self, request, obj, marks):
        """Describe, one line each, the changes saved after the form was opened."""
        try:
            seen = {
                label: int(mark)
                for label, mark in (part.split("=", 1) for part in marks.split(";") if part)
            }
        except ValueError:
            return [_("The form's record of what you saw is damaged; reload the page.")]
        lines = []
        for label, history in self.history_scopes(request, obj).items():
            if label not in seen:
                continue
            newer = history.filter(history_id__gt=seen[label]).order_by("history_id")
            lines.extend(
                _describe_change(record) for record in newer.select_related("history_user")
            )
        return lines

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if getattr(request, "reverting_to_version", None) is not None:
            form = _all_fields_disabled(form)
        if obj is None or request.method != "POST" or HISTORY_MARKS_FIELD not in request.POST:
            return form
        model_admin = self

        class ConcurrentEditCheckedForm(form):
            def clean(self):
                cleaned_data = super().clean()
                # Hold the row until this save commits, so two saves cannot both pass the check.
                database = router.db_for_write(model_admin.model)
                if transaction.get_connection(database).in_atomic_block:
                    model_admin.model._default_manager.select_for_update().filter(
                        pk=obj.pk
                    ).exists()
                changes = model_admin.changes_since(request, obj, request.POST[HISTORY_MARKS_FIELD])
                if changes:
                    lines = [
                        _(
                            "Someone else saved this record after you opened it, so your "
                            "changes were not saved. Changed meanwhile:"
                        ),
                        *changes,
                        _(
                            "The form still holds your edits. Check them against the "
                            "changes above, then save again to keep yours."
                        ),
                    ]
                    raise ValidationError(
                        [ValidationError(line, code="concurrent_edit") for line in lines]
                    )
                return cleaned_data

        ConcurrentEditCheckedForm.__name__ = form.__name__
        return ConcurrentEditCheckedForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context[HISTORY_MARKS_FIELD.lstrip("_")] = self._marks_for_form(request, obj, context)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _marks_for_form(self, request, obj, context):
        # A refused save shows the newest marks, so saving again knowingly keeps the user's
        # edits; any other error keeps the marks the user started from.
        posted = request.POST.get(HISTORY_MARKS_FIELD) if request.method == "POST" else None
        errors = context.get("adminform").form.non_field_errors().as_data() if posted else []
        if posted and not any(error.code == "concurrent_edit" for error in errors):
            return posted
        return self.history_marks(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        _key_or_404(self.model, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    @transaction.atomic
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _key_or_404(self.model, unquote(object_id))
        _key_or_404(get_history_manager_for_model(self.model).model, version_id)
        # simple-history lets anyone who may view the history POST a revert; only those who
        # may change the record may revert it.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        request.reverting_to_version = version_id
        return super().history_form_view(request, object_id, version_id, extra_context)

    # The same instance is then shown in the page's breadcrumbs.
    def history_view_title(self, request, obj):
        return super().history_view_title(request, with_deleted_relations(obj))

    def history_form_view_title(self, request, obj):
        return super().history_form_view_title(request, with_deleted_relations(obj))

    def get_historical_record_context_helper(self, request, historical_record):
        return OfficeHistoryContextHelper(self.model, historical_record)

    def render_history_view(self, request, template, context, **kwargs):
        if template == self.object_history_form_template:
            obj = context["original"]
            context[HISTORY_MARKS_FIELD.lstrip("_")] = self._marks_for_form(request, obj, context)
            context["adminform"] = _as_text(context["adminform"], self)
        elif "page_obj" in context:
            # A column of blanks says nothing: shown only when a version gives a reason.
            context["show_reasons"] = any(
                record.history_change_reason for record in context["page_obj"]
            )
        return super().render_history_view(request, template, context, **kwargs)

    def response_change(self, request, obj):
        version = getattr(request, "reverted_version", None)
        if version is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            _("Reverted “%(record)s” to the version of %(date)s.")
            % {"record": obj, "date": moment(version.history_date)},
            messages.SUCCESS,
        )
        return self.response_post_save_change(request, obj)

    # Writes: the public pages' cache is stale once the change commits.

    def save_model(self, request, obj, form, change):
        version_id = getattr(request, "reverting_to_version", None)
        if version_id is not None:
            version = get_history_manager_for_model(self.model).get(history_id=version_id)
            request.reverted_version = version
            obj._change_reason = _("Reverted to the version of %(date)s") % {
                "date": moment(version.history_date)
            }
        super().save_model(request, obj, form, change)
        transaction.on_commit(public_cache_bump)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(public_cache_bump)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(public_cache_bump)


def _all_fields_disabled(form):
    """An old version's form: reverting saves the version's values, whatever is posted."""

    class VersionForm(form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for field in self.fields.values():
                field.disabled = True

    VersionForm.__name__ = form.__name__
    return VersionForm


def _as_text(admin_form, model_admin):
    """An old version's fields shown as text, as Django shows a record to those who may only
    view it: the version is read, and reverting to it takes it as it was."""
    fieldsets = list(admin_form.fieldsets)
    return helpers.AdminForm(
        admin_form.form,
        fieldsets,
        {},
        readonly_fields=flatten_fieldsets(fieldsets),
        model_admin=model_admin,
    )


def _key_or_404(model, key):
    """A key in the address that cannot be the model's primary key names nothing."""
    try:
        model._meta.pk.to_python(key)
    except ValidationError as error:
        raise Http404 from error


def _describe_change(record):
    """One line a person can read: who changed which record when, and each field's values."""
    names = {
        "who": record.history_user or _("someone (no user recorded)"),
        "what": f"{record.instance._meta.verbose_name} “{version_label(record.instance)}”",
        "when": moment(record.history_date),
    }
    if record.history_type == "+":
        return _("%(who)s added %(what)s at %(when)s") % names
    if record.history_type == "-":
        return _("%(who)s deleted %(what)s at %(when)s") % names
    previous = record.prev_record
    if previous is None:
        return _("%(who)s changed %(what)s at %(when)s") % names
    fields = {field.name: field for field in record.instance._meta.fields}
    names["changed"] = "; ".join(
        f"{fields[change.field].verbose_name}: "
        f"“{value_display(fields[change.field], change.old)}” → "
        f"“{value_display(fields[change.field], change.new)}”"
        for change in record.diff_against(previous).changes
    )
    return _("%(who)s changed %(what)s at %(when)s: %(changed)s") % names


# Login lockouts (django-axes)


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """django-axes' login attempts. Its clean-up deletes records, so it asks for the right to
    delete them: axes offers it to whoever may view them."""

    @admin.action(description=gettext_lazy("Clean up expired attempts"), permissions=["delete"])
    def cleanup_expired_attempts(self, request, queryset):
        # axes reckons what has expired from the moment of a login attempt, which only a login
        # request carries: without it the clean-up was a server error for everyone.
        request.axes_attempt_time = timezone.now()
        return super().cleanup_expired_attempts(request, queryset)


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
