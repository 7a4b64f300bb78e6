from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from agreements.documents.views import document_download
from exchanges import urls as exchanges_urls
from operations.views import healthz
from renewals.urls import feed_urlpatterns as renewal_feed_urlpatterns
from website import urls as website_urls

urlpatterns = [
    # Staff's page of their renewal reminders and calendar, before the admin's catch-all.
    path("admin/", include("renewals.urls")),
    # An agreement's signed documents, to staff who may see agreements (asked on every
    # download), behind the admin's login; before the admin's own addresses, which would
    # take it for an object's page.
    path(
        "admin/agreements/agreement/<int:agreement_id>/documents/<int:document_id>/download/",
        admin.site.admin_view(document_download),
        name="agreement_document_download",
    ),
    path("admin/", admin.site.urls),
    # Each staff member's calendar feed, at a secret address (no login: calendar apps read it).
    *renewal_feed_urlpatterns,
    # The admin's language switch posts here (Django's set_language: a cookie, then back).
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    # The open data API: English and Japanese at one address, by Accept-Language.
    path("api/v1/", include("api.urls")),
]
# Public pages: English at the addresses they always had, Japanese under /ja/.
urlpatterns += i18n_patterns(
    path("", include(website_urls)),
    path("", include("agreements.urls")),
    path(
        "",
        include(
            (
                exchanges_urls.urlpatterns + website_urls.fact_sheet_urlpatterns,
                exchanges_urls.app_name,
            )
        ),
    ),
    prefix_default_language=False,
)

# Error pages in the page's language, with the site's header and its language switch.
handler400 = "operations.views.bad_request"
