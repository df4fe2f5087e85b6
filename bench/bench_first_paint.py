"""The window's first paint: from a fresh process's start to the main window's first paint event,
the way `main.py` opens it (QApplication, the language, every panel, the saved layout, show).

Each run is a fresh process (imports are most of the time); the best of --repeat is kept, and the
median shown beside it. Offscreen platform, so no X server is needed; under a real display the
window system adds its own time. Target (issue 9): under 600 ms. The child also reports the import
time of the big packages, to show where the time goes.

    .venv/bin/python bench/bench_first_paint.py [--repeat 7] [--lang en|ru]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

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


def one_run(lang: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user runs it: compiled modules cached after the first run
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT), lang=lang)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )
    painted = float(out.stdout.strip().splitlines()[-1])
    return painted - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    one_run(args.lang)  # warm: the compiled modules cached, as on every start after the first
    times = [one_run(args.lang) for _ in range(args.repeat)]
    floor = min(_python_floor() for _ in range(args.repeat))
    print(
        f"first paint of the window ({args.lang}): best {min(times) * 1e3:.0f} ms, "
        f"median {statistics.median(times) * 1e3:.0f} ms over {args.repeat} fresh processes "
        f"(target 600 ms; a bare `python -c pass` takes {floor * 1e3:.0f} ms here)"
    )


def _python_floor() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
