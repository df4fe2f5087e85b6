"""Validation in one linear pass (graph/validation.py): on random graphs — broken ones too (unknown
ops and ports, open ports, leaves without values, bad attributes, shapes that do not fit, cycles) — it
reports what a straightforward check built on networkx reports, in the same order, with the same shapes.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from graph.document import Document
from graph.errors import CycleError, GraphError, ShapeError
from graph.validation import can_connect, find_problems, infer_shapes, node_shape, topological_order

R = engine.REGISTRY
LEAVES = ["parameter", "constant", "input"]
INNER = ["tanh", "add", "mul", "matmul", "sum", "leaky_relu", "no_such_op"]
SHAPES = [(), (2,), (3,), (2, 3), (3, 2)]


def reference(doc: Document) -> tuple[list[tuple], dict]:
    """The problems as (kind, node, port) and the shapes, checked node by node with networkx."""
    problems: list[tuple] = []
    known = set()
    for node in doc.nodes():
        op = R.get(node.op)
        if op is None:
            problems.append(("UnknownOpError", node.id, None))
            continue
        known.add(node.id)
        try:
            op.resolve_attrs(node.attrs)
        except ValueError:
            problems.append(("AttrError", node.id, None))
        inputs = doc.inputs_of(node.id)
        problems += [("UnknownPortError", node.id, p) for p in inputs if p not in op.inputs]
        problems += [("MissingInputError", node.id, p) for p in op.inputs if p not in inputs]
        if op.is_leaf and node.value is None and node.id not in doc.dataset_columns():
            problems.append(("LeafValueError", node.id, None))
    if not nx.is_directed_acyclic_graph(doc.g):
        return [*problems, ("CycleError", None, None)], {}
    shapes: dict = {}
    for node_id in nx.topological_sort(doc.g):
        if node_id not in known:
            continue
        try:
            shape = node_shape(doc, R, node_id, doc.inputs_of(node_id), shapes)
        except ShapeError as err:
            problems.append((type(err).__name__, err.node, err.port))
            continue
        if shape is not None:
            shapes[node_id] = shape
    return problems, shapes


def summary(problems: list[GraphError]) -> list[tuple]:
    return [(type(p).__name__, None if isinstance(p, CycleError) else p.node, p.port) for p in problems]


@st.composite
def messy_graphs(draw) -> Document:
    """Nodes of known and unknown ops; edges drawn at random, into declared ports and others, made
    behind the document's back (so that cycles and unknown ports happen too)."""
    doc = Document(None)  # no catalogue: unknown ops and bad attributes are let in, for validation to find
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(1, 14))
    for i in range(n):
        if i < 2 or draw(st.integers(0, 3)) == 0:
            op = draw(st.sampled_from(LEAVES))
            shape = draw(st.sampled_from(SHAPES))
            value = None if draw(st.integers(0, 5)) == 0 else rng.uniform(-1, 1, shape)
            doc.add_node(op, f"n{i}", value=value)
        else:
            attrs = {"alpha": "x"} if draw(st.integers(0, 9)) == 0 else {}
            doc.add_node(draw(st.sampled_from(INNER)), f"n{i}", attrs=attrs)
    backwards = draw(st.booleans())  # edges may then point from later nodes to earlier ones: cycles
    for i in range(2, n):
        for port in ("x", "a", "b", "q"):
            if draw(st.integers(0, 2)) == 0:
                continue
            source = draw(st.integers(0, n - 1 if backwards else i - 1))
            doc.g.add_edge(f"n{source}", f"n{i}", key=port)
    return doc


@given(messy_graphs())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_find_problems_matches_a_node_by_node_check(doc):
    problems, shapes = find_problems(doc, R)
    expected_problems, expected_shapes = reference(doc)
    assert summary(problems) == expected_problems
    assert list(shapes.items()) == list(expected_shapes.items())


@given(messy_graphs())
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_topological_order_is_networkx_order_on_dags_and_stops_at_cycles(doc):
    order = topological_order(doc)
    if nx.is_directed_acyclic_graph(doc.g):
        assert order == list(nx.topological_sort(doc.g))
    else:
        # What remains once the order's nodes are taken away has no node without a predecessor left.
        rest = doc.g.subgraph(set(doc.g) - set(order))
        assert len(rest) > 0
        assert all(rest.in_degree(n) > 0 for n in rest)
    assert len(order) == len(set(order))


@given(messy_graphs(), st.data())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_shapes_of_an_upstream_part_agree_with_the_whole(doc, data):
    if not nx.is_directed_acyclic_graph(doc.g):
        return
    top = data.draw(st.sampled_from(list(doc.g)))
    among = {top} | nx.ancestors(doc.g, top)
    known = {n for n in doc.g if R.get(doc.node(n).op) is not None}
    _, whole = find_problems(doc, R)
    part = infer_shapes(doc, R, known & among, [], among=among)
    assert part == {n: s for n, s in whole.items() if n in among}


def test_can_connect_still_refuses_shapes_that_do_not_fit():
    doc = Document(R)
    doc.add_node("parameter", "w", value=np.ones((2, 3)))
    doc.add_node("parameter", "x", value=np.ones((2,)))
    doc.add_node("parameter", "y", value=np.ones((3,)))
    doc.add_node("matmul", "m")
    doc.connect("w", "m", "a")
    assert isinstance(can_connect(doc, R, "x", "m", "b"), ShapeError)  # (2, 3) @ (2,)
    assert can_connect(doc, R, "y", "m", "b") is None  # (2, 3) @ (3,)
