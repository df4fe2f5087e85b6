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
    window.reset_layout()  # the panels in their places, the window fitted to the screen
    _bring_forward_when_used(window)
    return window


def _bring_forward_when_used(window: Any) -> None:
    """A panel comes to the front of its tab stack when the toolbar, the Run menu or a shortcut works
    with it: F10 with the Inspector in front shows the step's explanation; Train shows the loss."""
    from PySide6.QtWidgets import QDockWidget

    docks = {d.windowTitle(): d for d in window.findChildren(QDockWidget)}
    for act in window.step_panel.toolbar_actions():
        act.triggered.connect(docks["Step Through"].raise_)
    training = window.training_panel.toolbar_actions()
    for act in training:
        act.triggered.connect(docks["Training"].raise_)
    training[0].triggered.connect(docks["Loss"].raise_)  # Train: the loss curve is what to watch


def main(path: str | None = None) -> int:
    """Open the main window (with `path` loaded if given); returns the exit status."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    window = build_window()
    window.restore_layout()
    restored = window.offer_recovery()
    if path and not restored:
        window.open_file(path, ask=False)
    window.show()
    return int(app.exec())
