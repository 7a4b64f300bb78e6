"""Calendar arithmetic for an agreement's term: the one place months are added or taken away."""

import calendar
import datetime


def months_added(date, months):
    """The same day ``months`` calendar months later, or earlier when ``months`` is negative;
    the month's last day when it is shorter (31 May - 3 months is 28 or 29 February)."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    return date.replace(
        year=year, month=month, day=min(date.day, calendar.monthrange(year, month)[1])
    )


def term_end(old_start, old_end, new_start):
    """The end of a term from ``new_start`` as long as the old one: in whole months when the
    old term ran whole months (1 April 2019 to 31 March 2024 is 60 months), otherwise in days."""
    day_after = old_end + datetime.timedelta(days=1)
    months = (day_after.year - old_start.year) * 12 + day_after.month - old_start.month
    if months > 0 and months_added(old_start, months) == day_after:
        return months_added(new_start, months) - datetime.timedelta(days=1)
    return new_start + (old_end - old_start)
