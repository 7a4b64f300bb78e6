"""The client's address: behind N proxies, the N-th address from the right of
X-Forwarded-For, whatever the client wrote in front of it."""

import pytest
from django.test import RequestFactory

from operations.clients import client_address

PROXY = "10.0.0.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        # No proxies configured: the header is anybody's to write, and ignored.
        (0, "9.9.9.9", PROXY),
        (0, None, PROXY),
        # One proxy: the address it appended, the last one.
        (1, "9.9.9.9", "9.9.9.9"),
        (1, "6.6.6.1, 9.9.9.9", "9.9.9.9"),
        (1, "6.6.6.1,9.9.9.9", "9.9.9.9"),
        (1, 'junk, "unclosed, for=6.6.6.6, 9.9.9.9', "9.9.9.9"),
        (1, "2001:db8::1, 2001:DB8::0:9", "2001:db8::9"),
        # Two proxies: the outer one appended the client, the inner one the outer proxy.
        (2, "9.9.9.9, 10.0.0.2", "9.9.9.9"),
        (2, "6.6.6.1, 6.6.6.2, 9.9.9.9, 10.0.0.2", "9.9.9.9"),
        # Fewer addresses than proxies: the request did not pass every proxy.
        (2, "9.9.9.9", PROXY),
        (1, None, PROXY),
        (1, "", PROXY),
        # Not an address where the proxy's should be: only the connection is known.
        (1, "6.6.6.1, not-an-address", PROXY),
        (1, "6.6.6.1, 9.9.9.9\x00", PROXY),
    ],
)
def test_the_client_is_the_address_the_outermost_proxy_wrote(settings, proxies, forwarded, client):
    settings.PROXY_COUNT = proxies
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, **headers)
    assert client_address(request) == client
