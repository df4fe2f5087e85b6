"""The letters of an op's formula that stand for numbers of the node (MSE's s = scale and n, the mean's
n): the formula in symbols keeps the letter, the formula with numbers shows the node's own number."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import op

import engine
from engine.compile.plan import compile_plan
from engine.teach.explanations import explain_current
from engine.teach.formatting import render_tex, render_text
from engine.teach.stepper import Stepper
from graph.document import Document


def _forward(doc: Document, node: str = "L"):
    """The explanation of `node`'s forward step."""
    st = Stepper(compile_plan(doc))
    while st.step_forward() is not None:
        ex = explain_current(st)
        if ex.node == node:
            return ex
    raise AssertionError(f"no forward step of {node}")


def _loss(op_id: str, attrs: dict, pred, target) -> Document:
    d = Document(engine.REGISTRY)
    d.add_node("input", "p", value=pred)
    d.add_node("input", "t", value=target)
    op(d, op_id, "L", attrs, pred="p", target="t")
    return d


@pytest.mark.parametrize(
    "reduction, numbers, value",
    [
        # (0.5/2)·((0.5 − 1)² + (1 − 3)²) = 0.25 · 4.25 = 1.0625, and (0.5/1) · 4.25 = 2.125 for the sum
        ("mean", "L = (0.5/2) Σᵢ", "1.062"),
        ("sum", "L = (0.5/1) Σᵢ", "2.125"),
    ],
)
def test_mse_shows_its_scale_and_count_with_the_numbers(reduction, numbers, value):
    ex = _forward(_loss("mse", {"scale": 0.5, "reduction": reduction}, [0.5, 1.0], [1.0, 3.0]))
    assert render_text(ex.formula.parts).startswith("L = (s/n) Σᵢ (pᵢ − tᵢ)²")
    shown = render_text(ex.numbers.parts, 4)
    assert shown.startswith(numbers) and shown.endswith(f"= {value}")
    assert r"\frac{0.5}{" in render_tex(ex.numbers.parts, 4)
    assert r"\frac{s}{n}" in render_tex(ex.formula.parts)


def test_a_loss_averaged_over_its_elements_shows_their_count():
    ex = _forward(_loss("bce", {}, [[0.5, 0.5, 0.5]], [[1.0, 0.0, 1.0]]))
    assert render_text(ex.numbers.parts, 4).startswith("L = −(1/3) Σᵢ")
    assert render_text(ex.formula.parts).startswith("L = −(1/n) Σᵢ")


def test_the_mean_over_an_axis_shows_the_length_of_that_axis():
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=np.arange(6.0).reshape(2, 3))
    op(d, "mean", "m", {"axis": 1}, x="x")
    op(d, "sum", "total", x="m")
    assert render_text(_forward(d, "m").numbers.parts, 4).startswith("m = (1/3) Σ")
