"""The box around the canvas's nodes, kept up to date as nodes are added, moved and removed.

The minimap, fitting the view and the scene's scroll area ask for it on every drag step: a scan of every
node took ~12 ms a step on a 5,000-node graph. Here each side is a heap with lazy deletion: a change
costs O(log n), a query O(1) amortised (entries outdated by a move or a removal are dropped when they
reach the top; the heaps are rebuilt when they hold more old entries than current ones).
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable

Box = tuple[float, float, float, float]  # left, top, right, bottom
_COMPACT_SLACK = 64  # old entries tolerated beyond one per box and side before the heaps are rebuilt


class Extent:
    """Boxes by key and the box around all of them."""

    def __init__(self) -> None:
        self._boxes: dict[Hashable, Box] = {}
        # Per side, entries (key for the heap's order, sequence number, box's key). Left and top are
        # minima; right and bottom are stored negated, so that every heap is a min-heap.
        self._heaps: tuple[list, list, list, list] = ([], [], [], [])
        self._seq = 0

    def __len__(self) -> int:
        return len(self._boxes)

    def put(self, key: Hashable, box: Box) -> None:
        """Add the box under key, or move key's box there."""
        if self._boxes.get(key) == box:
            return
        self._boxes[key] = box
        self._push(key, box)
        if len(self._heaps[0]) > 2 * len(self._boxes) + _COMPACT_SLACK:
            self._rebuild()

    def discard(self, key: Hashable) -> None:
        """Forget key's box (nothing happens if there is none)."""
        if self._boxes.pop(key, None) is not None and not self._boxes:
            self.clear()

    def clear(self) -> None:
        self._boxes.clear()
        for heap in self._heaps:
            heap.clear()

    def bounds(self) -> Box | None:
        """(left, top, right, bottom) around every box, None when there is none."""
        if not self._boxes:
            return None
        left, top, right, bottom = (self._top(side) for side in range(4))
        return left, top, -right, -bottom

    def _push(self, key: Hashable, box: Box) -> None:
        self._seq += 1
        x0, y0, x1, y1 = box
        for heap, value in zip(self._heaps, (x0, y0, -x1, -y1), strict=True):
            heapq.heappush(heap, (value, self._seq, key))

    def _top(self, side: int) -> float:
        """The best current value of a side, dropping the entries that no longer hold."""
        heap = self._heaps[side]
        sign = 1.0 if side < 2 else -1.0
        while True:
            value, _, key = heap[0]
            box = self._boxes.get(key)
            if box is not None and box[side] * sign == value:
                return value
            heapq.heappop(heap)

    def _rebuild(self) -> None:
        for heap in self._heaps:
            heap.clear()
        for key, box in self._boxes.items():
            self._push(key, box)
