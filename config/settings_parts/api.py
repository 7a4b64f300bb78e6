"""The open data API (/api/v1/, the api app): read-only and anonymous for everyone, staff too
(it shows only what the public pages show), JSON only, throttled per client address."""

import os
import re

from django.core.exceptions import ImproperlyConfigured

from .security import PROXY_COUNT

API_ANON_RATE = os.environ.get("DJANGO_API_ANON_RATE", "120/minute").strip()
if not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", API_ANON_RATE):
    raise ImproperlyConfigured(
        "DJANGO_API_ANON_RATE must be a number of requests per second, minute, hour or day, "
        "e.g. 120/minute."
    )
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRate"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The throttle tells clients apart by the address the login lockout uses (DRF's rule is
    # the same: the DJANGO_PROXY_COUNT-th from the right of X-Forwarded-For).
    "NUM_PROXIES": PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "International partnerships: open data API",
    "DESCRIPTION": (
        "Partner institutions, agreements, strategic partnerships and the yearly counts of "
        "researchers received and sent, as the university's public pages show them. "
        "Read-only; names in Japanese with Accept-Language: ja."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
# django-cors-headers: any site's scripts may read the API (GET only); nothing else is CORS.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag"]
