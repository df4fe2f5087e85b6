"""Copy and paste (graph/clipboard.py): a selection as graph-file JSON, pasted with fresh ids."""

from __future__ import annotations

import json

import pytest
from helpers import f_xy

import engine
from graph.clipboard import copy_nodes, paste
from graph.document import Document, Edge
from graph.edits import History
from graph.errors import FileFormatError
from graph.file_format import dumps, loads


def test_copy_takes_the_nodes_and_only_the_edges_between_them():
    d = f_xy()
    d.set_description("not copied")
    d.set_training({"loss": "f"})
    text = copy_nodes(d, ["s", "x", "y"], positions={"x": (1.5, 2.0)})
    part = loads(text, engine.REGISTRY)
    assert part.node_ids() == ["x", "y", "s"]  # document order, not selection order
    assert part.edges() == [Edge("x", "s", "a"), Edge("y", "s", "b")]
    assert part.node("x").position == (1.5, 2.0) and part.node("y").position is None
    assert part.node("x").value == 1.0 and part.node("y").value == 2.0
    data = json.loads(text)
    assert "training" not in data and not data.get("description")


def test_paste_gives_taken_ids_fresh_numbers_and_remaps_the_edges():
    d = f_xy()
    d.add_node("input", "x1", value=0)
    text = copy_nodes(d, ["x", "y", "s"], positions={"x": (0, 0), "y": (0, 100), "s": (300, 50)})
    pasted = paste(d, text, engine.REGISTRY)
    assert pasted is not None
    # x is taken and so is x1: x2; y → y1; s → s1.
    assert pasted.ids == ["x2", "y1", "s1"]
    before = dumps(d)
    History(d).push(pasted.edit)
    assert d.inputs_of("s1") == {"a": "x2", "b": "y1"}
    assert d.node("x2").value == 1.0 and d.node("y1").value == 2.0
    assert d.node("x2").position == (40.0, 40.0) and d.node("s1").position == (340.0, 90.0)
    assert pasted.edit.label == "Paste 3 nodes"
    pasted.edit.revert(d)
    assert dumps(d) == before


def test_a_numbered_id_is_renumbered_from_its_stem():
    d = Document(engine.REGISTRY)
    d.add_node("input", "h2", value=1)
    d.add_node("input", "h1", value=1)
    pasted = paste(d, copy_nodes(d, ["h2"]), engine.REGISTRY)
    assert pasted is not None and pasted.ids == ["h3"]


def test_free_ids_are_kept_and_place_adjusts_the_offset_position():
    source = f_xy()
    text = copy_nodes(source, ["x"], positions={"x": (10.0, 20.0)})
    d = Document(engine.REGISTRY)
    pasted = paste(d, text, engine.REGISTRY, offset=(5.0, 0.0), place=lambda p: (round(p[0], -1), p[1]))
    assert pasted is not None and pasted.ids == ["x"]
    assert len(d) == 0  # nothing happens until the edit is applied
    pasted.edit.apply(d)
    assert d.node("x").position == (20.0, 20.0)  # (10 + 5, 20) placed at 15 → 20 (round half to even)
    assert pasted.edit.label == "Paste 1 node"


def test_nothing_to_paste_and_not_a_graph():
    d = f_xy()
    assert paste(d, copy_nodes(d, []), engine.REGISTRY) is None
    with pytest.raises(FileFormatError):
        paste(d, '{"nodes": 3}', engine.REGISTRY)
