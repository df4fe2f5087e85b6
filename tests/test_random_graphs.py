"""Property test: on random valid DAGs of registered ops, the trace's gradients agree with
central differences, and stepping one node at a time agrees with the generated pass."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.compile.gradcheck import gradient_check
from engine.compile.plan import compile_plan
from graph.document import Document

# Ops that are smooth on the values drawn below (kinks and domain edges are avoided on purpose).
UNARY = ["neg", "square", "exp", "sigmoid", "tanh", "softplus", "mish", "selu", "elu"]
BINARY = ["add", "sub", "mul"]
REDUCE = ["sum", "mean"]


@st.composite
def random_dags(draw):
    d = Document(engine.REGISTRY)
    shape = draw(st.sampled_from([(), (3,), (2, 2)]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    ids = []
    for i in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["input", "parameter", "constant"]))
        d.add_node(op, f"leaf{i}", value=rng.uniform(-1.0, 1.0, size=shape))
        ids.append(f"leaf{i}")
    for i in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):
            op = draw(st.sampled_from(UNARY))
            d.add_node(op, f"u{i}")
            d.connect(draw(st.sampled_from(ids)), f"u{i}", "x")
            ids.append(f"u{i}")
        else:
            op = draw(st.sampled_from(BINARY))
            d.add_node(op, f"b{i}")
            d.connect(draw(st.sampled_from(ids)), f"b{i}", "a")
            d.connect(draw(st.sampled_from(ids)), f"b{i}", "b")
            ids.append(f"b{i}")
    # Reduce the last node to a scalar and add every other sink into it so there is one output.
    d.add_node(draw(st.sampled_from(REDUCE)), "out0")
    d.connect(ids[-1], "out0", "x")
    last = "out0"
    for j, sink in enumerate(n for n in d.sinks() if n != "out0"):
        d.add_node("sum", f"r{j}")
        d.connect(sink, f"r{j}", "x")
        d.add_node("add", f"acc{j}")
        d.connect(last, f"acc{j}", "a")
        d.connect(f"r{j}", f"acc{j}", "b")
        last = f"acc{j}"
    return d


@given(random_dags())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_dag_gradients_match_central_differences(doc):
    plan = compile_plan(doc)
    for check in gradient_check(plan, rtol=1e-4, atol=1e-6):
        assert check.ok, (check.node, check.analytic, check.numeric)


@given(random_dags())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_dag_stepwise_equals_generated(doc):
    plan = compile_plan(doc)
    fast = plan.run(stepwise=False)
    slow = plan.run(stepwise=True)
    for a, b in zip(
        fast.value_list + fast.grad_list + fast.edge_grad_list,
        slow.value_list + slow.grad_list + slow.edge_grad_list,
        strict=True,
    ):
        assert np.array_equal(a, b)
