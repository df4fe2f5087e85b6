"""The whole window as `main.py` builds it: every panel installed, no shortcut used twice."""

from __future__ import annotations

import pytest
from helpers import shortcuts

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QApplication, QDockWidget  # noqa: E402


@pytest.fixture
def window(open_window):
    return open_window()


def test_every_panel_is_installed(window):
    assert window.step_panel is not None
    docks = {d.windowTitle() for d in window.findChildren(QDockWidget)}
    assert {"Step Through", "Training", "Dataset", "Loss"} <= docks, docks
    texts = [a.text() for a in window.findChildren(QAction)]
    assert any("Unrolled" in t and "RNN" in t for t in texts)


def test_no_shortcut_is_used_twice(window):
    assert shortcuts(window)


def test_examples_open_and_run(window):
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "examples"
    for path in sorted(root.glob("*.json")):
        assert window.open_file(str(path), ask=False), path
        QApplication.processEvents()
        assert window.bridge.trace is not None, (path, window.bridge.problems)
