"""The view around the canvas: zoom on the wheel, pan, rubber-band selection (Qt's own), drops from the
palette, connecting ports by dragging, quick add.

A mouse drag that is not Qt's own (rubber band, moving items) is a gesture object that gets the moves
and the release: `Pan` (middle button, or Shift+Space and the left button) and `ConnectDrag` (from a
port). The view also decides how much detail the scene draws: below DETAIL_MIN_SCALE texts would be
under ~4 px, so none is drawn.

Fit to view never zooms out below FIT_MIN_SCALE, where the labels still read: a graph too large for
that shows its output end, and the minimap (gui/canvas/minimap.py) in the corner shows the whole graph
and where the view is, and moves the view on a click or a drag.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMimeData, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsView, QWidget

from graph.edits import Connect
from gui.canvas import style
from gui.canvas.edge_item import curve
from gui.canvas.minimap import CORNER_GAP, Minimap
from gui.canvas.node_item import NodeItem, PortItem
from gui.canvas.scene import OP_MIME, GraphScene
from gui.i18n import translate
from gui.model_bridge import ModelBridge

DETAIL_MIN_SCALE = 0.4  # below this zoom, texts would be under ~4 px: they are not drawn
FIT_MIN_SCALE = 0.7  # Fit to view goes no further out: the smallest texts are still ~8 px
FIT_MAX_SCALE = 1.3  # nor further in than this for a small graph
FIT_MARGIN = (60.0, 50.0)  # around the graph when fitted
OK_COLOR = QColor("#1e9e3e")
NOWHERE_COLOR = QColor("#888888")

Candidate = tuple[str, str, str]  # (source, target, port)


class GraphView(QGraphicsView):
    """Zoom on the wheel, pan with the middle button (or Shift+Space+drag), rubber-band selection, drops
    from the palette, connecting by dragging from a port, Tab for quick add."""

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
        self._space = False
        self._gesture: Pan | ConnectDrag | None = None
        self.fit_pending = True
        self.minimap = Minimap(self)
        self._minimap_seen: tuple[int, QRectF] | None = None
        self._minimap_timer = QTimer(self)
        self._minimap_timer.setSingleShot(True)
        self._minimap_timer.setInterval(0)
        self._minimap_timer.timeout.connect(self.minimap.sync)

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
        # The minimap follows after the paint (showing or moving a widget is not for paint time).
        seen = (scene.content_version, self.visible_scene_rect())
        if seen != self._minimap_seen:
            self._minimap_seen = seen
            self._minimap_timer.start()

    def visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def minimap_moved(self) -> None:
        """The minimap moved the view: it follows at once."""
        self.minimap.sync()

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
        self._minimap_timer.start()

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
        self._minimap_timer.start()

    def fit(self, readable: bool = True) -> None:
        """Show the whole graph, at most FIT_MAX_SCALE; readable (the default): at least FIT_MIN_SCALE,
        and a graph too large for that shows its output end (the minimap shows the rest)."""
        scene = self.graph_scene
        if not scene.nodes:
            return
        if self.isVisible():
            self.fit_pending = False
        mx, my = FIT_MARGIN
        rect = scene.content_rect().adjusted(-mx, -my, mx, my)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        scale = self.transform().m11()
        if scale > FIT_MAX_SCALE:
            self._set_scale(FIT_MAX_SCALE)
            self.centerOn(rect.center())
        elif readable and scale < FIT_MIN_SCALE:
            self._set_scale(FIT_MIN_SCALE)
            # Room below the graph for the minimap, so that it covers no node at the output end.
            _, h = Minimap.size_for(rect, self.viewport().size())
            rect.adjust(0, 0, 0, (h + 2 * CORNER_GAP) / FIT_MIN_SCALE)
            self.centerOn(self._output_end(rect))
        self._minimap_timer.start()

    def _set_scale(self, scale: float) -> None:
        self.resetTransform()
        self.scale(scale, scale)

    def _output_end(self, rect: QRectF) -> QPointF:
        """Where to centre the view so that the output node (else the rightmost) is in view near the
        right edge, as much of the graph around it as fits."""
        scene = self.graph_scene
        out = scene.output_node() or max(scene.nodes.values(), key=lambda n: n.x() + n.width)
        box = out.sceneBoundingRect()
        k = self.transform().m11()
        half_w = self.viewport().width() / k / 2
        half_h = self.viewport().height() / k / 2
        x = _clamp(box.right() + FIT_MARGIN[0] - half_w, rect.left() + half_w, rect.right() - half_w)
        y = _clamp(box.center().y(), rect.top() + half_h, rect.bottom() - half_h)
        return QPointF(x, y)

    # ----- what is under the mouse
    def port_at(self, pos: QPoint) -> PortItem | None:
        for item in self.items(QRectF(pos.x() - 5, pos.y() - 5, 10, 10).toRect()):
            if isinstance(item, PortItem):
                return item
        return None

    def node_at(self, pos: QPoint) -> NodeItem | None:
        for item in self.items(pos):
            while item is not None and not isinstance(item, NodeItem):
                item = item.parentItem()
            if isinstance(item, NodeItem):
                return item
        return None

    # ----- mouse: the gestures
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._gesture is not None:
            return  # one gesture at a time: another button pressed during a drag is ignored
        pos = event.position().toPoint()
        left = event.button() == Qt.MouseButton.LeftButton
        if event.button() == Qt.MouseButton.MiddleButton or (self._space and left):
            self._gesture = Pan(self, pos)
            return
        port = self.port_at(pos) if left else None
        if port is not None:
            self._gesture = ConnectDrag(self, port, pos)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._gesture is not None:
            self._gesture.move(event.position().toPoint())
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._gesture is not None:
            gesture, self._gesture = self._gesture, None
            gesture.release(event.position().toPoint())
            return
        super().mouseReleaseEvent(event)

    # ----- keys
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Space) and not event.isAutoRepeat():
            if event.key() == Qt.Key.Key_Space and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self._space = True
                return
            self.open_quick_add()
            return
        super().keyPressEvent(event)

    def open_quick_add(self) -> None:
        """Ask for the quick-add popup at the mouse, or at the centre when the mouse is elsewhere."""
        cursor = self.mapFromGlobal(self.cursor().pos())
        if not self.viewport().rect().contains(cursor):
            cursor = self.viewport().rect().center()
        self.quickAddRequested.emit(self.mapToScene(cursor), self.viewport().mapToGlobal(cursor))

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


def _clamp(value: float, low: float, high: float) -> float:
    """value within [low, high]; the middle of the two when the range is empty."""
    if low > high:
        return (low + high) / 2
    return max(low, min(high, value))


class Pan:
    """Dragging the canvas around: the scroll bars follow the mouse."""

    def __init__(self, view: GraphView, pos: QPoint) -> None:
        self.view = view
        self.last = pos
        view.setCursor(Qt.CursorShape.ClosedHandCursor)

    def move(self, pos: QPoint) -> None:
        d = pos - self.last
        self.last = pos
        for bar, step in ((self.view.horizontalScrollBar(), d.x()), (self.view.verticalScrollBar(), d.y())):
            bar.setValue(bar.value() - step)

    def release(self, pos: QPoint) -> None:
        self.view.unsetCursor()


class ConnectDrag:
    """Dragging from a port to connect it: a dashed curve follows the mouse, green where the edge may
    be made and red (with the reason in the status bar) where it may not; the release makes it."""

    def __init__(self, view: GraphView, start: PortItem, pos: QPoint) -> None:
        self.view = view
        self.bridge = view.bridge
        self.start = start
        self.candidate: Candidate | None = None
        self.reason: str | None = None
        self.curve = QGraphicsPathItem()
        self.curve.setZValue(10)
        view.graph_scene.addItem(self.curve)
        self.move(pos)

    def move(self, pos: QPoint) -> None:
        cand = self._candidate(pos)
        reason = replaced = None
        if cand is not None:
            reason, replaced = self.bridge.connection_problem(*cand)
        self.candidate, self.reason = cand, reason
        self._draw(self.view.mapToScene(pos))
        if cand is None:
            self.bridge.statusMessage.emit(translate("ConnectDrag", "drop on an input port to connect"))
        elif reason:
            self.bridge.statusMessage.emit(f"✗ {reason}")
        else:
            self.bridge.statusMessage.emit(self._connect_text(cand, replaced))

    def _connect_text(self, cand: Candidate, replaced: str | None) -> str:
        """What the status bar says while the edge may be made (and which edge it would replace)."""
        s, t, p = (self._title(cand[0]), self._title(cand[1]), cand[2])
        text = translate("ConnectDrag", "connect {source} → {target}, port {port}")
        text = text.format(source=s, target=t, port=p)
        if replaced:
            extra = translate("ConnectDrag", "(replaces {source} → {target}, port {port})")
            text += " " + extra.format(source=self._title(replaced), target=t, port=p)
        return text

    def _title(self, node_id: str) -> str:
        """The user's name for a node (its label, else its id)."""
        item = self.view.graph_scene.nodes.get(node_id)
        return item.title if item is not None else node_id

    def _draw(self, here: QPointF) -> None:
        a = self.start.scenePos()
        p1, p2 = (a, here) if self.start.is_output else (here, a)
        self.curve.setPath(curve(p1, QPointF(p2.x() + 6, p2.y())))
        if self.candidate is None:
            color = NOWHERE_COLOR
        else:
            color = style.ERROR_COLOR if self.reason else OK_COLOR
        self.curve.setPen(QPen(color, 2, Qt.PenStyle.DashLine))

    def release(self, pos: QPoint) -> None:
        self.move(pos)
        self.view.graph_scene.removeItem(self.curve)
        if self.candidate is None:
            self.bridge.statusMessage.emit("")
            return
        if self.reason:
            refused = translate("ConnectDrag", "not connected: {reason}")
            self.bridge.statusMessage.emit("✗ " + refused.format(reason=self.reason))
            return
        s, t, p = self.candidate
        if self.bridge.push(Connect(s, t, p, replace=True)):
            done = translate("ConnectDrag", "connected {source} → {target}, port {port}")
            self.bridge.statusMessage.emit(done.format(source=self._title(s), target=self._title(t), port=p))

    def _candidate(self, pos: QPoint) -> Candidate | None:
        """(source, target, port) for the port or node under pos, or None."""
        if self.start.is_output:
            return self._input_at(pos)
        port = self.view.port_at(pos)
        if port is not None and port.is_output:
            return (port.node.node_id, self.start.node.node_id, self.start.name)
        node = self.view.node_at(pos)
        if node is not None and node is not self.start.node:
            return (node.node_id, self.start.node.node_id, self.start.name)
        return None

    def _input_at(self, pos: QPoint) -> Candidate | None:
        """Dragging from an output: the input port under pos, or a node's first free input port (its
        first port when all are taken) when pos is on the node elsewhere."""
        source = self.start.node.node_id
        port = self.view.port_at(pos)
        if port is not None and not port.is_output:
            return (source, port.node.node_id, port.name)
        node = self.view.node_at(pos)
        if node is None or node is self.start.node or not node.in_ports:
            return None
        taken = self.bridge.doc.inputs_of(node.node_id)
        free = [p for p in node.in_ports if p not in taken]
        return (source, node.node_id, free[0] if free else next(iter(node.in_ports)))
