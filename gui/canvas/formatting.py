"""Number texts for the canvas: compact for labels, full for tooltips and the inspector (graph.values
does the formatting; this only chooses how much to show)."""

from __future__ import annotations

from typing import Any

import numpy as np

from graph.values import format_number, format_value

FULL_ITEMS = 400


def compact(arr: Any, digits: int) -> str:
    """Short text for a label: the number, a short vector or matrix, or the shape and first entries."""
    a = arr if isinstance(arr, np.ndarray) else np.asarray(arr)
    if a.ndim == 0:
        return format_number(float(a), digits)
    if a.size <= 4:
        return format_value(a, digits)
    head = ", ".join(format_number(float(v), digits) for v in a.reshape(-1)[:3])
    shape = "×".join(str(n) for n in a.shape)
    return f"{shape}: {head}, …"


def full(arr: Any, digits: int) -> str:
    """Everything (up to FULL_ITEMS entries), with the shape for arrays."""
    if arr is None:
        return ""
    a = np.asarray(arr)
    if a.ndim > 0:
        prefix = "shape " + "×".join(str(n) for n in a.shape) + ": "
        return prefix + format_value(a, digits, max_items=FULL_ITEMS if a.size > FULL_ITEMS else None)
    return format_value(a, digits)
