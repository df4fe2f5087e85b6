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


# Latin-alphabet words the Russian window may show: names that stay as they are in Russian texts (ops,
# optimisers, formats, keys, the program's own name), units and file extensions. Everything else a
# menu, action, dock, button or label says must be Russian.
ALLOWED_LATIN = frozenset(
    """
    Backprop Studio ReLU ELU SELU GELU Leaky PReLU MSE BCE SGD Adam AdaGrad RMSprop Nesterov Swish Mish
    logloss Softplus ln Keras
    MatMul Softmax softmax sigmoid tanh exp log sqrt sin cos max min argmax abs sum mean relu elu selu
    gelu mish swish Softplus
    PyTorch ONNX Torch torch onnx Python XOR RNN BPTT LaTeX TeX Markdown HTML PDF PNG SVG JSON CSV UTF
    json csv png svg html md tex pdf pt pth py txt
    Ctrl Shift Alt Del Delete Tab Esc Enter Return Backspace Space Home End PgUp PgDown Ins Meta
    Xavier Glorot Kaiming LeCun He
    NaN Inf nan inf ms px dpi
    English OK
    """.split()
)


class Russian:
    """The window's translations installed into the test's QApplication (and the engine's language set),
    with a walk over a widget tree that lists every Latin-alphabet word a user would read in it."""

    def __init__(self, qapp: Any) -> None:
        from gui import i18n

        self._app = qapp
        self._translators = i18n.install(qapp, "ru")

    def close(self) -> None:
        from gui import i18n

        i18n.uninstall(self._app, self._translators)

    @staticmethod
    def latin(text: str, allowed: frozenset[str] = ALLOWED_LATIN) -> list[str]:
        """Latin words of two letters or more (after removing markup and mnemonics) not allowed."""
        import re

        plain = re.sub(r"<[^>]*>|&\w+;", " ", text or "").replace("&", "")
        plain = re.sub(r"\b\w+\.(?:json|csv|png|svg|html|md|tex|pdf|onnx|pt|py)\b", " ", plain)
        # A file's path (a recent file's tooltip) is the user's data, not the window's text.
        plain = re.sub(r"(?<![\w/])(?:[A-Za-z]:)?(?:[/\\][\w.~-]+){2,}", " ", plain)
        return [w for w in re.findall(r"[A-Za-z]{2,}", plain) if w not in allowed]

    def texts(self, root: Any) -> list[tuple[str, str]]:
        """(where, text) for every string of `root` and its children: window and dock titles, menus
        and actions (text and tool tip), buttons, labels, group boxes, tabs, placeholders, headers."""
        from PySide6.QtWidgets import (
            QAbstractButton,
            QComboBox,
            QDockWidget,
            QGroupBox,
            QLabel,
            QLineEdit,
            QMenu,
            QTabBar,
            QTableWidget,
            QToolBar,
            QWidget,
        )

        out: list[tuple[str, str]] = []
        widgets = [root, *root.findChildren(QWidget)] if isinstance(root, QWidget) else []
        for w in widgets:
            kind = type(w).__name__
            if isinstance(w, (QDockWidget, QToolBar)):
                out.append((f"{kind} title", w.windowTitle()))
            if isinstance(w, QMenu):
                out.append(("menu", w.title()))
            if isinstance(w, QAbstractButton):
                out.append((f"{kind}", w.text()))
            if isinstance(w, QLabel):
                out.append(("label", w.text()))
            if isinstance(w, QGroupBox):
                out.append(("group box", w.title()))
            if isinstance(w, QTabBar):
                out += [("tab", w.tabText(i)) for i in range(w.count())]
            if isinstance(w, QLineEdit):
                out.append(("placeholder", w.placeholderText()))
            if isinstance(w, QComboBox):
                out += [("combo item", w.itemText(i)) for i in range(w.count())]
            if isinstance(w, QTableWidget):
                for i in range(w.columnCount()):
                    item = w.horizontalHeaderItem(i)
                    out.append(("column header", item.text() if item else ""))
            out.append((f"{kind} tool tip", w.toolTip()))
            for act in QWidget.actions(w):
                out += [("action", act.text()), ("action tool tip", act.toolTip() if act.text() else "")]
        return [(where, text) for where, text in out if text]

    def leftovers(self, root: Any, allowed: frozenset[str] = ALLOWED_LATIN) -> list[str]:
        """Every string of `root` with a Latin word not allowed, as 'where: text'."""
        return sorted({f"{where}: {text!r}" for where, text in self.texts(root) if self.latin(text, allowed)})


@pytest.fixture
def russian(qapp: Any) -> Any:
    """The window in Russian for this test (English again afterwards)."""
    ru = Russian(qapp)
    yield ru
    ru.close()
