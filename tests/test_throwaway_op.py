"""One op record, registered at run time, is all the program needs: the palette lists it, the stepper
explains it, the symbolic form and the worked solution use it, the gradient check checks it. Nothing
else in the code knows the op."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
import pytest
import sympy as sp

import engine
from engine.compile.plan import compile_plan
from engine.ops.registry import NO_SYMBOLIC_FORM, Formula, OpDef, same_shape
from engine.teach.explain import explain
from engine.teach.explanations import explain_current
from engine.teach.stepper import Stepper
from engine.teach.symbolic import symbolic
from graph.document import Document

CUBE = OpDef(
    id="cube_for_test",
    name="Throw-away cube",
    group="Arithmetic",
    doc="y = x³ (registered by a test).",
    inputs=("x",),
    forward=lambda x: np.asarray(x * x * x),
    vjps=(lambda g, xs, y: g * 3.0 * xs[0] * xs[0],),
    shape=same_shape,
    elementwise=True,
    sympy=lambda sp, x: x**3,
    formula=Formula(
        forward="{y} = cube({x})",
        forward_tex=r"{y} = \mathrm{{cube}}({x})",
        local={"x": "∂{y}/∂{x} = 3{x}²"},
        local_tex={"x": r"\frac{{\partial {y}}}{{\partial {x}}} = 3{x}^2"},
    ),
)


@pytest.fixture(params=[CUBE, dataclasses.replace(CUBE, sympy=NO_SYMBOLIC_FORM)], ids=["rule", "no-rule"])
def op(request: pytest.FixtureRequest) -> Iterator[OpDef]:
    with engine.REGISTRY.temporarily(request.param) as registered:
        yield registered
    assert CUBE.id not in engine.REGISTRY


def _doc(x: float = 2.0) -> Document:
    """c = cube(x), the output, at x = 2: c = 8, ∂c/∂x = 3·2² = 12."""
    d = engine.new_document()
    d.add_node("input", "x", value=x)
    d.add_node(CUBE.id, "c")
    d.connect("x", "c", "x")
    return d


@pytest.mark.gui
def test_the_palette_lists_it(op, qtbot):
    pytest.importorskip("PySide6")
    from gui.panels.palette import Palette

    palette = Palette(engine.REGISTRY)
    qtbot.addWidget(palette)
    item = palette.op_items()[op.id]
    assert item.text(0) == "Throw-away cube"
    assert item.parent().text(0) == "Arithmetic"


def test_the_stepper_explains_it(op):
    st = Stepper(compile_plan(_doc()))
    st.step_forward()
    forward = explain_current(st).text()
    assert "c = cube(x)" in forward and "c = cube(2) = 8" in forward
    st.step_backward()
    backward = explain_current(st).text()
    # The local derivative with the nodes' names in place of {y} and {x}: c = cube(x), ∂c/∂x = 3x².
    assert "local derivative of c by x (port x): ∂c/∂x = 3x²" in backward
    assert "∂c/∂x = ∂c/∂c · ∂c/∂x = 1 · 12 = 12" in backward


def test_its_symbolic_form(op):
    result = symbolic(compile_plan(_doc()))
    if op.sympy == NO_SYMBOLIC_FORM:
        assert not result.ok and result.reason == "node 'c': no symbolic form for cube_for_test"
        return
    x = result.symbols["x"]
    assert result.values["c"] == x**3
    assert sp.expand(result.grads["x"] - 3 * x**2) == 0


def test_the_worked_solution_uses_it(op):
    text = explain(_doc(), "md")
    assert r"c = \mathrm{cube}(x)" in text and r"c = \mathrm{cube}(2) = 8" in text
    assert "= 1 \\cdot 12 = 12" in text
    assert ("## Symbolically" in text) == (op.sympy != NO_SYMBOLIC_FORM)


def test_the_gradient_check_checks_it(op):
    (check,) = engine.check(_doc())
    assert check.node == "x" and check.ok and not check.notes
    assert float(check.analytic) == 12.0
    assert float(check.numeric) == pytest.approx(12.0, rel=1e-8)
