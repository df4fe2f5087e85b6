"""A canvas that reads (issue 11): edge labels clear of each other and of the nodes, a node's value and
gradient on rows of their own, Fit to view at a readable zoom with a minimap for larger graphs, and an
unfinished graph showing what it computes. Through the bridge, scene and view (offscreen)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from helpers import f_xy  # noqa: E402
from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import engine  # noqa: E402
from graph.document import Edge  # noqa: E402
from graph.edits import Connect, MoveNodes  # noqa: E402
from graph.file_format import load  # noqa: E402
from gui.canvas import style  # noqa: E402
from gui.canvas.edge_item import LABEL_MAX_WIDTH  # noqa: E402
from gui.canvas.scene import GraphScene  # noqa: E402
from gui.canvas.view import DETAIL_MIN_SCALE, FIT_MIN_SCALE, GraphView  # noqa: E402
from gui.model_bridge import ModelBridge  # noqa: E402
from gui.settings import Settings  # noqa: E402

pytestmark = pytest.mark.gui

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CANVAS_AT_1366 = (900, 550)  # the canvas's share of a 1366×768 screen


def _canvas(qtbot, doc, size=CANVAS_AT_1366):
    bridge = ModelBridge()
    bridge.set_document(doc, None)
    scene = GraphScene(bridge, Settings(memory=True))
    view = GraphView(scene)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    return bridge, scene, view


def _example(name):
    return load(EXAMPLES / name, engine.REGISTRY)


def _shown_labels(scene):
    return [
        label
        for item in scene.edges.values()
        for label in (item.value_label, item.grad_label)
        if label.isVisible() and label.text()
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_edge_labels_overlap_neither_each_other_nor_a_node_at_100_percent(qtbot, name):
    _, scene, view = _canvas(qtbot, _example(name))
    view.resetTransform()
    scene.refresh_labels(None)
    labels = _shown_labels(scene)
    assert len(labels) >= 12
    rects = [label.sceneBoundingRect() for label in labels]
    for (a, ra), (b, rb) in itertools.combinations(zip(labels, rects), 2):
        assert not ra.intersects(rb), (a.text(), b.text())
    for label, r in zip(labels, rects):
        for node in scene.nodes.values():
            assert not r.intersects(node.sceneBoundingRect()), (label.text(), node.node_id)


def test_a_fan_out_shows_the_shared_value_once_and_each_edge_its_gradient(qtbot):
    """Example 01, f = x² + xy + (x + y)² at x = 1, y = 2: x feeds x·x (both ports), x·y and x + y."""
    _, scene, _ = _canvas(qtbot, _example("01_computation_graph.json"))
    scene.refresh_labels(None)
    out = {e.target + "." + e.port: item for e, item in scene.edges.items() if e.source == "x"}
    assert len(out) == 4
    assert sorted(i.value_label.text() for i in out.values()) == ["", "", "", "1"]
    # ∂f/∂(x·x) = 1 times the other factor x = 1; ∂f/∂(x·y) = 1 times y = 2; ∂f/∂(x + y) = 2(x + y) = 6.
    grads = {k: i.grad_label.text() for k, i in out.items()}
    assert grads == {"xx.a": "1", "xx.b": "1", "xy.a": "2", "s.a": "6"}
    # The shared value sits just right of x's output port.
    value = next(i.value_label for i in out.values() if i.value_label.text())
    port = scene.nodes["x"].out_port_pos()
    r = value.sceneBoundingRect()
    assert port.x() < r.left() < port.x() + 40 and abs(r.center().y() - port.y()) < 20


def test_a_nodes_value_and_gradient_have_rows_of_their_own(qtbot):
    _, scene, _ = _canvas(qtbot, _example("01_computation_graph.json"))
    scene.refresh_labels(None)
    node = scene.nodes["s"]  # x + y = 3, ∂f/∂(x + y) = 6
    assert node.value_item.text() == "= 3" and node.grad_item.text() == "∂ 6"
    for item in scene.nodes.values():
        value, grad = item.value_item.sceneBoundingRect(), item.grad_item.sceneBoundingRect()
        assert value.bottom() <= grad.top() + 1
        for port in item.in_ports.values():
            row = port.sceneBoundingRect()
            row_band = QRectF(item.x(), row.top(), item.width, row.height())
            assert not value.intersects(row_band) and not grad.intersects(row_band)
        # The output port is on the value row.
        assert value.top() <= item.out_port_pos().y() <= value.bottom()


def test_labels_a_node_is_moved_onto_find_new_places(qtbot):
    bridge, scene, _ = _canvas(qtbot, _example("01_computation_graph.json"))
    scene.refresh_labels(None)
    label = scene.edges[Edge("xy", "t", "b")].grad_label
    spot = label.sceneBoundingRect().center()
    node = scene.nodes["y"]
    bridge.push(MoveNodes({"y": (spot.x() - node.width / 2, spot.y() - node.height / 2)}))
    box = node.sceneBoundingRect()
    for other in _shown_labels(scene):
        assert not other.sceneBoundingRect().intersects(box), other.text()


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_every_example_opens_readable_at_1366_by_768(qtbot, name):
    _, scene, view = _canvas(qtbot, _example(name))
    view.fit()
    view.viewport().repaint()
    assert view.transform().m11() >= FIT_MIN_SCALE > DETAIL_MIN_SCALE
    assert scene.detail
    out = scene.output_node()
    visible = view.visible_scene_rect()
    if out is not None:
        assert visible.contains(out.sceneBoundingRect()), name
    if visible.contains(scene.content_rect()):
        assert not view.minimap.isVisible()


def test_fit_shows_a_small_graph_whole_and_never_zooms_out_below_the_text_zoom(qtbot):
    _, scene, view = _canvas(qtbot, _example("01_computation_graph.json"))
    view.fit()
    assert view.visible_scene_rect().contains(scene.content_rect())
    _, scene, view = _canvas(qtbot, _example("06_rnn_there_and_back.json"), size=(600, 400))
    view.fit()
    assert view.transform().m11() == pytest.approx(FIT_MIN_SCALE)
    view.fit(readable=False)  # the whole graph, whatever the zoom (for the benchmark and overviews)
    assert view.transform().m11() < FIT_MIN_SCALE


def test_a_large_graph_gets_a_minimap_that_moves_the_view(qtbot):
    _, scene, view = _canvas(qtbot, _example("06_rnn_there_and_back.json"))
    view.fit()
    view.viewport().repaint()
    qtbot.waitUntil(view.minimap.isVisible)
    minimap = view.minimap
    vp = view.viewport().geometry()
    assert vp.contains(minimap.geometry())  # in the canvas's corner
    before = view.visible_scene_rect().center()
    qtbot.mouseClick(minimap, Qt.MouseButton.LeftButton, pos=QPointF(8, minimap.height() / 2).toPoint())
    after = view.visible_scene_rect().center()
    assert after.x() < before.x() - 100  # towards the graph's left end
    # A drag follows the mouse.
    qtbot.mousePress(minimap, Qt.MouseButton.LeftButton, pos=QPointF(10, 10).toPoint())
    qtbot.mouseMove(minimap, QPointF(minimap.width() - 10, 10).toPoint())
    qtbot.mouseRelease(minimap, Qt.MouseButton.LeftButton, pos=QPointF(minimap.width() - 10, 10).toPoint())
    assert view.visible_scene_rect().center().x() > after.x() + 100


def test_no_minimap_when_the_whole_graph_is_in_view(qtbot):
    _, _, view = _canvas(qtbot, _example("01_computation_graph.json"))
    view.fit()
    view.viewport().repaint()
    QApplication.processEvents()
    assert not view.minimap.isVisible()


def test_an_unfinished_graph_shows_values_gradients_and_what_waits(qtbot):
    """f(x, y) at x = 1, y = 2 without the edge x → s.a: t = x² + xy = 3 is the one computable end."""
    doc = f_xy()
    doc.disconnect("x", "s", "a")
    bridge, scene, _ = _canvas(qtbot, doc)
    scene.refresh_labels(None)
    assert bridge.trace is None and bridge.partial is not None
    t, s, f = scene.nodes["t"], scene.nodes["s"], scene.nodes["f"]
    assert t.value_item.text() == "= 3" and t.grad_item.text() == "∂ 1"
    assert scene.nodes["x"].grad_item.text() == "∂ 4"  # ∂t/∂x = 2x + y
    assert scene.nodes["y"].grad_item.text() == "∂ 1"  # ∂t/∂y = x
    assert s.value_item.text() == "waits for port a" and s.grad_item.text() == ""
    assert f.value_item.text().startswith("waits for ss")
    edge = scene.edges[Edge("t", "f", "a")]  # into a waiting node: a value and no gradient
    assert edge.value_label.text() == "3" and edge.grad_label.text() == ""
    assert bridge.waiting_reason("ss") == "waits for s (which waits for port a)"
    assert float(bridge.node_value("t")) == 3.0 and float(bridge.node_grad("x")) == 4.0
    # Drawing the last edge completes the graph: f = 1 + 2 + 9 = 12, ∂f/∂x = 10.
    assert bridge.push(Connect("x", "s", "a"))
    assert bridge.partial is None and bridge.trace is not None
    scene.refresh_labels(None)
    assert f.value_item.text() == "= 12" and scene.nodes["x"].grad_item.text() == "∂ 10"
    assert s.value_item.text() == "= 3"


def test_an_unfinished_graph_with_several_ends_shows_values_only(qtbot):
    doc = f_xy()
    doc.disconnect("ss", "f", "b")
    bridge, scene, _ = _canvas(qtbot, doc)
    scene.refresh_labels(None)
    assert scene.nodes["ss"].value_item.text() == "= 9"
    assert scene.nodes["x"].grad_item.text() == ""
    assert scene.nodes["f"].value_item.text() == "waits for port b"
    assert bridge.node_grad("x") is None
    np.testing.assert_array_equal(bridge.node_value("ss"), 9.0)


def test_node_height_leaves_room_for_the_value_rows():
    assert style.node_height(2) == style.values_top(2) + 2 * style.VALUE_ROW_HEIGHT + 4
    assert style.values_top(2) >= style.HEADER_HEIGHT + 2 * style.ROW_HEIGHT


def test_a_long_edge_label_is_elided_and_its_tooltip_has_it_in_full(qtbot):
    _, scene, _ = _canvas(qtbot, _example("09_four_layer_network.json"))
    scene.refresh_labels(None)
    item = scene.edges[Edge("x", "W1x", "b")]  # carries a gradient of four numbers
    label = item.grad_label
    assert label.text().endswith("…")
    assert label.boundingRect().width() <= LABEL_MAX_WIDTH + 1
    grad_line = next(line for line in item.full_text().splitlines() if line.startswith("gradient"))
    assert label.text()[:-1] in grad_line and len(grad_line) > len("gradient: ") + len(label.text())


def test_labels_moved_while_zoomed_far_out_are_placed_on_the_way_back_in(qtbot):
    bridge, scene, view = _canvas(qtbot, _example("01_computation_graph.json"), size=(200, 120))
    view.fit(readable=False)
    view.viewport().repaint()
    assert not scene.detail  # too far out for text: the labels are hidden and not placed
    spot = scene.edges[Edge("xy", "t", "b")].grad_label.sceneBoundingRect().center()
    node = scene.nodes["y"]
    bridge.push(MoveNodes({"y": (spot.x() - node.width / 2, spot.y() - node.height / 2)}))
    view.resize(*CANVAS_AT_1366)
    view.resetTransform()
    view.viewport().repaint()
    assert scene.detail
    scene.refresh_labels(None)
    box = node.sceneBoundingRect()
    labels = _shown_labels(scene)
    assert labels
    for label in labels:
        assert not label.sceneBoundingRect().intersects(box), label.text()
    for a, b in itertools.combinations(labels, 2):
        assert not a.sceneBoundingRect().intersects(b.sceneBoundingRect()), (a.text(), b.text())


def _render(scene, source):
    from PySide6.QtGui import QImage, QPainter

    image = QImage(800, 500, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), source)
    painter.end()
    return image


def test_a_node_dragged_at_fit_zoom_is_drawn_as_a_fresh_overview_would_draw_it(qtbot):
    doc = _example("06_rnn_there_and_back.json")
    bridge, scene, view = _canvas(qtbot, doc)
    view.fit(readable=False)
    view.viewport().repaint()  # zoomed out: the overview is drawn, then updated step by step
    assert not scene.detail
    node = max(scene.nodes.values(), key=lambda n: len(n.edges))
    assert len(node.edges) >= 2
    node.setSelected(True)
    source = scene.content_rect().adjusted(-200, -200, 200, 200)
    before = _render(scene, source)
    for step in (QPointF(60, 40), QPointF(120, -30)):  # drag steps, as the mouse moves them
        node.setPos(node.pos() + step)
        view.viewport().repaint()
    moved = _render(scene, source)
    assert moved != before
    # A new scene of the document with the node already there, drawn from scratch.
    fresh_bridge, fresh, _ = _canvas(qtbot, _example("06_rnn_there_and_back.json"))
    fresh_bridge.push(MoveNodes({node.node_id: (node.pos().x(), node.pos().y())}))
    fresh.set_detail(False)
    fresh.nodes[node.node_id].setSelected(True)
    assert _render(fresh, source) == moved
