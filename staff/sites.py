"""The admin site: Django's own, where filters in the address that a list cannot apply send
the user back to the list, flagged, as Django's own list does, for every model admin."""

import functools
import logging
from datetime import MAXYEAR, MINYEAR

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import TO_FIELD_VAR, IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.db import router, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.exceptions import NotHistoricalModelError

from .history import version_label
from .panels import index_panels
from .restore import deleted_record_restore, deleted_versions

logger = logging.getLogger(__name__)

# Django turns a year into a range [year, year + 1) in the local time zone, then into UTC:
# year 1 and year 9999 overflow on the way, a 30-digit year before it even starts.
DATE_PARTS = {"year": (MINYEAR + 1, MAXYEAR - 1), "month": (1, 12), "day": (1, 31)}

# The views that filter a list by the address: Django's list and django-import-export's.
LIST_VIEWS = {"changelist_view", "export_action"}


# The office's own records come first on the admin's home, each app where its AppConfig's
# ``admin_position`` puts it (lower first); the apps that guard access (accounts, login
# lockouts) are grouped last, and shown to superusers only.
SECURITY_APPS = ("auth", "axes")

# Deleted records listed for each kind: the newest; older ones by their kind's page.
DELETED_LISTED = 50


def _app_place(label):
    """Where an app comes on the admin's home: by its ``admin_position``, then the others, then
    the security apps."""
    position = getattr(apps.get_app_config(label), "admin_position", None)
    if position is not None:
        return (0, position)
    return (2 if label in SECURITY_APPS else 1, 0)


class OfficeAdminSite(admin.AdminSite):
    site_header = gettext_lazy("International partnerships")
    site_title = gettext_lazy("International partnerships admin")
    index_title = gettext_lazy("Records kept by the international office")
    index_template = "staff/index.html"

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if not request.user.is_superuser:
            app_list = [app for app in app_list if app["app_label"] not in SECURITY_APPS]

        return sorted(app_list, key=lambda app: _app_place(app["app_label"]))

    def index(self, request, extra_context=None):
        app_list = self.get_app_list(request)
        context = {
            "office_apps": [app for app in app_list if app["app_label"] not in SECURITY_APPS],
            "security_apps": [app for app in app_list if app["app_label"] in SECURITY_APPS],
            "panels": index_panels(request),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def get_urls(self):
        return [
            path("deleted/", self.admin_view(self.deleted_records_view), name="deleted_records"),
            *super().get_urls(),
        ]

    # Deleted records

    def _restorable_admins(self, request):
        """(model, its admin) for each kind of record the user may see and has history, in the
        admin home's order (an app re-registering another's admin moves it last in the
        registry, not on the page)."""
        in_home_order = sorted(
            self._registry.items(),
            key=lambda item: (
                _app_place(item[0]._meta.app_label),
                str(item[0]._meta.verbose_name_plural).lower(),
            ),
        )
        for model, model_admin in in_home_order:
            if not model_admin.has_view_permission(request):
                continue
            try:
                deleted_versions(model)
            except NotHistoricalModelError:
                continue
            yield model, model_admin

    def _may_restore(self, request):
        def may_restore(model):
            model_admin = self._registry.get(model)
            if model_admin is None:
                # A record kept on another's page (an agreement's documents): its own rights.
                opts = model._meta
                return all(
                    request.user.has_perm(f"{opts.app_label}.{get_permission_codename(a, opts)}")
                    for a in ("add", "change")
                )
            return model_admin.has_add_permission(request) and model_admin.has_change_permission(
                request
            )

        return may_restore

    def deleted_records_view(self, request):
        """Every deleted record, newest first, each restored in one step with what went
        along with it."""
        kinds = dict(self._restorable_admins(request))
        chosen = request.GET.get("model") or request.POST.get("model")
        if chosen:
            try:
                model = apps.get_model(chosen)
            except (LookupError, ValueError) as error:
                raise Http404 from error
            if model not in kinds:
                raise Http404
            shown = {model: kinds[model]}
        else:
            shown = kinds
        if request.method == "POST":
            return self._restore_posted(request, shown)
        may_restore = self._may_restore(request)
        sections = []
        for model, _model_admin in shown.items():
            versions = list(deleted_versions(model)[:DELETED_LISTED])
            if versions:
                opts = model._meta
                sections.append(
                    {
                        "opts": opts,
                        "label": opts.label_lower,
                        "may_restore": may_restore(model),
                        "rows": [
                            {
                                "version": version,
                                "name": version_label(version.instance),
                                "history_url": reverse(
                                    f"{self.name}:{opts.app_label}_{opts.model_name}_history",
                                    args=[version.instance.pk],
                                ),
                            }
                            for version in versions
                        ],
                    }
                )
        context = {
            **self.each_context(request),
            "title": _("Deleted records"),
            "subtitle": None,
            "sections": sections,
            "kinds": [model._meta for model in kinds],
            "chosen": chosen,
        }
        request.current_app = self.name
        return TemplateResponse(request, "staff/deleted_records.html", context)

    def _restore_posted(self, request, shown):
        if len(shown) != 1:
            raise SuspiciousOperation("A restore names the kind of record it restores.")
        [(model, model_admin)] = shown.items()
        history = deleted_versions(model)
        key = history.model._meta.pk
        try:
            # The field's own validators hold the database's range: 30 digits overflow it.
            version_id = key.to_python(request.POST.get("version", ""))
            key.run_validators(version_id)
            version = history.get(history_id=version_id)
        except (ValidationError, history.model.DoesNotExist):
            messages.error(request, _("That record is not deleted (any more); nothing was done."))
            return HttpResponseRedirect(reverse(f"{self.name}:deleted_records"))
        try:
            restored = deleted_record_restore(
                model=model,
                version=version,
                user=request.user,
                may_restore=self._may_restore(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(reverse(f"{self.name}:deleted_records"))
        for obj in restored:
            self._registry.get(type(obj), model_admin).log_addition(
                request, obj, _("Restored from the deleted records.")
            )
        record, *dependents = restored
        message = _("Restored “%(record)s”.") % {"record": record}
        if dependents:
            message += " " + ngettext(
                "With it: %(count)d record deleted along with it.",
                "With it: %(count)d records deleted along with it.",
                len(dependents),
            ) % {"count": len(dependents)}
        messages.success(request, message)
        opts = model._meta
        return HttpResponseRedirect(
            reverse(f"{self.name}:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        )

    def admin_view(self, view, cacheable=False):
        # Every model admin's views, whatever their base class, come through here.
        model_admin = getattr(view, "__self__", None)
        if getattr(view, "__name__", "") in LIST_VIEWS and model_admin is not None:
            view = _flagging_unusable_filters(view, model_admin)
        return super().admin_view(_refusing_empty_to_field(view), cacheable)


def _refusing_empty_to_field(view):
    """An empty ``_to_field`` names no field; Django looks it up and fails (a server error)."""

    @functools.wraps(view)
    def refusing(request, *args, **kwargs):
        if "" in (request.GET.get(TO_FIELD_VAR), request.POST.get(TO_FIELD_VAR)):
            raise DisallowedModelAdminToField("The field to refer to by is empty.")
        return view(request, *args, **kwargs)

    return refusing


def _flagging_unusable_filters(view, model_admin):
    """Send a list whose filters cannot be applied back to itself, flagged ``?e=1``.

    Django's list does so for filters it refuses before querying (IncorrectLookupParameters).
    Not for a date its hierarchy cannot hold, nor for a filter that fails later (a
    one-value range, an invalid regular expression, an IP filter that is no address, an
    integer beyond SQLite's range); django-import-export's export catches neither.
    """

    @functools.wraps(view)
    def flagging(request, *args, **kwargs):
        flagged = HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        filtered = any(name != ERROR_FLAG for name in request.GET)
        if not filtered:
            return view(request, *args, **kwargs)
        if not _dates_possible(request, model_admin.date_hierarchy):
            return flagged
        try:
            # A savepoint, so that the connection is usable after the database refused.
            with transaction.atomic(using=router.db_for_read(model_admin.model)):
                return view(request, *args, **kwargs)
        except (PermissionDenied, Http404, SuspiciousOperation):
            raise  # Django's own answers: 403, 404, 400
        except IncorrectLookupParameters:
            return flagged
        except Exception as error:
            # Django hands the address's filters to the ORM as they are, so they fail in many
            # ways (IndexError for a one-value range, OverflowError, DataError, ValueError).
            # Unfiltered, the same list shows what is wrong with it as usual.
            logger.warning("admin list: the address's filters failed: %r", error, exc_info=True)
            return flagged

    return flagging


def _dates_possible(request, field):
    if not field:
        return True
    for part, (lowest, highest) in DATE_PARTS.items():
        value = request.GET.get(f"{field}__{part}")
        try:
            number = int(value) if value is not None else None
        except ValueError:
            continue  # Django itself refuses what is not a number
        if number is not None and not lowest <= number <= highest:
            return False
    return True
