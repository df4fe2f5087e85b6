"""No slot may raise to the console (issue 10, item 5): an exception escaping a slot becomes one log
line and a dialog with the traceback in its details, and the window goes on."""

from __future__ import annotations

import logging
import sys

import pytest
from helpers import perceptron

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget  # noqa: E402

from gui.app import install_exception_handler  # noqa: E402

pytestmark = pytest.mark.gui


def broken_button(qtbot) -> tuple[QWidget, QPushButton]:
    parent = QWidget()
    qtbot.addWidget(parent)
    button = QPushButton("divide", parent)

    def slot() -> None:
        raise ZeroDivisionError("a bug\nin a slot")

    button.clicked.connect(slot)
    return parent, button


def dialogs(parent: QWidget) -> list[QMessageBox]:
    return [b for b in parent.findChildren(QMessageBox) if b.isVisible()]


def test_without_the_handler_the_exception_escapes_the_slot(qtbot):
    parent, button = broken_button(qtbot)
    with qtbot.capture_exceptions() as escaped:
        button.click()
    assert [type(e[1]) for e in escaped] == [ZeroDivisionError]


def test_the_handler_turns_it_into_a_dialog_and_one_log_line(qtbot, caplog, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back whatever was there
    parent, button = broken_button(qtbot)
    parent.show()
    with qtbot.capture_exceptions() as escaped, caplog.at_level(logging.ERROR, "backprop_studio"):
        install_exception_handler(parent)
        button.click()
        button.click()  # a second error while the dialog is open is only logged
    assert escaped == []
    assert [r.getMessage() for r in caplog.records] == [
        "unexpected error in the window: ZeroDivisionError: a bug in a slot"
    ] * 2
    (box,) = dialogs(parent)
    assert box.text() == "ZeroDivisionError: a bug in a slot"
    assert "Traceback" in box.detailedText() and "raise ZeroDivisionError" in box.detailedText()
    box.close()
    assert button.isEnabled()  # the window goes on


@pytest.mark.parametrize(
    ("key", "value"),
    [("seed", 2**70), ("epochs", 10**12), ("batch_size", 10**18)],
    ids=["seed", "epochs", "batch"],
)
def test_settings_the_spin_boxes_cannot_hold_are_shown_as_a_message(qtbot, key, value):
    # pytest-qt fails the test if a slot raises (QSpinBox.setValue(2**70) used to overflow)
    from gui.panels.training.panel import standalone_window

    window, panel = standalone_window(perceptron(**{key: value}))
    qtbot.addWidget(window)
    assert (
        panel.form.seed.value() == 0 and panel.form.epochs.value() == 1 and panel.form.batch_size.value() == 1
    )
    assert f"training '{key}' must be" in panel.status.text()


def test_an_activation_with_an_unknown_attribute_has_no_curve_rather_than_an_error():
    import numpy as np

    from engine.train.metrics import activation_curve

    assert activation_curve("relu", {"foo": 1}, np.linspace(-1, 1, 5)) is None
    assert activation_curve("leaky_relu", {"alpha": "x"}, np.linspace(-1, 1, 5)) is None
    y, dy = activation_curve("relu", {}, np.array([-1.0, 2.0]))
    assert list(y) == [0.0, 2.0] and list(dy) == [0.0, 1.0]


@pytest.mark.parametrize("case", ["unknown-attr", "empty-parameter"])
def test_the_training_panel_shows_graphs_the_loader_accepts_but_cannot_run(qtbot, case):
    # pytest-qt fails the test if a slot raises while the panel and its plots show the document
    from gui.panels.training.panel import standalone_window

    doc = perceptron()
    if case == "unknown-attr":
        doc.add_node("relu", "r", attrs={"foo": 1})
        doc.connect("y", "r", "x")
    else:
        doc.set_value("w", [[]])
    window, panel = standalone_window(doc)
    qtbot.addWidget(window)
    window.show()
    if case == "unknown-attr":
        panel.activation_plot.choose("r")
    assert not panel.start()  # the graph does not run: refused with a message, nothing raised
    qtbot.wait(50)
    assert panel.status.text()
