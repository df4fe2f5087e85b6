"""The exercise in view and a clean slate: opening a file with a description shows it, formatted; a
teacher edits it as one undoable edit that is saved in the file; opening or creating a document resets
every panel (training status and plots, stepping, the check-my-answer session)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QApplication, QDockWidget, QProgressBar  # noqa: E402

from gui.panels.exercise import description_html  # noqa: E402

pytestmark = pytest.mark.gui

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
XOR = EXAMPLES / "08_xor_3_random_init.json"


@pytest.fixture
def window(open_window):
    return open_window(size=(1366, 768))


def _shown(widget) -> bool:
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def test_description_is_formatted_title_paragraphs_and_lists():
    text = "The title\n\nA paragraph wrapped\nover two lines.\n\n- first\n- second <b>\n"
    assert description_html(text) == (
        "<h3>The title</h3><p>A paragraph wrapped over two lines.</p>"
        "<ul><li>first</li><li>second &lt;b&gt;</li></ul>"
    )
    assert description_html("  \n") == ""


def test_opening_an_example_shows_its_exercise(window):
    path = EXAMPLES / "02_masha_relu_regression.json"
    title = json.loads(path.read_text())["description"].splitlines()[0]
    loss_dock = next(d for d in window.findChildren(QDockWidget) if d.windowTitle() == "Loss")
    loss_dock.raise_()  # another tab in front: opening brings the exercise forward
    QApplication.processEvents()
    assert not _shown(window.exercise_dock)
    window.open_file(str(path), ask=False, as_copy=True)
    QApplication.processEvents()
    assert _shown(window.exercise_dock)
    assert window.exercise.view.toPlainText().startswith(title)


def test_a_teacher_edits_the_exercise_undoably_and_it_is_saved(window, tmp_path):
    window.new_file()
    panel = window.exercise
    assert "no exercise text" in panel.view.toPlainText()
    panel.start_editing()
    panel.editor.setPlainText("Exercise 1\n\nCompute ∂f/∂x at x = 2.")
    assert panel.apply_edit()
    doc = window.bridge.doc
    assert doc.description == "Exercise 1\n\nCompute ∂f/∂x at x = 2."
    assert panel.view.toPlainText().startswith("Exercise 1")
    window.bridge.undo()
    assert doc.description == "" and "no exercise text" in panel.view.toPlainText()
    window.bridge.redo()
    assert doc.description.startswith("Exercise 1")
    path = tmp_path / "exercise.json"
    assert window.save_as(str(path))
    assert json.loads(path.read_text())["description"] == "Exercise 1\n\nCompute ∂f/∂x at x = 2."
    # Cancel leaves the text as it was.
    panel.start_editing()
    panel.editor.setPlainText("something else")
    panel.cancel_edit()
    assert doc.description.startswith("Exercise 1") and not panel.editing


def _work_in_every_panel(window, qtbot) -> None:
    """Step half-way with an answer checked, and train one update (status, progress, plots)."""
    step, train = window.step_panel, window.training_panel
    window.open_file(str(XOR), ask=False, as_copy=True)
    step.step_forward()
    step.step_forward()
    step.answer.setText("12345")
    assert step.check_answer() is False
    assert not window.bridge.live
    assert train.step_once()
    qtbot.waitUntil(lambda: train.loss_plot.updates.n >= 1 and train.state != "running", timeout=4000)
    assert train.status.text() != "ready"
    assert train.symmetry_view.parameters  # XOR's weights


def _clean_slate_problems(window) -> list[str]:
    step, train = window.step_panel, window.training_panel
    nodes = window.bridge.doc.nodes()
    weights = {n.id for n in nodes if n.op == "parameter" and n.value is not None and n.value.ndim}
    checks = {
        "the canvas is live again": window.bridge.live,
        "stepping starts again": step.stepper is None,
        "a new check-my-answer session": step.score_label.text() == "Session: no answers checked yet",
        "no verdict or answer left": step.verdict.text() == "" and step.answer.text() == "",
        "no run": train.state == "idle" and train.trainer is None,
        "training status": train.status.text() == "ready",
        "progress": window.findChild(QProgressBar).value() <= 0,
        "loss plot": train.loss_plot.updates.n == 0 and train.loss_plot.comparisons == [],
        "gradient norms": all(series.n == 0 for series in train.grad_plot.series),
        "symmetry view of this document's weights": set(train.symmetry_view.parameters) == weights,
    }
    return [name for name, ok in checks.items() if not ok]


@pytest.mark.parametrize("opening", ["open", "new"])
def test_opening_or_creating_a_document_resets_every_panel(window, qtbot, opening):
    _work_in_every_panel(window, qtbot)
    if opening == "open":
        assert window.open_file(str(EXAMPLES / "01_computation_graph.json"), ask=False, as_copy=True)
    else:
        assert window.new_file()
    QApplication.processEvents()
    assert _clean_slate_problems(window) == []
