"""The window's first paint: from a fresh process's start to the main window's first paint event,
the way `main.py` opens it (QApplication, the language, every panel, the saved layout, show).

Each run is a fresh process (imports are most of the time); the best of --repeat is kept, and the
median shown beside it. Offscreen platform, so no X server is needed; under a real display the
window system adds its own time. Target (issue 9): under 600 ms. One more run under
``python -X importtime`` shows where the time goes: the import time of the big packages loaded by
the first paint, and those it did not load (pyqtgraph comes with the first plot shown, matplotlib
with the first typeset formula, sympy with the first symbolic form).

    .venv/bin/python bench/bench_first_paint.py [--repeat 7] [--lang en|ru]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIG = ("numpy", "networkx", "PySide6", "pyqtgraph", "matplotlib", "sympy")  # packages worth naming

# The child: what gui.app.main does up to the event loop, with an event filter that reports the first
# paint of the window (time.time(), comparable with the parent's clock) and quits.
CHILD = """
import sys, time, tempfile
sys.path.insert(0, {root!r})
from PySide6.QtCore import QEvent, QObject, QSettings, QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication
from gui import i18n
from gui.app import build_window

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(time.time(), flush=True)
            QTimer.singleShot(0, QApplication.quit)
            obj.removeEventFilter(self)
        return False

app = QApplication(sys.argv[:1])
QStandardPaths.setTestModeEnabled(True)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
app.translators = i18n.install(app, {lang!r})
window = build_window(autosave=False)
window.restore_layout()
watch = FirstPaint()
window.installEventFilter(watch)
window.show()
app.exec()
"""


def one_run(lang: str, *options: str) -> tuple[float, str]:
    """Seconds from the start of a fresh process to the window's first paint; the child's stderr."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user runs it: compiled modules cached after the first run
    start = time.time()
    out = subprocess.run(
        [sys.executable, *options, "-c", CHILD.format(root=str(ROOT), lang=lang)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )
    painted = float(out.stdout.strip().splitlines()[-1])
    return painted - start, out.stderr


def big_imports(importtime: str) -> dict[str, float]:
    """Milliseconds importing each of BIG: the own time of its modules (those of shiboken6 counted with
    PySide6), from the output of ``python -X importtime``; a package not imported is left out."""
    found: dict[str, float] = {}
    for m in re.finditer(r"^import time:\s+(\d+) \|\s+\d+ \| \s*(\w+)", importtime, re.MULTILINE):
        name = "PySide6" if m.group(2) == "shiboken6" else m.group(2)
        if name in BIG:
            found[name] = found.get(name, 0.0) + int(m.group(1)) / 1000
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    one_run(args.lang)  # warm: the compiled modules cached, as on every start after the first
    times = [one_run(args.lang)[0] for _ in range(args.repeat)]
    floor = min(_python_floor() for _ in range(args.repeat))
    print(
        f"first paint of the window ({args.lang}): best {min(times) * 1e3:.0f} ms, "
        f"median {statistics.median(times) * 1e3:.0f} ms over {args.repeat} fresh processes "
        f"(target 600 ms; a bare `python -c pass` takes {floor * 1e3:.0f} ms here)"
    )
    found = big_imports(one_run(args.lang, "-X", "importtime")[1])
    loaded = ", ".join(f"{name} {ms:.0f} ms" for name, ms in found.items())
    absent = ", ".join(name for name in BIG if name not in found) or "none"
    print(f"imported before the first paint (one run under -X importtime): {loaded}; not imported: {absent}")


def _python_floor() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
