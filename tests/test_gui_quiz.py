"""The quiz on the canvas, as a student meets it: a file with a quiz opens with its numbers hidden
everywhere (canvas texts, tooltips, inspector, exported SVG), a click on a blank opens an editor,
answers are marked, the CSV holds what was typed, and leaving quiz mode shows the numbers and is
recorded. The graph and its numbers (worked by hand) are those of tests/test_quiz.py."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QGraphicsSceneHoverEvent,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
)

from engine.teach.quiz import QuizSpec, SetQuiz  # noqa: E402
from graph.file_format import save  # noqa: E402
from graph.values import compact, format_number, full  # noqa: E402
from gui.canvas.quiz import BLANK_COLOR, RIGHT_COLOR, WRONG_COLOR, AnswerEditor  # noqa: E402
from gui.quiz_menu import ask_tolerance, leave_quiz, save_answers  # noqa: E402
from tests.test_quiz import affine_square  # noqa: E402

pytestmark = pytest.mark.gui

# Every hidden number, worked by hand (tests/test_quiz.py): values, gradients, contributions, updates.
HIDDEN = [0.75, 1.25, 1.5625, 2.5, 7.5, 0.625, 0.175, 0.475]
SHOWN = [3.0, 0.25, 0.5]  # the givens: x, w, b


def spellings(x: float) -> set[str]:
    """Every way the program writes x on screen, at the digits the tests use."""
    return {f(x, d) for d in (3, 4, 6) for f in (format_number, compact, full)}


@pytest.fixture
def quiz_window(open_window, tmp_path):
    doc = affine_square()
    doc.extra["quiz"] = QuizSpec(("all", "edge:h>z.a"), 0.001, True).to_data()
    path = tmp_path / "quiz.json"
    save(doc, path)
    w = open_window(full=True, size=(1366, 768))
    assert w.open_file(str(path), ask=False)
    QApplication.processEvents()
    w.view.fit()
    QApplication.processEvents()
    return w


def scene_texts(window) -> list[str]:
    """Every text item of the scene, and every item's tooltip as hovering writes it."""
    scene = window.scene
    scene.refresh_labels(None)
    texts = []
    for item in scene.items():
        if isinstance(item, QGraphicsSimpleTextItem):
            texts.append(item.text())
        elif isinstance(item, QGraphicsTextItem):
            texts.append(item.toPlainText())
        item.hoverEnterEvent(QGraphicsSceneHoverEvent(QEvent.Type.GraphicsSceneHoverEnter))
        texts.append(item.toolTip())
    return texts


def inspector_texts(window) -> list[str]:
    """What the inspector shows for each node and each edge in turn."""
    out = []
    for node in window.bridge.doc.node_ids():
        window.scene.select_nodes([node])
        QApplication.processEvents()
        out += _widget_texts(window.inspector)
    window.scene.clearSelection()
    for edge in window.bridge.doc.edges():
        window.inspector.show_edge(edge)
        out += _widget_texts(window.inspector)
    return out


def _widget_texts(widget) -> list[str]:
    texts = [w.text() for w in widget.findChildren(QLabel)]
    texts += [w.text() for w in widget.findChildren(QLineEdit)]
    return texts + [w.toPlainText() for w in widget.findChildren(QPlainTextEdit)]


def svg_texts(svg: str) -> list[str]:
    """The texts an SVG shows (its coordinates are numbers too, and may look like hidden ones)."""
    return [t for el in ElementTree.fromstring(svg).iter() if el.tag.endswith("text") for t in el.itertext()]


def leaks(texts: list[str], numbers: list[float]) -> list[tuple[str, str]]:
    return [(s, t) for x in numbers for s in spellings(x) for t in texts if s in t]


def test_hidden_numbers_reach_no_text_tooltip_inspector_or_export(quiz_window, tmp_path):
    w = quiz_window
    assert w.scene.quiz.active
    texts = scene_texts(w) + inspector_texts(w) + _widget_texts(w.statusBar())
    assert leaks(texts, HIDDEN) == []
    # The loss is L's value: hidden in the status bar too, which keeps the score.
    assert w.run_status.text() == "✓ L = ? · quiz: 0 of 11 right, 0 wrong, 11 unanswered"
    assert leaks(texts, SHOWN)  # the scan does see numbers: the givens are shown
    assert any("hidden (quiz" in t for t in texts)
    svg = tmp_path / "g.svg"
    assert w.export_image(str(svg))
    words = svg_texts(svg.read_text(encoding="utf-8"))
    assert leaks(words, HIDDEN) == []
    assert leaks(words, SHOWN)  # the SVG writes its texts as text: the scan can find numbers in it


def label_of(window, node: str, which: str):
    """A node's value or gradient text item, up to date (as it is when it comes into view)."""
    window.scene.refresh_labels(None)
    item = window.scene.nodes[node]
    return item.value_item if which == "value" else item.grad_item


def type_answer(qtbot, window, item, text: str) -> None:
    """Click the blank as a student would, type, press Enter."""
    view = window.view
    centre = item.sceneBoundingRect().center()
    view.centerOn(centre)
    QApplication.processEvents()
    pos = view.mapFromScene(centre)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    editor = window.scene.focusItem()
    assert isinstance(editor, AnswerEditor), "a click on a blank opens the editor"
    editor.setPlainText(text)
    editor.keyPressEvent(QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))
    QApplication.processEvents()


def test_answers_are_marked_and_saved_as_typed_then_leaving_is_recorded(quiz_window, qtbot, tmp_path):
    w = quiz_window
    # Stepping through or training would show the numbers: those panels wait until quiz mode is left.
    step_actions = w.step_panel.toolbar_actions() + [w.step_panel.actions["export"]]  # the worked solution
    assert not w.step_panel.isEnabled() and not any(a.isEnabled() for a in step_actions)
    w.bridge.traceChanged.emit(w.bridge.trace)  # whatever the panels do on a new trace
    QApplication.processEvents()
    assert not any(a.isEnabled() for a in step_actions + w.training_panel.toolbar_actions())
    z = label_of(w, "z", "value")
    assert z.text() == "= ?" and z.brush().color() == BLANK_COLOR
    type_answer(qtbot, w, z, "5/4")
    assert z.text() == "= 5/4 ✓" and z.brush().color() == RIGHT_COLOR
    gw = label_of(w, "w", "grad")
    type_answer(qtbot, w, gw, "7")
    assert gw.text() == "∂ 7 ✗" and gw.brush().color() == WRONG_COLOR
    edge = w.scene.edges[next(e for e in w.scene.edges if (e.source, e.target) == ("h", "z"))]
    type_answer(qtbot, w, edge.grad_label, "2.5")
    assert edge.grad_label.text() == "2.5 ✓"
    assert w.run_status.text().endswith("quiz: 2 of 11 right, 1 wrong, 8 unanswered")
    out = tmp_path / "answers.csv"
    assert save_answers(w, str(out))
    rows = {r[0]: r for r in csv.reader(io.StringIO(out.read_text(encoding="utf-8"))) if r}
    assert rows["value:z"][2:4] == ["5/4", "right"]
    assert rows["grad:w"][2:4] == ["7", "wrong"]
    assert rows["edge:h>z.a"][2:4] == ["2.5", "right"]
    assert rows["left quiz mode"][1] == "no"

    leave_quiz(w, ask=False)
    w.scene.refresh_labels(None)  # as they come into view
    assert z.text() == "= 1.25" and gw.text() == "∂ 7.5"
    assert leaks(scene_texts(w), [1.25, 7.5, 0.625])  # the numbers are back
    assert w.step_panel.isEnabled() and any(a.isEnabled() for a in step_actions)
    assert save_answers(w, str(out))
    rows = {r[0]: r for r in csv.reader(io.StringIO(out.read_text(encoding="utf-8"))) if r}
    assert rows["left quiz mode"][1] == "yes"


def test_update_blank_hint_and_teacher_menu(quiz_window):
    w = quiz_window
    blank = w.scene.nodes["w"].update_blank
    assert blank is not None and blank.text().endswith("= ?")
    editor = w.scene.open_answer_editor(blank.sceneBoundingRect().center())
    assert editor is not None and editor.key == "update:w"
    editor.keyPressEvent(QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier))
    assert editor.hint_item.text() == "w ← w − η · ∂L/∂w, with η = 0.01"
    editor.setPlainText("0.175")
    editor.keyPressEvent(QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Enter, Qt.KeyboardModifier.NoModifier))
    QApplication.processEvents()
    assert blank.text().endswith("= 0.175 ✓")
    assert w.scene.quiz.session.score().right_with_hint == 1

    # The teacher's side: each change one undo step; removing the quiz shows every number.
    stack = w.bridge.undo_stack
    w.bridge.push(SetQuiz(None))
    QApplication.processEvents()
    assert label_of(w, "z", "value").text() == "= 1.25"
    assert w.scene.nodes["w"].update_blank is None
    stack.undo()
    QApplication.processEvents()
    assert label_of(w, "z", "value").text() == "= ?"
    w.bridge.push(SetQuiz(None))
    w.scene.select_nodes(["h"])
    w.actions_by_name["quiz_hide_value"].trigger()
    QApplication.processEvents()
    assert w.bridge.doc.extra["quiz"]["hide"] == ["value:h"]
    assert label_of(w, "h", "value").text() == "= ?" and label_of(w, "z", "value").text() == "= 1.25"
    w.actions_by_name["quiz_show_selected"].trigger()
    assert w.bridge.doc.extra["quiz"]["hide"] == []
    w.actions_by_name["quiz_hide_all_grads"].trigger()
    ask_tolerance(w, 0.05)
    w.actions_by_name["quiz_hints"].trigger()
    assert w.bridge.doc.extra["quiz"] == {"hide": ["grad:*"], "tolerance": 0.05, "hints": False}
    assert label_of(w, "w", "grad").text() == "∂ ?"
    for _ in range(3):
        stack.undo()
    assert w.bridge.doc.extra["quiz"]["hide"] == []
    w.actions_by_name["quiz_remove"].trigger()
    assert "quiz" not in w.bridge.doc.extra and w.scene.quiz.session is None


def test_a_page_picture_shows_what_it_is_asked_to_whatever_the_quiz(quiz_window):
    """The answer key's picture (picture_svg with numbers) of a file with a quiz has every number."""
    from gui.canvas.render import picture_svg

    doc = quiz_window.bridge.doc
    assert "quiz" in doc.extra
    words = svg_texts(picture_svg(doc, 4, numbers=True))
    assert leaks(words, [0.75, 1.25, 2.5])
    assert "quiz" in doc.extra  # the window's document keeps its quiz


def test_an_unreadable_quiz_is_ignored_and_replaced_by_the_next_edit(open_window, tmp_path):
    doc = affine_square()
    doc.extra["quiz"] = {"hide": "everything"}
    path = tmp_path / "bad.json"
    save(doc, path)
    w = open_window(full=False)
    messages = []
    w.bridge.statusMessage.connect(messages.append)
    assert w.open_file(str(path), ask=False)
    assert w.scene.quiz.session is None
    assert any("quiz is ignored" in m for m in messages)
    assert label_of(w, "z", "value").text() == "= 1.25"
    w.scene.select_nodes(["z"])
    w.actions_by_name["quiz_hide_value"].trigger()
    assert w.bridge.doc.extra["quiz"]["hide"] == ["value:z"]
    assert label_of(w, "z", "value").text() == "= ?"
