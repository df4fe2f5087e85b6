"""Formulas typeset by matplotlib's mathtext in the step panel: every op's formulas typeset, what
mathtext cannot read falls back to text, and a formula already drawn is taken from the cache."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import op
from test_names import EXAMPLE_01

import engine
from engine.teach.explanations import _numbers_templates
from engine.teach.formatting import Num, Sym, render_html, render_mathtext, template_parts, tex_name
from graph.document import Document

pytest.importorskip("matplotlib")
pytestmark = pytest.mark.gui


def _only_numbers(shown: str) -> bool:
    """Whether HTML shows nothing but pictures and numbers (the matrices' tables and their shapes):
    no notation fallen back to text."""
    return bool(re.fullmatch(r"[\d.\s×e+-]*", re.sub(r"<[^>]+>|&#8203;", "", shown)))


def _formulas(o) -> list:
    """An op's formulas as the stepper fills them: in symbols (the user's names), with numbers (a 2×2
    matrix on every port), and each local derivative."""
    f = o.formula
    names = {"y": Sym("s", "s"), "L": Sym("L", "L")}
    names.update({p: Sym(n, tex_name(n)) for p, n in zip(o.inputs, ["x", "W1", "ŷ"])})
    nums = {"y": Sym("s", "s")}
    nums.update({p: Num(np.array([[1.0, -2.0], [0.5, 3.0]]), True) for p in o.inputs})
    names.update({k: Sym(letter.text, letter.tex or letter.text) for k, letter in f.letters.items()})
    nums.update({k: Num(4) for k in f.letters})  # MSE's s and n, …: a number in the formula with numbers
    out = [template_parts(f.forward, f.forward_tex, names),
           template_parts(*_numbers_templates(f.forward, f.forward_tex), nums)]
    return out + [template_parts(f.local[p], f.local_tex[p], names) for p in f.local]


@pytest.mark.parametrize("op_id", sorted(o.id for o in engine.REGISTRY))
def test_every_op_formula_typesets(qapp, op_id):
    from gui.panels.typeset import Typesetter

    ts = Typesetter()
    for parts in _formulas(engine.REGISTRY[op_id]):
        tex = render_mathtext(parts)
        picture = ts.picture(tex, 14)
        assert picture is not None, tex
        assert picture.width > 0 and picture.height > 0
        # As the panel shows it (cut where it may wrap, matrices as tables): pictures and the matrices'
        # numbers and shapes only, no notation fallen back to text.
        shown = render_html(parts, 4, lambda piece: ts.html(piece, 14))
        assert "<img" in shown
        assert _only_numbers(shown), shown


def test_what_mathtext_cannot_read_falls_back_to_text(qapp):
    from gui.panels.typeset import Typesetter

    ts = Typesetter()
    assert ts.picture(r"\begin{pmatrix} 1 \end{pmatrix}", 14) is None
    assert ts.html(r"\unknowncommand{x}", 14) is None
    parts = [Sym("∂f/∂x", r"\unknowncommand{x}"), Sym(" = ", " = "), Num(np.asarray(10.0))]
    shown = render_html(parts, 4, lambda tex: ts.html(tex, 14))
    assert shown == "∂f/∂x = 10"
    # A formula that does typeset becomes an image.
    parts = [Sym("x", "x"), Sym(" = ", " = "), Num(np.asarray(1.0))]
    shown = render_html(parts, 4, lambda tex: ts.html(tex, 14))
    assert shown.startswith("<img src='mathtext:")


def test_the_second_render_comes_from_the_cache(qapp):
    from gui.panels.typeset import Typesetter

    ts = Typesetter()
    first = ts.picture(r"\frac{\partial f}{\partial x} = 4x + 3y", 14, 2.0)
    assert ts.cache_info().misses == 1 and ts.cache_info().hits == 0
    again = ts.picture(r"\frac{\partial f}{\partial x} = 4x + 3y", 14, 2.0)
    assert again is first and ts.cache_info().hits == 1 and ts.cache_info().misses == 1
    # Drawn for a pixel ratio of 2: twice as many pixels as its size on screen.
    assert first.image.width() == pytest.approx(2 * first.width, abs=2)
    assert ts.image(first.number) is first.image
    # Another size is another picture.
    ts.picture(r"\frac{\partial f}{\partial x} = 4x + 3y", 20, 2.0)
    assert ts.cache_info().misses == 2


def _panel(qtbot):
    """The window with example 01 open and a step panel."""
    from gui.main_window import MainWindow
    from gui.panels.step_panel import install_step_panel

    w = MainWindow(autosave=False)
    qtbot.addWidget(w)
    assert w.open_file(str(EXAMPLE_01), ask=False)
    return w, install_step_panel(w)


def test_step_panel_typesets_example_01_in_its_labels(qtbot):
    w, panel = _panel(qtbot)
    panel.step_forward()
    assert "<img src='mathtext:" in panel.explanation_html()
    # Example 01's first step is x·x = x · x = 1 · 1 = 1, under the label x·x (id xx).
    text = panel.explanation_text()
    assert text.startswith("Forward step 1 of 6: x·x (Multiply)")
    assert "with numbers: x·x = 1 · 1 = 1" in text
    assert "xx" not in text
    assert [panel.question.itemText(i) for i in range(panel.question.count())] == ["value of x·y"]
    # Stepping back and forth draws nothing new: every formula comes from the cache.
    panel.step_forward()
    misses = panel.typesetter.cache_info().misses
    panel.undo_step()
    panel.step_forward()
    info = panel.typesetter.cache_info()
    assert info.misses == misses and info.hits > 0


def test_every_line_of_a_scalar_graph_is_a_picture(qapp):
    # m = ReLU(a / b) · a at a = 3, b = −2: every formula of every step is typeset, none falls back to
    # text (∂m/∂r = a: the template's "= {a}" after a fraction is no place to cut the TeX).
    from engine.compile.plan import compile_plan
    from engine.teach.explanations import explain_current
    from engine.teach.stepper import Stepper
    from gui.panels.typeset import Typesetter

    d = Document(engine.REGISTRY)
    d.add_node("input", "a", value=3.0)
    d.add_node("input", "b", value=-2.0)
    op(d, "div", "q", a="a", b="b")
    op(d, "relu", "r", x="q")
    op(d, "mul", "m", a="r", b="a")
    ts = Typesetter()
    st = Stepper(compile_plan(d))
    while st.step_backward() is not None:
        for line in explain_current(st).lines():
            if line.parts:
                shown = render_html(line.parts, 4, lambda tex: ts.html(tex, 14))
                assert shown.startswith("<img src='mathtext:"), (line.caption, shown)


def test_matplotlib_waits_for_the_first_formula():
    # Start-up time: neither the engine nor the step panel imports matplotlib until a formula is drawn.
    code = ("import sys, engine, engine.teach.explanations, gui.panels.step_panel; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'")
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr


def test_the_next_step_is_typeset_ahead(qtbot):
    # While the user reads a step, the next one's formulas are drawn into the cache; the stepper is left
    # exactly where it was (the same step, the same numbers).
    from PySide6.QtWidgets import QApplication

    w, panel = _panel(qtbot)
    panel.step_forward()
    QApplication.processEvents()
    st = panel.stepper
    assert st.progress()[0] == 1 and st.current == "xx"
    assert st.values[st.plan.slot["xy"]] is None  # x·y is not computed yet
    misses = panel.typesetter.cache_info().misses
    panel.step_forward()  # x·y = x · y = 1 · 2 = 2: its pictures were drawn ahead
    assert panel.typesetter.cache_info().misses == misses
    assert float(st.values[st.plan.slot["xy"]]) == 2.0


def test_long_formulas_are_cut_where_they_may_wrap():
    from engine.teach.formatting import tex_pieces

    # Before each = + − outside every group; never inside braces or \left…\right.
    assert tex_pieces(r"\frac{\partial f}{\partial x} = 4 x + 3 y") == [
        r"\frac{\partial f}{\partial x}", " = 4 x", " + 3 y"]
    assert tex_pieces(r"a = \left(x + y\right) - \frac{a + b}{2}") == [
        "a", r" = \left(x + y\right)", r" - \frac{a + b}{2}"]
    assert tex_pieces("x") == ["x"]


@pytest.mark.parametrize("path", sorted(EXAMPLE_01.parent.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_typesets_every_line(qapp, path):
    # Each bundled example stepped forward and backward: every formula in its labels is a picture.
    from engine.compile.plan import compile_plan
    from engine.teach.explanations import explain_current
    from engine.teach.stepper import Stepper
    from gui.panels.typeset import Typesetter

    ts = Typesetter()
    st = Stepper(compile_plan(engine.load(path)))
    while st.step_backward() is not None:
        for line in explain_current(st).lines():
            if line.parts:
                shown = render_html(line.parts, 4, lambda tex: ts.html(tex, 14))
                assert _only_numbers(shown), (line.caption, shown)
