"""The canvas finds the items to paint through its index: an edge is found only where it or its labels
are, so a paint or a drag visits the items in view, not every item of a big graph."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QRectF, Qt  # noqa: E402

import engine  # noqa: E402
from graph.document import Document  # noqa: E402
from gui.canvas.scene import GraphScene  # noqa: E402
from gui.model_bridge import ModelBridge  # noqa: E402
from gui.settings import Settings  # noqa: E402

pytestmark = pytest.mark.gui


def _far_graph() -> Document:
    """A chain far from the scene's origin; its open end leaves the graph unfinished (no labels)."""
    doc = Document(engine.REGISTRY)
    doc.add_node("parameter", "p", value=1.0, position=(5000.0, 5000.0))
    prev = "p"
    for i in range(6):
        doc.add_node("mul", f"m{i}", position=(5200.0 + 200 * i, 5000.0))
        doc.connect(prev, f"m{i}", "a")  # port b stays open
        prev = f"m{i}"
    return doc


def test_edges_without_label_texts_are_not_found_at_the_scene_origin(qtbot):
    bridge = ModelBridge()
    bridge.set_document(_far_graph(), None)
    scene = GraphScene(bridge, Settings(memory=True))
    mode = Qt.ItemSelectionMode.IntersectsItemBoundingRect
    assert scene.items(QRectF(-50, -50, 100, 100), mode) == []
    near_first_edge = QRectF(5150, 4950, 100, 150)
    assert any(edge in scene.items(near_first_edge, mode) for edge in scene.edges.values())
