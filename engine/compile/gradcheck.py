"""Gradient checking: the trace's gradients against float64 central differences, for any graph."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.compile.plan import Plan


@dataclass(frozen=True)
class LeafCheck:
    node: str
    analytic: np.ndarray
    numeric: np.ndarray
    max_abs_error: float
    max_rel_error: float
    ok: bool


def gradient_check(
    plan: Plan, eps: float = 1e-6, rtol: float = 1e-5, atol: float = 1e-7, max_elements: int = 64
) -> list[LeafCheck]:
    """Compare every leaf's gradient with (L(v + ε) − L(v − ε)) / 2ε, element by element.

    At most max_elements elements of each leaf are perturbed (spread evenly), so big graphs stay quick.
    """
    base = [None if v is None else np.array(v, dtype=np.float64) for v in plan.leaf_values()]
    trace = plan.run(base)
    results = []
    for slot, op in enumerate(plan.ops):
        if not op.is_leaf:
            continue
        value = base[slot]
        analytic = trace.grad_list[slot]
        numeric = np.full(value.shape, np.nan)
        picks = np.unique(np.linspace(0, value.size - 1, min(value.size, max_elements)).astype(int))
        for flat in picks:
            idx = np.unravel_index(flat, value.shape)
            numeric[idx] = _central(plan, base, slot, idx, eps)
        mask = ~np.isnan(numeric)
        diff = np.abs(analytic[mask] - numeric[mask])
        scale = np.maximum(np.abs(analytic[mask]), np.abs(numeric[mask]))
        max_abs = float(diff.max()) if diff.size else 0.0
        rel = diff / np.maximum(scale, 1e-300)
        max_rel = float(np.where(scale > atol, rel, 0.0).max()) if diff.size else 0.0
        ok = bool(np.all(diff <= atol + rtol * scale))
        results.append(LeafCheck(plan.ids[slot], analytic, numeric, max_abs, max_rel, ok))
    return results


def _central(plan: Plan, base: list, slot: int, idx: tuple, eps: float) -> float:
    values = list(base)
    shifted = base[slot].copy()
    original = shifted[idx]
    shifted[idx] = original + eps
    values[slot] = shifted
    up = _output(plan, values)
    shifted = base[slot].copy()
    shifted[idx] = original - eps
    values[slot] = shifted
    down = _output(plan, values)
    return (up - down) / (2 * eps)


def _output(plan: Plan, values: list) -> float:
    vals = list(values)
    for s in plan.forward_slots:
        plan.forward_node(s, vals)
    return float(np.asarray(vals[plan.out_slot]).reshape(-1)[0])
