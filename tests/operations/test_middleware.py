"""Every request passes the operations middleware: one line in the log for each."""

import json
import logging

import pytest

from operations.log_format import JsonLinesFormatter


@pytest.mark.django_db
def test_every_request_is_logged_once_with_what_an_operator_needs(client, caplog):
    with caplog.at_level(logging.INFO, logger="operations.requests"):
        client.get("/no-such-page/?q=1", HTTP_USER_AGENT="Probe/2.0", REMOTE_ADDR="192.0.2.7")

    (record,) = [record for record in caplog.records if record.name == "operations.requests"]
    line = json.loads(JsonLinesFormatter().format(record))
    assert line["message"] == "GET /no-such-page/ 404"
    assert (line["method"], line["path"], line["query"], line["status"]) == (
        "GET",
        "/no-such-page/",
        "q=1",
        404,
    )
    assert (line["user_agent"], line["client"]) == ("Probe/2.0", "192.0.2.7")
    assert line["duration_ms"] >= 0
    assert line["bytes"] > 0


NUL_REQUESTS = [
    ("get", "/agreements/%00/", {}),
    ("get", "/agreements/12%00/", {}),
    ("get", "/agreements/", {"data": {"q": "a\x00b"}}),
    ("get", "/agreements/", {"data": {"\x00": "1"}}),
    ("get", "/admin/agreements/agreement/", {"data": {"kind": "\x00"}}),
    ("get", "/admin/autocomplete/", {"data": {"term": "\x00", "app_label": "agreements"}}),
    ("post", "/admin/login/", {"data": {"username": "aiko\x00", "password": "x"}}),
    ("get", "/", {"headers": {"user-agent": "probe\x00"}}),
    ("get", "/", {"headers": {"cookie": 'sessionid="\\000\\000\\000\\000\\000\\000\\000\\000"'}}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "extra"), NUL_REQUESTS)
def test_a_nul_character_anywhere_is_a_clear_400_before_any_view(
    admin_client, django_assert_num_queries, method, path, extra
):
    # Even a signed-in superuser: the admin's filters and lookups never see it.
    with django_assert_num_queries(0):
        response = getattr(admin_client, method)(path, **extra)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.django_db
def test_text_without_nul_passes_through(client):
    response = client.get(
        "/agreements/", {"q": "Zürich \t 大学 ' \" <"}, headers={"user-agent": "x"}
    )
    assert response.status_code == 200
