"""Big graphs: the cycle check walks each edge once (the timings are in bench/bench_scaling.py)."""

from __future__ import annotations

import networkx as nx
import pytest

import engine
from graph.document import Document
from graph.errors import CycleError
from graph.validation import find_cycle, validate


def _chain(n: int) -> Document:
    d = Document(engine.REGISTRY)
    d.add_node("parameter", "p", value=0.5)
    prev = "p"
    for i in range(n):
        d.add_node("tanh", f"t{i}")
        d.connect(prev, f"t{i}", "x")
        prev = f"t{i}"
    return d


def test_find_cycle_names_the_loop_in_order():
    g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "b")])
    cycle = find_cycle(g)
    # The loop b → c → d → b, starting anywhere on it; a is not on it.
    start = cycle.index("b")
    assert cycle[start:] + cycle[:start] == ["b", "c", "d"]


def test_find_cycle_finds_a_self_loop_and_none_in_a_dag():
    assert find_cycle(nx.MultiDiGraph([("a", "a")])) == ["a"]
    assert find_cycle(nx.MultiDiGraph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")])) == []


def test_validation_reports_a_cycle_made_behind_the_documents_back():
    d = _chain(3)
    d.g.add_edge("t2", "t0", key="x")  # the document refuses this edge; a file or a bug might not
    with pytest.raises(CycleError) as err:
        validate(d, engine.REGISTRY)
    assert set(err.value.args[0].split(": ")[1].split(" → ")) == {"t0", "t1", "t2"}


def test_find_cycle_has_no_recursion_limit():
    # A 20,000-edge path then a back edge: an iterative walk, not recursion, finds the 20,000-node loop.
    n = 20_000
    g = nx.MultiDiGraph([(i, i + 1) for i in range(n)] + [(n, 0)])
    assert len(find_cycle(g)) == n + 1
