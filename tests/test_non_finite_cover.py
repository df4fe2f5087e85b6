"""The trace's finiteness check skips arrays whose NaN or Inf another checked array would show
(ops with ``keeps_non_finite``); it must still find every one.

The claim of each op is checked on its own numpy functions; the check as a whole against the
node-by-node walk, which looks at every array, on random graphs whose numbers overflow.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.compile.plan import compile_plan
from engine.compile.trace import NumericError
from graph.document import Document

KEEPERS = sorted(op.id for op in engine.REGISTRY if op.keeps_non_finite)
GRADIENT_KEEPERS = sorted(op.id for op in engine.REGISTRY if op.keeps_non_finite_gradient)


def test_the_elementary_ops_keep_non_finite_numbers():
    assert {"add", "sub", "mul", "neg", "sum", "mean"} <= set(KEEPERS)
    assert not {"tanh", "exp", "sigmoid", "relu"} & set(KEEPERS)  # tanh(inf) = 1, exp(−inf) = 0


# the operands' shapes an op is checked on, by trial (default: a 3-vector, and () that broadcasts)
SHAPES = {"matmul": [((2, 3), (3, 4)), ((3,), (3, 2)), ((2, 3), (3,)), ((3,), (3,)), ((2, 1, 3), (2, 3, 2))]}


def _shapes(op_id: str, ports: int, trial: int) -> list[tuple[int, ...]]:
    if op_id in SHAPES:
        return list(SHAPES[op_id][trial % len(SHAPES[op_id])])
    return [(3,) if k == 0 or trial % 2 else () for k in range(ports)]


@pytest.mark.parametrize("op_id", KEEPERS)
@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_a_non_finite_input_or_gradient_shows_in_the_output_and_every_input_gradient(op_id, bad):
    # the other numbers include zeros: inf · 0 is NaN, unless a product with a zero is skipped (BLAS)
    op = engine.REGISTRY[op_id]
    attrs = op.resolve_attrs({})
    rng = np.random.default_rng(5)
    for trial in range(40):
        shapes = _shapes(op_id, len(op.inputs), trial)
        xs = [rng.choice([0.0, 1.0, -2.0, 0.5], size=s).astype(float) for s in shapes]
        k = trial % len(xs)
        xs[k].reshape(-1)[rng.integers(xs[k].size)] = bad
        with np.errstate(all="ignore"):
            y = op.forward(*xs, **attrs)
        assert not np.isfinite(y).all(), (op_id, xs)
        clean = [rng.choice([0.0, 1.0, -2.0], size=s).astype(float) for s in shapes]
        with np.errstate(all="ignore"):
            y = op.forward(*clean, **attrs)
            g = np.full(np.shape(y), rng.choice([0.0, 1.0]))
            g.reshape(-1)[rng.integers(g.size)] = bad
            for vjp in op.vjps:
                assert not np.isfinite(vjp(g, clean, y, **attrs)).all(), (op_id, clean, g)


@pytest.mark.parametrize("bad", [np.inf, np.nan])
@pytest.mark.parametrize(
    "shapes", [((2, 3), (3, 4)), ((3,), (3, 2)), ((40, 64), (64, 48)), ((64,), (64, 64)), ((64, 64), (64,))]
)
def test_matmul_shows_a_non_finite_number_against_zeros(shapes, bad):
    # the worst case for a product that skips zeros (old reference BLAS did): every other number is 0
    matmul = engine.REGISTRY["matmul"]
    for k in (0, 1):
        xs = [np.zeros(s) for s in shapes]
        xs[k].reshape(-1)[-1] = bad
        with np.errstate(all="ignore"):
            assert not np.isfinite(matmul.forward(*xs)).all(), (shapes, k)
    zeros = [np.zeros(s) for s in shapes]
    y = matmul.forward(*zeros)
    g = np.zeros(y.shape)
    g.reshape(-1)[-1] = bad
    with np.errstate(all="ignore"):
        for vjp in matmul.vjps:
            assert not np.isfinite(vjp(g, zeros, y)).all(), shapes


def test_activations_keep_a_non_finite_gradient():
    assert {"sigmoid", "tanh", "relu", "exp"} <= set(GRADIENT_KEEPERS)
    assert "mse" in KEEPERS


@pytest.mark.parametrize("op_id", GRADIENT_KEEPERS)
@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_a_non_finite_gradient_shows_in_every_input_gradient(op_id, bad):
    # finite inputs where the local derivative is 0 or 1 exactly (σ(±40) rounds to 1 and 0 … relu at 0)
    op = engine.REGISTRY[op_id]
    attrs = op.resolve_attrs({})
    rng = np.random.default_rng(6)
    for _ in range(40):
        xs = [rng.choice([0.0, 1.0, -2.0, 40.0, -40.0, -800.0], size=4) for _ in op.inputs]
        with np.errstate(all="ignore"):
            y = op.forward(*xs, **attrs)
            assert np.isfinite(y).all()
            g = np.full(np.shape(y), rng.choice([0.0, 1.0]))
            g.reshape(-1)[rng.integers(g.size)] = bad
            for vjp in op.vjps:
                assert not np.isfinite(vjp(g, xs, y, **attrs)).all(), (op_id, xs, g)


UNARY = ["neg", "square", "abs", "exp", "tanh", "sigmoid", "relu"]
BINARY = ["add", "sub", "mul", "div"]


@st.composite
def overflowing_graphs(draw):
    """Random DAGs of kept and not kept ops over vectors of huge and tiny numbers: products overflow to
    inf, inf − inf gives NaN, somewhere in the middle of the graph."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.sampled_from([1, 3, 12]))  # 12: arrays too big for the trace over floats
    d = Document(engine.REGISTRY)
    ids = []
    for i in range(draw(st.integers(1, 3))):
        size = 10.0 ** rng.uniform(-160, 160, n)
        d.add_node("parameter", f"l{i}", value=size * rng.choice([-1.0, 1.0], n))
        ids.append(f"l{i}")
    for i in range(draw(st.integers(1, 10))):
        if draw(st.booleans()):
            d.add_node(draw(st.sampled_from(UNARY)), f"u{i}")
            d.connect(draw(st.sampled_from(ids)), f"u{i}", "x")
            ids.append(f"u{i}")
        else:
            d.add_node(draw(st.sampled_from(BINARY)), f"b{i}")
            d.connect(draw(st.sampled_from(ids)), f"b{i}", "a")
            d.connect(draw(st.sampled_from(ids)), f"b{i}", "b")
            ids.append(f"b{i}")
    out = draw(st.sampled_from(["sum", "mean", "mse"]))
    d.add_node(out, "out")
    if out == "mse":  # against the first leaf
        d.connect(ids[-1], "out", "pred")
        d.connect("l0", "out", "target")
    else:
        d.connect(ids[-1], "out", "x")
    for j, sink in enumerate(s for s in d.sinks() if s != "out"):  # every other end feeds the output too
        d.add_node("sum", f"r{j}")
        d.connect(sink, f"r{j}", "x")
        d.add_node("add", f"o{j}")
        d.connect("out" if j == 0 else f"o{j - 1}", f"o{j}", "a")
        d.connect(f"r{j}", f"o{j}", "b")
    return d


def _error(plan, stepwise: bool) -> str | None:
    try:
        plan.run(stepwise=stepwise)
    except NumericError as err:
        return str(err)
    return None


@given(overflowing_graphs())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_generated_trace_finds_every_nan_and_inf_the_walk_finds(doc):
    plan = compile_plan(doc)
    assert _error(plan, stepwise=False) == _error(plan, stepwise=True)


@pytest.mark.parametrize("n", [1, 12])
def test_a_gradient_that_overflows_behind_kept_ops_is_found(n):
    # y = 1 / (b·c) with b·c = 1e-200: y = 1e200 is finite, ∂y/∂(b·c) = −y / (b·c) = −1e400 overflows;
    # through the mul (which keeps it) it reaches b's and c's gradients, which are checked.
    d = Document(engine.REGISTRY)
    d.add_node("constant", "one", value=np.ones(n))
    d.add_node("parameter", "b", value=np.full(n, 1e-100))
    d.add_node("parameter", "c", value=np.full(n, 1e-100))
    for node, op, ins in (("bc", "mul", {"a": "b", "b": "c"}), ("y", "div", {"a": "one", "b": "bc"}),
                          ("z", "add", {"a": "y", "b": "one"}), ("L", "sum", {"x": "z"})):  # fmt: skip
        d.add_node(op, node)
        for port, source in ins.items():
            d.connect(source, node, port)
    plan = compile_plan(d)
    walked = _error(plan, stepwise=True)
    assert walked is not None and "'bc'" in walked and "gradient" in walked
    assert _error(plan, stepwise=False) == walked


@pytest.mark.parametrize("shape", [(2, 2), (2, 1), (1, 3, 2), (4,), (30, 30)])
def test_a_non_finite_number_in_an_array_of_any_rank_is_found(shape):
    # exp(1000) overflows to inf in e; tanh hides it (tanh(inf) = 1): the check must look at e itself,
    # whatever its rank
    w = np.full(shape, 0.5)
    w.reshape(-1)[-1] = 1000.0
    d = Document(engine.REGISTRY)
    d.add_node("parameter", "w", value=w)
    for node, op, source in (("e", "exp", "w"), ("h", "tanh", "e"), ("L", "sum", "h")):
        d.add_node(op, node)
        d.connect(source, node, "x")
    plan = compile_plan(d)
    walked = _error(plan, stepwise=True)
    assert walked is not None and "'e'" in walked and "value became inf" in walked
    assert _error(plan, stepwise=False) == walked
