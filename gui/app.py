"""Starting the window: the QApplication, the main window, the offer to restore autosaved work, and the
file given on the command line."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from gui.settings import APPLICATION, ORGANIZATION


def main(path: str | None = None) -> int:
    """Open the main window (with `path` loaded if given); returns the exit status."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    from gui.main_window import MainWindow

    window = MainWindow()
    restored = window.offer_recovery()
    if path and not restored:
        window.open_file(path, ask=False)
    window.show()
    return int(app.exec())
