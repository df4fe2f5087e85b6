"""Exact rational forward and backward passes, for choosing exercise numbers a person can compute.

A worked exercise is pleasant when every value, gradient and updated weight is a short decimal
(0.25, −1.5, 4.2). Floating point cannot tell 0.1 + 0.2 from 0.3, so the candidate numbers are pushed
through the graph with :class:`fractions.Fraction` (numpy object arrays) instead. This is a second,
independent implementation of the rational ops (add, sub, mul, div, neg, square, abs, relu,
leaky_relu, matmul, transpose, sum, mean, mse): a graph with any other op (sigmoid, exp, log …) has
no exact pass, and its exercises are given to a stated number of decimals instead. ReLU'(0) = 0 and
|x|'(0) = 0, as the float ops have them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from engine.compile.plan import Plan

Exact = np.ndarray  # an object array of Fractions (0-d for a scalar)


class NotExact(Exception):
    """The graph has an op without an exact rule, or a value leaves the rationals (division by 0)."""


def fraction(x: Any) -> Fraction:
    """A float as the decimal it is written as (0.1 → 1/10, not the binary double)."""
    return x if isinstance(x, Fraction) else Fraction(repr(float(x)))


def exact_array(value: Any) -> Exact:
    arr = np.asarray(value, dtype=np.float64)
    out = np.empty(arr.shape, dtype=object)
    for idx, v in np.ndenumerate(arr):
        out[idx] = fraction(v)
    return out


def _obj(x: Any) -> Exact:
    """Any result of object-array arithmetic as an object array of Fractions (numpy hands back bare
    scalars, and a sum over nothing is the int 0)."""
    arr = np.asarray(x, dtype=object)
    if arr.ndim == 0 and not isinstance(arr.item(), Fraction):
        arr = np.asarray(Fraction(arr.item()), dtype=object)
    return arr


def _unbroadcast(g: Exact, shape: tuple[int, ...]) -> Exact:
    """Sum g over the axes that broadcasting added or stretched, back to `shape`."""
    g = _obj(g)
    while g.ndim > len(shape):
        g = _obj(g.sum(axis=0))
    for axis, n in enumerate(shape):
        if n == 1 and g.shape[axis] != 1:
            g = _obj(g.sum(axis=axis, keepdims=True))
    return g


def _sign(x: Exact) -> Exact:
    return _obj(np.vectorize(lambda v: Fraction((v > 0) - (v < 0)), otypes=[object])(x))


def _step(x: Exact, below: Fraction) -> Exact:
    """1 where x > 0, else `below` (ReLU's and leaky ReLU's local derivative)."""
    return _obj(np.vectorize(lambda v: Fraction(1) if v > 0 else below, otypes=[object])(x))


def _matmul_vjps(g: Exact, a: Exact, b: Exact) -> tuple[Exact, Exact]:
    if a.ndim > 2 or b.ndim > 2:
        raise NotExact("matmul of stacked matrices")
    if a.ndim == 1 and b.ndim == 1:
        return _obj(g * b), _obj(g * a)
    if a.ndim == 1:
        return _obj(b @ g), _obj(np.outer(a, g))
    if b.ndim == 1:
        return _obj(np.outer(g, b)), _obj(a.T @ g)
    return _obj(g @ b.T), _obj(a.T @ g)


def _reduce(x: Exact, op: str, axis: Any, keepdims: bool) -> Exact:
    total = _obj(x.sum(axis=axis, keepdims=keepdims))
    if op == "sum":
        return total
    count = x.size if axis is None else x.shape[axis]
    return _obj(total / Fraction(count))


def _reduce_vjp(g: Exact, x: Exact, op: str, axis: Any, keepdims: bool) -> Exact:
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
    count = x.size if axis is None else x.shape[axis]
    scale = Fraction(1) if op == "sum" else Fraction(1, count)
    return _obj(np.broadcast_to(g, x.shape) * scale)


def _mse(p: Exact, t: Exact, reduction: str, scale: float) -> Exact:
    d = p - t
    return _obj(fraction(scale) * _reduce(_obj(d * d), reduction, None, False))


def _mse_vjp(g: Exact, p: Exact, t: Exact, reduction: str, scale: float) -> tuple[Exact, Exact]:
    d = _obj(p - t)
    n = Fraction(d.size) if reduction == "mean" else Fraction(1)
    local = _obj(d * (2 * fraction(scale) / n) * g)
    return _unbroadcast(local, p.shape), _unbroadcast(-local, t.shape)


# forward(*xs, **attrs) and vjps(g, xs, y, **attrs) -> one gradient per input port
Rule = tuple[Callable[..., Any], Callable[..., tuple[Exact, ...]]]

RULES: dict[str, Rule] = {
    "add": (lambda a, b: a + b,
            lambda g, xs, y: (_unbroadcast(g, xs[0].shape), _unbroadcast(g, xs[1].shape))),
    "sub": (lambda a, b: a - b,
            lambda g, xs, y: (_unbroadcast(g, xs[0].shape), _unbroadcast(-g, xs[1].shape))),
    "mul": (lambda a, b: a * b,
            lambda g, xs, y: (_unbroadcast(g * xs[1], xs[0].shape), _unbroadcast(g * xs[0], xs[1].shape))),
    "div": (lambda a, b: a / b,
            lambda g, xs, y: (_unbroadcast(g / xs[1], xs[0].shape),
                              _unbroadcast(-g * xs[0] / (xs[1] * xs[1]), xs[1].shape))),
    "neg": (lambda x: -x, lambda g, xs, y: (-g,)),
    "square": (lambda x: x * x, lambda g, xs, y: (2 * xs[0] * g,)),
    "abs": (lambda x: _sign(x) * x, lambda g, xs, y: (_sign(xs[0]) * g,)),
    "relu": (lambda x: _step(x, Fraction(0)) * x, lambda g, xs, y: (_step(xs[0], Fraction(0)) * g,)),
    "leaky_relu": (lambda x, alpha: _step(x, fraction(alpha)) * x,
                   lambda g, xs, y, alpha: (_step(xs[0], fraction(alpha)) * g,)),
    "matmul": (lambda a, b: _obj(np.matmul(a, b)) if a.ndim + b.ndim > 2 else _obj((a * b).sum()),
               lambda g, xs, y: _matmul_vjps(g, *xs)),
    "transpose": (lambda x: x.T, lambda g, xs, y: (_obj(g).T,)),
    "sum": (lambda x, axis, keepdims: _reduce(x, "sum", axis, keepdims),
            lambda g, xs, y, axis, keepdims: (_reduce_vjp(g, xs[0], "sum", axis, keepdims),)),
    "mean": (lambda x, axis, keepdims: _reduce(x, "mean", axis, keepdims),
             lambda g, xs, y, axis, keepdims: (_reduce_vjp(g, xs[0], "mean", axis, keepdims),)),
    "mse": (lambda p, t, reduction, scale: _mse(p, t, reduction, scale),
            lambda g, xs, y, reduction, scale: _mse_vjp(g, *xs, reduction, scale)),
}


def why_not_exact(plan: Plan) -> str | None:
    """None when every op of the graph has an exact rule, else the first node that has none."""
    for node, op in zip(plan.ids, plan.ops):
        if not op.is_leaf and op.id not in RULES:
            return f"node {node!r} ({op.id}) has no exact rational form"
    return None


@dataclass
class ExactPass:
    """One forward and backward pass in exact arithmetic, and the SGD update after it."""

    values: list[Exact]  # by slot
    grads: list[Exact | None]  # by slot: ∂output/∂node, None where the output does not depend on it
    edge_grads: list[Exact]  # by edge index
    updates: dict[str, Exact] = field(default_factory=dict)  # parameter id → its value after the step


def exact_pass(plan: Plan, leaves: list[Exact | None], lr: Fraction) -> ExactPass:
    """Forward, backward and w ← w − η·∂L/∂w over the plan; raises NotExact."""
    values: list[Any] = list(leaves)
    try:
        for slot in plan.forward_slots:
            forward, _ = RULES[plan.ops[slot].id]
            values[slot] = _obj(forward(*(values[s] for s in plan.inputs[slot]), **plan.attrs[slot]))
        grads, edge_grads = _backward(plan, values)
    except (ZeroDivisionError, ValueError) as err:  # a division by zero; shapes exact rules cannot take
        raise NotExact(f"{type(err).__name__}: {err}") from None
    result = ExactPass(values, grads, edge_grads)
    for slot in plan.slots_of("parameter"):
        g = grads[slot]
        old = values[slot]
        result.updates[plan.ids[slot]] = old if g is None else _obj(old - lr * g)
    return result


def _backward(plan: Plan, values: list[Exact]) -> tuple[list[Exact | None], list[Exact]]:
    grads: list[Any] = [None] * len(plan.ids)
    edge_grads: list[Any] = [None] * len(plan.edges)
    grads[plan.out_slot] = np.ones(values[plan.out_slot].shape, dtype=object) * Fraction(1)
    for slot, ports in plan.backward:
        _, vjps = RULES[plan.ops[slot].id]
        xs = tuple(values[s] for s in plan.inputs[slot])
        parts = vjps(_obj(grads[slot]), xs, values[slot], **plan.attrs[slot])
        for bp in ports:
            c = _obj(parts[bp.port_index])
            edge_grads[bp.edge] = c
            grads[bp.source] = c if grads[bp.source] is None else _obj(grads[bp.source] + c)
    return grads, edge_grads


def decimals(x: Fraction) -> int | None:
    """How many decimal places x needs (0.125 → 3), or None when its decimal expansion never ends."""
    den = x.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    return max(twos, fives) if den == 1 else None


def is_short(arr: Exact, max_decimals: int, max_abs: Fraction) -> bool:
    """Whether every entry is a terminating decimal of at most max_decimals places and |x| ≤ max_abs."""
    for v in np.asarray(arr, dtype=object).ravel():
        places = decimals(v)
        if places is None or places > max_decimals or abs(v) > max_abs:
            return False
    return True
