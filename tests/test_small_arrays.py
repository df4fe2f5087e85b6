"""Graphs of small arrays (at most 8 numbers each) run over Python floats, number by number.

The reference is the numpy training pass of the same plan (``codegen.train_function``: each op's numpy
function or inline template). Bit for bit where both do the same operations in the same order
(elementwise ops, sums of a contiguous run, dot products of vectors); where numpy adds in another order
(a matrix product through BLAS, a sum along the first axis), to a few units in the last place, checked
on positive numbers where that bounds the relative difference (≤ 7 ulps for 8 terms: 2e-15).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.compile import codegen
from engine.compile.plan import compile_plan
from engine.train.trainer import Trainer
from graph.document import Document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _passes(doc: Document):
    plan = compile_plan(doc)
    params = plan.slots_of("parameter") + plan.slots_of("input")
    return plan, params, plan.train_function(params), codegen.train_function(plan, params)


def _results(doc: Document):
    plan, params, fast, numpy_pass = _passes(doc)
    with np.errstate(all="ignore"):
        return plan, params, fast(plan.leaf_values()), numpy_pass(plan.leaf_values())


def _floats_used(plan, params) -> bool:
    return ".tolist()" in plan.generated_source(params) or "float(V[" in plan.generated_source(params)


def test_the_perceptron_runs_over_floats_with_the_articles_numbers():
    # y = x·w + b = 0 with zero weights; L = (0 − 42)² = 1764; ∂L/∂y = −84; ∂L/∂w = −84·(0.5, 2).
    doc = engine.load(EXAMPLES / "07_perceptron_42.json")
    plan, params, (out, grads), (want_out, want_grads) = _results(doc)
    assert _floats_used(plan, params)
    named = dict(zip((plan.ids[s] for s in params), grads))
    assert float(out) == 1764.0 == float(want_out)
    assert isinstance(named["w"], np.ndarray) and named["w"].shape == (2,)
    assert named["w"].tolist() == [-42.0, -168.0] and float(named["b"]) == -84.0
    assert named["x"].tolist() == [0.0, 0.0]  # ∂L/∂x = −84·w = 0 with zero weights
    for g, w in zip(grads, want_grads, strict=True):
        assert np.array_equal(g, w) and np.shape(g) == np.shape(w)


def test_training_the_perceptron_over_floats_equals_training_over_numpy():
    doc = engine.load(EXAMPLES / "07_perceptron_42.json")
    fast = Trainer.create(doc)
    slow = Trainer.create(doc)
    slow.train_fn = codegen.train_function(slow.plan, slow.param_slots)
    fast.run()
    slow.run()
    assert fast.history == slow.history and len(fast.history) == 6


def test_a_matrix_with_a_broadcast_bias_and_a_mean():
    # h = x @ W + b with x = (1, 2), W = [[1, 2, 3], [4, 5, 6]], b = 0.5: h = (9.5, 12.5, 15.5);
    # L = mean(h) = 12.5; ∂L/∂h = 1/3 each; ∂L/∂b = 3 · 1/3 = 1; ∂L/∂W = outer(x, 1/3).
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=[1.0, 2.0])
    d.add_node("parameter", "W", value=[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    d.add_node("parameter", "b", value=0.5)
    for node, op, ins in (("xW", "matmul", {"a": "x", "b": "W"}), ("h", "add", {"a": "xW", "b": "b"}),
                          ("L", "mean", {"x": "h"})):  # fmt: skip
        d.add_node(op, node)
        for port, source in ins.items():
            d.connect(source, node, port)
    plan, params, (out, grads), (want_out, want_grads) = _results(d)
    assert _floats_used(plan, params)
    named = dict(zip((plan.ids[s] for s in params), grads))
    assert float(out) == 12.5 == float(want_out)
    assert float(named["b"]) == pytest.approx(1.0, rel=1e-15)
    np.testing.assert_allclose(named["W"], np.outer([1.0, 2.0], [1 / 3] * 3), rtol=1e-15)
    for g, w in zip(grads, want_grads, strict=True):
        np.testing.assert_allclose(g, w, rtol=2e-15)
        assert np.shape(g) == np.shape(w)


def test_a_nine_number_vector_keeps_the_numpy_pass():
    d = Document(engine.REGISTRY)
    d.add_node("parameter", "w", value=list(range(9)))
    d.add_node("sum", "s")
    d.connect("w", "s", "x")
    plan = compile_plan(d)
    assert not _floats_used(plan, plan.slots_of("parameter"))


def test_an_op_without_a_rule_for_arrays_keeps_the_numpy_pass():
    d = Document(engine.REGISTRY)
    d.add_node("parameter", "z", value=[1.0, 2.0, 3.0])
    d.add_node("softmax", "p")
    d.connect("z", "p", "x")
    d.add_node("sum", "s")
    d.connect("p", "s", "x")
    plan = compile_plan(d)
    assert not _floats_used(plan, plan.slots_of("parameter"))


def test_a_division_by_zero_in_a_vector_gives_numpys_inf():
    # 1 / w at w = (2, 0): Python raises, so the pass hands the values to the numpy pass: (0.5, inf).
    d = _sum_of_one_over_w()
    _, _, (out, _), _ = _results(d)
    assert float(out) == np.inf


EXACT_BINARY = ["add", "sub", "mul"]
EXACT_UNARY = ["neg", "square", "relu", "abs"]


@st.composite
def small_graphs(draw, matrices: bool):
    """Leaves of shape (), (n,) and with matrices (n, m); elementwise ops broadcasting them, dot
    products, sums and means, and an mse loss against a target. matrices adds matrix products and sums
    along an axis (numpy adds those in another order) and keeps every number positive."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 2))
    lo = 0.25 if matrices else -1.5
    d = Document(engine.REGISTRY)
    shapes: dict[str, tuple[int, ...]] = {}

    def leaf(name: str, shape: tuple[int, ...]) -> str:
        kind = draw(st.sampled_from(["parameter", "input", "constant"]))
        d.add_node(kind, name, value=rng.uniform(lo, 1.5, shape))
        shapes[name] = shape
        return name

    leaf("l0", (n,))
    leaf("l1", draw(st.sampled_from([(), (n,)])))
    for i in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["unary", "binary", "binary", "reduce", "matmul"]))
        pick = [k for k, s in shapes.items() if len(s) <= 1]
        a = draw(st.sampled_from(pick))
        node = f"n{i}"
        if kind == "unary" and not matrices:
            d.add_node(draw(st.sampled_from(EXACT_UNARY)), node)
            d.connect(a, node, "x")
            shapes[node] = shapes[a]
        elif kind == "binary":
            fits = [k for k in pick if () in (shapes[k], shapes[a]) or shapes[k] == shapes[a]]
            b = draw(st.sampled_from(fits))
            d.add_node(draw(st.sampled_from(["add", "mul"] if matrices else EXACT_BINARY)), node)
            d.connect(a, node, "a")
            d.connect(b, node, "b")
            shapes[node] = tuple(np.broadcast_shapes(shapes[a], shapes[b]))
        elif kind == "reduce":
            axis = draw(st.sampled_from([None, 0])) if matrices and len(shapes[a]) else None
            d.add_node(draw(st.sampled_from(["sum", "mean"])), node, attrs={"axis": axis})
            d.connect(a, node, "x")
            shapes[node] = ()
        elif shapes[a] == (n,):
            other = leaf(f"w{i}", (n, m) if matrices else (n,))
            d.add_node("matmul", node)
            d.connect(a, node, "a")
            d.connect(other, node, "b")
            shapes[node] = (m,) if matrices else ()
        else:
            continue
    last = list(shapes)[-1]
    if matrices and len(shapes[last]) < 2:
        w = leaf("wlast", shapes[last] + (2,) if shapes[last] else (2,))
        d.add_node("matmul" if shapes[last] else "mul", "z")
        d.connect(last, "z", "a")
        d.connect(w, "z", "b")
        shapes["z"] = (2,)
        last = "z"
    d.add_node("constant", "target", value=rng.uniform(lo, 1.5, shapes[last]))
    d.add_node("mse", "L", attrs={"reduction": draw(st.sampled_from(["mean", "sum"])), "scale": 0.5})
    d.connect(last, "L", "pred")
    d.connect("target", "L", "target")
    d.training = {"loss": "L"}
    return d


def _check(doc: Document, rtol: float) -> None:
    plan, params, (out, grads), (want_out, want_grads) = _results(doc)
    assert _floats_used(plan, params)
    pairs = [(out, want_out), *zip(grads, want_grads, strict=True)]
    # A matrix product summed in another order differs by a few ulps of its largest term, not of its
    # result (large terms may cancel): the tolerance is relative to the largest number of the graph.
    trace = plan.run(stepwise=True)
    scale = max((float(np.max(np.abs(a))) for a in (*trace.value_list, *trace.grad_list) if a is not None),
                default=1.0)
    for got, want in pairs:
        assert (got is None) == (want is None)
        if got is None:
            continue
        assert np.shape(got) == np.shape(want)
        if rtol == 0:
            assert np.array_equal(got, want), (got, want)
        else:
            np.testing.assert_allclose(got, want, rtol=rtol, atol=8 * rtol * scale)


@given(small_graphs(matrices=False))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_small_vector_graphs_agree_with_numpy_bit_for_bit(doc):
    _check(doc, rtol=0)


@given(small_graphs(matrices=True))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_graphs_with_matrix_products_agree_to_a_few_ulps(doc):
    _check(doc, rtol=2e-15)


@given(small_graphs(matrices=False))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_trace_over_floats_equals_the_node_by_node_walk(doc):
    # Every value, gradient and edge gradient, as the reference walk (each op's numpy functions) gives them.
    plan = compile_plan(doc)
    assert "_array(" in plan.generated_source()
    fast, walked = plan.run(stepwise=False), plan.run(stepwise=True)
    for got, want in (
        *zip(fast.value_list, walked.value_list, strict=True),
        *zip(fast.grad_list, walked.grad_list, strict=True),
        *zip(fast.edge_grad_list, walked.edge_grad_list, strict=True),
    ):
        assert isinstance(got, np.ndarray) and got.shape == np.shape(want)
        assert np.array_equal(got, want), (got, want)


def test_an_inf_in_the_trace_over_floats_names_its_node():
    # 1 / w at w = (2, 0): Python refuses, the numpy trace computes inf, the check names the node.
    d = _sum_of_one_over_w()
    plan = compile_plan(d)
    assert "_array(" in plan.generated_source()
    with pytest.raises(engine.compile.trace.NumericError, match="'q'"):
        plan.run(stepwise=False)


def test_the_trace_keeps_numpy_where_floats_would_not_be_bit_for_bit():
    # tanh over floats is math.tanh (the C library's), numpy's own loop may differ in the last bit; a
    # vector through a matrix goes through BLAS: the trace keeps the numpy pass for both.
    for op, value, other in (("tanh", [0.5, 0.25], None), ("matmul", [0.5, 0.25], [[1.0, 2.0], [3.0, 4.0]])):
        d = Document(engine.REGISTRY)
        d.add_node("parameter", "w", value=value)
        d.add_node(op, "y")
        d.connect("w", "y", "a" if other else "x")
        if other:
            d.add_node("constant", "M", value=other)
            d.connect("M", "y", "b")
        d.add_node("sum", "s")
        d.connect("y", "s", "x")
        plan = compile_plan(d)
        assert "_array(" not in plan.generated_source()
        assert ".tolist()" in plan.generated_source(plan.slots_of("parameter"))  # training: floats


def _sum_of_one_over_w() -> Document:
    """sum(1 / w) at w = (2, 0): Python's division refuses the 0, numpy's gives inf."""
    d = Document(engine.REGISTRY)
    d.add_node("constant", "one", value=1.0)
    d.add_node("parameter", "w", value=[2.0, 0.0])
    d.add_node("div", "q")
    d.connect("one", "q", "a")
    d.connect("w", "q", "b")
    d.add_node("sum", "s")
    d.connect("q", "s", "x")
    return d
