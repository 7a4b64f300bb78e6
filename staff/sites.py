"""The admin site: Django's own, where a list's filters that cannot be applied send the user
back to the page, flagged, as Django's own list does, from every admin view."""

import functools
from datetime import MAXYEAR, MINYEAR

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpResponseRedirect

# Django turns a year into a range [year, year + 1) in the local time zone, then into UTC:
# year 1 and year 9999 overflow on the way, a 30-digit year before it even starts.
DATE_PARTS = {"year": (MINYEAR + 1, MAXYEAR - 1), "month": (1, 12), "day": (1, 31)}


class OfficeAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        # Every model admin's views, whatever their base class, come through here.
        model_admin = getattr(view, "__self__", None)
        hierarchy = getattr(model_admin, "date_hierarchy", None)
        dates = hierarchy if getattr(view, "__name__", "") == "changelist_view" else None
        return super().admin_view(_flagging_unusable_filters(view, dates), cacheable)


def _flagging_unusable_filters(view, date_hierarchy):
    """Answer filters the view cannot use with a redirect to the page flagged ``?e=1``.

    Django's list does so for filters it refuses (IncorrectLookupParameters), but not for a
    date its hierarchy cannot hold (OverflowError); django-import-export's export does not
    catch the refusal at all.
    """

    @functools.wraps(view)
    def flagging(request, *args, **kwargs):
        flagged = HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        if date_hierarchy and not _dates_possible(request, date_hierarchy):
            return flagged
        try:
            return view(request, *args, **kwargs)
        except IncorrectLookupParameters:
            # The flag alone is no filter, so the redirect cannot come back here.
            return flagged

    return flagging


def _dates_possible(request, field):
    for part, (lowest, highest) in DATE_PARTS.items():
        value = request.GET.get(f"{field}__{part}")
        try:
            number = int(value) if value is not None else None
        except ValueError:
            continue  # Django itself refuses what is not a number
        if number is not None and not lowest <= number <= highest:
            return False
    return True
