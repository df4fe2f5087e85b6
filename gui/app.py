"""Starting the window: the QApplication, the main window with every panel installed, the offer to
restore autosaved work, and the file given on the command line."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType
from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from gui.i18n import translate
from gui.settings import APPLICATION, ORGANIZATION

log = logging.getLogger("backprop_studio")


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

    docks = {d.objectName(): d for d in window.findChildren(QDockWidget)}
    for act in window.step_panel.toolbar_actions():
        act.triggered.connect(docks["dock_step_through"].raise_)
    training = window.training_panel.toolbar_actions()
    for act in training:
        act.triggered.connect(docks["dock_training"].raise_)
    training[0].triggered.connect(docks["dock_loss"].raise_)  # Train: the loss curve is what to watch


def install_exception_handler(parent: QWidget) -> None:
    """An exception that escapes a slot (a bug: the program's own errors are handled where they
    arise) becomes one log line and a dialog with the traceback in its details, never a traceback on
    the console; the window goes on. One dialog at a time: more errors meanwhile are only logged."""
    shown: list[QMessageBox] = []

    def handle(kind: type[BaseException], err: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, err, tb)
            return
        message = " ".join(f"{kind.__name__}: {err}".split())
        log.error("unexpected error in the window: %s", message)
        if shown and shown[0].isVisible():
            return
        title = translate("ExceptionDialog", "Unexpected error")
        box = QMessageBox(QMessageBox.Icon.Critical, title, message, parent=parent)
        box.setInformativeText(
            translate(
                "ExceptionDialog", "Your graph is still open; saving it is safe. Please report this error."
            )
        )
        box.setDetailedText("".join(traceback.format_exception(kind, err, tb)))
        shown[:] = [box]
        box.open()

    sys.excepthook = handle


def main(path: str | None = None, lang: str | None = None) -> int:
    """Open the main window (with `path` loaded if given) in `lang` (None: the language saved in
    Settings, else the system's); returns the exit status."""
    from gui import i18n
    from gui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.translators = i18n.install(app, i18n.choose(lang, Settings().language))  # kept alive with the app
    window = build_window()
    install_exception_handler(window)
    window.restore_layout()
    restored = window.offer_recovery()
    if path and not restored:
        window.open_file(path, ask=False)
    window.show()
    return int(app.exec())
