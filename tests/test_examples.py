"""The bundled examples: every file loads, validates and runs, is what build_examples.py writes, and
its key numbers agree with values derived by hand (the derivations are in the comments)."""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import engine
from engine.compile.plan import compile_plan
from graph.file_format import load
from graph.validation import find_problems

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FILES = sorted(EXAMPLES.glob("*.json"))


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def trace_of(name: str):
    doc = load(EXAMPLES / name, engine.REGISTRY)
    return doc, compile_plan(doc).run()


def train_of(name: str):
    training = pytest.importorskip("engine.train.trainer")
    doc = load(EXAMPLES / name, engine.REGISTRY)
    return training.train(doc)


def approx(value, expected, tol=1e-6):
    np.testing.assert_allclose(np.asarray(value, dtype=float), np.asarray(expected, dtype=float), atol=tol)


# ------------------------------------------------------------------------------------ every file
def test_there_are_examples():
    assert len(FILES) >= 13


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_example_loads_validates_and_runs(path):
    doc = load(path, engine.REGISTRY)
    problems, _ = find_problems(doc, engine.REGISTRY)
    assert problems == []
    trace = compile_plan(doc).run()
    assert np.isfinite(trace.loss)
    # A title line, a blank line, then the text; the description opens the file.
    title, blank, *rest = doc.description.splitlines()
    assert title and not blank and rest
    assert path.read_text(encoding="utf-8").splitlines()[3].startswith('  "description"')
    # Every node is placed and labelled, and no two nodes sit on top of each other.
    positions = []
    for node in doc.nodes():
        assert node.position is not None, node.id
        assert node.label, node.id
        positions.append(node.position)
    pts = np.array(positions)
    gaps = np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1))
    gaps[np.diag_indices(len(pts))] = np.inf
    assert gaps.min() >= 60, path.name
    # Where training applies, its loss node exists and the dataset feeds input nodes.
    if doc.training:
        assert doc.training["loss"] in doc
        for column in doc.dataset_columns():
            assert doc.node(column).op == "input"


def test_files_are_what_the_generator_writes():
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "build_examples.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_two_moons_data_come_from_the_seeded_script():
    spec = importlib.util.spec_from_file_location("make_moons", ROOT / "scripts" / "make_moons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    X, labels = module.make_moons(300, 0.2, 0)
    doc = load(EXAMPLES / "11_two_moons.json", engine.REGISTRY)
    cols = doc.dataset_columns()
    approx(cols["x"], X, 0)
    approx(cols["t"].reshape(-1), labels, 0)
    assert len(X) == 300 and labels.sum() == 150
    X2, _ = module.make_moons(300, 0.2, 0)
    approx(X2, X, 0)


# ------------------------------------------------------------------------------- hand derivations
def test_computation_graph():
    # f = x² + xy + (x + y)² at x = 1, y = 2: 1 + 2 + 9 = 12.
    # ∂f/∂x = 2x + y + 2(x + y) = 2 + 2 + 6 = 10;  ∂f/∂y = x + 2(x + y) = 1 + 6 = 7.
    doc, tr = trace_of("01_computation_graph.json")
    assert tr.loss == 12.0
    approx(tr.grad("x"), 10.0)
    approx(tr.grad("y"), 7.0)
    # Every node is one + or ×.
    assert {n.op for n in doc.nodes() if not n.is_leaf} == {"add", "mul"}
    # x's gradient is the sum of its four edges: 1 + 1 (x·x) + 2 (x·y sees y) + 6 (x + y passes 2s).
    parts = sorted(float(g) for _, g in tr.contributions("x"))
    assert parts == [1.0, 1.0, 2.0, 6.0]


def test_masha_relu_regression():
    # x·W₁ = (1·1 + 2·0.5, 1·(−1) + 2·0) = (2, −1); ReLU → h = (2, 0); ŷ = 2·0.5 + 0·1 = 1.
    # L = (ŷ − y)² = 1; ∂L/∂ŷ = 2(ŷ − y) = 2.
    # ∂L/∂W₂ = hᵀ·2 = (4, 0)ᵀ; ∂L/∂h = 2·W₂ᵀ = (1, 2); ReLU mask (1, 0) → (1, 0);
    # ∂L/∂W₁ = xᵀ·(1, 0) = [[1, 0], [2, 0]]; ∂L/∂x = (1, 0)·W₁ᵀ = (1, 0.5).
    _, tr = trace_of("02_masha_relu_regression.json")
    approx(tr.value("H"), [2.0, -1.0])
    approx(tr.value("O"), [2.0, 0.0])
    approx(tr.value("yhat"), [1.0])
    assert tr.loss == 1.0
    approx(tr.grad("yhat"), [2.0])
    approx(tr.grad("W2"), [[4.0], [0.0]])
    approx(tr.grad("O"), [1.0, 2.0])
    approx(tr.grad("H"), [1.0, 0.0])
    approx(tr.grad("W1"), [[1.0, 0.0], [2.0, 0.0]])
    approx(tr.grad("x"), [1.0, 0.5])


def test_masha_relu_regression_step():
    # One SGD step with γ = 1: W₂ = (0.5, 1) − (4, 0) = (−3.5, 1); W₁ = W₁ − [[1, 0], [2, 0]].
    result = train_of("02_masha_relu_regression.json")
    approx(result.parameters["W2"], [[-3.5], [1.0]])
    approx(result.parameters["W1"], [[0.0, -1.0], [-1.5, 0.0]])
    approx(result.history, [1.0])


def test_masha_relu_classification():
    # ŷ = 1 as before; p = σ(1) = e/(1 + e); L = −ln(1 − p) = ln(1 + e).
    # ∂L/∂p = 1/(1 − p) = 1 + e; σ' = p(1 − p); ∂L/∂ŷ = p − y = p.
    # ∂L/∂W₂ = (2p, 0)ᵀ; ∂L/∂h = p·(0.5, 1); mask (1, 0) → (p/2, 0); ∂L/∂W₁ = [[p/2, 0], [p, 0]].
    _, tr = trace_of("03_masha_relu_classification.json")
    p = math.e / (1 + math.e)
    approx(tr.value("p"), [p])
    approx(tr.loss, math.log(1 + math.e))
    approx(tr.grad("p"), [1 + math.e])
    approx(tr.grad("yhat"), [p])
    approx(tr.grad("W2"), [[2 * p], [0.0]])
    approx(tr.grad("W1"), [[p / 2, 0.0], [p, 0.0]])


def test_two_steps_classifier():
    # Zero weights; step 1 takes row 2 (x = 5, y = 0): h = σ(0) = ½, p = σ(0) = ½, L = ln 2.
    # ∂L/∂(w₂h) = p − y = ½; ∂L/∂w₂ = ½·h = ¼; ∂L/∂w₁ = ½·w₂·… = 0.  →  w₂ = −¼, w₁ = 0.
    _, tr = trace_of("04_two_sgd_steps_classifier.json")
    approx(tr.loss, math.log(2))
    approx(tr.grad("w2"), 0.25)
    approx(tr.grad("w1"), 0.0)
    # Step 2, row 1 (x = 1, y = 1): h = ½, w₂h = −⅛, p = σ(−⅛), L = −ln p;
    # ∂L/∂w₂ = (p − 1)·½; ∂L/∂w₁ = (p − 1)·w₂·h(1 − h)·x = (p − 1)·(−¼)·¼.
    result = train_of("04_two_sgd_steps_classifier.json")
    p = sigmoid(-0.125)
    approx(result.history, [math.log(2), -math.log(p)])
    approx(result.parameters["w2"], -0.25 - (p - 1) * 0.5)
    approx(result.parameters["w1"], -((p - 1) * -0.25 * 0.25))
    approx(result.parameters["w2"], 0.015605, 1e-6)
    approx(result.parameters["w1"], -0.033201, 1e-6)


def test_two_steps_sigmoid_network():
    # Step 1, second observation x = (5, 2), y = 1, all weights 0: O₁ = O₂ = (½, ½), ŷ = 0,
    # L = ½(0 − 1)² = ½; d = ŷ − y = −1; ∂L/∂W₃ = O₂ᵀ·d = (−½, −½)ᵀ; W₃ = 0 blocks the rest.
    _, tr = trace_of("05_two_sgd_steps_sigmoid_network.json")
    approx(tr.loss, 0.5)
    approx(tr.grad("W3"), [[-0.5], [-0.5]])
    approx(tr.grad("W2"), np.zeros((2, 2)))
    approx(tr.grad("W1"), np.zeros((2, 2)))
    # Step 2, first observation x = (1, 1), y = 0, W₃ = (½, ½)ᵀ: ŷ = ½, L = ⅛; d = ½;
    # ∂L/∂W₃ = (¼, ¼)ᵀ → W₃ = (¼, ¼)ᵀ; d₂ = ½·(½, ½)·¼ = (1/16, 1/16); ∂L/∂W₂ = O₁ᵀ·d₂ = 1/32 each
    # → W₂ = −1/32; d₁ = d₂·W₂ᵀ (W₂ still 0) = 0 → W₁ = 0.
    result = train_of("05_two_sgd_steps_sigmoid_network.json")
    approx(result.history, [0.5, 0.125])
    approx(result.parameters["W3"], [[0.25], [0.25]])
    approx(result.parameters["W2"], np.full((2, 2), -1 / 32))
    approx(result.parameters["W1"], np.zeros((2, 2)))


def test_rnn_there_and_back():
    # h_t = ReLU(w·h_{t−1} + v·y_{t−1}), ŷ_t = ReLU(u·h_t), u = v = w = ½, h₀ = 0, y = 0, 1, −1, 2.
    #  t | z_t = w·h_{t−1} + v·y_{t−1} | h_t | u·h_t | ŷ_t | L_t = (ŷ_t − y_t)²
    #  1 | 0 + 0           = 0         | 0   | 0     | 0    | (0 − 1)²     = 1
    #  2 | 0 + ½           = ½         | ½   | ¼     | ¼    | (¼ + 1)²     = 1.5625
    #  3 | ¼ − ½           = −¼        | 0   | 0     | 0    | (0 − 2)²     = 4
    # L = 6.5625 (the sheet's 0.375, 0.1875, 5.8475 come from feeding ŷ₂ = ¼ instead of y₂ = −1).
    # Backward (ReLU'(0) = 0):
    #  ∂L/∂ŷ = 2(ŷ − y) = (−2, 2.5, −4); ∂L/∂(u·h) = (−2·0, 2.5·1, −4·0) = (0, 2.5, 0)
    #  ∂L/∂u = Σ ∂L/∂(u·h_t)·h_t = 0·0 + 2.5·½ + 0·0 = 1.25
    #  ∂L/∂h₃ = 0·u = 0 → ∂L/∂z₃ = 0 (z₃ < 0)
    #  ∂L/∂h₂ = 2.5·u + ∂L/∂z₃·w = 1.25 → ∂L/∂z₂ = 1.25 (z₂ > 0)
    #  ∂L/∂h₁ = 0·u + 1.25·w = 0.625 → ∂L/∂z₁ = 0 (z₁ = 0, ReLU'(0) = 0)
    #  ∂L/∂v = Σ ∂L/∂z_t·y_{t−1} = 0·0 + 1.25·1 + 0·(−1) = 1.25
    #  ∂L/∂w = Σ ∂L/∂z_t·h_{t−1} = 0·0 + 1.25·0 + 0·½ = 0
    doc, tr = trace_of("06_rnn_there_and_back.json")
    approx([tr.value(f"h{t}") for t in (1, 2, 3)], [0.0, 0.5, 0.0])
    approx([tr.value(f"yhat{t}") for t in (1, 2, 3)], [0.0, 0.25, 0.0])
    approx([tr.value(f"L{t}") for t in (1, 2, 3)], [1.0, 1.5625, 4.0])
    approx(tr.loss, 6.5625)
    approx(tr.grad("h1"), 0.625)
    approx(tr.grad("u"), 1.25)
    approx(tr.grad("v"), 1.25)
    approx(tr.grad("w"), 0.0)
    # The weights are shared: one contribution per time step, summing to the total.
    for name, parts in (("u", [0.0, 1.25, 0.0]), ("v", [0.0, 1.25, 0.0]), ("w", [0.0, 0.0, 0.0])):
        contributions = tr.contributions(name)
        assert len(contributions) == 3
        targets = [e.target for e, _ in contributions]
        steps = [int("".join(c for c in t if c.isdigit())) for t in targets]
        got = [float(g) for _, g in sorted(zip(steps, (g for _, g in contributions)))]
        approx(got, parts)


def test_rnn_there_and_back_step():
    # lr 0.1 (the sheet's unstated rate): u = v = ½ − 0.1·1.25 = 0.375, w = ½.
    result = train_of("06_rnn_there_and_back.json")
    approx(result.history, [6.5625])
    approx(result.parameters["u"], 0.375)
    approx(result.parameters["v"], 0.375)
    approx(result.parameters["w"], 0.5)


def test_perceptron_42_first_step():
    # y = x·w + b = 0 with zero weights; L = (0 − 42)² = 1764; ∂L/∂y = 2(y − 42) = −84;
    # ∂L/∂w = −84·(0.5, 2) = (−42, −168); ∂L/∂b = −84 (the article's third weight, input 1).
    _, tr = trace_of("07_perceptron_42.json")
    approx(tr.value("yhat"), 0.0)
    approx(tr.loss, 1764.0)
    approx(tr.grad("w"), [-42.0, -168.0])
    approx(tr.grad("b"), -84.0)


def test_perceptron_42_training_matches_the_article():
    # Each error is (1 − 2α(0.5² + 2² + 1²)) = −0.05 times the one before: Δy_k = −42·(−0.05)^(k−1),
    # y = 0, 44.1, 41.895, 42.00525, 41.9997375, 42.0000131 (the article: …, 41.99974, 42.00001).
    result = train_of("07_perceptron_42.json")
    ys = [42 - 42 * (-0.05) ** k for k in range(6)]
    approx(ys[:4], [0.0, 44.1, 41.895, 42.00525], 1e-9)
    approx(result.history, [(y - 42) ** 2 for y in ys], 1e-9)
    approx(result.parameters["w"], [4.0, 16.0], 1e-4)
    approx(result.parameters["b"], 8.0, 1e-4)


@pytest.mark.parametrize(
    "name, zero", [("08_xor_1_zero_init.json", True), ("08_xor_2_constant_init.json", False)]
)
def test_xor_symmetric_inits_cannot_learn(name, zero):
    metrics = pytest.importorskip("engine.train.metrics")
    result = train_of(name)
    params = result.parameters
    # The two hidden units stay identical: equal columns of W₁, equal entries of b₁ and W₂.
    approx(params["W1"][:, 0], params["W1"][:, 1], 0)
    approx(params["b1"][0], params["b1"][1], 0)
    approx(params["W2"][0], params["W2"][1], 0)
    hidden = metrics.find_layers(load(EXAMPLES / name, engine.REGISTRY))[0]  # W1, b1, then W2
    assert metrics.identical_units(params, hidden) == [[0, 1]]
    if zero:
        # h = tanh(0) = 0 and W₂ = 0 give W₁, b₁, W₂ no gradient; b₂'s gradient is mean(p − t) = 0.
        approx(result.history, [math.log(2)] * len(result.history))
        for value in params.values():
            approx(value, np.zeros_like(value), 0)
    else:
        assert result.final_loss > 0.3


def test_xor_random_init_learns():
    metrics = pytest.importorskip("engine.train.metrics")
    result = train_of("08_xor_3_random_init.json")
    assert result.history[0] > 0.6
    assert result.final_loss < 0.05
    hidden = metrics.find_layers(load(EXAMPLES / "08_xor_3_random_init.json", engine.REGISTRY))[0]
    assert metrics.identical_units(result.parameters, hidden) == []


def test_xor_files_differ_only_in_initialisation():
    names = ("08_xor_1_zero_init.json", "08_xor_2_constant_init.json", "08_xor_3_random_init.json")
    docs = [load(EXAMPLES / name, engine.REGISTRY) for name in names]
    structure = [sorted((e.source, e.target, e.port) for e in d.edges()) for d in docs]
    assert structure[0] == structure[1] == structure[2]
    assert docs[0].training == docs[1].training == docs[2].training
    inits = [{n.id: n.init["kind"] for n in d.nodes() if n.op == "parameter"} for d in docs]
    assert inits[0]["W1"] == "zeros" and inits[1]["W1"] == "constant" and inits[2]["W1"] == "xavier_uniform"


def test_xor_random_values_are_what_their_init_draws():
    from engine.train.initialisers import initial_values

    doc = load(EXAMPLES / "08_xor_3_random_init.json", engine.REGISTRY)
    for node_id, value in initial_values(doc).items():
        approx(doc.node(node_id).value, value, 0)


def test_four_layer_network_follows_the_layer_error_recursion():
    # The article's recursion, computed independently with numpy:
    #   z₂ = W₁x + b₁, a₂ = σ(z₂), z₃ = W₂a₂ + b₂, a₃ = σ(z₃), s = W₃a₃ + b₃, C = ½(s − y)²
    #   E₄ = s − y; E₃ = (W₃ᵀE₄) ⊙ σ'(z₃); E₂ = (W₂ᵀE₃) ⊙ σ'(z₂); ∂C/∂W_l = E·aᵀ, ∂C/∂b = E.
    doc, tr = trace_of("09_four_layer_network.json")
    v = {n.id: n.value for n in doc.nodes() if n.value is not None}
    x, y = v["x"], v["y"]
    W1, b1, W2, b2, W3, b3 = (v[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    a2 = 1 / (1 + np.exp(-(W1 @ x + b1)))
    a3 = 1 / (1 + np.exp(-(W2 @ a2 + b2)))
    s = W3 @ a3 + b3
    E4 = s - y
    E3 = (W3.T @ E4) * a3 * (1 - a3)
    E2 = (W2.T @ E3) * a2 * (1 - a2)
    approx(tr.loss, 0.5 * float((s - y) @ (s - y)), 1e-12)
    approx(tr.grad("W3"), np.outer(E4, a3), 1e-12)
    approx(tr.grad("b3"), E4, 1e-12)
    approx(tr.grad("W2"), np.outer(E3, a2), 1e-12)
    approx(tr.grad("b2"), E3, 1e-12)
    approx(tr.grad("W1"), np.outer(E2, x), 1e-12)
    approx(tr.grad("b1"), E2, 1e-12)
    # The error of each layer is the gradient reaching its pre-activation node.
    approx(tr.grad("z3"), E3, 1e-12)
    approx(tr.grad("z2"), E2, 1e-12)
    assert doc.node("W1").value.shape == (2, 4) and doc.node("W3").value.shape == (1, 2)


def test_activation_gallery():
    # At x = −0.5, each activation's gradient back to x is its derivative (the sum above passes 1):
    #   ReLU: 0; Leaky (α = 0.3): 0.3; ELU: e^x = 0.606531; SELU: λα·e^x;
    #   Mish: tanh(sp) + x·sech²(sp)·σ(x) with sp = ln(1 + e^x); σ: σ(1 − σ); tanh: 1 − tanh²;
    #   Swish (β = 1): σ(βx) + βx·σ'(βx); ∂swish/∂β = x²·σ'(βx).
    doc, tr = trace_of("10_activation_gallery.json")
    x = -0.5
    sg = sigmoid(x)
    sp = math.log1p(math.exp(x))
    lam, alpha = 1.0507009873554805, 1.6732632423543772
    expected = {
        "relu": (0.0, 0.0),
        "leaky_relu": (0.3 * x, 0.3),
        "elu": (math.exp(x) - 1, math.exp(x)),
        "selu": (lam * alpha * (math.exp(x) - 1), lam * alpha * math.exp(x)),
        "mish": (x * math.tanh(sp), math.tanh(sp) + x * (1 - math.tanh(sp) ** 2) * sg),
        "sigmoid": (sg, sg * (1 - sg)),
        "tanh": (math.tanh(x), 1 - math.tanh(x) ** 2),
        "swish": (x * sg, sg + x * sg * (1 - sg)),
    }
    derivative = {e.target: float(g) for e, g in tr.contributions("x")}
    assert set(derivative) == set(expected)
    for op, (value, slope) in expected.items():
        approx(tr.value(op), value, 1e-12)
        approx(derivative[op], slope, 1e-12)
    approx(tr.grad("beta"), x * x * sg * (1 - sg), 1e-12)
    approx(tr.grad("x"), sum(s for _, s in expected.values()), 1e-12)
    # The numbers quoted in the description.
    approx(expected["selu"], (-0.691758, 1.066341), 1e-6)
    approx(expected["mish"], (-0.220744, 0.289511), 1e-6)
    approx(expected["swish"][1], 0.260039, 1e-6)
    assert doc.node("beta").op == "parameter"


def test_two_moons_trains_with_minibatches():
    doc = load(EXAMPLES / "11_two_moons.json", engine.REGISTRY)
    assert doc.training["mode"] == "minibatch" and doc.training["batch_size"] < 300
    assert 200 <= len(doc.dataset_columns()["x"]) <= 500
    result = train_of("11_two_moons.json")
    assert result.final_loss < 0.1
    assert np.mean(result.history[-20:]) < np.mean(result.history[:20]) / 4
