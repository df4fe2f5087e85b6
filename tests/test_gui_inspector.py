"""The inspector's attribute editors, one per declared kind (float, int, choice, bool, axis): each shows
the node's value and turns a change into one undoable SetAttr."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QSpinBox  # noqa: E402

from graph.edits import AddNode  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def window(open_window):
    return open_window(full=False)


def _inspect(window, op: str, attrs: dict) -> dict:
    window.bridge.push(AddNode(op, "n", attrs=attrs))
    window.scene.select_nodes(["n"])
    QApplication.processEvents()
    return window.inspector.attr_widgets


def _changes_undoably(window, name: str, change, expected) -> None:
    stack = window.bridge.undo_stack
    before = stack.index()
    change()
    QApplication.processEvents()
    assert window.bridge.doc.node("n").attrs[name] == expected
    assert stack.index() == before + 1
    stack.undo()
    assert window.bridge.doc.node("n").attrs.get(name) != expected


def test_float_attribute_takes_a_fraction(window):
    widgets = _inspect(window, "leaky_relu", {"alpha": 0.25})
    edit = widgets["alpha"]
    assert isinstance(edit, QLineEdit) and edit.text() == "0.25"
    assert "1/2" in edit.toolTip()  # the hint that fractions work stays in the tooltip

    def type_half():
        edit.setText("1/2")
        edit.editingFinished.emit()

    _changes_undoably(window, "alpha", type_half, 0.5)


def test_int_choice_bool_and_axis_attributes(window):
    widgets = _inspect(window, "softmax", {"axis": 0})
    spin = widgets["axis"]
    assert isinstance(spin, QSpinBox) and spin.value() == 0
    _changes_undoably(window, "axis", lambda: spin.setValue(1), 1)

    window.bridge.push(AddNode("mse", "L2", attrs={"reduction": "sum"}))
    window.scene.select_nodes(["L2"])
    QApplication.processEvents()
    combo = window.inspector.attr_widgets["reduction"]
    assert isinstance(combo, QComboBox) and combo.currentText() == "sum"

    window.bridge.push(AddNode("sum", "n2", attrs={"axis": 1, "keepdims": True}))
    window.scene.select_nodes(["n2"])
    QApplication.processEvents()
    widgets = window.inspector.attr_widgets
    axis, keep = widgets["axis"], widgets["keepdims"]
    assert isinstance(axis, QComboBox) and axis.currentText() == "1"
    assert isinstance(keep, QCheckBox) and keep.isChecked()
    assert [axis.itemText(i) for i in range(axis.count())] == ["all", "0", "1", "-1"]


def test_axis_all_and_a_bool_change(window):
    widgets = _inspect(window, "mean", {})
    axis, keep = widgets["axis"], widgets["keepdims"]
    assert axis.currentText() == "all" and not keep.isChecked()
    _changes_undoably(window, "keepdims", lambda: keep.setChecked(True), True)
    _changes_undoably(window, "axis", lambda: axis.setCurrentIndex(3), -1)
