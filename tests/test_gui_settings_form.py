"""The training settings form keeps the file's numbers exactly: a learning rate or a test share the
form cannot take is said, never clamped or rounded; the test share (training.test_fraction) is set
here as the command line reads it."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

import engine  # noqa: E402
from engine.train.settings import settings_from  # noqa: E402
from graph.document import Document  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def form(qtbot):
    from gui.model_bridge import ModelBridge
    from gui.panels.training.settings_form import SettingsForm

    def make(training: dict):
        doc = Document(engine.REGISTRY)
        doc.training = training
        bridge = ModelBridge()
        bridge.set_document(doc, None)
        f = SettingsForm(bridge)
        qtbot.addWidget(f)
        f.messages = []
        f.message.connect(f.messages.append)
        f.fill()
        f.show()
        return f

    return make


def _type(qtbot, box, text: str) -> None:
    from PySide6.QtCore import Qt

    box.lineEdit().selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_a_rate_and_a_share_of_many_digits_are_shown_and_kept_exactly(form):
    f = form({"lr": 1e-7, "test_fraction": 1 / 3, "epochs": 3})
    assert f.lr.text() == "1e-07" and f.lr.value() == 1e-7
    assert f.test_share.text() == "0.3333333333333333"
    f.epochs.setValue(5)  # another field's edit writes the form: the two numbers go back unchanged
    training = f.bridge.doc.training
    assert training["epochs"] == 5 and training["lr"] == 1e-7 and training["test_fraction"] == 1 / 3


@pytest.mark.parametrize("lr", [1e-12, 0.00012345678901, 2.5e7])
def test_any_rate_above_zero_is_shown_as_the_file_has_it(form, lr):
    f = form({"lr": lr})
    assert f.lr.value() == lr and float(f.lr.text()) == lr and f.messages == []


def test_a_typed_rate_the_engine_refuses_is_said_and_the_file_keeps_its_rate(qtbot, form):
    f = form({"lr": 0.5})
    _type(qtbot, f.lr, "0")
    assert f.messages == ["learning rate 0 not taken: it must be above 0 (kept 0.5)"]
    assert f.lr.value() == 0.5 and f.bridge.doc.training == {"lr": 0.5}
    _type(qtbot, f.lr, "2.5e-3")
    assert f.bridge.doc.training["lr"] == 0.0025 and f.lr.text() == "0.0025"


def test_the_test_share_is_written_as_the_file_format_says(qtbot, form):
    f = form({"epochs": 2})
    assert f.test_share.value() == 0.0
    _type(qtbot, f.test_share, "0.25")
    assert f.bridge.doc.training["test_fraction"] == 0.25
    assert settings_from(f.bridge.doc.training).test_fraction == 0.25  # what `main.py train` holds out
    _type(qtbot, f.test_share, "1")
    assert f.messages[-1] == "test share 1 not taken: it must be at least 0 and below 1 (kept 0.25)"
    assert f.bridge.doc.training["test_fraction"] == 0.25
    _type(qtbot, f.test_share, "0")
    assert "test_fraction" not in f.bridge.doc.training  # written only when above 0


def test_a_step_of_the_share_is_a_tidy_number_and_never_reaches_1(form):
    f = form({"test_fraction": 0.1})
    f.test_share.stepUp()
    assert f.bridge.doc.training["test_fraction"] == 0.15  # 0.1 + 0.05, not 0.15000000000000002
    f.test_share.setValue(0.95)
    f.test_share.stepUp()
    assert f.test_share.value() == 0.95 and f.bridge.doc.training["test_fraction"] == 0.95


def test_the_new_field_and_the_refusals_are_russian(russian, qtbot, form):
    f = form({"lr": 0.5})
    assert russian.leftovers(f) == []
    _type(qtbot, f.lr, "0")
    assert russian.latin(f.messages[-1]) == [] and f.messages[-1].startswith("скорость обучения 0 не принята")
