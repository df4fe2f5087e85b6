"""The window in Russian: every menu, action, dock title, button and label a user reads is Russian
(names such as ReLU, MSE, SGD, Adam, file formats and keys excepted: tests/conftest.py ALLOWED_LATIN),
and the catalogue is complete (pyside6-lupdate finds nothing unfinished or obsolete)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gui.i18n import translate

ROOT = Path(__file__).resolve().parents[1]
MASHA = ROOT / "examples" / "03_masha_relu_classification.json"


def _show_every_menu(window) -> None:
    """Fill the menus that are built when opened (recent files, examples)."""
    from PySide6.QtWidgets import QMenu

    for menu in window.findChildren(QMenu):
        menu.aboutToShow.emit()


def test_the_russian_window_speaks_russian(russian, open_window, qtbot):
    window = open_window(full=True, size=(1366, 768))
    assert window.open_file(str(MASHA), ask=False)
    window.step_panel.step_forward()
    window.step_panel.step_forward()
    _show_every_menu(window)
    assert russian.leftovers(window) == []


def test_the_english_window_is_unchanged(open_window):
    window = open_window(full=True)
    titles = [m.title() for m in window.menuBar().findChildren(type(window.view_menu))]
    assert "&File" in titles and "&Settings" in titles


def test_plural_forms_follow_russian_rules(russian):
    forms = {n: translate("TrainingPanel", "%n epoch(s)", None, n) for n in (1, 2, 5, 21)}
    assert forms == {1: "1 эпоха", 2: "2 эпохи", 5: "5 эпох", 21: "21 эпоха"}


def test_the_catalogue_is_complete_and_compiled():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update_translations.py"), "--check"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_standard_dialog_buttons_come_from_qts_own_catalogue(russian):
    from PySide6.QtWidgets import QDialogButtonBox

    button = QDialogButtonBox.StandardButton
    box = QDialogButtonBox(button.Save | button.Cancel)
    assert {b.text().replace("&", "") for b in box.buttons()} == {"Сохранить", "Отмена"}


def test_the_engine_writes_in_the_windows_language(russian):
    from engine.i18n import _, current

    assert current() == "ru"
    assert _("Forward pass") == "Прямой проход"


def test_plural_messages_are_declared_where_lupdate_sees_them():
    """pyside6-lupdate reads `Name.tr("%n …", "", n)` as a plural of context `Name`; a `Plural` bound
    to another name, or a count passed to translate(), would lose its plural forms on the next update."""
    import re

    for path in (ROOT / "gui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for name, context in re.findall(r"^(\w+)\s*=\s*Plural\(\"(\w+)\"\)", text, re.M):
            assert name == context, f"{path.name}: {name} = Plural({context!r})"
        assert not re.search(r"translate\([^)]*\"%n", text), f"{path.name}: a count through translate()"


def test_problems_and_refusals_are_said_in_russian(russian, open_window, tmp_path):
    """The graph's problems are raised in English (graph/ has no catalogue); the window shows them in
    the user's language: the red outline's tooltip and the status line."""
    import re

    path = tmp_path / "open.json"
    path.write_text(
        '{"format": "backprop-studio-graph", "version": 1, "nodes": ['
        '{"id": "y", "op": "input", "value": 1.0}, {"id": "m", "op": "mse"}],'
        '"edges": [{"source": "y", "target": "m", "port": "target"}]}',
        encoding="utf-8",
    )
    window = open_window(full=False)
    assert window.open_file(str(path), ask=False)
    problem = window.scene.nodes["m"].problem
    assert problem and re.search("[а-я]", problem) and "not connected" not in problem
    assert "pred" in problem  # the port keeps its name
