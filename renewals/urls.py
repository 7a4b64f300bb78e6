"""The staff page, under /admin/ through the admin's own login and staff check (config/urls.py
includes it there), and the feed, outside it: a calendar app cannot log in, so the feed's
secret address is its only key."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "renewals"

urlpatterns = [
    path("renewals/calendar/", admin.site.admin_view(views.calendar_page), name="calendar"),
]

feed_urlpatterns = [
    path("calendar/<str:token>.ics", views.calendar_feed_view, name="renewals_calendar_feed"),
]
