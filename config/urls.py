from django.contrib import admin
from django.urls import include, path

from exchanges.views import HomeView

admin.site.site_header = "International partnerships"
admin.site.site_title = "International partnerships admin"
admin.site.index_title = "Records kept by the international office"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Public pages.
    path("", HomeView.as_view(), name="home"),
    path("", include("agreements.urls")),
    path("", include("exchanges.urls")),
]
