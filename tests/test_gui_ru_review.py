"""What a review of the whole Russian window found (a Russian-speaking user going through every menu,
panel and dialog): the undo stack names every edit in Russian, the History entry and the words after
«Отменить» in the Edit menu agreeing in case; Qt's file dialog speaks Russian where Qt's own catalogue
has gaps; the same English term is the same Russian word in the window and in the engine's text;
and a bug met on the way (the landscape after opening another graph)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from gui import i18n

ROOT = Path(__file__).resolve().parents[1]
MASHA = ROOT / "examples" / "02_masha_relu_regression.json"


def _history_and_undo(window) -> tuple[str, str]:
    stack = window.bridge.undo_stack
    return stack.text(stack.index() - 1), stack.undoText()


def test_pasted_nodes_are_named_in_russian_on_the_undo_stack(russian, open_window):
    """graph/'s clipboard names its edit in English ("Paste 1 node"); the History says it in Russian and
    Edit ▸ Undo reads «Отменить вставку узла» (accusative), not «Отменить Вставка …»."""
    window = open_window(full=False)
    assert window.open_file(str(MASHA), ask=False)
    window.scene.select_nodes(["y"])
    window.duplicate()
    assert _history_and_undo(window) == ("Вставка узла", "вставку узла")
    window.scene.select_nodes(["x", "W1"])
    window.duplicate()
    assert _history_and_undo(window) == ("Вставка узлов: 2", "вставку узлов (2)")


def test_the_edit_menus_undo_reads_as_one_russian_phrase(russian, open_window):
    """Every undo name the window makes itself, after «Отменить», starts in lower case."""
    window = open_window(full=False)
    assert window.open_file(str(MASHA), ask=False)
    window.scene.select_nodes(["x", "W1"])
    window.scene.delete_selection()
    assert window.actions_by_name["undo"].text().replace("&", "") == "Отменить удаление 2 объектов"


def test_qts_file_dialog_labels_are_russian(russian, qtbot):
    """Qt 6 renamed the file dialog's labels and Qt's Russian catalogue still has the old ones: ours
    supplies them, so the dialog reads «Папка:», «Имя файла:», «Тип файлов:»."""
    for context, text, disambiguation in i18n.QT_CATALOGUE_GAPS:
        assert russian.latin(QApplication.translate(context, text, disambiguation)) == []
    dialog = QFileDialog(None, "", str(ROOT))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = {label.text() for label in dialog.findChildren(QLabel) if label.text()}
    assert {"&Папка:", "&Имя файла:", "&Тип файлов:"} <= labels


def test_the_quiz_is_a_test_in_the_window_and_in_the_engine(russian):
    """Edit ▸ Тест: the engine's messages about the quiz say «тест» too (not «опрос»)."""
    from engine.i18n import _

    assert _("this quiz gives no hints") == "в этом тесте подсказок нет"
    assert _("Edit quiz") == i18n.translate("EditCommand", "Edit quiz").split("\n")[0] == "Изменение теста"


def test_the_landscape_after_training_one_graph_and_opening_another(open_window, qtbot):
    """Found while going through the window: train example 07, open example 11 and train it, press
    Landscape ▸ Compute: the path drawn is 11's own (07's snapshots, of other parameters, are gone)."""
    import numpy as np

    from engine.train.results import Progress

    window = open_window(full=True)
    live, panel = window.diagnostics, window.training_panel

    def progress(update: int, parameters: dict) -> Progress:
        return Progress(update, 100, 0, 1, 1.0, [1.0], [], [], 0.1, 10.0, parameters)

    assert window.open_file(str(ROOT / "examples" / "07_perceptron_42.json"), ask=False)
    old = {n.id: np.zeros_like(n.value) for n in window.bridge.doc.nodes() if n.op == "parameter"}
    panel.progressed.emit(progress(6, old))
    assert window.open_file(str(ROOT / "examples" / "11_two_moons.json"), ask=False)
    new = {n.id: n.value.copy() for n in window.bridge.doc.nodes() if n.op == "parameter"}
    panel.progressed.emit(progress(19, new))  # the new run's first report: past the old run's end
    live.compute_landscape()
    assert live.landscape.plane is not None and live.landscape.plane.losses.shape == (41, 41)


def test_the_inspectors_formulas_have_no_english_words(russian, open_window):
    """The formula row of the Inspector: the maths as it is, the words in Russian (MSE's note on s and n,
    Leaky ReLU's «при x > 0, иначе»); only names stay Latin (ports, functions such as softplus)."""
    import engine
    from gui.panels.inspector import formula_text

    names = {"pred", "target", "softplus", "erf", "reshape", "beta", "LeakyReLU"}
    for op in engine.REGISTRY:
        if op.formula is not None:
            text = formula_text(op)
            assert [w for w in russian.latin(text) if w not in names] == [], (op.id, text)
    window = open_window(full=False)
    assert window.open_file(str(MASHA), ask=False)
    window.scene.select_nodes(["L"])
    QApplication.processEvents()
    shown = {label.text() for label in window.inspector.findChildren(QLabel)}
    assert "y = (s/n) Σᵢ (predᵢ − targetᵢ)²  (s — множитель; n — число элементов, для суммы n = 1)" in shown


def test_unsaved_changes_offer_not_to_save(russian):
    """Save / Don't save / Cancel as Russian programs say it (Qt's own word is «Отклонить»)."""
    from PySide6.QtWidgets import QDialogButtonBox

    button = QDialogButtonBox.StandardButton
    box = QDialogButtonBox(button.Save | button.Discard | button.Cancel)
    assert {b.text().replace("&", "") for b in box.buttons()} == {"Сохранить", "Не сохранять", "Отмена"}


def test_editing_the_russian_exercise_text_is_named_as_the_english_one(russian, open_window):
    """The History names an edit of the Russian description as it names one of the English one."""
    window = open_window(full=False)
    assert window.open_file(str(MASHA), ask=False)
    window.exercise.start_editing()
    window.exercise.editor.setPlainText("Листочек 4\n\nНовый текст.")
    assert window.exercise.apply_edit()
    assert _history_and_undo(window) == ("Изменение условия упражнения", "изменение условия упражнения")


def test_the_engines_names_of_edits_are_the_windows(russian):
    """The two catalogues name an edit with the same words (the engine's serve the edits the window
    has no template for)."""
    from engine.i18n.errors import translate_edit

    assert translate_edit("Edit description") == i18n.translate("EditCommand", "Edit description")
    assert translate_edit("Move") == i18n.translate("EditCommand", "Move")
