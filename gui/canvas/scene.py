"""The canvas: a QGraphicsScene that mirrors the document (it follows the bridge's events) and shows the
latest trace on every edge, and the view around it (zoom, pan, rubber band, drops from the palette,
connecting ports by dragging, quick add).

Positions: a node without a `position` gets one from the automatic layout (left to right by
topological generation); that position lives only on the canvas until the node is moved.

Speed (bench/bench_canvas.py, 500 nodes and 750 edges): a new trace only marks the labels stale and
formats the ones in view; the rest are formatted when they scroll into view (GraphView.paintEvent) or the
scene is rendered (export). Zoomed out below DETAIL_MIN_SCALE the items paint nothing and the scene draws
all edges and boxes in a few batched calls from drawBackground (cached until something moves or changes);
zooming back in restores the items in view at once and the others as they come into view.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsScene, QGraphicsView, QWidget

from engine.compile.trace import Trace
from graph.document import Document, Edge
from graph.edits import AddNode, Connect, Disconnect, Edit, Macro, MoveNodes, RemoveNode
from graph.errors import GraphError
from graph.file_format import dumps, loads
from graph.values import compact
from gui.canvas import style
from gui.canvas.edge_item import EdgeItem, curve
from gui.canvas.node_item import NodeItem, PortItem
from gui.model_bridge import ModelBridge
from gui.settings import Settings

OP_MIME = "application/x-backprop-studio-op"
GRAPH_MIME = "application/x-backprop-studio-graph"
DETAIL_MIN_SCALE = 0.4  # below this zoom, texts would be under ~4 px: they are not drawn
GRID_MIN_SCALE = 0.5
ARROW_MIN_SCALE = 0.15  # below this an arrow head is under 1.5 px: the zoomed-out batch leaves it out


def layout_positions(doc: Document) -> dict[str, tuple[float, float]]:
    """Left to right by topological generation; within a column, ordered by the mean row of the
    predecessors (fewer crossings), centred vertically."""
    g = doc.g
    try:
        generations = [list(gen) for gen in nx.topological_generations(g)]
    except nx.NetworkXUnfeasible:
        ids = doc.node_ids()
        return {
            n: (float((i % 4) * style.COLUMN_SPACING), float((i // 4) * style.ROW_SPACING))
            for i, n in enumerate(ids)
        }
    order = {n: i for i, n in enumerate(doc.node_ids())}
    # Leaves go one column before their first consumer, so that inputs sit next to where they are used.
    column: dict[str, int] = {}
    for i, gen in enumerate(generations):
        for n in gen:
            column[n] = i
    for n in doc.node_ids():
        if g.in_degree(n) == 0 and g.out_degree(n) > 0:
            column[n] = max(0, min(column[s] for s in g.successors(n)) - 1)
    columns: dict[int, list[str]] = {}
    for n in sorted(column, key=lambda n: (column[n], order[n])):
        columns.setdefault(column[n], []).append(n)
    row: dict[str, float] = {}
    positions: dict[str, tuple[float, float]] = {}
    for c in sorted(columns):
        ids = columns[c]

        def key(n: str) -> tuple[float, int]:
            preds = [row[p] for p in g.predecessors(n) if p in row]
            return (sum(preds) / len(preds) if preds else float(order[n]), order[n])

        if c > 0:
            ids.sort(key=key)
        for i, n in enumerate(ids):
            row[n] = i - (len(ids) - 1) / 2
            positions[n] = (float(c * style.COLUMN_SPACING), float(row[n] * style.ROW_SPACING))
    return positions


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
        self._overview: tuple[Any, ...] | None = None  # the batched zoomed-out drawing
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setBackgroundBrush(QBrush(style.BACKGROUND))
        self._grid_brush = self._make_grid_brush()
        bridge.docEvent.connect(self._on_doc_event)
        bridge.traceChanged.connect(self.apply_trace)
        bridge.problemsChanged.connect(self.apply_problems)
        bridge.highlightChanged.connect(self._on_highlight)
        self.settings.changed.connect(self._on_setting_changed)
        self.selectionChanged.connect(self._on_selection_changed)
        self.rebuild()

    # ----- hooks for the items
    def snap_enabled(self) -> bool:
        return self.settings.snap

    def node_changed(self, item: NodeItem) -> None:
        """A node moved or changed its look: the zoomed-out batch must be drawn again (and a stale
        node or edge may have moved into view)."""
        self._overview = None
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
        for pending in (self._stale_nodes, self._stale_edges, self._coarse_nodes, self._coarse_edges):
            pending.clear()
        self._overview = None
        doc = self.bridge.doc
        auto = layout_positions(doc) if any(n.position is None for n in doc.nodes()) else {}
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
            op.name if op else f"? {node.op}",
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
        if not self.nodes:
            return (0.0, 0.0)
        rect = self.itemsBoundingRect()
        return (rect.left(), rect.bottom() + 40)

    def _add_edge_item(self, edge: Edge, fill: bool = True) -> EdgeItem | None:
        s, t = self.nodes.get(edge.source), self.nodes.get(edge.target)
        if s is None or t is None:
            return None
        item = EdgeItem(edge, s, t)
        item.set_labels_visible(
            self.detail and self.settings.show_values, self.detail and self.settings.show_grads
        )
        if not self.detail:
            item.set_fast(True)
        self.addItem(item)
        self.edges[edge] = item
        self._overview = None
        if fill:
            self._fill_edge(item)
        else:
            self._stale_edges.add(item)
        return item

    def _remove_edge_item(self, edge: Edge) -> None:
        item = self.edges.pop(edge, None)
        if item is not None:
            item.detach()
            self._stale_edges.discard(item)
            self._coarse_edges.discard(item)
            self._overview = None
            self.removeItem(item)

    # ----- document events
    def _on_doc_event(self, event: str, payload: dict[str, Any]) -> None:
        doc = self.bridge.doc
        if event == "document_reset":
            self.rebuild()
        elif event == "node_added":
            nid = payload["node"]
            auto = None
            if doc.node(nid).position is None:
                auto = layout_positions(doc).get(nid) if not self.nodes else None
            self._add_node_item(nid, auto)
            self._update_scene_rect()
        elif event == "node_removed":
            item = self.nodes.pop(payload["node"], None)
            if item is not None:
                for e in list(item.edges):
                    self._remove_edge_item(e.edge)
                self._stale_nodes.discard(item)
                self._coarse_nodes.discard(item)
                self._overview = None
                self.removeItem(item)
        elif event == "edge_added":
            self._add_edge_item(payload["edge"])
        elif event == "edge_removed":
            self._remove_edge_item(payload["edge"])
        elif event == "node_moved":
            nid = payload["node"]
            item = self.nodes.get(nid)
            pos = doc.node(nid).position
            if item is not None and pos is not None and (item.pos().x(), item.pos().y()) != pos:
                item.setPos(QPointF(*pos))
                # Let the view scroll to where the node went (an undo, a layout, a script).
                grown = item.sceneBoundingRect().adjusted(-2000, -2000, 2000, 2000)
                if not self.sceneRect().contains(grown):
                    self.setSceneRect(self.sceneRect().united(grown))
        elif event in ("label_changed", "op_changed"):
            nid = payload["node"]
            if event == "op_changed":
                self._replace_node_item(nid)
            elif nid in self.nodes:
                self.nodes[nid].set_title(doc.node(nid).title)
        elif event == "value_changed":
            item = self.nodes.get(payload["node"])
            if item is not None:
                self._fill_node(item)

    def _replace_node_item(self, nid: str) -> None:
        old = self.nodes.pop(nid, None)
        if old is None:
            return
        edges = [e.edge for e in old.edges]
        for e in edges:
            self._remove_edge_item(e)
        pos = (old.pos().x(), old.pos().y())
        self._stale_nodes.discard(old)
        self._coarse_nodes.discard(old)
        self.removeItem(old)
        self._add_node_item(nid, pos)
        for e in edges:
            self._add_edge_item(e)

    def _update_scene_rect(self) -> None:
        rect = self.itemsBoundingRect().adjusted(-2000, -2000, 2000, 2000)
        self.setSceneRect(rect.united(self.sceneRect()) if self.nodes else rect)

    # ----- numbers
    @property
    def digits(self) -> int:
        return self.settings.digits

    def _fill_node(self, item: NodeItem, d: int | None = None) -> None:
        d = self.digits if d is None else d
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
        item.set_values(vt, gt, value, grad)

    def _value_text(self, node_id: str, value: Any, d: int) -> str:
        """The compact text of a node's value in the current trace (shared by the node and its edges)."""
        text = self._value_texts.get(node_id)
        if text is None:
            text = self._value_texts[node_id] = compact(value, d)
        return text

    def _fill_edge(self, item: EdgeItem, d: int | None = None) -> None:
        trace = self.bridge.trace
        if trace is None:
            item.set_texts("", "", None, None)
            return
        index = trace.plan.edge_index.get(item.edge)
        if index is None:
            item.set_texts("", "", None, None)
            return
        d = self.digits if d is None else d
        value = trace.value_list[trace.plan.slot[item.edge.source]]
        grad = trace.edge_grad_list[index]
        vt = None if value is None else self._value_text(item.edge.source, value, d)
        item.set_texts(vt, None if grad is None else compact(grad, d), value, grad)

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
        if not self.needs_refresh():
            return
        if rect is not None:
            x0, y0, x1, y1 = rect.left(), rect.top(), rect.right(), rect.bottom()
            s = self._scanned
            if s is not None and s[0] <= x0 and s[1] <= y0 and s[2] >= x1 and s[3] >= y1:
                return  # already brought up to date in here, and nothing moved since
            self._scanned = (x0, y0, x1, y1)
        nodes, edges = _take(self._coarse_nodes, self._coarse_edges, rect)
        if nodes or edges:
            values, grads = self.settings.show_values, self.settings.show_grads
            for item in nodes:
                item.set_detail(True)
            for edge in edges:
                edge.set_fast(False)
                edge.set_labels_visible(values, grads)
        nodes, edges = _take(self._stale_nodes, self._stale_edges, rect)
        d = self.digits
        for item in nodes:
            self._fill_node(item, d)
        for item in edges:
            self._fill_edge(item, d)

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
        by_node: dict[str, list[str]] = {}
        by_port: dict[tuple[str, str], str] = {}
        for p in problems:
            if p.node is not None:
                by_node.setdefault(p.node, []).append(str(p))
                if p.port is not None:
                    by_port[(p.node, p.port)] = str(p)
            cycle = getattr(p, "cycle", None)
            for n in cycle or []:
                by_node.setdefault(n, []).append(str(p))
        for nid, item in self.nodes.items():
            msgs = by_node.get(nid)
            item.set_problem("\n".join(dict.fromkeys(msgs)) if msgs else None)
            for name, port in item.in_ports.items():
                port.set_error(by_port.get((nid, name)))
        cycle_nodes = {n for p in problems for n in (getattr(p, "cycle", None) or [])}
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
        rows = max(len(op.inputs), 2)
        h = style.HEADER_HEIGHT + rows * style.ROW_HEIGHT + 6
        top_left = QPointF(scene_pos.x() - style.NODE_WIDTH / 2, scene_pos.y() - h / 2)
        value = 0.0 if op.is_leaf else None
        edit = AddNode(op_id, self.bridge.doc.new_id(op_id), value=value, position=self.snapped(top_left))
        if self.bridge.push(edit):
            self.select_nodes([edit.node_id])
            return edit.node_id
        return None

    def mousePressEvent(self, event: Any) -> None:
        super().mousePressEvent(event)
        self._press_positions = {i.node_id: i.pos() for i in self.selectedItems() if isinstance(i, NodeItem)}

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
        positions = layout_positions(self.bridge.doc)
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
        what = f"Delete {ids[0]}" if len(ids) == 1 and len(edits) == 1 else f"Delete {len(edits)} items"
        self.bridge.push(edits[0] if len(edits) == 1 else Macro(what, edits))

    def copy_selection(self) -> str | None:
        """The selected nodes and the edges between them, as graph-file JSON."""
        ids = set(self.selected_ids())
        if not ids:
            return None
        sub = self.bridge.doc.copy()
        for nid in list(sub.node_ids()):
            if nid not in ids:
                sub.remove_node(nid)
            else:
                p = self.nodes[nid].pos()
                sub.node(nid).position = (p.x(), p.y())
        sub.training = {}
        sub.dataset = {}
        sub.description = ""
        return dumps(sub)

    def paste(self, text: str, offset: QPointF | None = None) -> list[str]:
        """Add the nodes of graph-file JSON with fresh ids (offset from their place); returns the new ids."""
        try:
            sub = loads(text, self.bridge.registry, "clipboard")
        except GraphError as err:
            self.bridge.statusMessage.emit(f"cannot paste: {err}")
            return []
        offset = offset if offset is not None else QPointF(40, 40)
        taken = set(self.bridge.doc.node_ids())
        mapping: dict[str, str] = {}
        edits: list[Edit] = []
        for node in sub.nodes():
            new = node.id
            if new in taken:
                stem = node.id.rstrip("0123456789") or node.op
                i = 1
                while f"{stem}{i}" in taken:
                    i += 1
                new = f"{stem}{i}"
            taken.add(new)
            mapping[node.id] = new
            pos = node.position or (0.0, 0.0)
            edits.append(
                AddNode(
                    node.op,
                    new,
                    dict(node.attrs),
                    None if node.value is None else node.value.copy(),
                    self.snapped(QPointF(pos[0], pos[1]) + offset),
                    node.label,
                    node.init,
                )
            )
        for e in sub.edges():
            edits.append(Connect(mapping[e.source], mapping[e.target], e.port, replace=False))
        if not edits:
            return []
        n = len(mapping)
        if self.bridge.push(Macro(f"Paste {n} node{'s' if n != 1 else ''}", edits)):
            self.select_nodes(list(mapping.values()))
            return list(mapping.values())
        return []

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawBackground(painter, rect)
        if not self.detail:
            self._draw_overview(painter)
        elif self.show_grid and painter.worldTransform().m11() >= GRID_MIN_SCALE:
            painter.fillRect(rect, self._grid_brush)

    def _draw_overview(self, painter: QPainter) -> None:
        """Zoomed far out: every edge as a hairline curve and every node as a plain box, in a few calls
        (the items themselves paint nothing then)."""
        if self._overview is None:
            self._overview = self._build_overview()
        edge_paths, fills, outlines = self._overview
        # Hairlines as light as the items' thin pens would come out at this scale.
        scale = painter.worldTransform().m11()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for color, path, arrows in edge_paths:
            painter.setPen(QPen(_faded(color, 1.6 * scale), 0))
            painter.drawPath(path)
            if scale >= ARROW_MIN_SCALE:
                painter.drawPath(arrows)
        painter.setPen(QPen(_faded(style.EDGE_COLOR, scale), 0))
        for color, rects in fills:
            painter.setBrush(color)
            painter.drawRects(rects)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for color, width, rects in outlines:
            painter.setPen(QPen(color, width))
            painter.drawRects(rects)
        painter.restore()

    def _build_overview(self) -> tuple[Any, ...]:
        groups: dict[str, tuple[QPainterPath, QPainterPath]] = {"plain": (QPainterPath(), QPainterPath())}
        for item in self.edges.values():
            if item.isSelected():
                key = "select"
            elif item.problem:
                key = "error"
            else:
                key = "plain"
            group = groups.get(key)
            if group is None:
                group = groups[key] = (QPainterPath(), QPainterPath())
            group[0].addPath(item.curve_path)
            group[1].addPolygon(item.arrow)
        colors = {"plain": style.EDGE_COLOR, "select": style.SELECT_COLOR, "error": style.ERROR_COLOR}
        edge_paths = [(colors[k], path, arrows) for k, (path, arrows) in groups.items()]
        fills: dict[Any, list[QRectF]] = {}
        outlines: dict[tuple[str, int], list[QRectF]] = {}
        for item in self.nodes.values():
            r = QRectF(item.x(), item.y(), item.width, item.height)
            fills.setdefault(item._fill.rgba(), []).append(r)
            if item.highlighted:
                outlines.setdefault(("highlight", 3), []).append(r)
            if item.problem:
                outlines.setdefault(("error", 2), []).append(r)
            elif item.isSelected():
                outlines.setdefault(("select", 2), []).append(r)
        colors["highlight"] = style.HIGHLIGHT_COLOR
        return (
            edge_paths,
            [(QColor.fromRgba(rgba), rects) for rgba, rects in fills.items()],
            [(colors[k], w, rects) for (k, w), rects in outlines.items()],
        )

    def _make_grid_brush(self) -> QBrush:
        """The grid as a tiled texture: one fill per repaint instead of hundreds of lines."""
        g = style.GRID * 2
        tile = QPixmap(g, g)
        tile.fill(style.BACKGROUND)
        p = QPainter(tile)
        p.setPen(QPen(style.GRID_COLOR, 1))
        p.drawLine(0, 0, g, 0)
        p.drawLine(0, 0, 0, g)
        p.end()
        return QBrush(tile)


def _take(nodes: set[NodeItem], edges: set[EdgeItem], rect: QRectF | None) -> tuple[set, set]:
    """Remove from the sets and return the nodes and edges in rect (all of them if None)."""
    if rect is None:
        taken = (set(nodes), set(edges))
        nodes.clear()
        edges.clear()
        return taken
    x0, y0, x1, y1 = rect.left(), rect.top(), rect.right(), rect.bottom()
    in_nodes = set()
    for item in nodes:
        x, y = item.x(), item.y()
        if x <= x1 and y <= y1 and x + item.width >= x0 and y + item.height >= y0:
            in_nodes.add(item)
    in_edges = set()
    for edge in edges:
        bx0, by0, bx1, by1 = edge.box
        if bx0 <= x1 and by0 <= y1 and bx1 >= x0 and by1 >= y0:
            in_edges.add(edge)
    nodes -= in_nodes
    edges -= in_edges
    return in_nodes, in_edges


def _faded(color: QColor, alpha: float) -> QColor:
    c = QColor(color)
    c.setAlphaF(max(0.05, min(1.0, alpha)))
    return c


class GraphView(QGraphicsView):
    """Zoom on the wheel, pan with the middle button (or Space+drag), rubber-band selection, drops from
    the palette, connecting by dragging from a port, Tab for quick add."""

    quickAddRequested = Signal(QPointF, QPoint)  # scene position, global position

    def __init__(self, scene: GraphScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.graph_scene = scene
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        self._pan_from: QPoint | None = None
        self._space = False
        self._conn: dict[str, Any] | None = None
        self._temp: QGraphicsPathItem | None = None
        self.fit_pending = True

    @property
    def bridge(self) -> ModelBridge:
        return self.graph_scene.bridge

    def paintEvent(self, event: Any) -> None:
        scene = self.graph_scene
        detail = self.transform().m11() >= DETAIL_MIN_SCALE
        if detail != scene.detail:
            scene.set_detail(detail)
            self.setRenderHint(QPainter.RenderHint.Antialiasing, detail)
        if detail and scene.needs_refresh():
            # Labels that scrolled into view since the last trace: format them before they are drawn.
            scene.refresh_labels(self.mapToScene(self.viewport().rect()).boundingRect())
        super().paintEvent(event)

    # ----- zoom and fit
    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y()
        if delta == 0:
            return
        self.zoom(1.15 ** (delta / 120))

    def zoom(self, factor: float) -> None:
        current = self.transform().m11()
        factor = max(0.1 / current, min(4.0 / current, factor))
        self.scale(factor, factor)

    def request_fit(self) -> None:
        """Fit now if the view has its size, else as soon as it is shown."""
        self.fit_pending = True
        if self.isVisible():
            self.fit()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.fit_pending:
            self.fit()
            # The docks settle their sizes after the first show: fit again once they have.
            QTimer.singleShot(0, self.fit)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.fit_pending:
            self.fit()

    def fit(self) -> None:
        items = self.graph_scene.nodes.values()
        if not items:
            return
        if self.isVisible():
            self.fit_pending = False
        rect = QRectF()
        for item in items:
            rect = rect.united(item.sceneBoundingRect())
        rect.adjust(-60, -50, 60, 50)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > 1.3:
            self.resetTransform()
            self.scale(1.3, 1.3)
            self.centerOn(rect.center())

    # ----- mouse: pan, connect
    def _port_at(self, pos: QPoint) -> PortItem | None:
        for item in self.items(QRectF(pos.x() - 5, pos.y() - 5, 10, 10).toRect()):
            if isinstance(item, PortItem):
                return item
        return None

    def _node_at(self, pos: QPoint) -> NodeItem | None:
        for item in self.items(pos):
            while item is not None and not isinstance(item, NodeItem):
                item = item.parentItem()
            if isinstance(item, NodeItem):
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if event.button() == Qt.MouseButton.MiddleButton or (
            self._space and event.button() == Qt.MouseButton.LeftButton
        ):
            self._pan_from = pos
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            return
        if event.button() == Qt.MouseButton.LeftButton:
            port = self._port_at(pos)
            if port is not None:
                self._start_connection(port, pos)
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._pan_from is not None:
            d = pos - self._pan_from
            self._pan_from = pos
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - d.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - d.y())
            return
        if self._conn is not None:
            self._update_connection(pos)
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.unsetCursor()
            return
        if self._conn is not None:
            self._update_connection(event.position().toPoint())
            self._finish_connection()
            return
        super().mouseReleaseEvent(event)

    def _start_connection(self, port: PortItem, pos: QPoint) -> None:
        self._conn = {"from": port, "candidate": None, "reason": None}
        self._temp = QGraphicsPathItem()
        self._temp.setZValue(10)
        self.graph_scene.addItem(self._temp)
        self._update_connection(pos)

    def _candidate(self, pos: QPoint) -> tuple[str, str, str] | None:
        """(source, target, port) for the port or node under pos, or None."""
        start: PortItem = self._conn["from"]
        port = self._port_at(pos)
        if start.is_output:
            if port is not None and not port.is_output:
                return (start.node.node_id, port.node.node_id, port.name)
            node = self._node_at(pos)
            if node is not None and node is not start.node and node.in_ports:
                taken = self.bridge.doc.inputs_of(node.node_id)
                free = [p for p in node.in_ports if p not in taken]
                return (start.node.node_id, node.node_id, free[0] if free else next(iter(node.in_ports)))
            return None
        if port is not None and port.is_output:
            return (port.node.node_id, start.node.node_id, start.name)
        node = self._node_at(pos)
        if node is not None and node is not start.node:
            return (node.node_id, start.node.node_id, start.name)
        return None

    def _update_connection(self, pos: QPoint) -> None:
        assert self._conn is not None and self._temp is not None
        start: PortItem = self._conn["from"]
        here = self.mapToScene(pos)
        cand = self._candidate(pos)
        reason = replaced = None
        if cand is not None:
            reason, replaced = self.bridge.connection_problem(*cand)
        self._conn["candidate"] = cand
        self._conn["reason"] = reason
        a = start.scenePos()
        p1, p2 = (a, here) if start.is_output else (here, a)
        self._temp.setPath(curve(p1, QPointF(p2.x() + 6, p2.y())))
        color = QColor("#888888") if cand is None else (style.ERROR_COLOR if reason else QColor("#1e9e3e"))
        pen = QPen(color, 2, Qt.PenStyle.DashLine)
        self._temp.setPen(pen)
        if cand is None:
            self.bridge.statusMessage.emit("drop on an input port to connect")
        elif reason:
            self.bridge.statusMessage.emit(f"✗ {reason}")
        else:
            s, t, p = cand
            extra = f" (replaces {replaced} → {t}.{p})" if replaced else ""
            self.bridge.statusMessage.emit(f"connect {s} → {t}.{p}{extra}")

    def _finish_connection(self) -> None:
        conn = self._conn
        self._conn = None
        if self._temp is not None:
            self.graph_scene.removeItem(self._temp)
            self._temp = None
        if conn is None or conn["candidate"] is None:
            self.bridge.statusMessage.emit("")
            return
        if conn["reason"]:
            self.bridge.statusMessage.emit(f"✗ not connected: {conn['reason']}")
            return
        s, t, p = conn["candidate"]
        if self.bridge.push(Connect(s, t, p, replace=True)):
            self.bridge.statusMessage.emit(f"connected {s} → {t}.{p}")

    # ----- keys
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Space) and not event.isAutoRepeat():
            if event.key() == Qt.Key.Key_Space and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self._space = True
                return
            cursor = self.mapFromGlobal(self.cursor().pos())
            if not self.viewport().rect().contains(cursor):
                cursor = self.viewport().rect().center()
            self.quickAddRequested.emit(self.mapToScene(cursor), self.viewport().mapToGlobal(cursor))
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space:
            self._space = False
        super().keyReleaseEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        return False

    # ----- drops from the palette
    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasFormat(OP_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasFormat(OP_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: Any) -> None:
        mime: QMimeData = event.mimeData()
        if not mime.hasFormat(OP_MIME):
            event.ignore()
            return
        op_id = bytes(mime.data(OP_MIME).data()).decode()
        pos = self.mapToScene(event.position().toPoint())
        self.graph_scene.add_op_at(op_id, pos)
        event.acceptProposedAction()
        self.setFocus()
