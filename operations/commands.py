"""The language the project's commands speak: the operator's, read from the environment."""

import os

from django.conf import settings
from django.utils import translation

# The variables gettext reads for the language of messages, most specific first.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def language_from_environment(environ=None):
    """The site's language closest to the operator's locale (``LANG=ja_JP.UTF-8`` gives
    ``ja``), or LANGUAGE_CODE when the locale is unset, ``C``/``POSIX`` or not one of ours.

    A command has no browser to ask; like any Unix tool, it answers in the language of the
    shell it runs in, so a Japanese terminal reads Japanese and a cron job in the ``C``
    locale writes the English its log readers grep for.
    """
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if not value:
            continue
        # LANGUAGE may list several, "ja:en"; the others hold one, "ja_JP.UTF-8".
        for candidate in value.split(":"):
            code = candidate.split(".")[0].split("@")[0].replace("_", "-").lower()
            if code in {"c", "posix", ""}:
                continue
            try:
                return translation.get_supported_language_variant(code)
            except LookupError:
                continue
        break
    return settings.LANGUAGE_CODE


class OperatorLanguageMixin:
    """For a management command: run it in ``language_from_environment()``."""

    def execute(self, *args, **options):
        with translation.override(language_from_environment()):
            return super().execute(*args, **options)

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse takes only real strings: the description in the language now active.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def run_from_argv(self, argv):
        # From the command line, its --help and its argument errors too.
        with translation.override(language_from_environment()):
            return super().run_from_argv(argv)
