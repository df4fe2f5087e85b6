"""The training panel: settings (stored in the file's "training"), each parameter's initialiser, and
Start / Pause / one update / Stop with a progress bar, epoch and rate.

Training runs in a QThread: the worker calls ``engine.training.Trainer.run`` with a stop flag and a
progress callback (at most ~30 reports a second, queued to the GUI thread). The panel has no numerics
of its own: it forwards the reports to the plots and, at a modest rate, the current trace to the canvas
(``bridge.show_trace``). When a run ends (finished, stopped, converged or a NaN), the trained values go
into the document as one undoable edit and the canvas goes back to live evaluation.

``install_training(main_window)`` adds the panel, the plot docks and the dataset editor.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractEventDispatcher, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.initialisers import KINDS, InitError, check_init, initial_values
from engine.training import (
    MODES,
    Progress,
    Trainer,
    TrainResult,
    compare,
    parameter_edit,
    settings_from,
)
from graph.edits import SetDocumentField, SetInit
from graph.errors import GraphError
from gui.plots import ActivationPlot, GradNormPlot, LossPlot, SymmetryView

TRACE_INTERVAL = 0.5  # seconds between canvas refreshes while training
UI_INTERVAL_MS = 200
SWITCH_INTERVAL = 0.0001
GUI_FIRST_MAX_WAIT = 0.03  # the worker never waits longer than this for a busy GUI thread
ORDER_CHOICES = ("sequential", "reverse", "shuffle", "custom")
ARG_KEYS = {kind: tuple(defaults) for kind, (defaults, _) in KINDS.items()}


class _Job(QObject):
    """Runs fn(emit_progress) in a worker thread; `done` carries its return value (or the exception)."""

    progressed = Signal(object)
    done = Signal(object)

    def __init__(self, fn: Callable[[Callable[[Any], None]], Any]) -> None:
        super().__init__()
        self.fn = fn

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(self.progressed.emit)
        except Exception as err:  # reported in the panel, never lost in the thread
            result = err
        self.done.emit(result)


class _GuiFirst:
    """A stop check for Trainer.run that also gives way to the GUI thread: while the GUI thread is
    processing events, the worker waits between updates (at most GUI_FIRST_MAX_WAIT at a time)."""

    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop
        self.idle = threading.Event()
        self.idle.set()
        self._free_until = 0.0
        self._dispatcher: Any = None

    def should_stop(self) -> bool:
        if not self.idle.is_set() and time.perf_counter() > self._free_until:
            if not self.idle.wait(GUI_FIRST_MAX_WAIT):
                self._free_until = time.perf_counter() + GUI_FIRST_MAX_WAIT
        return self.stop.is_set()

    def attach(self) -> None:
        self._dispatcher = QAbstractEventDispatcher.instance(QThread.currentThread())
        if self._dispatcher is not None:
            self._dispatcher.awake.connect(self.idle.clear)
            self._dispatcher.aboutToBlock.connect(self.idle.set)

    def detach(self) -> None:
        if self._dispatcher is not None:
            self._dispatcher.awake.disconnect(self.idle.clear)
            self._dispatcher.aboutToBlock.disconnect(self.idle.set)
            self._dispatcher = None
        self.idle.set()


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


class TrainingPanel(QWidget):
    """Settings, initialisers and the run controls; drives the plots given to it."""

    stateChanged = Signal(str)  # "idle" | "running" | "paused"

    def __init__(
        self,
        bridge: Any,
        parent: QWidget | None = None,
        *,
        loss_plot: LossPlot | None = None,
        grad_plot: GradNormPlot | None = None,
        activation_plot: ActivationPlot | None = None,
        symmetry_view: SymmetryView | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.loss_plot = loss_plot or LossPlot()
        self.grad_plot = grad_plot or GradNormPlot()
        self.activation_plot = activation_plot or ActivationPlot()
        self.symmetry_view = symmetry_view or SymmetryView()
        self.trainer: Trainer | None = None
        self.state = "idle"
        self.last_result: TrainResult | None = None
        self.comparison: list[TrainResult] = []
        self._stop = threading.Event()
        self._gate = _GuiFirst(self._stop)
        self._finish_requested = False
        self._thread: QThread | None = None
        self._job: _Job | None = None
        self._last_trace = 0.0
        self._filling = False
        self._pending: list[Progress] = []
        self._ui_timer = QTimer(self)
        self._ui_timer.setSingleShot(True)
        self._ui_timer.setInterval(UI_INTERVAL_MS)
        self._ui_timer.timeout.connect(self._refresh_ui)
        self._build()
        bridge.documentChanged.connect(self._on_document_changed)
        bridge.documentReset.connect(self._on_document_reset)
        bridge.selectionChanged.connect(self._on_selection)
        self.activation_plot.chooser.currentIndexChanged.connect(lambda _i: self._on_activation_chosen())
        self._on_document_reset()

    @property
    def doc(self) -> Any:
        return self.bridge.doc

    # ----- building
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        # run controls
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, text, tip, slot in (
            ("start", "▶ Start", "Train (or resume) in the background", self.start),
            ("pause", "Pause", "Pause; Start resumes, Stop keeps the values", self.pause),
            ("step", "+1 update", "Do one update", self.step_once),
            ("stop", "■ Stop", "Stop and write the trained values into the graph", self.stop),
        ):
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(slot)
            row.addWidget(b)
            self.buttons[name] = b
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setFormat("%p%")
        layout.addWidget(self.progress)
        self.status = QLabel("ready")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a02020")
        self.error.hide()
        layout.addWidget(self.error)
        # settings
        box = QGroupBox("Settings (stored in the file)")
        form = QFormLayout(box)
        self.optimizer = QComboBox()
        self.optimizer.addItems(["sgd", "adam"])
        self.lr = _spin(1e-9, 1e6, 0.1, 6, 0.01)
        self.momentum = _spin(0.0, 0.999999, 0.0, 4, 0.1)
        self.nesterov = QCheckBox("Nesterov")
        mom = QHBoxLayout()
        mom.addWidget(self.momentum)
        mom.addWidget(self.nesterov)
        self.mode = QComboBox()
        self.mode.addItems(list(MODES))
        self.batch_size = _int_spin(1, 1_000_000, 1)
        self.order = QComboBox()
        self.order.addItems(list(ORDER_CHOICES))
        self.custom_order = QLineEdit()
        self.custom_order.setPlaceholderText("e.g. 2, 1 (observation numbers)")
        order_row = QHBoxLayout()
        order_row.addWidget(self.order)
        order_row.addWidget(self.custom_order, 1)
        self.seed = _int_spin(0, 2**31 - 1, 0)
        self.epochs = _int_spin(0, 100_000_000, 1)
        self.stop_on = QCheckBox("stop below")
        self.stop_below = _spin(0.0, 1e12, 1e-4, 10, 1e-4)
        stop_row = QHBoxLayout()
        stop_row.addWidget(self.stop_on)
        stop_row.addWidget(self.stop_below, 1)
        form.addRow("optimizer", self.optimizer)
        form.addRow("learning rate", self.lr)
        form.addRow("momentum", mom)
        form.addRow("mode", self.mode)
        form.addRow("batch size", self.batch_size)
        form.addRow("order", order_row)
        form.addRow("seed", self.seed)
        form.addRow("epochs", self.epochs)
        form.addRow("loss", stop_row)
        layout.addWidget(box)
        for w in (self.optimizer, self.mode, self.order):
            w.currentIndexChanged.connect(lambda _i: self._write_settings())
        for w in (self.lr, self.momentum, self.batch_size, self.seed, self.epochs, self.stop_below):
            w.valueChanged.connect(lambda _v: self._write_settings())
        for w in (self.nesterov, self.stop_on):
            w.toggled.connect(lambda _b: self._write_settings())
        self.custom_order.editingFinished.connect(self._write_settings)
        # initialisers
        box = QGroupBox("Initialisers")
        v = QVBoxLayout(box)
        self.init_table = QTableWidget(0, 4)
        self.init_table.setHorizontalHeaderLabels(["parameter", "kind", "arguments", "seed"])
        self.init_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.init_table.verticalHeader().hide()
        self.init_table.itemChanged.connect(self._on_init_item_changed)
        v.addWidget(self.init_table)
        row = QHBoxLayout()
        reinit = QPushButton("Re-initialise")
        reinit.setToolTip("Draw every parameter from its initialiser (the same seed gives the same start)")
        reinit.clicked.connect(self.reinitialise)
        row.addWidget(reinit)
        self.buttons["reinit"] = reinit
        v.addLayout(row)
        layout.addWidget(box)
        # comparison
        box = QGroupBox("Compare two initialisations")
        row = QHBoxLayout(box)
        self.compare_a = QComboBox()
        self.compare_b = QComboBox()
        for c in (self.compare_a, self.compare_b):
            c.addItems(list(KINDS))
        self.compare_a.setCurrentText("zeros")
        self.compare_b.setCurrentText("xavier_normal")
        run = QPushButton("Compare")
        run.setToolTip("Train the graph from each initialisation and overlay the two loss curves")
        run.clicked.connect(self.run_comparison)
        self.buttons["compare"] = run
        row.addWidget(self.compare_a)
        row.addWidget(QLabel("vs"))
        row.addWidget(self.compare_b)
        row.addWidget(run)
        layout.addWidget(box)
        layout.addStretch(1)
        self._update_buttons()

    def toolbar_actions(self) -> list[QAction]:
        if not hasattr(self, "_actions"):
            self._actions = []
            for name, text in (("start", "Train"), ("pause", "Pause training"), ("step", "One update"),
                               ("stop", "Stop training")):  # fmt: skip
                act = QAction(text, self)
                act.setToolTip(self.buttons[name].toolTip())
                act.triggered.connect(self.buttons[name].click)
                self._actions.append(act)
        return self._actions

    # ----- settings <-> document
    def _on_document_reset(self) -> None:
        self._discard()
        self.error.hide()
        self._on_document_changed()
        self.loss_plot.reset()
        self.loss_plot.set_comparison([])

    def _on_document_changed(self) -> None:
        self._fill_settings()
        self._fill_inits()
        self._fill_activation_candidates()
        if self.state == "idle":
            self.symmetry_view.set_parameters(
                {n.id: n.value for n in self.doc.nodes() if n.op == "parameter" and n.value is not None}
            )
            self._show_activation_idle()

    def _fill_settings(self) -> None:
        training = self.doc.training if isinstance(self.doc.training, dict) else {}
        try:
            s = settings_from(training)
            problem = None
        except GraphError as err:
            s = settings_from({})
            problem = str(err)
        self._filling = True
        self.optimizer.setCurrentText(s.optimizer)
        self.lr.setValue(s.lr)
        self.momentum.setValue(s.momentum)
        self.nesterov.setChecked(s.nesterov)
        self.mode.setCurrentText(s.mode)
        self.batch_size.setValue(s.batch_size)
        if isinstance(s.order, tuple):
            self.order.setCurrentText("custom")
            self.custom_order.setText(", ".join(str(i + 1) for i in s.order))
        else:
            self.order.setCurrentText(s.order)
        self.custom_order.setEnabled(self.order.currentText() == "custom")
        self.seed.setValue(s.seed)
        self.epochs.setValue(s.epochs)
        self.stop_on.setChecked(s.stop_below is not None)
        if s.stop_below is not None:
            self.stop_below.setValue(s.stop_below)
        self.stop_below.setEnabled(s.stop_below is not None)
        self.batch_size.setEnabled(s.mode == "minibatch")
        self.momentum.setEnabled(s.optimizer == "sgd")
        self.nesterov.setEnabled(s.optimizer == "sgd")
        self._filling = False
        if problem:
            self.status.setText(f"settings in the file: {problem}")

    def form_training(self) -> dict[str, Any]:
        """The training object the form describes (the file's other keys kept)."""
        training = dict(self.doc.training) if isinstance(self.doc.training, dict) else {}
        training.update(
            optimizer=self.optimizer.currentText(),
            lr=self.lr.value(),
            mode=self.mode.currentText(),
            batch_size=self.batch_size.value(),
            seed=self.seed.value(),
            epochs=self.epochs.value(),
        )
        if self.optimizer.currentText() == "sgd":
            training.update(momentum=self.momentum.value(), nesterov=self.nesterov.isChecked())
        order = self.order.currentText()
        if order == "custom":
            parts = [p for p in self.custom_order.text().replace(",", " ").split() if p]
            try:
                numbers = [int(p) - 1 for p in parts]
            except ValueError:
                numbers = []
            if numbers and min(numbers) >= 0:
                training["order"] = numbers
        else:
            training["order"] = order
        if self.stop_on.isChecked():
            training["stop_below"] = self.stop_below.value()
        else:
            training.pop("stop_below", None)
        return training

    def _write_settings(self) -> None:
        if self._filling:
            return
        self.custom_order.setEnabled(self.order.currentText() == "custom")
        training = self.form_training()
        if training == self.doc.training:
            return
        try:
            settings_from(training)
        except GraphError as err:
            self.status.setText(str(err))
            return
        self.bridge.push(SetDocumentField("training", training))

    # ----- initialisers
    def _fill_inits(self) -> None:
        params = [n for n in self.doc.nodes() if n.op == "parameter"]
        self._filling = True
        self.init_table.setRowCount(len(params))
        for i, node in enumerate(params):
            init = node.init or {}
            name = QTableWidgetItem(node.id)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.init_table.setItem(i, 0, name)
            combo = self.init_table.cellWidget(i, 1)
            if not isinstance(combo, QComboBox):
                combo = QComboBox()
                combo.addItems(["(current value)", *KINDS])
                combo.currentIndexChanged.connect(lambda _k, c=combo: self._on_init_kind(c))
                self.init_table.setCellWidget(i, 1, combo)
            combo.blockSignals(True)
            combo.setProperty("node", node.id)
            combo.setCurrentText(init.get("kind", "(current value)") if init else "(current value)")
            combo.blockSignals(False)
            args = " ".join(f"{k}={init[k]}" for k in ARG_KEYS.get(init.get("kind", ""), ()) if k in init)
            self.init_table.setItem(i, 2, QTableWidgetItem(args))
            self.init_table.setItem(
                i, 3, QTableWidgetItem("" if init.get("seed") is None else str(init["seed"]))
            )
        self._filling = False

    def _row_init(self, row: int) -> dict[str, Any] | None:
        combo = self.init_table.cellWidget(row, 1)
        kind = combo.currentText() if isinstance(combo, QComboBox) else "(current value)"
        if kind == "(current value)":
            return None
        init: dict[str, Any] = {"kind": kind}
        args = self.init_table.item(row, 2).text() if self.init_table.item(row, 2) else ""
        for part in args.replace(",", " ").split():
            key, _, value = part.partition("=")
            try:
                init[key.strip()] = float(value)
            except ValueError:
                raise InitError(f"argument {part!r}: write key=number, e.g. value=0.5", key=key) from None
        seed = self.init_table.item(row, 3).text().strip() if self.init_table.item(row, 3) else ""
        if seed:
            try:
                init["seed"] = int(seed)
            except ValueError:
                raise InitError(f"seed {seed!r} is not a whole number", key="seed") from None
        return init

    def _push_init(self, row: int) -> None:
        node_id = self.init_table.item(row, 0).text()
        try:
            init = self._row_init(row)
            if init is not None:
                check_init(init, node_id)
        except InitError as err:
            self.status.setText(str(err))
            self._fill_inits()
            return
        if init != self.doc.node(node_id).init:
            self.bridge.push(SetInit(node_id, init))

    def _on_init_kind(self, combo: QComboBox) -> None:
        if self._filling:
            return
        for row in range(self.init_table.rowCount()):
            if self.init_table.cellWidget(row, 1) is combo:
                self._push_init(row)

    def _on_init_item_changed(self, item: QTableWidgetItem) -> None:
        if not self._filling and item.column() in (2, 3):
            self._push_init(item.row())

    def reinitialise(self) -> bool:
        """Draw every parameter from its init into the document (one undoable edit)."""
        if self.state == "running":
            return False
        self._discard()
        try:
            values = initial_values(self.doc)
        except GraphError as err:
            self.status.setText(str(err))
            return False
        self.loss_plot.reset()
        self.bridge.push(parameter_edit(self.doc, values, "Re-initialise parameters"))
        self.status.setText("parameters re-initialised")
        return True

    # ----- activation plot
    def _fill_activation_candidates(self) -> None:
        registry = getattr(self.bridge, "registry", None)
        items = []
        for node in self.doc.nodes():
            op = registry.get(node.op) if registry is not None else None
            if op is not None and op.group == "Activations" and len(op.inputs) == 1:
                items.append((node.id, node.op))
        self.activation_plot.set_candidates(items)
        self._on_activation_chosen(refresh=False)

    def _on_selection(self, ids: list[str]) -> None:
        if len(ids) == 1 and self.activation_plot.choose(ids[0]):
            self._on_activation_chosen()

    def _watch(self) -> tuple[str, ...]:
        node_id = self.activation_plot.current()
        if not node_id or node_id not in self.doc:
            return ()
        source = next(iter(self.doc.inputs_of(node_id).values()), None)
        return (node_id, source) if source else ()

    def _on_activation_chosen(self, refresh: bool = True) -> None:
        node_id = self.activation_plot.current()
        if node_id and node_id in self.doc:
            node = self.doc.node(node_id)
            self.activation_plot.set_function(node.op, node.attrs)
        else:
            self.activation_plot.set_function(None, None)
        if self.trainer is not None:
            self.trainer.watch = self._watch()
        if refresh and self.state == "idle":
            self._show_activation_idle()

    def _show_activation_idle(self) -> None:
        watch = self._watch()
        if not watch:
            self.activation_plot.set_points(None)
            return
        try:
            trainer = Trainer.create(self.doc.copy(), settings_from({}))
            values = trainer.values_over_rows(watch)
        except GraphError:
            self.activation_plot.set_points(None)
            return
        self.activation_plot.set_points(values.get(watch[1]))

    # ----- running
    def is_running(self) -> bool:
        return self.state == "running" or self._thread is not None

    def _new_trainer(self) -> Trainer | None:
        self.error.hide()
        try:
            settings = settings_from(self.doc.training)
            trainer = Trainer.create(self.doc.copy(), settings, record_grad_norms=True)
        except GraphError as err:
            self.status.setText(f"cannot train: {err}")
            return None
        trainer.want_trace = True
        trainer.watch = self._watch()
        self.loss_plot.reset()
        self.grad_plot.reset(trainer.parameter_ids)
        self.symmetry_view.set_parameters(trainer.parameters())
        self._last_trace = 0.0
        return trainer

    def start(self) -> bool:
        """Start a run, or resume a paused one, in the worker thread."""
        if self._thread is not None:
            return False
        if self.trainer is None or self.trainer.done:
            self.trainer = self._new_trainer()
            if self.trainer is None:
                return False
        trainer, stop = self.trainer, self._stop
        stop.clear()
        self._finish_requested = False
        gate = self._gate
        self._run_job(lambda emit: trainer.run(emit, gate.should_stop), self._on_run_ended, self._on_progress)
        self._set_state("running")
        return True

    def _run_job(
        self, fn: Callable[..., Any], on_done: Callable[[Any], None], on_progress: Any = None
    ) -> None:
        thread = QThread(self)
        job = _Job(fn)
        job.moveToThread(thread)
        thread.started.connect(job.run)
        if on_progress is not None:
            job.progressed.connect(on_progress)
        job.done.connect(self._job_done)
        self._on_done = on_done
        self._thread, self._job = thread, job
        self.bridge.set_paused(True)
        # NOTE: the worker holds the GIL between small numpy calls, and every Python call of the GUI thread
        # (painting included) must win it back. The gate lets the GUI go first: the worker waits between
        # updates while the GUI thread is awake, and runs while it sleeps in its event loop.
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        self._gate.attach()
        thread.start()

    @Slot(object)
    def _job_done(self, result: Any) -> None:
        on_done = self._on_done
        sys.setswitchinterval(self._switch_interval)
        self._gate.detach()
        thread = self._thread
        if thread is not None:
            thread.quit()
            thread.wait()
            thread.deleteLater()
        self._thread = None
        self._job = None
        on_done(result)

    def pause(self) -> None:
        if self.state == "running":
            self._finish_requested = False
            self._stop.set()

    def stop(self) -> None:
        """Stop and keep the trained values (one undoable edit)."""
        if self.state == "running":
            self._finish_requested = True
            self._stop.set()
        elif self.state == "paused" and self.trainer is not None:
            self._finish(self.trainer.result())

    def step_once(self) -> bool:
        """One update (on the GUI thread: it takes microseconds)."""
        if self._thread is not None:
            return False
        if self.trainer is None or self.trainer.done:
            self.trainer = self._new_trainer()
            if self.trainer is None:
                return False
            self.bridge.set_paused(True)
        self.trainer.step()
        self._on_progress(self.trainer.report(finished=True), force_trace=True)
        if self.trainer.done:
            self._finish(self.trainer.result())
        else:
            self._set_state("paused")
        return True

    @Slot(object)
    def _on_progress(self, p: Progress, force_trace: bool = False) -> None:
        """Keep what arrived (cheap); the widgets are refreshed by a timer at a modest rate."""
        self._pending.append(p)
        if force_trace or p.finished:
            self._refresh_ui(force_trace=True)
        elif not self._ui_timer.isActive():
            self._ui_timer.start()

    def _refresh_ui(self, force_trace: bool = False) -> None:
        pending, self._pending = self._pending, []
        trainer = self.trainer
        if not pending or trainer is None:
            return
        p = pending[-1]
        total = max(p.total_updates, 1)
        self.progress.setValue(int(1000 * min(p.update / total, 1.0)))
        loss = "" if p.loss is None else f" · loss {p.loss:.6g}"
        rate = f" · {p.rate:,.0f} updates/s" if p.rate > 0 and not p.finished else ""
        self.status.setText(f"epoch {p.epoch}/{p.epochs} · update {p.update}/{total}{rate}{loss}")
        history = [x for q in pending for x in q.history]
        epochs = [x for q in pending for x in q.epoch_losses]
        self.loss_plot.add(history, epochs, trainer.updates_per_epoch)
        self.grad_plot.add([x for q in pending for x in q.grad_norms])
        self.symmetry_view.set_parameters(p.parameters)
        watched = next((q.watched for q in reversed(pending) if q.watched), None)
        if watched:
            watch = self._watch()
            if len(watch) == 2 and watch[1] in watched:
                self.activation_plot.set_points(watched[watch[1]])
        now = time.perf_counter()
        if p.trace is not None and (force_trace or now - self._last_trace >= TRACE_INTERVAL):
            self._last_trace = now
            self.bridge.show_trace(p.trace)

    def _on_run_ended(self, result: Any) -> None:
        if isinstance(result, Exception):
            self.status.setText(f"training failed: {result}")
            self._discard()
            return
        self.last_result = result
        if self.trainer is not None and (self.trainer.done or self._finish_requested):
            self._finish(result)
        else:
            self._set_state("paused")
            self.status.setText(self.status.text() + " · paused")

    def _finish(self, result: TrainResult) -> None:
        """Write the trained values into the document (undoable) and go back to live evaluation."""
        self._refresh_ui(force_trace=True)
        self.last_result = result
        doc = self.doc
        fitting = {
            k: v
            for k, v in result.parameters.items()
            if k in doc and doc.node(k).value is not None and doc.node(k).value.shape == np.shape(v)
        }
        edit = parameter_edit(doc, fitting, f"Train: {result.updates} updates")
        self.trainer = None
        self._set_state("idle")
        self.bridge.set_paused(False)
        if edit.edits:
            self.bridge.push(edit)
        self.bridge.resume_live()
        final = "n/a" if result.final_loss is None else f"{result.final_loss:.6g}"
        self.status.setText(
            f"{result.status}: {result.updates} updates, {result.epochs} epochs · final loss {final}"
        )
        if result.error is not None:
            self.error.setText(f"{result.error}")
            self.error.show()

    def _discard(self) -> None:
        """Forget a paused run without writing its values."""
        if self._thread is not None:
            self._stop.set()
            self._thread.quit()
            self._thread.wait(2000)
            self._thread = None
        if self.trainer is not None:
            self.trainer = None
            self.bridge.set_paused(False)
            if hasattr(self.bridge, "resume_live"):
                self.bridge.resume_live()
        self._set_state("idle")

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.state == "running"
        self.buttons["start"].setText("▶ Resume" if self.state == "paused" else "▶ Start")
        self.buttons["start"].setEnabled(not running)
        self.buttons["pause"].setEnabled(running)
        self.buttons["step"].setEnabled(not running)
        self.buttons["stop"].setEnabled(self.state != "idle")
        self.buttons["reinit"].setEnabled(not running)
        self.buttons["compare"].setEnabled(self.state == "idle")

    # ----- comparison
    def run_comparison(self, wait: bool = False) -> bool:
        """Train twice, from the two chosen initialisations, in the worker; overlay the loss curves."""
        if self.state != "idle" or self._thread is not None:
            return False
        kinds = [self.compare_a.currentText(), self.compare_b.currentText()]
        try:
            settings = settings_from(self.doc.training)
        except GraphError as err:
            self.status.setText(str(err))
            return False
        doc = self.doc.copy()
        stop = self._stop
        stop.clear()
        self.status.setText(f"comparing {kinds[0]} and {kinds[1]} …")
        self._set_state("running")
        self._comparison_kinds = kinds
        self._run_job(
            lambda _emit: compare(doc, [{"kind": k} for k in kinds], settings, stop=stop),
            self._on_comparison_done,
        )
        return True

    def _on_comparison_done(self, results: Any) -> None:
        self.bridge.set_paused(False)
        self._set_state("idle")
        if isinstance(results, Exception):
            self.status.setText(f"comparison failed: {results}")
            return
        self.comparison = results
        kinds = self._comparison_kinds
        self.loss_plot.set_comparison([(k, r.history) for k, r in zip(kinds, results)])
        finals = ", ".join(
            f"{k}: {'n/a' if r.final_loss is None else f'{r.final_loss:.4g}'}" for k, r in zip(kinds, results)
        )
        self.status.setText(f"comparison done · final loss {finals}")


def install_training(main_window: Any) -> TrainingPanel:
    """Add the training panel, the plot docks (loss, activation, gradient norms, symmetry) and the dataset
    editor to the main window, and the run buttons to its toolbar."""
    from gui.dataset_editor import install_dataset_editor

    loss, grads = LossPlot(), GradNormPlot()
    activation, sym = ActivationPlot(), SymmetryView()
    panel = TrainingPanel(
        main_window.bridge,
        main_window,
        loss_plot=loss,
        grad_plot=grads,
        activation_plot=activation,
        symmetry_view=sym,
    )
    main_window.add_panel(panel, "Training", Qt.DockWidgetArea.RightDockWidgetArea)
    bottom = Qt.DockWidgetArea.BottomDockWidgetArea
    docks = [main_window.add_panel(w, title, bottom) for w, title in (
        (loss, "Loss"), (activation, "Activation"), (grads, "Gradient norms"), (sym, "Symmetry"),
    )]  # fmt: skip
    editor = install_dataset_editor(main_window)
    if hasattr(main_window, "tabifyDockWidget"):
        main_window.splitDockWidget(docks[0], docks[1], Qt.Orientation.Horizontal)
        main_window.tabifyDockWidget(docks[1], docks[2])
        main_window.tabifyDockWidget(docks[2], docks[3])
        dataset_dock = editor.parentWidget()
        if dataset_dock is not None and dataset_dock is not main_window:
            main_window.tabifyDockWidget(docks[3], dataset_dock)
        docks[1].raise_()
        main_window.resizeDocks([docks[0]], [280], Qt.Orientation.Vertical)
    main_window.add_toolbar_actions(panel.toolbar_actions())
    main_window.training_panel = panel
    main_window.dataset_editor = editor
    return panel


def standalone_window(doc: Any) -> tuple[Any, TrainingPanel]:
    """A main window with `doc` loaded and the training installed (benchmarks, screenshots)."""
    from gui.main_window import MainWindow

    window = MainWindow(autosave=False)
    window.bridge.set_document(doc, None)
    panel = install_training(window)
    return window, panel
