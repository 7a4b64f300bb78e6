from django.contrib import admin
from django.urls import path

admin.site.site_header = "International partnerships"
admin.site.site_title = "International partnerships admin"
admin.site.index_title = "Records kept by the international office"

urlpatterns = [
    path("admin/", admin.site.urls),
]
