"""The document: ids, ports, cycles, reversible edits, events."""

from __future__ import annotations

import pytest
from helpers import f_xy

import engine
from graph.document import Document
from graph.edits import AddNode, Connect, Disconnect, History, Macro, MoveNodes, RemoveNode, SetAttr, SetValue
from graph.errors import CycleError, DuplicateIdError, PortOccupiedError, UnknownOpError, UnknownPortError
from graph.file_format import dumps


def test_duplicate_id_and_unknown_op_are_refused():
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=1)
    with pytest.raises(DuplicateIdError, match="'x'"):
        d.add_node("input", "x", value=2)
    with pytest.raises(UnknownOpError, match="'frobnicate'"):
        d.add_node("frobnicate", "z")
    assert d.node_ids() == ["x"]


def test_cycle_is_refused_and_named():
    d = f_xy()
    with pytest.raises(CycleError) as err:
        d.connect("f", "s", "a", replace=True)
    assert "s → t → f → s" in str(err.value) or "s → ss → f → s" in str(err.value)
    assert ("f", "s", "a") not in d.g.edges(keys=True)


def test_port_taken_and_unknown_port():
    d = f_xy()
    with pytest.raises(PortOccupiedError, match="already fed by 'x'"):
        d.connect("y", "s", "a")
    with pytest.raises(UnknownPortError, match="no input port 'q'"):
        d.connect("y", "s", "q")


def test_connect_with_replace_can_be_undone():
    d = f_xy()
    before = dumps(d)
    h = History(d)
    h.push(Connect("y", "s", "a"))
    assert d.inputs_of("s") == {"a": "y", "b": "y"}
    h.undo()
    assert dumps(d) == before


def test_every_edit_reverts_to_the_same_file_text():
    d = f_xy()
    h = History(d)
    states = [dumps(d)]
    edits = [
        AddNode("square", "q", position=(10, 20)),
        Connect("f", "q", "x"),
        SetValue("x", [[1, 2], [3, 4]]),
        SetValue("x", 5),
        SetAttr("q", "foo", 1),
        MoveNodes({"x": (1.5, 2.5), "y": (3, 4)}),
        Disconnect("x", "xy", "a"),
        RemoveNode("s"),
        Macro("two", [RemoveNode("xx"), RemoveNode("t")]),
    ]
    for e in edits:
        h.push(e)
        states.append(dumps(d))
    for expected in reversed(states[:-1]):
        h.undo()
        assert dumps(d) == expected
    for expected in states[1:]:
        h.redo()
        assert dumps(d) == expected


def test_events_are_emitted_past_tense():
    d = Document(engine.REGISTRY)
    seen = []
    d.subscribe(lambda event, payload: seen.append(event))
    d.add_node("input", "x", value=1)
    d.add_node("square", "s")
    d.connect("x", "s", "x")
    d.set_value("x", 2)
    d.remove_node("x")
    assert seen == ["node_added", "node_added", "edge_added", "value_changed", "edge_removed", "node_removed"]


def test_failed_macro_leaves_the_document_unchanged():
    d = f_xy()
    before = dumps(d)
    with pytest.raises(DuplicateIdError):
        History(d).push(Macro("bad", [AddNode("square", "q"), AddNode("square", "q")]))
    assert dumps(d) == before
