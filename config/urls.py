from django.contrib import admin
from django.urls import path

from staff.views import healthz

admin.site.site_header = "International partnerships"
admin.site.site_title = "International partnerships admin"
admin.site.index_title = "Records kept by the international office"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
