"""A setting that names days before a date, e.g. "180,90,30": read and checked in one place.

Plain Python, importing no app, so that config/settings.py can read the environment with it
at start-up (and stop with a message naming the variable) and a command can check a value
set in code the same way.
"""

# Ten years: a window wider than any agreement's term is a typing mistake.
LONGEST_WINDOW = 3650


class BadDayWindows(ValueError):
    """The setting holds something that is not a list of windows."""


def day_windows(value, *, setting):
    """The windows, widest first, from "180,90,30" or a list of numbers.

    Raises BadDayWindows saying what is wrong with ``setting``: not a whole number, 0 or
    less, longer than ten years, given twice, or no window at all.
    """
    if isinstance(value, str):
        items = [item for item in value.split(",") if item.strip()]
    else:
        items = list(value)
    days = []
    for item in items:
        text = str(item).strip()
        if isinstance(item, bool) or not (text.isascii() and text.isdigit()):
            raise BadDayWindows(
                f"{setting} must be whole numbers of days, comma-separated, "
                f"e.g. 180,90,30; {text!r} is not one."
            )
        number = int(text)
        if not 1 <= number <= LONGEST_WINDOW:
            raise BadDayWindows(f"{setting}: {number} is not between 1 and {LONGEST_WINDOW} days.")
        if number in days:
            raise BadDayWindows(f"{setting} names {number} days twice.")
        days.append(number)
    if not days:
        raise BadDayWindows(f"{setting} names no window; give at least one, e.g. 180,90,30.")
    return tuple(sorted(days, reverse=True))
