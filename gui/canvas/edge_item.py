"""An edge on the canvas: a curve from an output port to an input port, with two labels: the value
flowing forward (above) and the gradient flowing back (below). The full texts appear in a tooltip.

Speed (bench/bench_canvas.py): the curve, the arrow and the labels' backdrops are one paint (the label
texts are plain C++-painted child items); the path is recomputed only when an endpoint really moved.
Edges are not cached as pixmaps: long edges make pixmaps of megabytes that thrash QPixmapCache (measured
slower). Zoomed far out the scene draws every edge in one batch (GraphScene.drawBackground) and the
item paints nothing (`set_fast`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from graph.document import Edge
from graph.values import full
from gui.canvas import style

if TYPE_CHECKING:
    from gui.canvas.node_item import NodeItem


_SELECTED_PEN = QPen(style.SELECT_COLOR, 3)
_NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
LABEL_MARGIN = (60.0, 24.0)  # how far the labels may reach beyond the curve's box (x, y)


class EdgeLabel(QGraphicsSimpleTextItem):
    """A label (its light backdrop is painted by the edge); its tooltip is the edge's full text."""

    def __init__(self, parent: EdgeItem) -> None:
        super().__init__(parent)
        self.setAcceptHoverEvents(True)
        self.setZValue(3)

    def hoverEnterEvent(self, event: Any) -> None:
        parent = self.parentItem()
        if isinstance(parent, EdgeItem):
            self.setToolTip(parent.full_text())
        super().hoverEnterEvent(event)


class EdgeItem(QGraphicsPathItem):
    def __init__(self, edge: Edge, source: NodeItem, target: NodeItem) -> None:
        super().__init__()
        self.edge = edge
        self.source = source
        self.target = target
        self.problem: str | None = None
        self.setZValue(0)
        self.setPen(QPen(style.EDGE_COLOR, 1.6))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        font = style.font(8.5)
        self.value_label = EdgeLabel(self)
        self.value_label.setFont(font)
        self.value_label.setBrush(QBrush(style.VALUE_COLOR))
        self.grad_label = EdgeLabel(self)
        self.grad_label.setFont(font)
        self.grad_label.setBrush(QBrush(style.GRAD_COLOR))
        self.value_arr: Any = None
        self.grad_arr: Any = None
        self._texts: list[Any] = [False, False]
        self._widths = [0.0, 0.0]
        self._shown = [True, True]
        self._backdrops: list[QRectF | None] = [None, None]
        self.arrow = QPolygonF()
        self.curve_path = QPainterPath()
        self._mid = QPointF()
        self._brect = QRectF()
        self._path_rect = QRectF()
        self._shape: QPainterPath | None = None
        self._ends: tuple[float, float, float, float] | None = None
        self.box = (0.0, 0.0, 0.0, 0.0)  # scene box of the curve and its labels: (x0, y0, x1, y1)
        source.edges.append(self)
        target.edges.append(self)
        self.update_path()

    def detach(self) -> None:
        for node in (self.source, self.target):
            if self in node.edges:
                node.edges.remove(self)

    def full_text(self) -> str:
        e = self.edge
        lines = [f"{e.source} → {e.target}.{e.port}"]
        if self.problem:
            lines.append(f"⚠ {self.problem}")
        d = getattr(self.scene(), "digits", 4)
        lines.append(f"value: {full(self.value_arr, d) or '—'}")
        lines.append(f"gradient: {full(self.grad_arr, d) or '—'}")
        return "\n".join(lines)

    def hoverEnterEvent(self, event: Any) -> None:
        self.setToolTip(self.full_text())
        super().hoverEnterEvent(event)

    # ----- geometry
    def update_path(self) -> bool:
        """Recompute the curve (and place the labels) if an endpoint moved; True if it did."""
        p1 = self.source.out_port_pos()
        p2 = self.target.in_port_pos(self.edge.port)
        ends = (p1.x(), p1.y(), p2.x(), p2.y())
        if ends == self._ends:
            return False
        self._ends = ends
        path = curve(p1, p2)
        self.prepareGeometryChange()
        self._path_rect = path.boundingRect().adjusted(-8, -8, 8, 8)
        self._brect = self._path_rect
        r = self._path_rect
        mx, my = LABEL_MARGIN
        self.box = (r.left() - mx, r.top() - my, r.right() + mx, r.bottom() + my)
        self._shape = None
        end = path.currentPosition()
        self.arrow = QPolygonF([end, end + QPointF(-9, -4.5), end + QPointF(-9, 4.5)])
        self.setPath(path)
        self.curve_path = path  # kept (path() returns a copy) for the scene's zoomed-out batch
        self._mid = path.pointAtPercent(0.5)
        self._backdrops = [None, None]
        self._place_label(0)
        self._place_label(1)
        return True

    def _place_label(self, which: int) -> None:
        label = self.grad_label if which else self.value_label
        r = label.boundingRect()
        self._widths[which] = r.width()
        m = self._mid
        x, y = m.x() - r.width() / 2, m.y() + 1 if which else m.y() - r.height() - 1
        label.setPos(x, y)
        backdrop = QRectF(x - 2, y, r.width() + 4, r.height()) if label.text() else None
        if backdrop != self._backdrops[which]:
            self._backdrops[which] = backdrop
            brect = self._path_rect
            for b in self._backdrops:
                if b is not None:
                    brect = brect.united(b)
            if brect != self._brect:
                self.prepareGeometryChange()
                self._brect = brect
            self.update()

    def set_texts(self, value: str | None, grad: str | None, value_arr: Any, grad_arr: Any) -> None:
        """Compact texts ("" = nothing, None = not computed yet, dimmed) and the arrays for the tooltip."""
        self.value_arr = value_arr
        self.grad_arr = grad_arr
        texts = self._texts
        if value != texts[0]:
            self._set(0, self.value_label, value, style.VALUE_COLOR)
        if grad != texts[1]:
            self._set(1, self.grad_label, grad, style.GRAD_COLOR)

    def _set(self, which: int, label: QGraphicsSimpleTextItem, text: str | None, color: Any) -> None:
        old = self._texts[which]
        self._texts[which] = text
        if text is None:
            label.setText("…")
            label.setBrush(style.DIM_COLOR)
        else:
            if old is None:
                label.setBrush(color)
            label.setText(text)
        width = label.boundingRect().width()
        if abs(width - self._widths[which]) > 0.5 or (old in ("", False)) != (text in ("", False)):
            self._place_label(which)

    def set_labels_visible(self, values: bool, grads: bool) -> None:
        if self._shown != [values, grads]:
            self._shown = [values, grads]
            self.update()
        if self.value_label.isVisible() != values:
            self.value_label.setVisible(values)
        if self.grad_label.isVisible() != grads:
            self.grad_label.setVisible(grads)

    def set_fast(self, on: bool) -> None:
        """Zoomed far out: the scene draws the edge in its batch; this item paints nothing."""
        self.setFlag(_NO_CONTENTS, on)

    def set_problem(self, message: str | None) -> None:
        if message != self.problem:
            self.problem = message
            self.setPen(QPen(style.ERROR_COLOR if message else style.EDGE_COLOR, 2.2 if message else 1.6))

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(10)
            self._shape = stroker.createStroke(self.path())
        return self._shape

    def boundingRect(self) -> QRectF:
        return self._brect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        pen = _SELECTED_PEN if self.isSelected() else self.pen()
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
        painter.setBrush(pen.color())
        painter.drawPolygon(self.arrow)
        for shown, backdrop in zip(self._shown, self._backdrops):
            if shown and backdrop is not None:
                painter.fillRect(backdrop, style.LABEL_BACKGROUND)


def curve(p1: QPointF, p2: QPointF) -> QPainterPath:
    """A horizontal S-curve from an output port to an input port (ending just before the port)."""
    end = QPointF(p2.x() - 6, p2.y())
    dx = max(40.0, abs(end.x() - p1.x()) * 0.5)
    path = QPainterPath(p1)
    path.cubicTo(QPointF(p1.x() + dx, p1.y()), QPointF(end.x() - dx, end.y()), end)
    return path
