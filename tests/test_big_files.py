"""Big files are refused quickly or loaded, never a hang (issue 10, item 3): a 10⁶-node file is refused
before it is parsed; a file over the node limit after parsing, before any node is built."""

from __future__ import annotations

import time

import pytest

import engine
from graph.errors import FileFormatError
from graph.file_format import MAX_EDGES, MAX_NODES, MAX_OBJECTS


def chain_file(tmp_path, n: int):
    """x → neg → neg → … with n nodes, one node and one edge a line."""
    nodes = ['{"id": "x", "op": "input", "value": 1}'] + [
        f'{{"id": "n{i}", "op": "neg"}}' for i in range(1, n)
    ]
    edges = [
        f'{{"source": "{"x" if i == 1 else f"n{i - 1}"}", "target": "n{i}", "port": "x"}}'
        for i in range(1, n)
    ]
    text = (
        '{"format": "backprop-studio-graph", "version": 1,\n"nodes": [\n'
        + ",\n".join(nodes)
        + '],\n"edges": [\n'
        + ",\n".join(edges)
        + "]}\n"
    )
    path = tmp_path / f"chain{n}.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_limits_are_the_documented_ones():
    assert (MAX_NODES, MAX_EDGES, MAX_OBJECTS) == (100_000, 400_000, 1_000_000)


def test_a_million_node_file_is_refused_before_parsing(tmp_path):
    path = chain_file(tmp_path, 1_000_000)
    t0 = time.perf_counter()
    with pytest.raises(FileFormatError, match=r"more than 1,000,000 objects .*at most 100,000 nodes"):
        engine.load(path)
    assert time.perf_counter() - t0 < 2.0  # measured 0.2 s


def test_a_file_over_the_node_limit_is_refused_before_building_nodes(tmp_path):
    path = chain_file(tmp_path, 150_000)  # 300,000 objects: parsed, then refused by its node count
    t0 = time.perf_counter()
    with pytest.raises(FileFormatError, match="150,000 nodes and 149,999 edges: a graph file holds at most"):
        engine.load(path)
    assert time.perf_counter() - t0 < 10.0  # measured 0.9 s


def test_a_small_chain_in_the_same_layout_loads(tmp_path):
    doc = engine.load(chain_file(tmp_path, 50))
    assert len(doc) == 50 and len(doc.edges()) == 49
