"""An edge on the canvas: a curve from an output port to an input port, with two labels: the value
flowing forward (above) and the gradient flowing back (below). The full texts appear in a tooltip."""

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
from gui import style

if TYPE_CHECKING:
    from gui.node_item import NodeItem


class EdgeLabel(QGraphicsSimpleTextItem):
    """A label with a light backdrop so that it stays legible over curves; its tooltip is the full text."""

    def __init__(self, parent: EdgeItem) -> None:
        super().__init__(parent)
        self.setAcceptHoverEvents(True)
        self.setZValue(3)

    def hoverEnterEvent(self, event: Any) -> None:
        parent = self.parentItem()
        if isinstance(parent, EdgeItem):
            self.setToolTip(parent.full_text())
        super().hoverEnterEvent(event)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self.text():
            painter.fillRect(self.boundingRect().adjusted(-2, 0, 2, 0), style.LABEL_BACKGROUND)
        super().paint(painter, option, widget)


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
        self.value_full = ""
        self.grad_full = ""
        self._arrow = QPolygonF()
        self._mid = QPointF()
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
        lines.append(f"value: {self.value_full or '—'}")
        lines.append(f"gradient: {self.grad_full or '—'}")
        return "\n".join(lines)

    def hoverEnterEvent(self, event: Any) -> None:
        self.setToolTip(self.full_text())
        super().hoverEnterEvent(event)

    # ----- geometry
    def update_path(self) -> None:
        p1 = self.source.out_port_pos()
        p2 = self.target.in_port_pos(self.edge.port)
        path = curve(p1, p2)
        self.setPath(path)
        self._mid = path.pointAtPercent(0.5)
        self._place_labels()

    def _place_labels(self) -> None:
        m = self._mid
        vr = self.value_label.boundingRect()
        gr = self.grad_label.boundingRect()
        self.value_label.setPos(m.x() - vr.width() / 2, m.y() - vr.height() - 1)
        self.grad_label.setPos(m.x() - gr.width() / 2, m.y() + 1)

    def set_texts(self, value: str | None, grad: str | None, value_full: str, grad_full: str) -> None:
        """Compact texts; None = not computed yet (dimmed)."""
        self.value_full = value_full
        self.grad_full = grad_full
        moved = _set_label(self.value_label, value, style.VALUE_COLOR)
        moved |= _set_label(self.grad_label, grad, style.GRAD_COLOR)
        if moved:
            self._place_labels()

    def set_labels_visible(self, values: bool, grads: bool) -> None:
        self.value_label.setVisible(values)
        self.grad_label.setVisible(grads)

    def set_problem(self, message: str | None) -> None:
        if message != self.problem:
            self.problem = message
            self.setPen(QPen(style.ERROR_COLOR if message else style.EDGE_COLOR, 2.2 if message else 1.6))

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        return stroker.createStroke(self.path())

    def boundingRect(self) -> QRectF:
        return super().boundingRect().adjusted(-8, -8, 8, 8)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        pen = QPen(self.pen())
        if self.isSelected():
            pen = QPen(style.SELECT_COLOR, 3)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
        end = self.path().pointAtPercent(1.0)
        painter.setBrush(QBrush(pen.color()))
        painter.drawPolygon(QPolygonF([end, end + QPointF(-9, -4.5), end + QPointF(-9, 4.5)]))


def _set_label(label: QGraphicsSimpleTextItem, text: str | None, color: Any) -> bool:
    if text is None:
        new, brush = "…", style.DIM_COLOR
    else:
        new, brush = text, color
    changed = label.text() != new
    if changed:
        label.setText(new)
    if label.brush().color() != brush:
        label.setBrush(QBrush(brush))
    return changed


def curve(p1: QPointF, p2: QPointF) -> QPainterPath:
    """A horizontal S-curve from an output port to an input port (ending just before the port)."""
    end = QPointF(p2.x() - 6, p2.y())
    dx = max(40.0, abs(end.x() - p1.x()) * 0.5)
    path = QPainterPath(p1)
    path.cubicTo(QPointF(p1.x() + dx, p1.y()), QPointF(end.x() - dx, end.y()), end)
    return path
