"""Guard spreadsheet cells: text that Excel or LibreOffice would run as a formula is made inert."""

# OWASP's list of characters that start a formula (CSV injection); a tab or carriage return
# in front hides one from the eye.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
INERT_PREFIX = "'"


def make_formula_inert(value):
    """Prefix formula-like text with an apostrophe; numbers, dates and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and value != "-":
        return INERT_PREFIX + value
    return value


def restore_formula_text(value):
    """Undo make_formula_inert, so that an exported file imports back unchanged."""
    if (
        isinstance(value, str)
        and value.startswith(INERT_PREFIX)
        and value[1:2] != ""
        and value[1:].startswith(FORMULA_TRIGGERS)
    ):
        return value[1:]
    return value
