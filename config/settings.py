"""Settings for the international partnerships database, driven by the environment.

Each concern that reads environment variables of its own (security, the database, the API,
e-mail) is a module of config/settings_parts/; this module gathers them, with the apps, the
middleware and what ties them together.
"""

import logging
import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.settings_parts.api import (  # noqa: F401 - settings Django reads here
    API_ANON_RATE,
    CORS_ALLOW_ALL_ORIGINS,
    CORS_ALLOW_CREDENTIALS,
    CORS_ALLOW_METHODS,
    CORS_EXPOSE_HEADERS,
    CORS_URLS_REGEX,
    REST_FRAMEWORK,
    SPECTACULAR_SETTINGS,
)
from config.settings_parts.database import (  # noqa: F401 - settings Django reads here
    DATABASES,
    DB_POOL,
)
from config.settings_parts.environment import BASE_DIR, DEBUG
from config.settings_parts.mail import (  # noqa: F401 - settings Django reads here
    DEFAULT_FROM_EMAIL,
    EMAIL_BACKEND,
    EMAIL_HOST,
    EMAIL_HOST_PASSWORD,
    EMAIL_HOST_USER,
    EMAIL_PORT,
    EMAIL_TIMEOUT,
    EMAIL_USE_TLS,
    SERVER_EMAIL,
)
from config.settings_parts.mail import email_address as _email_address
from config.settings_parts.security import (  # noqa: F401 - settings Django reads here
    ALLOWED_HOSTS,
    AUTHENTICATION_BACKENDS,
    AXES_CLIENT_IP_CALLABLE,
    AXES_COOLOFF_TIME,
    AXES_FAILURE_LIMIT,
    AXES_LOCKOUT_PARAMETERS,
    AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT,
    AXES_RESET_ON_SUCCESS,
    CONTENT_SECURITY_POLICY,
    CSRF_COOKIE_SECURE,
    CSRF_TRUSTED_ORIGINS,
    PROXY_COUNT,
    SECRET_KEY,
    SECURE_CONTENT_TYPE_NOSNIFF,
    SECURE_HSTS_INCLUDE_SUBDOMAINS,
    SECURE_HSTS_PRELOAD,
    SECURE_HSTS_SECONDS,
    SECURE_PROXY_SSL_HEADER,
    SECURE_REDIRECT_EXEMPT,
    SECURE_REFERRER_POLICY,
    SECURE_SSL_REDIRECT,
    SESSION_COOKIE_HTTPONLY,
    SESSION_COOKIE_SECURE,
    X_FRAME_OPTIONS,
)
from imports.limits import (
    DEFAULT_MAX_CELLS,
    DEFAULT_MAX_INFLATED_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_MAX_UPLOAD_BYTES,
    DEFAULT_PREVIEW_ROWS,
)
from operations.day_windows import BadDayWindows, day_windows
from operations.log_format import json_logging_config


def gettext_noop(text):
    """Mark a string for the catalog (makemessages) without importing the translation
    machinery here, as Django's documentation asks of settings."""
    return text


DJANGO_APPS = [
    # Django's admin on the office's site class (staff/sites.py).
    "staff.apps.OfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "import_export",
    "django_filters",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
]
LOCAL_APPS = [
    "presentation.apps.PresentationConfig",
    "imports.apps.ImportsConfig",
    "places.apps.PlacesConfig",
    "agreements.apps.AgreementsConfig",
    "exchanges.apps.ExchangesConfig",
    "staff.apps.StaffConfig",
    "operations.apps.OperationsConfig",
    "api.apps.ApiConfig",
    "renewals.apps.RenewalsConfig",
    "website.apps.WebsiteConfig",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First, so its line in the log has the final status and the whole duration.
    "operations.middleware.RequestLogMiddleware",
    # Second: a NUL character in the address, headers or cookies never reaches a session, a
    # lookup or a view (PostgreSQL cannot store or compare it).
    "operations.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Public pages: WhiteNoise serves the static files from the app itself (no CDN).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Public pages in the language of their address (/ja/…), the admin in the staff's choice.
    "operations.middleware.LocaleMiddleware",
    # Before CommonMiddleware, as django-cors-headers asks; it acts on /api/ only.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The first to read the body (a form's NULs), once the user is known: only staff's files
    # are received (operations.uploads.StaffOnlyUploadHandler). It closes them at the end.
    "operations.middleware.RefuseNulInFormsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # An agreement document whose row was rolled back does not stay on disk.
    "agreements.documents.storage.DocumentFilesMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # Only the row loops of tables that grow to thousands of rows (the statistics after a
        # national import, the fact sheet's memoranda) are Jinja2 fragments under <app>/jinja2/,
        # rendered several times faster than a Django template; every page stays a Django
        # template, so makemessages finds all text (the fragments hold none).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "presentation.jinja2.environment"},
    },
]

WSGI_APPLICATION = "config.wsgi.application"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ja", "Japanese")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language staff choose in the admin's header is remembered for a year, not a session.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Public pages: compressed, content-hashed files collected by `collectstatic` at deploy time.
# In debug (and in tests, see tests/conftest.py) the hashes are not needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.StaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Agreements' signed PDFs and amendments (agreements/documents/): a private folder that no
# URL serves; staff download them through the admin, which checks their permission each time.
DOCUMENTS_ROOT = Path(os.environ.get("DJANGO_DOCUMENTS_ROOT", BASE_DIR / "documents")).resolve()
for _public_name, _public_root in [
    ("DJANGO_MEDIA_ROOT", MEDIA_ROOT),
    ("DJANGO_STATIC_ROOT", STATIC_ROOT),
    *(("STATICFILES_DIRS", folder) for folder in STATICFILES_DIRS),
]:
    _public_root = Path(_public_root).resolve()
    if (
        _public_root == DOCUMENTS_ROOT
        or _public_root in DOCUMENTS_ROOT.parents
        or (DOCUMENTS_ROOT in _public_root.parents)
    ):
        raise ImproperlyConfigured(
            f"DJANGO_DOCUMENTS_ROOT ({DOCUMENTS_ROOT}) must not overlap {_public_name} "
            f"({_public_root}): the signed documents are never served as public files."
        )
AGREEMENT_DOCUMENT_MAX_BYTES = int(
    os.environ.get("DJANGO_AGREEMENT_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# The reason the first version of each record a fixture loads gives (staff/versions.py);
# other fixtures are named as they are.
FIXTURE_VERSION_REASONS = {"seed": gettext_noop("Loaded from the fact sheet")}

# django-import-export: importing and exporting need their own permissions
# ("agreements.import_agreement", "exchanges.export_exchangestatistic", ...).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"

# Cache: Redis shared by every app server when REDIS_URL is set, else this process's memory.
# Public pages are cached under a version that every write bumps (operations/cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "partnerships",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each app server process has its own memory, where one server's bump would not reach the
# others: without Redis, public pages are not cached unless asked for.
PUBLIC_CACHE_SECONDS = int(
    os.environ.get("DJANGO_PUBLIC_CACHE_SECONDS", "600" if REDIS_URL else "0")
)

# Logs: one JSON object per line on stderr, times in TIME_ZONE with their offset; gunicorn
# uses the same (config/gunicorn.conf.py). Stdout is left to what commands print.
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        "DJANGO_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL."
    )
LOGGING = json_logging_config(level=LOG_LEVEL, time_zone=TIME_ZONE)
# Python's warnings (deprecations, WhiteNoise's missing folder) become JSON log lines too.
logging.captureWarnings(True)

# Spreadsheet imports. The upload waits between preview and confirm in MEDIA_ROOT, which all
# app servers share; `manage.py clear_import_uploads` removes abandoned ones.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
# The limits' defaults are the import framework's (imports/limits.py).
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))
IMPORT_MAX_INFLATED_BYTES = int(
    os.environ.get("IMPORT_MAX_INFLATED_BYTES", DEFAULT_MAX_INFLATED_BYTES)
)
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", DEFAULT_MAX_CELLS))
IMPORT_PREVIEW_ROWS = int(os.environ.get("IMPORT_PREVIEW_ROWS", DEFAULT_PREVIEW_ROWS))
# Files are received from signed-in staff only: anyone else's are read and dropped, never
# kept in memory or on disk. Uploads are cut off at IMPORT_MAX_UPLOAD_BYTES (an agreement's
# document at AGREEMENT_DOCUMENT_MAX_BYTES) while they stream in: what was kept of a larger
# one is deleted at once. Files up to FILE_UPLOAD_MAX_MEMORY_SIZE (Django's 2.5 MB) wait in
# memory, larger ones in a temporary file, until the form has checked them; every one is
# closed (a temporary file deleted) before the answer is sent.
FILE_UPLOAD_HANDLERS = [
    "operations.uploads.StaffOnlyUploadHandler",
    "operations.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]


# --- Renewal reminders ---------------------------------------------------------------------

# The site's address as staff reach it, for links in e-mails (a command has no request to read
# it from), e.g. https://partners.example.ac.jp. Empty: the reminders command refuses to send.
# In debug, the address bin/start serves.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")
SITE_URL = SITE_URL.strip().rstrip("/")
if SITE_URL and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", SITE_URL):
    raise ImproperlyConfigured(
        f"DJANGO_SITE_URL must be the site's address, e.g. https://partners.example.ac.jp; "
        f"{SITE_URL!r} is not one."
    )

# Reminders go out this many days before an agreement's end (manage.py send_renewal_reminders).
try:
    RENEWAL_REMINDER_DAYS = day_windows(
        os.environ.get("RENEWAL_REMINDER_DAYS", "").strip() or "180,90,30",
        setting="RENEWAL_REMINDER_DAYS",
    )
except BadDayWindows as error:
    raise ImproperlyConfigured(str(error)) from None
# Who is told about an agreement that has no responsible staff member (or one who has left or
# has no e-mail address); empty: no one, and the command says so.
RENEWAL_REMINDER_FALLBACK_EMAIL = os.environ.get("RENEWAL_REMINDER_FALLBACK_EMAIL", "").strip()
if RENEWAL_REMINDER_FALLBACK_EMAIL:
    _email_address("RENEWAL_REMINDER_FALLBACK_EMAIL", RENEWAL_REMINDER_FALLBACK_EMAIL)
