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


CHUNK = 200  # edges per batched path: a moved node re-joins only the few chunks its edges are in


class _Chunk:
    """Up to CHUNK edges of one look, joined into a curve path and an arrow path when drawn."""

    def __init__(self) -> None:
        self.items: list[EdgeItem] = []
        self.paths: tuple[QPainterPath, QPainterPath] | None = None  # None: to be joined again

    def joined(self) -> tuple[QPainterPath, QPainterPath]:
        if self.paths is None:
            path, arrows = QPainterPath(), QPainterPath()
            for item in self.items:
                path.addPath(item.curve_path)
                arrows.addPolygon(item.arrow)
            self.paths = (path, arrows)
        return self.paths


class Overview:
    """The zoomed-out drawing of the items as they are now: edges in chunks per look, boxes by colour.
    A node that only moved re-does its box and the chunks of its edges (a drag step at fit zoom redraws
    one node, not the whole graph); one that changed its look makes refresh() ask for a new Overview."""

    def __init__(self, nodes: Iterable[NodeItem], edges: Iterable[EdgeItem]) -> None:
        self._edge_groups: dict[str, list[_Chunk]] = {"plain": []}
        self._edge_looks: dict[EdgeItem, tuple[str, _Chunk]] = {}
        for item in edges:
            self._add_edge(item)
        self._fills: dict[int, list[QRectF]] = {}
        self._outlines: dict[tuple[str, int], list[QRectF]] = {}
        # Per node: its look and where its box is in the lists it is drawn from.
        self._boxes: dict[NodeItem, tuple[tuple, list[tuple[list[QRectF], int]]]] = {}
        for item in nodes:
            self._add_node(item)
        self._changed: set[NodeItem] = set()

    def _add_edge(self, item: EdgeItem) -> None:
        key = _edge_look(item)
        chunks = self._edge_groups.setdefault(key, [])
        if not chunks or len(chunks[-1].items) >= CHUNK:
            chunks.append(_Chunk())
        chunks[-1].items.append(item)
        self._edge_looks[item] = (key, chunks[-1])

    def _add_node(self, item: NodeItem) -> None:
        r = QRectF(item.x(), item.y(), item.width, item.height)
        look = _node_look(item)
        lists = [self._fills.setdefault(look[0], [])]
        lists += [self._outlines.setdefault(key, []) for key in look[1:]]
        places = []
        for rects in lists:
            places.append((rects, len(rects)))
            rects.append(r)
        self._boxes[item] = (look, places)

    def node_changed(self, item: NodeItem) -> None:
        """Note a node that moved or changed its look (looked at in refresh(), before the next draw)."""
        self._changed.add(item)

    def refresh(self) -> bool:
        """Bring the moved nodes' boxes and their edges' chunks up to date; False if a node or an edge
        changed its look (then the batches are out of order: the caller builds a new Overview)."""
        changed, self._changed = self._changed, set()
        for item in changed:
            entry = self._boxes.get(item)
            if entry is None or entry[0] != _node_look(item):
                return False
            r = QRectF(item.x(), item.y(), item.width, item.height)
            for rects, i in entry[1]:
                rects[i] = r
            for edge in item.edges:
                look = self._edge_looks.get(edge)
                if look is None or look[0] != _edge_look(edge):
                    return False
                look[1].paths = None
        return True

    def draw(self, painter: QPainter) -> None:
        # Hairlines as light as the items' thin pens would come out at this scale.
        scale = painter.worldTransform().m11()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for key, chunks in self._edge_groups.items():
            painter.setPen(QPen(_faded(_COLORS[key], 1.6 * scale), 0))
            for chunk in chunks:
                path, arrows = chunk.joined()
                painter.drawPath(path)
                if scale >= ARROW_MIN_SCALE:
                    painter.drawPath(arrows)
        painter.setPen(QPen(_faded(style.EDGE_COLOR, scale), 0))
        for rgba, rects in self._fills.items():
            painter.setBrush(QColor.fromRgba(rgba))
            painter.drawRects(rects)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for (key, width), rects in self._outlines.items():
            painter.setPen(QPen(_COLORS[key], width))
            painter.drawRects(rects)
        painter.restore()


_COLORS = {
    "plain": style.EDGE_COLOR,
    "select": style.SELECT_COLOR,
    "error": style.ERROR_COLOR,
    "highlight": style.HIGHLIGHT_COLOR,
}


def _edge_look(item: EdgeItem) -> str:
    return "select" if item.isSelected() else ("error" if item.problem else "plain")


def _node_look(item: NodeItem) -> tuple:
    """The fill colour, then the outlines (highlight, problem or selection) as (colour key, width)."""
    look: list[Any] = [item.fill_color.rgba()]
    if item.highlighted:
        look.append(("highlight", 3))
    if item.problem:
        look.append(("error", 2))
    elif item.isSelected():
        look.append(("select", 2))
    return tuple(look)


def _faded(color: QColor, alpha: float) -> QColor:
    c = QColor(color)
    c.setAlphaF(max(0.05, min(1.0, alpha)))
    return c
