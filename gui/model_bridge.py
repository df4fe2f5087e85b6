"""The bridge between the core and the window: it owns the Document, the undo stack, the file path and
the latest Trace (or the problems when the graph is invalid). Panels follow the document's typed events
(`bridge.doc.events.subscribe(NodeAdded, handler)`, see graph.events; the document object stays the same
for the bridge's life) and the coalesced Qt signals below. Every panel talks to the document through it.

Live evaluation: after an edit that can change numbers, the graph is run again when it is valid, with
the plan every panel shares (engine/compile/cache.py: compiled again only after a structural edit);
while it is not (ports still open, several outputs, shapes that do not fit), `partial` holds what it
computes so far (engine/compile/partial.py) and `trace` is None. Other panels (the stepper, the
training panel) can show their own Trace with `show_trace` (list entries None = not computed yet) and
hand back with `resume_live`; `set_paused` stops live runs.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

import engine
from engine.compile.cache import PLANS
from engine.compile.partial import PartialRun, partial_run
from engine.compile.plan import Plan
from engine.compile.trace import Trace
from graph.document import Document, Edge
from graph.edits import Connect, Edit
from graph.errors import GraphError, ShapeError
from graph.events import DescriptionChanged, Event, InitChanged, LabelChanged, NodeMoved
from graph.validation import can_connect
from gui.commands import EditCommand
from gui.i18n import error_text, translate

PREPARE_AFTER_MS = 300  # idle time after a compile before its trace code is generated
# From this many nodes a loaded document's objects are kept out of the cyclic garbage collector's full
# passes (gc.freeze): on a 5,000-node graph (~400,000 objects with the canvas) each pass took ~180 ms and
# fell on a random edit. Freezing costs one collection when the document is opened (and none runs while
# its canvas is built).
FREEZE_FROM_NODES = 1000
# Events that cannot change a number: no re-run after them.
_COSMETIC = (NodeMoved, LabelChanged, DescriptionChanged, InitChanged)


class ModelBridge(QObject):
    """Owns the document, undo stack, file path and latest trace; re-emits core events as signals."""

    documentChanged = Signal()  # after any change of the document (coalesced per edit)
    documentReset = Signal()  # a new document was loaded (New, Open, Revert)
    traceChanged = Signal(object)  # Trace or None
    problemsChanged = Signal(list)  # list[GraphError]
    selectionChanged = Signal(list)  # selected node ids
    edgeSelected = Signal(object)  # Edge or None
    highlightChanged = Signal(object, object)  # (node id or None, phase or None)
    filePathChanged = Signal(str)
    statusMessage = Signal(str)
    liveChanged = Signal(bool)

    def __init__(self, doc: Document | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.registry = engine.REGISTRY
        self.doc = doc if doc is not None else Document(self.registry)
        self.undo_stack = QUndoStack(self)
        self.file_path: str | None = None
        self.trace: Trace | None = None
        self.partial: PartialRun | None = None  # what an invalid graph computes; None when trace is set
        self.plan: Plan | None = None
        self.problems: list[GraphError] = []
        self.error_message: str | None = None
        self.shapes: dict[str, tuple[int, ...]] = {}
        self.highlight: str | None = None
        self.phase: str | None = None
        self.selection: list[str] = []
        self._live = True
        self._paused = False
        self._dirty = False
        self._changed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.flush)
        # A new plan's trace code is generated once the user pauses, not in the next value edit.
        self._prepare_timer = QTimer(self)
        self._prepare_timer.setSingleShot(True)
        self._prepare_timer.setInterval(PREPARE_AFTER_MS)
        self._prepare_timer.timeout.connect(self._prepare_plan)
        self.doc.events.subscribe(Event, self._on_any_event)
        self.undo_stack.indexChanged.connect(lambda _i: self.flush())

    # ----- document events
    def _on_any_event(self, event: Event) -> None:
        self._changed = True
        if not isinstance(event, _COSMETIC):
            self._dirty = True
        self._timer.start()

    def flush(self) -> None:
        """Emit the coalesced change signal and re-run if something numeric changed."""
        self._timer.stop()
        if self._changed:
            self._changed = False
            self.documentChanged.emit()
        if self._dirty:
            self._dirty = False
            if self._live and not self._paused:
                self.evaluate()
            else:
                self._update_problems()

    # ----- edits
    def push(self, edit: Edit) -> bool:
        """Apply an edit through the undo stack. A refused edit changes nothing; its reason goes to the
        status bar and False is returned."""
        try:
            edit.apply(self.doc)
        except GraphError as err:
            self.statusMessage.emit(error_text(err))
            self.flush()
            return False
        self.undo_stack.push(EditCommand(self.doc, edit, applied=True))
        self.flush()
        return True

    def undo(self) -> None:
        self.undo_stack.undo()

    def redo(self) -> None:
        self.undo_stack.redo()

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def set_document(self, doc: Document, path: str | None) -> None:
        """Take over a loaded document (Open, New, Revert): one reset event, an empty undo history."""
        with _taking_over(len(doc) >= FREEZE_FROM_NODES):
            self.doc.replace_with(doc)
            # After the document's DocumentReset handlers (the canvas has rebuilt by now).
            self.documentReset.emit()
            self.undo_stack.clear()
            self.undo_stack.setClean()
            self.set_file_path(path)
            self.selection = []
            self.selectionChanged.emit([])
            self.flush()

    def set_file_path(self, path: str | None) -> None:
        self.file_path = path
        self.filePathChanged.emit(path or "")

    def set_selection(self, ids: list[str]) -> None:
        if ids != self.selection:
            self.selection = list(ids)
            self.selectionChanged.emit(list(ids))

    # ----- checking a connection before making it
    def connection_problem(self, source: str, target: str, port: str) -> tuple[str | None, str | None]:
        """(reason it is refused or None, the source it would replace or None)."""
        problem = can_connect(self.doc, self.registry, source, target, port)
        if isinstance(problem, ShapeError):
            return translate("ModelBridge", "shapes do not fit: {problem}").format(problem=problem), None
        if problem is not None:
            return str(problem), None
        return None, self.doc.inputs_of(target).get(port)

    # ----- evaluation
    def _update_problems(self) -> None:
        problems, shapes = PLANS.problems_for(self.doc, self.registry)
        self.shapes = shapes
        self._publish_problems(problems)

    def _publish_problems(self, problems: list[GraphError]) -> None:
        """Emitted only when they changed: marking them redraws the whole canvas. The cache hands out the
        same error objects while the structure stays, new ones after any structural change."""
        changed = [id(p) for p in problems] != [id(p) for p in self.problems]
        self.problems = problems
        if changed:
            self.problemsChanged.emit(problems)

    def evaluate(self) -> Trace | None:
        """Run the document's plan; publish the trace, or the problems that prevent it."""
        problems, shapes = PLANS.problems_for(self.doc, self.registry)
        self.shapes = shapes
        self.error_message = None
        trace = None
        plan = None
        if not problems and len(self.doc):
            try:
                plan = PLANS.plan_for(self.doc, registry=self.registry)
                trace = plan.run()
            except GraphError as err:
                problems = [err]
                trace = None
        if problems:
            self.error_message = error_text(problems[0])
        if plan is not None and plan is not self.plan:
            self._prepare_timer.start()
        self.plan = plan
        self.trace = trace
        self.partial = self._partial() if trace is None and len(self.doc) else None
        self.highlight = None
        self.phase = None
        self._publish_problems(problems)
        self.traceChanged.emit(trace)
        self.highlightChanged.emit(None, None)
        return trace

    def _prepare_plan(self) -> None:
        if self.plan is not None:
            with suppress(Exception):  # the run that needs the code tries again, and walks if it fails
                self.plan.prepare()

    def _partial(self) -> PartialRun | None:
        try:
            return partial_run(self.doc, self.registry)
        except GraphError:
            return None

    def waiting_reason(self, node_id: str) -> str | None:
        """What the node waits for, in the user's names ("waits for port b"), or None."""
        if self.partial is None or self.trace is not None:
            return None
        return self.partial.reason(node_id, lambda n: self.doc.node(n).title)

    @property
    def live(self) -> bool:
        return self._live

    def show_trace(self, trace: Trace | None, highlight: str | None = None, phase: str | None = None) -> None:
        """Display another panel's (possibly partial) trace; live evaluation stops until resume_live()."""
        if self._live:
            self._live = False
            self.liveChanged.emit(False)
        self.trace = trace
        self.partial = None
        self.highlight = highlight
        self.phase = phase
        self.traceChanged.emit(trace)
        self.highlightChanged.emit(highlight, phase)

    def resume_live(self) -> None:
        """Back to live evaluation of the document."""
        if not self._live:
            self._live = True
            self.liveChanged.emit(True)
        self.evaluate()

    def set_paused(self, paused: bool) -> None:
        """Pause live re-runs (the training panel pushes its own traces with show_trace meanwhile)."""
        self._paused = bool(paused)
        if not paused and self._live:
            self.evaluate()

    @property
    def paused(self) -> bool:
        return self._paused

    # ----- convenience for panels
    def connect_ports(self, source: str, target: str, port: str) -> bool:
        reason, _ = self.connection_problem(source, target, port)
        if reason:
            self.statusMessage.emit(reason)
            return False
        return self.push(Connect(source, target, port, replace=True))

    def edge_value(self, edge: Edge) -> Any:
        if self.trace is None and self.partial is not None:
            return self.partial.value(edge.source)
        return _safe(lambda: self.trace.edge_value(edge)) if self.trace is not None else None

    def edge_grad(self, edge: Edge) -> Any:
        if self.trace is None and self.partial is not None:
            return self.partial.edge_grad(edge)
        return _safe(lambda: self.trace.edge_grad(edge)) if self.trace is not None else None

    def node_value(self, node_id: str) -> Any:
        if self.trace is not None:
            v = _safe(lambda: self.trace.value(node_id))
            if v is not None:
                return v
        elif self.partial is not None and node_id in self.doc:
            v = self.partial.value(node_id)
            if v is not None:
                return v
        if node_id in self.doc and self.doc.node(node_id).is_leaf and self.trace is None:
            return self.doc.node(node_id).value
        return None

    def node_grad(self, node_id: str) -> Any:
        if self.trace is None and self.partial is not None:
            return self.partial.grad(node_id)
        return _safe(lambda: self.trace.grad(node_id)) if self.trace is not None else None


_frozen = [False]  # whether this process froze a document's objects (gc is one per process)


@contextmanager
def _taking_over(big: bool) -> Iterator[None]:
    """Around taking over a document: a previous document's frozen objects go back to the collector;
    for a big one no collection runs while its canvas is built (each would walk the growing heap again),
    and then everything alive is frozen, so that the full collections edits trigger skip it."""
    if _frozen[0]:
        gc.unfreeze()
        _frozen[0] = False
    enabled = gc.isenabled()
    if big:
        gc.disable()
    try:
        yield
    finally:
        if big:
            gc.collect()
            gc.freeze()
            _frozen[0] = True
            if enabled:
                gc.enable()


def _safe(fn: Any) -> Any:
    try:
        return fn()
    except (KeyError, IndexError, TypeError):
        return None
