"""The admin site: Django's own, where filters in the address that a list cannot apply send
the user back to the list, flagged, as Django's own list does, for every model admin."""

import functools
import logging
from datetime import MAXYEAR, MINYEAR

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import TO_FIELD_VAR, IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import router, transaction
from django.http import Http404, HttpResponseRedirect

logger = logging.getLogger(__name__)

# Django turns a year into a range [year, year + 1) in the local time zone, then into UTC:
# year 1 and year 9999 overflow on the way, a 30-digit year before it even starts.
DATE_PARTS = {"year": (MINYEAR + 1, MAXYEAR - 1), "month": (1, 12), "day": (1, 31)}

# The views that filter a list by the address: Django's list and django-import-export's.
LIST_VIEWS = {"changelist_view", "export_action"}


class OfficeAdminSite(admin.AdminSite):
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
