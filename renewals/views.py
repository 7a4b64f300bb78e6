"""A staff member's page for their reminders and calendar, and the calendar feed itself."""

import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from .calendar import calendar_feed, feed_agreements
from .forms import LanguageForm
from .models import ReminderProfile, new_calendar_token


def calendar_page(request):
    """Any staff member's own page: the calendar's address, a new address, the language."""
    profile = ReminderProfile.of(request.user)
    form = LanguageForm(instance=profile)
    if request.method == "POST":
        if "renew" in request.POST:
            profile.calendar_token = new_calendar_token()
            profile.save(update_fields=["calendar_token"])
            messages.success(
                request, _("Your calendar has a new address; the old one no longer works.")
            )
            return HttpResponseRedirect(reverse("renewals:calendar"))
        form = LanguageForm(request.POST, instance=profile)
        if form.is_valid():
            form.save()
            messages.success(request, _("The language of your reminders and calendar is saved."))
            return HttpResponseRedirect(reverse("renewals:calendar"))
    windows = settings.RENEWAL_REMINDER_DAYS
    agreements = [
        {
            "agreement": agreement,
            "reminders": [agreement.end_date - _days(window) for window in windows],
        }
        for agreement in feed_agreements(request.user)
    ]
    feed_path = reverse("renewals_calendar_feed", args=[profile.calendar_token])
    context = {
        **admin.site.each_context(request),
        "title": _("My reminders and calendar"),
        "subtitle": None,
        "feed_url": (settings.SITE_URL + feed_path)
        if settings.SITE_URL
        else request.build_absolute_uri(feed_path),
        "form": form,
        "agreements": agreements,
        "windows": windows,
        "may_view_agreements": request.user.has_perm("agreements.view_agreement"),
    }
    request.current_app = admin.site.name
    return TemplateResponse(request, "renewals/calendar.html", context)


def _days(number):
    return datetime.timedelta(days=number)


@csrf_exempt  # nothing to protect: it only reads, and a POST is refused (405)
@require_safe
def calendar_feed_view(request, token):
    """The feed: the token is the only key, so a calendar app can subscribe without a login.
    A token renewed, or of someone who is no longer active staff, is a 404."""
    profile = (
        ReminderProfile.objects.of_active_staff()
        .select_related("user")
        .filter(calendar_token=token)
        .first()
    )
    if profile is None:
        raise Http404(_("No calendar at this address."))
    body = calendar_feed(
        user=profile.user, language=profile.language, windows=settings.RENEWAL_REMINDER_DAYS
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="renewals.ics"'
    # Personal data behind a secret address: no shared cache keeps it, no search engine lists it.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
