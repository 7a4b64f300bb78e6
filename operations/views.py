"""What the load balancer asks: can this app server reach its database, quickly?"""

import copy
import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# libpq's smallest connect timeout. A host name with an IPv4 and an IPv6 address is tried
# twice, which still answers well within the load balancer's usual 5 s.
TIMEOUT_SECONDS = 2


@never_cache
@require_safe
def healthz(request):
    try:
        database_answers(DEFAULT_DB_ALIAS, timeout=TIMEOUT_SECONDS)
    except DatabaseError as error:
        logger.error("health check failed: database unreachable: %s", error)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def database_answers(alias, *, timeout):
    """Run ``SELECT 1`` on a connection of its own, with connect and statement timeouts.

    The pages' connections keep their settings (no timeout on a long import); this one is
    opened and closed for each check, so a database that accepts connections but never
    answers costs the check ``timeout`` seconds, not a hung worker.
    """
    shared = connections[alias]
    settings_dict = copy.deepcopy(shared.settings_dict)
    options = settings_dict["OPTIONS"]
    # A pool of its own would outlive the check; one plain connection is what is asked.
    options.pop("pool", None)
    if shared.vendor == "postgresql":
        options["connect_timeout"] = timeout
        statement_timeout = f"-c statement_timeout={timeout * 1000}"
        options["options"] = f"{options.get('options', '')} {statement_timeout}".strip()
    elif shared.vendor == "sqlite":
        options["timeout"] = timeout
    checking = type(shared)(settings_dict, alias)
    try:
        with checking.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        checking.close()


def bad_request(request, exception):
    """A 400 page in the address's language (Django's own renders without the request)."""
    return render(request, "400.html", status=400)
