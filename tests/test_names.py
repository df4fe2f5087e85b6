"""The user's names: explanations, check-my-answer, symbolic forms and worked solutions speak in the
labels the user gave, never in ids or port names."""

from __future__ import annotations

import re
from pathlib import Path

import sympy as sp
from helpers import op

import engine
from engine.compile.plan import compile_plan
from engine.teach.explain import explain
from engine.teach.explanations import explain_current
from engine.teach.formatting import tex_name
from engine.teach.grading import questions
from engine.teach.names import node_name, node_names, node_symbol
from engine.teach.stepper import Stepper
from engine.teach.symbolic import symbolic
from graph.document import Document

EXAMPLE_01 = Path(__file__).resolve().parent.parent / "examples" / "01_computation_graph.json"


def labelled_f_xy() -> Document:
    """f(x, y) = x² + xy + (x + y)² under the ids a window gives (input1, mul1 …), labelled x, y, f."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "input1", value=1.0, label="x")
    d.add_node("input", "input2", value=2.0, label="y")
    op(d, "mul", "mul1", a="input1", b="input1")
    op(d, "mul", "mul2", a="input1", b="input2")
    op(d, "add", "add1", a="input1", b="input2")
    d.set_label("add1", "s")
    op(d, "mul", "mul3", a="add1", b="add1")
    op(d, "add", "add2", a="mul1", b="mul2")
    op(d, "add", "add3", a="add2", b="mul3")
    d.set_label("add3", "f")
    return d


def _step_to(doc: Document, node: str) -> Stepper:
    """A stepper whose last step was the backward step at `node`."""
    st = Stepper(compile_plan(doc))
    while st.step_backward() is not None:
        if st.current == node:
            return st
    raise AssertionError(f"no backward step at {node}")


def test_example_01_explains_in_its_labels():
    # Example 01 labels its nodes x, y, x·x, x·y, x + y, x² + xy, (x + y)², f (ids xx, xy, s, t, ss).
    # Backward step 5 is x·y = x · y at x = 1, y = 2, with ∂f/∂(x·y) = 1 arriving:
    # ∂(x·y)/∂x = y, so x gets 1 · 2 = 2; ∂(x·y)/∂y = x, so y gets 1 · 1 = 1 and its total is 6 + 1 = 7.
    doc = engine.load(EXAMPLE_01)
    st = Stepper(compile_plan(doc))
    st.run_forward()
    for _ in range(4):
        st.step_backward()
    assert [q.label for q in questions(st)] == [
        "∂f/∂x via x·y, port a", "∂f/∂y via x·y, port b", "∂f/∂y (total)"]
    st.step_backward()
    text = explain_current(st).text()
    assert text.startswith("Backward step 5 of 6: x·y (Multiply)")
    assert "gradient arrived at x·y: ∂f/∂(x·y) = 1" in text
    assert "local derivative of x·y by x (port a): ∂(x·y)/∂x = y" in text
    assert "chain rule into x (port a): ∂f/∂x = ∂f/∂(x·y) · ∂(x·y)/∂x = 1 · 2 = 2" in text
    assert "local derivative of x·y by y (port b): ∂(x·y)/∂y = x" in text
    assert "sum of contributions to y (complete): 6 (via x + y, port b) + 1 (via x·y, port b) = 7" in text
    # The ids of the op nodes appear nowhere.
    words = set(text.replace("(", " ").replace(")", " ").replace(",", " ").split())
    assert not words & {"xx", "xy", "ss", "s", "t"}


def test_example_01_forward_step_and_question_use_labels():
    # Forward step 3 is x + y = 1 + 2 = 3; the next step computes x² + xy (= x·x + x·y = 1 + 2 = 3).
    st = Stepper(compile_plan(engine.load(EXAMPLE_01)))
    for _ in range(3):
        st.step_forward()
    text = explain_current(st).text()
    assert text.startswith("Forward step 3 of 6: x + y (Add)")
    assert "with numbers: x + y = 1 + 2 = 3" in text  # an expression label needs no parentheses first
    assert [q.label for q in questions(st)] == ["value of x² + xy"]


def test_local_derivative_names_the_operands_not_the_ports():
    # s = x + y with inputs labelled x and y (ids input1, input2) and ports a, b: ∂s/∂x = 1, ∂s/∂y = 1,
    # with no "a = x, b = y" legend whose port names clash with the user's x and y.
    st = _step_to(labelled_f_xy(), "add1")
    text = explain_current(st).text()
    assert "local derivative of s by x (port a): ∂s/∂x = 1" in text
    assert "local derivative of s by y (port b): ∂s/∂y = 1" in text
    assert not re.search(r"\(y = |\ba = |\bb = ", text)
    assert "input1" not in text and "add1" not in text
    # mul2 = x·y has no label: its id names it; ∂mul2/∂x = y.
    text = explain_current(_step_to(labelled_f_xy(), "mul2")).text()
    assert "∂mul2/∂x = y" in text and "∂mul2/∂y = x" in text


def test_local_derivative_tex_has_the_operands():
    # The worked solution writes ∂s/∂x = 1 as TeX with the label in place of {y} and {a}.
    md = explain(labelled_f_xy(), "md")
    assert r"\frac{\partial s}{\partial x} = 1" in md
    assert r"\frac{\partial f}{\partial x} = 4 x + 3 y" in md  # the symbolic form, in labels
    assert "| x | input |" in md and "| f | add |" in md  # the tables name nodes by label
    assert "Loss f = 12." in md


def test_symbolic_forms_use_labels():
    # f = x² + xy + (x + y)² = 2x² + 3xy + y²: ∂f/∂x = 4x + 3y, ∂f/∂s = 2s = 2x + 2y.
    r = symbolic(compile_plan(labelled_f_xy()))
    assert r.grad_text("input1") == "∂f/∂x = 4x + 3y"
    assert r.grad_text("add1") == "∂f/∂s = 2x + 2y"
    assert r.value_text("add3") == "f = 2x² + 3x·y + y²"
    x, y = r.symbols["input1"], r.symbols["input2"]
    assert str(x) == "x" and str(y) == "y"
    assert sp.expand(r.grads["input2"] - (3 * x + 2 * y)) == 0


def test_shared_labels_are_told_apart():
    # Two inputs both labelled h: h·h is then h_H1 · h_H2, two symbols, so ∂p/∂h_H1 = h_H2.
    d = Document(engine.REGISTRY)
    d.add_node("input", "H1", value=3.0, label="h")
    d.add_node("input", "H2", value=5.0, label="h")
    op(d, "mul", "p", a="H1", b="H2")
    assert node_names(d) == {"H1": "h (H1)", "H2": "h (H2)", "p": "p"}
    assert node_name(d, "H1") == "h (H1)"
    assert node_symbol(d, "H1").text == "h_H1"
    r = symbolic(compile_plan(d))
    assert r.grad_text("H1") == "∂p/∂h_H1 = h_H2"
    text = explain_current(_step_to(d, "p")).text()
    assert "local derivative of p by h (H1) (port a): ∂p/∂h_H1 = h_H2" in text


def test_an_expression_label_is_parenthesised_in_formulas():
    d = labelled_f_xy()
    d.set_label("add1", "x + y")
    assert node_symbol(d, "add1").text == "(x + y)"
    assert node_symbol(d, "add1").tex == r"\left(x + y\right)"
    assert node_name(d, "add1") == "x + y"
    # A group to a power is one unit already: ∂f/∂(x + y)², not ∂f/∂((x + y)²).
    d.set_label("mul3", "(x + y)²")
    assert node_symbol(d, "mul3").text == "(x + y)²"


def test_labels_in_tex_keep_their_letters():
    # Latin letters stay (LaTeX reads UTF-8 in text); an ellipsis is \ldots; subscript digits subscripts.
    assert tex_name("größe") == r"\text{größe}"
    assert tex_name("L₁…₂") == r"L_{1}\ldots _{2}"
    assert tex_name("x·W₁") == r"x\cdot W_{1}"
