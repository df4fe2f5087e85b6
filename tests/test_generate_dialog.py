"""Dataset ▸ Generate…: the generated points and targets as one undoable edit, with the test share."""

from pathlib import Path

import numpy as np

import engine
from engine.diagnose.datasets import generate
from engine.train.trainer import train
from graph.edits import History
from gui.panels.training.generate_dialog import GenerateDialog, feature_and_target, generated_edit

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def moons_doc():
    return engine.load(EXAMPLES / "11_two_moons.json")


def test_generated_edit_replaces_the_columns_and_sets_the_split():
    doc = moons_doc()
    assert feature_and_target(doc) == (["x"], ["t"])
    history = History(doc)
    history.push(generated_edit(doc, "spiral", 120, 0.1, 7, 0.25, "x", "t"))
    xy, t = generate("spiral", 120, 0.1, 7)
    np.testing.assert_array_equal(doc.dataset["columns"]["x"], xy)
    np.testing.assert_array_equal(doc.dataset["columns"]["t"], t)
    assert doc.training["test_fraction"] == 0.25
    result = train(doc, None)  # the held-out quarter is not trained on, and its loss is reported
    assert result.updates_per_epoch == -(-90 // 16) and len(result.test_losses) == result.epochs
    history.undo()
    assert len(doc.dataset["columns"]["x"]) == 300 and "test_fraction" not in doc.training


def test_dialog_offers_the_inputs_and_builds_the_edit(qtbot):
    doc = moons_doc()
    dialog = GenerateDialog(doc)
    qtbot.addWidget(dialog)
    assert dialog.ok.isEnabled()
    dialog.kind.setCurrentText("xor")
    dialog.size.setValue(50)
    dialog.test.setValue(0.2)
    edit = dialog.edit()
    edit.apply(doc)
    assert len(doc.dataset["columns"]["x"]) == 50 and doc.training["test_fraction"] == 0.2


def test_window_has_dataset_generate(qtbot):
    from gui.app import build_window

    w = build_window(autosave=False)
    qtbot.addWidget(w)
    names = [a.text().replace("&", "") for a in w.menuBar().actions()]
    assert names.index("Dataset") == names.index("Help") - 1
    w.bridge.blockSignals(True)
    w.bridge.undo_stack.blockSignals(True)
