"""Checking an edge before making it (graph.validation.can_connect): the answer is what connecting and
then validating would say about that edge, and the document is neither changed nor copied."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import f_xy, masha_relu

import engine
from graph.document import Document
from graph.errors import (
    CycleError,
    GraphError,
    PortOccupiedError,
    ShapeError,
    UnknownNodeError,
    UnknownPortError,
)
from graph.events import Event
from graph.file_format import dumps, load
from graph.validation import can_connect, find_problems

R = engine.REGISTRY
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _vectors() -> Document:
    """u (3 numbers) → s.a; v (2 numbers) and w (3 numbers) free; q = s² downstream."""
    d = Document(R)
    d.add_node("input", "u", value=[1, 2, 3])
    d.add_node("input", "v", value=[1, 2])
    d.add_node("input", "w", value=[4, 5, 6])
    d.add_node("add", "s")
    d.connect("u", "s", "a")
    d.add_node("square", "q")
    d.connect("s", "q", "x")
    return d


def test_cycles_taken_and_unknown_ports_and_nodes():
    d = f_xy()
    assert isinstance(can_connect(d, R, "f", "s", "a"), CycleError)
    assert isinstance(can_connect(d, R, "s", "s", "a"), CycleError)
    assert isinstance(can_connect(d, R, "y", "s", "q"), UnknownPortError)
    assert isinstance(can_connect(d, R, "nope", "s", "a"), UnknownNodeError)
    already = can_connect(d, R, "x", "s", "a")
    assert isinstance(already, PortOccupiedError) and "x already feeds s.a" in str(already)
    assert can_connect(d, R, "y", "s", "a") is None  # a taken port is replaced


def test_shape_mismatch_on_a_free_port_and_on_a_replaced_one():
    d = _vectors()
    err = can_connect(d, R, "v", "s", "b")  # (3,) + (2,) does not broadcast
    assert isinstance(err, ShapeError) and err.node == "s"
    assert can_connect(d, R, "w", "s", "b") is None  # (3,) + (3,)
    d.connect("w", "s", "b")
    assert isinstance(can_connect(d, R, "v", "s", "a"), ShapeError)  # replacing u by v: (2,) + (3,)
    assert can_connect(d, R, "u", "s", "b") is None  # replacing w by u: (3,) + (3,)


def test_a_shape_mismatch_behind_the_target_is_not_this_edges():
    d = _vectors()
    d.add_node("add", "bad")
    d.connect("u", "bad", "a")
    d.connect("v", "bad", "b")  # bad = (3,) + (2,): the document's own problem
    d.add_node("mul", "m")
    assert can_connect(d, R, "bad", "m", "a") is None


def test_the_document_is_not_changed_and_hears_nothing():
    d = masha_relu()
    before = dumps(d)
    heard = []
    d.events.subscribe(Event, heard.append)
    for source in d.node_ids():
        for target in d.node_ids():
            for port in ("a", "b", "x", "pred", "target", "nope"):
                can_connect(d, R, source, target, port)
    assert dumps(d) == before and heard == []


def _connect_then_validate(doc: Document, source: str, target: str, port: str) -> str | None:
    """The independent answer: make the edge on a copy and validate; an error about this edge is the
    refusal of connect, or a shape problem at the target (a problem elsewhere is not the edge's)."""
    trial = doc.copy()
    try:
        trial.connect(source, target, port, replace=True)
    except GraphError as err:
        return f"{type(err).__name__}: {err}"
    problems, _ = find_problems(trial, R)
    for p in problems:
        if isinstance(p, ShapeError) and p.node == target:
            return f"ShapeError: {p}"
    return None


@pytest.mark.parametrize("name", ["02_masha_relu_regression.json", "09_four_layer_network.json"])
def test_the_answer_equals_connecting_and_validating(name):
    d = load(EXAMPLES / name, R)
    d.add_node("input", "odd", value=[[1, 2, 3]])  # a (1, 3) row to try on every port
    refusals = set()
    for target in d.node_ids():
        op = R.get(d.node(target).op)
        for port in [*op.inputs, "nope"]:
            for source in d.node_ids():
                if d.inputs_of(target).get(port) == source:
                    continue  # "already feeds" is a refusal of its own (nothing to do)
                got = can_connect(d, R, source, target, port)
                expected = _connect_then_validate(d, source, target, port)
                assert (None if got is None else f"{type(got).__name__}: {got}") == expected
                if expected is not None:
                    refusals.add(expected.split(":")[0])
    # Every kind of refusal was exercised, not only the edges that fit.
    assert refusals == {"CycleError", "ShapeError", "UnknownPortError"}
