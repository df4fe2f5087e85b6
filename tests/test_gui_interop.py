"""File ▸ Export ▸ PyTorch… / ONNX… and File ▸ Import Model…, offscreen, with the dialogs patched."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, QStandardPaths  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox  # noqa: E402

import engine  # noqa: E402

pytestmark = pytest.mark.gui
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "02_masha_relu_regression.json"


@pytest.fixture(autouse=True)
def _isolated(tmp_path):
    QStandardPaths.setTestModeEnabled(True)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture
def window(qtbot, monkeypatch):
    from gui.main_window import MainWindow

    w = MainWindow(autosave=False)
    w.errors = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: QMessageBox.StandardButton.Ok)
    w.errorShown.connect(lambda title, message: w.errors.append(message))
    w._ask_save = lambda: QMessageBox.StandardButton.Discard  # closing after an edit must not block
    qtbot.addWidget(w)
    assert w.open_file(str(EXAMPLE))
    return w


def _save_as(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def _open_as(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def test_export_pytorch_writes_a_script(window, tmp_path, monkeypatch):
    out = tmp_path / "model.py"
    _save_as(monkeypatch, out)
    window.actions_by_name["export_pytorch"].trigger()
    tree = ast.parse(out.read_text(encoding="utf-8"))
    assert any(isinstance(n, ast.ClassDef) and n.name == "Graph" for n in tree.body)
    assert window.errors == []


def test_export_onnx_then_import_model_gives_the_same_values(window, tmp_path, monkeypatch):
    out = tmp_path / "model.onnx"
    _save_as(monkeypatch, out)
    window.actions_by_name["export_onnx"].trigger()
    assert out.stat().st_size > 0
    before = engine.run(window.bridge.doc)
    _open_as(monkeypatch, out)
    window.actions_by_name["import_model"].trigger()
    assert window.errors == []
    after = engine.run(window.bridge.doc)
    assert window.bridge.file_path is None and "imported" in window.windowTitle()
    for node_id in before.plan.ids:
        np.testing.assert_array_equal(after.value(node_id), before.value(node_id))
        np.testing.assert_array_equal(after.grad(node_id), before.grad(node_id))


def test_an_export_that_fails_shows_the_error(window, tmp_path, monkeypatch):
    _save_as(monkeypatch, tmp_path / "no" / "such" / "folder" / "model.onnx")
    window.actions_by_name["export_onnx"].trigger()
    assert len(window.errors) == 1


def test_a_bad_model_shows_one_line_and_keeps_the_graph(window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.onnx"
    bad.write_text("not a model")
    _open_as(monkeypatch, bad)
    window.actions_by_name["import_model"].trigger()
    assert len(window.errors) == 1 and "not an ONNX model" in window.errors[0]
    assert window.bridge.file_path == str(EXAMPLE)


def test_importing_a_py_file_asks_first_and_runs_nothing_when_refused(window, tmp_path, monkeypatch):
    marker = tmp_path / "ran.txt"
    script = tmp_path / "net.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    _open_as(monkeypatch, script)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Net", True))
    asked = []

    def refuse(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", refuse)
    window.actions_by_name["import_model"].trigger()
    assert len(asked) == 1 and "runs the Python code" in asked[0]
    assert not marker.exists()
    assert window.bridge.file_path == str(EXAMPLE) and window.errors == []


def test_the_inspector_edits_a_shape_attribute(window):
    from graph.edits import AddNode, Connect

    window.bridge.push(AddNode("reshape", "r"))
    window.bridge.push(Connect("x", "r", "x"))
    window.scene.select_nodes(["r"])
    widget = window.inspector.attr_widgets["shape"]
    widget.setText("1, -1")
    widget.editingFinished.emit()
    assert window.bridge.doc.node("r").attrs["shape"] == [1, -1]
    widget.setText("1 -1 -1")
    widget.editingFinished.emit()
    assert window.bridge.doc.node("r").attrs["shape"] == [1, -1]
