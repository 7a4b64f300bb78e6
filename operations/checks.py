"""System checks for settings that let the site start but serve it wrongly.

``manage.py check --deploy`` reports each of them. The two that would make pages wrong, a
page cache each process keeps alone and translation catalogs not compiled, are Errors with
debug off: every manage.py command, ``runserver`` and gunicorn (config/gunicorn.conf.py) then
refuse to start with the message, instead of serving unpublished figures for minutes or
Japanese pages half in English. With debug on, the site runs in one process (runserver) and
its own commands compile the catalogs (bin/manage, bin/start).

The messages are English, as Django's own checks and the settings' start-up errors are: a
catalog that is not compiled could not translate them anyway.
"""

from pathlib import Path

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning
from django.utils.connection import ConnectionProxy

from .catalogs import stale_catalogs

COMPILE_HINT = (
    "Compile them: python -m operations.catalogs (bin/start, bin/manage and bin/test do it "
    "themselves)."
)
SHARED_CACHE_HINT = (
    "Set REDIS_URL to a Redis that every app server shares, "
    "e.g. redis://cache.example.ac.jp:6379/0."
)


def _backend(cache):
    """The cache backend behind ``cache`` (``django.core.cache.cache`` is a proxy to one)."""
    if isinstance(cache, ConnectionProxy):
        return caches[cache._alias]
    return cache


def _path(obj):
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


@register(Tags.translation)
def check_catalogs_compiled(app_configs=None, **kwargs):
    """Each catalog under LOCALE_PATHS has a .mo at least as new as its .po: Django reads only
    the .mo, so a missing one leaves the site's own text in English beside Django's Japanese,
    and an older one leaves what changed since in English."""
    if settings.DEBUG:
        level, code = CheckWarning, "operations.W001"
    else:
        level, code = Error, "operations.E001"
    problems = []
    for folder in settings.LOCALE_PATHS:
        for po in stale_catalogs(Path(folder)):
            mo = po.with_suffix(".mo")
            if mo.exists():
                what = f"{po} is newer than {mo.name}: what changed in it since"
            else:
                what = f"{po} is not compiled (no {mo.name}): the site's own text"
            problems.append(
                level(
                    f"The translation catalog {what} would be served in English on its "
                    "language's pages.",
                    hint=COMPILE_HINT,
                    id=code,
                )
            )
    return problems


@register(Tags.caches)
def check_page_cache_shared(app_configs=None, **kwargs):
    """Public pages cached in each process's own memory go stale on every process but the
    one that wrote: operations/cache.py bumps the version in the cache it can reach."""
    seconds = settings.PUBLIC_CACHE_SECONDS
    backend = caches[DEFAULT_CACHE_ALIAS]
    if settings.DEBUG or not seconds or not isinstance(backend, LocMemCache):
        return []
    return [
        Error(
            f"Public pages are cached for {seconds} s (DJANGO_PUBLIC_CACHE_SECONDS) in each "
            f"process's own memory ({_path(backend)}): a change, an unpublished year of "
            "statistics too, empties only the cache of the process that made it, and every "
            "other process keeps serving its old pages until they expire.",
            hint=f"{SHARED_CACHE_HINT} Or DJANGO_PUBLIC_CACHE_SECONDS=0 to cache no page.",
            id="operations.E002",
        )
    ]


@register(Tags.caches, Tags.security, deploy=True)
def check_throttle_shared(app_configs=None, **kwargs):
    """The API's throttle counts each address's requests in a cache; only a shared one counts
    them across processes."""
    from rest_framework.settings import api_settings

    problems = []
    for throttle in api_settings.DEFAULT_THROTTLE_CLASSES:
        cache = getattr(throttle, "cache", None)
        if cache is None:
            continue
        backend = _backend(cache)
        name = f"{throttle.__module__}.{throttle.__qualname__}"
        if isinstance(backend, LocMemCache):
            problems.append(
                CheckWarning(
                    f"The API's throttle ({name}) counts each address's requests in each "
                    f"process's own memory ({_path(backend)}): an address is refused only "
                    "once it has used its allowance in every process, several times the "
                    "rate DJANGO_API_ANON_RATE sets.",
                    hint=SHARED_CACHE_HINT,
                    id="operations.W002",
                )
            )
        elif isinstance(backend, DummyCache):
            problems.append(
                CheckWarning(
                    f"The API's throttle ({name}) counts in a cache that keeps nothing "
                    f"({_path(backend)}): no address is ever refused.",
                    hint=SHARED_CACHE_HINT,
                    id="operations.W003",
                )
            )
    return problems
