"""The training panel: settings (stored in the file's "training"), each parameter's initialiser, and
Start / Pause / one update / Stop with a progress bar, epoch and rate.

Training runs in a separate process (``gui.panels.training_worker``: started on first use, kept for later
runs, ended with the window): a loop in a thread of this process would starve the GUI thread of the GIL.
Start, Pause, +1 update and Stop are messages to it; its progress reports (at most ~25 a second) are
polled by a QTimer on the GUI thread. The panel has no numerics of its own: it hands the new losses and
norms to the plots (at most ~7 times a second) and, every TRACE_INTERVAL, the current trace to the
canvas (``bridge.show_trace``). When a run ends (finished, stopped, converged or a NaN), the trained
values go into the document as one undoable edit and the canvas goes back to live evaluation.

``install_training(main_window)`` adds the panel, the plot docks and the dataset editor.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
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

import engine
from engine.compile.trace import Trace
from engine.train.dataset import epoch_rows
from engine.train.initialisers import KINDS, InitError, check_init, initial_values
from engine.train.order import parse_order
from engine.train.results import Progress, TrainResult, parameter_edit
from engine.train.settings import MODES, settings_from
from engine.train.trainer import Trainer
from graph.edits import SetDocumentField, SetInit
from graph.errors import GraphError
from graph.file_format import dumps, loads
from gui.panels.plots import (
    ActivationPlot,
    GradNormPlot,
    LossPlot,
    SymmetryView,
    hold_redraws,
    redrawn_within,
)
from gui.panels.training_worker import RemoteTrainer, TrainingWorker, WorkerDied

TRACE_INTERVAL = 0.25  # seconds between canvas refreshes while training
APART = 0.03  # seconds kept between a plot's redraw and the canvas's, so that their repaints do not add up
UI_INTERVAL = 0.15  # seconds between refreshes of the status line and the plots' data
POLL_MS = 33  # the GUI thread looks for the worker's messages at most ~30 times a second
ORDER_CHOICES = ("sequential", "reverse", "shuffle", "custom")
ARG_KEYS = {kind: tuple(defaults) for kind, (defaults, _) in KINDS.items()}


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
    progressed = Signal(object)  # each Progress from the worker, as it is taken (benchmarks, tests)

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
        self.trainer: RemoteTrainer | None = None
        self.state = "idle"
        self.last_result: TrainResult | None = None
        self.comparison: list[TrainResult] = []
        self.worker = TrainingWorker()
        self._finishing = False
        self._comparison_job: int | None = None
        self._last_trace = 0.0
        self._last_ui = 0.0
        self._filling = False
        self._pending: list[Progress] = []
        self._held_trace: Trace | None = None
        self._watched_window: QObject | None = None
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(POLL_MS)
        self._poll_timer.timeout.connect(self._poll)
        # the child process never outlives the panel, the window or the application
        self.destroyed.connect(self.worker.close)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.worker.close)
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
        self.grad_plot.reset([])
        self.status.setText("ready")
        from PySide6.QtWidgets import QProgressBar  # here: wherever the panel builds its progress bar

        self.findChild(QProgressBar).reset()

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
        if order == "custom":  # numbered from 1, as the dataset editor numbers the rows
            training["order"] = parse_order(self.custom_order.text(), base=1, rows=epoch_rows(self.doc))
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
        try:
            training = self.form_training()
            if training == self.doc.training:
                return
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
            if self.worker.alive:
                self.worker.send("watch", self.trainer.job, self.trainer.watch)
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
        return self.state == "running"

    def _new_trainer(self) -> RemoteTrainer | None:
        """Check the settings here (at once, with a clear message) and create the run in the worker."""
        self.error.hide()
        try:
            self.form_training()  # a bad entry in the form (a custom order) is refused, not skipped
            text = dumps(self.doc)
            settings = settings_from(self.doc.training)
            local = Trainer.create(loads(text, engine.REGISTRY), settings)
        except (GraphError, ValueError) as err:
            self.status.setText(f"cannot train: {err}")
            return None
        job = self.worker.new_job()
        trainer = RemoteTrainer(
            job, local.plan, list(local.parameter_ids), local.updates_per_epoch, local.total_updates
        )
        trainer.watch = self._watch()
        self._watch_window()
        self.worker.send(
            "create",
            job,
            {
                "text": text,
                "training": self.doc.training,
                "watch": trainer.watch,
                "trace_interval": TRACE_INTERVAL,
            },
        )
        self.loss_plot.reset(trainer.total_updates)
        self.grad_plot.reset(trainer.parameter_ids, trainer.total_updates)
        self.symmetry_view.set_parameters(local.parameters())
        self._pending = []
        self._held_trace = None
        self._last_trace = 0.0
        return trainer

    def start(self) -> bool:
        """Start a run, or resume a paused one, in the worker process."""
        if self.state == "running" or self._finishing or self._comparison_job is not None:
            return False
        if self.trainer is None or self.trainer.done:
            self.trainer = self._new_trainer()
            if self.trainer is None:
                return False
        self.worker.send("run", self.trainer.job)
        self.bridge.set_paused(True)
        self._set_state("running")
        self._poll_timer.start()
        return True

    def pause(self) -> None:
        """Ask the worker to pause; the panel says "paused" when it has."""
        if self._comparison_job is not None:
            self.worker.send("pause", self._comparison_job)
        elif self.state == "running" and self.trainer is not None and not self._finishing:
            self.worker.send("pause", self.trainer.job)

    def stop(self) -> None:
        """Stop and keep the trained values (one undoable edit, when the result has come back)."""
        if self._comparison_job is not None:
            self.worker.send("pause", self._comparison_job)
        elif self.state in ("running", "paused") and self.trainer is not None and not self._finishing:
            self._finishing = True
            self.worker.send("finish", self.trainer.job)
            self._update_buttons()
            self._poll_timer.start()

    def step_once(self) -> bool:
        """One update (the worker answers within a poll or two)."""
        if self.state == "running" or self._finishing or self._comparison_job is not None:
            return False
        if self.trainer is None or self.trainer.done:
            self.trainer = self._new_trainer()
            if self.trainer is None:
                return False
            self.bridge.set_paused(True)
        self.worker.send("step", self.trainer.job, 1)
        self._set_state("paused")
        self._poll_timer.start()
        return True

    def _poll(self) -> None:
        """Take the worker's messages (on the GUI thread, at most ~30 times a second)."""
        try:
            messages = self.worker.poll()
        except WorkerDied as err:
            self._on_worker_error(str(err))
            return
        for kind, job, payload in messages:
            self._on_message(kind, job, payload)
        if self._held_trace is not None or (
            self._pending and time.perf_counter() - self._last_ui >= UI_INTERVAL
        ):
            self._refresh_ui()
        if self.trainer is None and self._comparison_job is None:
            self._poll_timer.stop()

    def _on_message(self, kind: str, job: Any, payload: Any) -> None:
        trainer = self.trainer
        if job is not None and job == self._comparison_job:
            if kind == "compared":
                self._on_comparison_done([TrainResult.from_json(r) for r in payload])
            elif kind == "error":
                self._on_comparison_done(RuntimeError(payload["message"]))
            return
        if trainer is None or job != trainer.job:
            return  # from a run already ended or discarded
        if kind == "created":
            trainer.same_plan = payload["ids"] == list(trainer.plan.ids)
        elif kind == "progress":
            self._on_progress(payload)
        elif kind == "paused":
            trainer.update, trainer.epoch = payload["update"], payload["epoch"]
            if self._pending:
                self._refresh_ui(force_trace=True)
            if self.state == "running":
                self._set_state("paused")
                self.status.setText(self.status.text() + " · paused")
        elif kind == "result":
            self._finish(TrainResult.from_json(payload))
        elif kind == "error":
            self._on_worker_error(payload["message"])

    def _on_worker_error(self, message: str) -> None:
        comparing = self._comparison_job is not None
        self._comparison_job = None
        self._discard()
        self.status.setText(f"{'comparison' if comparing else 'training'} failed: {message}")
        self._poll_timer.stop()

    def _on_progress(self, p: Progress) -> None:
        """Keep what arrived (cheap); the widgets are refreshed at most every UI_INTERVAL."""
        trainer = self.trainer
        if trainer is None:
            return
        trainer.update, trainer.epoch = p.update, p.epoch
        raw = p.trace
        p.trace = Trace(trainer.plan, *raw) if raw is not None and trainer.same_plan else None
        self._pending.append(p)
        self.progressed.emit(p)
        if p.finished:
            self._refresh_ui(force_trace=True)

    def _refresh_ui(self, force_trace: bool = False) -> None:
        pending, self._pending = self._pending, []
        trainer = self.trainer
        if trainer is None:
            return
        if pending:
            self._refresh_numbers(pending, trainer)
        trace = next((q.trace for q in reversed(pending) if q.trace is not None), self._held_trace)
        self._held_trace = None
        now = time.perf_counter()
        if trace is not None and (force_trace or now - self._last_trace >= TRACE_INTERVAL * 0.8):
            if not force_trace and redrawn_within(APART):
                self._held_trace = trace  # at the next poll
                return
            self._last_trace = now
            hold_redraws(APART)
            self.bridge.show_trace(trace)

    def _refresh_numbers(self, pending: list[Progress], trainer: RemoteTrainer) -> None:
        """The status line, progress bar and the plots' data (they redraw on their own timer)."""
        self._last_ui = time.perf_counter()
        p = pending[-1]
        total = max(p.total_updates, 1)
        self.progress.setValue(int(1000 * min(p.update / total, 1.0)))
        loss = "" if p.loss is None else f" · loss {p.loss:.6g}"
        rate = f" · {p.rate:,.0f} updates/s" if p.rate > 0 and not p.finished else ""
        self.status.setText(f"epoch {p.epoch}/{p.epochs} · update {p.update}/{total}{rate}{loss}")
        history = np.concatenate([np.asarray(q.history, dtype=np.float64) for q in pending])
        epochs = np.concatenate([np.asarray(q.epoch_losses, dtype=np.float64) for q in pending])
        self.loss_plot.add(history, epochs, trainer.updates_per_epoch)
        n = len(trainer.parameter_ids)
        self.grad_plot.add(
            np.concatenate([np.asarray(q.grad_norms, dtype=np.float64).reshape(-1, n) for q in pending])
        )
        self.symmetry_view.set_parameters(p.parameters)
        watched = next((q.watched for q in reversed(pending) if q.watched), None)
        if watched:
            watch = self._watch()
            if len(watch) == 2 and watch[1] in watched:
                self.activation_plot.set_points(watched[watch[1]])

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
        self._finishing = False
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
        """Forget a run (running or paused) without writing its values."""
        self._pending = []
        self._held_trace = None
        self._finishing = False
        if self._comparison_job is not None:
            if self.worker.alive:
                self.worker.send("pause", self._comparison_job)
            self._comparison_job = None
        if self.trainer is not None:
            if self.worker.alive:
                self.worker.send("pause", self.trainer.job)
                self.worker.send("discard", self.trainer.job)
            self.trainer = None
            self.bridge.set_paused(False)
            if hasattr(self.bridge, "resume_live"):
                self.bridge.resume_live()
        self._set_state("idle")

    def shutdown(self) -> None:
        """Forget any run and end the worker process (the window closes; tests)."""
        self._poll_timer.stop()
        if self.trainer is not None or self._comparison_job is not None:
            self._discard()
        self.worker.close()

    def _watch_window(self) -> None:
        """End the worker when the window closes (it starts again on the next run)."""
        window = self.window()
        if window is not self and window is not self._watched_window:
            window.installEventFilter(self)
            self._watched_window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched_window and event.type() == QEvent.Type.Close:
            QTimer.singleShot(0, self._after_window_close)
        return False

    def _after_window_close(self) -> None:
        window = self._watched_window
        if window is not None and not window.isVisible():
            self.shutdown()

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.state == "running"
        self.buttons["start"].setText("▶ Resume" if self.state == "paused" else "▶ Start")
        finishing = self._finishing
        self.buttons["start"].setEnabled(not running and not finishing)
        self.buttons["pause"].setEnabled(running and not finishing)
        self.buttons["step"].setEnabled(not running and not finishing)
        self.buttons["stop"].setEnabled(self.state != "idle" and not finishing)
        self.buttons["reinit"].setEnabled(not running)
        self.buttons["compare"].setEnabled(self.state == "idle")

    # ----- comparison
    def run_comparison(self, wait: bool = False) -> bool:
        """Train twice, from the two chosen initialisations, in the worker; overlay the loss curves."""
        if self.state != "idle" or self._comparison_job is not None:
            return False
        kinds = [self.compare_a.currentText(), self.compare_b.currentText()]
        try:
            self.form_training()
            settings_from(self.doc.training)
            text = dumps(self.doc)
        except (GraphError, ValueError) as err:
            self.status.setText(str(err))
            return False
        self.status.setText(f"comparing {kinds[0]} and {kinds[1]} …")
        self._comparison_kinds = kinds
        self._comparison_job = job = self.worker.new_job()
        self._watch_window()
        self.worker.send("compare", job, {"text": text, "training": self.doc.training, "kinds": kinds})
        self._set_state("running")
        self._poll_timer.start()
        return True

    def _on_comparison_done(self, results: Any) -> None:
        self._comparison_job = None
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
    from gui.panels.dataset_editor import install_dataset_editor

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
