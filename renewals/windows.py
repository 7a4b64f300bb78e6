"""The reminder windows: how many days before an agreement's end each reminder goes out.

Plain Python, without Django's models, so that config/settings.py can read the setting with
it at start-up and the command can check a value set in code the same way.
"""

import datetime

DEFAULT_REMINDER_DAYS = "180,90,30"
# Ten years: a window wider than any agreement's term is a typing mistake.
LONGEST_WINDOW = 3650


class BadReminderDays(ValueError):
    """RENEWAL_REMINDER_DAYS holds something that is not a list of windows."""


def reminder_days(value):
    """The windows, widest first, from "180,90,30" or a list of numbers.

    Raises BadReminderDays saying what is wrong: not a whole number, 0 or less, longer than
    ten years, given twice, or no window at all.
    """
    if isinstance(value, str):
        items = [item for item in value.split(",") if item.strip()]
    else:
        items = list(value)
    days = []
    for item in items:
        text = str(item).strip()
        if isinstance(item, bool) or not (text.isascii() and text.isdigit()):
            raise BadReminderDays(
                f"RENEWAL_REMINDER_DAYS must be whole numbers of days, comma-separated, "
                f"e.g. 180,90,30; {text!r} is not one."
            )
        number = int(text)
        if not 1 <= number <= LONGEST_WINDOW:
            raise BadReminderDays(
                f"RENEWAL_REMINDER_DAYS: {number} is not between 1 and {LONGEST_WINDOW} days."
            )
        if number in days:
            raise BadReminderDays(f"RENEWAL_REMINDER_DAYS names {number} days twice.")
        days.append(number)
    if not days:
        raise BadReminderDays(
            "RENEWAL_REMINDER_DAYS names no window; give at least one, e.g. 180,90,30."
        )
    return tuple(sorted(days, reverse=True))


def months_before(date, months):
    """The same day ``months`` months earlier, or that month's last day (31 May - 3 = 28/29 Feb)."""
    month_index = date.year * 12 + date.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(date.day, last_day))
