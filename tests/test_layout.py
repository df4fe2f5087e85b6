"""The automatic layout (graph/layout.py): columns by topological generation, leaves next to their first
consumer, columns ordered by the predecessors' rows and centred. Expected positions worked out by hand."""

from __future__ import annotations

import engine
from graph.document import Document
from graph.file_format import dumps
from graph.layout import layout_positions

COL, ROW = 100.0, 10.0


def _doc(nodes: list[tuple[str, str]], edges: list[tuple[str, str, str]]) -> Document:
    d = Document(engine.REGISTRY)
    for node_id, op in nodes:
        d.add_node(op, node_id, value=1.0 if op in ("input", "parameter", "constant") else None)
    for source, target, port in edges:
        d.connect(source, target, port)
    return d


def test_columns_by_generation_rows_centred():
    # x, w → m = x·w → q = m²: columns [x, w], [m], [q]; two rows centred at ±½, one at 0.
    d = _doc(
        [("x", "input"), ("w", "parameter"), ("m", "mul"), ("q", "square")],
        [("x", "m", "a"), ("w", "m", "b"), ("m", "q", "x")],
    )
    assert layout_positions(d, COL, ROW) == {
        "x": (0.0, -5.0),
        "w": (0.0, 5.0),
        "m": (100.0, 0.0),
        "q": (200.0, 0.0),
    }


def test_a_leaf_sits_one_column_before_its_first_consumer():
    # a → b → c → d(y) and the leaf e → d(b): e is generation 0 but goes to column 3 − 1 = 2.
    d = _doc(
        [("a", "input"), ("b", "square"), ("c", "square"), ("d", "add"), ("e", "input")],
        [("a", "b", "x"), ("b", "c", "x"), ("c", "d", "a"), ("e", "d", "b")],
    )
    positions = layout_positions(d, COL, ROW)
    assert positions["e"] == (200.0, 5.0)  # column 2 holds c (row −½) and e (row ½), in node order
    assert positions["c"] == (200.0, -5.0)
    assert positions["a"] == (0.0, 0.0) and positions["d"] == (300.0, 0.0)


def test_a_column_is_ordered_by_its_predecessors_rows():
    # Column 0: a (row −½), b (row ½). p = b², r = a²: p comes first in node order, but r's predecessor
    # is higher up, so r gets the upper row and the edges do not cross.
    d = _doc(
        [("a", "input"), ("b", "input"), ("p", "square"), ("r", "square")],
        [("b", "p", "x"), ("a", "r", "x")],
    )
    positions = layout_positions(d, COL, ROW)
    assert positions["r"] == (100.0, -5.0)
    assert positions["p"] == (100.0, 5.0)


def test_a_graph_with_a_cycle_goes_in_a_grid_of_four_columns():
    d = _doc([(f"n{i}", "square") for i in range(6)], [])
    d.g.add_edge("n0", "n1", key="x")  # a cycle that connect() would refuse, as a broken file may hold
    d.g.add_edge("n1", "n0", key="x")
    assert layout_positions(d, COL, ROW) == {
        "n0": (0.0, 0.0),
        "n1": (100.0, 0.0),
        "n2": (200.0, 0.0),
        "n3": (300.0, 0.0),
        "n4": (0.0, 10.0),
        "n5": (100.0, 10.0),
    }


def test_the_layout_changes_nothing_in_the_document():
    d = _doc([("x", "input"), ("q", "square")], [("x", "q", "x")])
    before = dumps(d)
    layout_positions(d, COL, ROW)
    assert dumps(d) == before
    assert all(n.position is None for n in d.nodes())
    assert layout_positions(Document(engine.REGISTRY), COL, ROW) == {}
