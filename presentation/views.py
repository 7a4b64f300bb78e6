"""What every public page shares: names in the page's order, fast table rows, error replies."""

from django.shortcuts import render
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from .names import japanese_active, japanese_order


def by_name(prefix=""):
    """Institutions in name order in the page's language (Japanese: by reading)."""
    return japanese_order(prefix) if japanese_active() else f"{prefix}name"


def rows_html(template_name, **context):
    """A table's rows rendered by a Jinja2 fragment (see TEMPLATES in the settings)."""
    fragment = get_template(template_name, using="jinja2")
    return mark_safe(fragment.render(context))  # noqa: S308 - Jinja2 escapes what it prints


def bad_request(request, message, *, status=400):
    return render(request, "presentation/bad_request.html", {"message": message}, status=status)
