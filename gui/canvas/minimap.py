"""The overview in the canvas's corner: the whole graph in miniature and the part in view; a click or a
drag there moves the view. It shows only while part of the graph is out of view (a graph too large to
fit at a readable zoom)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QWidget

from gui.canvas import style
from gui.i18n import translate

if TYPE_CHECKING:
    from gui.canvas.view import GraphView

MAX_SIZE = (220.0, 140.0)  # the overview's largest size on screen, in pixels
MAX_SHARE = (0.3, 0.22)  # and its largest share of the canvas's width and height
CORNER_GAP = 10  # from the corner of the canvas (and from what the view keeps clear above it)
PAD = 6.0  # inside the frame
FRAME = QColor(120, 120, 120)
BACK = QColor(252, 252, 250)  # opaque: Qt then neither paints the canvas under it nor it on each canvas paint
VIEW_PEN = QPen(style.SELECT_COLOR, 1.5)
VIEW_FILL = QColor(42, 130, 218, 40)
REDRAW_PAUSE_MS = 150  # while a node is dragged the picture is drawn again only when the moves pause


class Minimap(QWidget):
    """A painted overview over the view's bottom-right corner."""

    def __init__(self, view: GraphView) -> None:
        super().__init__(view)
        self.view = view
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setToolTip(translate("Minimap", "Overview: click or drag to move the view"))
        self._content = QRectF()
        self._key: tuple[Any, ...] | None = None  # what the cached picture shows
        self._picture: QPixmap | None = None
        self._visible_rect = QRectF()
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(REDRAW_PAUSE_MS)
        self._redraw.timeout.connect(self._draw_again)
        self._due = False
        self.hide()

    # ----- following the view
    def sync(self) -> None:
        """Show while part of the graph is out of view; follow the content and the visible part."""
        scene = self.view.graph_scene
        content = scene.content_rect()
        visible = self.view.visible_scene_rect()
        needed = not content.isEmpty() and not visible.contains(content)
        if not needed:
            if self.isVisible():
                self.hide()
            return
        self._content = content
        self._place()
        if not self.isVisible():
            self.show()
            self.raise_()
        key = (scene.content_version, self.width(), self.height())
        if key != self._key or visible != self._visible_rect:
            self._visible_rect = visible
            self.update()

    @staticmethod
    def size_for(content: QRectF, viewport: QSize) -> tuple[int, int]:
        """The overview's size for a graph of this box: its shape, within MAX_SIZE and within
        MAX_SHARE of the canvas (a small canvas keeps most of its room for the graph)."""
        max_w = min(MAX_SIZE[0], viewport.width() * MAX_SHARE[0])
        max_h = min(MAX_SIZE[1], viewport.height() * MAX_SHARE[1])
        k = min((max_w - 2 * PAD) / content.width(), (max_h - 2 * PAD) / content.height())
        return int(content.width() * k + 2 * PAD), int(content.height() * k + 2 * PAD)

    def _place(self) -> None:
        """Size to the content's shape within MAX_SIZE; keep in the viewport's bottom-right corner."""
        vp = self.view.viewport().geometry()
        w, h = self.size_for(self._content, vp.size())
        x, y = vp.right() - w - CORNER_GAP, vp.bottom() - h - CORNER_GAP
        if self.geometry().getRect() != (x, y, w, h):
            self.setGeometry(x, y, w, h)

    # ----- mapping
    def _scale(self) -> float:
        c = self._content
        return min((self.width() - 2 * PAD) / c.width(), (self.height() - 2 * PAD) / c.height())

    def to_scene(self, p: QPointF) -> QPointF:
        k = self._scale()
        return QPointF(self._content.left() + (p.x() - PAD) / k, self._content.top() + (p.y() - PAD) / k)

    def to_map(self, r: QRectF) -> QRectF:
        k = self._scale()
        c = self._content
        return QRectF(
            PAD + (r.left() - c.left()) * k, PAD + (r.top() - c.top()) * k, r.width() * k, r.height() * k
        )

    # ----- painting
    def paintEvent(self, event: Any) -> None:
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._nodes_picture())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setClipRect(QRectF(1, 1, self.width() - 2, self.height() - 2))
        painter.setPen(VIEW_PEN)
        painter.setBrush(VIEW_FILL)
        painter.drawRect(self.to_map(self._visible_rect))
        painter.end()

    def _nodes_picture(self) -> QPixmap:
        """The frame and the node boxes. While nodes move the last picture stays until they pause
        (a picture per mouse move would cost each frame of a drag more than the canvas itself)."""
        scene = self.view.graph_scene
        key = (scene.content_version, self.width(), self.height())
        if self._picture is not None and key != self._key:
            if self._picture.size() == self.size() and not self._due:
                self._redraw.start()
                return self._picture
        elif self._picture is not None:
            return self._picture
        self._due = False
        self._picture, self._key = self._draw_nodes(), key
        return self._picture

    def _draw_again(self) -> None:
        self._due = True
        self.update()

    def _draw_nodes(self) -> QPixmap:
        picture = QPixmap(self.size())
        picture.fill(BACK)
        p = QPainter(picture)
        p.setPen(QPen(FRAME, 1))
        p.drawRect(QRectF(0.5, 0.5, self.width() - 1, self.height() - 1))
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        k, c = self._scale(), self._content
        p.setTransform(QTransform(k, 0, 0, k, PAD - c.left() * k, PAD - c.top() * k))
        p.setPen(QPen(style.EDGE_COLOR, 0))
        by_fill: dict[int, list[QRectF]] = {}
        for item in self.view.graph_scene.nodes.values():
            r = QRectF(item.x(), item.y(), item.width, item.height)
            by_fill.setdefault(item.fill_color.rgba(), []).append(r)
        for rgba, rects in by_fill.items():
            p.setBrush(QColor.fromRgba(rgba))
            p.drawRects(rects)
        p.end()
        return picture

    # ----- navigating
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.view.centerOn(self.to_scene(event.position()))
            self.view.minimap_moved()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.view.centerOn(self.to_scene(event.position()))
            self.view.minimap_moved()
