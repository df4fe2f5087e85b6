"""The stepper: node-by-node forward and backward with numbers derived by hand, exact undo, and
agreement with the one-shot run on random graphs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from helpers import f_xy, masha_relu

import engine
from engine.compile.plan import compile_plan
from engine.ops.registry import ChainProduct, OpDef, Registry
from engine.teach.explanations import explain_current
from engine.teach.grading import Score, answers_match, check, questions
from engine.teach.stepper import BACKWARD, DONE, FORWARD, Stepper
from graph.document import Document, Edge


def E(s: str, t: str, p: str) -> Edge:
    return Edge(s, t, p)


def _val(trace, node):
    v = trace.value_list[trace.plan.slot[node]]
    return None if v is None else float(np.asarray(v).reshape(-1)[0])


# ----------------------------------------------------------------------------- f(x, y), by hand
# f(x, y) = x² + xy + (x + y)² at x = 1, y = 2, built as xx = x·x, xy = x·y, s = x + y, ss = s·s,
# t = xx + xy, f = t + ss.  Forward: xx = 1, xy = 2, s = 3, ss = 9, t = 3, f = 12.
F_FORWARD = [("xx", 1.0), ("xy", 2.0), ("s", 3.0), ("ss", 9.0), ("t", 3.0), ("f", 12.0)]
# Backward, one node at a time (∂f/∂f = 1 to start):
#   f  = t + ss:  t→f.a gets 1·1 = 1,  ss→f.b gets 1·1 = 1
#   t  = xx + xy: xx→t.a gets 1,       xy→t.b gets 1
#   ss = s·s:     s→ss.a gets ∂f/∂ss·s = 3, s→ss.b gets 3   (∂f/∂s = 3 + 3 = 6)
#   s  = x + y:   x→s.a gets 6,        y→s.b gets 6
#   xy = x·y:     x→xy.a gets 1·y = 2, y→xy.b gets 1·x = 1  (∂f/∂y = 6 + 1 = 7)
#   xx = x·x:     x→xx.a gets 1·x = 1, x→xx.b gets 1        (∂f/∂x = 6 + 2 + 1 + 1 = 10)
F_BACKWARD = [
    ("f", {E("t", "f", "a"): 1.0, E("ss", "f", "b"): 1.0}),
    ("t", {E("xx", "t", "a"): 1.0, E("xy", "t", "b"): 1.0}),
    ("ss", {E("s", "ss", "a"): 3.0, E("s", "ss", "b"): 3.0}),
    ("s", {E("x", "s", "a"): 6.0, E("y", "s", "b"): 6.0}),
    ("xy", {E("x", "xy", "a"): 2.0, E("y", "xy", "b"): 1.0}),
    ("xx", {E("x", "xx", "a"): 1.0, E("x", "xx", "b"): 1.0}),
]
# Node gradients after each backward step (nodes not listed are still None).
F_GRADS = [
    {"f": 1.0, "t": 1.0, "ss": 1.0},
    {"f": 1.0, "t": 1.0, "ss": 1.0, "xx": 1.0, "xy": 1.0},
    {"f": 1.0, "t": 1.0, "ss": 1.0, "xx": 1.0, "xy": 1.0, "s": 6.0},
    {"f": 1.0, "t": 1.0, "ss": 1.0, "xx": 1.0, "xy": 1.0, "s": 6.0, "x": 6.0, "y": 6.0},
    {"f": 1.0, "t": 1.0, "ss": 1.0, "xx": 1.0, "xy": 1.0, "s": 6.0, "x": 8.0, "y": 7.0},
    {"f": 1.0, "t": 1.0, "ss": 1.0, "xx": 1.0, "xy": 1.0, "s": 6.0, "x": 10.0, "y": 7.0},
]


def test_f_xy_forward_node_by_node():
    st = Stepper(compile_plan(f_xy()))
    assert st.phase == FORWARD and st.current is None
    for i, (node, _value) in enumerate(F_FORWARD):
        assert st.upcoming == node
        changed = st.step_forward()
        assert st.current == node
        assert node in changed.nodes
        assert all(e.source == node for e in changed.edges)
        tr = st.trace()
        for done, v in F_FORWARD[: i + 1]:
            assert _val(tr, done) == v
        for later, _ in F_FORWARD[i + 1 :]:
            assert tr.value(later) is None
        # Edges already computed carry their source's value; no gradient yet anywhere.
        for e in tr.plan.edges:
            if e.source in ("x", "y") or e.source in [n for n, _ in F_FORWARD[: i + 1]]:
                assert tr.edge_value(e) is not None
            assert tr.edge_grad(e) is None
    assert st.phase == BACKWARD
    assert st.step_forward() is None


def test_f_xy_backward_node_by_node():
    st = Stepper(compile_plan(f_xy()))
    st.run_forward()
    seen: dict[Edge, float] = {}
    for (node, edges), grads in zip(F_BACKWARD, F_GRADS):
        assert st.upcoming == node
        changed = st.step_backward()
        assert st.current == node
        assert set(changed.edges) == set(edges)
        seen.update(edges)
        tr = st.trace()
        for e in tr.plan.edges:
            g = tr.edge_grad(e)
            if e in seen:
                assert float(g) == seen[e], e
            else:
                assert g is None, e  # pending: the canvas dims these
        for n in tr.plan.ids:
            g = tr.grad(n)
            if n in grads:
                assert float(g) == grads[n], n
            else:
                assert g is None, n
    assert st.phase == DONE
    assert st.step_backward() is None


def test_f_xy_contributions_sum_to_gradient():
    st = Stepper(compile_plan(f_xy()))
    st.run_backward()
    ex = explain_current(st)  # the last step: xx = x·x brings x's last two contributions
    assert ex.node == "xx"
    last = ex.products[-1]
    assert last.source == "x" and last.complete and last.expected_count == 4
    assert sorted(float(c) for _, c in last.contributions) == [1.0, 1.0, 2.0, 6.0]
    assert float(last.total) == 10.0
    sums = "6 (via s, port a) + 2 (via xy, port a) + 1 (via xx, port a) + 1 (via xx, port b) = 10"
    assert sums in ex.text()


# ----------------------------------------------------------------------------- ReLU network, by hand
def test_relu_network_stepped():
    # x = (1, 2), W1 = [[1, −1], [0.5, 0]], W2 = (0.5, 1)ᵀ, t = 0, L = (ŷ − t)² (mse, sum).
    # Forward: H = x·W1 = (1·1 + 2·0.5, 1·(−1) + 2·0) = (2, −1); O = ReLU(H) = (2, 0);
    #          ŷ = O·W2 = 2·0.5 + 0·1 = 1; L = (1 − 0)² = 1.
    # Backward: ∂L/∂ŷ = 2(ŷ − t) = 2; ∂L/∂W2 = Oᵀ·2 = (4, 0)ᵀ; ∂L/∂O = 2·W2ᵀ = (1, 2);
    #          ∂L/∂H = (1, 2) ⊙ [H > 0] = (1, 2) ⊙ (1, 0) = (1, 0);
    #          ∂L/∂W1 = xᵀ·∂L/∂H = (1, 2)ᵀ·(1, 0) = [[1·1, 1·0], [2·1, 2·0]] = [[1, 0], [2, 0]].
    # Update with η = 1: W1 − ∂L/∂W1 = [[0, −1], [−1.5, 0]]; W2 − ∂L/∂W2 = (0.5 − 4, 1 − 0)ᵀ = (−3.5, 1)ᵀ.
    st = Stepper(compile_plan(masha_relu()))
    st.step_forward()
    assert st.trace().value("H").tolist() == [2.0, -1.0]
    st.step_forward()
    assert st.trace().value("O").tolist() == [2.0, 0.0]
    st.step_forward()
    assert st.trace().value("yhat").tolist() == [1.0]
    st.step_forward()
    assert st.trace().loss == 1.0
    st.step_backward()
    assert st.trace().grad("yhat").tolist() == [2.0]
    st.step_backward()
    tr = st.trace()
    assert tr.grad("W2").tolist() == [[4.0], [0.0]]
    assert tr.grad("O").tolist() == [1.0, 2.0]
    assert tr.grad("W1") is None
    st.step_backward()
    assert st.trace().grad("H").tolist() == [1.0, 0.0]
    st.step_backward()
    assert st.trace().grad("W1").tolist() == [[1.0, 0.0], [2.0, 0.0]]
    new = st.apply_update(1.0)
    assert new["W1"].tolist() == [[0.0, -1.0], [-1.5, 0.0]]
    assert new["W2"].tolist() == [[-3.5], [1.0]]
    text = explain_current(st).text()
    assert "W1 ← W1 − η · ∂L/∂W1 = [[1, -1], [0.5, 0]] − 1 · [[1, 0], [2, 0]] = [[0, -1], [-1.5, 0]]" in text
    assert "(0.5, 1)ᵀ − 1 · (4, 0)ᵀ = (-3.5, 1)ᵀ" in text


def test_relu_network_explanations():
    st = Stepper(compile_plan(masha_relu()))
    st.step_forward()
    ex = explain_current(st)
    assert ex.node == "H" and ex.op == "matmul"
    assert "H = x · W1" in ex.text()
    assert "H = (1, 2) · [[1, -1], [0.5, 0]] = (2, -1)" in ex.text()
    st.run_forward()
    st.step_backward()
    st.step_backward()
    text = explain_current(st).text()
    assert "∂L/∂W2 = Oᵀ · ∂L/∂ŷ = (2, 0)ᵀ · 2 = (4, 0)ᵀ" in text
    assert "∂L/∂O = ∂L/∂ŷ · W2ᵀ = 2 · (0.5, 1) = (1, 2)" in text
    st.step_backward()
    ex = explain_current(st)
    assert ex.op == "relu"
    text = ex.text()
    assert "ReLU'" in text  # the op's local derivative, named
    assert "∂L/∂H = ∂L/∂O ⊙ ∂O/∂H = (1, 2) ⊙ (1, 0) = (1, 0)" in text
    html = ex.html()
    assert "<table" in html and "ReLU" in html
    md = ex.markdown()
    assert r"\odot" in md


def test_html_shows_matrices_as_tables_with_shapes():
    st = Stepper(compile_plan(masha_relu()))
    st.run_backward()
    html = explain_current(st).html()
    assert "<table" in html and "2×2" in html


# ----------------------------------------------------------------------------- exact undo
def _snapshot(st: Stepper):
    return (list(st.values), list(st.grads), list(st.edge_grads), st.forward_done, st.backward_done)


@pytest.mark.parametrize("build", [f_xy, masha_relu])
def test_undo_step_restores_exactly(build):
    st = Stepper(compile_plan(build()))
    snaps = [_snapshot(st)]
    while st.phase != DONE:
        (st.step_forward if st.phase == FORWARD else st.step_backward)()
        snaps.append(_snapshot(st))
    for snap in reversed(snaps[:-1]):
        assert st.undo_step() is not None
        now = _snapshot(st)
        for a, b in zip(now[:3], snap[:3]):
            assert all(x is y for x, y in zip(a, b))  # the very same objects, not just equal ones
        assert now[3:] == snap[3:]
    assert st.undo_step() is None
    assert st.at_start


def test_reset_and_progress():
    st = Stepper(compile_plan(masha_relu()))
    assert st.progress() == (0, 8)
    st.run_backward()
    assert st.progress() == (8, 8)
    st.reset()
    assert st.progress() == (0, 8) and st.phase == FORWARD
    assert st.trace().value("H") is None


# ----------------------------------------------------------------------------- same as run()
UNARY = ["neg", "square", "exp", "sigmoid", "tanh", "relu", "softplus"]
BINARY = ["add", "sub", "mul"]


def random_doc(seed: int) -> Document:
    rng = np.random.default_rng(seed)
    d = Document(engine.REGISTRY)
    shape = [(), (3,), (2, 2)][seed % 3]
    ids = []
    for i in range(int(rng.integers(1, 4))):
        op = ["input", "parameter", "constant"][int(rng.integers(3))]
        d.add_node(op, f"leaf{i}", value=rng.uniform(-1, 1, size=shape))
        ids.append(f"leaf{i}")
    for i in range(int(rng.integers(2, 10))):
        if rng.random() < 0.5:
            d.add_node(UNARY[int(rng.integers(len(UNARY)))], f"u{i}")
            d.connect(ids[int(rng.integers(len(ids)))], f"u{i}", "x")
            ids.append(f"u{i}")
        else:
            d.add_node(BINARY[int(rng.integers(len(BINARY)))], f"b{i}")
            d.connect(ids[int(rng.integers(len(ids)))], f"b{i}", "a")
            d.connect(ids[int(rng.integers(len(ids)))], f"b{i}", "b")
            ids.append(f"b{i}")
    d.add_node("sum", "out")
    d.connect(ids[-1], "out", "x")
    d.training = {"loss": "out"}
    return d


@pytest.mark.parametrize("seed", range(40))
def test_stepped_equals_run_bit_for_bit(seed):
    plan = compile_plan(random_doc(seed))
    fast = plan.run(check=False)
    st = Stepper(plan)
    rng = np.random.default_rng(seed)
    # Wander: random steps forward and back, then finish.
    for _ in range(30):
        move = rng.integers(3)
        if move == 0:
            st.undo_step()
        elif move == 1:
            st.step_forward()
        else:
            st.step_backward()
    st.run_backward()
    slow = st.trace()
    for a, b in zip(fast.value_list + fast.grad_list + fast.edge_grad_list,
                    slow.value_list + slow.grad_list + slow.edge_grad_list, strict=True):
        assert np.array_equal(a, b)


# ----------------------------------------------------------------------------- check my answer
def test_check_answers_and_score():
    st = Stepper(compile_plan(masha_relu()))
    score = Score()
    qs = questions(st)
    assert [q.key for q in qs] == ["value:H"]
    v = check(st, "value:H", "2 -1", score=score)
    assert v.ok and "right" in v.message
    v = check(st, "value:H", "2 1", score=score)
    assert not v.ok and "(2, -1)" in v.message
    v = check(st, "value:H", "2.0004, -1", tol=1e-3, score=score)
    assert v.ok
    v = check(st, "value:H", "nonsense", score=score)
    assert not v.ok and v.given is None  # an unreadable answer is not counted
    assert score.right == 2 and score.wrong == 1
    st.run_forward()
    st.step_backward()
    keys = [q.key for q in questions(st)]
    assert "edge:W2>yhat.b" in keys and "edge:O>yhat.a" in keys
    assert check(st, "edge:W2>yhat.b", "4; 0", score=score).ok
    assert check(st, "edge:W2>yhat.b", [[4.0], [0.0]], score=score).ok
    assert score.right == 4
    # A session's score outlives the stepper: the panel makes a new one after every edit.
    fresh = Stepper(compile_plan(masha_relu()))
    assert not check(fresh, "value:H", "0 0", score=score).ok
    assert "4 right, 2 wrong" in score.summary()
    st.reset()
    with pytest.raises(KeyError):
        check(st, "edge:W2>yhat.b", "4 0", score=score)


def test_total_gradient_question_when_sum_completes():
    st = Stepper(compile_plan(f_xy()))
    st.run_forward()
    for _ in range(5):
        st.step_backward()
    keys = {q.key: q for q in questions(st)}
    assert float(keys["grad:x"].expected) == 10.0


def test_answers_match_tolerance():
    assert answers_match(np.array([1.0]), np.array(1.0005), 1e-3)
    assert not answers_match(np.array([1.0]), np.array(1.01), 1e-3)
    assert not answers_match(np.array([1.0, 2.0]), np.array(1.0), 1e-3)


# ----------------------------------------------------------------------------- the op record decides
def _relu_net_with(product: OpDef) -> tuple[Document, Registry]:
    """The ReLU network above, its second product made by `product` in a registry that has it."""
    registry = Registry()
    for op in engine.REGISTRY:
        registry.register(op)
    registry.register(product)
    d = masha_relu()
    d.ops = registry
    d.set_op("yhat", product.id)
    return d, registry


@pytest.mark.parametrize("chain_rule", [True, False])
def test_chain_rule_product_comes_from_the_op_record(chain_rule):
    # A copy of matmul under another id: the stepper writes ∂L/∂W2 = Oᵀ · ∂L/∂ŷ (numbers as in
    # test_relu_network_explanations) because the record says so, not because the op is called matmul.
    # Without the field, ŷ being a scalar, it is ∂L/∂ŷ times the local derivative ∂ŷ/∂W2 = Oᵀ = (2, 0)ᵀ.
    mm = engine.REGISTRY["matmul"]
    product = dataclasses.replace(mm, id="my_product", chain_rule=mm.chain_rule if chain_rule else None)
    doc, registry = _relu_net_with(product)
    st = Stepper(compile_plan(doc, registry))
    st.run_forward()
    st.step_backward()
    st.step_backward()
    text = explain_current(st).text()
    if chain_rule:
        assert "∂L/∂W2 = Oᵀ · ∂L/∂ŷ = (2, 0)ᵀ · 2 = (4, 0)ᵀ" in text
        assert "∂L/∂O = ∂L/∂ŷ · W2ᵀ = 2 · (0.5, 1) = (1, 2)" in text
    else:
        assert "∂L/∂W2 = ∂L/∂ŷ · ∂ŷ/∂W2 = 2 · (2, 0)ᵀ = (4, 0)ᵀ" in text


def test_a_chain_rule_must_fit_the_ports():
    mm = engine.REGISTRY["matmul"]
    with pytest.raises(ValueError, match="chain_rule"):
        dataclasses.replace(mm, id="bad", chain_rule=mm.chain_rule[:1])
    with pytest.raises(ValueError, match="chain_rule"):
        dataclasses.replace(mm, id="bad", chain_rule=(ChainProduct("b", "right"), ChainProduct("c", "left")))
