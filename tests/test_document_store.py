"""The document's own graph store, and networkx only on demand.

The document keeps its nodes and edges in plain dicts; ``doc.g`` is a networkx MultiDiGraph over the
same dicts, made when first asked for. The expected results come from networkx itself (an independent
implementation of the same queries) and from hand-built graphs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from graph.document import Document, Edge

ROOT = Path(__file__).resolve().parent.parent


def _chain() -> Document:
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=1.0)
    d.add_node("mul", "m")
    d.connect("x", "m", "a")
    d.connect("x", "m", "b")  # the same source on two ports: two edges
    d.add_node("tanh", "t")
    d.connect("m", "t", "x")
    return d


def test_doc_g_sees_the_document_and_the_document_sees_doc_g():
    d = _chain()
    g = d.g
    assert list(g.nodes) == ["x", "m", "t"]
    assert sorted(g.edges(keys=True)) == [("m", "t", "x"), ("x", "m", "a"), ("x", "m", "b")]
    assert g.nodes["m"]["node"] is d.node("m")
    d.add_node("neg", "n")  # made by the document after g: g has it
    d.connect("t", "n", "x")
    assert ("t", "n", "x") in g.edges(keys=True) and nx.ancestors(g, "n") == {"x", "m", "t"}
    d.disconnect("x", "m", "b")
    assert g.number_of_edges("x", "m") == 1
    g.add_edge("n", "x", key="extra")  # made through networkx (as a broken file might hold): in the doc
    assert d.inputs_of("x") == {"extra": "n"} and d.consumers_of("n") == [Edge("n", "x", "extra")]
    assert d.g is g


def test_networkx_is_imported_only_when_doc_g_is_asked_for():
    code = (
        "import sys; from graph.document import Document; d = Document(); "
        "d.add_node('input', 'x', value=1.0); d.add_node('mul', 'm'); d.connect('x', 'm', 'a'); "
        "d.connect('x', 'm', 'b'); d.edges(); d.sinks(); d.topological_order(); d.cycle_through('m', 'x'); "
        "d.copy(); n, edges = d.remove_node('m'); d.insert_node(n, 0); "
        "print('networkx' in sys.modules, end=' '); d.g; print('networkx' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["False", "True"]


@st.composite
def dags(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    d = Document(engine.REGISTRY)
    ids = []
    for i in range(draw(st.integers(1, 25))):
        if not ids or rng.random() < 0.3:
            d.add_node("input", f"n{i}", value=1.0)
        else:
            d.add_node("add", f"n{i}")
            d.connect(ids[rng.integers(len(ids))], f"n{i}", "a")
            d.connect(ids[rng.integers(len(ids))], f"n{i}", "b")
        ids.append(f"n{i}")
    order = rng.permutation(len(ids))  # removals and undos reorder nothing else
    for k in order[: draw(st.integers(0, 3))]:
        node, edges = d.remove_node(ids[k])
        index = int(rng.integers(len(d) + 1))
        d.insert_node(node, index)
        for e, extra in edges:
            d.connect(e.source, e.target, e.port, extra=extra)
    return d


@given(dags())
@settings(max_examples=60, deadline=None)
def test_the_store_answers_as_networkx_does(d):
    g = nx.MultiDiGraph()
    for n in d.node_ids():
        g.add_node(n)
    for s, t, k in d.raw_edges():
        g.add_edge(s, t, key=k)
    assert d.topological_order() == list(nx.topological_sort(g))
    assert d.sinks() == [n for n in g if g.out_degree(n) == 0 and not d.node(n).is_leaf]
    for n in g:
        assert d.inputs_of(n) == {k: s for s, _, k in g.in_edges(n, keys=True)}
        assert d.successors(n) == list(g.successors(n)) and set(d.predecessors(n)) == set(g.predecessors(n))
        among = nx.ancestors(g, n) | {n}
        # (networkx orders a small subgraph's nodes by its set's hashing; the document by node order)
        order = d.topological_order(among)
        place = {m: i for i, m in enumerate(order)}
        assert set(order) == among and len(order) == len(among)
        assert all(place[a] < place[b] for a, b, _ in g.subgraph(among).edges(keys=True))
    last = d.node_ids()[-1]
    for first in d.node_ids():
        path = d.cycle_through(last, first)  # an edge last → first would close a cycle along path
        assert (path != []) == (first == last or nx.has_path(g, first, last))
        assert all(g.has_edge(a, b) for a, b in zip(path, path[1:]))


def test_a_copy_and_a_replacement_keep_nodes_edges_and_extra_keys():
    d = _chain()
    d.disconnect("m", "t", "x")
    d.connect("m", "t", "x", extra={"note": [1, 2]})
    c = d.copy()
    assert c.edges() == d.edges() and c.edge_extra(Edge("m", "t", "x")) == {"note": [1, 2]}
    c.node("x").value[...] = 5.0
    assert float(d.node("x").value) == 1.0
    e = Document(engine.REGISTRY)
    e.replace_with(c)
    assert e.node_ids() == ["x", "m", "t"] and e.edges() == d.edges()


def test_main_run_validates_compiles_and_runs_without_networkx():
    """Start-up (issue 9): `main.py run` checks the graph (problems, cycles, shapes) on the document's own
    tables; networkx is for the window's structural questions only."""
    code = (
        "import sys, runpy; sys.argv = ['main.py', 'run', 'examples/01_computation_graph.json'];"
        "import main; main.main(sys.argv[1:]); print('networkx' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.split()[-1] == "False"
