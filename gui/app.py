"""Starting the window: the QApplication, the main window with every panel installed, the offer to
restore autosaved work, and the file given on the command line."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtWidgets import QApplication

from gui.settings import APPLICATION, ORGANIZATION


def build_window(**kwargs: Any):
    """The main window with the step panel, the training panel and plots, and the RNN builder."""
    from gui.dialogs.rnn_dialog import install_rnn_action
    from gui.main_window import MainWindow
    from gui.panels.step_panel import install_step_panel
    from gui.panels.training.panel import install_training

    window = MainWindow(**kwargs)
    install_step_panel(window)
    install_training(window)
    install_rnn_action(window)
    _tabify(window, "Step Through", "Training")
    return window


def _tabify(window: Any, first: str, *others: str) -> None:
    """Put docks that share a side into one tabbed stack, so the window fits a laptop screen."""
    from PySide6.QtWidgets import QDockWidget

    docks = {d.windowTitle(): d for d in window.findChildren(QDockWidget)}
    if first not in docks:
        return
    for title in others:
        if title in docks:
            window.tabifyDockWidget(docks[first], docks[title])
    docks[first].raise_()


def main(path: str | None = None) -> int:
    """Open the main window (with `path` loaded if given); returns the exit status."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    window = build_window()
    restored = window.offer_recovery()
    if path and not restored:
        window.open_file(path, ask=False)
    window.show()
    return int(app.exec())
