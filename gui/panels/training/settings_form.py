"""The training settings form ("Settings (stored in the file)"): every change is written to the
document's ``training`` object as one undoable edit, once ``settings_from`` accepts it; a refused
entry (a bad custom order) is reported through ``message`` and nothing is written."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
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
from gui.i18n import QT_TRANSLATE_NOOP, translate

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
    """Optimizer, learning rate, momentum, mode, batch size, order, seed, epochs and the stop threshold."""

    message = Signal(str)  # a problem with the file's settings or a refused entry

    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(translate("SettingsForm", "Settings (stored in the file)"), parent)
        self.bridge = bridge
        self._filling = False
        self.optimizer = _choices(OPTIMIZER_NAMES, OPTIMIZER_NAMES)
        self.lr = _spin(1e-9, 1e6, 0.1, 6, 0.01)
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
        form = QFormLayout(self)
        form.addRow(translate("SettingsForm", "optimizer"), self.optimizer)
        form.addRow(translate("SettingsForm", "learning rate"), self.lr)
        form.addRow(translate("SettingsForm", "momentum"), _row(self.momentum, self.nesterov))
        form.addRow(translate("SettingsForm", "mode"), self.mode)
        form.addRow(translate("SettingsForm", "batch size"), self.batch_size)
        order_row = _row(self.order, self.custom_order, stretch_last=True)
        form.addRow(translate("SettingsForm", "order"), order_row)
        form.addRow(translate("SettingsForm", "seed"), self.seed)
        form.addRow(translate("SettingsForm", "epochs"), self.epochs)
        form.addRow(translate("SettingsForm", "loss"), _row(self.stop_on, self.stop_below, stretch_last=True))
        for w in (self.optimizer, self.mode, self.order):
            w.currentIndexChanged.connect(lambda _i: self._write())
        for w in (self.lr, self.momentum, self.batch_size, self.seed, self.epochs, self.stop_below):
            w.valueChanged.connect(lambda _v: self._write())
        for w in (self.nesterov, self.stop_on):
            w.toggled.connect(lambda _b: self._write())
        self.custom_order.editingFinished.connect(self._write)

    @property
    def doc(self) -> Any:
        return self.bridge.doc

    def fill(self) -> None:
        """Show the document's settings (the defaults, and a message, when the file's are bad)."""
        training = self.doc.training if isinstance(self.doc.training, dict) else {}
        try:
            s, problem = settings_from(training), None
        except GraphError as err:
            s, problem = settings_from({}), str(err)
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
        if self.stop_on.isChecked():
            training["stop_below"] = self.stop_below.value()
        else:
            training.pop("stop_below", None)
        return training

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
            self.message.emit(str(err))
            return
        self.bridge.push(SetDocumentField("training", training))
