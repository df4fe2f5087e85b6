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


def _grid_graph(columns: int = 30, rows: int = 12) -> Document:
    """A wide graph: every node adds two nodes of the column before it."""
    doc = Document(engine.REGISTRY)
    for r in range(rows):
        doc.add_node("parameter", f"p{r}", value=0.1 * r, position=(0.0, 160.0 * r))
    ids = [f"p{r}" for r in range(rows)]
    for c in range(1, columns):
        new = []
        for r in range(rows):
            nid = f"n{c}_{r}"
            doc.add_node("add", nid, position=(260.0 * c, 160.0 * r))
            doc.connect(ids[r], nid, "a")
            doc.connect(ids[(r + 1) % rows], nid, "b")
            new.append(nid)
        ids = new
    acc = ids[0]
    for r in range(1, rows):  # one output: the last column added up
        doc.add_node("add", f"acc{r}", position=(260.0 * (columns + r), 160.0 * r))
        doc.connect(acc, f"acc{r}", "a")
        doc.connect(ids[r], f"acc{r}", "b")
        acc = f"acc{r}"
    return doc


def _texts(scene: GraphScene, rect: QRectF | None) -> dict:
    out = {}
    for nid, item in scene.nodes.items():
        if rect is None or rect.intersects(item.sceneBoundingRect()):
            out[nid] = (item.value_item.text(), item.grad_item.text())
    for edge, item in scene.edges.items():
        if rect is None or rect.intersects(item.sceneBoundingRect()):
            out[edge] = (item.value_label.text(), item.grad_label.text())
    return out


def test_labels_that_come_into_view_show_the_current_trace(qtbot):
    from graph.edits import SetValue
    from gui.canvas.view import GraphView

    bridge = ModelBridge()
    bridge.set_document(_grid_graph(), None)
    scene = GraphScene(bridge, Settings(memory=True))
    view = GraphView(scene)
    qtbot.addWidget(view)
    view.resize(900, 550)
    view.show()
    qtbot.waitExposed(view)
    view.resetTransform()
    for k, (x, y) in enumerate([(0, 0), (3000, 900), (6000, 300), (1500, 1700), (7800, 0)]):
        bridge.push(SetValue("p0", 1.0 + k))  # every value and gradient downstream changes
        view.centerOn(x, y)
        view.viewport().grab()  # paints the view as it is now
        reference = GraphScene(bridge, Settings(memory=True))
        reference.refresh_labels(None)
        visible = view.visible_scene_rect()
        shown = _texts(scene, visible)
        assert len(shown) > 8
        assert shown == {key: texts for key, texts in _texts(reference, None).items() if key in shown}
    scene.refresh_labels(None)
    assert _texts(scene, None) == _texts(reference, None)


def test_a_paint_asks_only_the_items_near_the_view_after_zooming_out_and_back(qtbot, monkeypatch):
    from gui.canvas.edge_item import EdgeItem
    from gui.canvas.view import GraphView

    bridge = ModelBridge()
    bridge.set_document(_grid_graph(columns=40), None)
    scene = GraphScene(bridge, Settings(memory=True))
    view = GraphView(scene)
    qtbot.addWidget(view)
    view.resize(900, 550)
    view.show()
    qtbot.waitExposed(view)
    asked = []
    real = EdgeItem.boundingRect

    def counted(item):
        asked.append(item)
        return real(item)

    monkeypatch.setattr(EdgeItem, "boundingRect", counted)

    def asked_by_a_paint_at_100_percent() -> int:
        view.resetTransform()
        view.centerOn(scene.nodes["n3_3"])
        view.viewport().grab()
        scene.refresh_labels(None)  # every item drawn in full again, in view or not
        view.viewport().grab()
        asked.clear()
        view.viewport().grab()
        return len(set(asked))

    for _ in range(2):
        assert asked_by_a_paint_at_100_percent() < len(scene.edges) / 4
        view.fit(readable=False)  # the whole graph: zoomed out
        view.viewport().grab()
        assert not scene.detail
        bridge.set_document(_grid_graph(columns=40), None)  # another document, opened zoomed out
        view.viewport().grab()
