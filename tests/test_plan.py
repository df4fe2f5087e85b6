"""Forward/backward traces against numbers derived by hand."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import f_xy, masha_relu

import engine
from engine.compile.gradcheck import gradient_check
from engine.compile.plan import compile_plan, run
from engine.compile.trace import NumericError
from graph.document import Document, Edge
from graph.errors import MissingInputError, OutputError, ShapeError


def test_f_xy_values_and_gradients():
    # f = x² + xy + (x+y)² at (1, 2): 1 + 2 + 9 = 12.
    # ∂f/∂x = 2x + y + 2(x+y) = 2 + 2 + 6 = 10;  ∂f/∂y = x + 2(x+y) = 1 + 6 = 7.
    tr = run(f_xy())
    assert tr.loss == 12.0
    assert tr.grad("x") == 10.0
    assert tr.grad("y") == 7.0
    # The edge x → s carries ∂f/∂s · ∂s/∂x = 2(x+y) · 1 = 6; x's total is the sum of its parts.
    assert tr.edge_grad(Edge("x", "s", "a")) == 6.0
    parts = dict((e, float(g)) for e, g in tr.contributions("x"))
    # x·x: each port gets ∂f/∂(xx) · x = 1 · 1; x·y gives y = 2; s gives 6.
    assert parts == {
        Edge("x", "xx", "a"): 1.0,
        Edge("x", "xx", "b"): 1.0,
        Edge("x", "xy", "a"): 2.0,
        Edge("x", "s", "a"): 6.0,
    }
    assert sum(parts.values()) == tr.grad("x")


def test_f_xy_edge_values_are_source_values():
    tr = run(f_xy(3.0, -1.0))
    # (x+y) = 2, so the edge s → ss carries 2 both ways in; f = 9 − 3 + 4 = 10.
    assert tr.edge_value(Edge("s", "ss", "a")) == 2.0
    assert tr.loss == 10.0


def test_masha_relu_network():
    # H = x·W1 = (1·1 + 2·0.5, 1·(−1) + 2·0) = (2, −1); O = ReLU(H) = (2, 0);
    # ŷ = O·W2 = 2·0.5 + 0·1 = 1; L = (1 − 0)² = 1.
    # ∂L/∂ŷ = 2(ŷ − t) = 2; ∂L/∂W2 = Oᵀ·2 = (4, 0)ᵀ; ∂L/∂O = 2·W2ᵀ = (1, 2);
    # ∂L/∂H = (1, 2)·[H > 0] = (1, 0); ∂L/∂W1 = xᵀ·(1, 0) = [[1, 0], [2, 0]].
    tr = run(masha_relu())
    assert tr.value("yhat").tolist() == [1.0]
    assert tr.loss == 1.0
    assert tr.grad("W2").tolist() == [[4.0], [0.0]]
    assert tr.grad("W1").tolist() == [[1.0, 0.0], [2.0, 0.0]]
    assert tr.grad("H").tolist() == [1.0, 0.0]


def test_shared_parameter_sums_contributions():
    # y = w·x1 + w·x2 with w = 3, x1 = 2, x2 = 5: ∂y/∂w = x1 + x2 = 7, two contributions 2 and 5.
    d = Document(engine.REGISTRY)
    d.add_node("parameter", "w", value=3.0)
    d.add_node("input", "x1", value=2.0)
    d.add_node("input", "x2", value=5.0)
    for name, x in (("m1", "x1"), ("m2", "x2")):
        d.add_node("mul", name)
        d.connect("w", name, "a")
        d.connect(x, name, "b")
    d.add_node("add", "y")
    d.connect("m1", "y", "a")
    d.connect("m2", "y", "b")
    tr = run(d)
    assert sorted(float(g) for _, g in tr.contributions("w")) == [2.0, 5.0]
    assert tr.grad("w") == 7.0


def test_node_not_reaching_output_gets_zero_gradient_of_its_shape():
    d = f_xy()
    d.add_node("constant", "c", value=[[1.0, 2.0, 3.0]])
    d.add_node("square", "dead")
    d.connect("c", "dead", "x")
    tr = run(d, output="f")
    assert tr.grad("c").shape == (1, 3)
    assert not tr.grad("c").any()
    assert tr.grad("dead").shape == (1, 3)


def test_several_sinks_is_an_error_naming_them():
    d = f_xy()
    d.add_node("square", "g")
    d.connect("x", "g", "x")
    with pytest.raises(OutputError, match="f, g"):
        compile_plan(d)


def test_non_scalar_output_is_refused():
    d = Document(engine.REGISTRY)
    d.add_node("input", "v", value=[1.0, 2.0])
    d.add_node("square", "sq")
    d.connect("v", "sq", "x")
    with pytest.raises(OutputError, match=r"\(2,\)"):
        compile_plan(d)


def test_shape_mismatch_names_node_and_shapes():
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=[[1.0, 2.0]])
    d.add_node("parameter", "W", value=[[1.0], [2.0], [3.0]])
    d.add_node("matmul", "H")
    d.connect("x", "H", "a")
    d.connect("W", "H", "b")
    with pytest.raises(ShapeError, match=r"matmul H: a is \(1, 2\), b is \(3, 1\)"):
        compile_plan(d)


def test_unconnected_port_is_named():
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=1.0)
    d.add_node("mul", "m")
    d.connect("x", "m", "a")
    with pytest.raises(MissingInputError, match="'b'") as err:
        compile_plan(d)
    assert err.value.node == "m" and err.value.port == "b"


def test_log_of_zero_is_reported_at_its_node():
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=0.0)
    d.add_node("log", "lg")
    d.connect("x", "lg", "x")
    d.add_node("square", "out")
    d.connect("lg", "out", "x")
    with pytest.raises(NumericError, match="'lg'.*log of zero") as err:
        run(d)
    assert err.value.node == "lg"


def test_generated_and_stepwise_passes_agree_bit_for_bit():
    plan = compile_plan(masha_relu())
    fast = plan.run(stepwise=False)
    slow = plan.run(stepwise=True)
    for a, b in zip(fast.value_list + fast.grad_list, slow.value_list + slow.grad_list, strict=True):
        assert np.array_equal(a, b)


def test_train_function_matches_trace():
    plan = compile_plan(masha_relu())
    params = plan.slots_of("parameter")
    out, grads = plan.train_function(params)(plan.leaf_values())
    tr = plan.run()
    assert float(out.reshape(-1)[0]) == tr.loss
    for s, g in zip(params, grads, strict=True):
        assert np.array_equal(g, tr.grad_list[s])


def test_gradient_check_passes_on_examples():
    for doc in (f_xy(), masha_relu()):
        assert all(r.ok for r in gradient_check(compile_plan(doc)))


def test_engine_layer_registry_has_every_op_of_the_issue():
    wanted = (
        "input parameter constant add sub mul div neg pow square sqrt exp log abs matmul transpose sum mean "
        "relu leaky_relu elu selu sigmoid tanh softplus swish mish softmax mse bce bce_with_logits "
        "cross_entropy"
    ).split()
    missing = [op for op in wanted if op not in engine.REGISTRY]
    assert not missing


def test_generated_code_holds_no_text_from_the_document():
    # Ids, labels, descriptions and attribute values are data: none of them may reach generated code.
    d = Document(engine.REGISTRY)
    d.add_node("input", "os.system", value=[1.0, 2.0], label="__import__('os').system('echo hi')")
    d.add_node("leaky_relu", "exec_", attrs={"alpha": 0.25}, label="eval(1)")
    d.connect("os.system", "exec_", "x")
    d.add_node("sum", "print", label="print('x')")
    d.connect("exec_", "print", "x")
    d.description = "import os"
    plan = compile_plan(d)
    tr = plan.run()
    assert tr.loss == 3.0
    source = plan.generated_source() + plan.generated_source(plan.slots_of("input"))
    assert "def _pass(V):" in source and "V[0]" in source  # it is the code, not an empty string
    for text in ("os", "system", "exec_", "print", "eval", "__import__", "0.25", "echo"):
        assert text not in source.replace("np.", ""), text


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("shapes", [((3,), (3,)), ((3,), ()), ((), (3,)), ((2, 3), (3,))])
def test_generated_and_stepwise_passes_agree_on_mse_bit_for_bit(reduction, shapes):
    # mse's gradients are inlined with its attributes; the attribute's value stays out of the source
    rng = np.random.default_rng(11)
    d = Document(engine.REGISTRY)
    d.add_node("parameter", "p", value=rng.normal(size=shapes[0]))
    d.add_node("input", "t", value=rng.normal(size=shapes[1]))
    d.add_node("tanh", "y")
    d.connect("p", "y", "x")
    d.add_node("mse", "L", attrs={"reduction": reduction, "scale": 0.37})
    d.connect("y", "L", "pred")
    d.connect("t", "L", "target")
    plan = compile_plan(d)
    fast = plan.run(stepwise=False)
    slow = plan.run(stepwise=True)
    for a, b in zip(fast.value_list + fast.grad_list + fast.edge_grad_list,
                    slow.value_list + slow.grad_list + slow.edge_grad_list, strict=True):  # fmt: skip
        assert np.array_equal(a, b)
    assert "0.37" not in plan.generated_source()


def test_mse_target_gradient_alone_in_the_training_pass():
    # only the target is trained: its gradient −(2/n)(pred − target) without the pred's to negate
    # (10 numbers: the numpy pass, not the one over floats)
    x = np.arange(10.0)
    t = np.full(10, 0.5)
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=x)
    d.add_node("parameter", "t", value=t)
    d.add_node("mse", "L")
    d.connect("x", "L", "pred")
    d.connect("t", "L", "target")
    plan = compile_plan(d)
    assert "(-g" in plan.generated_source([plan.slot["t"]])  # the template written out, not a call
    out, (grad,) = plan.train_function([plan.slot["t"]])(plan.leaf_values())
    assert float(out) == pytest.approx(sum((k - 0.5) ** 2 for k in range(10)) / 10)
    assert np.allclose(grad, [-(k - 0.5) / 5 for k in range(10)], rtol=0, atol=1e-15)
    assert np.array_equal(grad, plan.run(stepwise=True).grad("t"))
