from django import template

from staff import history

register = template.Library()


@register.filter
def record_label(record):
    """A history row's name for its record, also once a related record was deleted."""
    return history.version_label(record.instance)


@register.filter
def moment(value):
    """A moment in the one format of the history pages."""
    return history.moment(value) if value else ""
