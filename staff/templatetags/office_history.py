from django import template
from django.utils.translation import gettext

from staff import history

register = template.Library()


@register.filter
def record_label(record):
    """A history row's name for its record, also once a related record was deleted."""
    return history.version_label(record.instance)


@register.filter
def reason(text):
    """A version's reason in the reader's language when it is one of the project's fixed
    reasons (stored as written, e.g. the seed's "Loaded from the fact sheet")."""
    return gettext(text) if text else ""


@register.filter
def moment(value):
    """A moment in the one format of the history pages."""
    return history.moment(value) if value else ""
