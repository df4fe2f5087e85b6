"""Batched evaluation: stacked rows in one pass equal the loop over rows, or the graph is refused by name.

Expected numbers come from the per-row training pass (a different code path: one row at a time, no
batch axis), averaged over the rows by hand here, as training averages a batch's per-sample gradients.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.compile.batch import row_batching
from engine.compile.plan import Plan, compile_plan
from engine.ops.registry import BATCH_BROADCAST, BATCH_LEFT, BATCH_MEAN, BATCH_SUM, NOT_ROW_WISE
from graph.document import Document

KINDS = (BATCH_BROADCAST, BATCH_LEFT, BATCH_MEAN, BATCH_SUM, NOT_ROW_WISE)


# ----- the op records: what each says about a batch axis holds for its functions
def _per_row_shapes(op_id: str, n_inputs: int) -> tuple[tuple[int, ...], ...]:
    return ((3,), (3, 2)) if op_id == "matmul" else ((3,),) * n_inputs


def _ops_with(kinds: tuple[str, ...]) -> list[str]:
    ops = [op for op in engine.REGISTRY if not op.is_leaf]
    return sorted(op.id for op in ops if op.batch_kind(op.resolve_attrs({})) in kinds)


def test_every_op_says_how_it_treats_rows():
    for op in engine.REGISTRY:
        if not op.is_leaf:
            assert op.batch_kind(op.resolve_attrs({})) in KINDS, op.id


def _rows_and_grads(op, xs_rows, batched, g_rows):
    """The op run row by row: stacked outputs, and per port the stacked (or summed) gradients."""
    n = len(g_rows)
    attrs = op.resolve_attrs({})
    outs, grads = [], [[] for _ in xs_rows]
    for r in range(n):
        xs = tuple(x[r] if b else x for x, b in zip(xs_rows, batched, strict=True))
        y = op.forward(*xs, **attrs)
        outs.append(y)
        for k, vjp in enumerate(op.vjps):
            grads[k].append(vjp(g_rows[r], xs, y, **attrs))
    per_port = [np.stack(gs) if b else sum(gs) for gs, b in zip(grads, batched, strict=True)]
    return np.stack(outs), per_port


@pytest.mark.parametrize("op_id", _ops_with((BATCH_BROADCAST, BATCH_LEFT)))
def test_row_wise_ops_on_stacked_rows_equal_the_rows_stacked(op_id):
    op = engine.REGISTRY[op_id]
    rng = np.random.default_rng(3)
    n = 4
    shapes = _per_row_shapes(op_id, len(op.inputs))
    attrs = op.resolve_attrs({})
    kind = op.batch_kind(attrs)
    choices = [(True,) + (False,) * (len(shapes) - 1)]
    if kind == BATCH_BROADCAST:
        choices.append((True,) * len(shapes))
    for batched in choices:
        xs = tuple(
            rng.uniform(0.2, 0.8, size=((n, *s) if b else s)) for s, b in zip(shapes, batched, strict=True)
        )
        y = op.forward(*xs, **attrs)
        g = rng.normal(size=y.shape)
        want_y, want_grads = _rows_and_grads(op, xs, batched, g)
        assert np.allclose(y, want_y, rtol=1e-12, atol=1e-15)
        for k, vjp in enumerate(op.vjps):
            assert np.allclose(vjp(g, xs, y, **attrs), want_grads[k], rtol=1e-12, atol=1e-15), (
                op_id,
                batched,
                k,
            )


@pytest.mark.parametrize("op_id", _ops_with((BATCH_MEAN, BATCH_SUM)))
def test_reductions_over_stacked_rows_give_the_mean_or_sum_of_the_rows(op_id):
    op = engine.REGISTRY[op_id]
    rng = np.random.default_rng(4)
    n = 5
    xs = tuple(rng.uniform(0.2, 0.8, size=(n, *s)) for s in _per_row_shapes(op_id, len(op.inputs)))
    attrs = op.resolve_attrs({})
    factor = 1.0 / n if op.batch_kind(attrs) == BATCH_MEAN else 1.0
    y = op.forward(*xs, **attrs)
    want_y, want_grads = _rows_and_grads(op, xs, (True,) * len(xs), np.full(n, factor))
    assert np.isclose(float(y), factor * want_y.sum(), rtol=1e-12)
    for k, vjp in enumerate(op.vjps):
        assert np.allclose(vjp(np.array(1.0), xs, y, **attrs), want_grads[k], rtol=1e-12, atol=1e-15)


# ----- whole graphs: the batched training pass against the loop over rows
def _mean_over_rows(plan: Plan, params: list[int], rows: dict[int, np.ndarray]):
    fn = plan.train_function(params)
    values = plan.leaf_values()
    n = len(next(iter(rows.values())))
    total, grads = 0.0, None
    for r in range(n):
        for s, column in rows.items():
            values[s] = column[r]
        out, gs = fn(values)
        total += float(np.asarray(out).reshape(-1)[0])
        gs = [np.zeros_like(values[p]) if g is None else g for p, g in zip(params, gs, strict=True)]
        grads = gs if grads is None else [a + b for a, b in zip(grads, gs, strict=True)]
    return total / n, [g / n for g in grads]


def _batched(plan: Plan, params: list[int], rows: dict[int, np.ndarray]):
    fn = plan.batched_train_function(params, list(rows))
    assert not isinstance(fn, str), fn
    values = plan.leaf_values()
    for s, column in rows.items():
        values[s] = column
    out, grads = fn(values)
    return float(out), [
        np.zeros_like(values[p]) if g is None else g for p, g in zip(params, grads, strict=True)
    ]


UNARY = ["neg", "square", "sigmoid", "tanh", "softplus", "mish", "selu", "elu", "exp"]
BINARY = ["add", "sub", "mul"]
ENDINGS = ["mse", "mse_sum", "bce_with_logits", "mean", "sum", "per_row", "cross_entropy"]


@st.composite
def row_wise_graphs(draw):
    """x (rows of k numbers) → matmuls, biases, activations, binary ops between rows → one ending."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n, k = draw(st.integers(1, 6)), draw(st.integers(1, 3))
    d = Document(engine.REGISTRY)
    d.add_node("input", "x")
    columns = {"x": rng.uniform(-1, 1, size=(n, k))}
    rows_of = {"x": k}  # batched node → its row length
    cur, width = "x", k
    for i in range(draw(st.integers(1, 5))):
        step = draw(st.sampled_from(["matmul", "bias", "unary", "pair"]))
        node = f"n{i}"
        if step == "matmul":
            new = draw(st.integers(1, 3))
            d.add_node("parameter", f"W{i}", value=rng.normal(scale=0.7, size=(width, new)))
            d.add_node("matmul", node)
            d.connect(cur, node, "a")
            d.connect(f"W{i}", node, "b")
            width = new
        elif step == "bias":
            shape = draw(st.sampled_from([(), (width,), (1,)]))
            d.add_node("parameter", f"b{i}", value=rng.normal(scale=0.5, size=shape))
            d.add_node(draw(st.sampled_from(BINARY)), node)
            left = draw(st.booleans())
            d.connect(cur if left else f"b{i}", node, "a")
            d.connect(f"b{i}" if left else cur, node, "b")
        elif step == "unary":
            d.add_node(draw(st.sampled_from(UNARY)), node)
            d.connect(cur, node, "x")
        else:
            same = sorted(m for m, w in rows_of.items() if w == width)
            d.add_node(draw(st.sampled_from(BINARY)), node)
            d.connect(cur, node, "a")
            d.connect(draw(st.sampled_from(same)), node, "b")
        cur = node
        rows_of[cur] = width
    _ending(d, draw(st.sampled_from(ENDINGS)), cur, width, columns, rng)
    d.dataset = {"columns": columns}
    return d


def _ending(d: Document, ending: str, cur: str, width: int, columns: dict, rng) -> None:
    n = len(columns["x"])
    d.add_node("parameter", "Wout", value=rng.normal(scale=0.7, size=(width, 1)))
    d.add_node("matmul", "z")
    d.connect(cur, "z", "a")
    d.connect("Wout", "z", "b")
    if ending in ("mse", "mse_sum", "bce_with_logits", "per_row"):
        d.add_node("input", "t")
        columns["t"] = rng.integers(0, 2, size=(n, 1)).astype(float)
    if ending in ("mse", "mse_sum", "bce_with_logits"):
        attrs = {"reduction": "sum", "scale": 0.5} if ending == "mse_sum" else {}
        d.add_node("bce_with_logits" if ending == "bce_with_logits" else "mse", "L", attrs=attrs)
        d.connect("z", "L", "pred")
        d.connect("t", "L", "target")
    elif ending == "per_row":  # one number per row, (z − t)², averaged over the rows by the batch
        d.add_node("sub", "e")
        d.connect("z", "e", "a")
        d.connect("t", "e", "b")
        d.add_node("square", "L")
        d.connect("e", "L", "x")
    elif ending == "cross_entropy":
        d.add_node("input", "label")
        columns["label"] = rng.integers(0, width, size=n).astype(float)
        d.add_node("cross_entropy", "L")
        d.connect(cur, "L", "pred")
        d.connect("label", "L", "target")
    else:
        d.add_node(ending, "L")
        d.connect("z", "L", "x")
    d.training = {"loss": "L"}


@given(row_wise_graphs())
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_batched_pass_equals_the_mean_over_rows(doc):
    plan = compile_plan(doc)
    columns = doc.dataset_columns()
    rows = {plan.slot[c]: np.asarray(v, dtype=float) for c, v in columns.items() if c in plan.slot}
    params = plan.slots_of("parameter")
    want_loss, want_grads = _mean_over_rows(plan, params, rows)
    loss, grads = _batched(plan, params, rows)
    assert np.isclose(loss, want_loss, rtol=1e-12, atol=1e-12)
    for g, w in zip(grads, want_grads, strict=True):
        assert g.shape == w.shape
        assert np.allclose(g, w, rtol=1e-12, atol=1e-12)


# ----- graphs that do not act row by row: refused, naming the node and why
def _doc(nodes, edges, row_shapes, values=None):
    d = Document(engine.REGISTRY)
    values = values or {}
    for node_id, op, attrs in nodes:
        value = values.get(node_id)
        d.add_node(op, node_id, attrs=attrs or {}, value=value)
    for src, tgt, port in edges:
        d.connect(src, tgt, port)
    d.dataset = {"columns": {name: np.ones((3, *shape)) for name, shape in row_shapes.items()}}
    return d


def _reason(doc: Document) -> str | None:
    plan = compile_plan(doc)
    rows = [plan.slot[c] for c in doc.dataset_columns()]
    fn = plan.batched_train_function(plan.slots_of("parameter"), rows)
    assert isinstance(fn, str) == (row_batching(plan, rows).reason is not None)
    return fn if isinstance(fn, str) else None


def _loss_of(node: str) -> tuple[list, list]:
    return [("L", "mean", None)], [(node, "L", "x")]


def test_transpose_of_rows_falls_back():
    nodes, edges = _loss_of("T")
    doc = _doc(
        [("x", "input", None), ("T", "transpose", None), *nodes], [("x", "T", "x"), *edges], {"x": (2, 2)}
    )
    assert _reason(doc) == "node 'T' (transpose) does not act row by row"


def test_a_sum_along_one_axis_of_rows_falls_back():
    nodes, edges = _loss_of("s")
    doc = _doc(
        [("x", "input", None), ("s", "sum", {"axis": 0}), *nodes], [("x", "s", "x"), *edges], {"x": (2, 2)}
    )
    assert _reason(doc) == "node 's' (sum) does not act row by row"


def test_softmax_along_a_leading_axis_falls_back():
    nodes, edges = _loss_of("sm")
    doc = _doc(
        [("x", "input", None), ("sm", "softmax", {"axis": 0}), *nodes],
        [("x", "sm", "x"), *edges],
        {"x": (3,)},
    )
    assert _reason(doc) == "node 'sm' (softmax) does not act row by row"


def test_rows_of_a_lower_rank_than_the_output_fall_back():
    # x is one number per row, b a 3-vector: x + b is a 3-vector per row, but stacked x (n,) + b (3,)
    # would not line up the rows on axis 0.
    nodes, edges = _loss_of("y")
    doc = _doc(
        [("x", "input", None), ("b", "parameter", None), ("y", "add", None), *nodes],
        [("x", "y", "a"), ("b", "y", "b"), *edges],
        {"x": ()},
        {"b": np.ones(3)},
    )
    assert _reason(doc) == "node 'y' (add) gets rows of shape () on 'a', of a lower rank than its output"


def test_rows_on_the_right_of_a_matmul_fall_back():
    nodes, edges = _loss_of("y")
    doc = _doc(
        [("W", "parameter", None), ("x", "input", None), ("y", "matmul", None), *nodes],
        [("W", "y", "a"), ("x", "y", "b"), *edges],
        {"x": (3,)},
        {"W": np.ones((2, 3))},
    )
    assert _reason(doc) == "node 'y' (matmul) gets rows on 'b': only rows on the left go in one pass"


def test_a_loss_against_a_fixed_target_falls_back():
    doc = _doc(
        [("x", "input", None), ("t", "constant", None), ("L", "mse", None)],
        [("x", "L", "pred"), ("t", "L", "target")],
        {"x": (2,)},
        {"t": np.zeros(2)},
    )
    assert _reason(doc) == "node 'L' (mse) gets rows on some inputs but not on 'target'"


def test_a_reduction_before_the_output_falls_back():
    # square(mean over the rows) is not the mean of the rows' squares.
    doc = _doc(
        [("x", "input", None), ("m", "mean", None), ("L", "square", None)],
        [("x", "m", "x"), ("m", "L", "x")],
        {"x": (2,)},
    )
    assert _reason(doc) == (
        "node 'm' (mean) reduces over the rows but is not the output (what follows would see their mean)"
    )


def test_two_moons_goes_in_one_pass():
    doc = engine.load("examples/11_two_moons.json")
    assert _reason(doc) is None
