"""The training panel, the dataset editor, the symmetry view and Dataset ▸ Generate… in Russian: every
word a user reads is Russian (names such as SGD, Adam, Xavier, CSV excepted: tests/conftest.py
ALLOWED_LATIN), counts take the Russian plural forms, the status line and the undo text of a run are
Russian (the engine's loss names included), and the English window reads as before."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from conftest import ALLOWED_LATIN  # noqa: E402
from PySide6.QtWidgets import QDockWidget, QTableWidgetSelectionRange  # noqa: E402

import engine  # noqa: E402
from graph.file_format import loads  # noqa: E402
from gui.panels.training.generate_dialog import GenerateDialog  # noqa: E402

pytestmark = pytest.mark.gui

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
MOONS, PERCEPTRON = EXAMPLES / "11_two_moons.json", EXAMPLES / "07_perceptron_42.json"
DOCKS = {
    "training": "Обучение",
    "loss": "Функция потерь",
    "activation": "Активация",
    "gradient_norms": "Нормы градиентов",
    "symmetry": "Симметрия",
    "dataset": "Набор данных",
}
# Qt's own Russian catalogue (qtbase_ru) leaves the standard OK button "OK".
WITH_QTS_OK = ALLOWED_LATIN | {"OK"}


def _window(open_window, path: Path):
    window = open_window(full=True, size=(1366, 768))
    assert window.open_file(str(path), ask=False)
    return window


def _menu_titles(window) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]


@pytest.mark.parametrize("path", [MOONS, PERCEPTRON], ids=["two_moons", "perceptron_42"])
def test_the_training_panel_speaks_russian(russian, open_window, path):
    window = _window(open_window, path)
    panel = window.training_panel
    assert russian.leftovers(panel) == []
    assert russian.leftovers(window.dataset_editor) == []
    view = panel.symmetry_view
    view.flush()
    # the view's own words (its PNG/CSV buttons are the plots' module's)
    assert [w.text() for w in (view.summary, view.placeholder) if russian.latin(w.text())] == []
    titles = {key: window.findChild(QDockWidget, f"dock_{key}").windowTitle() for key in DOCKS}
    assert titles == DOCKS
    actions = panel.toolbar_actions()
    assert [a.text() for a in actions] == ["Обучить", "Пауза", "Один шаг", "Стоп"]
    assert [a.toolTip() for a in actions if russian.latin(a.toolTip())] == []


def test_the_settings_show_russian_names_and_keep_the_files_values(russian, open_window):
    window = _window(open_window, MOONS)  # sgd, minibatch, shuffle in the file
    form = window.training_panel.form
    shown = (form.optimizer.currentText(), form.mode.currentText(), form.order.currentText())
    assert shown == ("SGD", "мини-батчи", "случайный")
    form.order.setCurrentIndex(form.order.findText("обратный"))
    assert window.bridge.doc.training["order"] == "reverse"  # the file keeps its own word


def test_the_dataset_menu_stays_before_help_in_russian(russian, open_window):
    window = _window(open_window, PERCEPTRON)
    titles = _menu_titles(window)
    about = window.actions_by_name["about"]
    menus = window.menuBar().actions()
    help_index = next(i for i, a in enumerate(menus) if a.menu() and about in a.menu().actions())
    assert titles.index("&Данные") == help_index - 1


def test_a_step_a_stop_and_a_comparison_report_in_russian(russian, open_window, qtbot):
    window = _window(open_window, PERCEPTRON)
    panel = window.training_panel
    assert panel.status.text() == "готово к обучению"
    assert panel.step_once()
    qtbot.waitUntil(lambda: panel.status.text().startswith("пауза"), timeout=20000)
    # the article's first step: y = 0 before it, L = 42² = 1764; after it y = 44.1, L = 2.1² = 4.41
    losses = "функция потерь на последнем шаге 1764 · средняя функция потерь по набору данных 4.41"
    assert panel.status.text() == f"пауза · эпоха 1/6 · шаг 1/6 · {losses}"
    panel.stop()
    qtbot.waitUntil(lambda: panel.state == "idle", timeout=10000)
    assert panel.status.text() == f"остановлено · эпоха 1/6 · шаг 1/6 · {losses}"
    stack = window.bridge.undo_stack
    assert stack.text(stack.index() - 1) == "Обучение: 1 шаг"  # the History entry
    assert stack.undoText() == "обучение (1 шаг)"  # Правка ▸ Отменить обучение (1 шаг)
    assert panel.run_comparison()
    assert panel.status.text() == "сравниваем «нули» и «Xavier (нормальное)» (6 эпох на каждую) …"
    qtbot.waitUntil(lambda: panel.state == "idle" and bool(panel.comparison), timeout=20000)
    done = panel.status.text()
    assert done.startswith("сравнение готово · средняя функция потерь по набору данных после обучения: нули ")
    assert russian.latin(done) == []


def test_the_training_process_writes_in_the_windows_language(russian):
    import time

    from gui.panels.training.worker import TrainingWorker

    worker = TrainingWorker()
    try:
        worker.send("ping", 1)
        deadline, pong = time.monotonic() + 30, None
        while pong is None and time.monotonic() < deadline:
            pong = next((payload for kind, _, payload in worker.poll() if kind == "pong"), None)
            time.sleep(0.01)
        assert pong is not None and pong["language"] == "ru"
    finally:
        worker.close()


def _remove_rows(editor, count: int) -> str:
    editor.table.clearSelection()
    editor.table.setRangeSelected(QTableWidgetSelectionRange(0, 0, count - 1, 0), True)
    editor.remove_selected_rows()
    return editor.message.text()


def test_removed_rows_are_counted_in_russian(russian, open_window):
    editor = _window(open_window, MOONS).dataset_editor
    said = {n: _remove_rows(editor, n) for n in (1, 2, 5, 21)}
    assert said == {
        1: "удалено 1 наблюдение",
        2: "удалено 2 наблюдения",
        5: "удалено 5 наблюдений",
        21: "удалено 21 наблюдение",
    }


def test_removed_rows_are_counted_in_english_as_before(open_window):
    editor = _window(open_window, MOONS).dataset_editor
    assert [_remove_rows(editor, n) for n in (1, 2)] == ["removed 1 row", "removed 2 rows"]


def test_the_generate_dialog_speaks_russian(russian, qtbot):
    doc = loads(MOONS.read_text(encoding="utf-8"), engine.REGISTRY)
    dialog = GenerateDialog(doc)
    qtbot.addWidget(dialog)
    assert russian.leftovers(dialog, WITH_QTS_OK) == []
    assert dialog.windowTitle() == "Сгенерировать набор данных"
    kinds = [dialog.kind.itemText(i) for i in range(dialog.kind.count())]
    assert "две луны" in kinds and "XOR" in kinds and "плоскость (регрессия)" in kinds
    dialog.kind.setCurrentIndex(kinds.index("XOR"))
    dialog.size.setValue(50)
    edit = dialog.edit()
    assert edit.label == "создание набора «XOR» (точек: 50)"
    edit.apply(doc)
    assert len(doc.dataset["columns"]["x"]) == 50


def test_the_generate_dialog_says_in_russian_what_the_graph_lacks(russian, qtbot):
    doc = loads(PERCEPTRON.read_text(encoding="utf-8"), engine.REGISTRY)
    doc.remove_node("t")  # no input of one number left for the targets
    dialog = GenerateDialog(doc)
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()
    assert russian.leftovers(dialog, WITH_QTS_OK) == []
