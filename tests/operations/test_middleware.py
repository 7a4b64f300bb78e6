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
