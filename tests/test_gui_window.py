"""The window, offscreen: drops from the palette, connecting ports with the mouse, live edge labels,
refused connections, undo/redo back to every earlier state, save/open round trip, broken files."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import engine  # noqa: E402
from graph.document import Edge  # noqa: E402
from graph.edits import AddNode, Connect, MoveNodes, SetValue  # noqa: E402
from graph.file_format import dumps, loads  # noqa: E402

pytestmark = pytest.mark.gui

GRAPH = {
    "format": "backprop-studio-graph",
    "version": 1,
    "nodes": [
        {"id": "x", "op": "input", "value": 2, "position": [0, 0]},
        {"id": "w", "op": "parameter", "value": 0.5, "position": [0, 160]},
        {"id": "m", "op": "mul", "position": [340, 60]},
        {"id": "q", "op": "square", "position": [680, 60]},
    ],
    "edges": [
        {"source": "x", "target": "m", "port": "a"},
        {"source": "w", "target": "m", "port": "b"},
    ],
}


@pytest.fixture
def window(qtbot, tmp_path):
    from gui.main_window import MainWindow

    w = MainWindow(autosave=False)
    w.errors = []
    w.errorShown.connect(lambda title, message: w.errors.append(message))
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


def _open(window, tmp_path, data=GRAPH):
    path = tmp_path / "g.json"
    path.write_text(json.dumps(data))
    assert window.open_file(str(path))
    window.view.resetTransform()
    window.view.centerOn(QPointF(400, 100))
    QApplication.processEvents()
    return path


def _drop(view, op_id, pos):
    from gui.canvas.scene import OP_MIME

    mime = QMimeData()
    mime.setData(OP_MIME, op_id.encode())
    vp = view.viewport()
    actions = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, actions, mime, buttons, mods)
    QApplication.sendEvent(vp, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(vp, QDragMoveEvent(pos, actions, mime, buttons, mods))
    drop = QDropEvent(QPointF(pos), actions, mime, buttons, mods)
    QApplication.sendEvent(vp, drop)
    return drop


def _drag(qtbot, view, start: QPointF, end: QPointF, steps: int = 6):
    vp = view.viewport()
    a = view.mapFromScene(start)
    b = view.mapFromScene(end)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=a)
    for i in range(1, steps + 1):
        p = a + (b - a) * (i / steps)
        qtbot.mouseMove(vp, QPoint(int(p.x()), int(p.y())))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=b)


def test_drop_from_palette_creates_node_at_drop_point(window):
    view = window.view
    pos = QPoint(300, 250)
    drop = _drop(view, "add", pos)
    assert drop.isAccepted()
    nodes = list(window.bridge.doc.nodes())
    assert [n.op for n in nodes] == ["add"]
    item = window.scene.nodes[nodes[0].id]
    centre = item.sceneBoundingRect().center()
    target = view.mapToScene(pos)
    assert abs(centre.x() - target.x()) <= 25 and abs(centre.y() - target.y()) <= 25
    assert window.bridge.undo_stack.count() == 1


def test_add_op_menu_and_tab_open_quick_add(window, qtbot):
    view = window.view
    with qtbot.waitSignal(view.quickAddRequested):
        window.actions_by_name["quick_add"].trigger()
    assert window.quick_add.isVisible()
    window.quick_add.hide()
    with qtbot.waitSignal(view.quickAddRequested):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert window.quick_add.isVisible()


def test_palette_lists_every_op_grouped_with_formula_tooltips(window):
    items = window.palette.op_items()
    assert set(items) == set(engine.REGISTRY.ids())
    assert "y = a + b" in items["add"].toolTip(0)
    window.palette.filter.setText("squ")
    assert not items["square"].isHidden() and items["add"].isHidden()


def test_connect_by_mouse_creates_edge_and_labels_show_trace(window, qtbot, tmp_path):
    _open(window, tmp_path)
    scene, bridge = window.scene, window.bridge
    assert bridge.trace is None  # q's input is not connected yet
    _drag(qtbot, window.view, scene.nodes["m"].out_port_pos(), scene.nodes["q"].in_port_pos("x"))
    edges = {(e.source, e.target, e.port) for e in bridge.doc.edges()}
    assert ("m", "q", "x") in edges
    trace = bridge.trace
    assert trace is not None and trace.loss == pytest.approx(1.0)
    labels = {
        (e.source, e.target): (i.value_label.text(), i.grad_label.text()) for e, i in scene.edges.items()
    }
    assert labels[("m", "q")] == ("1", "2")  # m = 2·0.5 = 1; ∂q/∂m = 2m = 2
    assert labels[("w", "m")] == ("0.5", "4")  # ∂q/∂w = 2m·x = 4
    assert labels[("x", "m")] == ("2", "1")  # ∂q/∂x = 2m·w = 1
    assert scene.nodes["q"].value_item.text() == "= 1"


def test_refused_connection_leaves_graph_unchanged(window, qtbot, tmp_path):
    data = dict(GRAPH, edges=GRAPH["edges"] + [{"source": "m", "target": "q", "port": "x"}])
    _open(window, tmp_path, data)
    before = dumps(window.bridge.doc)
    messages = []
    window.bridge.statusMessage.connect(messages.append)
    scene = window.scene
    # q → m.a would close a cycle m → q → m
    _drag(qtbot, window.view, scene.nodes["q"].out_port_pos(), scene.nodes["m"].in_port_pos("a"))
    assert dumps(window.bridge.doc) == before
    assert window.bridge.undo_stack.count() == 0
    assert any("cycle" in m for m in messages)


def test_shape_mismatch_is_refused_with_reason(window, tmp_path):
    data = {
        "format": "backprop-studio-graph",
        "version": 1,
        "nodes": [
            {"id": "u", "op": "input", "value": [1, 2, 3]},
            {"id": "v", "op": "input", "value": [1, 2]},
            {"id": "s", "op": "add"},
        ],
        "edges": [{"source": "u", "target": "s", "port": "a"}],
    }
    _open(window, tmp_path, data)
    reason, _ = window.bridge.connection_problem("v", "s", "b")
    assert reason and "shape" in reason
    before = dumps(window.bridge.doc)
    assert not window.bridge.connect_ports("v", "s", "b")
    assert dumps(window.bridge.doc) == before


def test_undo_redo_returns_to_every_earlier_state(window, tmp_path):
    _open(window, tmp_path)
    b = window.bridge
    states = [dumps(b.doc)]
    edits = [
        Connect("m", "q", "x"),
        AddNode("constant", "c", value=3.0, position=(0, 300)),
        SetValue("x", np.array([1.0])),
        MoveNodes({"q": (700.0, 100.0)}),
        MoveNodes({"q": (720.0, 120.0)}),  # merges with the previous move
    ]
    for e in edits:
        assert b.push(e)
        states.append(dumps(b.doc))
    assert b.undo_stack.count() == 4
    window.scene.select_nodes(["m", "x"])
    window.scene.delete_selection()
    states.append(dumps(b.doc))
    assert "m" not in b.doc and "x" not in b.doc
    distinct = [states[0], states[1], states[2], states[3], states[5], states[6]]
    for expected in reversed(distinct[:-1]):
        b.undo()
        assert dumps(b.doc) == expected
    for expected in distinct[1:]:
        b.redo()
        assert dumps(b.doc) == expected
    assert window.isWindowModified()


def test_canvas_follows_undo(window, tmp_path):
    _open(window, tmp_path)
    b = window.bridge
    b.push(Connect("m", "q", "x"))
    assert b.trace is not None
    b.undo()
    assert Edge("m", "q", "x") not in window.scene.edges
    assert b.trace is None and b.problems
    assert window.scene.nodes["q"].in_ports["x"].pen().color().name() == "#d01818"


def test_save_then_open_gives_same_graph(window, tmp_path):
    _open(window, tmp_path)
    window.bridge.push(Connect("m", "q", "x"))
    window.bridge.push(SetValue("w", np.array([[0.25]])))
    out = tmp_path / "saved.json"
    assert window.save_as(str(out))
    assert not window.isWindowModified()
    saved = dumps(window.bridge.doc)
    assert window.new_file()
    assert len(window.bridge.doc) == 0
    assert window.open_file(str(out))
    assert dumps(window.bridge.doc) == saved
    assert dumps(loads(out.read_text(), engine.REGISTRY)) == saved
    assert window.windowTitle().startswith("saved.json")


def test_broken_file_shows_error_and_changes_nothing(window, tmp_path):
    _open(window, tmp_path)
    before = dumps(window.bridge.doc)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "backprop-studio-graph", "version": 1, "nodes": [{"id": "a", "op": "nope"}]}')
    assert not window.open_file(str(bad))
    assert window.errors and "nope" in window.errors[-1]
    assert dumps(window.bridge.doc) == before
    assert window.bridge.file_path.endswith("g.json")


def test_copy_paste_and_duplicate(window, tmp_path):
    _open(window, tmp_path)
    window.scene.select_nodes(["x", "w", "m"])
    window.duplicate()
    doc = window.bridge.doc
    assert len(doc) == 7
    new = set(doc.node_ids()) - {"x", "w", "m", "q"}
    assert len(new) == 3
    assert len(doc.edges()) == 4
    window.bridge.undo()
    assert len(doc) == 4


def test_inspector_edits_leaf_value_with_fraction(window, tmp_path):
    _open(window, tmp_path)
    window.bridge.push(Connect("m", "q", "x"))
    window.scene.select_nodes(["w"])
    insp = window.inspector
    assert insp.node_id == "w"
    insp.value_text.setText("1/4")
    insp.value_text.editingFinished.emit()
    assert float(window.bridge.doc.node("w").value) == 0.25
    assert window.bridge.trace.loss == pytest.approx(0.25)
    insp.kind_combo.setCurrentText("vector")
    insp.cols_spin.setValue(2)
    assert window.bridge.doc.node("w").value.shape == (2,)
    window.bridge.undo()
    window.bridge.undo()
    assert window.bridge.doc.node("w").value.shape == ()


def test_partial_trace_dims_labels_and_resume_live(window, tmp_path):
    _open(window, tmp_path)
    b = window.bridge
    b.push(Connect("m", "q", "x"))
    full = b.trace
    from engine.compile.trace import Trace

    partial = Trace(full.plan, list(full.value_list), [None] * len(full.grad_list), [None] * 3)
    partial.value_list[full.plan.slot["q"]] = None
    b.show_trace(partial, highlight="q", phase="forward")
    item = window.scene.edges[Edge("m", "q", "x")]
    assert item.value_label.text() == "1" and item.grad_label.text() == "…"
    assert window.scene.nodes["q"].highlighted
    b.resume_live()
    assert item.grad_label.text() == "2" and not window.scene.nodes["q"].highlighted


def test_label_toggles(window, tmp_path):
    _open(window, tmp_path)
    window.actions_by_name["show_grads"].trigger()
    item = window.scene.edges[Edge("x", "m", "a")]
    assert not item.grad_label.isVisible() and item.value_label.isVisible()
    window.actions_by_name["show_grads"].trigger()
    assert item.grad_label.isVisible()


def test_export_image_png_and_svg(window, tmp_path):
    _open(window, tmp_path)
    assert window.export_image(str(tmp_path / "g.png"))
    assert window.export_image(str(tmp_path / "g.svg"))
    assert (tmp_path / "g.png").stat().st_size > 1000
    assert "<svg" in (tmp_path / "g.svg").read_text()


def test_render_command(tmp_path):
    import main

    src = tmp_path / "g.json"
    src.write_text(json.dumps(GRAPH))
    assert main.main(["render", str(src), "-o", str(tmp_path / "out.png")]) == 0
    assert (tmp_path / "out.png").stat().st_size > 1000
    assert main.main(["render", str(tmp_path / "missing.json"), "-o", str(tmp_path / "o.svg")]) == 2


def test_labels_out_of_view_are_formatted_when_scrolled_into_view_or_exported(window, tmp_path):
    _open(window, tmp_path)
    window.bridge.push(MoveNodes({"q": (6000.0, 60.0)}))
    view, scene = window.view, window.scene
    view.resetTransform()
    view.centerOn(scene.nodes["x"])
    QApplication.processEvents()
    window.bridge.push(Connect("m", "q", "x"))
    q = scene.nodes["q"]
    assert scene.nodes["m"].value_item.text() == "= 1"  # in view: formatted at once
    # Out of view: not yet formatted, still saying what it waited for before the edge was drawn.
    assert q.value_item.text() == "waits for port x" and scene.has_stale_labels()
    view.centerOn(q)
    view.viewport().repaint()
    assert q.value_item.text() == "= 1" and q.grad_item.text() == "∂ 1"
    # A new trace while q is out of view again; exporting formats every label first.
    view.centerOn(scene.nodes["x"])
    QApplication.processEvents()
    window.bridge.push(SetValue("x", np.array(4.0)))
    assert q.value_item.text() == "= 1"
    assert window.export_image(str(tmp_path / "g.png"))
    assert q.value_item.text() == "= 4" and not scene.has_stale_labels()


def test_zoomed_out_canvas_draws_in_one_batch_and_stays_interactive(window, qtbot, tmp_path):
    from PySide6.QtWidgets import QGraphicsItem

    _open(window, tmp_path)
    window.bridge.push(Connect("m", "q", "x"))
    view, scene = window.view, window.scene
    view.resetTransform()
    view.scale(0.25, 0.25)
    view.centerOn(QPointF(400, 100))
    view.viewport().repaint()
    no_contents = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
    m = scene.nodes["m"]
    assert not scene.detail and m.flags() & no_contents
    assert all(e.flags() & no_contents for e in scene.edges.values())
    assert not m.value_item.isVisible()
    # The batch draws the boxes where the items are.
    centre = view.mapFromScene(m.sceneBoundingRect().center())
    image = view.viewport().grab().toImage()
    assert image.pixelColor(centre).name() == m.fill_color.name()
    # Clicking and rubber-band selection still reach the items.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert scene.selected_ids() == ["m"]
    _drag(qtbot, view, QPointF(-100, -100), QPointF(300, 300))
    assert set(scene.selected_ids()) == {"x", "w"}
    # A trace applied while zoomed out shows once zoomed in again.
    window.bridge.push(SetValue("x", np.array(4.0)))
    view.resetTransform()
    view.centerOn(m)
    view.viewport().repaint()
    assert scene.detail and not m.flags() & no_contents and m.value_item.isVisible()
    assert m.value_item.text() == "= 2"
    assert scene.edges[Edge("m", "q", "x")].value_label.text() == "2"


def test_zooming_in_restores_detail_in_view_first_then_as_it_scrolls_in(window, tmp_path):
    from PySide6.QtWidgets import QGraphicsItem

    _open(window, tmp_path)
    window.bridge.push(Connect("m", "q", "x"))
    window.bridge.push(MoveNodes({"q": (6000.0, 60.0)}))
    view, scene = window.view, window.scene
    no_contents = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
    view.resetTransform()
    view.scale(0.05, 0.05)
    view.viewport().repaint()
    assert not scene.detail
    window.bridge.push(SetValue("x", np.array(4.0)))
    view.resetTransform()
    view.centerOn(scene.nodes["x"])
    view.viewport().repaint()
    x, q = scene.nodes["x"], scene.nodes["q"]
    assert not x.flags() & no_contents and x.value_item.isVisible() and x.value_item.text() == "= 4"
    assert q.flags() & no_contents and not q.value_item.isVisible()  # out of view: not yet
    view.centerOn(q)
    view.viewport().repaint()
    assert not q.flags() & no_contents and q.value_item.isVisible() and q.value_item.text() == "= 4"
    # Export draws everything in detail, even what was never scrolled to.
    view.centerOn(x)
    view.scale(0.05, 0.05)
    view.viewport().repaint()
    view.resetTransform()
    view.centerOn(x)
    view.viewport().repaint()
    assert q.flags() & no_contents
    assert window.export_image(str(tmp_path / "g.png"))
    assert view.graph_scene.detail and not q.flags() & no_contents
