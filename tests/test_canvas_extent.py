"""The box around the canvas's nodes is kept as nodes come, move and go (gui/canvas/extent.py): after
any sequence of changes it equals a fresh scan of the boxes, on its own and on the canvas."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gui.canvas.extent import Extent

coord = st.integers(-500, 500).map(float)
changes = st.lists(
    st.tuples(st.sampled_from(["put", "discard"]), st.integers(0, 7), coord, coord, st.integers(1, 60)),
    max_size=120,
)


def scan(boxes: dict) -> tuple | None:
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes.values()),
        min(b[1] for b in boxes.values()),
        max(b[2] for b in boxes.values()),
        max(b[3] for b in boxes.values()),
    )


@given(changes)
@settings(max_examples=300, deadline=None)
def test_extent_equals_a_scan_after_any_changes(steps):
    extent, boxes = Extent(), {}
    for kind, key, x, y, size in steps:
        if kind == "put":
            box = (x, y, x + size, y + size / 2)
            extent.put(key, box)
            boxes[key] = box
        else:
            extent.discard(key)
            boxes.pop(key, None)
        assert extent.bounds() == scan(boxes)
        assert len(extent) == len(boxes)


def test_extent_stays_right_through_many_moves_of_one_box():
    # A drag: the outermost box moves in and out thousands of times (old entries are dropped or rebuilt).
    extent = Extent()
    for k in range(50):
        extent.put(k, (k * 10.0, 0.0, k * 10.0 + 5, 5.0))
    for step in range(5000):
        x = 1000.0 if step % 2 else 100.0
        extent.put(49, (x, 3.0, x + 5, 8.0))
        assert extent.bounds() == (0.0, 0.0, x + 5 if x > 485 else 485.0, 8.0)
    extent.discard(49)
    assert extent.bounds() == (0.0, 0.0, 485.0, 5.0)
    for k in range(49):
        extent.discard(k)
    assert extent.bounds() is None


pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")


def _scanned_rect(scene):
    from PySide6.QtCore import QRectF

    rect = QRectF()
    for item in scene.nodes.values():
        rect = rect.united(QRectF(item.x(), item.y(), item.width, item.height))
    return rect


@pytest.mark.gui
@given(st.lists(st.tuples(st.sampled_from(["add", "move", "remove", "undo"]), coord, coord), max_size=25))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_canvas_content_rect_equals_a_scan_of_its_nodes(qtbot, steps):
    from PySide6.QtCore import QPointF

    from graph.edits import AddNode, MoveNodes, RemoveNode
    from gui.canvas.scene import GraphScene
    from gui.model_bridge import ModelBridge
    from gui.settings import Settings

    bridge = ModelBridge()
    scene = GraphScene(bridge, Settings(memory=True))
    for i, (kind, x, y) in enumerate(steps):
        ids = sorted(scene.nodes)
        if kind == "add" or not ids:
            bridge.push(AddNode("parameter", f"p{i}", value=1.0, position=(x, y) if i % 3 else None))
        elif kind == "move" and i % 2:
            bridge.push(MoveNodes({ids[i % len(ids)]: (x, y)}))
        elif kind == "move":
            scene.nodes[ids[i % len(ids)]].setPos(QPointF(x, y))  # dragged on the canvas
        elif kind == "remove":
            bridge.push(RemoveNode(ids[i % len(ids)]))
        else:
            bridge.undo()
        assert scene.content_rect() == _scanned_rect(scene)
