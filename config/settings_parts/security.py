"""The secret key, the host names, and the production hardening: HTTPS, cookies, the
content security policy, the login lockout and the client's address behind proxies.

With debug off every protection is on by default; each can be switched by the environment for
a setup that needs it (e.g. TLS ended by a proxy that sets a header).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .environment import DEBUG, env_bool, env_list

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

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer probes /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-ending proxy: "HTTP_X_FORWARDED_PROTO,https" trusts that header (only set it
# when the proxy always sets or strips the header itself).
_proxy_ssl_header = env_list("DJANGO_SECURE_PROXY_SSL_HEADER")
if _proxy_ssl_header and len(_proxy_ssl_header) != 2:
    raise ImproperlyConfigured(
        "DJANGO_SECURE_PROXY_SSL_HEADER must be a header and a value, "
        "e.g. HTTP_X_FORWARDED_PROTO,https."
    )
# None, Django's default, trusts no header.
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) if _proxy_ssl_header else None
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
AXES_CLIENT_IP_CALLABLE = "operations.clients.client_address"
