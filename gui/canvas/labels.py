"""Where the edge labels go: each at the first of its edge's candidate places that covers neither a
node nor another label (examples 01 and 02 read at 100%, fan-outs included).

An edge offers its places in order of preference (EdgeItem.label_groups): its value above and its
gradient below the middle of the curve, then further along it, then both on one side. The placer keeps
the nodes' and the placed labels' rectangles in a coarse grid, so that a placement looks only at its
neighbourhood: moving a node re-places its own edges' labels and the labels it now covers, nothing else.
When every place is taken, the one covering the least (nodes count most) is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QPointF, QRectF

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1
CELL = 80.0
NODE_WEIGHT = 10  # covering a node is worse than covering any number of labels
PORT_MARGIN = 7.0  # the ports stick out of a node's box by their radius: labels keep clear of them
NODE_MARGIN = 4.0  # and labels keep this far above and below a node (its selection outline)
LABEL_GAP = 1.0  # labels keep this far apart


class Grid:
    """Rectangles by owner, found by the cells they touch."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], set[Any]] = {}
        self._rects: dict[Any, list[Rect]] = {}

    def put(self, owner: Any, rects: list[Rect]) -> None:
        self.remove(owner)
        if not rects:
            return
        self._rects[owner] = rects
        for r in rects:
            for cell in _cells(r):
                self._cells.setdefault(cell, set()).add(owner)

    def remove(self, owner: Any) -> None:
        rects = self._rects.pop(owner, None)
        if rects is None:
            return
        for r in rects:
            for cell in _cells(r):
                owners = self._cells.get(cell)
                if owners is not None:
                    owners.discard(owner)
                    if not owners:
                        del self._cells[cell]

    def owners_over(self, r: Rect) -> set[Any]:
        """The owners with a rectangle that intersects r."""
        found: set[Any] = set()
        seen: set[Any] = set()
        for cell in _cells(r):
            for owner in self._cells.get(cell, ()):
                if owner in seen:
                    continue
                seen.add(owner)
                if any(_meets(r, o) for o in self._rects[owner]):
                    found.add(owner)
        return found

    def clear(self) -> None:
        self._cells.clear()
        self._rects.clear()


class LabelPlacer:
    """The scene's label places: nodes are obstacles, each edge's labels are placed in turn."""

    def __init__(self) -> None:
        self.grid = Grid()
        self._nodes: set[Any] = set()

    def clear(self) -> None:
        self.grid.clear()
        self._nodes.clear()

    def set_node(self, node: Any, rect: QRectF) -> set[Any]:
        """Put (or move) a node's box; returns the edges whose labels it now covers."""
        m = NODE_MARGIN
        r = (rect.left() - PORT_MARGIN, rect.top() - m, rect.right() + PORT_MARGIN, rect.bottom() + m)
        self._nodes.add(node)
        self.grid.put(node, [r])
        return {o for o in self.grid.owners_over(r) if o not in self._nodes}

    def remove(self, owner: Any) -> None:
        self.grid.remove(owner)
        self._nodes.discard(owner)

    def place(
        self, edge: Any, groups: Sequence[tuple[Sequence[int], Iterable[Sequence[QPointF]]]], sizes: list[Any]
    ) -> dict[int, QPointF]:
        """The top-left corner of each label: for each group (its labels' indices, its candidate
        corners in order of preference), the first candidate that covers nothing, else the least bad."""
        self.grid.remove(edge)
        placed: dict[int, QPointF] = {}
        taken: list[Rect] = []
        for which, candidates in groups:
            best: Sequence[QPointF] | None = None
            best_cost = None
            for corners in candidates:
                rects = [_rect(p, sizes[k]) for p, k in zip(corners, which)]
                cost = self._cost(rects, taken)
                if best_cost is None or cost < best_cost:
                    best, best_cost = corners, cost
                    if cost == 0:
                        break
            if best is None:
                continue
            for p, k in zip(best, which):
                placed[k] = p
                taken.append(_rect(p, sizes[k]))
        self.grid.put(edge, taken)
        return placed

    def _cost(self, rects: list[Rect], taken: list[Rect]) -> int:
        cost = 0
        for r in rects:
            cost += sum(1 for t in taken if _meets(r, t))
            for owner in self.grid.owners_over(r):
                cost += NODE_WEIGHT if owner in self._nodes else 1
        return cost


def _rect(p: QPointF, size: tuple[float, float]) -> Rect:
    """A label's rectangle with its backdrop (2 px each side) and the gap to its neighbours."""
    g = LABEL_GAP
    return (p.x() - 2 - g, p.y() - g, p.x() + size[0] + 2 + g, p.y() + size[1] + g)


def _meets(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _cells(r: Rect) -> Iterable[tuple[int, int]]:
    x0, y0 = int(r[0] // CELL), int(r[1] // CELL)
    x1, y1 = int(r[2] // CELL), int(r[3] // CELL)
    for i in range(x0, x1 + 1):
        for j in range(y0, y1 + 1):
            yield (i, j)
