"""ETag and Last-Modified on every API answer, and 304 when the client's copy is current."""

from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

from .versioning import data_version


class _NotModified(Exception):
    def __init__(self, response):
        super().__init__()
        self.response = response


class ConditionalMixin:
    """Answers GET and HEAD with validators from the data's version (api/versioning.py).

    Checked after DRF's own checks (throttling counts a 304 like any request) and before
    any query of the view: a matching If-None-Match or If-Modified-Since costs one query.
    The language is part of the ETag: one address answers in English and in Japanese.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.validators = None
        if request.method not in ("GET", "HEAD"):
            return
        latest, version = data_version()
        etag = quote_etag(f"{version}-{get_language() or ''}")
        last_modified = int(latest.timestamp()) if latest else None
        self.validators = (etag, last_modified)
        response = get_conditional_response(
            request._request, etag=etag, last_modified=last_modified
        )
        if response is not None:
            raise _NotModified(response)

    def handle_exception(self, exc):
        if isinstance(exc, _NotModified):
            self._set_validators(exc.response)
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            self._set_validators(response)
        return response

    def _set_validators(self, response):
        validators = getattr(self, "validators", None)
        if validators is None:
            return
        etag, last_modified = validators
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        # Clients and caches may keep a copy, and ask again with its validators each time.
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        patch_vary_headers(response, ("Accept-Language",))
