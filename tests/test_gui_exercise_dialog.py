"""File ▸ Make Exercise Variants… (gui/dialogs/exercise_dialog.py): the window's `main.py exercise`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from gui.dialogs.exercise_dialog import ExerciseDialog  # noqa: E402

EXAMPLE = Path(__file__).parent.parent / "examples" / "02_masha_relu_regression.json"


@pytest.fixture
def window(qtbot):
    from gui.app import build_window

    w = build_window(autosave=False)
    qtbot.addWidget(w)
    assert w.open_file(str(EXAMPLE), ask=False)
    return w


def test_file_menu_offers_the_dialog(window):
    action = window.actions_by_name["exercise_variants"]
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "File")
    assert action in file_menu.actions() and action.text().replace("&", "") == "Make Exercise Variants…"


def test_dialog_writes_the_variants_of_the_open_graph(window, tmp_path, dialogs):
    from gui.canvas.render import picture_svg

    dialog = ExerciseDialog(window.bridge.doc, picture_svg, str(tmp_path / "out"), window)
    dialog.count.setValue(3)
    dialog.seed.setValue(5)
    dialog.find["values"].setChecked(False)
    dialog.markdown.setChecked(False)
    dialog.accept()
    out = tmp_path / "out"
    answers = json.loads((out / "answers.json").read_text())
    assert len(answers["variants"]) == 3 and answers["find"] == ["gradients", "updates"]
    assert {a["kind"] for a in answers["variants"][0]["answers"]} == {"gradient", "update"}
    assert "<svg" in (out / "variant_03_sheet.html").read_text() and not list(out.glob("*.md"))
    assert "Wrote 3 variants (exact answers)" in dialogs.texts("information")[0]


def test_dialog_says_what_is_missing_and_stays_open(window, dialogs):
    dialog = ExerciseDialog(window.bridge.doc, None, "", window)
    dialog.accept()
    assert "output folder" in dialogs.texts("warning")[0]
    assert dialog.result() != dialog.DialogCode.Accepted


def test_the_sheets_picture_shows_the_given_numbers_only(qtbot):
    import re

    import engine
    from gui.canvas.render import picture_svg

    doc = engine.load(EXAMPLE)  # x = (1, 2), W₁ = [[1, −1], [0.5, 0]]: x·W₁ = (2, −1), ŷ = 1, L = 1
    given = re.findall(r">([^<]+)</text>", picture_svg(doc, numbers=False))
    solved = re.findall(r">([^<]+)</text>", picture_svg(doc, numbers=True))
    assert "= (1, 2)" in given and "= [[1, -1], [0.5, 0]]" in given
    assert "= (2, -1)" in solved and "= (2, -1)" not in given
    assert not [t for t in given if t.startswith("∂")]  # no gradient either
