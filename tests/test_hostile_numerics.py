"""Numerics that hostile or careless inputs used to break (issue 10): memory layout, class indices."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from engine.compile.plan import compile_plan
from engine.compile.trace import NumericError

P = [[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6], [0.7, 0.8]], [[0.9, 1.0], [1.1, 1.2]]]


def _ce_after_transpose(target) -> engine.Document:
    doc = engine.new_document()
    doc.add_node("parameter", "P", value=P)
    doc.add_node("transpose", "Z")
    doc.add_node("constant", "t", value=target)
    doc.add_node("cross_entropy", "L")
    doc.connect("P", "Z", "x")
    doc.connect("Z", "L", "pred")
    doc.connect("t", "L", "target")
    return doc


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def test_cross_entropy_gradient_through_a_transposed_prediction():
    trace = engine.run(_ce_after_transpose([[0, 1], [2, 0]]))
    z = np.transpose(np.array(P))  # (2, 2, 3): the transpose reverses every axis
    # Closed form: ∂L/∂z_row = (softmax(z_row) − onehot(t_row)) / rows, with 4 rows.
    expected = (_softmax(z[0, 0]) - np.array([1.0, 0.0, 0.0])) / 4
    np.testing.assert_allclose(trace.grad("Z")[0, 0], expected, rtol=1e-12)
    np.testing.assert_allclose(trace.grad("Z")[0, 0], [-0.197, 0.07906, 0.11794], atol=5e-6)


@pytest.mark.parametrize("bad", [-1, 0.5, 3])
def test_class_indices_out_of_range_are_refused_naming_the_node(bad):
    with pytest.raises(NumericError) as err:
        engine.run(_ce_after_transpose([[0, 1], [2, bad]]))
    message = str(err.value)
    assert "'L'" in message and "class indices" in message and "0 to 2" in message
    assert "\n" not in message


def test_class_indices_computed_by_an_op_take_no_gradient_and_break_nothing():
    # t → abs → the class-index target: no gradient flows into the target, so abs and t get zeros.
    doc = engine.new_document()
    doc.add_node("parameter", "Z", value=[[1.0, 2.0, 0.5], [0.0, 0.0, 3.0]])
    doc.add_node("constant", "t", value=[2.0, -1.0])
    doc.add_node("abs", "a")
    doc.add_node("cross_entropy", "L")
    doc.connect("t", "a", "x")
    doc.connect("Z", "L", "pred")
    doc.connect("a", "L", "target")
    for stepwise in (True, False):
        trace = compile_plan(doc).run(stepwise=stepwise)
        assert trace.grad("a").tolist() == [0.0, 0.0] and trace.grad("t").tolist() == [0.0, 0.0]
    # ∂L/∂Z = (softmax(Z) − onehot(|t|)) / 2 for the classes 2 and 1.
    z = np.array([[1.0, 2.0, 0.5], [0.0, 0.0, 3.0]])
    expected = np.array([_softmax(z[0]) - [0, 0, 1], _softmax(z[1]) - [0, 1, 0]]) / 2
    np.testing.assert_allclose(trace.grad("Z"), expected, rtol=1e-12)
