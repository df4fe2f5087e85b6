"""Screenshot of the main window with a real graph: y = ReLU(x·W1)·W2 with MSE to target 0.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot.py [-o window.png] [--canvas canvas.png]

Writes the whole window (palette, canvas, inspector showing W1, history) and, with --canvas, the
canvas alone as `main.py render` draws it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RELU_NET = {
    "format": "backprop-studio-graph",
    "version": 1,
    "description": "y = ReLU(x·W1)·W2, MSE to target 0",
    "nodes": [
        {"id": "x", "op": "input", "value": [1, 2]},
        {"id": "W1", "op": "parameter", "value": [[1, -1], [0.5, 0]]},
        {"id": "H", "op": "matmul", "label": "h = x·W1"},
        {"id": "A", "op": "relu", "label": "a = ReLU(h)"},
        {"id": "W2", "op": "parameter", "value": [[0.5], [1]]},
        {"id": "Y", "op": "matmul", "label": "y = a·W2"},
        {"id": "t", "op": "constant", "value": 0, "label": "target"},
        {"id": "L", "op": "mse"},
    ],
    "edges": [
        {"source": "x", "target": "H", "port": "a"},
        {"source": "W1", "target": "H", "port": "b"},
        {"source": "H", "target": "A", "port": "x"},
        {"source": "A", "target": "Y", "port": "a"},
        {"source": "W2", "target": "Y", "port": "b"},
        {"source": "Y", "target": "L", "port": "pred"},
        {"source": "t", "target": "L", "port": "target"},
    ],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", default="window.png")
    parser.add_argument("--canvas", help="also write the canvas alone (png or svg)")
    args = parser.parse_args()
    from PySide6.QtCore import QSettings, QStandardPaths
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    QStandardPaths.setTestModeEnabled(True)
    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        from gui.main_window import MainWindow

        graph = Path(tmp) / "relu_net.json"
        graph.write_text(json.dumps(RELU_NET, indent=1))
        window = MainWindow(autosave=False)
        window.resize(1920, 1080)
        window.open_file(str(graph), ask=False)
        window.show()
        for _ in range(5):
            app.processEvents()
        window.scene.select_nodes(["W1"])
        window.view.fit()
        for _ in range(5):
            app.processEvents()
        trace = window.bridge.trace
        print(f"loss {trace.loss if trace else window.bridge.error_message}")
        window.grab().save(args.out)
        print(f"wrote {args.out}")
        if args.canvas:
            window.scene.clearSelection()
            window.export_image(args.canvas)
            print(f"wrote {args.canvas}")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
