"""The training plots and the diagnostic plots in Russian: axis labels, titles, legends and the texts
around the plots (after a short training of two moons), the diagnostics' docks, the plural forms of
the activation plot's count, and the pictures of ``main.py diagnose --lang ru``."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from conftest import Russian

import engine  # noqa: E402
import engine.i18n  # noqa: E402
import main  # noqa: E402

pytestmark = pytest.mark.gui

MOONS = Path(__file__).resolve().parents[1] / "examples" / "11_two_moons.json"
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
DIAGNOSTIC_DOCKS = {  # object name (the English key, the same in every language) → title shown in Russian
    "dock_boundary": "Граница",
    "dock_landscape": "Ландшафт",
    "dock_lr_range_test": "Подбор скорости обучения",
    "dock_gradient_flow": "Поток градиентов",
}


def _texts_of(plot_item) -> list[str]:
    """The words pyqtgraph draws for a plot: its title and the labels of its axes."""
    texts = [plot_item.titleLabel.text] if plot_item.titleLabel.text else []
    for side in ("bottom", "left"):
        axis = plot_item.getAxis(side)
        if axis.isVisible() and axis.labelText:
            texts.append(axis.labelText)
    return texts


def _plot_items(widget) -> list:
    import pyqtgraph as pg

    return [
        item
        for view in widget.findChildren(pg.GraphicsView)
        for item in view.items()
        if isinstance(item, pg.PlotItem)
    ]


@pytest.fixture
def trained_window(russian, qtbot):
    """A window (in Russian) with two moons trained for two epochs, every diagnostic computed."""
    from gui.panels.training.panel import standalone_window

    w, panel = standalone_window(engine.load(MOONS))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    panel.form.epochs.setValue(2)
    assert panel.start()
    qtbot.waitUntil(lambda: panel.state == "idle", timeout=30000)
    yield w, panel
    panel.shutdown()


def test_training_plots_speak_russian(trained_window, russian):
    w, panel = trained_window
    for plot in (panel.loss_plot, panel.grad_plot, panel.activation_plot):
        plot.flush()
    loss = panel.loss_plot.plot.getPlotItem()
    assert loss.getAxis("bottom").labelText == "шаг"
    assert loss.getAxis("left").labelText == "функция потерь"
    assert panel.grad_plot.plot.getPlotItem().getAxis("bottom").labelText == "шаг"
    legend = panel.loss_plot.legend_text()
    assert "функция потерь на каждом шаге" in legend and "средняя функция потерь за эпоху" in legend
    assert "средняя функция потерь по набору данных после шага 38" in legend  # 2 epochs × 19 batches
    for plot in (panel.loss_plot, panel.grad_plot, panel.activation_plot):
        assert russian.latin(plot.legend_text()) == []
        assert russian.leftovers(plot) == []
        assert all(russian.latin(t) == [] for item in _plot_items(plot) for t in _texts_of(item))


def test_diagnostic_docks_speak_russian(trained_window, russian, qtbot):
    from PySide6.QtWidgets import QDockWidget

    w, _panel = trained_window
    live = w.diagnostics
    live.compute_landscape()
    live.compute_range_test()
    docks = {d.objectName(): d for d in w.findChildren(QDockWidget)}
    for name, title in DIAGNOSTIC_DOCKS.items():
        docks[name].raise_()
        assert docks[name].windowTitle() == title
    docks["dock_boundary"].raise_()
    qtbot.waitUntil(lambda: live.boundary.map is not None, timeout=5000)
    docks["dock_gradient_flow"].raise_()
    qtbot.waitUntil(lambda: live.flow.flow is not None, timeout=5000)
    engine_note = live.flow.note.text()  # the verdict is the engine's text (engine/diagnose)
    for name in DIAGNOSTIC_DOCKS:
        dock = docks[name]
        dock.raise_()
        dock.widget().flush()
        assert [x for x in russian.leftovers(dock) if engine_note not in x] == []
        assert russian.latin(dock.widget().legend_text()) == [] and dock.widget().legend_text()
        texts = [t for item in _plot_items(dock.widget()) for t in _texts_of(item)]
        assert texts and all(russian.latin(t) == [] for t in texts), texts
    # the words themselves: the landscape's axes and the range test's
    landscape = [t for item in _plot_items(live.landscape) for t in _texts_of(item)]
    assert "функция потерь" in landscape and "α (направление 1)" in landscape
    rate = live.range_test.plot.getPlotItem()
    assert rate.getAxis("bottom").labelText == "скорость обучения"


def test_the_activation_count_has_russian_plural_forms(russian, qtbot):
    from gui.panels.training.plots import ActivationPlot

    plot = ActivationPlot()
    qtbot.addWidget(plot)
    plot.set_candidates([("h", "h", "tanh")])
    plot.set_function("tanh", {})
    # tanh′(±10) ≈ 8e-9 < 0.001 (flat); tanh′(0) = 1 (not flat): 2 flat of 6, of 21, of 1
    plot.set_points(np.array([[0.0, 0.0], [10.0, -10.0], [0.5, 3.0]]))
    plot.flush()
    assert plot.info.text() == "2 из 6 взвешенных сумм (3 наблюдения × 2 нейрона) с f′ ≈ 0 (|f′(z)| < 0.001)"
    plot.set_points(np.array([10.0, -10.0] + [0.0] * 19).reshape(21, 1))
    plot.flush()
    assert (
        plot.info.text() == "2 из 21 взвешенной суммы (21 наблюдение × 1 нейрон) с f′ ≈ 0 (|f′(z)| < 0.001)"
    )
    plot.set_points(np.zeros((5, 1)))
    plot.flush()
    assert plot.info.text() == "0 из 5 взвешенных сумм (5 наблюдений × 1 нейрон) с f′ ≈ 0 (|f′(z)| < 0.001)"
    plot.set_points(np.zeros((1, 1)))
    plot.flush()
    assert plot.info.text() == "0 из 1 взвешенной суммы (1 наблюдение × 1 нейрон) с f′ ≈ 0 (|f′(z)| < 0.001)"


def test_diagnose_draws_its_pictures_in_the_language_asked(tmp_path, monkeypatch, qapp):
    from gui.i18n import translate
    from gui.panels.training.plots import PlotPanel

    drawn: list[str] = []
    export = PlotPanel.export_png

    def spy(self, path):
        drawn.append(self.legend_text())
        drawn.extend(t for item in _plot_items(self) for t in _texts_of(item))
        return export(self, path)

    monkeypatch.setattr(PlotPanel, "export_png", spy)
    out = tmp_path / "ru"
    assert main.main(["diagnose", str(MOONS), "--epochs", "1", "-o", str(out), "--lang", "ru"]) == 0
    for name in ("boundary", "landscape", "lr_range_test", "gradient_flow"):
        assert (out / f"{name}.png").stat().st_size > 1000
    assert "функция потерь" in drawn and "скорость обучения" in drawn
    assert any("класс 0" in t and "неверно классифицированы" in t for t in drawn)  # the legend
    assert [t for t in drawn if Russian.latin(t)] == []
    # the window's catalogue was the command's alone: English again afterwards
    assert translate("LiveDiagnostics", "Boundary") == "Boundary"
    assert engine.i18n.current() == "en"
    drawn.clear()
    assert main.main(["diagnose", str(MOONS), "--epochs", "1", "-o", str(tmp_path / "en")]) == 0
    assert "loss" in drawn and not any(CYRILLIC.search(t) for t in drawn)
