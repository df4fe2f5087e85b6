"""Small widgets and one application-wide guard shared by every panel of the window.

- `install_wheel_guard(app)`: the mouse wheel over a combo box, spin box or slider that does not have
  the keyboard focus scrolls the panel around it instead of changing its value (a student turning the
  wheel to scroll the inspector must not turn an input into a parameter). Click the control first to
  wheel through its values. One event filter on the QApplication covers every panel, present and future.
- `ElidedLabel`: one line of text that never widens or heightens its window; the full text is in its
  tooltip.
- `scrollable(widget)`: a panel's content in a scroll area, so that a long panel scrolls instead of
  pushing the window past the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

GUARDED = (QComboBox, QAbstractSpinBox, QSlider)
_SCROLL_NAME = "panel_scroll"


def _guarded_owner(obj: QObject) -> QWidget | None:
    """The combo box, spin box or slider that `obj` is or belongs to (a spin box's line edit, an
    editable combo's line edit), or None."""
    w = obj if isinstance(obj, QWidget) else None
    for _ in range(3):
        if w is None or w.isWindow():
            return None
        if isinstance(w, GUARDED):
            return w
        w = w.parentWidget()
    return None


def _scroll_area_around(widget: QWidget, vertical: bool) -> QAbstractScrollArea | None:
    """The nearest scroll area around `widget` that can scroll that way (a combo box in a table that
    shows all its rows passes the wheel on to the panel around the table)."""
    w = widget.parentWidget()
    while w is not None and not w.isWindow():
        if isinstance(w, QAbstractScrollArea) and not isinstance(w.parentWidget(), GUARDED):
            bar = w.verticalScrollBar() if vertical else w.horizontalScrollBar()
            if bar.maximum() > bar.minimum():
                return w
        w = w.parentWidget()
    return None


class WheelGuard(QObject):
    """Event filter: an unfocused combo box, spin box or slider passes the wheel to its scroll area."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel:
            return self._on_wheel(obj, event)  # type: ignore[arg-type]
        if kind == QEvent.Type.Polish and isinstance(obj, GUARDED):
            # Qt gives WheelFocus widgets the focus on the wheel itself; then the guard could not tell.
            obj.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return False

    def _on_wheel(self, obj: QObject, event: QWheelEvent) -> bool:
        owner = _guarded_owner(obj)
        if owner is None or owner.hasFocus():
            return False
        delta = event.angleDelta()
        area = _scroll_area_around(owner, vertical=abs(delta.y()) >= abs(delta.x()))
        if area is not None:
            viewport = area.viewport()
            pos = QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint()))
            forwarded = QWheelEvent(
                pos,
                event.globalPosition(),
                event.pixelDelta(),
                event.angleDelta(),
                event.buttons(),
                event.modifiers(),
                event.phase(),
                event.inverted(),
            )
            QApplication.sendEvent(viewport, forwarded)
        event.accept()
        return True


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install the guard on the application once; returns it."""
    guard = app.findChild(WheelGuard, "wheel_guard")
    if guard is None:
        guard = WheelGuard(app)
        guard.setObjectName("wheel_guard")
        app.installEventFilter(guard)
    return guard


class ElidedLabel(QLabel):
    """A one-line label: a long (or multi-line) text is cut with "…" to the width it is given, never
    resizing the window; the whole text is its tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(60)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._full = text
        self.setToolTip(text if self._shown(text) != text else "")
        super().setText(self._shown(text))

    def _shown(self, text: str) -> str:
        one_line = " ".join(text.split())
        return QFontMetrics(self.font()).elidedText(one_line, Qt.TextElideMode.ElideRight, self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        shown = self._shown(self._full)
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        one_line = " ".join(self._full.split())
        hint.setWidth(min(QFontMetrics(self.font()).horizontalAdvance(one_line) + 8, 520))
        return hint


class _ScrolledPanel(QWidget):
    """Holds a panel inside a scroll area. A panel with a word-wrapped label has a height for each
    width, and QScrollArea makes such a panel as tall as its *preferred* height for the width (a plot's
    640 × 480 default, say): it would scroll although the dock has room for its minimum. This asks for
    the minimum height at that width while the dock has room for it (no scroll bar); when it has not,
    the panel scrolls anyway and gets its preferred height (a table shows all its rows)."""

    def __init__(self, panel: QWidget) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(panel)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        layout = self.layout()
        least = layout.minimumHeightForWidth(width)
        viewport = self.parentWidget()
        if viewport is not None and viewport.height() >= least:
            return least
        return layout.heightForWidth(width)


def scrollable(widget: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area that resizes it: it gets at least its minimum size and
    scrolls when the dock is smaller."""
    area = QScrollArea()
    area.setObjectName(_SCROLL_NAME)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(_ScrolledPanel(widget))
    return area


def is_scroll_wrapper(widget: QWidget | None) -> bool:
    return isinstance(widget, QScrollArea) and widget.objectName() == _SCROLL_NAME


def spin_box(low: int, high: int, value: int, tip: str) -> QSpinBox:
    """An integer box with its range, value and tooltip (the dialogs' many small settings)."""
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setToolTip(tip)
    return box
