"""The scalar pass: graphs of single numbers run over Python floats, with the numpy path's numbers.

Expected values come from the numpy functions of each op (another implementation of the same
formula): bit for bit where both sides round once per operation, within a few ulps where the float
template calls the C library's exp/log/tanh, which numpy replaces with its own loops.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import f_xy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.compile import codegen
from engine.compile.plan import compile_plan
from graph.document import Document

WITH_FLOATS = sorted(op.id for op in engine.REGISTRY if op.float_forward)
# Inputs in each op's domain, away from kinks (a kink's side is tested separately below).
DOMAIN = {"sqrt": (0.1, 9.0), "log": (0.1, 9.0)}


def _close(a: float, b: float, exact: bool) -> bool:
    if exact:
        return a == b or (math.isnan(a) and math.isnan(b))
    return abs(a - b) <= 4 * np.spacing(abs(b))


def _float_eval(template: str, names: dict[str, float]) -> float:
    env = {"math": math, **{f"n_{k}": v for k, v in names.items()}}
    return eval(template.format(**{k: f"n_{k}" for k in names}), env)  # our own registered template


def test_every_op_with_float_templates_has_one_per_port():
    for op in engine.REGISTRY:
        assert (op.float_forward is None) == (op.float_vjps is None), op.id
        if op.float_vjps is not None:
            assert len(op.float_vjps) == len(op.inputs), op.id


@pytest.mark.parametrize("op_id", WITH_FLOATS)
def test_float_templates_equal_the_numpy_functions(op_id):
    op = engine.REGISTRY[op_id]
    attrs = op.resolve_attrs({})
    exact = "math." not in op.float_forward + "".join(op.float_vjps)
    lo, hi = DOMAIN.get(op_id, (-4.0, 4.0))
    rng = np.random.default_rng(11)
    for _ in range(300):
        xs = tuple(np.array(rng.uniform(lo, hi)) for _ in op.inputs)
        g = float(rng.normal())
        y = op.forward(*xs, **attrs)
        names = {**dict(zip(op.inputs, (float(x) for x in xs), strict=True)), **attrs}
        names = {k: v for k, v in names.items() if isinstance(v, float)}
        assert _close(_float_eval(op.float_forward, names), float(y), exact), (op_id, xs)
        names.update(y=float(y), g=g)
        for k, template in enumerate(op.float_vjps):
            want = float(op.vjps[k](np.array(g), xs, y, **attrs))
            assert _close(_float_eval(template, names), want, exact), (op_id, k, xs)


@pytest.mark.parametrize("op_id", ["relu", "abs"])
def test_kinks_follow_the_numpy_convention(op_id):
    # At the kink x = 0 (and for −0.0) the float templates give what numpy gives: relu'(0) = 0, sign(0) = 0.
    op = engine.REGISTRY[op_id]
    for x in (0.0, -0.0):
        y = op.forward(np.array(x))
        names = {"x": x, "y": float(y), "g": 1.5}
        assert _float_eval(op.float_forward, names) == float(y)
        assert _float_eval(op.float_vjps[0], names) == float(op.vjps[0](np.array(1.5), (np.array(x),), y))


def _passes(doc: Document):
    plan = compile_plan(doc)
    params = plan.slots_of("parameter") + plan.slots_of("input")
    return plan, params, plan.train_function(params), codegen.train_function(plan, params)


def test_f_xy_runs_over_floats_with_the_numpy_numbers():
    plan, params, fast, numpy_pass = _passes(f_xy())
    assert "float(V[" in plan.generated_source(params)
    out, grads = fast(plan.leaf_values())
    want_out, want_grads = numpy_pass(plan.leaf_values())
    # f = x² + xy + (x+y)² at (1, 2) = 12; ∂f/∂x = 10, ∂f/∂y = 7 (test_plan derives them by hand).
    assert (float(out), grads) == (12.0, [10.0, 7.0])
    assert float(want_out) == 12.0 and [float(g) for g in want_grads] == grads


def test_a_division_by_zero_gives_numpys_inf():
    # 1 / x at x = 0: Python raises, so the pass hands the values to the numpy pass: inf, as before.
    d = Document(engine.REGISTRY)
    d.add_node("constant", "one", value=1.0)
    d.add_node("parameter", "x", value=0.0)
    d.add_node("div", "y")
    d.connect("one", "y", "a")
    d.connect("x", "y", "b")
    plan, params, fast, _ = _passes(d)
    with np.errstate(all="ignore"):
        out, grads = fast(plan.leaf_values())
    assert float(out) == math.inf


def test_a_graph_with_a_small_vector_runs_number_by_number():
    # A vector of at most 8 numbers is split into floats too (tests/test_small_arrays.py); Σ(1, 2) = 3.
    d = Document(engine.REGISTRY)
    d.add_node("parameter", "w", value=[1.0, 2.0])
    d.add_node("sum", "s")
    d.connect("w", "s", "x")
    plan = compile_plan(d)
    assert "float(" not in plan.generated_source(plan.slots_of("parameter"))
    assert "V[0].tolist()" in plan.generated_source(plan.slots_of("parameter"))
    out, grads = plan.train_function(plan.slots_of("parameter"))(plan.leaf_values())
    assert float(out) == 3.0 and grads[0].tolist() == [1.0, 1.0]


EXACT = ["add", "sub", "mul", "neg", "square", "relu", "abs"]
SMOOTH = ["tanh", "sigmoid", "softplus", "exp"]


@st.composite
def scalar_graphs(draw, unary):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    d = Document(engine.REGISTRY)
    ids = []
    for i in range(draw(st.integers(1, 3))):
        d.add_node(
            draw(st.sampled_from(["parameter", "input", "constant"])), f"l{i}", value=rng.uniform(-1.5, 1.5)
        )
        ids.append(f"l{i}")
    for i in range(draw(st.integers(1, 10))):
        if draw(st.booleans()):
            d.add_node(draw(st.sampled_from(unary)), f"u{i}")
            d.connect(draw(st.sampled_from(ids)), f"u{i}", "x")
            ids.append(f"u{i}")
        else:
            d.add_node(draw(st.sampled_from(["add", "sub", "mul"])), f"b{i}")
            d.connect(draw(st.sampled_from(ids)), f"b{i}", "a")
            d.connect(draw(st.sampled_from(ids)), f"b{i}", "b")
            ids.append(f"b{i}")
    d.add_node("constant", "target", value=0.25)
    d.add_node("mse", "L", attrs={"scale": 0.5})
    d.connect(ids[-1], "L", "pred")
    d.connect("target", "L", "target")
    d.training = {"loss": "L"}
    return d


def _agree(doc: Document, exact: bool) -> None:
    plan, params, fast, numpy_pass = _passes(doc)
    out, grads = fast(plan.leaf_values())
    with np.errstate(all="ignore"):
        want_out, want_grads = numpy_pass(plan.leaf_values())
    # Exact operations round alike on both sides; a last-bit difference in exp or tanh may grow along
    # the graph, so those are compared to 1e-12.
    pairs = [(float(out), float(want_out))]
    for g, w in zip(grads, want_grads, strict=True):
        assert (g is None) == (w is None)
        if g is not None:
            pairs.append((g, float(w)))
    for got, want in pairs:
        assert _close(got, want, True) if exact else math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-300)


@given(scalar_graphs(EXACT[3:]))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_scalar_graphs_of_exact_operations_agree_bit_for_bit(doc):
    _agree(doc, exact=True)


@given(scalar_graphs(EXACT[3:] + SMOOTH))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_scalar_graphs_with_exp_and_tanh_agree_to_rounding(doc):
    _agree(doc, exact=False)
