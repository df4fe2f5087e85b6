"""The document: ids, ports, cycles, reversible edits, events."""

from __future__ import annotations

import pytest
from helpers import f_xy

import engine
from graph import events as ev
from graph.document import Document, Edge
from graph.edits import AddNode, Connect, Disconnect, History, Macro, MoveNodes, RemoveNode, SetAttr, SetValue
from graph.errors import (
    CycleError,
    DuplicateIdError,
    InvalidIdError,
    PortOccupiedError,
    UnknownOpError,
    UnknownPortError,
)
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


def test_each_change_emits_one_typed_event():
    d = Document(engine.REGISTRY)
    seen = []
    d.events.subscribe(ev.Event, seen.append)
    d.add_node("input", "x", value=1)
    d.add_node("square", "s")
    d.connect("x", "s", "x")
    d.set_value("x", 2)
    d.set_attr("s", "foo", 1)
    d.unset_attr("s", "foo")
    d.set_label("s", "S")
    d.set_op("x", "parameter")
    d.set_init("x", {"kind": "zeros"})
    d.move("s", (1, 2))
    d.set_description("text")
    d.set_dataset({})
    d.set_training({})
    d.replace_with(Document(engine.REGISTRY))
    assert seen == [
        ev.NodeAdded("x"),
        ev.NodeAdded("s"),
        ev.EdgeAdded(Edge("x", "s", "x")),
        ev.ValueChanged("x"),
        ev.AttrChanged("s", "foo"),
        ev.AttrChanged("s", "foo"),
        ev.LabelChanged("s"),
        ev.OpChanged("x"),
        ev.InitChanged("x"),
        ev.NodeMoved("s"),
        ev.DescriptionChanged(),
        ev.DatasetChanged(),
        ev.TrainingChanged(),
        ev.DocumentReset(),
    ]


def test_removing_a_node_emits_its_edges_removals_first():
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=1)
    d.add_node("square", "s")
    d.connect("x", "s", "x")
    seen = []
    d.events.subscribe(ev.Event, seen.append)
    d.remove_node("x")
    assert seen == [ev.EdgeRemoved(Edge("x", "s", "x")), ev.NodeRemoved("x")]


def test_a_refused_change_emits_nothing():
    d = f_xy()
    seen = []
    d.events.subscribe(ev.Event, seen.append)
    with pytest.raises(PortOccupiedError):
        d.connect("y", "s", "a")
    with pytest.raises(DuplicateIdError):
        d.add_node("input", "x")
    assert seen == []


def test_a_malformed_id_is_invalid_not_a_duplicate():
    d = Document(engine.REGISTRY)
    for bad in ("1x", "a b", "-x", "x" * 65, "é"):
        with pytest.raises(InvalidIdError, match="is not valid") as err:
            d.add_node("input", bad, value=1)
        assert not isinstance(err.value, DuplicateIdError)
    assert len(d) == 0


def test_failed_macro_leaves_the_document_unchanged():
    d = f_xy()
    before = dumps(d)
    with pytest.raises(DuplicateIdError):
        History(d).push(Macro("bad", [AddNode("square", "q"), AddNode("square", "q")]))
    assert dumps(d) == before
