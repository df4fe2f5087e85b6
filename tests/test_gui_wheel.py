"""No silent changes: the mouse wheel over a combo box, spin box or slider that does not have the focus
changes nothing (it scrolls the panel around it), in every panel of the window."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QWheelEvent  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDockWidget,
    QLineEdit,
    QSlider,
    QWidget,
)

pytestmark = pytest.mark.gui

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def window(open_window):
    return open_window(size=(1366, 768))


def _wheel(widget: QWidget, steps: int = -1) -> None:
    """Turn the wheel `steps` notches over the middle of `widget` (negative: towards the user)."""
    local = QPointF(widget.rect().center())
    event = QWheelEvent(
        local,
        QPointF(widget.mapToGlobal(local.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)
    QApplication.processEvents()


def _value(w: QWidget) -> object:
    if isinstance(w, QComboBox):
        return w.currentIndex()
    if isinstance(w, QAbstractSpinBox):
        return w.text()
    return w.value()


def _guarded(window) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget) if isinstance(w, (QComboBox, QAbstractSpinBox, QSlider))]


def _check_every_control(window, where: str) -> int:
    controls = [w for w in _guarded(window) if w.isEnabled()]
    assert controls, where
    history = window.bridge.undo_stack.count()
    description = window.bridge.doc.description
    for w in controls:
        window.view.setFocus()
        before = _value(w)
        for target in [w, *w.findChildren(QLineEdit)]:  # a spin box's text, an editable combo's
            for steps in (-1, 1, 1):
                _wheel(target, steps)
        assert _value(w) == before, f"{where}: the wheel changed {type(w).__name__} {w.toolTip()!r}"
    assert window.bridge.undo_stack.count() == history, where
    assert window.bridge.doc.description == description
    return len(controls)


def test_the_wheel_over_an_unfocused_control_changes_nothing_in_any_panel(window):
    window.open_file(str(EXAMPLES / "11_two_moons.json"), ask=False, as_copy=True)
    counted = _check_every_control(window, "two moons, nothing selected")
    for node in ("x", "W1"):  # an input (its kind combo: input, parameter, constant) and a matrix
        window.scene.select_nodes([node])
        QApplication.processEvents()
        counted += _check_every_control(window, f"inspector on {node}")
    window.open_file(str(EXAMPLES / "10_activation_gallery.json"), ask=False, as_copy=True)
    window.scene.select_nodes([n.id for n in window.bridge.doc.nodes() if n.op == "leaky_relu"][:1])
    QApplication.processEvents()
    counted += _check_every_control(window, "an op with attributes")
    assert counted > 20


def test_a_focused_control_still_takes_the_wheel(window):
    """The guard only holds back the wheel that was meant to scroll: click (focus) a box, then wheel."""
    window.open_file(str(EXAMPLES / "02_masha_relu_regression.json"), ask=False, as_copy=True)
    window.scene.select_nodes(["W1"])
    QApplication.processEvents()
    rows = window.inspector.rows_spin
    rows.setFocus()
    assert rows.hasFocus()
    _wheel(rows, 1)
    assert rows.value() == 3 and window.bridge.doc.node("W1").value.shape == (3, 2)


def test_the_wheel_over_a_control_scrolls_the_panel(window):
    docks = {d.windowTitle(): d for d in window.findChildren(QDockWidget)}
    docks["Training"].raise_()
    window.resize(1366, 500)
    QApplication.processEvents()
    area = docks["Training"].widget()
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0, "the training panel should need scrolling at this height"
    combo = window.training_panel.findChildren(QComboBox)[0]
    window.view.setFocus()
    before = _value(combo)
    _wheel(combo, -1)
    assert bar.value() > 0 and _value(combo) == before


def test_the_wheel_over_a_combo_in_a_table_that_needs_no_scrolling_scrolls_the_panel(window):
    """The initialiser table of two moons shows all its rows: the wheel goes on to the training panel."""
    from PySide6.QtWidgets import QTableWidget

    window.open_file(str(EXAMPLES / "11_two_moons.json"), ask=False, as_copy=True)
    docks = {d.windowTitle(): d for d in window.findChildren(QDockWidget)}
    docks["Training"].raise_()
    window.resize(1366, 500)
    QApplication.processEvents()
    tables = window.training_panel.findChildren(QTableWidget)
    table = next(t for t in tables if t.cellWidget(0, 1) is not None)
    assert table.verticalScrollBar().maximum() == 0
    combo = table.cellWidget(0, 1)
    bar = docks["Training"].widget().verticalScrollBar()
    bar.setValue(0)
    window.view.setFocus()
    before = _value(combo)
    _wheel(combo, -1)
    assert bar.value() > 0 and _value(combo) == before
