from django import template

from staff.history import version_label

register = template.Library()


@register.filter
def record_label(record):
    """A history row's name for its record, also once a related record was deleted."""
    return version_label(record.instance)
