"""Test-wide set-up: Qt renders offscreen, the repository root is importable, and every test that
touches Qt gets its own settings store and answered dialogs.

The environment and the path are set at import time, before any test module can create a
QApplication. The fixtures below replace what GUI test files used to monkeypatch one by one.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The engine speaks the environment's language (engine/i18n); tests that expect English text must not
# depend on the machine's locale, and the Russian tests ask for Russian explicitly (--lang ru).
os.environ["LC_ALL"] = "C.UTF-8"

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> None:
    """QSettings and the standard paths (recent files, layout, autosave) in this test's own folder."""
    try:
        from PySide6.QtCore import QSettings, QStandardPaths
    except ImportError:
        return

    QStandardPaths.setTestModeEnabled(True)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@dataclass
class Dialogs:
    """Every QMessageBox a test's code opens, answered at once instead of waiting for a person.

    ``answer`` is the button a question gets (None: Discard where offered, else No); ``shown`` lists
    (kind, title, text) of every box, so a test can assert what the user would have read.
    """

    answer: Any = None
    shown: list[tuple[str, str, str]] = field(default_factory=list)

    def texts(self, kind: str | None = None) -> list[str]:
        return [text for k, _, text in self.shown if kind is None or k == kind]


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    """Modal message boxes never block a test (a blocked test would hang CI until its time-out)."""
    record = Dialogs()
    try:
        from PySide6.QtWidgets import QMessageBox
    except ImportError:
        return record

    button = QMessageBox.StandardButton

    def question(parent: Any, title: str, text: str, buttons: Any = None, *args: Any) -> Any:
        record.shown.append(("question", title, text))
        if record.answer is not None:
            return record.answer
        offered = buttons if buttons is not None else button.Yes | button.No
        return button.Discard if offered & button.Discard else button.No

    def notice(kind: str) -> Any:
        def show(parent: Any, title: str, text: str, *args: Any) -> Any:
            record.shown.append((kind, title, text))
            return button.Ok

        return show

    monkeypatch.setattr(QMessageBox, "question", question)
    for kind in ("critical", "warning", "information"):
        monkeypatch.setattr(QMessageBox, kind, notice(kind))
    return record


@pytest.fixture
def open_window(qtbot: Any) -> Any:
    """A factory for the window as a user sees it: ``open_window(full=True, size=None)``.

    full=True builds it as ``main.py`` does (every panel installed), False a bare MainWindow. With a
    size the window is resized to it and its panels arranged for it. Autosave is off; the window is
    shown and exposed, and its training worker (if any) shut down after the test.
    """
    made: list[Any] = []

    def make(full: bool = True, size: tuple[int, int] | None = None) -> Any:
        if full:
            from gui.app import build_window

            w = build_window(autosave=False)
        else:
            from gui.main_window import MainWindow

            w = MainWindow(autosave=False)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        if size is not None:
            w.resize(*size)
            w.arrange_panels()
        made.append(w)
        return w

    yield make
    for w in made:
        panel = getattr(w, "training_panel", None)
        if panel is not None:
            panel.shutdown()
