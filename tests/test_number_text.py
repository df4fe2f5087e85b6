"""The one number format (graph.values) and the layouts built on it, against texts written by hand."""

from __future__ import annotations

import numpy as np

from graph.values import compact, format_number, format_value, full, tex_number, text_value


def test_format_number_significant_digits_without_trailing_zero():
    assert format_number(2.0) == "2"
    assert format_number(0.5) == "0.5"
    assert format_number(1 / 3) == "0.3333"
    assert format_number(1 / 3, 2) == "0.33"
    assert format_number(-2.5) == "-2.5"
    assert format_number(12345.0, 6) == "12345"


def test_format_number_exponents_are_short_and_zero_has_no_sign():
    # 123456 to 4 digits is 1.235·10⁵; the exponent is written without a plus or a leading zero.
    assert format_number(123456.0) == "1.235e5"
    assert format_number(1.5e-5) == "1.5e-5"
    assert format_number(0.0) == "0"
    assert format_number(-0.0) == "0"


def test_tex_number_writes_the_exponent_as_a_power_of_ten():
    assert tex_number(1.5e-5) == r"1.5 \cdot 10^{-5}"
    assert tex_number(0.25) == "0.25"


def test_format_value_layouts():
    assert format_value(np.array(3.0)) == "3"
    assert format_value(np.array([1.0, 0.5])) == "(1, 0.5)"
    assert format_value(np.array([[1.0, 2.0], [3.0, 4.0]])) == "[[1, 2], [3, 4]]"
    assert format_value(np.arange(10.0), max_items=3) == "(10,): 0, 1, 2, …"


def test_text_value_is_the_layout_of_the_maths():
    assert text_value([[7.0]]) == "7"  # one element is a number, whatever its shape
    assert text_value([[1.0, 2.0]]) == "(1, 2)"  # a row
    assert text_value([[1.0], [2.0]]) == "(1, 2)ᵀ"  # a column
    assert text_value([[1.0, 2.0], [3.0, 4.0]]) == "[[1, 2], [3, 4]]"
    assert text_value(np.zeros((2, 2, 2))) == "array of shape (2, 2, 2): 0, 0, 0, 0, 0, 0, 0, 0"


def test_canvas_label_and_tooltip():
    assert compact(np.array(0.125), 2) == "0.12"
    assert compact(np.array([1.0, 2.0]), 4) == "(1, 2)"
    assert compact(np.arange(6.0).reshape(2, 3), 4) == "2×3: 0, 1, 2, …"
    assert full(None, 4) == ""
    assert full(np.array(3.0), 4) == "3"
    assert full(np.array([1.0, 2.0]), 4) == "shape 2: (1, 2)"
