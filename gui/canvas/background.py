"""What the scene draws behind its items: the grid, and zoomed far out, where the items paint nothing,
every edge as a hairline curve and every node as a plain box in a few batched calls."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPixmap

from gui.canvas import style
from gui.canvas.edge_item import EdgeItem
from gui.canvas.node_item import NodeItem

ARROW_MIN_SCALE = 0.15  # below this an arrow head is under 1.5 px: the zoomed-out batch leaves it out


def grid_brush() -> QBrush:
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


class Overview:
    """The zoomed-out drawing of the items as they are now (the scene drops it when one changes)."""

    def __init__(self, nodes: Iterable[NodeItem], edges: Iterable[EdgeItem]) -> None:
        self.edge_paths = _edge_paths(edges)
        self.fills, self.outlines = _node_rects(nodes)

    def draw(self, painter: QPainter) -> None:
        # Hairlines as light as the items' thin pens would come out at this scale.
        scale = painter.worldTransform().m11()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for color, path, arrows in self.edge_paths:
            painter.setPen(QPen(_faded(color, 1.6 * scale), 0))
            painter.drawPath(path)
            if scale >= ARROW_MIN_SCALE:
                painter.drawPath(arrows)
        painter.setPen(QPen(_faded(style.EDGE_COLOR, scale), 0))
        for color, rects in self.fills:
            painter.setBrush(color)
            painter.drawRects(rects)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for color, width, rects in self.outlines:
            painter.setPen(QPen(color, width))
            painter.drawRects(rects)
        painter.restore()


_COLORS = {
    "plain": style.EDGE_COLOR,
    "select": style.SELECT_COLOR,
    "error": style.ERROR_COLOR,
    "highlight": style.HIGHLIGHT_COLOR,
}


def _edge_paths(edges: Iterable[EdgeItem]) -> list[tuple[QColor, QPainterPath, QPainterPath]]:
    """(colour, curves, arrow heads) per look: plain, selected, with a problem."""
    groups: dict[str, tuple[QPainterPath, QPainterPath]] = {"plain": (QPainterPath(), QPainterPath())}
    for item in edges:
        key = "select" if item.isSelected() else ("error" if item.problem else "plain")
        group = groups.get(key)
        if group is None:
            group = groups[key] = (QPainterPath(), QPainterPath())
        group[0].addPath(item.curve_path)
        group[1].addPolygon(item.arrow)
    return [(_COLORS[k], path, arrows) for k, (path, arrows) in groups.items()]


def _node_rects(nodes: Iterable[NodeItem]) -> tuple[list[Any], list[Any]]:
    """The boxes by fill colour, and the outlines (highlight, problem, selection) by colour and width."""
    fills: dict[Any, list[QRectF]] = {}
    outlines: dict[tuple[str, int], list[QRectF]] = {}
    for item in nodes:
        r = QRectF(item.x(), item.y(), item.width, item.height)
        fills.setdefault(item.fill_color.rgba(), []).append(r)
        if item.highlighted:
            outlines.setdefault(("highlight", 3), []).append(r)
        if item.problem:
            outlines.setdefault(("error", 2), []).append(r)
        elif item.isSelected():
            outlines.setdefault(("select", 2), []).append(r)
    return (
        [(QColor.fromRgba(rgba), rects) for rgba, rects in fills.items()],
        [(_COLORS[k], w, rects) for (k, w), rects in outlines.items()],
    )


def _faded(color: QColor, alpha: float) -> QColor:
    c = QColor(color)
    c.setAlphaF(max(0.05, min(1.0, alpha)))
    return c
