"""The document's typed events: delivery by kind (and base kind), unsubscribe, order."""

from __future__ import annotations

import dataclasses

import pytest

import engine
from graph.document import Document, Edge
from graph.events import (
    EdgeAdded,
    Event,
    Events,
    LabelChanged,
    NodeAdded,
    NodeEvent,
    NodeRemoved,
    ValueChanged,
)


def test_a_handler_gets_only_its_kind():
    events = Events()
    added, removed = [], []
    events.subscribe(NodeAdded, added.append)
    events.subscribe(NodeRemoved, removed.append)
    events.emit(NodeAdded("x"))
    events.emit(EdgeAdded(Edge("x", "y", "a")))
    events.emit(NodeRemoved("x"))
    events.emit(NodeAdded("y"))
    assert added == [NodeAdded("x"), NodeAdded("y")]
    assert removed == [NodeRemoved("x")]


def test_a_base_kind_gets_every_kind_under_it():
    events = Events()
    node_events, everything = [], []
    events.subscribe(NodeEvent, node_events.append)
    events.subscribe(Event, everything.append)
    sequence = [NodeAdded("x"), EdgeAdded(Edge("x", "y", "a")), ValueChanged("x"), LabelChanged("y")]
    for e in sequence:
        events.emit(e)
    assert node_events == [NodeAdded("x"), ValueChanged("x"), LabelChanged("y")]
    assert everything == sequence


def test_handlers_run_in_subscription_order_across_kinds():
    events = Events()
    calls = []
    events.subscribe(NodeAdded, lambda e: calls.append("first"))
    events.subscribe(Event, lambda e: calls.append("all"))
    events.subscribe(NodeEvent, lambda e: calls.append("node"))
    events.subscribe(NodeAdded, lambda e: calls.append("last"))
    events.emit(NodeAdded("x"))
    assert calls == ["first", "all", "node", "last"]
    calls.clear()
    events.emit(ValueChanged("x"))
    assert calls == ["all", "node"]


def test_unsubscribe_stops_one_subscription_only():
    events = Events()
    seen = []
    events.subscribe(NodeAdded, seen.append)
    events.subscribe(NodeRemoved, seen.append)
    events.unsubscribe(NodeAdded, seen.append)
    events.emit(NodeAdded("x"))
    events.emit(NodeRemoved("x"))
    assert seen == [NodeRemoved("x")]
    with pytest.raises(ValueError):
        events.unsubscribe(NodeAdded, seen.append)


def test_a_handler_may_unsubscribe_while_an_event_is_delivered():
    events = Events()
    calls = []

    def once(event: Event) -> None:
        calls.append("once")
        events.unsubscribe(Event, once)

    events.subscribe(Event, once)
    events.subscribe(Event, lambda e: calls.append("always"))
    events.emit(NodeAdded("x"))
    events.emit(NodeAdded("y"))
    assert calls == ["once", "always", "always"]


def test_events_are_values():
    assert NodeAdded("x") == NodeAdded("x")
    assert NodeAdded("x") != NodeRemoved("x")  # same field, another kind
    assert len({ValueChanged("x"), ValueChanged("x")}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        NodeAdded("x").node = "y"  # type: ignore[misc]


def test_a_handler_sees_the_document_after_the_change():
    d = Document(engine.REGISTRY)
    seen = []
    d.events.subscribe(NodeAdded, lambda e: seen.append((e.node, e.node in d, d.node(e.node).value)))
    d.events.subscribe(NodeRemoved, lambda e: seen.append((e.node, e.node in d)))
    d.add_node("input", "x", value=3)
    d.remove_node("x")
    assert seen == [("x", True, 3.0), ("x", False)]
