"""The Step Through panel and the dialogs around it in Russian (issue 13): the status line, the engine's
explanation, check-my-answer, the worked-solution export, the RNN builder, the exercise variants and the
PyTorch/ONNX import and export say everything in Russian (tests/conftest.py ALLOWED_LATIN excepted).

The numbers are Masha's regression network (examples/02): x = (1, 2), W₁ = [[1, −1], [0.5, 0]], so
x·W₁ = (1·1 + 2·0.5, 1·(−1) + 2·0) = (2, −1); four nodes forward (x·W₁, h, ŷ, L) and four backward.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QFileDialog, QInputDialog  # noqa: E402

import engine  # noqa: E402

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[1]
MASHA = ROOT / "examples" / "02_masha_relu_regression.json"


@pytest.fixture
def masha(russian, open_window):
    """The full Russian window with Masha's regression network open."""
    window = open_window(full=True, size=(1366, 768))
    assert window.open_file(str(MASHA), ask=False)
    return window


def _saving_to(monkeypatch, path: Path, asked: list) -> None:
    def ask(parent, title, name, filters, *rest):
        asked.append((title, filters))
        return str(path), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)


def test_the_status_and_the_explanation_mid_stepping_are_russian(russian, masha):
    panel = masha.step_panel
    assert panel.status.text().startswith("Пошаговый проход не начат")
    panel.run_forward()
    panel.step_backward()
    panel.step_backward()
    status = panel.status.text()
    assert status.startswith("Шаг 6 из 8 · обратный проход · далее: ")
    text = panel.explanation_text()
    assert text.startswith("Обратный проход, шаг 2 из 4: ŷ")
    assert "цепное правило" in text and russian.latin(text) == []
    assert russian.leftovers(panel) == []


def test_the_russian_panel_fits_its_dock_at_1366(russian, masha):
    """The right-hand docks get at most RIGHT_SHARE of the window's width: the longer Russian buttons
    must not make the panel wider than that (it would scroll sideways, its right edge cut off)."""
    from gui.layout import RIGHT_SHARE

    panel = masha.step_panel
    panel.run_forward()
    assert panel.minimumSizeHint().width() <= int(1366 * RIGHT_SHARE)


def test_check_my_answer_answers_in_russian(russian, masha):
    panel = masha.step_panel
    assert panel.question.currentText().startswith("значение")
    panel.answer.setText("2 -1")
    assert panel.check_answer() is True
    assert "верно" in panel.verdict.text() and "неверно" not in panel.verdict.text()
    panel.answer.setText("2 1")
    assert panel.check_answer() is False
    assert "неверно" in panel.verdict.text() and "(2, -1)" in panel.verdict.text()
    assert panel.score_label.text() == "За сеанс: верно 1, неверно 1 из 2"
    assert russian.leftovers(panel) == []


def test_after_the_update_the_panel_says_so_in_russian(russian, masha):
    panel = masha.step_panel
    panel.lr.setValue(1.0)
    panel.apply_update()
    shown = panel.text.toPlainText()
    assert "Новые значения записаны в граф" in shown
    stack = masha.bridge.undo_stack
    assert stack.text(stack.index() - 1).startswith("Обновление параметров (η = 1)")
    assert stack.undoText().startswith("обновление параметров (η = 1)")


def test_the_worked_solution_exports_in_russian(russian, masha, tmp_path, monkeypatch):
    asked: list = []
    out = tmp_path / "solution.md"
    _saving_to(monkeypatch, out, asked)
    masha.step_panel.actions["export"].trigger()
    (title, filters), = asked
    assert title == "Экспорт решения" and "HTML-страница (*.html)" in filters.split(";;")
    assert russian.latin(title + " " + filters) == []
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Решение: 02_masha_relu_regression.json")
    assert "Прямой проход" in text and "Обратный проход" in text
    assert masha.step_panel.status.text() == f"Записан файл {out}"


def test_a_filter_chosen_without_an_ending_picks_the_format(russian, masha, tmp_path, monkeypatch):
    out = tmp_path / "solution"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda _p, _t, _n, filters, *r: (
        str(out), filters.split(";;")[1]))  # the LaTeX one, whatever its words
    masha.step_panel.export_dialog()
    assert "\\begin{document}" in out.read_text(encoding="utf-8")


def test_the_rnn_dialog_is_russian_and_still_builds_by_op_id(russian, qtbot):
    from gui.dialogs.rnn_dialog import RnnDialog

    dialog = RnnDialog(registry=engine.REGISTRY)
    qtbot.addWidget(dialog)
    assert russian.leftovers(dialog) == []
    assert dialog.options()["activation"] == "tanh" and dialog.options()["loss"] == "mse"
    dialog.loss.setCurrentIndex(dialog.loss.findData("bce"))
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled() and "сигмоида" in dialog.summary.text()
    assert russian.leftovers(dialog) == []
    dialog.output_activation.setCurrentIndex(dialog.output_activation.findData("sigmoid"))
    assert ok.isEnabled() and dialog.summary.text().startswith("Узлов: около ")
    dialog.steps.setValue(3)
    doc = dialog.document()
    assert len(doc.consumers_of("W")) == 3


def test_the_rnn_entry_finds_a_file_menu_titled_in_russian(russian, open_window):
    from gui.dialogs.rnn_dialog import ACTION_TEXT, install_rnn_action, load_rnn

    window = open_window(full=False)
    file_menu = window.examples_menu.menuAction().associatedObjects()[0]
    file_menu.setTitle("&Файл")
    action = install_rnn_action(window)
    items = file_menu.actions()
    assert items.index(action) == items.index(window.examples_menu.menuAction()) + 1
    assert action.text() != ACTION_TEXT and russian.latin(action.text() + action.statusTip()) == []

    from gui.dialogs.rnn_dialog import RnnDialog

    dialog = RnnDialog(window, engine.REGISTRY)
    dialog.steps.setValue(2)
    assert load_rnn(window, dialog)
    assert window.statusBar().currentMessage() == "построена RNN, развёрнутая по времени (T = 2)"


def test_the_exercise_dialog_is_russian(russian, masha, dialogs, tmp_path):
    from gui.dialogs.exercise_dialog import ExerciseDialog

    dialog = ExerciseDialog(masha.bridge.doc, None, "", masha)
    assert russian.leftovers(dialog) == []
    dialog.accept()
    assert dialogs.shown[-1][1:] == ("Варианты упражнения", "Выберите папку и хотя бы один формат.")
    dialog.folder.setText(str(tmp_path / "out"))
    dialog.count.setValue(2)
    dialog.accept()
    kind, title, text = dialogs.shown[-1]
    assert kind == "information" and text.startswith("Записано вариантов: 2 (ответы ")
    assert russian.latin(text.split(", папка:")[0]) == []


def test_the_model_export_dialogs_are_russian(russian, masha, tmp_path, monkeypatch):
    from gui.dialogs.interop_dialog import export_model

    asked: list = []
    _saving_to(monkeypatch, tmp_path / "model.py", asked)
    assert export_model(masha, "pytorch")
    _saving_to(monkeypatch, tmp_path / "missing" / "model.onnx", asked)
    errors: list = []
    masha.errorShown.connect(lambda title, message: errors.append(title))
    assert not export_model(masha, "onnx")
    assert asked[0] == ("Экспорт в код PyTorch", "Скрипт Python (*.py)")
    assert asked[1] == ("Экспорт в модель ONNX", "Модель ONNX (*.onnx)")
    assert errors == ["Не удалось экспортировать граф"]


def test_the_model_import_dialogs_are_russian(russian, masha, dialogs, tmp_path, monkeypatch):
    from gui.dialogs.interop_dialog import import_model_dialog

    asked: list = []

    def open_file(parent, title, folder, filters, *rest):
        asked.append(title + " " + filters)
        return str(tmp_path / "net.py"), ""

    def class_name(parent, title, label, *rest):
        asked.append(title + " " + label)
        return "Net", True

    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_file)
    monkeypatch.setattr(QInputDialog, "getText", class_name)
    assert not import_model_dialog(masha)  # the question is answered No: nothing runs
    (kind, title, text), = dialogs.shown
    assert (kind, title) == ("question", "Выполнить этот файл?") and text.startswith("При импорте net.py ")
    assert asked[0].startswith("Импорт модели Модели (*.onnx *.py *.pt *.pth)")
    assert asked[1] == "Импорт модуля PyTorch Имя класса в файле:"
    assert [russian.latin(t) for t in (*asked, title, text.replace("net.py", ""))] == [[]] * 4
