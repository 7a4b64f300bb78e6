"""The public pages' cache, and the version number every write path bumps to empty it.

Cached pages are stored under the current version; bumping it makes every cached page stale
at once, on every app server sharing the cache (Redis when ``REDIS_URL`` is set). Any code
that writes records calls ``public_cache_bump()`` after the write commits: the admin does,
and so must imports and commands (bulk writes bypass model signals, so signals would not do).
"""

import functools

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control

VERSION_KEY = "public-pages:version"


def public_cache_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        # add() keeps a version another server set in the meantime.
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def public_cache_bump():
    """Make every cached public page stale; call after a write has committed."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)


def cached_public_page(view):
    """Serve an anonymous GET from the cache while no record has changed since it was made."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            request.method != "GET"
            or request.user.is_authenticated
            or not settings.PUBLIC_CACHE_SECONDS
        ):
            return view(request, *args, **kwargs)
        # The language is part of the page (<html lang>, translated text).
        language = getattr(request, "LANGUAGE_CODE", "")
        key = f"public-pages:{public_cache_version()}:{language}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, response, settings.PUBLIC_CACHE_SECONDS)
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return wrapper
