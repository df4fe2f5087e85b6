"""The shared widgets: a panel in a scroll area scrolls only when the dock is smaller than the panel's
minimum (a word-wrapped label must not make it ask for its preferred height), and then shows everything
at its preferred size; an elided label stays one line however long its text."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QApplication, QLabel, QTableWidget, QVBoxLayout, QWidget  # noqa: E402

from gui.widgets import ElidedLabel, scrollable  # noqa: E402

pytestmark = pytest.mark.gui


def _panel() -> tuple[QWidget, QTableWidget]:
    """A legend-like word-wrapped label over a table of 12 rows (preferred height far above its minimum)."""
    panel = QWidget()
    layout = QVBoxLayout(panel)
    label = QLabel("a legend that wraps " * 8)
    label.setWordWrap(True)
    table = QTableWidget(12, 2)
    table.setMinimumHeight(100)
    layout.addWidget(label)
    layout.addWidget(table, 1)
    return panel, table


def _shown_at(qtbot, height: int):
    panel, table = _panel()
    area = scrollable(panel)
    qtbot.addWidget(area)
    area.resize(300, height)
    area.show()
    qtbot.waitExposed(area)
    for _ in range(3):
        QApplication.processEvents()
    return area, panel, table


def test_a_dock_with_room_for_the_minimum_does_not_scroll(qtbot):
    area, panel, table = _shown_at(qtbot, 260)
    least = panel.layout().minimumHeightForWidth(area.viewport().width())
    assert least <= 260 < panel.layout().heightForWidth(area.viewport().width())
    assert area.verticalScrollBar().maximum() == 0
    assert table.height() >= 100


def test_a_dock_smaller_than_the_minimum_scrolls_with_everything_at_its_preferred_size(qtbot):
    area, panel, table = _shown_at(qtbot, 120)
    assert area.verticalScrollBar().maximum() > 0
    assert table.height() >= table.sizeHint().height()  # not squeezed to its minimum inside the scroll


def test_an_elided_label_stays_one_line_with_the_whole_text_on_hover(qtbot):
    label = ElidedLabel()
    qtbot.addWidget(label)
    label.resize(200, 20)
    label.show()
    text = "the graph does not run yet: " + "a long reason " * 30 + "\nand a second line"
    label.setText(text)
    assert "\n" not in label.text() and label.text().endswith("…")
    assert label.toolTip() == text
    assert label.sizeHint().height() == QLabel("one line").sizeHint().height()
    label.setText("short")
    assert label.text() == "short" and label.toolTip() == ""
