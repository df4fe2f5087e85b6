"""A node on the canvas: title and op in the header; one row per input port (named, on the left); then
a row for the node's value and one for its gradient, so that neither reads as a port's ("a = 3"). The
output port sits on the value row, at the right. A node that cannot be computed yet says, dimmed in its
value row, what it waits for.

Speed (bench/bench_canvas.py): the box and the texts that rarely change (title, op, port names) are one
paint, cached as a device pixmap; only the value and gradient are child text items, outside that cache,
so new numbers do not invalidate it. Zoomed far out the scene draws every node in one batch
(GraphScene.drawBackground) and the item paints nothing (`set_detail(False)`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsSimpleTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from engine.ops.registry import OpDef
from engine.teach.explain import op_label
from engine.teach.explanations import op_name
from engine.teach.names import node_name
from graph.values import full
from gui.canvas import style
from gui.i18n import translate

if TYPE_CHECKING:
    from gui.canvas.edge_item import EdgeItem

HEADER_OP_ROOM = 90.0  # px of the header a translated op name may take before the short name is used
SHAPE_PREFIX = "shape "  # how graph.values.full starts an array's text


_POSITION_CHANGE = QGraphicsItem.GraphicsItemChange.ItemPositionChange
_POSITION_HAS_CHANGED = QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged
_SELECTED_HAS_CHANGED = QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged


class PortItem(QGraphicsEllipseItem):
    """An input port (left, named) or the output port (right) of a node."""

    def __init__(self, node: NodeItem, name: str, is_output: bool) -> None:
        r = style.PORT_RADIUS
        super().__init__(-r, -r, 2 * r, 2 * r, node)
        self.node = node
        self.name = name
        self.is_output = is_output
        self.error: str | None = None
        self.setBrush(QBrush(style.EDGE_COLOR if is_output else style.NODE_FILL))
        self.setPen(QPen(style.EDGE_COLOR, 1.4))
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setZValue(2)

    def set_error(self, message: str | None) -> None:
        self.error = message
        self.setPen(QPen(style.ERROR_COLOR if message else style.EDGE_COLOR, 2.2 if message else 1.4))

    def hoverEnterEvent(self, event: Any) -> None:
        # Written on hover, so that it names the node as it is called now.
        title = self.node.name()
        if self.is_output:
            tip = translate("PortItem", "output of {node}").format(node=title)
        else:
            tip = translate("PortItem", "input port {port} of {node}").format(port=self.name, node=title)
        self.setToolTip(self.error or tip)
        self.setScale(1.35)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: Any) -> None:
        self.setScale(1.0)
        super().hoverLeaveEvent(event)


class NodeItem(QGraphicsItem):
    """Paints the box and the fixed texts; the changing texts are QGraphicsSimpleTextItem children."""

    def __init__(
        self,
        node_id: str,
        title: str,
        op_id: str,
        op_name: str,
        group: str,
        inputs: tuple[str, ...],
        scene_hooks: Any,
    ) -> None:
        super().__init__()
        self.node_id = node_id
        self.op_id = op_id
        self.hooks = scene_hooks
        self.edges: list[EdgeItem] = []
        self.problem: str | None = None
        self.waiting: str | None = None
        self.highlighted = False
        self.fill_color = style.LEAF_COLORS.get(op_id, style.GROUP_COLORS.get(group, style.NODE_FILL))
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        self.height = style.node_height(len(inputs))
        self.width = style.NODE_WIDTH
        self._rect = QRectF(0, 0, self.width, self.height)
        self._brect = self._rect.adjusted(-4, -4, 4, 4)
        self._title_font = style.font(9.5, bold=True)
        self._small_font = style.font(8)
        self._value_font = style.font(8.5)
        small = QFontMetricsF(self._small_font)
        self.op_name = op_name
        op_w = small.horizontalAdvance(op_name)
        self._op_rect = QRectF(self.width - op_w - 8, 6, op_w + 1, small.height())
        self._title_room = self.width - op_w - 22
        self._title_rect = QRectF(8, 4, self._title_room + 1, QFontMetricsF(self._title_font).height())
        self.title = ""
        self._title_text = ""
        self.set_title(title)
        self.in_ports: dict[str, PortItem] = {}
        self._port_texts: list[tuple[QRectF, str]] = []
        self._make_ports(inputs, small)
        top = style.values_top(len(inputs))
        self._separator = top - 1 if inputs else None
        self.out_port = PortItem(self, "out", True)
        self.out_port.setPos(self.width, top + style.VALUE_ROW_HEIGHT / 2)
        self._metrics = QFontMetricsF(self._value_font)
        self._text_room = self.width - 10 - 14
        self.value_item = self._make_text(style.VALUE_COLOR)
        self.grad_item = self._make_text(style.GRAD_COLOR)
        text_dy = (style.VALUE_ROW_HEIGHT - self._metrics.height()) / 2
        self.value_item.setPos(10, top + text_dy)
        self.grad_item.setPos(10, top + style.VALUE_ROW_HEIGHT + text_dy)
        self.value_arr: Any = None
        self.grad_arr: Any = None
        self.update_blank: Any = None  # a quiz's blank for a parameter after the update (gui/canvas/quiz.py)
        self._texts: list[Any] = [False, False]
        self._header = _header_path(self.width)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def _make_ports(self, inputs: tuple[str, ...], small: QFontMetricsF) -> None:
        """The input ports down the left side, one row each, with their names."""
        for i, name in enumerate(inputs):
            y = style.HEADER_HEIGHT + (i + 0.5) * style.ROW_HEIGHT + 2
            port = PortItem(self, name, False)
            port.setPos(0, y)
            self.in_ports[name] = port
            w = small.horizontalAdvance(name)
            self._port_texts.append((QRectF(10, y - small.height() / 2, w + 1, small.height()), name))

    def _make_text(self, color: Any) -> QGraphicsSimpleTextItem:
        item = QGraphicsSimpleTextItem(self)
        item.setFont(self._value_font)
        item.setBrush(QBrush(color))
        return item

    # ----- texts
    def name(self) -> str:
        """The node as the step panel and the explanations name it: its label, with its id where
        another node reads alike ("h (H1)")."""
        doc = self.hooks.bridge.doc
        return node_name(doc, self.node_id) if self.node_id in doc else self.title

    def set_title(self, title: str) -> None:
        metrics = QFontMetricsF(self._title_font)
        self._title_text = metrics.elidedText(title, Qt.TextElideMode.ElideRight, self._title_room)
        self.title = title
        self.update()

    def set_values(
        self,
        value: str | None,
        grad: str | None,
        value_arr: Any = None,
        grad_arr: Any = None,
        waiting: str | None = None,
    ) -> None:
        """Compact value and gradient texts (None: nothing; "…": not computed yet, dimmed); waiting: what
        the node waits for, shown dimmed in the value row instead of a value."""
        self.value_arr = value_arr
        self.grad_arr = grad_arr
        self.waiting = waiting
        if waiting:
            first, rest = self._wrap(waiting)
            rows = ((first, "", style.DIM_COLOR), (rest or None, "", style.DIM_COLOR))
        else:
            rows = (_row(value, "= ", style.VALUE_COLOR), _row(grad, "∂ ", style.GRAD_COLOR))
        for which, (item, (text, prefix, color)) in enumerate(zip((self.value_item, self.grad_item), rows)):
            shown = None if text is None else prefix + text
            if shown == self._texts[which]:
                continue
            self._texts[which] = shown
            if shown is None:
                item.setText("")
                continue
            if len(shown) > 12:
                shown = self._metrics.elidedText(shown, Qt.TextElideMode.ElideRight, self._text_room)
            item.setText(shown)
            if item.brush().color() != color:
                item.setBrush(QBrush(color))

    def _wrap(self, text: str) -> tuple[str, str]:
        """The words of text that fit the value row, and the rest (elided in the gradient row)."""
        words = text.split(" ")
        for n in range(len(words), 0, -1):
            first = " ".join(words[:n])
            if self._metrics.horizontalAdvance(first) <= self._text_room:
                return first, " ".join(words[n:])
        return text, ""

    def set_detail(self, on: bool) -> None:
        """Zoomed far out (off) the texts and ports are hidden and the scene draws the box in its batch."""
        for item in (self.value_item, self.grad_item, *self.in_ports.values(), self.out_port):
            item.setVisible(on)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, not on)

    def set_problem(self, message: str | None) -> None:
        if message != self.problem:
            self.problem = message
            self.update()
            self.hooks.node_changed(self)

    def set_highlighted(self, on: bool) -> None:
        if on != self.highlighted:
            self.highlighted = on
            self.update()
            self.hooks.node_changed(self)

    def hoverEnterEvent(self, event: Any) -> None:
        lines = [f"{self.title}  ({self.node_id}, {self.op_id})"]
        if self.problem:
            lines.append(f"⚠ {self.problem}")
        if self.waiting:
            lines.append(translate("NodeItem", "not computed yet: {reason}").format(reason=self.waiting))
        d = getattr(self.scene(), "digits", 4)
        if self.value_arr is not None:
            value = tooltip_value(self.value_arr, d)
            lines.append(translate("NodeItem", "value: {value}").format(value=value))
        if self.grad_arr is not None:
            grad = tooltip_value(self.grad_arr, d)
            lines.append(translate("NodeItem", "gradient: {gradient}").format(gradient=grad))
        self.setToolTip("\n".join(lines))
        super().hoverEnterEvent(event)

    # ----- geometry
    def in_port_pos(self, port: str) -> QPointF:
        item = self.in_ports.get(port)
        if item is None:
            return self.mapToScene(QPointF(0, style.HEADER_HEIGHT))
        return self.mapToScene(item.pos())

    def out_port_pos(self) -> QPointF:
        return self.mapToScene(self.out_port.pos())

    def boundingRect(self) -> QRectF:
        return self._brect

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self._rect, 6, 6)
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if painter.worldTransform().m11() < 0.4:
            # Zoomed far out: a plain box is all that can be seen.
            painter.setPen(style.ERROR_COLOR if self.problem else style.EDGE_COLOR)
            painter.setBrush(self.fill_color)
            painter.drawRect(self._rect)
            return
        if self.problem:
            pen = QPen(style.ERROR_COLOR, 2.5)
        elif self.isSelected():
            pen = QPen(style.SELECT_COLOR, 2.5)
        else:
            pen = QPen(style.EDGE_COLOR, 1.2)
        if self.highlighted:
            painter.setPen(QPen(style.HIGHLIGHT_COLOR, 7))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self._rect, 6, 6)
        painter.setPen(pen)
        painter.setBrush(QBrush(style.NODE_FILL))
        painter.drawRoundedRect(self._rect, 6, 6)
        painter.fillPath(self._header, self.fill_color)
        painter.setPen(QPen(style.GRID_COLOR.darker(115), 1))
        painter.drawLine(QPointF(1, style.HEADER_HEIGHT), QPointF(self.width - 1, style.HEADER_HEIGHT))
        if self._separator is not None:
            painter.setPen(QPen(style.GRID_COLOR, 1))
            painter.drawLine(QPointF(8, self._separator), QPointF(self.width - 8, self._separator))
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(self._rect, 6, 6)
        painter.setPen(style.TEXT_COLOR)
        painter.setFont(self._title_font)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextSingleLine
        painter.drawText(self._title_rect, flags, self._title_text)
        painter.setPen(style.EDGE_COLOR)
        painter.setFont(self._small_font)
        painter.drawText(self._op_rect, flags, self.op_name)
        for rect, name in self._port_texts:
            painter.drawText(rect, flags, name)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        # Called for every change (flags and visibility too, many per zoom step): keep it cheap, and
        # return value as QGraphicsItem.itemChange does instead of calling it.
        if change == _POSITION_HAS_CHANGED:
            self.hooks.node_moved(self)  # its edges follow, and labels it now covers make room
            self.hooks.node_changed(self)
        elif change == _POSITION_CHANGE:
            if self.hooks.snap_enabled():
                g = style.GRID
                p = QPointF(value)
                return QPointF(round(p.x() / g) * g, round(p.y() / g) * g)
        elif change == _SELECTED_HAS_CHANGED:
            self.hooks.node_changed(self)
        return value


def tooltip_value(arr: Any, digits: int) -> str:
    """An array in full for a tooltip (graph.values.full), its "shape" in the user's language."""
    text = full(arr, digits)
    if text.startswith(SHAPE_PREFIX):
        return translate("NodeItem", "shape {dims}").format(dims=text[len(SHAPE_PREFIX):])
    return text


def header_op_name(op: OpDef) -> str:
    """The op as a node's header names it: its name in the user's language, or, where a translated name
    is too long for the header (матричное умножение (MatMul)), the short name the worked solution's
    tables use (MatMul). English names are shown as they are."""
    name = op_name(op)
    if name == op.name or QFontMetricsF(style.font(8)).horizontalAdvance(name) <= HEADER_OP_ROOM:
        return name
    return op_label(op.id)


def _row(text: str | None, prefix: str, color: Any) -> tuple[str | None, str, Any]:
    """A value or gradient row: (text, prefix, colour), dimmed while not computed yet ("…")."""
    return (text, prefix, style.DIM_COLOR if text == "…" else color)


def _header_path(width: float) -> QPainterPath:
    """The title band: rounded at the top, square where it meets the body."""
    header = QPainterPath()
    header.addRoundedRect(QRectF(0, 0, width, style.HEADER_HEIGHT + 6), 6, 6)
    cut = QPainterPath()
    cut.addRect(QRectF(0, style.HEADER_HEIGHT, width, 8))
    return header.subtracted(cut)
