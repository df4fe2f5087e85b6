"""The diagnostic plots in the window, live: the decision boundary and the dead or saturated units are
recomputed from the latest parameters at most REFRESH_MS apart while training (and after each edit),
the gradient flow from the norms the worker reports; the landscape and the range test on request.

Computed in the GUI process from the parameters each progress report carries (the worker keeps
training meanwhile): the boundary of two moons on a 100×100 grid costs ~2 ms (bench/bench_diagnose.py).
A unit stuck on every row is marked on the canvas as a note beside the document's problems (the scene
outlines it and says why on hover)."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QTimer

from engine.diagnose.boundary import BoundaryMap, decision_boundary, feature_input
from engine.diagnose.gradflow import gradient_flow, layer_order
from engine.diagnose.landscape import along_gradient, loss_plane
from engine.diagnose.lr_range import lr_range_test
from engine.diagnose.model import Model
from engine.diagnose.units import unit_health
from graph.errors import GraphError
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.panels.training.diagnostics import BoundaryPlot, GradientFlowPlot, LandscapePlot, RangeTestPlot
from gui.panels.training.generate_dialog import install_generate_action

REFRESH_MS = 200  # the boundary at most 5 times a second
MAX_SNAPSHOTS = 200  # parameter snapshots kept for the histograms and the landscape's path
# The docks' titles in English, each also its dock's name (object name, saved layout) in every language;
# the title shown is translate("LiveDiagnostics", title).
TITLES = {
    "boundary": QT_TRANSLATE_NOOP("LiveDiagnostics", "Boundary"),
    "landscape": QT_TRANSLATE_NOOP("LiveDiagnostics", "Landscape"),
    "range_test": QT_TRANSLATE_NOOP("LiveDiagnostics", "LR range test"),
    "flow": QT_TRANSLATE_NOOP("LiveDiagnostics", "Gradient flow"),
}


class UnitNote(GraphError):
    """A unit dead or saturated on every row: shown on the canvas like a problem, with its reason."""


class LiveDiagnostics(QObject):
    """Feeds the four diagnostic plots from the bridge's document and the training panel's progress."""

    def __init__(self, bridge: Any, panel: Any, plots: dict[str, Any], scene: Any = None) -> None:
        super().__init__(panel)
        self.bridge, self.scene = bridge, scene
        self.boundary: BoundaryPlot = plots["boundary"]
        self.landscape: LandscapePlot = plots["landscape"]
        self.range_test: RangeTestPlot = plots["range_test"]
        self.flow: GradientFlowPlot = plots["flow"]
        self.notes: list[UnitNote] = []
        self.docks: list[Any] = []  # the plots' docks, once installed in a window
        self._behind: set[Any] = set()  # plots not recomputed while they were hidden
        self._model: Model | None = None
        self._stale = True
        self._parameters: dict[str, np.ndarray] | None = None
        self._norms: list[np.ndarray] = []  # each report's (updates, parameters) gradient norms
        self._snapshots: list[dict[str, np.ndarray]] = []
        self._grad_snapshots: list[dict[str, np.ndarray]] = []  # the dataset's mean gradient, per refresh
        self._last_update = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        panel.progressed.connect(self._on_progress)
        bridge.documentChanged.connect(self._on_document_changed)
        bridge.documentReset.connect(self._on_document_reset)
        if scene is not None:
            # after the scene's own handler (connected first): the notes join the problems it shows
            bridge.problemsChanged.connect(self._on_problems, Qt.ConnectionType.QueuedConnection)
            scene.settings.changed.connect(self._on_setting_changed)
        for plot in (self.boundary, self.flow):
            plot.installEventFilter(self)  # shown (its tab chosen): computed then
        self.landscape.requested.connect(self.compute_landscape)
        self.range_test.requested.connect(self.compute_range_test)
        self._on_document_changed()

    # ----- inputs
    def _on_document_changed(self) -> None:
        self._stale = True
        self._parameters = None
        self.timer.start()

    def _on_document_reset(self) -> None:
        """Another graph: the last run's norms and snapshots (the landscape's path) were of the old one,
        whose parameters are not this graph's."""
        self._norms, self._snapshots, self._grad_snapshots = [], [], []
        self._last_update = 0
        self._on_document_changed()

    def _on_progress(self, p: Any) -> None:
        if p.update < self._last_update:  # a new run
            self._norms, self._snapshots, self._grad_snapshots = [], [], []
        self._last_update = p.update
        self._parameters = p.parameters
        norms = np.asarray(p.grad_norms, dtype=np.float64)
        if len(norms):
            if self._norms and self._norms[-1].shape[1:] != norms.shape[1:]:
                self._norms = []  # another graph's parameters
            self._norms.append(norms)
        if p.parameters:
            self._snapshots.append(p.parameters)
            del self._snapshots[:-MAX_SNAPSHOTS]
        if not self.timer.isActive():
            self.timer.start()

    def _on_setting_changed(self, key: str) -> None:
        if key == "display/unit_thumbnails":
            self.timer.start()  # the canvas's unit maps, computed now that they are wanted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A plot left out while hidden is computed when it is painted again (its tab chosen)."""
        if event.type() in (QEvent.Type.Show, QEvent.Type.Paint) and watched in self._behind:
            self._behind.discard(watched)
            self.timer.start()
        return False

    def _on_problems(self, _problems: list[GraphError]) -> None:
        if self.notes:
            self._mark()

    def model(self) -> Model | None:
        """The document compiled with its dataset (None while it cannot run or has no dataset rows)."""
        if self._stale:
            self._stale = False
            try:
                self._model = Model.create(self.bridge.doc)
            except (GraphError, ValueError):
                self._model = None
        if self._model is not None and self._parameters:
            self._model.set_parameters(self._parameters)
        return self._model

    # ----- live pictures
    def refresh(self) -> None:
        """The units' notes, and the boundary and gradient flow where they are on screen, from the latest
        parameters (a plot behind another tab costs nothing: it is computed when shown)."""
        model = self.model()
        self._behind = {p for p in (self.boundary, self.flow) if not p.on_screen()}
        self._show_boundary(model)
        if self.flow not in self._behind:
            self._show_flow(model)
        notes = unit_notes(model) if model is not None else []
        if [(n.node, str(n)) for n in notes] != [(n.node, str(n)) for n in self.notes]:
            self.notes = notes
            self._mark()

    def _show_boundary(self, model: Model | None) -> None:
        """One computation for the Boundary tab (while on screen) and the canvas's unit maps (if wanted)."""
        plot = self.boundary not in self._behind
        thumbnails = self.scene is not None and self.scene.settings.unit_thumbnails
        if not (plot or thumbnails):
            return
        bmap = boundary_map(model)
        if plot and (bmap is not None or self.boundary.map is not None):
            self.boundary.set_map(bmap)
        if thumbnails:
            self.scene.show_unit_maps(bmap)

    def _show_flow(self, model: Model | None) -> None:
        if model is None or not self._norms:
            return
        ids = model.parameter_ids
        # the reports' rows joined once (kept joined: the next refresh adds only the new reports')
        self._norms = [np.concatenate(self._norms)]
        table = self._norms[0] if self._norms[0].shape[1] == len(ids) else np.zeros((0, len(ids)))
        norms = {p: table[:, k] for k, p in enumerate(ids)}
        order = layer_order(model.plan.doc, ids)
        weights = [p for p in order if np.ndim(model.parameters()[p]) == 2]
        flow = gradient_flow(norms, order, weights if len(weights) >= 2 else None)
        with np.errstate(all="ignore"):
            self._grad_snapshots.append(model.unflatten(model.loss_and_grad()[1]))
        del self._grad_snapshots[:-MAX_SNAPSHOTS]
        snaps = {p: [s[p] for s in self._snapshots if p in s] for p in order}
        self.flow.set_flow(flow, snaps, {p: [g[p] for g in self._grad_snapshots] for p in order})

    def _mark(self) -> None:
        """The document's problems and the units' notes, on the canvas."""
        if self.scene is not None:
            self.scene.apply_problems(list(self.bridge.problems) + list(self.notes))

    # ----- on request
    def compute_landscape(self) -> None:
        model = self.model()
        if model is None:
            return
        with np.errstate(all="ignore"):
            _, g = model.loss_and_grad()
            reach = 1.0 / max(float(np.linalg.norm(g)), 1e-12)
            line = along_gradient(model, np.linspace(-reach, reach, 41))
            path = [_flat(model, s) for s in self._snapshots]
            self.landscape.set_landscape(line, loss_plane(model, steps=41, path=path))

    def compute_range_test(self) -> None:
        model = self.model()
        if model is not None:
            with np.errstate(all="ignore"):
                self.range_test.set_test(lr_range_test(model, batch_size=min(32, model.n_rows)))


def boundary_map(model: Model | None) -> BoundaryMap | None:
    """The decision boundary with each hidden unit's map, where the graph has a plane to draw."""
    if model is None or feature_input(model) is None:
        return None
    with np.errstate(all="ignore"):
        return decision_boundary(model, resolution=100)


def unit_notes(model: Model) -> list[UnitNote]:
    """A note per activation node with a unit dead or saturated on every row of the dataset."""
    with np.errstate(all="ignore"):
        return [UnitNote(h.reason() or "", node=h.node) for h in unit_health(model) if h.reason()]


def _flat(model: Model, parameters: dict[str, np.ndarray]) -> np.ndarray:
    return np.concatenate([np.ravel(parameters.get(p, 0.0)) for p in model.parameter_ids])


def install_diagnostics(main_window: Any, panel: Any) -> LiveDiagnostics:
    """The four diagnostic plots as docks beside the other training plots (``docks``), fed live, and
    Dataset ▸ Generate…"""
    plots = {
        "boundary": BoundaryPlot(),
        "landscape": LandscapePlot(),
        "range_test": RangeTestPlot(),
        "flow": GradientFlowPlot(),
    }
    bottom = Qt.DockWidgetArea.BottomDockWidgetArea
    docks = [
        main_window.add_panel(plot, translate("LiveDiagnostics", TITLES[key]), bottom, key=TITLES[key])
        for key, plot in plots.items()
    ]
    live = LiveDiagnostics(main_window.bridge, panel, plots, getattr(main_window, "scene", None))
    live.docks = docks
    if hasattr(main_window, "menuBar"):
        install_generate_action(main_window)
    main_window.diagnostics = live
    return live
