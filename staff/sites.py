"""The admin site: Django's own, refusing dates no list's date hierarchy can show."""

from datetime import MAXYEAR, MINYEAR

from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpResponseRedirect

# Django turns a year into a range [year, year + 1) in the local time zone, then into UTC:
# year 1 and year 9999 overflow on the way, a 30-digit year before it even starts.
DATE_PARTS = {"year": (MINYEAR + 1, MAXYEAR - 1), "month": (1, 12), "day": (1, 31)}


class OfficeAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        # Every model admin's list, whatever its base class, comes through here.
        model_admin = getattr(view, "__self__", None)
        hierarchy = getattr(model_admin, "date_hierarchy", None)
        if getattr(view, "__name__", "") == "changelist_view" and hierarchy:
            view = _refusing_impossible_dates(view, hierarchy)
        return super().admin_view(view, cacheable)


def _refusing_impossible_dates(changelist_view, field):
    def view(request, *args, **kwargs):
        for part, (lowest, highest) in DATE_PARTS.items():
            value = request.GET.get(f"{field}__{part}")
            try:
                number = int(value) if value is not None else None
            except ValueError:
                continue  # Django itself refuses what is not a number
            if number is not None and not lowest <= number <= highest:
                # What Django answers to any other lookup it cannot use.
                return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
        return changelist_view(request, *args, **kwargs)

    return view
