"""The Jinja2 environment of the fragments that print tables of thousands of rows."""

import html

from jinja2 import Environment


def escape(value):
    """Escape as Django does (&#x27; and &quot;, where MarkupSafe writes &#39; and &#34;).

    A fragment then prints byte for byte what the Django template it replaced printed.
    """
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def environment(**options):
    # Every printed value passes through finalize, which escapes it: autoescape would escape
    # it a second time.
    return Environment(**{**options, "autoescape": False, "finalize": escape})  # noqa: S701
