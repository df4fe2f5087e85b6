"""Guards against PySide6 6.12.0 on CPython 3.11, which drops a reference to None on every call of a
void Qt method and aborts after a few thousand calls ("deallocating None")."""

import os
import subprocess
import sys
import textwrap
from importlib import metadata

import pytest

try:
    import PySide6
except ImportError as error:  # pragma: no cover - only without the dependencies installed
    pytest.skip(
        f"PySide6 is not importable ({error}); run `make test` to install it", allow_module_level=True
    )

pytestmark = pytest.mark.gui

CALLS = 10_000


def _pyside_version() -> str:
    for distribution in ("PySide6-Essentials", "PySide6"):
        try:
            return metadata.version(distribution)
        except metadata.PackageNotFoundError:
            continue
    return PySide6.__version__


def _release(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def test_pyside6_is_below_6_12():
    version = _pyside_version()
    assert _release(version) < (6, 12), (
        f"PySide6 {version} is installed; 6.12.0 aborts on CPython 3.11 ('deallocating None'). "
        "pyproject.toml pins PySide6-Essentials<6.12: reinstall with `make setup`."
    )


def test_many_void_qt_calls_neither_abort_nor_leak_none():
    # In a child process, so that an abort fails this test instead of killing the whole run.
    code = textwrap.dedent(
        f"""
        import sys
        from PySide6.QtWidgets import QApplication, QWidget

        app = QApplication.instance() or QApplication([])
        widget = QWidget()
        before = sys.getrefcount(None)
        for i in range({CALLS}):
            widget.setWindowTitle("step")
            widget.setEnabled(True)
            widget.resize(100, 80)
        after = sys.getrefcount(None)
        print("refcount-delta", after - before)
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, (
        f"{CALLS} void Qt calls ended with status {result.returncode}:\n{result.stderr[-2000:]}"
    )
    delta = int(result.stdout.split("refcount-delta")[1].split()[0])
    assert abs(delta) < CALLS // 10, f"None's reference count moved by {delta} over {3 * CALLS} void calls"
