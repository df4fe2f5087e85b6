"""The plots are built when first shown: the window opens without importing pyqtgraph (its first paint
waits for no plot), showing a plot's dock builds that plot (and only the plots on screen), and what the
training reported before is drawn then."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

import engine  # noqa: E402

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parent.parent
XOR = ROOT / "examples" / "08_xor_3_random_init.json"
FIGURES = r"update (\d+)/\d+ · loss of the last update (\S+) · mean loss over the dataset (\S+)$"

# A fresh process (this one has imported pyqtgraph in other tests): the window as `main.py` builds it,
# the modules loaded then; shown, the plots built once the first redraws have run.
CHILD = """
import json, sys, tempfile, time
sys.path.insert(0, {root!r})
from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication, QDockWidget
from gui.app import build_window


def run_events(seconds, until=lambda: False):
    end = time.monotonic() + seconds
    while time.monotonic() < end and not until():
        app.processEvents()
        time.sleep(0.005)


def plots():
    panel, live = window.training_panel, window.diagnostics
    shown = [panel.loss_plot, panel.grad_plot, panel.activation_plot, panel.symmetry_view]
    shown += [live.boundary, live.landscape, live.range_test, live.flow]
    return {{type(p).__name__: [p.is_built(), p.on_screen()] for p in shown}}


app = QApplication(sys.argv[:1])
QStandardPaths.setTestModeEnabled(True)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
window = build_window(autosave=False)
window.restore_layout()
seen = {{"built": [m for m in ("pyqtgraph", "matplotlib", "sympy") if m in sys.modules]}}
window.show()
run_events(1.0)
seen["shown"] = [plots(), "pyqtgraph" in sys.modules]
{{d.objectName(): d for d in window.findChildren(QDockWidget)}}["dock_loss"].raise_()
run_events(5.0, until=window.training_panel.loss_plot.is_built)
run_events(0.5)
seen["loss"] = [plots(), "pyqtgraph" in sys.modules]
print(json.dumps(seen))
"""


def test_the_window_opens_without_pyqtgraph_and_showing_the_loss_dock_builds_its_plot():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT))],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["built"] == []  # no plot, no pictures of formulas (matplotlib), no sympy
    # shown in the default layout: the plots' tabs are behind the Exercise tab, none is built
    plots, imported = seen["shown"]
    assert plots == {name: [False, False] for name in plots} and len(plots) == 8
    assert not imported
    plots, imported = seen["loss"]
    assert plots.pop("LossPlot") == [True, True] and imported
    assert plots == {name: [False, False] for name in plots}  # the others are still behind their tabs


@pytest.fixture
def hidden_window(qtbot):
    """The training installed in a main window that is not shown yet (XOR, batch mode)."""
    from gui.panels.training.panel import standalone_window

    w, panel = standalone_window(engine.load(XOR))
    qtbot.addWidget(w)
    yield w, panel
    panel.shutdown()
    w.bridge.undo_stack.blockSignals(True)
    w.bridge.blockSignals(True)


def test_progress_reported_before_the_dock_is_shown_is_drawn_when_it_is(qtbot, hidden_window):
    from gui.panels.training.plots import REDRAW_MS

    w, panel = hidden_window
    loss = panel.loss_plot
    assert panel.step_once()
    qtbot.waitUntil(lambda: panel.status.text().startswith("paused"), timeout=15000)
    assert loss.updates.n == 1
    qtbot.wait(2 * REDRAW_MS)
    assert not loss.is_built()  # nothing on screen: the data waits
    n, last, _mean = re.search(FIGURES, panel.status.text()).groups()
    assert n == "1"
    w.show()
    qtbot.waitUntil(loss.is_built, timeout=5000)  # importing pyqtgraph, the first time, on a busy machine
    qtbot.waitUntil(lambda: f"loss of each update (last {last})" in loss.legend_text(), timeout=3 * REDRAW_MS)
    x, y = loss.curve.getData()
    assert list(x) == [1.0]  # the first update's loss, at update 1
    assert 10 ** y[0] == pytest.approx(float(last), rel=1e-5)  # a log axis: pyqtgraph holds log10(loss)
    assert loss.placeholder_text() is None


def test_asking_for_a_plots_item_builds_it(qtbot):
    from gui.panels.training.plots import LossPlot

    plot = LossPlot()
    qtbot.addWidget(plot)
    plot.add([0.5, 0.25, 0.125], [], 3)
    assert not plot.is_built()
    x, _y = plot.curve.getData()  # built, not drawn: it is not on screen
    assert plot.is_built() and (x is None or len(x) == 0)
    plot.flush()
    assert list(plot.curve.getData()[0]) == [1.0, 2.0, 3.0]
    with pytest.raises(AttributeError):
        plot.no_such_item  # noqa: B018 - only the plot's own items build it
