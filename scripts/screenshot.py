"""Screenshots of the window as a new user sees it in the first five minutes, for looking at the layout:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshot.py [-d DIR] [--lang ru]
    .venv/bin/python scripts/screenshot.py --size 1366x768 [-d DIR]       # offscreen, no X server

Writes, into DIR (default: the current folder), with the screen size in each name:
- `empty-WxH.png`: the window as it opens, nothing loaded;
- `example02-WxH.png`: example 02 (Masha's ReLU network) just opened, its exercise text shown, W₁ in
  the inspector;
- `stepping-WxH.png`: example 02 mid-way through stepping (the forward pass done, two backward steps);
- `training-WxH.png`: example 11 (two moons) paused mid-training, the loss plot in front.
With --canvas FILE, also the canvas of example 02 alone as `main.py render` draws it (png or svg).

Under an X server (xvfb-run) the window opens as it would for a user: fitted to the screen's work area.
Without one the offscreen platform is used and the window is set to --size. Preferences and recovery
files go to a temporary folder: the user's own are neither read nor changed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXAMPLES = ROOT / "examples"
TRAINING_UPDATES = 700  # two moons: 1900 updates in all (100 epochs of 19 mini-batches)


def settle(app: Any, rounds: int = 10) -> None:
    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.01)


def raise_dock(window: Any, key: str) -> None:
    """Bring the dock named `key` (its object name without "dock_", whatever the language) to the front."""
    from PySide6.QtWidgets import QDockWidget

    for dock in window.findChildren(QDockWidget):
        if dock.objectName() == f"dock_{key}":
            dock.raise_()


def shoot(app: Any, window: Any, path: Path) -> None:
    settle(app)
    window.grab().save(str(path))
    print(f"wrote {path}")


def open_example(window: Any, name: str) -> None:
    window.open_file(str(EXAMPLES / name), ask=False, as_copy=True)


def stepping(app: Any, window: Any, path: Path) -> None:
    open_example(window, "02_masha_relu_regression.json")
    raise_dock(window, "step_through")
    panel = window.step_panel
    panel.run_forward()
    panel.step_backward()
    panel.step_backward()
    shoot(app, window, path)


def training(app: Any, window: Any, path: Path) -> None:
    open_example(window, "11_two_moons.json")
    raise_dock(window, "training")
    raise_dock(window, "loss")
    panel = window.training_panel
    panel.start()
    deadline = time.monotonic() + 60
    while panel.loss_plot.updates.n < TRAINING_UPDATES and time.monotonic() < deadline:
        settle(app, 1)
    panel.pause()
    while panel.state == "running" and time.monotonic() < deadline:
        settle(app, 1)
    # Small graphs now train faster than the plots redraw (at most every REDRAW_MS, held while the
    # canvas repaints the trained values): let the loss plot catch up before the picture.
    settle(app, 150)
    shoot(app, window, path)
    panel.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--dir", default=".", help="folder for the pictures")
    parser.add_argument("--size", default="1366x768", help="window size without an X server (WxH)")
    parser.add_argument("--canvas", help="also write example 02's canvas alone (png or svg)")
    parser.add_argument("--lang", default="en", help="the window's language (en, ru); in the file names")
    args = parser.parse_args()
    from PySide6.QtCore import QSettings, QStandardPaths
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    QStandardPaths.setTestModeEnabled(True)
    out = Path(args.dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        from gui import i18n
        from gui.app import build_window

        app.translators = i18n.install(app, args.lang)
        window = build_window(autosave=False)
        window.maybe_save = lambda: True
        if QApplication.platformName() == "offscreen":
            width, height = (int(v) for v in args.size.lower().split("x"))
            window.resize(width, height)
            window.arrange_panels()
        window.show()
        settle(app)
        size = f"{window.width()}x{window.height()}" + ("" if args.lang == "en" else f"-{args.lang}")
        shoot(app, window, out / f"empty-{size}.png")
        open_example(window, "02_masha_relu_regression.json")
        window.scene.select_nodes(["W1"])
        shoot(app, window, out / f"example02-{size}.png")
        if args.canvas:
            window.scene.clearSelection()
            window.export_image(args.canvas)
            print(f"wrote {args.canvas}")
        stepping(app, window, out / f"stepping-{size}.png")
        training(app, window, out / f"training-{size}.png")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
