"""E-mail: mail goes out through the SMTP server the environment names (the office's relay);
the defaults are a relay on this machine, port 25, no login, no TLS."""

import os

from django.core.exceptions import ImproperlyConfigured


def email_address(name, value):
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
DEFAULT_FROM_EMAIL = email_address(
    "DJANGO_DEFAULT_FROM_EMAIL",
    os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "").strip() or "partnerships@localhost",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
