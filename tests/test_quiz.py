"""The quiz (engine.teach.quiz): what is asked and hidden, marking, hints, score, CSV, the file.

The graph: L = (x·w + b)² with x = 3, w = 1/4, b = 1/2, η = 0.01. By hand: h = x·w = 0.75,
z = h + b = 1.25, L = z² = 1.5625; ∂L/∂z = 2z = 2.5 = ∂L/∂h = ∂L/∂b; ∂L/∂w = 2.5·x = 7.5;
∂L/∂x = 2.5·w = 0.625; after the update w = 0.25 − 0.01·7.5 = 0.175 and b = 0.5 − 0.01·2.5 = 0.475.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

import engine
from engine.teach.quiz import QuizError, QuizSession, QuizSpec, SetQuiz, asked_keys, hint_text, quiz_spec
from graph.document import Document, Edge
from graph.edits import History
from graph.file_format import dumps, loads
from tests.helpers import op


def affine_square() -> Document:
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=3.0)
    d.add_node("parameter", "w", value=0.25)
    d.add_node("parameter", "b", value=0.5)
    op(d, "mul", "h", a="x", b="w")
    op(d, "add", "z", a="h", b="b")
    op(d, "square", "L", x="z")
    d.set_training({"lr": 0.01})
    return d


def session(hide: list[str], **kw) -> tuple[QuizSession, engine.Trace]:
    doc = affine_square()
    return QuizSession(QuizSpec(tuple(hide), **kw), doc), engine.run(doc)


def test_wildcards_expand_to_computed_values_gradients_and_parameters():
    doc = affine_square()
    assert asked_keys(QuizSpec(("value:*",)), doc) == ["value:h", "value:z", "value:L"]
    assert asked_keys(QuizSpec(("grad:*",)), doc) == ["grad:x", "grad:w", "grad:b", "grad:h", "grad:z"]
    assert asked_keys(QuizSpec(("update:*",)), doc) == ["update:w", "update:b"]
    assert len(asked_keys(QuizSpec(("all",)), doc)) == 10
    # A leaf's value is a given, and a node that is gone is not asked.
    assert asked_keys(QuizSpec(("value:x", "grad:gone", "edge:h>z.a")), doc) == ["edge:h>z.a"]


def test_right_and_wrong_answers_within_the_tolerance():
    s, trace = session(["value:z", "grad:w", "update:b", "edge:h>z.a"], tolerance=0.001)
    assert s.answer("value:z", "1.25", trace).ok
    assert s.answer("grad:w", "15/2", trace).ok
    assert s.answer("update:b", "0.475", trace).ok
    assert s.answer("edge:h>z.a", "2.5", trace).ok
    assert s.answer("value:z", "1.2513", trace).ok is False  # 0.0013 > 0.001 · 1.25
    assert s.answer("value:z", "1.2512", trace).ok  # within 0.001 · 1.25
    assert s.answer("grad:w", "seven", trace).ok is False
    assert s.attempts["value:z"].tries == 3
    assert s.score().summary() == "3 of 4 right, 1 wrong, 0 unanswered"


def test_what_the_displays_hide():
    s, _ = session(["value:h", "grad:z", "edge:x>h.a"])
    assert s.hides_value("h") and not s.hides_value("z")
    assert s.hides_grad("z") and not s.hides_grad("h")
    # z's gradient goes back along its edges as their contributions: those are hidden too.
    assert s.hides_edge_grad(Edge("z", "L", "x"))
    # x feeds only h.a: that edge's contribution is x's total gradient.
    assert s.hides_grad("x") and s.hides_edge_grad(Edge("x", "h", "a"))
    assert not s.hides_edge_grad(Edge("w", "h", "b"))
    s.leave(datetime(2026, 11, 29, 17, 30))
    assert not s.hides_value("h") and not s.hides_grad("z") and not s.hides_edge_grad(Edge("x", "h", "a"))


def test_hints_name_the_formula_not_the_number():
    s, trace = session(["value:h", "grad:w", "edge:h>z.a", "update:w", "grad:h"])
    assert hint_text("value:h", trace) == "h = x · w"
    assert hint_text("edge:h>z.a", trace) == "∂L/∂h = ∂L/∂z · ∂z/∂h"
    assert hint_text("update:w", trace) == "w ← w − η · ∂L/∂w, with η = 0.01"
    for key in s.asked:
        text = s.hint(key, trace)
        assert not any(n in text for n in ("0.75", "7.5", "2.5", "0.175")), text
    s.answer("grad:w", "7.5", trace)
    assert s.score().right_with_hint == 1
    assert "(1 with a hint)" in s.score().summary()
    no_hints, _ = session(["value:h"], hints=False)
    assert no_hints.hint("value:h", trace) == "this quiz gives no hints"
    assert not no_hints.hinted


def test_the_csv_holds_what_was_typed_and_that_quiz_mode_was_left():
    s, trace = session(["value:h", "value:z", "grad:w"])
    s.answer("value:h", "3/4", trace)
    s.answer("value:z", "1.3", trace)
    s.leave(datetime(2026, 11, 29, 17, 30, 5))
    s.answer("grad:w", "7.5", trace)
    rows = list(csv.reader(io.StringIO(s.to_csv())))
    assert rows[0][:6] == ["quantity", "label", "answer", "result", "tries", "hint"]
    # In the document's order (w before h): what was typed, as typed.
    assert rows[1] == ["grad:w", "gradient of w", "7.5", "right", "1", "no", "yes"]
    assert rows[2] == ["value:h", "value of h", "3/4", "right", "1", "no", "no"]
    assert rows[3] == ["value:z", "value of z", "1.3", "wrong", "1", "no", "no"]
    assert ["left quiz mode", "yes", "2026-11-29T17:30:05"] in rows
    assert "1.25" not in s.to_csv()  # the expected numbers are not in it


def test_unanswered_rows_and_never_left():
    s, _ = session(["value:h"])
    rows = list(csv.reader(io.StringIO(s.to_csv())))
    assert rows[1][2:4] == ["", "unanswered"]
    assert ["left quiz mode", "no", ""] in rows


def test_the_quiz_is_kept_in_the_file_and_old_files_load_unchanged():
    doc = affine_square()
    assert quiz_spec(doc) is None
    history = History(doc)
    history.push(SetQuiz(QuizSpec(("grad:*",), 0.01, False)))
    text = dumps(doc)
    again = loads(text, engine.REGISTRY, "<test>")
    assert quiz_spec(again) == QuizSpec(("grad:*",), 0.01, False)
    history.undo()
    assert quiz_spec(doc) is None and "quiz" not in dumps(doc)
    history.redo()
    assert quiz_spec(doc).hide == ("grad:*",)


def test_with_hidden_adds_and_removes():
    spec = QuizSpec(("value:h",)).with_hidden(["grad:z", "value:h"])
    assert spec.hide == ("value:h", "grad:z")
    assert spec.with_hidden(["value:h"], hidden=False).hide == ("grad:z",)


@pytest.mark.parametrize("data", [
    [], {"hide": "value:h"}, {"hide": ["mean:h"]}, {"hide": ["edge:h"]}, {"hide": ["value:"]},
    {"tolerance": -1}, {"tolerance": "a"}, {"hints": "yes"},
])
def test_a_bad_quiz_is_named(data):
    doc = affine_square()
    doc.extra["quiz"] = data
    with pytest.raises(QuizError):
        quiz_spec(doc)
