"""Formulas typeset as pictures by matplotlib's mathtext, which needs no TeX installation.

The step panel shows each formula of an explanation as a picture: :class:`Typesetter` turns a TeX
string (in the subset mathtext reads, see :func:`engine.teach.formatting.render_mathtext`) into a
QImage at the screen's device pixel ratio and keeps it, keyed by the TeX, the font size, the ratio and
the colour, so that stepping back and forth renders nothing twice. A formula mathtext cannot parse gives
None, and the caller shows it as plain text. Matplotlib is imported on the first formula, not at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtGui import QColor, QImage

SCHEME = "mathtext"  # image URLs in the explanation's HTML: mathtext:<number>


@dataclass(frozen=True)
class Picture:
    """One typeset formula: the image (at the device pixel ratio) and its size in logical pixels."""

    number: int
    image: QImage
    width: int
    height: int


@dataclass
class CacheInfo:
    hits: int = 0
    misses: int = 0
    size: int = 0


class Typesetter:
    """TeX → picture with a cache; None for what mathtext cannot typeset."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, float, float, str], Picture | None] = {}
        self._by_number: dict[int, Picture] = {}
        self._info = CacheInfo()
        self._parser: Any = None

    def cache_info(self) -> CacheInfo:
        return CacheInfo(self._info.hits, self._info.misses, len(self._cache))

    def picture(self, tex: str, font_px: float, ratio: float = 1.0, color: str = "#000000") -> Picture | None:
        """The formula typeset at font_px logical pixels, drawn for a screen of the given pixel ratio."""
        key = (tex, float(font_px), float(ratio), color)
        if key in self._cache:
            self._info.hits += 1
            return self._cache[key]
        self._info.misses += 1
        picture = self._render(tex, font_px, ratio, color) if tex.strip() else None
        self._cache[key] = picture
        if picture is not None:
            self._by_number[picture.number] = picture
        return picture

    def image(self, number: int) -> QImage | None:
        """The image of a picture this typesetter made (for the text browser's resource loader)."""
        picture = self._by_number.get(number)
        return None if picture is None else picture.image

    def html(self, tex: str, font_px: float, ratio: float = 1.0, color: str = "#000000") -> str | None:
        """An <img> of the typeset formula, or None when mathtext cannot typeset it."""
        p = self.picture(tex, font_px, ratio, color)
        if p is None:
            return None
        return (f"<img src='{SCHEME}:{p.number}' width='{p.width}' height='{p.height}' "
                "style='vertical-align: middle'>")

    def _render(self, tex: str, font_px: float, ratio: float, color: str) -> Picture | None:
        if self._parser is None:
            from matplotlib.mathtext import MathTextParser

            self._parser = MathTextParser("agg")
        from matplotlib.font_manager import FontProperties

        try:
            # NOTE: at 72 dpi a point is a pixel, so size font_px at 72·ratio dpi is font_px logical pixels.
            parsed = self._parser.parse(f"${tex}$", dpi=72.0 * ratio, prop=FontProperties(size=font_px))
        except Exception:  # noqa: BLE001 - mathtext raises ValueError and friends for what it lacks
            return None
        alpha = np.asarray(parsed.image, dtype=np.uint8)
        if alpha.size == 0:
            return None
        image = _coloured(alpha, QColor(color))
        image.setDevicePixelRatio(ratio)
        h, w = alpha.shape
        return Picture(len(self._by_number) + 1, image, max(1, round(w / ratio)), max(1, round(h / ratio)))


def _coloured(alpha: np.ndarray, color: QColor) -> QImage:
    """The glyph coverage as an image in one colour (premultiplied ARGB, so it sits on any background)."""
    h, w = alpha.shape
    a = alpha.astype(np.uint16)
    bgra = np.empty((h, w, 4), dtype=np.uint8)
    for i, c in enumerate((color.blue(), color.green(), color.red())):
        bgra[..., i] = (a * c // 255).astype(np.uint8)
    bgra[..., 3] = alpha
    data = np.ascontiguousarray(bgra)
    return QImage(data.data, w, h, 4 * w, QImage.Format.Format_ARGB32_Premultiplied).copy()
