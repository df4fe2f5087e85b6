"""Undo and redo keep what a file carries beyond what the program understands: unknown keys on the
top level, nodes, edges, the dataset and training survive every edit and its undo (issue 10, item 7).

The property test runs random edit sequences over every example with unknown keys everywhere: after
each undo the file text is the one before that edit, after each redo the one after it."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from graph.document import Document
from graph.edits import Connect, Disconnect, Edit, History, Macro, MoveNodes, RemoveNode, SetAttr
from graph.errors import GraphError
from graph.file_format import dumps

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.json"))


def with_unknown_keys(path: Path) -> str:
    """The example's text with an unknown key in every object a file may extend."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["x-top"] = {"kept": [1, 2]}
    for i, node in enumerate(data.get("nodes", [])):
        node["x-node"] = f"n{i}"
    for i, edge in enumerate(data.get("edges", [])):
        edge["x-edge"] = {"i": i, "style": "dashed"}
    data.setdefault("dataset", {})["x-dataset"] = True
    data.setdefault("training", {})["x-training"] = "kept"
    return json.dumps(data)


SMALL = """{"format": "backprop-studio-graph", "version": 1,
 "nodes": [{"id": "x", "op": "input", "value": 1}, {"id": "y", "op": "input", "value": 2},
           {"id": "s", "op": "add"}],
 "edges": [{"source": "x", "target": "s", "port": "a", "colour": "red"},
           {"source": "y", "target": "s", "port": "b", "note": {"why": "kept"}}]}"""


@pytest.mark.parametrize(
    "edit",
    [Disconnect("x", "s", "a"), RemoveNode("x"), RemoveNode("s"), Connect("y", "s", "a")],
    ids=["disconnect", "remove-source", "remove-target", "connect-replace"],
)
def test_an_edge_keeps_its_unknown_keys_through_undo_and_redo(edit: Edit) -> None:
    doc = engine.loads(SMALL)
    before = dumps(doc)
    history = History(doc)
    history.push(edit)
    after = dumps(doc)
    history.undo()
    assert dumps(doc) == before
    assert '"colour": "red"' in before and '"why": "kept"' in before
    history.redo()
    assert dumps(doc) == after


def _random_edit(doc: Document, rng: random.Random) -> Edit | None:
    """One edit of a kind that removes or replaces edges, or a harmless one in between."""
    ids = doc.node_ids()
    edges = doc.edges()
    kind = rng.choice(["disconnect", "remove", "connect", "connect", "attr", "move", "macro"])
    if kind == "disconnect" and edges:
        e = rng.choice(edges)
        return Disconnect(e.source, e.target, e.port)
    if kind == "remove" and ids:
        return RemoveNode(rng.choice(ids))
    if kind == "connect" and edges and ids:
        e = rng.choice(edges)  # an occupied port: the new edge replaces the one there
        return Connect(rng.choice(ids), e.target, e.port)
    if kind == "attr" and ids:
        return SetAttr(rng.choice(ids), "x-attr", rng.random())
    if kind == "move" and ids:
        return MoveNodes({rng.choice(ids): (rng.uniform(-50, 50), rng.uniform(-50, 50))})
    if kind == "macro" and len(ids) >= 2:
        return Macro("delete two", [RemoveNode(n) for n in rng.sample(ids, 2)])
    return None


@given(st.sampled_from(EXAMPLES), st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_edits_undo_and_redo_to_the_same_text_with_unknown_keys_everywhere(path: Path, seed: int):
    doc = engine.loads(with_unknown_keys(path))
    rng = random.Random(seed)
    history = History(doc)
    states = [dumps(doc)]
    for _ in range(40):
        edit = _random_edit(doc, rng)
        if edit is None:
            continue
        try:
            history.push(edit)
        except GraphError:  # a cycle or a port the source cannot feed: refused, the document unchanged
            assert dumps(doc) == states[-1]
            continue
        states.append(dumps(doc))
    for expected in reversed(states[:-1]):
        history.undo()
        assert dumps(doc) == expected
    for expected in states[1:]:
        history.redo()
        assert dumps(doc) == expected
