"""Static addresses come from the collected manifest, worked out once per file name."""

import json

import pytest

from config.storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(
        json.dumps(
            {
                "version": "1.1",
                "paths": {"site/site.css": "site/site.0123456789ab.css"},
                "hash": "feedc0ffee00",
            }
        )
    )
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_an_address_is_the_hashed_name_every_time(storage):
    assert storage.url("site/site.css") == "/static/site/site.0123456789ab.css"
    storage.hashed_files = {}  # what was worked out once is not read again
    assert storage.url("site/site.css") == "/static/site/site.0123456789ab.css"


def test_a_file_missing_from_the_manifest_is_an_error_each_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("site/missing.css")
