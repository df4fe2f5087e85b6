"""Where the window's panels go, and the log of every message it showed.

`DockLayout` owns the default arrangement so that it is written once, for the first start and for
View ▸ Reset Layout: the palette on the left; the Inspector, Step Through, Training and History as one
tab stack on the right; the exercise text and the plots as one tab stack under the canvas. The side
stacks run the full height of the window (the bottom stack sits only under the canvas), so that the
inspector has room for its value editor on a laptop screen. Every panel's content is in a scroll area:
a long panel scrolls instead of making the window taller than the screen or drawing docks over each
other. The window opens inside the screen's available area; its size, place and dock layout are saved
on close and restored on the next start (QSettings, with a layout version: a saved layout from an
older arrangement is ignored).

`MessageLog` keeps every status and error message in full (the status line elides long ones).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QDialog,
    QDockWidget,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import translate
from gui.widgets import is_scroll_wrapper, scrollable

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from gui.settings import Settings

Area = Qt.DockWidgetArea
LAYOUT_VERSION = 2  # bump when the default arrangement changes: older saved layouts are then ignored
AREAS = (Area.LeftDockWidgetArea, Area.RightDockWidgetArea, Area.BottomDockWidgetArea, Area.TopDockWidgetArea)
FULL_SIZE_UP_TO = QSize(1600, 900)  # on screens up to this size the window takes the whole work area
SHARE_OF_LARGE_SCREEN = 0.85
LEFT_WIDTH = 190
RIGHT_SHARE = 0.4  # the right stack takes at most this share of the window's width ...
RIGHT_MIN = 340  # ... and at least this many pixels
BOTTOM_SHARE = 0.36


def available_area(widget: QWidget) -> QRect:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


class DockLayout:
    """The docks of one main window, the areas they were added to, and their default arrangement."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.entries: list[tuple[QDockWidget, Area, int]] = []
        self._placed: QSize | None = None  # the size fit_to_screen or restore gave the window

    def add(self, dock: QDockWidget, area: Area, rank: int = 0) -> None:
        """A dock in `area`; within a tab stack lower ranks come first, then the order of adding."""
        self.entries.append((dock, area, rank))

    def in_area(self, area: Area) -> list[QDockWidget]:
        return [d for d, _a, _r in sorted((e for e in self.entries if e[1] == area), key=lambda e: e[2])]

    # ----- the default arrangement
    def arrange(self, fit: bool = False) -> None:
        """Every dock in its default place; with `fit`, the window is first fitted to the screen (after
        the panels are in scroll areas, when their full content no longer sets the window's minimum)."""
        w = self.window
        for corner, area in (
            (Qt.Corner.TopLeftCorner, Area.LeftDockWidgetArea),
            (Qt.Corner.BottomLeftCorner, Area.LeftDockWidgetArea),
            (Qt.Corner.TopRightCorner, Area.RightDockWidgetArea),
            (Qt.Corner.BottomRightCorner, Area.RightDockWidgetArea),
        ):
            w.setCorner(corner, area)
        w.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, QTabWidget.TabPosition.North)
        for dock, _area, _rank in self.entries:
            _wrap_in_scroll_area(dock)
            w.removeDockWidget(dock)
        if fit:
            self.fit_to_screen()
        for area in AREAS:
            self._stack(area)
        self._size_areas()
        self.hide_stale_tab_bars()

    def _stack(self, area: Area) -> None:
        docks = self.in_area(area)
        if not docks:
            return
        w = self.window
        first = docks[0]
        for dock in docks:
            dock.setFloating(False)
            if dock is first:
                w.addDockWidget(area, dock)
            else:
                w.tabifyDockWidget(first, dock)
            dock.show()
        first.raise_()

    def hide_stale_tab_bars(self) -> None:
        """Hide the tab bars of tab stacks that no longer exist. Qt keeps them, and one left from the
        stacks the panels were installed in can stay visible, drawn over the status bar."""
        w = self.window
        stacks = set()
        for dock, _area, _rank in self.entries:
            titles = [dock.windowTitle()] + [d.windowTitle() for d in w.tabifiedDockWidgets(dock)]
            if len(titles) > 1:
                stacks.add(frozenset(titles))
        for bar in w.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if frozenset(bar.tabText(i) for i in range(bar.count())) not in stacks:
                bar.hide()
            else:  # a tab name is never cut to "Ex…": too many tabs scroll instead
                bar.setElideMode(Qt.TextElideMode.ElideNone)
                bar.setUsesScrollButtons(True)

    def _size_areas(self) -> None:
        w = self.window
        size = w.size()
        left = self.in_area(Area.LeftDockWidgetArea)
        right = self.in_area(Area.RightDockWidgetArea)
        bottom = self.in_area(Area.BottomDockWidgetArea)
        if right:
            width = max(RIGHT_MIN, min(_content_width(right), int(size.width() * RIGHT_SHARE)))
            w.resizeDocks(right[:1], [width], Qt.Orientation.Horizontal)
        if left:
            w.resizeDocks(left[:1], [LEFT_WIDTH], Qt.Orientation.Horizontal)
        if bottom:
            w.resizeDocks(bottom[:1], [int(size.height() * BOTTOM_SHARE)], Qt.Orientation.Vertical)

    # ----- the window on the screen
    def fit_to_screen(self) -> None:
        """Size and place the window inside the screen's work area: the whole of it on a laptop, most of
        it on a large screen."""
        # The minimum size the layout last set may be stale (panels wrapped in scroll areas since).
        self.window.layout().activate()
        avail = available_area(self.window)
        if avail.width() <= FULL_SIZE_UP_TO.width() or avail.height() <= FULL_SIZE_UP_TO.height():
            size = avail.size()
        else:
            share = SHARE_OF_LARGE_SCREEN
            size = QSize(int(avail.width() * share), int(avail.height() * share))
        size -= self._frame_extra()
        self.window.resize(size)
        self._placed = self.window.size()
        frame = QRect(avail.topLeft(), size + self._frame_extra())
        frame.moveCenter(avail.center())
        self.window.move(frame.topLeft())

    def placed_by_us(self) -> bool:
        """True while the window has the size fit_to_screen or restore gave it (nobody resized it since)."""
        return self._placed is not None and self._placed == self.window.size()

    def keep_on_screen(self) -> None:
        """A restored window that no longer fits (another screen, a lower resolution) is pulled inside."""
        self.window.layout().activate()
        avail = available_area(self.window)
        frame = self.window.frameGeometry()
        if avail.contains(frame):
            return
        extra = self._frame_extra()
        size = self.window.size().boundedTo(avail.size() - extra)
        self.window.resize(size)
        frame = QRect(frame.topLeft(), size + extra)
        frame.moveLeft(max(avail.left(), min(frame.left(), avail.right() - frame.width() + 1)))
        frame.moveTop(max(avail.top(), min(frame.top(), avail.bottom() - frame.height() + 1)))
        self.window.move(frame.topLeft())

    def _frame_extra(self) -> QSize:
        """The window frame's size around the client area (known once shown; none offscreen)."""
        w = self.window
        if w.isVisible():
            return w.frameGeometry().size() - w.geometry().size()
        return QSize(0, 0)

    # ----- remembered between runs
    def save(self, settings: Settings) -> None:
        settings.set_window_layout(self.window.saveGeometry(), self.window.saveState(LAYOUT_VERSION))

    def restore(self, settings: Settings) -> bool:
        geometry, state = settings.window_layout()
        restored = False
        if geometry is not None:
            restored = bool(self.window.restoreGeometry(geometry))
        if state is not None:
            restored = bool(self.window.restoreState(state, LAYOUT_VERSION)) and restored
            self.hide_stale_tab_bars()
        self.keep_on_screen()
        self._placed = self.window.size()
        return restored


def _wrap_in_scroll_area(dock: QDockWidget) -> None:
    content = dock.widget()
    if content is None or isinstance(content, QAbstractScrollArea) or is_scroll_wrapper(content):
        return
    dock.setWidget(scrollable(content))


def _content_width(docks: list[QDockWidget]) -> int:
    """The width the widest of these panels needs to show its content without a horizontal scroll bar."""
    widths = []
    for dock in docks:
        content = dock.widget()
        if is_scroll_wrapper(content):
            inner = content.widget()
            extra = content.verticalScrollBar().sizeHint().width()
            widths.append(inner.minimumSizeHint().width() + extra)
        elif content is not None:
            widths.append(content.minimumSizeHint().width())
    return max(widths, default=RIGHT_MIN) + 8


class MessageLog:
    """Every message shown in the status line, in full, with the time (View ▸ Message Log)."""

    MAX = 500

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.entries: list[tuple[str, str]] = []
        self.dialog: QDialog | None = None
        self._text: QPlainTextEdit | None = None

    def add(self, message: str) -> None:
        message = message.strip()
        if not message or (self.entries and self.entries[-1][1] == message):
            return
        self.entries.append((time.strftime("%H:%M:%S"), message))
        del self.entries[: -self.MAX]
        if self._text is not None:
            self._text.appendPlainText(self._line(self.entries[-1]))

    @staticmethod
    def _line(entry: tuple[str, str]) -> str:
        return f"{entry[0]}  {entry[1]}"

    def show_dialog(self) -> QDialog:
        if self.dialog is None:
            self.dialog = QDialog(self.parent)
            self.dialog.setWindowTitle(translate("MessageLog", "Message log"))
            self._text = QPlainTextEdit(self.dialog)
            self._text.setReadOnly(True)
            QVBoxLayout(self.dialog).addWidget(self._text)
            self.dialog.resize(640, 360)
        self._text.setPlainText("\n".join(self._line(e) for e in self.entries))
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog
