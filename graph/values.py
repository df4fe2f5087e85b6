"""Leaf values: turning JSON-like data or typed text into float64 arrays, and numbers and arrays back
into text (the one number format of the program)."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import numpy as np

# Sizes are checked before anything is allocated: a file's values when it is loaded, every node's
# value from the shapes (graph.validation) before a pass runs, an init's shape before it is drawn.
MAX_ELEMENTS = 10_000_000  # one value (80 MB): far beyond any exercise; refuses a hostile 10⁹ early
MAX_GRAPH_ELEMENTS = 50_000_000  # all the nodes' values of one graph together (400 MB, as many again
# for the gradients): 5 nodes at the limit, or 50,000 nodes of 1,000 numbers
MAX_DIMS = 8


class BadValue(ValueError):
    """The message says what is wrong, without naming the node (the caller adds that)."""


def _shape_of(data: Any, depth: int = 0) -> tuple[int, ...]:
    if depth > MAX_DIMS:
        raise BadValue(f"nested more than {MAX_DIMS} levels deep")
    if isinstance(data, (list, tuple)):
        if not data:
            return (0,)
        first = _shape_of(data[0], depth + 1)
        for i, item in enumerate(data[1:], start=1):
            if _shape_of(item, depth + 1) != first:
                raise BadValue(f"ragged array: item {i} has a different shape from item 0")
        return (len(data), *first)
    if isinstance(data, bool) or not isinstance(data, (int, float, np.floating, np.integer)):
        raise BadValue(f"{data!r} is not a number")
    return ()


def _count_leaves(data: Any, budget: int, depth: int = 0) -> int:
    # NOTE: counts before converting so a huge nested list fails fast, not after np.array allocates.
    if depth > MAX_DIMS:
        raise BadValue(f"nested more than {MAX_DIMS} levels deep")
    if isinstance(data, (list, tuple)):
        total = 0
        for item in data:
            total += _count_leaves(item, budget - total, depth + 1)
            if total > budget:
                raise BadValue(f"more than {MAX_ELEMENTS:,} elements")
        return total
    return 1


def to_array(data: Any) -> np.ndarray:
    """A finite float64 array from a number, nested lists of numbers, or an array."""
    if isinstance(data, np.ndarray):
        if data.dtype.kind not in "fiu":
            raise BadValue(f"array of {data.dtype} is not numeric")
        if data.size > MAX_ELEMENTS:
            raise BadValue(f"more than {MAX_ELEMENTS:,} elements")
        arr = data.astype(np.float64, copy=True)
    else:
        _count_leaves(data, MAX_ELEMENTS)
        _shape_of(data)
        try:
            arr = np.array(data, dtype=np.float64)
        except OverflowError:
            raise BadValue("a number is too large for float64") from None
    if not np.all(np.isfinite(arr)):
        raise BadValue("values must be finite (no NaN or Infinity)")
    return arr


def to_json(arr: np.ndarray) -> Any:
    """Nested lists of Python numbers; integral floats are written as ints for readability."""
    return _plain(arr.tolist())


def _plain(x: Any) -> Any:
    if isinstance(x, list):
        return [_plain(i) for i in x]
    # NOTE: -0.0 and huge integral floats stay floats so that reading them back is bit-exact.
    if x.is_integer() and abs(x) < 2**53 and not (x == 0 and np.signbit(x)):
        return int(x)
    return x


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?(/[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)?$")


def parse_number(text: str) -> float:
    """A number typed by a person: '0.5', '-3', '1e-3', '1/2', '−1' (a typographic minus)."""
    t = text.strip().replace("−", "-")
    if not _NUMBER.match(t):
        raise BadValue(f"{text!r} is not a number (write e.g. 0.5, -2, 1e-3 or 1/2)")
    if "/" in t:
        num, den = t.split("/")
        if float(den) == 0:
            raise BadValue(f"{text!r} divides by zero")
        return float(Fraction(num) / Fraction(den))
    return float(t)


def parse_value(text: str) -> np.ndarray:
    """A value typed as text: '3', '1/2', '1 2', '[1, 2]', '1 2; 3 4' or '[[1, 2], [3, 4]]'."""
    t = text.strip()
    if not t:
        raise BadValue("empty value")
    if t.startswith("["):
        rows = [r for r in re.split(r"\]\s*,?\s*\[", t.strip("[] \n")) if r.strip()]
        nested = t.startswith("[[")
    else:
        rows = [r for r in t.split(";") if r.strip()]
        nested = len(rows) > 1
    parsed = [[parse_number(tok) for tok in re.split(r"[\s,]+", r.strip(" []")) if tok] for r in rows]
    if nested:
        return to_array(parsed)
    flat = parsed[0]
    if len(flat) == 1 and not t.startswith("["):
        return to_array(flat[0])
    return to_array(flat)


# ----------------------------------------------------------------------------- numbers as text
# The one way the program writes numbers: the canvas, the inspector, the stepper, the worked solution
# and the command line all go through format_number; the layouts below only arrange its output.
FULL_ITEMS = 400  # the most entries a tooltip (full) shows


def format_number(x: float, digits: int = 4) -> str:
    """Compact number text with the given significant digits; integers without a trailing .0."""
    if x == 0:
        return "0"
    text = f"{x:.{digits}g}"
    if "e" in text:
        mant, exp = text.split("e")
        return f"{mant}e{int(exp)}"
    return text


def tex_number(x: float, digits: int = 4) -> str:
    """The same number in TeX: 1.5e-5 becomes 1.5 \\cdot 10^{-5}."""
    text = format_number(x, digits)
    if "e" in text:
        mant, exp = text.split("e")
        return rf"{mant} \cdot 10^{{{int(exp)}}}"
    return text


def _numbers(values: Any, digits: int) -> str:
    return ", ".join(format_number(float(v), digits) for v in values)


def format_value(arr: np.ndarray, digits: int = 4, max_items: int | None = None, _inner: bool = False) -> str:
    """A value as text: a scalar, (a, b) for vectors, [[..], [..]] for matrices; max_items truncates."""
    arr = np.asarray(arr)
    if arr.ndim == 0:
        return format_number(float(arr), digits)
    flat = arr.reshape(-1)
    if max_items is not None and flat.size > max_items:
        return f"{arr.shape}: {_numbers(flat[:max_items], digits)}, …"
    if arr.ndim == 1:
        items = _numbers(arr, digits)
        return f"[{items}]" if _inner else f"({items})"
    return "[" + ", ".join(format_value(row, digits, _inner=True) for row in arr) + "]"


def text_value(value: Any, digits: int = 4) -> str:
    """The layout of the maths (stepper, worked solution): (a, b) for vectors and rows, (a, b)ᵀ for
    columns, [[..], [..]] for matrices, a number for one element."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.size == 1:
        return format_number(float(arr.reshape(-1)[0]), digits)
    if arr.ndim == 1:
        return "(" + _numbers(arr, digits) + ")"
    if arr.ndim == 2 and arr.shape[0] == 1:
        return "(" + _numbers(arr[0], digits) + ")"
    if arr.ndim == 2 and arr.shape[1] == 1:
        return "(" + _numbers(arr[:, 0], digits) + ")ᵀ"
    if arr.ndim == 2:
        return "[" + ", ".join("[" + _numbers(row, digits) + "]" for row in arr) + "]"
    more = ", …" if arr.size > 12 else ""
    return f"array of shape {arr.shape}: " + _numbers(arr.reshape(-1)[:12], digits) + more


def compact(arr: Any, digits: int) -> str:
    """A canvas label: the number, a short vector or matrix, or the shape and first entries."""
    a = arr if isinstance(arr, np.ndarray) else np.asarray(arr)
    if a.ndim == 0:
        return format_number(float(a), digits)
    if a.size <= 4:
        return format_value(a, digits)
    shape = "×".join(str(n) for n in a.shape)
    return f"{shape}: {_numbers(a.reshape(-1)[:3], digits)}, …"


def full(arr: Any, digits: int) -> str:
    """A canvas tooltip: everything (up to FULL_ITEMS entries), with the shape for arrays."""
    if arr is None:
        return ""
    a = np.asarray(arr)
    if a.ndim > 0:
        prefix = "shape " + "×".join(str(n) for n in a.shape) + ": "
        return prefix + format_value(a, digits, max_items=FULL_ITEMS if a.size > FULL_ITEMS else None)
    return format_value(a, digits)
