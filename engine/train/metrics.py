"""What the training plots show beyond the losses: the symmetry of the weights, and an activation's
curve with its derivative. Plain numpy; the plots only arrange these numbers."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.ops.registry import REGISTRY, Registry


def identical_groups(value: np.ndarray, axis: int) -> list[list[int]]:
    """Groups (size ≥ 2) of indices along `axis` whose slices are exactly equal.

    For a weight matrix W (inputs × units), axis=1 groups hidden units with identical incoming
    weights, axis=0 units with identical outgoing weights: the symmetry that zero or constant
    initialisation never breaks.
    """
    value = np.asarray(value)
    if value.ndim == 0:
        return []
    if value.ndim == 1:
        value = value[:, None] if axis == 0 else value[None, :]
    moved = np.moveaxis(value, axis, 0)
    groups: dict[bytes, list[int]] = {}
    for i in range(moved.shape[0]):
        groups.setdefault(np.ascontiguousarray(moved[i]).tobytes(), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def symmetry(parameters: dict[str, np.ndarray]) -> dict[str, dict[str, list[list[int]]]]:
    """Per parameter: groups of identical units (columns) and identical rows."""
    result = {}
    for name, value in parameters.items():
        value = np.asarray(value)
        if value.ndim == 1:
            result[name] = {"units": identical_groups(value, 0), "rows": []}
        elif value.ndim >= 2:
            result[name] = {
                "units": identical_groups(value, value.ndim - 1),
                "rows": identical_groups(value, 0),
            }
    return result


def activation_curve(
    op_id: str, attrs: dict[str, Any] | None, x: np.ndarray, registry: Registry = REGISTRY
) -> tuple[np.ndarray, np.ndarray] | None:
    """f(x) and f'(x) over the points x, for a one-input elementwise op (None for any other op)."""
    op = registry.get(op_id)
    if op is None or len(op.inputs) != 1:
        return None
    resolved = op.resolve_attrs(attrs or {})
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    with np.errstate(all="ignore"):
        try:
            y = np.asarray(op.forward(x, **resolved), dtype=np.float64)
            if y.shape != x.shape or len(x) == 0:
                return None
            alone = np.asarray(op.forward(x[:1], **resolved), dtype=np.float64)
            if alone.shape != (1,) or not np.allclose(alone[0], y[0], equal_nan=True):
                return None  # not elementwise (softmax)
            dy = np.asarray(op.vjps[0](np.ones_like(x), (x,), y, **resolved), dtype=np.float64)
        except Exception:
            return None
    return y, dy
