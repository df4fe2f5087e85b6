"""`main.py diagnose` and the diagnostic plots drawn by the window's widgets (offscreen)."""

import json
from pathlib import Path

import numpy as np
import pytest

import engine
import main
from engine.diagnose.boundary import decision_boundary
from engine.diagnose.lr_range import RangeTest
from engine.diagnose.model import Model

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_diagnose_writes_pictures_numbers_and_summary(tmp_path, capsys):
    out = tmp_path / "diag"
    assert main.main(["diagnose", str(EXAMPLES / "11_two_moons.json"), "--epochs", "3", "-o", str(out)]) == 0
    for name in ("boundary", "landscape", "lr_range_test", "gradient_flow"):
        assert (out / f"{name}.png").stat().st_size > 1000
    data = json.loads((out / "report.json").read_text())
    assert len(data["history"]) == 3 * 19  # 300 rows in batches of 16: 19 updates an epoch
    assert data["batched"] is True
    assert np.shape(data["plane"]["losses"]) == (41, 41)
    norms = (out / "gradient_norms.csv").read_text().splitlines()
    assert norms[0] == "update,W1,b1,W2,b2" and len(norms) == 1 + 3 * 19
    summary = (out / "summary.md").read_text()
    assert "Dead or saturated units: none." in summary
    assert "‖∇W1‖ / ‖∇W2‖" in summary and "suggested rate" in summary
    assert "wrote" in capsys.readouterr().out


def test_diagnose_flags_a_dead_unit(tmp_path):
    doc = engine.load(EXAMPLES / "11_two_moons.json")
    b1 = np.zeros(8)
    b1[2] = -100.0  # |x·W1| < 100 on every row: unit 3 of h is inactive everywhere (tanh, not relu)
    doc.node("b1").value = b1
    doc.set_op("h", "relu")
    path = tmp_path / "dead.json"
    engine.save(doc, path)
    assert main.main(["diagnose", str(path), "-o", str(tmp_path / "d")]) == 0
    summary = (tmp_path / "d" / "summary.md").read_text()
    assert "h: unit 2 dead" in summary


@pytest.mark.usefixtures("qapp")
def test_boundary_plot_legend_counts_the_misclassified():
    from gui.panels.training.diagnostics import BoundaryPlot, RangeTestPlot

    model = Model.create(engine.load(EXAMPLES / "11_two_moons.json"))
    bmap = decision_boundary(model, resolution=20)
    plot = BoundaryPlot()
    plot.set_map(bmap)
    plot.flush()
    wrong = int(np.sum((bmap.predicted > 0.5) != bmap.labels))
    assert f"misclassified ({wrong} of 300)" in plot.legend_text()
    assert plot.csv_rows()[1] == [bmap.xs[0], bmap.ys[0], bmap.output[0, 0]]
    rt = RangeTestPlot()
    rt.set_test(RangeTest(np.array([0.1, 1.0]), np.array([2.0, 1.0]), np.array([2.0, 1.5]), 0.05))
    rt.flush()
    assert "suggested rate 0.05" in rt.legend_text()
    assert rt.csv_rows()[1:] == [[0.1, 2.0, 2.0], [1.0, 1.0, 1.5]]


def _dead_relu_doc():
    doc = engine.load(EXAMPLES / "11_two_moons.json")
    b1 = np.zeros(8)
    b1[2] = -100.0
    doc.node("b1").value = b1
    doc.set_op("h", "relu")
    return doc


def test_window_marks_a_dead_unit_on_the_canvas_and_draws_the_boundary(qtbot):
    from gui.panels.training.panel import standalone_window

    w, _panel = standalone_window(_dead_relu_doc())
    qtbot.addWidget(w)
    w.show()
    live = w.diagnostics
    qtbot.waitUntil(lambda: bool(live.notes), timeout=5000)
    item = w.scene.nodes["h"]
    qtbot.waitUntil(lambda: item.problem is not None, timeout=5000)
    assert "unit 2 dead" in item.problem and "z ≤ 0 on every row" in item.problem
    from PySide6.QtWidgets import QDockWidget

    dock = next(d for d in w.findChildren(QDockWidget) if d.windowTitle() == "Boundary")
    dock.raise_()  # its tab chosen: the boundary is computed
    qtbot.waitUntil(lambda: live.boundary.map is not None, timeout=5000)
    assert live.boundary.map.units["h"].shape == (8, 100, 100)
    assert np.all(live.boundary.map.units["h"][2] == 0.0)  # the dead unit is 0 over the whole plane
    live.compute_landscape()
    live.compute_range_test()
    assert live.landscape.plane is not None and live.landscape.plane.losses.shape == (41, 41)
    assert live.range_test.test is not None and len(live.range_test.test.rates) > 0
    w.bridge.blockSignals(True)
    w.bridge.undo_stack.blockSignals(True)
