"""Who sent a request: the client's address, as far as this site's own proxies vouch for it."""

import ipaddress

from django.conf import settings


def client_address(request):
    """The address that connected to the outermost of ``settings.PROXY_COUNT`` proxies.

    Each proxy appends the address it was connected from to X-Forwarded-For, so behind N
    proxies the client is the N-th address from the right; everything further left was
    written by the client and proves nothing. A request that did not pass every proxy (fewer
    addresses than proxies) is known only by the address it connected from.

    Hand-written rather than django-ipware: ipware parses the whole header, so a token the
    client writes in front (an unclosed quote, say) makes it give up on the addresses our own
    proxies wrote.
    """
    connected_from = request.META.get("REMOTE_ADDR") or None
    proxies = settings.PROXY_COUNT
    if not proxies:
        return connected_from
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(hops) < proxies:
        return connected_from
    try:
        return str(ipaddress.ip_address(hops[-proxies].strip()))
    except ValueError:
        return connected_from
