"""The step panel in the main window, offscreen: stepping drives the canvas, the explanation shows the
chain rule in numbers, check-my-answer keeps a score, the update is one undoable edit, export writes the
worked solution, shortcuts do not clash."""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import shortcuts

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from graph.edits import SetValue  # noqa: E402

pytestmark = pytest.mark.gui

RELU_NET = {
    "format": "backprop-studio-graph",
    "version": 1,
    "nodes": [
        {"id": "x", "op": "input", "value": [1, 2]},
        {"id": "W1", "op": "parameter", "value": [[1, -1], [0.5, 0]]},
        {"id": "W2", "op": "parameter", "value": [[0.5], [1]]},
        {"id": "t", "op": "input", "value": [0]},
        {"id": "H", "op": "matmul"},
        {"id": "O", "op": "relu"},
        {"id": "yhat", "op": "matmul", "label": "ŷ"},
        {"id": "L", "op": "mse", "attrs": {"reduction": "sum"}},
    ],
    "edges": [
        {"source": "x", "target": "H", "port": "a"},
        {"source": "W1", "target": "H", "port": "b"},
        {"source": "H", "target": "O", "port": "x"},
        {"source": "O", "target": "yhat", "port": "a"},
        {"source": "W2", "target": "yhat", "port": "b"},
        {"source": "yhat", "target": "L", "port": "pred"},
        {"source": "t", "target": "L", "port": "target"},
    ],
    "training": {"loss": "L", "lr": 1},
}

F_XY = {
    "format": "backprop-studio-graph",
    "version": 1,
    "nodes": [
        {"id": "x", "op": "input", "value": 1},
        {"id": "y", "op": "input", "value": 2},
        {"id": "xx", "op": "mul"},
        {"id": "xy", "op": "mul"},
        {"id": "s", "op": "add"},
        {"id": "ss", "op": "mul"},
        {"id": "t", "op": "add"},
        {"id": "f", "op": "add"},
    ],
    "edges": [
        {"source": "x", "target": "xx", "port": "a"},
        {"source": "x", "target": "xx", "port": "b"},
        {"source": "x", "target": "xy", "port": "a"},
        {"source": "y", "target": "xy", "port": "b"},
        {"source": "x", "target": "s", "port": "a"},
        {"source": "y", "target": "s", "port": "b"},
        {"source": "s", "target": "ss", "port": "a"},
        {"source": "s", "target": "ss", "port": "b"},
        {"source": "xx", "target": "t", "port": "a"},
        {"source": "xy", "target": "t", "port": "b"},
        {"source": "t", "target": "f", "port": "a"},
        {"source": "ss", "target": "f", "port": "b"},
    ],
}


def _open(qtbot, tmp_path, data):
    from gui.main_window import MainWindow
    from gui.panels.step_panel import install_step_panel

    w = MainWindow(autosave=False)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert w.open_file(str(path), ask=False)
    panel = install_step_panel(w)
    w.show()
    qtbot.waitExposed(w)
    QApplication.processEvents()
    return w, panel


def test_install_adds_dock_toolbar_and_menu_without_clashing_shortcuts(qtbot, tmp_path):
    w, panel = _open(qtbot, tmp_path, RELU_NET)
    assert w.step_panel is panel
    menu_texts = [a.text() for a in w.run_menu.actions()]
    assert "Step ▶" in menu_texts and "Export worked solution…" in menu_texts
    assert panel.actions["step_forward"] in w.toolbar.actions()
    seen = shortcuts(w)
    assert seen["F10"] is panel.actions["step_forward"]


def test_stepping_drives_the_canvas_and_the_explanation(qtbot, tmp_path):
    w, panel = _open(qtbot, tmp_path, RELU_NET)
    bridge = w.bridge
    panel.step_forward()
    assert bridge.trace.value("H").tolist() == [2.0, -1.0]
    assert bridge.trace.value("O") is None  # not computed yet: the canvas dims it
    assert bridge.highlight == "H" and w.scene.nodes["H"].highlighted
    assert not bridge.live
    panel.run_forward()
    assert bridge.trace.loss == 1.0
    panel.step_backward()
    panel.step_backward()
    tr = bridge.trace
    assert tr.grad("W2").tolist() == [[4.0], [0.0]]
    assert tr.grad("W1") is None  # pending
    assert bridge.highlight == "yhat" and bridge.phase == "backward"
    html = panel.text.toHtml()
    assert "∂L/∂W2 = Oᵀ · ∂L/∂ŷ = " in panel.explanation_text()
    assert "<table" in html and "2×1" in panel.text.toPlainText()  # matrices are tables, with their shape
    assert "Step 6 of 8" in panel.status.text()
    panel.undo_step()
    assert bridge.trace.grad("W2") is None and bridge.highlight == "L"
    panel.run_backward()
    assert bridge.trace.grad("W1").tolist() == [[1.0, 0.0], [2.0, 0.0]]
    assert not panel.actions["step_backward"].isEnabled()
    panel.reset()
    assert bridge.trace.value("H") is None


def test_check_my_answer_keeps_a_session_score(qtbot, tmp_path):
    w, panel = _open(qtbot, tmp_path, RELU_NET)
    assert panel.question.currentData() == "value:H"
    panel.answer.setText("2 -1")
    assert panel.check_answer() is True
    panel.answer.setText("2 1")
    assert panel.check_answer() is False
    assert "(2, -1)" in panel.verdict.text()
    panel.run_forward()
    panel.step_backward()
    i = panel.question.findData("edge:W2>yhat.b")
    assert i >= 0
    panel.question.setCurrentIndex(i)
    panel.tolerance.setValue(0.01)
    panel.answer.setText("4.01; 0")
    assert panel.check_answer() is True
    assert "2 right, 1 wrong" in panel.score_label.text()


def test_apply_update_is_one_undoable_edit(qtbot, tmp_path):
    w, panel = _open(qtbot, tmp_path, RELU_NET)
    doc = w.bridge.doc
    panel.lr.setValue(1.0)
    panel.apply_update()  # runs what is left, then w ← w − η·∂L/∂w
    assert doc.node("W1").value.tolist() == [[0.0, -1.0], [-1.5, 0.0]]
    assert doc.node("W2").value.tolist() == [[-3.5], [1.0]]
    assert w.bridge.live and panel.stepper is None
    assert "W1 ← W1" in panel.explanation_text()
    w.bridge.undo()
    assert doc.node("W1").value.tolist() == [[1.0, -1.0], [0.5, 0.0]]
    assert doc.node("W2").value.tolist() == [[0.5], [1.0]]


def test_an_edit_ends_stepping(qtbot, tmp_path):
    w, panel = _open(qtbot, tmp_path, RELU_NET)
    panel.run_forward()
    assert not w.bridge.live
    w.bridge.push(SetValue("x", np.array([2.0, 2.0])))
    assert panel.stepper is None and w.bridge.live
    assert w.bridge.trace.value("H").tolist() == [3.0, -2.0]
    panel.step_forward()
    assert w.bridge.trace.value("H").tolist() == [3.0, -2.0]


def test_run_elsewhere_ends_stepping(qtbot, tmp_path):
    w, panel = _open(qtbot, tmp_path, RELU_NET)
    panel.step_forward()
    w.actions_by_name["evaluate"].trigger()
    assert w.bridge.live and panel.stepper is None
    assert w.bridge.trace.grad("W1") is not None


def test_shortcut_steps(qtbot, tmp_path):
    w, panel = _open(qtbot, tmp_path, RELU_NET)
    w.activateWindow()
    w.view.setFocus()
    QApplication.processEvents()
    qtbot.keyClick(w.view, Qt.Key.Key_F10)
    if panel.stepper is None:
        pytest.skip("the offscreen platform delivered no shortcut")
    assert w.bridge.highlight == "H"
    qtbot.keyClick(w.view, Qt.Key.Key_F11)
    assert w.bridge.phase == "backward" and w.bridge.highlight == "L"


def test_symbolic_line_for_a_scalar_graph(qtbot, tmp_path):
    w, panel = _open(qtbot, tmp_path, F_XY)
    panel.run_backward()
    text = panel.explanation_text()
    assert "∂f/∂x = 4x + 3y" in text
    assert "6 (via s, port a) + 2 (via xy, port a) + 1 (via xx, port a) + 1 (via xx, port b) = 10" in text


def test_export_worked_solution(qtbot, tmp_path):
    w, panel = _open(qtbot, tmp_path, RELU_NET)
    panel.lr.setValue(1.0)
    out = tmp_path / "solution.md"
    text = panel.export_solution(str(out), steps=1)
    assert out.read_text(encoding="utf-8") == text
    assert text.startswith("# Worked solution: graph.json")
    assert "| W2 | (0.5, 1)ᵀ | (4, 0)ᵀ | (-3.5, 1)ᵀ |" in text
    tex = panel.export_solution(str(tmp_path / "solution.tex"))
    assert tex.startswith(r"\documentclass")


def test_export_worked_solution_as_a_page_with_the_picture(qtbot, tmp_path):
    w, panel = _open(qtbot, tmp_path, RELU_NET)
    panel.lr.setValue(1.0)
    page = panel.export_solution(str(tmp_path / "solution.html"), steps=1)
    assert page.startswith("<!DOCTYPE html>") and "<title>Worked solution: graph.json</title>" in page
    assert "<svg" in page and "<math" in page
    # W2 after the step, (0.5, 1)ᵀ − 1·(4, 0)ᵀ = (−3.5, 1)ᵀ, in the update table as MathML
    assert "<mn>3.5</mn>" in page[page.index("<th>after</th>"):]
