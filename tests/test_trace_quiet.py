"""The generated trace runs with numpy's floating-point warnings off, whatever the caller's numpy error
state, leaves that state as it was, and still names the node where a number overflowed."""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest

import engine
from engine.compile.plan import compile_plan
from engine.compile.trace import NumericError
from graph.document import Document


def _overflowing(x: float) -> Document:
    # L = sum(exp(x)): exp(1000) overflows to inf in the node "e"
    d = Document(engine.REGISTRY)
    d.add_node("parameter", "x", value=np.full(12, x))
    d.add_node("exp", "e")
    d.connect("x", "e", "x")
    d.add_node("sum", "L")
    d.connect("e", "L", "x")
    return d


def _message(plan, **kw) -> str:
    with pytest.raises(NumericError) as caught:
        plan.run(**kw)
    return str(caught.value)


@pytest.mark.parametrize("state", ["raise", "warn"])
def test_the_generated_trace_ignores_the_callers_error_state_and_keeps_it(state):
    plan = compile_plan(_overflowing(1000.0))
    walked = _message(plan, stepwise=True)
    assert "'e'" in walked and "inf" in walked
    with np.errstate(all=state), warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _message(plan, stepwise=False) == walked
        assert np.geterr()["over"] == state
        with pytest.raises(FloatingPointError if state == "raise" else RuntimeWarning):
            np.exp(np.array([1000.0]))  # the caller's own numpy calls keep their state


def test_the_generated_trace_runs_in_several_threads():
    plan = compile_plan(_overflowing(1.0))
    expected = np.exp(1.0) * 12
    results: list[float] = []

    def work() -> None:
        for _ in range(50):
            results.append(plan.run(stepwise=False).loss)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == pytest.approx([expected] * 200, rel=1e-15)


def test_run_quietly_computes_without_warnings_under_a_raising_state():
    from engine.compile.codegen import run_quietly

    with np.errstate(all="raise"):
        assert run_quietly(np.exp, np.array([1000.0]))[0] == np.inf
        assert np.isnan(run_quietly(np.subtract, np.inf, np.inf))
