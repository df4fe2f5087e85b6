"""Headless rendering of a graph as the canvas draws it (PNG or SVG), for `main.py render` and for
File ▸ Export image. Works with QT_QPA_PLATFORM=offscreen."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsScene

from engine.teach.quiz import QUIZ_KEY
from graph.document import Document
from gui.canvas import style
from gui.i18n import translate

MARGIN = 40
LEGEND_HEIGHT = 30


def ensure_app() -> QApplication:
    """The running QApplication, or a new one (offscreen when there is no display)."""
    app = QApplication.instance()
    if app is None:
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication([])
    return app  # type: ignore[return-value]


def content_rect(scene: QGraphicsScene) -> QRectF:
    rect = QRectF()
    for item in scene.items():
        if item.parentItem() is None and item.isVisible():
            rect = rect.united(item.sceneBoundingRect())
    return rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN + LEGEND_HEIGHT)


def draw_legend(painter: QPainter, x: float, y: float, output: str = "L") -> None:
    """The colours' key; output names the node the gradients are of, as the user calls it."""
    f = QFont(style.font(9))
    painter.setFont(f)
    painter.setPen(style.VALUE_COLOR)
    value = translate("CanvasLegend", "blue: value (forward)")
    painter.drawText(QRectF(x, y, 260, 20), Qt.AlignmentFlag.AlignLeft, value)
    painter.setPen(style.GRAD_COLOR)
    text = translate("CanvasLegend", "red: gradient ∂{output}/∂· (backward)").format(output=output)
    # The second key after the first, however long the first is in the user's language.
    gap = max(170.0, QFontMetricsF(f).horizontalAdvance(value) + 24)
    painter.drawText(QRectF(x + gap, y, 360, 20), Qt.AlignmentFlag.AlignLeft, text)


def paint_scene(scene: QGraphicsScene, painter: QPainter, rect: QRectF, target: QRectF) -> None:
    painter.fillRect(target, QColor(style.BACKGROUND))
    grid = getattr(scene, "show_grid", None)
    if grid is not None:
        scene.show_grid = False  # type: ignore[attr-defined]
    detail = getattr(scene, "detail", None)
    if detail is False:
        scene.set_detail(True)  # type: ignore[attr-defined]  (also applies a deferred trace)
    selected = scene.selectedItems()
    for item in selected:
        item.setSelected(False)
    try:
        scene.render(painter, target, rect)
    finally:
        if grid is not None:
            scene.show_grid = grid  # type: ignore[attr-defined]
        for item in selected:
            item.setSelected(True)
        if detail is False:
            scene.set_detail(False)  # type: ignore[attr-defined]
    sx = target.width() / rect.width() if rect.width() else 1
    painter.save()
    painter.scale(sx, sx)
    output_node = getattr(scene, "output_node", None)
    out = output_node() if output_node is not None else None
    draw_legend(painter, MARGIN / 2, target.height() / sx - LEGEND_HEIGHT, out.title if out else "L")
    painter.restore()


def export_scene(scene: QGraphicsScene, out: str | os.PathLike[str], scale: float = 2.0) -> Path:
    """Write the scene to out (.png or .svg) and return the path; OSError when nothing was written.

    Qt's painters fail quietly (an SVG generator on a missing folder just paints nowhere), so the
    target is checked before and the written file after.
    """
    path = Path(out)
    _check_writable(path)
    rect = content_rect(scene)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        from PySide6.QtSvg import QSvgGenerator

        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(QSize(int(rect.width()), int(rect.height())))
        gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        gen.setTitle(path.stem)
        gen.setDescription("Backprop Studio graph")
        painter = QPainter(gen)
        if not painter.isActive():
            raise OSError(f"{path}: cannot write the SVG file")
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_scene(scene, painter, rect, QRectF(0, 0, rect.width(), rect.height()))
        painter.end()
    elif suffix == ".png":
        image = QImage(int(rect.width() * scale), int(rect.height() * scale), QImage.Format.Format_ARGB32)
        image.fill(QColor(style.BACKGROUND))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        paint_scene(scene, painter, rect, QRectF(0, 0, image.width(), image.height()))
        painter.end()
        if not image.save(str(path)):
            raise OSError(f"{path}: cannot write the PNG file")
    else:
        raise ValueError(f"{path}: the image must end in .png or .svg")
    if not path.is_file() or path.stat().st_size == 0:
        raise OSError(f"{path}: nothing was written")
    return path


def _check_writable(path: Path) -> None:
    if path.is_dir():
        raise OSError(f"{path}: is a folder, not an image file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OSError(f"{path}: the folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OSError(f"{path}: no permission to write here")


def render_file(path: str, out: str, digits: int = 4) -> tuple[Path, str | None]:
    """Load a graph file, run it when valid, and draw it into out (.png or .svg).

    Returns the path written and, for a graph that cannot run, the first problem (the picture then
    shows what the graph computes so far, with the problem marked)."""
    ensure_app()
    import engine
    from graph.file_format import load
    from gui.canvas.scene import GraphScene
    from gui.model_bridge import ModelBridge
    from gui.settings import Settings

    doc = load(path, engine.REGISTRY)
    bridge = ModelBridge()
    bridge.set_document(doc, path)
    bridge.evaluate()
    settings = Settings(memory=True)
    settings.digits = digits
    scene = GraphScene(bridge, settings)
    return export_scene(scene, out), bridge.error_message


def picture_svg(doc: Document, digits: int = 4, numbers: bool = True) -> str:
    """The graph as SVG text, for embedding in a page: with every value and gradient (numbers=True),
    or with only the values the graph gives (its inputs, parameters and constants: an exercise sheet)."""
    import tempfile

    ensure_app()
    from gui.canvas.scene import GraphScene
    from gui.model_bridge import ModelBridge
    from gui.settings import Settings

    bridge = ModelBridge()
    shown = doc.copy()
    shown.extra.pop(QUIZ_KEY, None)  # a page shows what `numbers` says, whatever the file's quiz hides
    bridge.set_document(shown, None)
    if numbers:
        bridge.evaluate()
    else:
        bridge.show_trace(None)  # no trace: the scene labels the leaves from the document alone
    settings = Settings(memory=True)
    settings.digits = digits
    scene = GraphScene(bridge, settings)
    with tempfile.TemporaryDirectory() as folder:
        path = export_scene(scene, Path(folder) / "graph.svg")
        return path.read_text(encoding="utf-8")
