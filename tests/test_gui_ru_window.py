"""The main window's own texts in Russian where the walk of tests/test_gui_russian.py does not reach:
its dialogs and message boxes, the undo texts, the examples' descriptions, the language note; and how
the language is chosen at start-up (--lang, then Settings ▸ Language, then the system)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import main as main_module
from graph.edits import AddNode, Connect, MoveNodes, SetAttr, SetDocumentField, SetValue
from gui import i18n

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
from test_recovery import GRAPH_TEXT, ended_pid  # noqa: E402 (the recovery tests' graph and crashed window)


def only_russian(russian, text: str) -> None:
    assert text and russian.latin(text) == [], text


# ----------------------------------------------------------------------------- dialogs and messages
def test_the_message_log_dialog_is_russian(russian, open_window):
    window = open_window(full=False)
    window.statusBar().showMessage("готово")
    dialog = window.messages.show_dialog()
    assert dialog.windowTitle() == "Журнал сообщений"
    assert russian.leftovers(dialog) == []


def test_legend_and_about_are_russian(russian, open_window, dialogs, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window = open_window(full=False)
    window.actions_by_name["legend"].trigger()
    ((kind, title, text),) = dialogs.shown
    assert kind == "information" and title == "Условные обозначения и клавиши"
    only_russian(russian, text)
    assert "Синие числа" in text and "Ctrl+Z" in text  # the shortcuts themselves stay

    about: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: about.append((title, text)))
    window.actions_by_name["about"].trigger()
    ((title, text),) = about
    assert title == "О программе Backprop Studio"
    only_russian(russian, text)


def test_the_recovery_question_is_russian(russian, qtbot, tmp_path, monkeypatch, dialogs):
    import gui.main_window
    from gui.recovery import Autosave

    folder = tmp_path / "recovery"
    monkeypatch.setattr(gui.main_window, "recovery_dir", lambda: folder)
    Autosave(folder, pid=ended_pid()).write(GRAPH_TEXT, None)
    window = gui.main_window.MainWindow(autosave=False)
    qtbot.addWidget(window)
    assert window.offer_recovery(ask=True) is False  # the fixture answers No
    ((kind, title, text),) = dialogs.shown
    assert kind == "question" and title == "Восстановить несохранённую работу?"
    only_russian(russian, text)


def test_unsaved_changes_and_a_file_that_cannot_be_opened_are_said_in_russian(
    russian, open_window, dialogs, tmp_path
):
    window = open_window(full=False)
    window.bridge.push(AddNode("input", "x", value=1.0))
    assert window.new_file() is True  # the fixture discards
    (_kind, title, text) = dialogs.shown[-1]
    assert title == "Несохранённые изменения"
    assert text == "В графе есть несохранённые изменения. Сохранить их?"

    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert window.open_file(str(broken), ask=False) is False
    kind, title, _loader_message = dialogs.shown[-1]
    assert kind == "critical" and title == "Не удалось открыть файл"


def test_the_buttons_of_the_windows_questions_are_russian(russian):
    """Save / Discard / Cancel (unsaved changes) and Yes / No (revert, restore) come from Qt's own
    catalogue, installed beside the window's."""
    from PySide6.QtWidgets import QMessageBox

    button = QMessageBox.StandardButton
    offered = (button.Save, button.Discard, button.Cancel, button.Yes, button.No)
    box = QMessageBox(QMessageBox.Icon.Question, "", "", button.Save | button.Discard | button.Cancel)
    box.setStandardButtons(button.Save | button.Discard | button.Cancel | button.Yes | button.No)
    texts = [box.button(b).text().replace("&", "") for b in offered]
    assert all(text and russian.latin(text) == [] for text in texts), texts  # Qt's words, in Russian
    assert texts[0] == "Сохранить" and texts[3] == "Да"


def test_status_bar_legend_run_status_and_title_are_russian(russian, open_window):
    from PySide6.QtWidgets import QLabel

    window = open_window(full=False)
    labels = [w.text() for w in window.statusBar().findChildren(QLabel)]
    assert any("значение (прямой проход)" in t and "градиент (обратный проход)" in t for t in labels)
    assert window.run_status.text() == "граф пуст"
    assert window.windowTitle().startswith("Без имени")


# ----------------------------------------------------------------------------- undo texts
def test_undo_texts_are_russian_in_the_history_and_in_the_edit_menu(russian, open_window):
    window = open_window(full=False)
    window.bridge.push(AddNode("input", "x", value=1.0))
    stack = window.bridge.undo_stack
    assert stack.text(0) == "Добавление узла input"  # the History's entry
    assert window.actions_by_name["undo"].text() == "&Отменить добавление узла input"
    stack.undo()
    assert window.actions_by_name["redo"].text() == "&Повторить добавление узла input"


def test_undo_texts_in_english_are_the_edits_own_labels():
    from gui.commands import command_text

    edits = [
        AddNode("matmul", "n1"),
        Connect("a", "b", "x"),
        SetValue("x", 2.0),
        SetAttr("n", "alpha", 0.3),
        MoveNodes({"x": (0.0, 0.0)}),
        SetDocumentField("dataset", {}),
        SetDocumentField("description", "text"),
    ]
    assert [command_text(e) for e in edits] == [e.label for e in edits]


# ----------------------------------------------------------------------------- examples and language
def test_the_examples_menu_shows_the_russian_description(russian, open_window):
    example = EXAMPLES / "02_masha_relu_regression.json"
    russian_text = json.loads(example.read_text(encoding="utf-8"))["descriptions"]["ru"]
    window = open_window(full=False)
    assert dict(window.examples())[example] == russian_text
    window.examples_menu.aboutToShow.emit()
    entry = next(a for a in window.examples_menu.actions() if a.toolTip() == russian_text)
    assert entry.text().startswith("02_masha_relu_regression.json — Листочек 4")


def test_the_examples_menu_shows_the_english_description_in_english(open_window):
    example = EXAMPLES / "02_masha_relu_regression.json"
    english_text = json.loads(example.read_text(encoding="utf-8"))["description"]
    window = open_window(full=False)
    assert dict(window.examples())[example] == english_text


def test_the_language_note_is_said_in_the_language_chosen(open_window, dialogs):
    window = open_window(full=False)
    window.actions_by_name["language_ru"].trigger()
    assert window.settings.language == "ru"
    (_kind, _title, text) = dialogs.shown[-1]
    russian_note, english_note = text.split("\n\n")
    assert russian_note == "Новый язык будет применён при следующем запуске Backprop Studio."
    assert english_note == "The new language takes effect when Backprop Studio is started again."


def test_the_language_menu_names_each_language_in_its_own_words(russian, open_window):
    window = open_window(full=False)
    names = {k: a.text() for k, a in window.actions_by_name.items() if k.startswith("language_")}
    assert names == {"language_system": "Как в системе", "language_en": "English", "language_ru": "Русский"}


def test_the_window_accepts_lang_on_the_command_line(monkeypatch):
    import gui.app

    started: list[tuple[str | None, str | None]] = []
    monkeypatch.setattr(gui.app, "main", lambda path=None, lang=None: started.append((path, lang)) or 0)
    assert main_module.main(["--lang", "ru", "graph.json"]) == 0
    assert main_module.main(["graph.json"]) == 0
    assert started == [("graph.json", "ru"), ("graph.json", None)]
    with pytest.raises(SystemExit):
        main_module.main(["--lang", "xx"])


@pytest.mark.parametrize(
    ("command_line", "saved", "system", "chosen"),
    [
        ("en", "ru", "ru_RU.UTF-8", "en"),  # the command line first
        ("ru", "en", "en_US", "ru"),
        (None, "ru", "en_US.UTF-8", "ru"),  # then the saved choice
        (None, "en", "ru_RU", "en"),
        (None, "", "ru_RU.UTF-8", "ru"),  # "System Default" saved: the system's
        (None, None, "de_DE", "en"),  # a language without a catalogue: English
    ],
)
def test_choose_takes_the_command_line_then_the_saved_setting_then_the_system(
    command_line, saved, system, chosen
):
    assert i18n.choose(command_line, saved, system) == chosen


# ----------------------------------------------------------------------------- room at 1366×768
def test_the_russian_menus_and_toolbars_fit_a_laptop_screen(russian, open_window, qtbot):
    """Every menu title in the menu bar and every toolbar button on screen, while Undo and Redo both
    name an edit (nothing pushed into a » menu)."""
    window = open_window(full=True)
    qtbot.wait(20)  # the window has been fitted to the (offscreen, smaller) screen: now make it 1366×768
    window.resize(1366, 768)
    window.arrange_panels()
    bridge = window.bridge
    for text in ("a", "b"):
        bridge.push(SetDocumentField("description", text))
    bridge.undo_stack.undo()  # Undo and Redo both name an edit now
    assert window.actions_by_name["redo"].text() == "&Повторить изменение условия упражнения"
    qtbot.wait(50)
    bar = window.menuBar()
    for act in bar.actions():
        assert bar.rect().contains(bar.actionGeometry(act)), act.text()
    assert window.width() == 1366
    for toolbar in (window.file_toolbar, window.toolbar):
        for act in toolbar.actions():
            button = toolbar.widgetForAction(act)
            if not act.isSeparator() and act.isVisible():
                assert button is not None and button.isVisible(), (
                    f"{act.text()} hidden in {toolbar.windowTitle()}"
                )


def test_toolbar_buttons_read_as_before_in_english(open_window):
    window = open_window(full=False)
    texts = [window.actions_by_name[n].iconText() for n in ("fit", "layout", "show_values", "show_grads")]
    assert texts == ["Fit to View", "Auto Layout", "Show Values", "Show Gradients"]
