"""The window's layout on laptop and desktop screens: it opens inside the screen's work area; at
1366×768, 1600×900 and 1920×1080 every panel is inside the window, no two panels overlap, every widget
gets at least its minimum size; the inspector shows a 4×4 matrix without scrolling; the layout is
remembered between runs and View ▸ Reset Layout brings the default back; a long message never makes the
window grow."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QRect, QSize, Qt  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractScrollArea,
    QApplication,
    QDockWidget,
    QPlainTextEdit,
    QSizePolicy,
    QTabBar,
    QWidget,
)

pytestmark = pytest.mark.gui

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SIZES = [QSize(1366, 768), QSize(1600, 900), QSize(1920, 1080)]
RIGHT_TABS = ("Inspector", "Step Through", "Training", "History")
BOTTOM_TABS = ("Exercise", "Loss", "Activation", "Gradient norms", "Symmetry", "Dataset", "Boundary",
               "Landscape", "LR range test", "Gradient flow")


def _build(qtbot):
    from gui.app import build_window

    w = build_window(autosave=False)
    qtbot.addWidget(w)
    return w


@pytest.fixture
def window(open_window):
    return open_window()


def _settle():
    for _ in range(3):
        QApplication.processEvents()


def _at_size(window, size: QSize) -> None:
    """The window as it opens on a screen of that size: resized, then laid out the default way."""
    window.resize(size)
    window.arrange_panels()
    _settle()


def _shown(widget: QWidget) -> bool:
    """Visible and not hidden behind another tab (Qt keeps a stack's other docks visible but out of
    sight)."""
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def _docks(window) -> dict[str, QDockWidget]:
    return {d.windowTitle(): d for d in window.findChildren(QDockWidget)}


def _rect_in_window(window, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def _panels(window) -> list[tuple[str, QWidget]]:
    """The window's top-level parts: menu bar, toolbars, canvas, status bar and every visible dock."""
    parts = [("menu bar", window.menuBar()), ("status bar", window.statusBar())]
    parts.append(("canvas", window.centralWidget()))
    parts += [(f"toolbar {bar.windowTitle()}", bar) for bar in (window.file_toolbar, window.toolbar)]
    parts += [(title, d) for title, d in _docks(window).items() if _shown(d)]
    bars = window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
    parts += [(f"tabs {[b.tabText(i) for i in range(b.count())]}", b) for b in bars if b.isVisible()]
    return parts


def _inside_scroll_content(widget: QWidget) -> bool:
    """True for widgets inside a scroll area's viewport (they may extend past it and are clipped)."""
    w = widget.parentWidget()
    while w is not None:
        parent = w.parentWidget()
        if isinstance(parent, QAbstractScrollArea) and parent.viewport() is w:
            return True
        w = parent
    return False


def _smart_minimum(w: QWidget) -> QSize:
    """The least size a layout may give `w` (Qt's rule: an explicit minimum, else the minimum size
    hint where the policy may shrink, the size hint where it may not, nothing where it is ignored)."""
    policy = w.sizePolicy()
    hint, min_hint = w.sizeHint(), w.minimumSizeHint()

    def one(explicit: int, pol: QSizePolicy.Policy, h: int, mh: int) -> int:
        if explicit > 0:
            return explicit
        if pol == QSizePolicy.Policy.Ignored:
            return 0
        if pol.value & QSizePolicy.PolicyFlag.ShrinkFlag.value:
            return max(mh, 0)
        return max(h, 0)

    return QSize(
        one(w.minimumWidth(), policy.horizontalPolicy(), hint.width(), min_hint.width()),
        one(w.minimumHeight(), policy.verticalPolicy(), hint.height(), min_hint.height()),
    )


def _laid_out_children(parent: QWidget) -> list[QWidget]:
    layout = parent.layout()
    if layout is None:
        return []
    found: list[QWidget] = []

    def walk(lay) -> None:
        for i in range(lay.count()):
            item = lay.itemAt(i)
            if item.widget() is not None and _shown(item.widget()):
                found.append(item.widget())
            elif item.layout() is not None:
                walk(item.layout())

    walk(layout)
    return found


def _hidden_tools(window) -> list[str]:
    """Toolbar buttons pushed into a toolbar's » menu for lack of room."""
    hidden = []
    for bar in (window.file_toolbar, window.toolbar):
        for act in bar.actions():
            button = bar.widgetForAction(act)
            if not act.isSeparator() and act.isVisible() and button is not None and not button.isVisible():
                hidden.append(f"{act.text()!r} hidden in toolbar {bar.windowTitle()}")
    return hidden


def _panel_problems(window) -> list[str]:
    """Panels outside the window or overlapping each other."""
    problems = []
    parts = _panels(window)
    for name, part in parts:
        if not window.rect().contains(_rect_in_window(window, part)):
            problems.append(f"{name} reaches outside the window: {_rect_in_window(window, part)}")
    for i, (a, wa) in enumerate(parts):
        for b, wb in parts[i + 1 :]:
            if _rect_in_window(window, wa).intersects(_rect_in_window(window, wb)):
                problems.append(f"{a} overlaps {b}")
    return problems


def _widget_problems(window, w: QWidget) -> list[str]:
    """`w` outside the window; a widget it lays out smaller than its minimum or over a sibling."""
    problems = []
    if not _inside_scroll_content(w) and not window.rect().contains(_rect_in_window(window, w)):
        problems.append(f"{type(w).__name__} {w.objectName()!r} reaches outside the window")
    children = _laid_out_children(w)
    for child in children:
        least = _smart_minimum(child)
        if child.width() < least.width() or child.height() < least.height():
            problems.append(f"{type(child).__name__} {child.objectName()!r} is {child.size()}, < {least}")
    for i, a in enumerate(children):
        for b in children[i + 1 :]:
            if a.geometry().intersects(b.geometry()):
                problems.append(f"{type(a).__name__} overlaps {type(b).__name__} in {type(w).__name__}")
    return problems


def _layout_problems(window) -> list[str]:
    problems = _panel_problems(window)
    for w in window.findChildren(QWidget):
        if _shown(w) and not w.isWindow() and not isinstance(w, QTabBar):
            problems += _widget_problems(window, w)
    return problems


def test_window_opens_inside_the_screens_work_area(qtbot):
    w = _build(qtbot)
    w.show()
    qtbot.waitExposed(w)
    _settle()
    avail = w.screen().availableGeometry()
    assert avail.contains(w.frameGeometry()), (avail, w.frameGeometry())
    assert w.minimumSizeHint().width() <= 1366 and w.minimumSizeHint().height() <= 768
    assert _layout_problems(w) == []


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_no_panel_overlaps_and_each_gets_its_minimum_size(window, size):
    window.open_file(str(EXAMPLES / "11_two_moons.json"), ask=False, as_copy=True)
    window.scene.select_nodes(["W1"])
    _at_size(window, size)
    assert window.size() == size
    docks = _docks(window)
    assert {"Palette", "Inspector", "Step Through", "Training", "Exercise", "Loss"} <= set(docks)
    # Every tab of both stacks in turn, so that every panel is checked while it is shown.
    right, bottom = RIGHT_TABS, BOTTOM_TABS
    for tabs in (right, bottom):
        for title in tabs:
            docks[title].raise_()
            _settle()
            assert _shown(docks[title])
            assert _layout_problems(window) == [], title
    assert _hidden_tools(window) == []  # (a window narrower than a toolbar would need its » menu)


def test_fewer_panels_one_tab_stack_per_side(window):
    _at_size(window, SIZES[0])
    docks = _docks(window)
    area = Qt.DockWidgetArea
    by_area: dict[object, set[str]] = {}
    for title, dock in docks.items():
        by_area.setdefault(window.dockWidgetArea(dock), set()).add(title)
    right, bottom = set(RIGHT_TABS), set(BOTTOM_TABS)
    assert by_area == {area.LeftDockWidgetArea: {"Palette"}, area.RightDockWidgetArea: right,
                       area.BottomDockWidgetArea: bottom}  # fmt: skip
    for first, stack in (("Inspector", right), ("Exercise", bottom)):
        assert {d.windowTitle() for d in window.tabifiedDockWidgets(docks[first])} == stack - {first}
        # One panel of each stack is shown at a time: the first.
        assert [t for t in stack if _shown(docks[t])] == [first]


def test_inspector_shows_a_4x4_matrix_without_scrolling_at_1366x768(window, tmp_path):
    import numpy as np

    from graph.edits import SetValue

    window.open_file(str(EXAMPLES / "02_masha_relu_regression.json"), ask=False, as_copy=True)
    _at_size(window, SIZES[0])
    window.bridge.push(SetValue("W1", np.arange(16.0).reshape(4, 4)))
    window.scene.select_nodes(["W1"])
    _settle()
    inspector = window.inspector
    grid = inspector.grid
    assert (grid.rowCount(), grid.columnCount()) == (4, 4)
    cells = grid.viewport()
    visible = QRect(cells.mapTo(inspector.viewport(), cells.rect().topLeft()), cells.size())
    assert inspector.viewport().rect().contains(visible), "the grid needs scrolling"
    for i in range(4):
        for j in range(4):
            cell = grid.visualItemRect(grid.item(i, j))
            assert grid.viewport().rect().contains(cell), (i, j)


def test_a_long_message_never_resizes_the_window(window):
    _at_size(window, SIZES[0])
    before = window.size()
    long_message = "a problem " * 80 + "\nwith a second line\nand a third"
    window.bridge.statusMessage.emit(long_message)
    window.run_status.setText("⚠ " + long_message)
    window.step_panel.status.setText(long_message)
    window.training_panel.status.setText(long_message)
    _settle()
    assert window.size() == before
    assert "\n" not in window.run_status.text() and window.run_status.text().endswith("…")
    assert window.run_status.toolTip() == "⚠ " + long_message
    assert any(long_message.strip() == text for _time, text in window.messages.entries)


def _rearranged_and_closed(qtbot) -> None:
    """A first run in which the user moves Training to the left, closes History, moves a toolbar, hides
    the other and makes the window small."""
    first = _build(qtbot)
    first.show()
    qtbot.waitExposed(first)
    docks = _docks(first)
    first.removeDockWidget(docks["Training"])
    first.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, docks["Training"])
    docks["Training"].show()
    docks["History"].hide()
    first.addToolBar(Qt.ToolBarArea.LeftToolBarArea, first.toolbar)
    first.file_toolbar.hide()
    first.resize(700, 500)
    first.close()


def test_the_layout_is_remembered_between_runs(qtbot):
    _rearranged_and_closed(qtbot)
    second = _build(qtbot)
    assert second.restore_layout()
    second.show()
    qtbot.waitExposed(second)
    docks = _docks(second)
    assert second.dockWidgetArea(docks["Training"]) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert not docks["History"].isVisible()
    assert second.size() == QSize(700, 500)
    assert second.toolBarArea(second.toolbar) == Qt.ToolBarArea.LeftToolBarArea
    assert not second.file_toolbar.isVisible()


def test_reset_layout_restores_the_default(qtbot):
    _rearranged_and_closed(qtbot)
    second = _build(qtbot)
    second.restore_layout()
    second.show()
    qtbot.waitExposed(second)
    second.actions_by_name["reset_layout"].trigger()
    _settle()
    docks = _docks(second)
    assert second.dockWidgetArea(docks["Training"]) == Qt.DockWidgetArea.RightDockWidgetArea
    assert _shown(docks["Inspector"])
    assert docks["History"].isVisible()  # back, as a tab behind the Inspector
    for bar in (second.file_toolbar, second.toolbar):
        assert second.toolBarArea(bar) == Qt.ToolBarArea.TopToolBarArea and bar.isVisible()
    assert second.screen().availableGeometry().contains(second.frameGeometry())
    assert _layout_problems(second) == []


def test_a_layout_saved_by_an_older_arrangement_is_ignored(qtbot):
    from gui.settings import Settings

    w = _build(qtbot)
    Settings().set_window_layout(w.saveGeometry(), w.saveState(0))
    assert not _build(qtbot).restore_layout()


def test_a_window_saved_on_a_larger_screen_opens_inside_this_one(qtbot):
    first = _build(qtbot)
    first.show()
    qtbot.waitExposed(first)
    first.setMinimumSize(0, 0)
    first.resize(2400, 1500)
    first.move(3000, 2000)  # where a second, larger monitor was
    first.close()
    second = _build(qtbot)
    second.restore_layout()
    second.show()
    qtbot.waitExposed(second)
    _settle()
    assert second.screen().availableGeometry().contains(second.frameGeometry())


def test_the_message_log_keeps_every_message_in_full(window):
    window.statusBar().showMessage("first message")
    window.bridge.statusMessage.emit("second\nmessage on two lines")
    dialog = window.messages.show_dialog()
    text = dialog.findChild(QPlainTextEdit).toPlainText()
    assert "first message" in text and "second\nmessage on two lines" in text
    window.statusBar().showMessage("third")
    assert dialog.findChild(QPlainTextEdit).toPlainText().endswith("third")
    dialog.close()


def test_a_panel_comes_forward_when_the_toolbar_works_with_it(window):
    docks = _docks(window)
    window.open_file(str(EXAMPLES / "02_masha_relu_regression.json"), ask=False, as_copy=True)
    docks["Inspector"].raise_()
    _settle()
    window.step_panel.actions["step_forward"].trigger()  # F10
    _settle()
    assert _shown(docks["Step Through"]) and not _shown(docks["Inspector"])
    pause = next(a for a in window.training_panel.toolbar_actions() if a.text() == "Pause training")
    pause.trigger()
    _settle()
    assert _shown(docks["Training"])


def test_a_long_undo_text_never_hides_a_toolbar_button(window):
    """The Undo button names the edit; a long name widens the toolbar, which then wraps to a new row."""
    from graph.edits import Macro, SetDocumentField

    short = SetDocumentField("description", "x")
    window.bridge.push(short)  # Undo reads "Undo Edit description"
    bars = (window.file_toolbar, window.toolbar)
    window.resize(sum(bar.sizeHint().width() for bar in bars) + 40, 900)
    _settle()
    assert not window.toolBarBreak(window.toolbar)
    long_name = "Train: 1900 updates of a rather long run " * 3
    window.bridge.push(Macro(long_name, [SetDocumentField("description", "y")]))
    _settle()
    assert window.toolBarBreak(window.toolbar) and _hidden_tools(window) == []
    window.bridge.undo_stack.undo()  # the long name moves to Redo ...
    window.bridge.push(SetDocumentField("description", "z"))  # ... and a new edit clears it
    _settle()
    assert not window.toolBarBreak(window.toolbar)  # back on one row once the long name is gone
