"""The canvas: a QGraphicsScene that mirrors the document (it follows the document's events) and shows
the latest trace on every edge. The view around it is gui/canvas/view.py; what is drawn behind the items
(grid, zoomed-out batch) is gui/canvas/background.py.

Positions: a node without a `position` gets one from the automatic layout (graph/layout.py); that
position lives only on the canvas until the node is moved.

Speed (bench/bench_canvas.py, 500 nodes and 750 edges): a new trace only marks the labels stale and
formats the ones in view; the rest are formatted when they scroll into view (GraphView.paintEvent) or the
scene is rendered (export). Zoomed out (the view calls set_detail(False)) the items paint nothing and
the scene draws all edges and boxes in a few batched calls from drawBackground (cached until something
moves or changes); zooming back in restores the items in view at once and the others as they come into
view. In detail a BSP index finds the items in view (for the paint, a drag step, the labels to format);
the box around the nodes (minimap, Fit, the scroll area) is kept as nodes come, move and go
(gui/canvas/extent.py). bench/bench_window.py times the canvas in the whole window at 5,000 nodes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from engine.compile.trace import Trace
from graph.clipboard import copy_nodes, paste
from graph.document import Document, Edge
from graph.edits import AddNode, Disconnect, Edit, Macro, MoveNodes, RemoveNode
from graph.errors import CycleError, GraphError
from graph.events import (
    DocumentReset,
    EdgeAdded,
    EdgeRemoved,
    Events,
    LabelChanged,
    NodeAdded,
    NodeMoved,
    NodeRemoved,
    OpChanged,
    ValueChanged,
)
from graph.layout import layout_positions
from graph.values import compact
from gui.canvas import style
from gui.canvas.background import Overview, grid_brush
from gui.canvas.edge_item import LABEL_MARGIN, EdgeItem
from gui.canvas.extent import Extent
from gui.canvas.labels import LabelPlacer
from gui.canvas.node_item import NodeItem, header_op_name
from gui.canvas.quiz import QUIZ_KEY_ROLE, AnswerEditor, QuizMode
from gui.canvas.thumbnails import show_unit_maps
from gui.i18n import error_text, translate
from gui.model_bridge import ModelBridge
from gui.settings import Settings

OP_MIME = "application/x-backprop-studio-op"
GRAPH_MIME = "application/x-backprop-studio-graph"
GRID_MIN_SCALE = 0.5
# How the scene finds the items to paint. In detail, a BSP tree: a paint or a drag visits only the items
# in view (without an index Qt asks every item of a 5,000-node graph for its box on each paint: ~50 ms).
# Zoomed out the whole graph is in view and the items paint nothing: no index (a BSP tree would only add
# the sorting of every item, each paint).
_INDEX = {
    True: QGraphicsScene.ItemIndexMethod.BspTreeIndex,
    False: QGraphicsScene.ItemIndexMethod.NoIndex,
}


def auto_positions(doc: Document) -> dict[str, tuple[float, float]]:
    """The automatic layout at the canvas's spacing."""
    return layout_positions(doc, style.COLUMN_SPACING, style.ROW_SPACING)


class GraphScene(QGraphicsScene):
    """Mirrors the document; shows the bridge's trace and problems."""

    def __init__(self, bridge: ModelBridge, settings: Settings | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings or Settings(self)
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[Edge, EdgeItem] = {}
        self._press_positions: dict[str, QPointF] = {}
        self._highlight: str | None = None
        self.show_grid = True
        self.detail = True
        # Labels not yet showing the current trace (formatted when they come into view).
        self._stale_nodes: set[NodeItem] = set()
        self._stale_edges: set[EdgeItem] = set()
        # Zoomed back in: items still drawn as zoomed out (out of view; switched when they come in).
        self._coarse_nodes: set[NodeItem] = set()
        self._coarse_edges: set[EdgeItem] = set()
        self._value_texts: dict[str, str] = {}  # node id → compact value text, for the current trace
        self._scanned: tuple[float, float, float, float] | None = None  # nothing stale in here
        self._overview: Overview | None = None  # the batched zoomed-out drawing, until something changes
        self.labels = LabelPlacer()  # where the edge labels go: clear of the nodes and of each other
        self._unit_maps: Any = None  # the last BoundaryMap shown as thumbnails (gui/canvas/thumbnails.py)
        self._edge_count = 0  # numbers the edge items in the order they were made
        self.content_version = 0  # counts changes of the nodes' boxes (the minimap redraws on a change)
        self._extent = Extent()  # the box around the nodes, kept as they come, move and go
        self.setItemIndexMethod(_INDEX[True])
        self.setBackgroundBrush(QBrush(style.BACKGROUND))
        self._grid_brush = grid_brush()
        # Before the scene's own handlers: a document opened gets its quiz before the items are made.
        self.quiz = QuizMode(bridge, self)
        self.quiz.changed.connect(lambda: self.apply_trace(self.bridge.trace))
        self._subscribe(bridge.doc.events)
        bridge.traceChanged.connect(self.apply_trace)
        bridge.problemsChanged.connect(self.apply_problems)
        bridge.highlightChanged.connect(self._on_highlight)
        self.settings.changed.connect(self._on_setting_changed)
        self.selectionChanged.connect(self._on_selection_changed)
        self.rebuild()

    # ----- hooks for the items
    def snap_enabled(self) -> bool:
        return self.settings.snap

    def node_moved(self, item: NodeItem) -> None:
        """A node moved: its edges follow; labels of other edges that it now covers find new places."""
        box = _box(item)
        covered = self.labels.set_node(item, box)
        self._content_changed(item, box)
        for edge in item.edges:
            edge.update_path()
        for edge in covered:
            if edge.source is not item and edge.target is not item:
                edge.relabel()

    def _content_changed(self, item: NodeItem | None = None, box: QRectF | None = None) -> None:
        """A node's box is now box (None: the node is gone; no item: every node is gone)."""
        if item is None:
            self._extent.clear()
        elif box is None:
            self._extent.discard(item)
        else:
            self._extent.put(item, (box.left(), box.top(), box.right(), box.bottom()))
        self.content_version += 1

    def content_rect(self) -> QRectF:
        """The box around every node (empty without nodes)."""
        bounds = self._extent.bounds()
        if bounds is None:
            return QRectF()
        x0, y0, x1, y1 = bounds
        return QRectF(x0, y0, x1 - x0, y1 - y0)

    def output_node(self) -> NodeItem | None:
        """The node the gradients are of (the run's output, else training.loss, else the one sink)."""
        bridge = self.bridge
        out = None
        if bridge.trace is not None:
            out = bridge.trace.output
        elif bridge.partial is not None and bridge.partial.output is not None:
            out = bridge.partial.output
        else:
            loss = bridge.doc.training.get("loss") if isinstance(bridge.doc.training, dict) else None
            sinks = bridge.doc.sinks()
            out = loss if loss in self.nodes else (sinks[0] if len(sinks) == 1 else None)
        return self.nodes.get(out) if out is not None else None

    def node_changed(self, item: NodeItem) -> None:
        """A node moved or changed its look: the zoomed-out batch must be drawn again (and a stale
        node or edge may have moved into view)."""
        if self._overview is not None:
            self._overview.node_changed(item)
        if (
            item in self._stale_nodes
            or item in self._coarse_nodes
            or any(e in self._stale_edges or e in self._coarse_edges for e in item.edges)
        ):
            self._scanned = None
        if not self.detail:
            self.update()

    # ----- building
    def rebuild(self) -> None:
        for item in list(self.edges.values()):
            item.detach()
        self.clear()
        self.nodes.clear()
        self.edges.clear()
        self.labels.clear()
        self._content_changed()
        for pending in (self._stale_nodes, self._stale_edges, self._coarse_nodes, self._coarse_edges):
            pending.clear()
        self._overview = None
        doc = self.bridge.doc
        auto = auto_positions(doc) if any(n.position is None for n in doc.nodes()) else {}
        for node in doc.nodes():
            self._add_node_item(node.id, auto.get(node.id), fill=False)
        for edge in doc.edges():
            self._add_edge_item(edge, fill=False)
        self.apply_trace(self.bridge.trace)
        self.apply_problems(self.bridge.problems)
        self._update_scene_rect()

    def _add_node_item(
        self, node_id: str, auto: tuple[float, float] | None = None, fill: bool = True
    ) -> NodeItem:
        node = self.bridge.doc.node(node_id)
        op = self.bridge.registry.get(node.op)
        item = NodeItem(
            node_id,
            node.title,
            node.op,
            header_op_name(op) if op else f"? {node.op}",
            op.group if op else "",
            tuple(op.inputs) if op else (),
            self,
        )
        pos = node.position or auto
        if pos is None:
            pos = self._free_position()
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, False)
        item.setPos(QPointF(*pos))
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, True)
        box = _box(item)
        for edge in self.labels.set_node(item, box):
            edge.relabel()
        self._content_changed(item, box)
        if not self.detail:
            item.set_detail(False)
        self.addItem(item)
        self.nodes[node_id] = item
        self._overview = None
        if fill:
            self._fill_node(item)
        else:
            self._stale_nodes.add(item)
        return item

    def _free_position(self) -> tuple[float, float]:
        """Below every node, at the left edge of the graph."""
        if not self.nodes:
            return (0.0, 0.0)
        rect = self.content_rect()
        return (rect.left(), rect.bottom() + 40)

    def _add_edge_item(self, edge: Edge, fill: bool = True) -> EdgeItem | None:
        s, t = self.nodes.get(edge.source), self.nodes.get(edge.target)
        if s is None or t is None:
            return None
        item = EdgeItem(edge, s, t)
        self._edge_count += 1
        item.order = self._edge_count
        item.set_labels_visible(
            self.detail and self.settings.show_values, self.detail and self.settings.show_grads
        )
        if not self.detail:
            item.set_fast(True)
        self.addItem(item)
        self.edges[edge] = item
        self._overview = None
        self._update_fan_out(s)
        if fill:
            self._fill_edge(item)
        else:
            self._stale_edges.add(item)
        return item

    def _update_fan_out(self, node: NodeItem) -> None:
        """A node feeding several edges shows its value once, on its first edge, at the source."""
        out = [e for e in node.edges if e.source is node]
        for e in out:
            e.set_fan_out(len(out) > 1, e is out[0])

    def _remove_node_item(self, item: NodeItem) -> None:
        """Take an item (already out of self.nodes) and its edges off the canvas."""
        for e in list(item.edges):
            self._remove_edge_item(e.edge)
        self._stale_nodes.discard(item)
        self._coarse_nodes.discard(item)
        self._overview = None
        self.labels.remove(item)
        self._content_changed(item, None)
        self.removeItem(item)

    def _remove_edge_item(self, edge: Edge) -> None:
        item = self.edges.pop(edge, None)
        if item is not None:
            item.detach()
            self.labels.remove(item)
            self._update_fan_out(item.source)
            self._stale_edges.discard(item)
            self._coarse_edges.discard(item)
            self._overview = None
            self.removeItem(item)

    # ----- document events
    def _subscribe(self, events: Events) -> None:
        events.subscribe(DocumentReset, self._on_document_reset)
        events.subscribe(NodeAdded, self._on_node_added)
        events.subscribe(NodeRemoved, self._on_node_removed)
        events.subscribe(EdgeAdded, self._on_edge_added)
        events.subscribe(EdgeRemoved, self._on_edge_removed)
        events.subscribe(NodeMoved, self._on_node_moved)
        events.subscribe(LabelChanged, self._on_label_changed)
        events.subscribe(OpChanged, self._on_op_changed)
        events.subscribe(ValueChanged, self._on_value_changed)

    def _on_document_reset(self, _event: DocumentReset) -> None:
        self.rebuild()

    def _on_node_added(self, event: NodeAdded) -> None:
        doc = self.bridge.doc
        auto = None
        if doc.node(event.node).position is None and not self.nodes:
            auto = auto_positions(doc).get(event.node)
        self._add_node_item(event.node, auto)
        self._update_scene_rect()

    def _on_node_removed(self, event: NodeRemoved) -> None:
        item = self.nodes.pop(event.node, None)
        if item is not None:
            self._remove_node_item(item)

    def _on_edge_added(self, event: EdgeAdded) -> None:
        self._add_edge_item(event.edge)

    def _on_edge_removed(self, event: EdgeRemoved) -> None:
        self._remove_edge_item(event.edge)

    def _on_node_moved(self, event: NodeMoved) -> None:
        item = self.nodes.get(event.node)
        pos = self.bridge.doc.node(event.node).position
        if item is None or pos is None or (item.pos().x(), item.pos().y()) == pos:
            return
        item.setPos(QPointF(*pos))
        # Let the view scroll to where the node went (an undo, a layout, a script).
        grown = item.sceneBoundingRect().adjusted(-2000, -2000, 2000, 2000)
        if not self.sceneRect().contains(grown):
            self.setSceneRect(self.sceneRect().united(grown))

    def _on_label_changed(self, event: LabelChanged) -> None:
        if event.node in self.nodes:
            self.nodes[event.node].set_title(self.bridge.doc.node(event.node).title)

    def _on_op_changed(self, event: OpChanged) -> None:
        self._replace_node_item(event.node)

    def _on_value_changed(self, event: ValueChanged) -> None:
        item = self.nodes.get(event.node)
        if item is not None:
            self._fill_node(item)

    def _replace_node_item(self, nid: str) -> None:
        old = self.nodes.pop(nid, None)
        if old is None:
            return
        edges = [e.edge for e in old.edges]
        pos = (old.pos().x(), old.pos().y())
        self._remove_node_item(old)
        self._add_node_item(nid, pos)
        for e in edges:
            self._add_edge_item(e)

    def _update_scene_rect(self) -> None:
        """Room to scroll around the nodes (grows, never shrinks while there are nodes)."""
        rect = self.content_rect().adjusted(-2000, -2000, 2000, 2000)
        self.setSceneRect(rect.united(self.sceneRect()) if self.nodes else rect)

    # ----- numbers
    @property
    def digits(self) -> int:
        return self.settings.digits

    def _fill_node(self, item: NodeItem, d: int | None = None) -> None:
        d = self.digits if d is None else d
        if self.bridge.trace is None and self.bridge.partial is not None:
            self._fill_node_partial(item, d)
        else:
            self._fill_node_trace(item, d)

    def _fill_node_trace(self, item: NodeItem, d: int) -> None:
        """The current trace's value and gradient ("…" where a stepping trace has none yet)."""
        trace = self.bridge.trace
        value = grad = None
        in_trace = False
        if trace is not None:
            slot = trace.plan.slot.get(item.node_id)
            if slot is not None:
                in_trace = True
                value = trace.value_list[slot]
                grad = trace.grad_list[slot]
        if not in_trace:
            node = self.bridge.doc.node(item.node_id)
            if node.is_leaf and node.value is not None:
                value = node.value
        if value is None:
            vt = "…" if in_trace else None
        elif in_trace:
            vt = self._value_text(item.node_id, value, d)
        else:
            vt = compact(value, d)
        gt = compact(grad, d) if grad is not None else ("…" if in_trace else None)
        self._show_node(item, vt, gt, value, grad)

    def _show_node(self, item: NodeItem, vt: Any, gt: Any, value: Any, grad: Any) -> None:
        """Set a node's texts, those a quiz hides blanked."""
        shown = self.quiz.node_texts(item.node_id, vt, gt, value, grad)
        item.set_values(shown.value_text, shown.grad_text, shown.value, shown.grad)
        self.quiz.mark(item.value_item, shown.value_key, style.VALUE_COLOR)
        self.quiz.mark(item.grad_item, shown.grad_key, style.GRAD_COLOR)
        self.quiz.place_update_blank(item)

    def _show_edge(self, item: EdgeItem, vt: Any, gt: Any, value: Any, grad: Any) -> None:
        """Set an edge's labels, those a quiz hides blanked."""
        shown = self.quiz.edge_texts(item.edge, vt, gt, value, grad)
        item.set_texts(shown.value_text, shown.grad_text, shown.value, shown.grad)
        self.quiz.mark(item.value_label, shown.value_key, style.VALUE_COLOR)
        self.quiz.mark(item.grad_label, shown.grad_key, style.GRAD_COLOR)

    def _fill_node_partial(self, item: NodeItem, d: int) -> None:
        """An unfinished graph: the value and gradient if the node has them, else what it waits for."""
        part = self.bridge.partial
        assert part is not None
        value = part.value(item.node_id)
        if value is None:
            waiting = self.bridge.waiting_reason(item.node_id) or translate("GraphScene", "not computed")
            item.set_values(None, None, waiting=waiting)
            return
        grad = part.grad(item.node_id)
        vt = self._value_text(item.node_id, value, d)
        self._show_node(item, vt, None if grad is None else compact(grad, d), value, grad)

    def _value_text(self, node_id: str, value: Any, d: int) -> str:
        """The compact text of a node's value in the current trace (shared by the node and its edges)."""
        text = self._value_texts.get(node_id)
        if text is None:
            text = self._value_texts[node_id] = compact(value, d)
        return text

    def _fill_edge(self, item: EdgeItem, d: int | None = None) -> None:
        trace = self.bridge.trace
        if trace is None:
            self._fill_edge_partial(item, self.digits if d is None else d)
            return
        index = trace.plan.edge_index.get(item.edge)
        if index is None:
            item.set_texts("", "", None, None)
            return
        d = self.digits if d is None else d
        value = trace.value_list[trace.plan.slot[item.edge.source]]
        grad = trace.edge_grad_list[index]
        vt = None if value is None else self._value_text(item.edge.source, value, d)
        self._show_edge(item, vt, None if grad is None else compact(grad, d), value, grad)

    def _fill_edge_partial(self, item: EdgeItem, d: int) -> None:
        """An unfinished graph (or none run yet): the value if its source has one, the gradient if any."""
        part = self.bridge.partial
        value = None if part is None else part.value(item.edge.source)
        if value is None:
            item.set_texts("", "", None, None)
            return
        grad = part.edge_grad(item.edge)  # type: ignore[union-attr]
        vt = self._value_text(item.edge.source, value, d)
        self._show_edge(item, vt, "" if grad is None else compact(grad, d), value, grad)

    def apply_trace(self, trace: Trace | None) -> None:
        """Show the trace: the labels in view are updated now (only texts that changed are set), the rest
        when they come into view (`refresh_labels`). Zoomed far out, where no text shows, none is now."""
        self._value_texts = {}
        self._stale_nodes = set(self.nodes.values())
        self._stale_edges = set(self.edges.values())
        self._scanned = None
        if self.detail:
            self.refresh_labels(self.visible_rect())

    def visible_rect(self) -> QRectF | None:
        """The part of the scene the visible views show, or None if no view is visible."""
        rect: QRectF | None = None
        for view in self.views():
            if view.isVisible():
                r = view.mapToScene(view.viewport().rect()).boundingRect()
                rect = r if rect is None else rect.united(r)
        return rect

    def has_stale_labels(self) -> bool:
        return bool(self._stale_nodes or self._stale_edges)

    def needs_refresh(self) -> bool:
        """Some labels lag behind the trace, or some items are still drawn as zoomed out."""
        return bool(self._stale_nodes or self._stale_edges or self._coarse_nodes or self._coarse_edges)

    def refresh_labels(self, rect: QRectF | None = None) -> None:
        """Bring the items in rect (everywhere if None) up to date: full detail and the current trace."""
        if not self.needs_refresh() or self._already_scanned(rect):
            return
        near = self._near(rect)
        self._restore_detail(*_take(self._coarse_nodes, self._coarse_edges, near, rect))
        nodes, edges = _take(self._stale_nodes, self._stale_edges, near, rect)
        d = self.digits
        for item in nodes:
            self._fill_node(item, d)
        # In the document's order, so that the labels land in the same places every time.
        for item in sorted(edges, key=_edge_order):
            self._fill_edge(item, d)

    def _near(self, rect: QRectF | None) -> list[QGraphicsItem] | None:
        """The items around rect, wide enough for every edge whose labels may reach into it (the
        index finds them without a look at every item)."""
        if rect is None:
            return None
        mx, my = LABEL_MARGIN
        return self.items(rect.adjusted(-mx, -my, mx, my), Qt.ItemSelectionMode.IntersectsItemBoundingRect)

    def _restore_detail(self, nodes: set[NodeItem], edges: set[EdgeItem]) -> None:
        """Zoomed back in: these items are drawn in full again."""
        if not nodes and not edges:
            return
        values, grads = self.settings.show_values, self.settings.show_grads
        for item in nodes:
            item.set_detail(True)
        for edge in edges:
            edge.set_fast(False)
            edge.set_labels_visible(values, grads)

    def _already_scanned(self, rect: QRectF | None) -> bool:
        """True if rect lies within the part brought up to date last time (and nothing moved since);
        else rect becomes that part."""
        if rect is None:
            return False
        x0, y0, x1, y1 = rect.left(), rect.top(), rect.right(), rect.bottom()
        s = self._scanned
        if s is not None and s[0] <= x0 and s[1] <= y0 and s[2] >= x1 and s[3] >= y1:
            return True
        self._scanned = (x0, y0, x1, y1)
        return False

    def render(
        self,
        painter: QPainter,
        target: QRectF | None = None,
        source: QRectF | None = None,
        mode: Qt.AspectRatioMode = Qt.AspectRatioMode.KeepAspectRatio,
    ) -> None:
        """Render (export) with every label up to date."""
        self.refresh_labels(None)
        super().render(painter, target or QRectF(), source or QRectF(), mode)

    def apply_problems(self, problems: list[GraphError]) -> None:
        """Outline the nodes, ports and edges the problems are about; their tooltips give the reasons."""
        by_node, by_port = _problem_messages(problems)
        for nid, item in self.nodes.items():
            msgs = by_node.get(nid)
            item.set_problem("\n".join(dict.fromkeys(msgs)) if msgs else None)
            for name, port in item.in_ports.items():
                port.set_error(by_port.get((nid, name)))
        cycle_nodes = {n for p in problems if isinstance(p, CycleError) for n in p.cycle}
        for edge, item in self.edges.items():
            msg = by_port.get((edge.target, edge.port))
            if msg is None and edge.source in cycle_nodes and edge.target in cycle_nodes:
                msg = by_node[edge.target][0]
            item.set_problem(msg)
        self.node_changed_all()

    def node_changed_all(self) -> None:
        self._overview = None
        if not self.detail:
            self.update()

    def _on_highlight(self, node_id: str | None, phase: str | None) -> None:
        if self._highlight in self.nodes:
            self.nodes[self._highlight].set_highlighted(False)
        self._highlight = node_id
        if node_id in self.nodes:
            self.nodes[node_id].set_highlighted(True)

    def set_detail(self, on: bool) -> None:
        """Show or hide every text (the view hides them when zoomed out too far to read them); zoomed out,
        the items paint nothing and drawBackground draws them all in a batch."""
        if on == self.detail:
            return
        self.detail = on
        self._set_index(on)
        self._overview = None
        self._scanned = None
        if on:
            # Only what is in view gets its detail back now; the rest as it comes into view.
            self._coarse_nodes = set(self.nodes.values())
            self._coarse_edges = set(self.edges.values())
            self.refresh_labels(self.visible_rect())
            return
        for item in self.nodes.values():
            if item not in self._coarse_nodes:
                item.set_detail(False)
        for edge in self.edges.values():
            if edge not in self._coarse_edges:
                edge.set_fast(True)
                edge.set_labels_visible(False, False)
        self._coarse_nodes.clear()
        self._coarse_edges.clear()

    def _set_index(self, detail: bool) -> None:
        """The index for this much detail (see _INDEX). A BSP index made while there are items does not
        index them until the scene's rect changes (Qt then indexes every item again): it would hand every
        item to every paint, slower than none."""
        self.setItemIndexMethod(_INDEX[detail])
        if detail and self.nodes:
            rect = self.sceneRect()
            self.setSceneRect(rect.adjusted(0, 0, 1, 0))
            self.setSceneRect(rect)

    def _update_label_visibility(self) -> None:
        values = self.detail and self.settings.show_values
        grads = self.detail and self.settings.show_grads
        for item in self.edges.values():
            if item not in self._coarse_edges:  # those get theirs when they come into view
                item.set_labels_visible(values, grads)

    def _on_setting_changed(self, key: str) -> None:
        if key in ("display/show_values", "display/show_grads"):
            self._update_label_visibility()
        elif key == "display/digits":
            self.apply_trace(self.bridge.trace)
        elif key == "display/unit_thumbnails":
            self.show_unit_maps(self._unit_maps)

    def show_unit_maps(self, bmap: Any) -> None:
        """The hidden units' maps of a BoundaryMap (or None) under their nodes, while the setting is on."""
        self._unit_maps = bmap
        show_unit_maps(self.nodes, bmap if self.settings.unit_thumbnails else None)

    def _on_selection_changed(self) -> None:
        try:
            ids = self.selected_ids()
        except RuntimeError:
            return
        self.bridge.set_selection(ids)
        self.node_changed_all()
        edges = [i for i in self.selectedItems() if isinstance(i, EdgeItem)]
        self.bridge.edgeSelected.emit(edges[0].edge if len(edges) == 1 and not ids else None)

    # ----- editing from the canvas
    def selected_ids(self) -> list[str]:
        return [i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)]

    def selected_edges(self) -> list[Edge]:
        return [i.edge for i in self.selectedItems() if isinstance(i, EdgeItem)]

    def select_nodes(self, ids: list[str]) -> None:
        self.clearSelection()
        for nid in ids:
            if nid in self.nodes:
                self.nodes[nid].setSelected(True)

    def snapped(self, p: QPointF) -> tuple[float, float]:
        if not self.settings.snap:
            return (round(p.x(), 1), round(p.y(), 1))
        g = style.GRID
        return (float(round(p.x() / g) * g), float(round(p.y() / g) * g))

    def add_op_at(self, op_id: str, scene_pos: QPointF) -> str | None:
        """Create a node of op_id whose box is centred on scene_pos; returns its id."""
        op = self.bridge.registry.get(op_id)
        if op is None:
            return None
        h = style.node_height(len(op.inputs))
        top_left = QPointF(scene_pos.x() - style.NODE_WIDTH / 2, scene_pos.y() - h / 2)
        value = 0.0 if op.is_leaf else None
        edit = AddNode(op_id, self.bridge.doc.new_id(op_id), value=value, position=self.snapped(top_left))
        if self.bridge.push(edit):
            self.select_nodes([edit.node_id])
            return edit.node_id
        return None

    def mousePressEvent(self, event: Any) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.open_answer_editor(event.scenePos()):
            event.accept()
            return
        super().mousePressEvent(event)
        self._press_positions = {i.node_id: i.pos() for i in self.selectedItems() if isinstance(i, NodeItem)}

    # ----- the quiz: a click on a blank opens an editor on it
    def open_answer_editor(self, scene_pos: QPointF) -> AnswerEditor | None:
        """The editor for the blank at scene_pos (None when there is no blank there)."""
        if not self.quiz.active:
            return None
        for it in self.items(scene_pos):
            key = it.data(QUIZ_KEY_ROLE)
            if key and it.isVisible():
                editor = AnswerEditor(key, self._commit_answer, self._hint)
                self.addItem(editor)
                editor.setPos(it.sceneBoundingRect().topLeft() - QPointF(2, 2))
                editor.setFocus()
                return editor
        return None

    def _commit_answer(self, key: str, text: str) -> None:
        self.bridge.statusMessage.emit(self.quiz.answer(key, text))

    def _hint(self, key: str) -> str:
        text = self.quiz.hint(key)
        self.bridge.statusMessage.emit(translate("GraphScene", "hint: {hint}").format(hint=text))
        return text

    def mouseReleaseEvent(self, event: Any) -> None:
        super().mouseReleaseEvent(event)
        self.commit_moves()

    def commit_moves(self) -> None:
        """Turn the nodes dragged since the press into one MoveNodes edit."""
        moved = {}
        for nid, before in self._press_positions.items():
            item = self.nodes.get(nid)
            if item is not None and item.pos() != before:
                moved[nid] = (item.pos().x(), item.pos().y())
        self._press_positions = {}
        if moved:
            self.bridge.push(MoveNodes(moved))
            self._update_scene_rect()

    def auto_layout(self) -> None:
        positions = auto_positions(self.bridge.doc)
        if positions:
            self.bridge.push(MoveNodes(positions))
            self._update_scene_rect()

    def delete_selection(self) -> None:
        ids = self.selected_ids()
        edits: list[Edit] = [
            Disconnect(e.source, e.target, e.port)
            for e in self.selected_edges()
            if e.source not in ids and e.target not in ids
        ]
        edits += [RemoveNode(n) for n in ids]
        if not edits:
            return
        if len(edits) == 1:
            self.bridge.push(edits[0])
            return
        # Several at once: one undo step, named by how many (tr, not translate: lupdate marks a count as
        # plural only in a tr call).
        what = self.tr("Delete %n items", None, len(edits))
        self.bridge.push(Macro(what, edits))

    def copy_selection(self) -> str | None:
        """The selected nodes and the edges between them, as graph-file JSON (None if none is selected)."""
        ids = self.selected_ids()
        if not ids:
            return None
        positions = {n: (self.nodes[n].pos().x(), self.nodes[n].pos().y()) for n in ids}
        return copy_nodes(self.bridge.doc, ids, positions)

    def paste(self, text: str) -> list[str]:
        """Add the nodes of graph-file JSON with fresh ids, offset from their place; returns the new ids."""
        try:
            pasted = paste(self.bridge.doc, text, self.bridge.registry, place=self._snapped_position)
        except GraphError as err:
            self.bridge.statusMessage.emit(translate("GraphScene", "cannot paste: {error}").format(error=err))
            return []
        if pasted is None or not self.bridge.push(pasted.edit):
            return []
        self.select_nodes(pasted.ids)
        return pasted.ids

    def _snapped_position(self, position: tuple[float, float]) -> tuple[float, float]:
        return self.snapped(QPointF(*position))

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawBackground(painter, rect)
        if not self.detail:
            self._draw_overview(painter)
        elif self.show_grid and painter.worldTransform().m11() >= GRID_MIN_SCALE:
            painter.fillRect(rect, self._grid_brush)

    def _draw_overview(self, painter: QPainter) -> None:
        if self._overview is None or not self._overview.refresh():
            self._overview = Overview(self.nodes.values(), self.edges.values())
        self._overview.draw(painter)


def _problem_messages(
    problems: list[GraphError],
) -> tuple[dict[str, list[str]], dict[tuple[str, str], str]]:
    """The messages by node (a cycle's go to each of its nodes) and by (node, input port)."""
    by_node: dict[str, list[str]] = {}
    by_port: dict[tuple[str, str], str] = {}
    for p in problems:
        if p.node is not None:
            by_node.setdefault(p.node, []).append(error_text(p))
            if p.port is not None:
                by_port[(p.node, p.port)] = error_text(p)
        for n in p.cycle if isinstance(p, CycleError) else ():
            by_node.setdefault(n, []).append(error_text(p))
    return by_node, by_port


def _edge_order(item: EdgeItem) -> int:
    return item.order


def _box(item: NodeItem) -> QRectF:
    return QRectF(item.x(), item.y(), item.width, item.height)


def _take(
    nodes: set[NodeItem], edges: set[EdgeItem], near: list[QGraphicsItem] | None, rect: QRectF | None
) -> tuple[set, set]:
    """Remove from the sets and return the nodes and edges in rect (all of them if None), looking only
    at the items near it (those the scene's index found around rect)."""
    if rect is None or near is None:
        taken = (set(nodes), set(edges))
        nodes.clear()
        edges.clear()
        return taken
    x0, y0, x1, y1 = rect.left(), rect.top(), rect.right(), rect.bottom()
    in_nodes = set()
    in_edges = set()
    for item in near:
        if item in nodes:
            x, y = item.x(), item.y()
            if x <= x1 and y <= y1 and x + item.width >= x0 and y + item.height >= y0:
                in_nodes.add(item)
        elif item in edges:
            bx0, by0, bx1, by1 = item.box
            if bx0 <= x1 and by0 <= y1 and bx1 >= x0 and by1 >= y0:
                in_edges.add(item)
    nodes -= in_nodes
    edges -= in_edges
    return in_nodes, in_edges
