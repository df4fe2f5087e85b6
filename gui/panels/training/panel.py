"""The training panel: settings (stored in the file's "training"), each parameter's initialiser, and
Start / Pause / one update / Stop with a progress bar, epoch and rate.

Training runs in a separate process (``gui.panels.training.worker``: started on first use, kept for later
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
from PySide6.QtWidgets import QVBoxLayout, QWidget

import engine
from engine.compile.cache import plan_for
from engine.compile.trace import Trace
from engine.i18n import _
from engine.teach.names import node_names
from engine.train.initialisers import initial_values
from engine.train.metrics import find_layers
from engine.train.results import DATASET_MEAN, Progress, TrainResult, parameter_edit
from engine.train.settings import settings_from
from engine.train.trainer import Trainer
from graph.errors import GraphError
from graph.events import Event, NodeMoved, ValueChanged
from graph.file_format import dumps, loads
from gui.i18n import error_text, translate
from gui.panels.training.controls import CompareBox, RunControls, english_plural, ready_text
from gui.panels.training.init_table import InitTable
from gui.panels.training.plots import ActivationPlot, GradNormPlot, LossPlot, hold_redraws, redrawn_within
from gui.panels.training.settings_form import SettingsForm
from gui.panels.training.symmetry import SymmetryView
from gui.panels.training.worker import RemoteTrainer, TrainingWorker, WorkerDied

TRACE_INTERVAL = 0.25  # seconds between canvas refreshes while training
APART = 0.03  # seconds kept between a plot's redraw and the canvas's, so that their repaints do not add up
UI_INTERVAL = 0.15  # seconds between refreshes of the status line and the plots' data
POLL_MS = 33  # the GUI thread looks for the worker's messages at most ~30 times a second
# Changes that leave the settings form, the initialiser table, the activation choices and the layers as
# they are (refilling those took most of a value edit's time on a graph of thousands of nodes).
_NUMBERS_ONLY = (ValueChanged, NodeMoved)


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
        self._pending: list[Progress] = []
        self._held_trace: Trace | None = None
        self._watched_window: QObject | None = None
        self._lists_stale = True  # a change since the last refresh calls for refilling the lists
        bridge.doc.events.subscribe(Event, self._note_change)  # (the bridge keeps its document object)
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(POLL_MS)
        self._poll_timer.timeout.connect(self._poll)
        # the child process never outlives the panel, the window or the application
        worker = self.worker
        self.destroyed.connect(lambda *_: worker.close())  # (destroyed passes the object: not a timeout)
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
        """Run controls, the settings form, the initialiser table and the comparison, top to bottom."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.controls = RunControls(
            {"start": self.start, "pause": self.pause, "step": self.step_once, "stop": self.stop}
        )
        self.status, self.error = self.controls.status, self.controls.error
        self.form = SettingsForm(self.bridge)
        self.inits = InitTable(self.bridge)
        self.compare_box = CompareBox()
        for box in (self.controls, self.form, self.inits, self.compare_box):
            layout.addWidget(box)
        layout.addStretch(1)
        self.form.message.connect(self.status.setText)
        self.inits.message.connect(self.status.setText)
        self.inits.reinit.clicked.connect(self.reinitialise)
        self.compare_box.run.clicked.connect(self.run_comparison)
        self._update_buttons()

    def toolbar_actions(self) -> list[QAction]:
        if not hasattr(self, "_actions"):
            self._actions = []
            for name, text in (
                ("start", translate("TrainingPanel", "Train")),
                ("pause", translate("TrainingPanel", "Pause training")),
                ("step", translate("TrainingPanel", "One update")),
                ("stop", translate("TrainingPanel", "Stop training")),
            ):
                act = QAction(text, self)
                act.setToolTip(self.controls.buttons[name].toolTip())
                act.triggered.connect(self.controls.buttons[name].click)
                self._actions.append(act)
        return self._actions

    # ----- settings <-> document
    def _on_document_reset(self) -> None:
        """Another document: nothing of the previous one's runs stays (status, progress, plots)."""
        self._discard()
        self.error.hide()
        self.status.setText(ready_text())
        self.controls.progress.setValue(0)
        self.last_result = None
        self.comparison = []
        self._on_document_changed()
        self.loss_plot.reset()
        self.loss_plot.set_comparison([])
        self.grad_plot.reset([])

    def _names(self) -> dict[str, str]:
        """Node id → its name as the step panel writes it (its label, with the id where another node
        reads alike), for the plots."""
        return node_names(self.doc)

    def _note_change(self, event: Event) -> None:
        if not isinstance(event, _NUMBERS_ONLY):
            self._lists_stale = True

    def _on_document_changed(self) -> None:
        if self._lists_stale:
            self._lists_stale = False
            self.form.fill()
            self.inits.fill()
            self._fill_activation_candidates()
            registry = getattr(self.bridge, "registry", None) or engine.REGISTRY
            self.symmetry_view.set_layers(find_layers(self.doc, registry), self._names())
        if self.state == "idle":
            self.symmetry_view.set_parameters(
                {n.id: n.value for n in self.doc.nodes() if n.op == "parameter" and n.value is not None}
            )
            self._show_activation_idle()

    def reinitialise(self) -> bool:
        """Draw every parameter from its init into the document (one undoable edit)."""
        if self.state == "running":
            return False
        self._discard()
        try:
            values = initial_values(self.doc)
        except GraphError as err:
            self.status.setText(error_text(err))
            return False
        self.loss_plot.reset()
        label = translate("TrainingPanel", "Re-initialise parameters")
        self.bridge.push(parameter_edit(self.doc, values, label))
        self.status.setText(translate("TrainingPanel", "parameters re-initialised"))
        return True

    # ----- activation plot
    def _fill_activation_candidates(self) -> None:
        registry = getattr(self.bridge, "registry", None)
        items = []
        for node in self.doc.nodes():
            op = registry.get(node.op) if registry is not None else None
            if op is not None and op.group == "Activations" and len(op.inputs) == 1:
                items.append((node.id, node.title, node.op))
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
            trainer = Trainer(plan_for(self.doc), settings_from({}))  # the window's plan, not a copy's
            values = trainer.values_over_rows(watch)
        except GraphError:
            self.activation_plot.set_points(None)
            return
        self.activation_plot.set_points(values.get(watch[1]))

    # ----- running
    def _new_trainer(self) -> RemoteTrainer | None:
        """Check the settings here (at once, with a clear message) and create the run in the worker."""
        self.error.hide()
        try:
            self.form.form_training()  # a bad entry in the form (a custom order) is refused, not skipped
            text = dumps(self.doc)
            settings = settings_from(self.doc.training)
            local = Trainer.create(loads(text, engine.REGISTRY), settings)
        except (GraphError, ValueError) as err:
            self.status.setText(translate("TrainingPanel", "cannot train: {error}").format(error=err))
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
        self.grad_plot.reset(list(trainer.parameter_ids), trainer.total_updates, self._names())
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
            died = translate("TrainingPanel", "the training process ended unexpectedly (exit code {code})")
            self._on_worker_error(died.format(code=err.exit_code))
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
            self._on_comparison_message(kind, payload)
        elif trainer is None or job != trainer.job:
            return  # from a run already ended or discarded
        elif kind == "created":
            trainer.same_plan = payload["ids"] == list(trainer.plan.ids)
        elif kind == "progress":
            self._on_progress(payload)
        elif kind == "paused":
            self._on_paused(trainer, payload)
        elif kind == "result":
            self._finish(TrainResult.from_json(payload))
        elif kind == "error":
            self._on_worker_error(payload["message"])

    def _on_comparison_message(self, kind: str, payload: Any) -> None:
        if kind == "compared":
            self._on_comparison_done([TrainResult.from_json(r) for r in payload])
        elif kind == "error":
            self._on_comparison_done(RuntimeError(payload["message"]))

    def _on_paused(self, trainer: RemoteTrainer, payload: dict[str, Any]) -> None:
        """The worker has stopped its loop (Pause, or after +1 update): show where it is."""
        trainer.update, trainer.epoch = payload["update"], payload["epoch"]
        if self._pending:
            self._refresh_ui(force_trace=True)
        if self.state == "running":
            self._set_state("paused")
        epochs = trainer.total_updates // max(trainer.updates_per_epoch, 1)
        at = (trainer.update, trainer.total_updates, trainer.epoch, epochs)
        self.controls.show_summary("paused", at, payload.get("last_loss"), payload.get("dataset_loss"))
        self.loss_plot.set_dataset_mean(trainer.update, payload.get("dataset_loss"))

    def _on_worker_error(self, message: str) -> None:
        comparing = self._comparison_job is not None
        self._comparison_job = None
        self._discard()
        failed = (
            translate("TrainingPanel", "comparison failed: {message}")
            if comparing
            else translate("TrainingPanel", "training failed: {message}")
        )
        self.status.setText(failed.format(message=message))
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
        self.controls.show_progress(p)
        history = np.concatenate([np.asarray(q.history, dtype=np.float64) for q in pending])
        epochs = np.concatenate([np.asarray(q.epoch_losses, dtype=np.float64) for q in pending])
        tests = np.concatenate([np.asarray(q.test_losses, dtype=np.float64) for q in pending])
        self.loss_plot.add(history, epochs, trainer.updates_per_epoch, tests)
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
        # (self.tr, not translate(): lupdate marks a plural with a variable count only in tr calls)
        edit = parameter_edit(doc, fitting, english_plural(self.tr("Train: %n update(s)", "", result.updates),
                                                           result.updates))  # fmt: skip
        self.trainer = None
        self._finishing = False
        self._set_state("idle")
        self.bridge.set_paused(False)
        if edit.edits:
            self.bridge.push(edit)
        self.bridge.resume_live()
        epochs = result.settings.epochs
        at = (result.updates, result.updates_per_epoch * epochs, result.epochs, epochs)
        self.controls.show_summary(result.status, at, result.last_loss, result.final_loss)
        self.loss_plot.set_dataset_mean(result.updates, result.final_loss)
        if result.error is not None:
            self.controls.show_error(str(result.error))

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
        self.controls.show_state(self.state, self._finishing)
        self.inits.reinit.setEnabled(self.state != "running")
        self.compare_box.run.setEnabled(self.state == "idle")

    # ----- comparison
    def run_comparison(self) -> bool:
        """Train twice, from the two chosen initialisations, in the worker; overlay the loss curves."""
        if self.state != "idle" or self._comparison_job is not None:
            return False
        kinds, names = self.compare_box.kinds(), self.compare_box.names()
        try:
            self.form.form_training()
            epochs = settings_from(self.doc.training).epochs
            text = dumps(self.doc)
        except (GraphError, ValueError) as err:
            self.status.setText(error_text(err))
            return False
        self.status.setText(
            translate("TrainingPanel", "comparing {a} and {b}, {epochs} each …").format(
                a=names[0], b=names[1], epochs=english_plural(self.tr("%n epoch(s)", "", epochs), epochs)
            )
        )
        self._comparison_names = names
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
            failed = translate("TrainingPanel", "comparison failed: {message}")
            self.status.setText(failed.format(message=results))
            return
        self.comparison = results
        names = self._comparison_names
        self.loss_plot.set_comparison([(k, r.history) for k, r in zip(names, results)])
        unknown = translate("TrainingPanel", "n/a")
        finals = ", ".join(
            f"{name} {unknown if r.final_loss is None else f'{r.final_loss:.4g}'}"
            for name, r in zip(names, results)
        )
        done = translate("TrainingPanel", "comparison done · {mean} after training: {finals}")
        self.status.setText(done.format(mean=_(DATASET_MEAN), finals=finals))


def install_training(main_window: Any) -> TrainingPanel:
    """Add the training panel, the plot docks (loss, activation, gradient norms, symmetry) and the dataset
    editor to the main window, and the run buttons to its toolbar."""
    from gui.panels.training.dataset_editor import install_dataset_editor
    from gui.panels.training.live_diagnostics import install_diagnostics

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
    main_window.add_panel(
        panel, translate("TrainingPanel", "Training"), Qt.DockWidgetArea.RightDockWidgetArea, key="training"
    )
    bottom = Qt.DockWidgetArea.BottomDockWidgetArea
    docks = [main_window.add_panel(w, title, bottom, key=key) for w, title, key in (
        (loss, translate("TrainingPanel", "Loss"), "loss"),
        (activation, translate("TrainingPanel", "Activation"), "activation"),
        (grads, translate("TrainingPanel", "Gradient norms"), "gradient_norms"),
        (sym, translate("TrainingPanel", "Symmetry"), "symmetry"),
    )]  # fmt: skip
    editor = install_dataset_editor(main_window)
    diagnostics = install_diagnostics(main_window, panel)
    if hasattr(main_window, "tabifyDockWidget"):
        main_window.splitDockWidget(docks[0], docks[1], Qt.Orientation.Horizontal)
        main_window.tabifyDockWidget(docks[1], docks[2])
        main_window.tabifyDockWidget(docks[2], docks[3])
        dataset_dock = editor.parentWidget()
        if dataset_dock is not None and dataset_dock is not main_window:
            main_window.tabifyDockWidget(docks[3], dataset_dock)
        for dock in diagnostics.docks:
            main_window.tabifyDockWidget(docks[3], dock)
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
