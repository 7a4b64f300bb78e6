"""What every request passes through first: its line in the log, and the refusal of input
no view could handle."""

import logging
import time

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware import locale
from django.urls import LocalePrefixPattern, get_resolver
from django.utils import translation

from .clients import client_address
from .uploads import close_upload_files

logger = logging.getLogger("operations.requests")


class RequestLogMiddleware:
    """Log each request once, when its answer is ready: method, path, status, size, duration,
    user agent and client address, as fields of one JSON line (see log_format.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        status = response.status_code
        logger.log(
            logging.ERROR if status >= 500 else logging.INFO,
            "%s %s %s",
            request.method,
            request.path,
            status,
            extra={
                "method": request.method,
                "path": request.path,
                "query": request.META.get("QUERY_STRING", ""),
                "status": status,
                "bytes": None if response.streaming else len(response.content),
                "duration_ms": duration_ms,
                "user_agent": request.META.get("HTTP_USER_AGENT", ""),
                "client": client_address(request),
            },
        )
        return response


class RefuseNulCharactersMiddleware:
    """Answer 400 to a request with a NUL character in its path, query, cookies or headers,
    before any view sees it (its form fields: RefuseNulInFormsMiddleware).

    No address, search, record or header value of this site can hold one (PostgreSQL text
    cannot store it; Django's form fields refuse it), yet a NUL that reaches a database
    lookup outside a form (a slug in the path, an admin filter, an autocomplete term, a
    session cookie) is a server error on PostgreSQL.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(_request_texts(request)):
            return _nul_refused()
        return self.get_response(request)


class RefuseNulInFormsMiddleware:
    """Answer 400 to a form whose fields or file names hold a NUL character, before any view
    sees it; and close every file the request uploaded when its answer is ready.

    It comes after AuthenticationMiddleware because it is the first to read the body: the
    upload handlers then know who sends it, and files are received from signed-in staff only
    (uploads.StaffOnlyUploadHandler). Nothing before it reads the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            if _holds_nul(_form_texts(request)):
                return _nul_refused()
            return self.get_response(request)
        finally:
            # Nothing a request wrote outlives it, whatever became of its upload.
            close_upload_files(request)


def _nul_refused():
    return HttpResponseBadRequest(
        "Bad request: the request holds a NUL character (%00), "
        "which no address, search or form field of this site may contain.",
        content_type="text/plain; charset=utf-8",
    )


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(texts):
    return any("\x00" in text for text in texts)


def _request_texts(request):
    """Every piece of text of the request line, headers and cookies, decoded."""
    yield request.path_info
    yield from (value for name, value in request.META.items() if name.startswith("HTTP_"))
    for key, values in request.GET.lists():
        yield key
        yield from values
    yield from request.COOKIES
    yield from request.COOKIES.values()


def _form_texts(request):
    """Every piece of text of the form the request sends, decoded."""
    if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
        for key, values in request.POST.lists():
            yield key
            yield from values
        for key, uploads in request.FILES.lists():
            yield key
            yield from (upload.name or "" for upload in uploads)


class LocaleMiddleware(locale.LocaleMiddleware):
    """The public pages' language is their address; the admin's is the visitor's choice.

    With ``i18n_patterns(prefix_default_language=False)`` Django gives every address without
    a language prefix the default language, the admin's included. The admin is not under the
    language patterns: there staff get their own choice (the language cookie the admin's
    switch sets, else their browser's languages), as before the public pages had addresses
    of their own in each language.
    """

    def process_request(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if _outside_language_patterns(request.path_info, urlconf):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)

    def process_response(self, request, response):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if _outside_language_patterns(request.path_info, urlconf):
            return super().process_response(request, response)
        # A public page's language is its address alone: the same for every browser, so no
        # "Vary: Accept-Language" (Django adds it to unprefixed addresses) to split caches.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def _outside_language_patterns(path_info, urlconf):
    """Whether the address belongs to a URL pattern declared outside ``i18n_patterns()``."""
    path = path_info.removeprefix("/")
    for pattern in get_resolver(urlconf).url_patterns:
        if isinstance(getattr(pattern, "pattern", None), LocalePrefixPattern):
            continue
        # A pattern's own prefix ("admin/", "healthz"): no view resolved, no query made.
        if pattern.pattern.match(path):
            return True
    return False
