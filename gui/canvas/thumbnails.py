"""Each hidden unit's activation over the input plane as a small heat map under its node on the canvas,
as TensorFlow Playground shows them (View ▸ Unit Thumbnails on the Canvas).

The maps come from the decision boundary the diagnostics compute anyway (engine/diagnose/boundary.py),
so the thumbnails cost no evaluation of their own. Colours as in the Boundary tab: blue for the unit's
most negative values, white at 0, orange at its most positive, the levels symmetric about 0 per unit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPixmapItem

from gui.i18n import translate

SIZE = 48  # px on the canvas, per unit
GAP = 4  # px between two units' maps, and between the node's box and the maps
MAX_UNITS = 8
LOW, MIDDLE, HIGH = (0x1F, 0x77, 0xB4), (0xF7, 0xF7, 0xF7), (0xFF, 0x7F, 0x0E)


def unit_colours(values: np.ndarray) -> np.ndarray:
    """RGB bytes (rows × columns × 3) for `values[i, j]`: LOW at -reach, MIDDLE at 0, HIGH at +reach,
    reach being the largest |value| (non-finite values are drawn as 0)."""
    v = np.where(np.isfinite(values), values, 0.0)
    reach = float(np.max(np.abs(v))) or 1.0
    t = np.clip(v / reach, -1.0, 1.0)[..., None]
    low, mid, high = (np.array(c, dtype=np.float64) for c in (LOW, MIDDLE, HIGH))
    rgb = np.where(t < 0, mid + (low - mid) * -t, mid + (high - mid) * t)
    return np.round(rgb).astype(np.uint8)


class UnitThumbnail(QGraphicsPixmapItem):
    """One unit's map, a child of its node's item: pixel (column j, row i) of the pixmap is the grid point
    (xs[j], ys[-1 - i]) (y grows upwards as on the plane), scaled to SIZE px."""

    def __init__(self, parent: QGraphicsItem, unit: int, values: np.ndarray) -> None:
        super().__init__(parent)
        self.unit = unit
        rgb = np.ascontiguousarray(unit_colours(values)[::-1])
        rows, cols = rgb.shape[:2]
        image = QImage(rgb.data, cols, rows, 3 * cols, QImage.Format.Format_RGB888).copy()
        self.setPixmap(QPixmap.fromImage(image))
        self.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.setScale(SIZE / max(rows, cols))
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        tip = translate(
            "UnitThumbnail", "unit {unit} over the input plane (blue negative, white 0, orange positive)"
        )
        self.setToolTip(tip.format(unit=unit))


def thumbnails_of(node_item: QGraphicsItem) -> list[UnitThumbnail]:
    """The unit maps shown under a node, in unit order."""
    found = [c for c in node_item.childItems() if isinstance(c, UnitThumbnail)]
    return sorted(found, key=lambda t: t.unit)


def show_unit_maps(nodes: dict[str, Any], bmap: Any) -> None:
    """Under each node whose units `bmap` (a BoundaryMap over a plane, or None) holds, its first MAX_UNITS
    unit maps side by side, centred under the box; every other node's maps removed."""
    units = bmap.units if bmap is not None and bmap.ys is not None else {}
    for nid, item in nodes.items():
        for old in thumbnails_of(item):
            old.scene().removeItem(old)  # and from its node
        maps = units.get(nid)
        if maps is None:
            continue
        count = min(len(maps), MAX_UNITS)
        left = (item.width - count * SIZE - (count - 1) * GAP) / 2
        top = item.height + GAP
        for k in range(count):
            UnitThumbnail(item, k, maps[k]).setPos(left + k * (SIZE + GAP), top)
