"""Gradient checking: the trace's gradients against float64 central differences, for any graph.

Where a leaf's perturbation moves some node's input across one of its op's kinks (ReLU at 0), the
derivative does not exist there: the central difference averages the two one-sided slopes while the
program, like PyTorch, uses one branch's. When the one-sided differences disagree, such a node is
found and the program's value lies between the two one-sided ones, the element is reported as a note
on the kink instead of a mismatch; a real mismatch still fails.

A leaf that feeds a cross_entropy target given as class indices is not perturbed at all: an index is
an integer (a class), not a differentiable number, and cross_entropy refuses 2 ± ε. Its check says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.compile.plan import Plan
from graph.values import format_number


@dataclass(frozen=True)
class LeafCheck:
    """One leaf's analytic and numeric gradients. The errors cover the elements not at a kink; notes
    explain the elements at a kink (ok stays True for them)."""

    node: str
    analytic: np.ndarray
    numeric: np.ndarray
    max_abs_error: float
    max_rel_error: float
    ok: bool
    notes: tuple[str, ...] = ()
    skipped: str | None = None  # why the leaf was not perturbed (then nothing was compared)


@dataclass(frozen=True)
class _Tolerance:
    eps: float
    rtol: float
    atol: float

    def agree(self, a: float, b: float) -> bool:
        return abs(a - b) <= self.atol + self.rtol * max(abs(a), abs(b))

    @staticmethod
    def one_sided_margin(left: float, right: float) -> float:
        # NOTE: a one-sided difference is only first-order accurate (error ~ ε·f''), hence the wide margin.
        return 1e-4 * max(1.0, abs(left), abs(right))


def gradient_check(
    plan: Plan, eps: float = 1e-6, rtol: float = 1e-5, atol: float = 1e-7, max_elements: int = 64
) -> list[LeafCheck]:
    """Compare every leaf's gradient with (L(v + ε) − L(v − ε)) / 2ε, element by element.

    At most max_elements elements of each leaf are perturbed (spread evenly), so big graphs stay quick.
    """
    base = [None if v is None else np.array(v, dtype=np.float64) for v in plan.leaf_values()]
    trace = plan.run(base)
    base_run = _forward(plan, base)
    tol = _Tolerance(eps, rtol, atol)
    skip = _class_index_leaves(plan)
    return [
        _skipped(plan, slot, trace.grad_list[slot], skip[slot])
        if slot in skip
        else _check_leaf(plan, base, base_run, slot, trace.grad_list[slot], tol, max_elements)
        for slot, op in enumerate(plan.ops)
        if op.is_leaf
    ]


def _class_index_leaves(plan: Plan) -> dict[int, str]:
    """The leaves that are a cross_entropy target given as class indices (a target with one axis less
    than the prediction), with the reason they are not perturbed."""
    found: dict[int, str] = {}
    for s in plan.forward_slots:
        if plan.ops[s].id != "cross_entropy":
            continue
        pred, target = plan.inputs[s]
        if plan.shapes[plan.ids[target]] == plan.shapes[plan.ids[pred]]:
            continue  # one-hot or probabilities: differentiable
        if plan.ops[target].is_leaf:
            found[target] = "class indices, not differentiable"
    return found


def _skipped(plan: Plan, slot: int, analytic: np.ndarray, reason: str) -> LeafCheck:
    numeric = np.full(np.shape(analytic), np.nan)
    return LeafCheck(plan.ids[slot], analytic, numeric, 0.0, 0.0, True, skipped=reason)


def _check_leaf(
    plan: Plan, base: list, base_run: list, slot: int, analytic: np.ndarray, tol: _Tolerance, most: int
) -> LeafCheck:
    value = base[slot]
    numeric = np.full(value.shape, np.nan)
    checked = np.zeros(value.shape, dtype=bool)
    notes: dict[str, None] = {}
    picks = np.unique(np.linspace(0, value.size - 1, min(value.size, most)).astype(int))
    for flat in picks:
        idx = np.unravel_index(flat, value.shape)
        up, down = _perturbed(plan, base, slot, idx, tol.eps)
        numeric[idx] = (_loss(plan, up) - _loss(plan, down)) / (2 * tol.eps)
        checked[idx] = True
        if not tol.agree(float(analytic[idx]), float(numeric[idx])):
            explained, note = _at_kink(plan, base_run, up, down, slot, idx, float(analytic[idx]), tol)
            checked[idx] = not explained
            if note is not None:
                notes[note] = None
    diff = np.abs(analytic[checked] - numeric[checked])
    scale = np.maximum(np.abs(analytic[checked]), np.abs(numeric[checked]))
    max_abs = float(diff.max()) if diff.size else 0.0
    rel = diff / np.maximum(scale, 1e-300)
    max_rel = float(np.where(scale > tol.atol, rel, 0.0).max()) if diff.size else 0.0
    ok = bool(np.all(diff <= tol.atol + tol.rtol * scale))
    return LeafCheck(plan.ids[slot], analytic, numeric, max_abs, max_rel, ok, tuple(notes))


def _at_kink(
    plan: Plan, base_run: list, up: list, down: list, slot: int, idx: tuple, analytic: float, tol: _Tolerance
) -> tuple[bool, str | None]:
    """Whether a kink explains the disagreement, and the note to say so (None when there is nothing to
    say). Not explained: no kink was crossed, or the program's value is not between the one-sided ones."""
    kink = _kink_crossed(plan, base_run, up, down)
    if kink is None:
        return False, None
    out = _loss(plan, base_run)
    right = (_loss(plan, up) - out) / tol.eps
    left = (out - _loss(plan, down)) / tol.eps
    margin = tol.one_sided_margin(left, right)
    if abs(left - right) <= margin:
        # NOTE: no jump in the slope (relu(x)² at 0), but the kink costs the central difference its
        # second-order accuracy: agreement within the one-sided margin is all one can ask.
        return abs(analytic - (left + right) / 2) <= margin, None
    if not min(left, right) - margin <= analytic <= max(left, right) + margin:
        return False, None
    node, point = kink
    source = plan.ids[plan.inputs[plan.slot[node]][0]]
    leaf = plan.ids[slot] + ("" if not idx else "[" + ", ".join(str(int(i)) for i in idx) + "]")
    note = (
        f"{leaf}: {_title(plan, source)} = {_number(point)} is {plan.ops[plan.slot[node]].name}'s kink"
        f" (at {_title(plan, node)}): one-sided derivatives {_number(left)} (left) and {_number(right)}"
        f" (right); this program uses {_number(analytic)}, as PyTorch does"
    )
    return True, note


def _kink_crossed(plan: Plan, base_run: list, up: list, down: list) -> tuple[str, float] | None:
    """The first node (in plan order) whose input sits on one of its op's kinks and moved."""
    for s in plan.forward_slots:
        kinks = plan.ops[s].kinks
        if not kinks:
            continue
        source = plan.inputs[s][0]
        x = np.asarray(base_run[source])
        moved = (np.asarray(up[source]) != x) | (np.asarray(down[source]) != x)
        at_kink = np.isin(x, kinks) & moved
        if at_kink.any():
            return plan.ids[s], float(x[at_kink][0])
    return None


def _title(plan: Plan, node: str) -> str:
    return (plan.doc.node(node).label or node) if node in plan.doc else node


def _number(x: float) -> str:
    # NOTE: one-sided differences carry ~1e-10 of rounding noise; a slope of 0 should read 0.
    return format_number(0.0 if abs(x) < 1e-8 else x, 4)


def _perturbed(plan: Plan, base: list, slot: int, idx: tuple, eps: float) -> tuple[list, list]:
    """Every node's value with one leaf element moved up by ε, and moved down by ε."""
    runs = []
    for step in (eps, -eps):
        values = list(base)
        shifted = base[slot].copy()
        shifted[idx] += step
        values[slot] = shifted
        runs.append(_forward(plan, values))
    return runs[0], runs[1]


def _forward(plan: Plan, values: list) -> list:
    vals = list(values)
    for s in plan.forward_slots:
        plan.forward_node(s, vals)
    return vals


def _loss(plan: Plan, vals: list) -> float:
    return float(np.asarray(vals[plan.out_slot]).reshape(-1)[0])
