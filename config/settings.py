"""Settings for the international partnerships database, driven by the environment."""

import logging
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from operations.log_format import json_logging_config
from renewals.windows import DEFAULT_REMINDER_DAYS, BadReminderDays, reminder_days

BASE_DIR = Path(__file__).resolve().parent.parent


def gettext_noop(text):
    """Mark a string for the catalog (makemessages) without importing the translation
    machinery here, as Django's documentation asks of settings."""
    return text


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, "
            "or set DJANGO_DEBUG=1 for local development."
        )
    # Only for local development: a key that is plainly not a secret.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. Give the host names the site answers to, "
        "comma-separated, e.g. partners.example.ac.jp."
    )

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
    # are received (imports.uploads.StaffOnlyUploadHandler). It closes them at the end.
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

# Connections stay open from one request to the next: opening one costs about 2.5 ms on the
# same machine, more across a network, on every request. Either each worker thread keeps its
# own for DJANGO_CONN_MAX_AGE seconds, checked (SELECT 1) before a request reuses it, or, on
# PostgreSQL with DJANGO_DB_POOL=1, psycopg's pool lends the threads of a process the
# connections it keeps open (checked as they are lent).
DB_POOL = env_bool("DJANGO_DB_POOL", default=False)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Django refuses a pool with persistent connections: the pool keeps them instead.
        conn_max_age=0 if DB_POOL else int(os.environ.get("DJANGO_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite allows one writer at a time. A transaction that starts as a reader and writes
    # later fails at once ("database is locked") when another holds the write lock, so every
    # transaction takes the write lock as it begins, waiting up to `timeout` seconds for it
    # (as an import waits for the import lock on PostgreSQL): two imports, or an import and
    # an admin save, then run one after the other.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 30}
    )
if DB_POOL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DJANGO_DB_POOL=1 needs PostgreSQL (DATABASE_URL=postgres://...); "
            "unset it to keep one connection per worker thread instead."
        )
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DJANGO_DB_POOL_MIN_SIZE", "1")),
        "max_size": int(os.environ.get("DJANGO_DB_POOL_MAX_SIZE", "4")),
        # Seconds a request waits for a free connection before it fails.
        "timeout": float(os.environ.get("DJANGO_DB_POOL_TIMEOUT", "10")),
    }

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


# --- Production hardening, logins, cache and logs (issue 5) ---------------------------------
# With debug off every protection is on by default; each can be switched by the environment
# for a setup that needs it (e.g. TLS ended by a proxy that sets a header).

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer probes /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-ending proxy: "HTTP_X_FORWARDED_PROTO,https" trusts that header (only set it
# when the proxy always sets or strips the header itself).
_proxy_ssl_header = env_list("DJANGO_SECURE_PROXY_SSL_HEADER")
if _proxy_ssl_header:
    if len(_proxy_ssl_header) != 2:
        raise ImproperlyConfigured(
            "DJANGO_SECURE_PROXY_SSL_HEADER must be a header and a value, "
            "e.g. HTTP_X_FORWARDED_PROTO,https."
        )
    SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header)
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# django-csp: only this site's own scripts, styles, images and fonts; no framing. The admin
# and the public pages work under it (tests/browser/test_admin_csp.py checks in Chromium).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The open data API (/api/v1/, the api app): read-only and anonymous for everyone, staff too
# (it shows only what the public pages show), JSON only, throttled per client address.
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

# django-axes: five wrong passwords for one username from one address lock that pair out
# for 15 minutes; colleagues at other addresses, and other usernames, are not affected.
AUTHENTICATION_BACKENDS = [
    "staff.backends.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Behind proxies, the client is the address the outermost proxy appended to X-Forwarded-For:
# the DJANGO_PROXY_COUNT-th from the right (operations/clients.py). Without DJANGO_PROXY_COUNT
# the header is ignored (anyone could forge it).
_proxy_count = os.environ.get("DJANGO_PROXY_COUNT", "").strip()
if _proxy_count and not (_proxy_count.isascii() and _proxy_count.isdigit() and int(_proxy_count)):
    raise ImproperlyConfigured(
        "DJANGO_PROXY_COUNT must be 1 or more: the number of proxies in front, e.g. 1."
    )
PROXY_COUNT = int(_proxy_count or 0)
# The API's throttle tells clients apart by the same address (DRF's rule is the same).
REST_FRAMEWORK["NUM_PROXIES"] = PROXY_COUNT
AXES_CLIENT_IP_CALLABLE = "operations.clients.client_address"

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
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
IMPORT_MAX_INFLATED_BYTES = int(os.environ.get("IMPORT_MAX_INFLATED_BYTES", 100 * 1024 * 1024))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 200_000))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", 1_000_000))
IMPORT_PREVIEW_ROWS = int(os.environ.get("IMPORT_PREVIEW_ROWS", 500))
# Files are received from signed-in staff only: anyone else's are read and dropped, never
# kept in memory or on disk. Uploads are cut off at IMPORT_MAX_UPLOAD_BYTES (an agreement's
# document at AGREEMENT_DOCUMENT_MAX_BYTES) while they stream in: what was kept of a larger
# one is deleted at once. Files up to FILE_UPLOAD_MAX_MEMORY_SIZE (Django's 2.5 MB) wait in
# memory, larger ones in a temporary file, until the form has checked them; every one is
# closed (a temporary file deleted) before the answer is sent.
FILE_UPLOAD_HANDLERS = [
    "imports.uploads.StaffOnlyUploadHandler",
    "imports.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]


# --- E-mail and renewal reminders --------------------------------------------------------------
# Mail goes out through the SMTP server the environment names (the office's relay); the
# defaults are a relay on this machine, port 25, no login, no TLS.


def _email_address(name, value):
    """``value`` if it is an address ("a@b.jp" or "Office <a@b.jp>"), else a start-up error."""
    from email.utils import parseaddr

    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    _display, address = parseaddr(value)
    try:
        validate_email(address)
    except ValidationError:
        raise ImproperlyConfigured(
            f"{name} must be an e-mail address, e.g. partnerships@example.ac.jp; "
            f"{value!r} is not one."
        ) from None
    return value


# Django's SMTP backend, with EMAIL_TIMEOUT bounding each step of a conversation with the server
# as a whole (Django's bounds each read only, which a server sending a byte at a time never trips).
EMAIL_BACKEND = "operations.mail.EmailBackend"
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "").strip() or "localhost"
_email_port = os.environ.get("DJANGO_EMAIL_PORT", "").strip() or "25"
if not (_email_port.isascii() and _email_port.isdigit() and 1 <= int(_email_port) <= 65535):
    raise ImproperlyConfigured(
        f"DJANGO_EMAIL_PORT must be a port number from 1 to 65535, e.g. 587; "
        f"{_email_port!r} is not one."
    )
EMAIL_PORT = int(_email_port)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
_use_tls = os.environ.get("DJANGO_EMAIL_USE_TLS", "").strip().lower()
if _use_tls not in {"", "1", "true", "yes", "on", "0", "false", "no", "off"}:
    raise ImproperlyConfigured(
        f"DJANGO_EMAIL_USE_TLS must be 1 or 0 (true/false, yes/no, on/off); {_use_tls!r} is not."
    )
# STARTTLS on the submission port (587), as most relays ask.
EMAIL_USE_TLS = _use_tls in {"1", "true", "yes", "on"}
# Each step of a conversation with the relay (connecting, each mail, QUIT) is cut after this many
# seconds in all, rather than hanging cron: the relay that stops answering or answers a byte at a
# time. A run of N mails takes at most about (N + 2) times this.
_email_timeout = os.environ.get("DJANGO_EMAIL_TIMEOUT", "").strip() or "30"
if not (_email_timeout.isascii() and _email_timeout.isdigit() and 1 <= int(_email_timeout) <= 3600):
    raise ImproperlyConfigured(
        f"DJANGO_EMAIL_TIMEOUT must be a number of seconds from 1 to 3600, e.g. 30; "
        f"{_email_timeout!r} is not one."
    )
EMAIL_TIMEOUT = int(_email_timeout)
DEFAULT_FROM_EMAIL = _email_address(
    "DJANGO_DEFAULT_FROM_EMAIL",
    os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "").strip() or "partnerships@localhost",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

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
    RENEWAL_REMINDER_DAYS = reminder_days(
        os.environ.get("RENEWAL_REMINDER_DAYS", "").strip() or DEFAULT_REMINDER_DAYS
    )
except BadReminderDays as error:
    raise ImproperlyConfigured(str(error)) from None
# Who is told about an agreement that has no responsible staff member (or one who has left or
# has no e-mail address); empty: no one, and the command says so.
RENEWAL_REMINDER_FALLBACK_EMAIL = os.environ.get("RENEWAL_REMINDER_FALLBACK_EMAIL", "").strip()
if RENEWAL_REMINDER_FALLBACK_EMAIL:
    _email_address("RENEWAL_REMINDER_FALLBACK_EMAIL", RENEWAL_REMINDER_FALLBACK_EMAIL)
