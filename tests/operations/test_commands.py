"""The project's commands answer in the operator's language: Japanese in a Japanese shell
(LANG=ja_JP.UTF-8), English in the C locale or with no locale set."""

import pytest

from operations.commands import language_from_environment
from tests.commands import PRODUCTION, manage
from tests.importing import DATA


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "ja_JP.eucJP@euro"}, "ja"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),  # not one of the site's languages
        ({"LANG": "en_US.UTF-8", "LC_ALL": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "ja_JP.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8", "LANGUAGE": "fr:ja:en"}, "ja"),
    ],
)
def test_the_language_is_the_shells(environment, language):
    assert language_from_environment(environment) == language


def _run(*args, lang, database):
    return manage(*args, DATABASE_URL=database, LANG=lang, **PRODUCTION)


def test_publishing_speaks_japanese_in_a_japanese_shell(command_database):
    japanese = _run("publish_statistics", "2022", lang="ja_JP.UTF-8", database=command_database)
    english = _run("publish_statistics", "2022", lang="C.UTF-8", database=command_database)
    assert japanese.returncode == english.returncode == 0, japanese.stderr + english.stderr
    already = "はすでに公開中です。何も変更していません。"
    assert japanese.stdout.splitlines() == [
        f"2022年度 海外からの受入研究者（研究者 1,285 人）{already}",
        f"2022年度 海外への派遣研究者（研究者 3,032 人）{already}",
    ]
    assert english.stdout.splitlines()[0] == (
        "2022 researchers from abroad (1,285 researchers) is already published; nothing changed."
    )


def test_an_error_and_the_help_speak_japanese_in_a_japanese_shell(command_database):
    refused = _run("publish_statistics", "1066", lang="ja_JP.UTF-8", database=command_database)
    assert refused.returncode == 1
    assert "「1066」は年度ではありません。1950～2100 の年を指定してください（例: 2022）。" in (
        refused.stderr
    )
    helped = _run("publish_statistics", "--help", lang="ja_JP.UTF-8", database=command_database)
    assert "1年度分の研究者数を公開ページとダウンロードに公開します" in helped.stdout
    assert "その年度を公開ページから外します（下書きに戻ります）。" in helped.stdout


def test_an_import_reports_its_problems_and_summary_in_japanese(command_database):
    refused = _run(
        "import_statistics",
        str(DATA / "broken-subtotal.csv"),
        "--year=2022",
        "--direction=inbound",
        "--dry-run",
        lang="ja_JP.UTF-8",
        database=command_database,
    )
    assert refused.returncode == 1
    assert "地域「" in refused.stderr and "下の行の合計は" in refused.stderr, refused.stderr
    assert "を受け付けませんでした（問題 1 件）。何も変更していません。" in refused.stderr
    previewed = _run(
        "import_statistics",
        str(DATA / "researchers-inbound-2022.csv"),
        "--year=2022",
        "--direction=inbound",
        "--dry-run",
        lang="ja_JP.UTF-8",
        database=command_database,
    )
    assert previewed.returncode == 0, previewed.stderr
    assert "試行のみ、書き込みなし: 変更なし:" in previewed.stdout
