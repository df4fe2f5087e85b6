"""View ▸ Unit Thumbnails on the Canvas (pytest-qt): each hidden unit's map over the input plane under
its node, coloured from the decision boundary's numbers; off removes them; a graph without a plane
(one feature) shows none."""

import json

import numpy as np
import pytest

pytest.importorskip("pytestqt")

import engine  # noqa: E402
from engine.diagnose.boundary import decision_boundary  # noqa: E402
from engine.diagnose.model import Model  # noqa: E402

pytestmark = pytest.mark.gui

MOONS = "examples/11_two_moons.json"
ORANGE, BLUE, WHITE = (0xFF, 0x7F, 0x0E), (0x1F, 0x77, 0xB4), (0xF7, 0xF7, 0xF7)  # as the Boundary tab


@pytest.fixture
def moons_window(qtbot):
    from gui.panels.training.panel import standalone_window

    w, panel = standalone_window(engine.load(MOONS))
    qtbot.addWidget(w)
    w.show()
    yield w
    panel.shutdown()
    w.settings.unit_thumbnails = False  # the settings are the user's: leave them as found


def _thumbs(w, node_id):
    from gui.canvas.thumbnails import thumbnails_of

    return thumbnails_of(w.scene.nodes[node_id])


def _rgb(thumb, column, row):
    c = thumb.pixmap().toImage().pixelColor(int(column), int(row))
    return c.red(), c.green(), c.blue()


def test_each_hidden_unit_shows_its_map_under_its_node(qtbot, moons_window):
    w = moons_window
    toggle = w.actions_by_name["unit_thumbnails"]
    assert not toggle.isChecked() and "two features" in toggle.toolTip()
    toggle.trigger()
    qtbot.waitUntil(lambda: len(_thumbs(w, "h")) == 8, timeout=3000)
    assert all(not _thumbs(w, n) for n in w.scene.nodes if n != "h")  # only the activation node's units

    expected = decision_boundary(Model.create(engine.load(MOONS)), resolution=100).units["h"]
    node = w.scene.nodes["h"]
    for k, thumb in enumerate(_thumbs(w, "h")):
        values = expected[k]
        rows, cols = values.shape
        assert (thumb.pixmap().width(), thumb.pixmap().height()) == (cols, rows)
        box = thumb.sceneBoundingRect()
        assert box.width() == pytest.approx(48) and box.top() >= node.scenePos().y() + node.height
        # values[i, j] is at pixel (j, rows-1-i): y grows upwards on the plane
        i, j = np.unravel_index(np.argmax(np.abs(values)), values.shape)
        assert _rgb(thumb, j, rows - 1 - i) == (ORANGE if values[i, j] > 0 else BLUE)
        i, j = np.unravel_index(np.argmin(np.abs(values)), values.shape)
        assert np.allclose(_rgb(thumb, j, rows - 1 - i), WHITE, atol=12)  # near 0: near white
        i, j = np.unravel_index(np.argmax(values), values.shape)
        r, g, b = _rgb(thumb, j, rows - 1 - i)
        i, j = np.unravel_index(np.argmin(values), values.shape)
        r0, g0, b0 = _rgb(thumb, j, rows - 1 - i)
        assert r > r0 and b < b0  # the largest value is further towards orange than the smallest

    toggle.trigger()
    assert not toggle.isChecked() and not _thumbs(w, "h")


def test_a_graph_with_one_feature_shows_no_thumbnails(qtbot, moons_window, tmp_path):
    w = moons_window
    data = json.loads(open(MOONS, encoding="utf-8").read())
    data["dataset"]["columns"]["x"] = [row[:1] for row in data["dataset"]["columns"]["x"]]
    w1 = next(n for n in data["nodes"] if n["id"] == "W1")
    w1["value"] = w1["value"][:1]
    w1.pop("init")
    path = tmp_path / "one_feature.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    one = engine.load(str(path))
    assert decision_boundary(Model.create(one)).ys is None  # the engine draws curves, not a plane

    w.actions_by_name["unit_thumbnails"].trigger()
    qtbot.waitUntil(lambda: len(_thumbs(w, "h")) == 8, timeout=3000)
    w.bridge.set_document(one, None)
    qtbot.waitUntil(lambda: not _thumbs(w, "h"), timeout=3000)
    qtbot.wait(500)  # a few refreshes later still none
    assert not _thumbs(w, "h")
