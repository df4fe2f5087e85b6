"""Every registered op's VJPs against float64 central differences, on several shapes per op.

The parametrization walks engine.REGISTRY, so an op is checked the moment it is registered; an op
without an OP_SAMPLES entry fails loudly instead of going untested.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import engine
from engine.ops.registry import NO_SYMBOLIC_FORM, OpDef

Sample = tuple[Callable[[np.random.Generator], tuple[np.ndarray, ...]], dict[str, Any]]

STEP = 1e-6
RTOL = 1e-6
ATOL = 1e-8


# ----------------------------------------------------------------------------------- input makers
def normal(*shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    return lambda rng: rng.standard_normal(shape)


def uniform(lo: float, hi: float, *shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    return lambda rng: rng.uniform(lo, hi, shape)


def away_from_zero(
    *shape: int, lo: float = 0.2, hi: float = 2.0
) -> Callable[[np.random.Generator], np.ndarray]:
    """Values with |v| in [lo, hi] and random signs: no kink (relu, abs) or pole (div) nearby."""
    return lambda rng: rng.uniform(lo, hi, shape) * rng.choice([-1.0, 1.0], shape)


def probabilities(*shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    def make(rng: np.random.Generator) -> np.ndarray:
        p = rng.uniform(0.1, 1.0, shape)
        return p / p.sum(-1, keepdims=True)

    return make


def class_indices(classes: int, *shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    return lambda rng: rng.integers(0, classes, shape).astype(np.float64)


def inputs(*makers: Callable[[np.random.Generator], np.ndarray]) -> Callable:
    return lambda rng: tuple(make(rng) for make in makers)


def case(*makers: Callable[[np.random.Generator], np.ndarray], **attrs: Any) -> Sample:
    return inputs(*makers), attrs


def binary_cases(
    make: Callable[..., Callable], make_b: Callable[..., Callable] | None = None
) -> list[Sample]:
    """The broadcasting shapes every binary elementwise op is checked on."""
    make_b = make_b or make
    pairs = [((3,), (3,)), ((2, 3), (3,)), ((3,), (2, 3)), ((2, 1), (1, 3)), ((), (2, 2)), ((2, 2), ())]
    pairs.append(((), ()))
    return [case(make(*sa), make_b(*sb)) for sa, sb in pairs]


def unary_cases(make: Callable[..., Callable], **attrs: Any) -> list[Sample]:
    return [case(make(*shape), **attrs) for shape in [(3,), (2, 3), (), (2, 1, 3)]]


def loss_cases(make_pred: Callable[..., Callable], make_target: Callable[..., Callable], **attrs: Any):
    pairs = [((3,), (3,)), ((2, 3), (2, 3)), ((), ()), ((2, 3), (3,)), ((3,), (2, 3)), ((2, 2), ())]
    return [case(make_pred(*sp), make_target(*st), **attrs) for sp, st in pairs]


# ------------------------------------------------------------------------------------- the samples
OP_SAMPLES: dict[str, list[Sample]] = {
    # Arithmetic
    "add": binary_cases(normal),
    "sub": binary_cases(normal),
    "mul": binary_cases(normal),
    "div": binary_cases(normal, away_from_zero),
    "pow": binary_cases(lambda *s: uniform(0.5, 2.0, *s), lambda *s: uniform(-2.0, 2.0, *s)),
    "neg": unary_cases(normal),
    "square": unary_cases(normal),
    "sqrt": unary_cases(lambda *s: uniform(0.3, 3.0, *s)),
    "exp": unary_cases(normal),
    "log": unary_cases(lambda *s: uniform(0.3, 3.0, *s)),
    "abs": unary_cases(away_from_zero),
    "sin": unary_cases(normal),
    # Matrix
    "matmul": [
        case(normal(2, 3), normal(3, 4)),
        case(normal(2), normal(2, 3)),
        case(normal(2, 3), normal(3)),
        case(normal(3), normal(3)),
        case(normal(1, 3), normal(3, 1)),
        case(normal(2, 2, 3), normal(2, 3, 4)),
        case(normal(2, 3), normal(4, 3, 2)),
        case(normal(2, 1, 2, 3), normal(3, 3, 2)),
        case(normal(3), normal(2, 3, 4)),
        case(normal(2, 2, 3), normal(3)),
        case(normal(2, 2), normal(2, 2)),
    ],
    "transpose": [
        case(normal(2, 3)),
        case(normal(3)),
        case(normal()),
        case(normal(2, 3, 4)),
        case(normal(2, 2)),
    ],
    "reshape": [
        case(normal(2, 3)),
        case(normal(2, 3), shape=[3, 2]),
        case(normal(6), shape=[1, -1]),
        case(normal(1, 4), shape=[4]),
        case(normal(), shape=[]),
        case(normal(1), shape=[1, 1]),
        case(normal(2, 2, 3), shape=[-1, 3]),
    ],
    "sum": [
        case(normal(2, 3)),
        case(normal(2, 3), axis=0),
        case(normal(2, 3), axis=-1, keepdims=True),
        case(normal(2, 3), keepdims=True),
        case(normal(3), axis=0),
        case(normal()),
        case(normal(2, 3, 4), axis=1),
    ],
    "mean": [
        case(normal(2, 3)),
        case(normal(2, 3), axis=1),
        case(normal(2, 3), axis=-2, keepdims=True),
        case(normal(2, 3), keepdims=True),
        case(normal(3), axis=0),
        case(normal()),
        case(normal(2, 3, 4), axis=-1),
    ],
    # Activations
    "relu": unary_cases(away_from_zero),
    "leaky_relu": unary_cases(away_from_zero)
    + unary_cases(away_from_zero, alpha=0.3)
    + [case(away_from_zero(2, 3), alpha=2.0), case(away_from_zero(2, 3), alpha=-0.5)],
    "elu": unary_cases(away_from_zero) + [case(away_from_zero(2, 3), alpha=0.5)],
    "selu": unary_cases(away_from_zero),
    "sigmoid": unary_cases(lambda *s: uniform(-4.0, 4.0, *s)),
    "tanh": unary_cases(normal),
    "softplus": unary_cases(lambda *s: uniform(-4.0, 4.0, *s)),
    "swish": [
        case(normal(3), normal()),
        case(normal(2, 3), normal(3)),
        case(normal(2, 3), normal(2, 3)),
        case(normal(), normal(2)),
        case(normal(2, 1), normal(1, 3)),
        case(normal(), normal()),
    ],
    "mish": unary_cases(lambda *s: uniform(-4.0, 4.0, *s)),
    "gelu": unary_cases(lambda *s: uniform(-4.0, 4.0, *s)),
    "softmax": [
        case(normal(3)),
        case(normal(2, 3)),
        case(normal(2, 3), axis=0),
        case(normal(2, 3, 4), axis=1),
        case(normal(1)),
    ],
    # Losses
    "mse": loss_cases(normal, normal)
    + loss_cases(normal, normal, reduction="sum")
    + [case(normal(2, 3), normal(2, 3), reduction="mean", scale=0.5)],
    "bce": loss_cases(lambda *s: uniform(0.05, 0.95, *s), lambda *s: uniform(0.0, 1.0, *s)),
    "bce_with_logits": loss_cases(lambda *s: uniform(-4.0, 4.0, *s), lambda *s: uniform(0.0, 1.0, *s)),
    "cross_entropy": [
        case(normal(3), probabilities(3)),
        case(normal(3), class_indices(3)),
        case(normal(2, 3), probabilities(2, 3)),
        case(normal(2, 3), class_indices(3, 2)),
        case(normal(2, 2, 4), class_indices(4, 2, 2)),
        case(normal(4, 3), uniform(0.0, 1.0, 4, 3)),
    ],
}

NON_LEAF_OPS = [op for op in engine.REGISTRY if not op.is_leaf]


def _params() -> list[Any]:
    params = []
    for op in NON_LEAF_OPS:
        samples = OP_SAMPLES.get(op.id) or [None]
        params += [pytest.param(op.id, i, id=f"{op.id}-{i}") for i in range(len(samples))]
    return params


def _sample(op: OpDef, index: int, seed: int) -> tuple[tuple[np.ndarray, ...], dict[str, Any]]:
    if op.id not in OP_SAMPLES:
        pytest.fail(f"op {op.id!r} has no OP_SAMPLES entry in {__name__}")
    make, attrs = OP_SAMPLES[op.id][index]
    xs = tuple(np.asarray(x, dtype=np.float64) for x in make(np.random.default_rng(seed)))
    return xs, op.resolve_attrs(attrs)


# ----------------------------------------------------------------------------------------- tests
def test_every_registered_op_has_samples() -> None:
    missing = [op.id for op in NON_LEAF_OPS if op.id not in OP_SAMPLES]
    assert not missing, f"ops without OP_SAMPLES entries: {missing}"
    stale = sorted(set(OP_SAMPLES) - {op.id for op in NON_LEAF_OPS})
    assert not stale, f"OP_SAMPLES entries for unregistered ops: {stale}"


def test_sample_inputs_match_ports() -> None:
    for op in NON_LEAF_OPS:
        for make, attrs in OP_SAMPLES.get(op.id, []):
            assert len(make(np.random.default_rng(0))) == len(op.inputs), op.id
            op.resolve_attrs(attrs)


@pytest.mark.parametrize(("op_id", "index"), _params())
def test_shape_rule_agrees_with_forward(op_id: str, index: int) -> None:
    op = engine.REGISTRY[op_id]
    xs, attrs = _sample(op, index, seed=index)
    y = op.forward(*xs, **attrs)
    assert isinstance(y, np.ndarray), f"{op_id} returned {type(y).__name__}, not an ndarray"
    assert y.dtype == np.float64
    assert y.shape == tuple(op.shape(*(x.shape for x in xs), **attrs))


@pytest.mark.parametrize(("op_id", "index"), _params())
def test_vjp_matches_central_differences(op_id: str, index: int) -> None:
    op = engine.REGISTRY[op_id]
    xs, attrs = _sample(op, index, seed=100 + index)
    y = op.forward(*xs, **attrs)
    w = np.random.default_rng(7 + index).standard_normal(y.shape)

    def loss(values: tuple[np.ndarray, ...]) -> float:
        return float(np.sum(w * op.forward(*values, **attrs)))

    grads = op.vjp(w, xs, y, **attrs)
    assert len(grads) == len(op.inputs)
    checked = 0
    for port, (x, grad) in enumerate(zip(xs, grads, strict=True)):
        if grad is None:
            # Only a cross_entropy target given as class indices takes no gradient.
            assert op_id == "cross_entropy" and port == 1 and x.shape != xs[0].shape
            continue
        assert np.shape(grad) == x.shape, f"{op_id}: gradient of {op.inputs[port]} has the wrong shape"
        assert np.asarray(grad).dtype == np.float64
        numeric = np.zeros(x.shape)
        for i in np.ndindex(x.shape):
            plus = [v.copy() for v in xs]
            minus = [v.copy() for v in xs]
            plus[port][i] += STEP
            minus[port][i] -= STEP
            numeric[i] = (loss(tuple(plus)) - loss(tuple(minus))) / (2 * STEP)
        np.testing.assert_allclose(
            grad, numeric, rtol=RTOL, atol=ATOL, err_msg=f"{op_id}: ∂L/∂{op.inputs[port]}"
        )
        checked += 1
    assert checked, f"{op_id}: no input was checked"


@pytest.mark.parametrize(("op_id", "index"), _params())
def test_vjp_leaves_inputs_untouched(op_id: str, index: int) -> None:
    op = engine.REGISTRY[op_id]
    xs, attrs = _sample(op, index, seed=200 + index)
    before = [x.copy() for x in xs]
    y = op.forward(*xs, **attrs)
    y_before = y.copy()
    g = np.ones(y.shape)
    op.vjp(g, xs, y, **attrs)
    for x, x0 in zip(xs, before, strict=True):
        np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y_before)
    np.testing.assert_array_equal(g, np.ones(y.shape))


@pytest.mark.parametrize("op_id", [op.id for op in NON_LEAF_OPS])
def test_op_record_is_complete(op_id: str) -> None:
    """Doc, group and every formula: forward text and TeX as str.format templates, local per port."""
    op = engine.REGISTRY[op_id]
    assert op.doc and "\n" not in op.doc
    assert op.group in ("Arithmetic", "Matrix", "Activations", "Losses")
    f = op.formula
    names = {"y": "Y", **{port: f"P{i}" for i, port in enumerate(op.inputs)}}
    letters = {key: f"C{i}" for i, key in enumerate(f.letters)}  # MSE's s and n, …
    for template in (f.forward, f.forward_tex):
        filled = template.format(**names, **letters)
        for placeholder in [*names.values(), *letters.values()]:
            assert placeholder in filled, f"{op_id}: {template!r} lacks {placeholder}"
    assert _braces_balance(f.forward_tex.format(**names, **letters)), f.forward_tex
    # engine.teach.formatting pairs the text and TeX templates placeholder by placeholder.
    assert _placeholders(f.forward) == _placeholders(f.forward_tex), op_id
    assert set(f.local) == set(op.inputs) == set(f.local_tex), op_id
    for port in op.inputs:
        assert f.local[port] and f.local_tex[port]
        assert _braces_balance(f.local_tex[port]), f.local_tex[port]
    for a in op.attrs:
        assert a.doc, f"{op_id}: attribute {a.name} has no doc"
        assert a.coerce(a.default) == a.default
    assert callable(op.sympy) or op.sympy == NO_SYMBOLIC_FORM, f"{op_id}: sympy= a rule or NO_SYMBOLIC_FORM"


def _jacobian(op: OpDef, xs: tuple[np.ndarray, ...], port: int, attrs: dict[str, Any]) -> np.ndarray:
    """∂y/∂x_port by central differences, as a (y.size, x.size) matrix."""
    x = xs[port]
    columns = []
    for i in np.ndindex(x.shape):
        plus = [v.copy() for v in xs]
        minus = [v.copy() for v in xs]
        plus[port][i] += STEP
        minus[port][i] -= STEP
        dy = op.forward(*plus, **attrs) - op.forward(*minus, **attrs)
        columns.append(dy.reshape(-1) / (2 * STEP))
    return np.stack(columns, axis=1)


def _diagonality(op: OpDef) -> list[bool]:
    """For every sample input that has the output's shape (and more than one element): is ∂y/∂x diagonal?"""
    found = []
    for index in range(len(OP_SAMPLES[op.id])):
        xs, attrs = _sample(op, index, seed=300 + index)
        y = op.forward(*xs, **attrs)
        for port, x in enumerate(xs):
            if x.shape == y.shape and x.size > 1:
                jac = _jacobian(op, xs, port, attrs)
                off = jac - np.diag(np.diag(jac))
                found.append(bool(np.all(np.abs(off) <= 1e-9)))
    return found


@pytest.mark.parametrize("op_id", [op.id for op in NON_LEAF_OPS])
def test_elementwise_claim_holds_numerically(op_id: str) -> None:
    """elementwise=True: the Jacobian is diagonal wherever an input has the output's shape; an op not
    marked (softmax, matmul) shows an off-diagonal entry on at least one such sample, if it has one."""
    op = engine.REGISTRY[op_id]
    diagonal = _diagonality(op)
    if op.elementwise:
        assert diagonal, f"{op_id}: no sample has an input of the output's shape to check the claim on"
        assert all(diagonal), f"{op_id} is marked elementwise but its Jacobian is not diagonal"
    else:
        assert not diagonal or not all(diagonal), f"{op_id}: every Jacobian is diagonal; mark it elementwise"


def _braces_balance(tex: str) -> bool:
    depth = 0
    for ch in tex.replace(r"\{", "").replace(r"\}", ""):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _placeholders(template: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"\{\{|\}\}|\{(\w+)\}", template) if m.group(1)]
