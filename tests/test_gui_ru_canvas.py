"""The canvas and the side panels in Russian, where the window walk (tests/test_gui_russian.py) does not
reach: the nodes' headers and tooltips, the edges' tooltips, the palette (Russian names, the English
name in the tooltip, search by either), quick add, the inspector for a selected node, the exercise
panel, the exported picture's legend.

Names that stay Latin in Russian text are the file's identifiers (node ids, op ids, attribute names)
and op names the sheets keep (ALLOWED_LATIN, plus Softplus and logloss, which the engine's catalogue
keeps as they are); each check below allows exactly those."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QComboBox,
    QGraphicsSceneHoverEvent,
    QGroupBox,
    QLabel,
)

import engine  # noqa: E402
from graph.document import Edge  # noqa: E402
from graph.edits import AddNode, Disconnect  # noqa: E402

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[1]
MASHA = ROOT / "examples" / "03_masha_relu_classification.json"
MASHA_IDS = {"yhat"}  # Masha's node ids of two letters or more (x, W1, H, O, W2, p, y, L have fewer)
KEPT_OP_NAMES = {"Softplus", "logloss"}  # op names the engine's Russian catalogue keeps in Latin letters


@pytest.fixture
def masha(russian, open_window):
    """The bare window in Russian with Masha's network open and run."""
    window = open_window(full=False)
    assert window.open_file(str(MASHA), ask=False)
    QApplication.processEvents()
    assert window.bridge.trace is not None
    return window


def _hover(item) -> str:
    """The tooltip an item shows once the mouse is on it (it is written on hover)."""
    item.hoverEnterEvent(QGraphicsSceneHoverEvent(QEvent.Type.GraphicsSceneHoverEnter))
    return item.toolTip()


def test_node_headers_name_the_op_in_russian_short_where_long(masha):
    nodes = masha.scene.nodes
    assert nodes["p"].op_name == "сигмоида"
    assert nodes["W1"].op_name == "параметр" and nodes["x"].op_name == "вход"
    # "матричное умножение (MatMul)" and "бинарная кросс-энтропия (logloss)" do not fit the header:
    # the short names of the worked solution's tables are shown instead.
    assert nodes["H"].op_name == "MatMul" and nodes["L"].op_name == "logloss"
    assert nodes["O"].op_name == "ReLU"


def test_node_port_and_edge_tooltips_are_russian(masha, russian):
    scene = masha.scene
    scene.refresh_labels(None)  # every label shows the trace, in view or not
    node = _hover(scene.nodes["yhat"])
    assert "значение: " in node and "градиент: " in node
    assert russian.latin(node) == ["yhat", "matmul"]  # the title is ŷ; the id and op id stay
    port = _hover(scene.nodes["yhat"].in_ports["a"])
    assert port == "вход a узла ŷ"
    out = _hover(scene.nodes["O"].out_port)
    assert out == "выход узла h"
    edge = scene.edges[Edge("O", "yhat", "a")].full_text()
    lines = edge.splitlines()
    assert lines[0] == "h → ŷ, вход a"
    assert lines[1].startswith("значение: ") and lines[2].startswith("градиент: ")
    assert russian.latin(edge) == []


def test_a_node_that_waits_says_so_in_russian(masha):
    masha.bridge.push(Disconnect("O", "yhat", "a"))
    QApplication.processEvents()
    masha.scene.refresh_labels(None)
    tip = _hover(masha.scene.nodes["p"])
    assert tip.splitlines()[1].startswith("пока не вычислено: ")  # the reason is the bridge's


def test_palette_shows_russian_names_with_the_english_name_in_the_tooltip(russian, qtbot):
    from gui.panels.palette import Palette

    palette = Palette(engine.REGISTRY)
    qtbot.addWidget(palette)
    assert russian.leftovers(palette) == []
    groups = [palette.tree.topLevelItem(i).text(0) for i in range(palette.tree.topLevelItemCount())]
    assert groups == ["Входы и параметры", "Арифметика", "Матрицы", "Функции активации", "Функции потерь"]
    items = palette.op_items()
    assert items["sigmoid"].text(0) == "сигмоида"
    assert items["add"].text(0) == "сложение"
    assert items["relu"].text(0) == "ReLU" and items["mse"].text(0) == "MSE"
    assert items["sigmoid"].toolTip(0).splitlines()[0] == "Sigmoid (sigmoid)"
    assert "входы: x" in items["sigmoid"].toolTip(0).splitlines()
    assert "нет (лист графа: значение задаётся в инспекторе)" in items["parameter"].toolTip(0)
    for op_id, item in items.items():
        assert set(russian.latin(item.text(0))) <= KEPT_OP_NAMES, op_id


def test_a_long_russian_name_takes_two_lines_in_a_narrow_palette(russian, qtbot):
    from gui.panels.palette import Palette

    palette = Palette(engine.REGISTRY)
    qtbot.addWidget(palette)
    palette.resize(190, 600)
    palette.show()
    qtbot.waitExposed(palette)
    item = palette.op_items()["matmul"]
    assert item.text(0).startswith("матричное\n\u2003")  # the lines after the first indented
    assert item.text(0).replace("\n\u2003", " ") == "матричное умножение (MatMul)"
    room = palette.tree.visualItemRect(item).width()
    for line in item.text(0).splitlines():
        assert palette.tree.fontMetrics().horizontalAdvance(line) < room
    palette.resize(600, 600)
    assert item.text(0) == "матричное умножение (MatMul)"


@pytest.mark.parametrize("typed", ["Sigmoid", "sigmoid", "сигм", "СИГМОИДА"])
def test_palette_search_finds_an_op_by_english_name_id_or_russian_name(russian, qtbot, typed):
    from gui.panels.palette import Palette

    palette = Palette(engine.REGISTRY)
    qtbot.addWidget(palette)
    palette.filter.setText(typed)
    shown = {op for op, item in palette.op_items().items() if not item.isHidden()}
    assert shown == {"sigmoid"}


def test_palette_search_by_russian_group_name(russian, qtbot):
    from gui.panels.palette import Palette

    palette = Palette(engine.REGISTRY)
    qtbot.addWidget(palette)
    palette.filter.setText("потерь")
    shown = {op for op, item in palette.op_items().items() if not item.isHidden()}
    assert shown == {op.id for op in engine.REGISTRY if op.group == "Losses"}


def test_quick_add_lists_russian_names_and_finds_english_ones(russian, qtbot):
    from gui.panels.palette import QuickAdd

    quick = QuickAdd(engine.REGISTRY)
    qtbot.addWidget(quick)
    assert russian.leftovers(quick) == []
    texts = [quick.list.item(i).text() for i in range(quick.list.count())]
    assert "сигмоида   (Функции активации)" in texts
    for text in texts:
        assert set(russian.latin(text)) <= KEPT_OP_NAMES, text
    quick.popup_at(quick.pos())
    widest = max(quick.list.fontMetrics().horizontalAdvance(t) for t in texts)
    assert quick.list.viewport().width() > widest  # the popup is as wide as its longest entry
    with qtbot.waitSignal(quick.chosen) as chosen:
        quick.search.setText("MatMul")  # the English name
        quick.accept_current()
    assert chosen.args == ["matmul"]


def test_inspector_hint_counts_selected_nodes_in_russian(masha, russian):
    inspector = masha.inspector
    assert "Выберите узел или ребро." in inspector.widget().findChild(QLabel).text()
    for ids, said in ((["x", "W1"], "Выбрано 2 узла"), (["x", "W1", "H", "O", "W2"], "Выбрано 5 узлов")):
        masha.scene.select_nodes(ids)
        QApplication.processEvents()
        assert inspector.widget().findChild(QLabel).text().startswith(said + "\n")
    assert russian.leftovers(inspector) == []


def test_inspector_of_a_parameter_is_russian_and_its_kinds_still_work(masha, russian):
    masha.scene.select_nodes(["W1"])
    QApplication.processEvents()
    inspector = masha.inspector
    assert russian.leftovers(inspector) == []
    assert [b.title() for b in inspector.findChildren(QGroupBox)] == [
        "Узел", "Значение", "Значение и градиент (по последнему расчёту)"
    ]
    leaf = [inspector.op_combo.itemText(i) for i in range(inspector.op_combo.count())]
    assert leaf == ["вход", "параметр", "константа"] and inspector.op_combo.currentText() == "параметр"
    kinds = [inspector.kind_combo.itemText(i) for i in range(inspector.kind_combo.count())]
    assert kinds == ["скаляр", "вектор", "матрица"] and inspector.kind_combo.currentText() == "матрица"
    # The Russian kind "вектор" keeps the first row of W₁ = [[1, −1], [0.5, 0]].
    inspector.kind_combo.setCurrentIndex(1)
    QApplication.processEvents()
    np.testing.assert_array_equal(masha.bridge.doc.node("W1").value, [1.0, -1.0])
    assert inspector.results.toPlainText().startswith("значение:\n")
    inspector.op_combo.setCurrentIndex(2)
    QApplication.processEvents()
    assert masha.bridge.doc.node("W1").op == "constant"


def test_inspector_of_an_op_with_attributes_labels_them_in_russian(masha, russian):
    masha.bridge.push(AddNode("mse", "m", attrs={"reduction": "sum", "scale": 0.5}))
    masha.scene.select_nodes(["m"])
    QApplication.processEvents()
    inspector = masha.inspector
    labels = [w.text() for w in inspector.widget().findChildren(QLabel)]
    for said in ("Идентификатор", "Подпись", "Операция", "Формула", "Агрегирование", "Множитель"):
        assert said in labels
    assert "MSE (mse)" in labels  # the op's name (MSE stays) and its id in the file
    # What a user reads in the panel (tooltips aside, see below) is Russian but for the identifiers:
    # the op's id and, in its formula (Russian words, see tests/test_gui_ru_review.py), the port names.
    shown = [t for where, t in russian.texts(inspector) if "tool tip" not in where]
    assert sorted({w for t in shown for w in russian.latin(t)}) == ["mse", "pred", "target"]
    reduction = inspector.attr_widgets["reduction"]
    assert isinstance(reduction, QComboBox) and reduction.currentData() == "sum"
    scale = inspector.attr_widgets["scale"]
    assert scale.toolTip().endswith("\nМожно вводить дроби, например 1/2.")
    row_tips = [w.toolTip() for w in inspector.widget().findChildren(QLabel) if w.text() == "Множитель"]
    assert row_tips == ["атрибут scale в файле"]


def test_inspector_names_a_translated_op_without_its_id(masha):
    masha.scene.select_nodes(["H"])
    QApplication.processEvents()
    labels = {w.text(): w for w in masha.inspector.widget().findChildren(QLabel)}
    op = labels["матричное умножение (MatMul)"]
    assert op.toolTip().splitlines()[0] == "MatMul (matmul)"  # the English name and the id


def test_inspector_of_a_sum_shows_the_axis_choice_in_russian(russian, open_window):
    window = open_window(full=False)
    window.bridge.push(AddNode("sum", "s"))
    window.scene.select_nodes(["s"])
    QApplication.processEvents()
    axis = window.inspector.attr_widgets["axis"]
    assert [axis.itemText(i) for i in range(axis.count())] == ["все", "0", "1", "-1"]
    assert axis.currentData() is None


def test_inspector_of_an_edge_is_russian(masha, russian):
    masha.scene.clearSelection()
    masha.bridge.edgeSelected.emit(Edge("x", "H", "a"))
    QApplication.processEvents()
    inspector = masha.inspector
    assert russian.leftovers(inspector) == []
    assert inspector.widget().findChild(QLabel).text() == "Ребро x → H.a"
    text = inspector.results.toPlainText()
    assert text.startswith("значение (прямой проход):\n")
    assert "градиент (обратный проход, ∂L/∂x по этому ребру):" in text


def test_deleting_several_nodes_is_one_russian_undo_step(masha):
    masha.scene.select_nodes(["x", "W1"])
    masha.scene.delete_selection()
    stack = masha.bridge.undo_stack
    assert (stack.text(stack.index() - 1), stack.undoText()) == ("Удаление 2 объектов", "удаление 2 объектов")
    masha.bridge.undo_stack.undo()
    masha.scene.select_nodes(["x", "W1", "H", "O", "W2"])
    masha.scene.delete_selection()
    assert masha.bridge.undo_stack.undoText() == "удаление 5 объектов"


def test_canvas_view_and_minimap_tooltip_are_russian(masha, russian):
    assert russian.leftovers(masha.view) == []
    assert masha.view.minimap.toolTip() == "Обзор: щёлкните или перетащите, чтобы сдвинуть вид"


def test_exercise_panel_is_russian(russian, qtbot):
    from gui.model_bridge import ModelBridge
    from gui.panels.exercise import ExercisePanel

    panel = ExercisePanel(ModelBridge())
    qtbot.addWidget(panel)
    assert russian.leftovers(panel) == []
    assert panel.view.toPlainText().startswith("У этого графа нет текста упражнения.")
    panel.start_editing()
    assert panel.hint.text() == "Правка текста упражнения"
    assert [b.text() for b in (panel.apply_button, panel.cancel_button)] == ["Применить", "Отмена"]
    assert russian.latin(panel.editor.placeholderText()) == []


def test_exported_picture_has_a_russian_legend(masha, tmp_path):
    from gui.canvas.render import export_scene

    svg = export_scene(masha.scene, tmp_path / "masha.svg").read_text(encoding="utf-8")
    assert ">синий: значение (прямой проход)<" in svg
    # The second key is split where the font changes (∂ comes from another font).
    assert ">красный: градиент ∂<" in svg and ">обратный проход)<" in svg


def test_exercise_panel_shows_and_edits_the_description_in_the_windows_language(russian, qtbot):
    from graph.file_format import loads
    from gui.model_bridge import ModelBridge
    from gui.panels.exercise import ExercisePanel

    bridge = ModelBridge()
    doc = loads(
        '{"format": "backprop-studio-graph", "version": 1, "description": "Sheet 4\\n\\nEnglish text", '
        '"descriptions": {"ru": "Листочек 4\\n\\nРусский текст"}, "nodes": [], "edges": []}'
    )
    bridge.set_document(doc, None)
    panel = ExercisePanel(bridge)
    qtbot.addWidget(panel)
    assert "Русский текст" in panel.view.toPlainText() and "English" not in panel.view.toPlainText()
    panel.start_editing()
    panel.editor.setPlainText("Листочек 4\n\nИсправленный текст")
    assert panel.apply_edit()
    assert bridge.doc.description == "Sheet 4\n\nEnglish text"  # the English one is untouched
    assert bridge.doc.extra["descriptions"]["ru"] == "Листочек 4\n\nИсправленный текст"
    bridge.undo_stack.undo()
    assert bridge.doc.extra["descriptions"]["ru"] == "Листочек 4\n\nРусский текст"
    assert "Русский текст" in panel.view.toPlainText()
