"""Symbolic values and gradients (sympy) for graphs of scalar ops."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from helpers import f_xy, masha_relu, op, tex_squash
from test_ops_gradcheck import OP_SAMPLES
from test_stepper import random_doc

import engine
from engine.compile.plan import compile_plan
from engine.ops.registry import NO_SYMBOLIC_FORM
from engine.teach.symbolic import expr_text, symbolic
from graph.document import Document


def test_f_xy_gradient_is_4x_plus_3y():
    # f = x² + xy + (x + y)² = 2x² + 3xy + y², so ∂f/∂x = 4x + 3y and ∂f/∂y = 3x + 2y.
    r = symbolic(compile_plan(f_xy()))
    assert r.ok
    x, y = r.symbols["x"], r.symbols["y"]
    assert sp.expand(r.grads["x"] - (4 * x + 3 * y)) == 0
    assert sp.expand(r.grads["y"] - (3 * x + 2 * y)) == 0
    assert sp.expand(r.values["f"] - (2 * x**2 + 3 * x * y + y**2)) == 0
    assert r.grad_text("x") == "∂f/∂x = 4x + 3y"
    assert tex_squash(r.grad_tex("x")) == tex_squash(r"\frac{\partial f}{\partial x} = 4 x + 3 y")
    # The intermediate s = x + y: ∂f/∂s = 2s = 2x + 2y.
    assert r.grad_text("s") == "∂f/∂s = 2x + 2y"
    # At (1, 2) the expressions give the trace's numbers.
    assert r.evaluate(r.grads, {"x": 1.0, "y": 2.0})["x"] == 10.0


def test_non_scalar_graph_has_a_reason():
    r = symbolic(compile_plan(masha_relu()))
    assert not r.ok
    assert "'x'" in r.reason and "(2,)" in r.reason


def test_op_without_symbolic_form_has_a_reason():
    missing = sorted(op.id for op in engine.REGISTRY if op.sympy == NO_SYMBOLIC_FORM)
    assert "softmax" in missing
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=[0.5])
    d.add_node("softmax", "p")
    d.connect("x", "p", "x")
    d.add_node("sum", "out")
    d.connect("p", "out", "x")
    r = symbolic(compile_plan(d))
    assert not r.ok and "no symbolic form for softmax" in r.reason


def test_constants_are_exact_and_activations_work():
    d = Document(engine.REGISTRY)
    d.add_node("parameter", "w", value=0.5)
    d.add_node("input", "x", value=2.0)
    d.add_node("constant", "b", value=0.1)
    op(d, "mul", "m", a="w", b="x")
    op(d, "add", "z", a="m", b="b")
    op(d, "sigmoid", "s", x="z")
    r = symbolic(compile_plan(d))
    w, x = r.symbols["w"], r.symbols["x"]
    assert sp.simplify(r.values["z"] - (w * x + sp.Rational(1, 10))) == 0
    got = r.evaluate(r.grads, {"w": 0.5, "x": 2.0})["w"]
    tr = compile_plan(d).run()
    assert got == pytest.approx(float(tr.grad("w")), rel=1e-12)


@pytest.mark.parametrize("seed", [0, 3, 6, 9, 12, 15, 18, 21])
def test_random_scalar_graphs_agree_with_the_trace(seed):
    doc = random_doc(seed)  # seeds divisible by 3 give scalar leaves
    plan = compile_plan(doc)
    tr = plan.run(check=False)
    r = symbolic(plan, simplify=False)
    assert r.ok, r.reason
    leaves = {n: float(tr.value(n)) for n in r.symbols}
    values = r.evaluate(r.values, leaves)
    grads = r.evaluate(r.grads, leaves)
    for n in plan.ids:
        assert values[n] == pytest.approx(float(tr.value(n)), rel=1e-9, abs=1e-12), n
        if plan.reaches_output[plan.slot[n]]:
            assert grads[n] == pytest.approx(float(tr.grad(n)), rel=1e-9, abs=1e-12), n


@pytest.mark.parametrize("op_id", [op.id for op in engine.REGISTRY if op.symbolic_rule is not None])
def test_every_rule_gives_the_forward_value(op_id):
    """Each op's sympy rule, evaluated at the op's scalar test samples, equals its forward."""
    op = engine.REGISTRY[op_id]
    scalar = []
    for make, attrs in OP_SAMPLES[op_id]:
        xs = make(np.random.default_rng(len(scalar)))
        if all(np.shape(x) == () for x in xs):
            scalar.append((xs, op.resolve_attrs(attrs)))
    assert scalar, f"{op_id}: OP_SAMPLES has no all-scalar case to check the sympy rule on"
    ports = [sp.Symbol(p, real=True) for p in op.inputs]
    for xs, attrs in scalar:
        expr = op.sympy(sp, *ports, **attrs)
        got = float(expr.subs({p: float(x) for p, x in zip(ports, xs)}))
        assert got == pytest.approx(float(op.forward(*map(np.asarray, xs), **attrs)), rel=1e-12, abs=1e-14)


def test_gelu_and_sin_rules():
    x = sp.Symbol("x", real=True)
    gelu = engine.REGISTRY["gelu"].sympy(sp, x)
    assert sp.simplify(gelu - x * (1 + sp.erf(x / sp.sqrt(2))) / 2) == 0
    # d/dx x·Φ(x) = Φ(x) + x·φ(x), with φ = e^(−x²/2)/√(2π).
    phi = sp.exp(-(x**2) / 2) / sp.sqrt(2 * sp.pi)
    assert sp.simplify(sp.diff(gelu, x) - ((1 + sp.erf(x / sp.sqrt(2))) / 2 + x * phi)) == 0
    assert engine.REGISTRY["sin"].sympy(sp, x) == sp.sin(x)


def test_selu_rule_uses_the_op_constants():
    x = sp.Symbol("x", real=True)
    expr = engine.REGISTRY["selu"].sympy(sp, x)
    lam, alpha = 1.0507009873554805, 1.6732632423543772  # the published SELU constants
    assert float(expr.subs(x, 1.0)) == pytest.approx(lam, rel=1e-15)
    # For x ≤ 0: λα(eˣ − 1).
    assert float(expr.subs(x, -1.0)) == pytest.approx(lam * alpha * (np.exp(-1.0) - 1.0), rel=1e-14)


def test_expr_text():
    x, y = sp.symbols("x y")
    assert expr_text(4 * x + 3 * y) == "4x + 3y"
    assert expr_text(2 * x**2 + 3 * x * y + y**2) == "2x² + 3x·y + y²"
