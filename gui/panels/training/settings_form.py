"""The training settings form ("Settings (stored in the file)"): every change is written to the
document's ``training`` object as one undoable edit, once ``settings_from`` accepts it; a refused
entry (a bad custom order) is reported through ``message`` and nothing is written."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from engine.train.dataset import epoch_rows
from engine.train.order import parse_order
from engine.train.settings import MAX_BATCH_SIZE, MAX_EPOCHS, MAX_SEED, MODES, TrainSettings, settings_from
from graph.edits import SetDocumentField
from graph.errors import GraphError
from gui.i18n import QT_TRANSLATE_NOOP, error_text, translate

# Why a typed number was not taken ({text} the entry, {value} the number the field keeps).
REFUSED = {
    "lr": QT_TRANSLATE_NOOP(
        "SettingsForm", "learning rate {text} not taken: it must be above 0 (kept {value})"
    ),
    "test": QT_TRANSLATE_NOOP(
        "SettingsForm", "test share {text} not taken: it must be at least 0 and below 1 (kept {value})"
    ),
}
MAX_LR = 1e300  # far beyond any learning rate: the box shows every rate a file may hold
ORDER_CHOICES = ("sequential", "reverse", "shuffle", "custom")
# The combo boxes' items as the window names them; the ids (the file's values) are the items' data.
OPTIMIZER_NAMES = {
    "sgd": QT_TRANSLATE_NOOP("SettingsForm", "sgd"),
    "adam": QT_TRANSLATE_NOOP("SettingsForm", "adam"),
}
MODE_NAMES = {
    "sample": QT_TRANSLATE_NOOP("SettingsForm", "sample"),
    "minibatch": QT_TRANSLATE_NOOP("SettingsForm", "minibatch"),
    "batch": QT_TRANSLATE_NOOP("SettingsForm", "batch"),
}
ORDER_NAMES = {
    "sequential": QT_TRANSLATE_NOOP("SettingsForm", "sequential"),
    "reverse": QT_TRANSLATE_NOOP("SettingsForm", "reverse"),
    "shuffle": QT_TRANSLATE_NOOP("SettingsForm", "shuffle"),
    "custom": QT_TRANSLATE_NOOP("SettingsForm", "custom"),
}


def _spin(low: float, high: float, value: float, decimals: int = 6, step: float = 0.01) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setValue(value)
    box.setKeyboardTracking(False)
    return box


# What may be typed into an ExactBox: digits, one decimal point (either sign), an exponent.
_NUMBER_TYPING = re.compile(r"\d*(?:[.,]\d*)?(?:[eE][+-]?\d*)?")


class ExactBox(QDoubleSpinBox):
    """A number shown and kept exactly (1e-07, 0.00012345678, 0.3333333333333333): a file's value is
    never rounded to a number of decimals nor clamped to a range, so no other edit of the form changes
    it silently. A typed entry that `accepts` refuses is not taken (the box goes back to the value it
    had) and is announced by ``refused``."""

    refused = Signal(str)  # the text that was not taken

    WIDE = "0.000123456789"  # the box is wide enough for this

    def __init__(
        self, value: float, high: float, accepts: Callable[[float], bool], step: float | None
    ) -> None:
        super().__init__()
        self.accepts = accepts
        self.setDecimals(323)  # Qt rounds a value to the box's decimals: with this many, no double changes
        self.setRange(0.0, high)
        if step is None:  # steps of a tenth of the value's order: 0.001 → 0.0011, 2 → 2.1
            self.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        else:
            self.setSingleStep(step)
        self.setKeyboardTracking(False)
        self.setValue(value)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        # Qt sizes the box for the texts of its ends ("0", "1e+300"): size it for a long number instead.
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        ends = max(metrics.horizontalAdvance(self.textFromValue(v)) for v in (self.minimum(), self.maximum()))
        return QSize(hint.width() + metrics.horizontalAdvance(self.WIDE) - ends, hint.height())

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt's name)
        # Qt's step, tidied to 12 digits (0.15, not 0.15000000000000002); a step to a refused value
        # (a test share of 1) is not taken. Only the tidy value is set, so one step is one edit.
        before = self.value()
        self.blockSignals(True)
        super().stepBy(steps)
        stepped = self.value()
        self.setValue(before)
        self.blockSignals(False)
        tidy = float(f"{stepped:.12g}")
        if self.minimum() <= tidy <= self.maximum() and self.accepts(tidy):
            self.setValue(tidy)

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt's name)
        text = repr(float(value)).removesuffix(".0")  # the shortest text that reads back as the same number
        return text.replace(".", self.locale().decimalPoint())

    def valueFromText(self, text: str) -> float:  # noqa: N802
        return float(text.strip().replace(",", "."))

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        typed = text.strip()
        if not _NUMBER_TYPING.fullmatch(typed):
            return QValidator.State.Invalid, text, pos
        try:
            value = self.valueFromText(typed)
        except ValueError:  # "", "1e-", "." on the way to a number
            return QValidator.State.Intermediate, text, pos
        ok = math.isfinite(value) and self.minimum() <= value <= self.maximum() and self.accepts(value)
        return QValidator.State.Acceptable if ok else QValidator.State.Intermediate, text, pos

    def fixup(self, text: str) -> str:
        # Qt calls this for an entry it cannot take, then puts the previous value back: say so.
        if text.strip():
            self.refused.emit(text.strip())
        return text


def _int_spin(low: int, high: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setKeyboardTracking(False)
    return box


def _choices(ids: Any, names: dict[str, str]) -> QComboBox:
    """A combo box showing each id by its name, with the id as the item's data."""
    box = QComboBox()
    for key in ids:
        box.addItem(translate("SettingsForm", names.get(key, key)), key)
    return box


def _choose(box: QComboBox, key: str) -> None:
    box.setCurrentIndex(max(box.findData(key), 0))


def _row(*widgets: QWidget, stretch_last: bool = False) -> QHBoxLayout:
    row = QHBoxLayout()
    for i, w in enumerate(widgets):
        row.addWidget(w, 1 if stretch_last and i == len(widgets) - 1 else 0)
    return row


class SettingsForm(QGroupBox):
    """Optimizer, learning rate, momentum, mode, batch size, order, seed, test share, epochs and the stop
    threshold."""

    message = Signal(str)  # a problem with the file's settings or a refused entry

    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(translate("SettingsForm", "Settings (stored in the file)"), parent)
        self.bridge = bridge
        self._filling = False
        self.optimizer = _choices(OPTIMIZER_NAMES, OPTIMIZER_NAMES)
        self.lr = ExactBox(0.1, MAX_LR, lambda v: v > 0, None)
        self.momentum = _spin(0.0, 0.999999, 0.0, 4, 0.1)
        self.nesterov = QCheckBox("Nesterov")
        self.mode = _choices(MODES, MODE_NAMES)
        self.batch_size = _int_spin(1, MAX_BATCH_SIZE, 1)
        self.order = _choices(ORDER_CHOICES, ORDER_NAMES)
        self.custom_order = QLineEdit()
        self.custom_order.setPlaceholderText(translate("SettingsForm", "e.g. 2, 1 (observation numbers)"))
        self.seed = _int_spin(0, MAX_SEED, 0)
        self.epochs = _int_spin(0, MAX_EPOCHS, 1)
        self.stop_on = QCheckBox(translate("SettingsForm", "stop below"))
        self.stop_below = _spin(0.0, 1e12, 1e-4, 10, 1e-4)
        self.test_share = ExactBox(0.0, math.nextafter(1.0, 0.0), lambda v: v < 1, 0.05)
        self.test_share.setToolTip(
            translate(
                "SettingsForm",
                "The share of the dataset's rows held out of training (drawn with the seed); their mean loss "
                "after each epoch is the test loss. 0: every row trains.",
            )
        )
        form = QFormLayout(self)
        form.addRow(translate("SettingsForm", "optimizer"), self.optimizer)
        form.addRow(translate("SettingsForm", "learning rate"), self.lr)
        form.addRow(translate("SettingsForm", "momentum"), _row(self.momentum, self.nesterov))
        form.addRow(translate("SettingsForm", "mode"), self.mode)
        form.addRow(translate("SettingsForm", "batch size"), self.batch_size)
        order_row = _row(self.order, self.custom_order, stretch_last=True)
        form.addRow(translate("SettingsForm", "order"), order_row)
        form.addRow(translate("SettingsForm", "seed"), self.seed)
        form.addRow(translate("SettingsForm", "test share"), self.test_share)
        form.addRow(translate("SettingsForm", "epochs"), self.epochs)
        form.addRow(translate("SettingsForm", "loss"), _row(self.stop_on, self.stop_below, stretch_last=True))
        for w in (self.optimizer, self.mode, self.order):
            w.currentIndexChanged.connect(lambda _i: self._write())
        for w in (
            self.lr,
            self.momentum,
            self.batch_size,
            self.seed,
            self.test_share,
            self.epochs,
            self.stop_below,
        ):
            w.valueChanged.connect(lambda _v: self._write())
        for w in (self.nesterov, self.stop_on):
            w.toggled.connect(lambda _b: self._write())
        self.custom_order.editingFinished.connect(self._write)
        self.lr.refused.connect(lambda text: self._refused(self.lr, REFUSED["lr"], text))
        self.test_share.refused.connect(lambda text: self._refused(self.test_share, REFUSED["test"], text))

    @property
    def doc(self) -> Any:
        return self.bridge.doc

    def fill(self) -> None:
        """Show the document's settings (the defaults, and a message, when the file's are bad)."""
        training = self.doc.training if isinstance(self.doc.training, dict) else {}
        try:
            s, problem = settings_from(training), None
        except GraphError as err:
            s, problem = settings_from({}), error_text(err)
        self._filling = True
        self._show(s)
        self._filling = False
        if problem:
            in_file = translate("SettingsForm", "settings in the file: {problem}")
            self.message.emit(in_file.format(problem=problem))

    def _show(self, s: TrainSettings) -> None:
        _choose(self.optimizer, s.optimizer)
        self.lr.setValue(s.lr)
        self.momentum.setValue(s.momentum)
        self.nesterov.setChecked(s.nesterov)
        _choose(self.mode, s.mode)
        self.batch_size.setValue(s.batch_size)
        if isinstance(s.order, tuple):
            _choose(self.order, "custom")
            self.custom_order.setText(", ".join(str(i + 1) for i in s.order))
        else:
            _choose(self.order, s.order)
        self.custom_order.setEnabled(self.order.currentData() == "custom")
        self.seed.setValue(s.seed)
        self.test_share.setValue(s.test_fraction)
        self.epochs.setValue(s.epochs)
        self.stop_on.setChecked(s.stop_below is not None)
        if s.stop_below is not None:
            self.stop_below.setValue(s.stop_below)
        self.stop_below.setEnabled(s.stop_below is not None)
        self.batch_size.setEnabled(s.mode == "minibatch")
        self.momentum.setEnabled(s.optimizer == "sgd")
        self.nesterov.setEnabled(s.optimizer == "sgd")

    def form_training(self) -> dict[str, Any]:
        """The training object the form describes (the file's other keys kept); raises TrainingError
        for a bad custom order (numbered from 1, as the dataset editor numbers the rows)."""
        training = dict(self.doc.training) if isinstance(self.doc.training, dict) else {}
        training.update(
            optimizer=self.optimizer.currentData(),
            lr=self.lr.value(),
            mode=self.mode.currentData(),
            batch_size=self.batch_size.value(),
            seed=self.seed.value(),
            epochs=self.epochs.value(),
        )
        if self.optimizer.currentData() == "sgd":
            training.update(momentum=self.momentum.value(), nesterov=self.nesterov.isChecked())
        order = self.order.currentData()
        if order == "custom":
            training["order"] = parse_order(self.custom_order.text(), base=1, rows=epoch_rows(self.doc))
        else:
            training["order"] = order
        if self.test_share.value() > 0:  # written only when above 0, as the file format says
            training["test_fraction"] = self.test_share.value()
        else:
            training.pop("test_fraction", None)
        if self.stop_on.isChecked():
            training["stop_below"] = self.stop_below.value()
        else:
            training.pop("stop_below", None)
        return training

    def _refused(self, box: ExactBox, why: str, text: str) -> None:
        shown = box.textFromValue(box.value())
        self.message.emit(translate("SettingsForm", why).format(text=text, value=shown))

    def _write(self) -> None:
        if self._filling:
            return
        self.custom_order.setEnabled(self.order.currentData() == "custom")
        try:
            training = self.form_training()
            if training == self.doc.training:
                return
            settings_from(training)
        except GraphError as err:
            self.message.emit(error_text(err))
            return
        self.bridge.push(SetDocumentField("training", training))
