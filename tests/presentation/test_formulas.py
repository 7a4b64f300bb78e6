import datetime

import pytest

from presentation.formulas import make_formula_inert, restore_formula_text


@pytest.mark.parametrize(
    "text", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1", '=HYPERLINK("x")']
)
def test_formula_text_is_made_inert_and_restored(text):
    inert = make_formula_inert(text)
    assert inert == "'" + text
    assert restore_formula_text(inert) == text


@pytest.mark.parametrize(
    "value", [153, 2.5, None, datetime.date(2024, 3, 1), "Peking University", "-", "'quoted"]
)
def test_other_values_pass_unchanged(value):
    assert make_formula_inert(value) == value
    assert restore_formula_text(value) == value
