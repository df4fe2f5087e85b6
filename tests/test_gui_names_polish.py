"""Where a person reads a node's name (canvas tooltips, plot legends) it is the name the step panel
writes: the label, with the id where two nodes share a label; the CSV keeps the ids."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from helpers import op  # noqa: E402
from PySide6.QtCore import QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QGraphicsSceneHoverEvent  # noqa: E402

import engine  # noqa: E402
from graph.document import Document, Edge  # noqa: E402

pytestmark = pytest.mark.gui


def _hover(item) -> str:
    """The tooltip an item shows once the mouse is on it (it is written on hover)."""
    item.hoverEnterEvent(QGraphicsSceneHoverEvent(QEvent.Type.GraphicsSceneHoverEnter))
    return item.toolTip()


@pytest.fixture
def scene(qtbot):
    from gui.canvas.scene import GraphScene
    from gui.model_bridge import ModelBridge
    from gui.settings import Settings

    # Two hidden units both labelled h (ids H1, H2), summed into f.
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=2.0, label="x")
    d.add_node("parameter", "W1", value=3.0, label="W₁")
    d.add_node("mul", "H1", label="h")
    d.add_node("mul", "H2", label="h")
    for node in ("H1", "H2"):
        d.connect("x", node, "a")
        d.connect("W1", node, "b")
    op(d, "add", "f", a="H1", b="H2")
    bridge = ModelBridge()
    bridge.set_document(d, None)
    s = GraphScene(bridge, Settings(memory=True))
    QApplication.processEvents()
    return s


def test_ports_and_edges_name_the_nodes_as_the_step_panel_does(scene):
    assert _hover(scene.nodes["H1"].in_ports["b"]) == "input port b of h (H1)"
    assert _hover(scene.nodes["W1"].out_port) == "output of W₁"  # a label of its own: no id added
    edge = scene.edges[Edge("H2", "f", "b")].full_text()
    assert edge.splitlines()[0] == "h (H2) → f, port b"


def test_the_gradient_norm_legend_names_the_parameters_and_the_csv_keeps_their_ids(qtbot):
    from gui.panels.training.plots import GradNormPlot

    plot = GradNormPlot()
    qtbot.addWidget(plot)
    plot.resize(600, 260)
    plot.show()
    plot.reset(["W1", "b1"], 2, {"W1": "W₁", "b1": "b₁"})
    plot.add([(1.0, 0.5), (0.25, 0.125)])
    plot.flush()
    assert "‖∂L/∂W₁‖" in plot.legend_text() and "‖∂L/∂b₁‖" in plot.legend_text()
    assert "W1" not in plot.legend_text()
    assert plot.csv_rows() == [
        ["update", "grad_norm(W1)", "grad_norm(b1)"],
        [1, "1.0", "0.5"],
        [2, "0.25", "0.125"],
    ]


def test_the_inspector_names_the_gradient_by_the_nodes_labels(scene, qtbot):
    from gui.panels.inspector import Inspector
    from gui.settings import Settings

    inspector = Inspector(scene.bridge, Settings(memory=True))
    qtbot.addWidget(inspector)
    inspector.show_node("W1")
    QApplication.processEvents()
    text = inspector.results.toPlainText()
    # W₁ feeds both h's: its gradient is named by labels, its parts by the consumers' names.
    assert "gradient ∂f/∂W₁:" in text and "∂W1" not in text
    assert "via h (H1).b:" in text and "via h (H2).b:" in text
