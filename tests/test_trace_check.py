"""The trace's NaN/Inf check: one pass over everything, exact when it raises, quiet on finite numbers."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import masha_relu

import engine
from engine.compile.plan import compile_plan
from engine.compile.trace import NumericError
from graph.document import Document


def _log_of(value: np.ndarray | float) -> Document:
    d = Document(engine.REGISTRY)
    d.add_node("parameter", "x", value=value)
    d.add_node("log", "lg")
    d.connect("x", "lg", "x")
    d.add_node("sum", "out")
    d.connect("lg", "out", "x")
    return d


@pytest.mark.parametrize("stepwise", [False, True, None])
@pytest.mark.parametrize("value", [0.0, np.array([1.0, 0.0, 2.0])])
def test_a_non_finite_value_is_named_by_every_kind_of_run(stepwise, value):
    # log(0) = −inf, in a scalar and in a vector: generated, walked and default runs all name lg.
    plan = compile_plan(_log_of(value))
    with pytest.raises(NumericError, match="'lg'") as err:
        plan.run(stepwise=stepwise)
    assert err.value.node == "lg"


def test_finite_numbers_whose_sum_overflows_are_not_an_error():
    # a − b with a = b = 1e308: every number is finite (1e308, 1e308, 0; gradients 1, −1, 1) though
    # their sum is not, so the check must look closer and pass.
    d = Document(engine.REGISTRY)
    d.add_node("parameter", "a", value=1e308)
    d.add_node("parameter", "b", value=1e308)
    d.add_node("sub", "y")
    d.connect("a", "y", "a")
    d.connect("b", "y", "b")
    tr = compile_plan(d).run(stepwise=False)
    assert tr.loss == 0.0
    assert (float(tr.grad("a")), float(tr.grad("b"))) == (1.0, -1.0)


def test_a_nan_gradient_is_found_after_the_values():
    # sqrt(x) at x = 0: value 0 (finite), gradient 1/(2·0) = inf: reported in the backward phase.
    d = Document(engine.REGISTRY)
    d.add_node("parameter", "x", value=np.array([4.0, 0.0]))
    d.add_node("sqrt", "r")
    d.connect("x", "r", "x")
    d.add_node("sum", "out")
    d.connect("r", "out", "x")
    with pytest.raises(NumericError) as err:
        compile_plan(d).run(stepwise=False)
    assert err.value.phase == "backward"


def test_first_and_later_runs_agree_bit_for_bit():
    # The first run is walked, later ones run generated code: the same numbers, as arrays.
    plan = compile_plan(masha_relu())
    first, second = plan.run(), plan.run()
    for a, b in zip(first.value_list + first.grad_list, second.value_list + second.grad_list, strict=True):
        assert isinstance(b, np.ndarray) or np.isscalar(b)
        assert np.array_equal(a, b)
    assert all(isinstance(v, np.ndarray) for v in second.value_list)


def test_an_input_without_a_gradient_gets_zeros_in_the_generated_trace():
    # cross_entropy's class indices take no gradient (its VJP gives None): the trace shows zeros.
    # logits (0, 0) and class 1: L = −log(1/2) = ln 2; ∂L/∂z = softmax − onehot = (0.5, −0.5).
    d = Document(engine.REGISTRY)
    d.add_node("parameter", "z", value=[0.0, 0.0])
    d.add_node("input", "k", value=1.0)
    d.add_node("cross_entropy", "L")
    d.connect("z", "L", "pred")
    d.connect("k", "L", "target")
    tr = compile_plan(d).run(stepwise=False)
    assert np.isclose(tr.loss, np.log(2.0))
    assert tr.grad("z").tolist() == [0.5, -0.5]
    assert float(tr.grad("k")) == 0.0
