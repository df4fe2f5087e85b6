"""Dataset ▸ Generate…: one of TensorFlow Playground's data sets or two moons (``engine.diagnose.datasets``)
straight into the dataset table, with its noise, size and seed, and the share of rows held out as the
test set (``training.test_fraction``). One undoable edit replaces the points' and targets' columns and
sets the split."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QMenu,
    QSpinBox,
    QWidget,
)

from engine.diagnose.datasets import KINDS, REGRESSION, generate
from engine.train.dataset import input_ids
from graph.document import Document
from graph.edits import Macro, SetDocumentField
from graph.validation import leaf_shape
from gui.i18n import QT_TRANSLATE_NOOP, translate

# Each data set as the window names it; its id (engine.diagnose.datasets.KINDS) is the combo box's item data.
KIND_NAMES = {
    "circle": QT_TRANSLATE_NOOP("GenerateDialog", "circle"),
    "xor": QT_TRANSLATE_NOOP("GenerateDialog", "xor"),
    "gaussians": QT_TRANSLATE_NOOP("GenerateDialog", "gaussians"),
    "spiral": QT_TRANSLATE_NOOP("GenerateDialog", "spiral"),
    "two moons": QT_TRANSLATE_NOOP("GenerateDialog", "two moons"),
    "plane": QT_TRANSLATE_NOOP("GenerateDialog", "plane"),
    "multi-gaussian": QT_TRANSLATE_NOOP("GenerateDialog", "multi-gaussian"),
}


def kind_name(kind: str) -> str:
    """A data set's name as the window shows it, "(regression)" added for a regression one."""
    name = translate("GenerateDialog", KIND_NAMES.get(kind, kind))
    if kind in REGRESSION:
        return translate("GenerateDialog", "{kind} (regression)").format(kind=name)
    return name


def feature_and_target(doc: Document) -> tuple[list[str], list[str]]:
    """Inputs that can take the points (two numbers a row) and those that can take the targets (one)."""
    ids = input_ids(doc)
    sizes = {n: int(np.prod(leaf_shape(doc, n) or (1,))) for n in ids}
    return [n for n in ids if sizes[n] == 2], [n for n in ids if sizes[n] == 1]


def generated_edit(
    doc: Document, kind: str, n: int, noise: float, seed: int, test_fraction: float, points: str, target: str
) -> Macro:
    """One edit: the generated points and targets as the dataset, the split in the training settings."""
    xy, t = generate(kind, n, noise, seed)
    dataset = {"columns": {points: xy, target: t}}
    training = dict(doc.training or {})
    if test_fraction > 0:
        training["test_fraction"] = test_fraction
    else:
        training.pop("test_fraction", None)
    edits = [SetDocumentField("dataset", dataset), SetDocumentField("training", training)]
    label = translate("GenerateDialog", "generate {kind} ({n} points)").format(kind=kind_name(kind), n=n)
    return Macro(label, edits)


class GenerateDialog(QDialog):
    """Kind, size, noise, seed, test share, and which inputs receive the points and the targets."""

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("GenerateDialog", "Generate a data set"))
        self.doc = doc
        form = QFormLayout(self)
        self.kind = QComboBox()
        for kind in [k for k in KINDS if k not in REGRESSION] + list(REGRESSION):
            self.kind.addItem(kind_name(kind), kind)
        self.size = _spin(QSpinBox(), 1, 5000, 200)
        self.noise = _spin(QDoubleSpinBox(), 0.0, 1.0, 0.1, step=0.05)
        self.seed = _spin(QSpinBox(), 0, 10**6, 0)
        self.test = _spin(
            QDoubleSpinBox(), 0.0, 0.9, float((doc.training or {}).get("test_fraction", 0.0)), 0.05
        )
        points, targets = feature_and_target(doc)
        self.points, self.target = QComboBox(), QComboBox()
        self.points.addItems(points)
        self.target.addItems(targets)
        for label, widget in (
            (translate("GenerateDialog", "data set"), self.kind),
            (translate("GenerateDialog", "points"), self.size),
            (translate("GenerateDialog", "noise (0–1)"), self.noise),
            (translate("GenerateDialog", "seed"), self.seed),
            (translate("GenerateDialog", "test share"), self.test),
            (translate("GenerateDialog", "points into"), self.points),
            (translate("GenerateDialog", "targets into"), self.target),
        ):
            form.addRow(label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        if not points or not targets:
            needs = translate(
                "GenerateDialog",
                "The graph needs an input of two numbers (the points) and one of one number (the target).",
            )
            form.addRow(QLabel(needs))
            self.ok.setEnabled(False)
        form.addRow(buttons)

    def edit(self) -> Macro:
        return generated_edit(
            self.doc, self.kind.currentData(), self.size.value(), self.noise.value(), self.seed.value(),
            self.test.value(), self.points.currentText(), self.target.currentText(),
        )  # fmt: skip


def _spin(box: Any, lo: float, hi: float, value: float, step: float | None = None) -> Any:
    box.setRange(lo, hi)
    if step is not None:
        box.setSingleStep(step)
        box.setDecimals(2)
    box.setValue(value)
    return box


def install_generate_action(main_window: Any) -> Any:
    """Dataset ▸ Generate… in the menu bar (before Help)."""
    bar = main_window.menuBar()
    menu = bar.addMenu(translate("GenerateDialog", "&Dataset"))
    help_menu = bar.findChild(QMenu, "help_menu")  # by name: its title is translated
    if help_menu is not None:
        bar.insertMenu(help_menu.menuAction(), menu)
    action = menu.addAction(translate("GenerateDialog", "&Generate…"))
    action.setToolTip(translate(
        "GenerateDialog",
        "TensorFlow Playground's data sets and two moons, with noise, size, seed and a test share",
    ))  # fmt: skip
    action.triggered.connect(lambda: open_generate_dialog(main_window))
    return action


def open_generate_dialog(main_window: Any) -> bool:
    dialog = GenerateDialog(main_window.bridge.doc, main_window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return bool(main_window.bridge.push(dialog.edit()))
