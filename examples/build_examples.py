"""Writes every example graph in this folder from code, so the files are always valid and alike.

    .venv/bin/python examples/build_examples.py          # rewrite examples/*.json
    .venv/bin/python examples/build_examples.py --check  # exit 1 if a file differs from what it writes

Each example is a function returning a Document; its description (the first line is the title) says
which exercise it is, the conventions chosen where the sheet is ambiguous, the numbers worked out by
hand, where the sheet's printed numbers disagree and why, and what to try. tests/test_examples.py
checks the key numbers against hand derivations.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import engine  # noqa: E402
from engine.train.initialisers import draw  # noqa: E402
from graph.builders import COL, ROW, RnnSpec, unrolled_rnn  # noqa: E402
from graph.document import Document  # noqa: E402
from graph.file_format import dumps, save  # noqa: E402

sys.path.insert(0, str(HERE))
from descriptions_ru import RU  # noqa: E402


def _make_moons() -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    spec = importlib.util.spec_from_file_location("make_moons", ROOT / "scripts" / "make_moons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_moons


WIDE = 400.0  # column spacing for graphs whose edges carry vectors and matrices


class Sketch:
    """A document being built, with positions given on a grid (columns `col` px, rows ROW px apart)."""

    def __init__(self, description: str, col: float = COL) -> None:
        self.col = col  # wider for graphs whose edges carry vectors and matrices
        self.doc = Document(engine.REGISTRY)
        self.doc.description = description.strip() + "\n"

    def node(
        self,
        op: str,
        node_id: str,
        col: float,
        row: float,
        label: str | None = None,
        *,
        value: Any = None,
        attrs: dict[str, Any] | None = None,
        init: dict[str, Any] | None = None,
        **ports: str,
    ) -> str:
        position = (col * self.col, row * ROW)
        self.doc.add_node(op, node_id, attrs=attrs, value=value, label=label, position=position, init=init)
        for port, source in ports.items():
            self.doc.connect(source, node_id, port)
        return node_id

    def param(
        self, node_id: str, col: float, row: float, label: str, init: dict[str, Any], shape: Any
    ) -> str:
        """A parameter whose value is what its init draws (so a re-initialise gives the same start)."""
        value = draw(init, tuple(shape), node_id)
        return self.node("parameter", node_id, col, row, label, value=value, init=init)

    def dataset(self, **columns: Any) -> None:
        self.doc.dataset = {"columns": {k: np.asarray(v, dtype=float) for k, v in columns.items()}}

    def training(self, loss: str = "L", **settings: Any) -> None:
        base: dict[str, Any] = {
            "loss": loss,
            "optimizer": "sgd",
            "lr": 0.1,
            "momentum": 0.0,
            "mode": "sample",
            "order": "sequential",
            "batch_size": 1,
            "epochs": 1,
            "seed": 0,
        }
        base.update(settings)
        self.doc.training = base


# --------------------------------------------------------------------------------------------------
def computation_graph() -> Document:
    s = Sketch(
        """
Sheet 4, exercise 1: the computation graph of f(x, y) = x² + xy + (x + y)²

The exercise: draw f(x, y) = x² + xy + (x + y)² as a graph in which every node is one elementary
operation, + or ×, find the derivative of every node's output with respect to its inputs, and from
them the partial derivatives of f by x and by y.

Here: x·x, x·y, x + y, (x + y)·(x + y), x² + xy, and f. At x = 1, y = 2:
f = 1 + 2 + 9 = 12; ∂f/∂x = 2x + y + 2(x + y) = 10 and ∂f/∂y = x + 2(x + y) = 7.

x feeds four edges (x·x takes it on both ports). Its gradient is the sum of what flows back along
them: 1 + 1 (x·x, each port sees the other x) + 2 (x·y sees y) + 6 (x + y passes on ∂f/∂(x + y) =
2(x + y) = 6) = 10. y collects 1 (x·y) + 6 (x + y) = 7.

What to try: step through the backward pass and watch x's total build up edge by edge; change x and
y and compare with the formulas above.
"""
    )
    s.node("input", "x", 0, 1, "x", value=1.0)
    s.node("input", "y", 0, 3, "y", value=2.0)
    s.node("mul", "xx", 1, 0, "x·x", a="x", b="x")
    s.node("mul", "xy", 1, 2, "x·y", a="x", b="y")
    s.node("add", "s", 1.4, 4, "x + y", a="x", b="y")
    s.node("add", "t", 2.2, 1, "x² + xy", a="xx", b="xy")
    s.node("mul", "ss", 2.4, 4, "(x + y)²", a="s", b="s")
    s.node("add", "f", 3.4, 2.5, "f", a="t", b="ss")
    return s.doc


_MASHA = """
Sheet 4, exercise 4: y = ReLU(x·W₁)·W₂ with W₁ = [[1, −1], [0.5, 0]] and W₂ = (0.5, 1)ᵀ, one
observation x = (1, 2) whose true value is y = 0.
"""


def _masha_relu(s: Sketch) -> str:
    s.node("input", "x", 0, 0, "x", value=[1.0, 2.0])
    s.node("parameter", "W1", 0, 2, "W₁", value=[[1.0, -1.0], [0.5, 0.0]])
    s.node("matmul", "H", 1, 1, "x·W₁", a="x", b="W1")
    s.node("relu", "O", 2, 1, "h", x="H")
    s.node("parameter", "W2", 2, 2.25, "W₂", value=[[0.5], [1.0]])
    return s.node("matmul", "yhat", 3, 1, "ŷ", a="O", b="W2")


def masha_relu_regression() -> Document:
    s = Sketch(
        """
Sheet 4, exercise 4: Masha's ReLU network as regression with MSE
"""
        + _MASHA
        + """
Forward: x·W₁ = (2, −1), ReLU gives h = (2, 0), ŷ = 2·0.5 + 0·1 = 1, L = (ŷ − y)² = 1.
Backward: ∂L/∂ŷ = 2(ŷ − y) = 2; ∂L/∂W₂ = hᵀ·2 = (4, 0)ᵀ; ∂L/∂h = 2·W₂ᵀ = (1, 2); through ReLU
(mask (1, 0)) ∂L/∂(x·W₁) = (1, 0); ∂L/∂W₁ = xᵀ·(1, 0) = [[1, 0], [2, 0]]; ∂L/∂x = (1, 0.5).
One step with γ = 1: W₂ → (−3.5, 1)ᵀ, W₁ → [[0, −1], [−1.5, 0]].

Conventions: MSE of one observation without ½, L = (ŷ − y)² (as the sheet's exercise 5 writes it);
ReLU'(0) = 0 (as PyTorch; no pre-activation is exactly 0 here, so it does not matter).

Where the sheet disagrees: its backward items hand the layers the gradients −2 (into the last linear
layer), (−1, −2) (into the ReLU) and (−1, 0) (into the first layer). For L = (ŷ − y)² at ŷ = 1, y = 0
the derivative is +2 (finite difference: (L(1.001) − L(0.999)) / 0.002 = 2), so these are the
program's 2, (1, 2), (1, 0) with the sign flipped: the sheet differentiates by (y − ŷ). Stepping
against the sheet's gradients would move the weights uphill.

What to try: Train one step (lr 1) and compare the weights with the step above; set the loss's scale
to 0.5 (the ½(ŷ − y)² convention) and watch every gradient halve; open the classification variant.
""",
        WIDE,
    )
    _masha_relu(s)
    s.node("input", "y", 3, 2.25, "y", value=[0.0])
    s.node("mse", "L", 4, 1, "L", attrs={"reduction": "sum"}, pred="yhat", target="y")
    s.dataset(x=[[1.0, 2.0]], y=[[0.0]])
    s.training(lr=1.0)
    return s.doc


def masha_relu_classification() -> Document:
    s = Sketch(
        """
Sheet 4, exercise 4 (second part): Masha's ReLU network with a sigmoid and log loss on top
"""
        + _MASHA
        + """
Masha realises it is classification: a sigmoid goes on top of the second linear layer and the loss is
logloss, L = −[y·ln p + (1 − y)·ln(1 − p)] (natural logarithm).

Forward: ŷ = 1 as in the regression variant, p = σ(1) = 0.731059, L = −ln(1 − p) = 1.313262.
Backward: ∂L/∂p = 1/(1 − p) = 3.718282; σ'(1) = p(1 − p) = 0.196612; together ∂L/∂ŷ = p − y =
0.731059 (sigmoid and logloss always combine to p − y). ∂L/∂W₂ = (1.462117, 0)ᵀ,
∂L/∂W₁ = [[0.365529, 0], [0.731059, 0]]. The rest of the network is stepped exactly as before, only
the gradient entering it changed from 2(ŷ − y) to p − y.

Conventions: the sheet names no class for this observation: y = 0 (the regression part's value);
logloss with natural logs, averaged over outputs (one here); ReLU'(0) = 0.

What to try: set y to 1 and see the gradient change sign (p − y = −0.268941); replace sigmoid + bce
by a single bce_with_logits node on ŷ and check that every gradient stays the same.
""",
        WIDE,
    )
    _masha_relu(s)
    s.node("sigmoid", "p", 4, 1, "p = σ(ŷ)", x="yhat")
    s.node("input", "y", 4, 2.25, "y", value=[0.0])
    s.node("bce", "L", 5, 1, "L", pred="p", target="y")
    s.dataset(x=[[1.0, 2.0]], y=[[0.0]])
    s.training(lr=1.0)
    return s.doc


def two_steps_classifier() -> Document:
    s = Sketch(
        """
Sheet 4, exercise 3: two SGD steps by hand for a small sigmoid classifier with zero weights

The exercise: Masha solves a classification problem with the network in the (lost) picture, sigmoid
activations, two observations x₁ = 1, x₂ = 5 with y₁ = 1, y₂ = 0, learning rate γ = 1, zero initial
weights; SGD takes the second observation first, then the first.

Assumption (the picture is lost): the smallest network the text fits, one input, one hidden sigmoid
unit, one sigmoid output, no biases: p = σ(w₂·σ(w₁·x)), with logloss (binary cross-entropy, natural
log) because the task is classification.

Step 1, observation 2 (x = 5, y = 0): h = σ(0) = 0.5, p = σ(0) = 0.5, L = ln 2 = 0.693147.
∂L/∂(w₂h) = p − y = 0.5, ∂L/∂w₂ = 0.5·h = 0.25, ∂L/∂w₁ = 0.5·w₂·σ'·x = 0 (w₂ = 0 blocks it).
w₂ = −0.25, w₁ = 0.
Step 2, observation 1 (x = 1, y = 1): h = 0.5, w₂h = −0.125, p = σ(−0.125) = 0.468791,
L = −ln p = 0.757599. p − y = −0.531209, ∂L/∂w₂ = −0.265605, ∂L/∂w₁ = −0.531209·(−0.25)·0.25·1 =
0.033201. w₂ = 0.015605, w₁ = −0.033201.

The output layer learns first; the hidden weight moves only once w₂ is no longer zero.

What to try: Train with the order as set ([1, 0]: the second row first); then set the order to
"sequential" and compare; give w₁ and w₂ a random init and watch both move from the first step.
"""
    )
    s.node("input", "x", 0, 0, "x", value=[5.0])
    s.node("parameter", "w1", 0, 2, "w₁", value=0.0, init={"kind": "zeros"})
    s.node("mul", "z1", 1, 1, "w₁·x", a="x", b="w1")
    s.node("sigmoid", "h", 2, 1, "h = σ(w₁x)", x="z1")
    s.node("parameter", "w2", 2, 2.25, "w₂", value=0.0, init={"kind": "zeros"})
    s.node("mul", "z2", 3, 1, "w₂·h", a="h", b="w2")
    s.node("sigmoid", "p", 4, 1, "p", x="z2")
    s.node("input", "y", 4, 2.25, "y", value=[0.0])
    s.node("bce", "L", 5, 1, "L", pred="p", target="y")
    s.dataset(x=[[1.0], [5.0]], y=[[1.0], [0.0]])
    s.training(lr=1.0, order=[1, 0])
    return s.doc


def two_steps_sigmoid_network() -> Document:
    s = Sketch(
        """
Backprop by hand: two SGD steps through Masha's sigmoid network from zero weights

The exercise: Masha's network (picture lost) uses the loss ½(ŷ − y)² and sigmoid activations; its
weights start at zero. Two observations: first x₁ = 1, x₂ = 1, y = 0; second x₁ = 5, x₂ = 2, y = 1.
Do two steps of backprop by hand with η = 1; SGD takes the second observation first, then the first.

Assumption (the picture and formulas are lost): the solution back-propagates through a third, a
second and a first layer, as in the network of sheet 4, exercise 2. So: two inputs, two hidden layers
of two sigmoid units, a linear output, no biases: ŷ = σ(σ(x·W₁)·W₂)·W₃ with W₁, W₂ 2×2 and W₃ 2×1,
and L = ½(ŷ − y)², so ∂L/∂ŷ = ŷ − y.

Step 1, second observation (x = (5, 2), y = 1): O₁ = O₂ = (0.5, 0.5), ŷ = 0, L = 0.5;
∂L/∂ŷ = −1, ∂L/∂W₃ = (−0.5, −0.5)ᵀ; ∂L/∂W₂ = ∂L/∂W₁ = 0 (the zero W₃ blocks everything behind it).
W₃ = (0.5, 0.5)ᵀ.
Step 2, first observation (x = (1, 1), y = 0): ŷ = 0.5, L = 0.125; ∂L/∂W₃ = (0.25, 0.25)ᵀ;
∂L/∂O₂·σ' = 0.5·0.5·0.25 = 1/16 per unit, ∂L/∂W₂ = 1/32 in every entry; ∂L/∂W₁ = 0 (W₂ was still
zero). W₃ = (0.25, 0.25)ᵀ, W₂ = −1/32 everywhere, W₁ = 0.

The layers start learning one at a time from the output backwards, and all weights of a layer move
by the same amount in the same direction: the hidden units stay identical. That is why zero (or any
constant) initialisation is a bad idea.

The sheet's text of step 2 says "forward pass for the second observation" and "the weights are
initialised with zeros" while it uses the first observation and the W₃ from step 1: two slips in
the wording; its numbers agree with the program.

What to try: Train (order [1, 0], one epoch) and compare the weights with the above; set the order to
"sequential"; give W₁ and W₂ a random init and open the symmetry view.
""",
        WIDE,
    )
    zeros = {"kind": "zeros"}
    s.node("input", "x", 0, 0, "x", value=[5.0, 2.0])
    s.node("parameter", "W1", 0, 2, "W₁", value=np.zeros((2, 2)), init=dict(zeros))
    s.node("matmul", "H1", 1, 1, "x·W₁", a="x", b="W1")
    s.node("sigmoid", "O1", 2, 1, "O₁", x="H1")
    s.node("parameter", "W2", 2, 2.25, "W₂", value=np.zeros((2, 2)), init=dict(zeros))
    s.node("matmul", "H2", 3, 1, "O₁·W₂", a="O1", b="W2")
    s.node("sigmoid", "O2", 4, 1, "O₂", x="H2")
    s.node("parameter", "W3", 4, 2.25, "W₃", value=np.zeros((2, 1)), init=dict(zeros))
    s.node("matmul", "yhat", 5, 1, "ŷ", a="O2", b="W3")
    s.node("input", "y", 5, 2.25, "y", value=[1.0])
    s.node("mse", "L", 6, 1, "L", attrs={"reduction": "sum", "scale": 0.5}, pred="yhat", target="y")
    s.dataset(x=[[1.0, 1.0], [5.0, 2.0]], y=[[0.0], [1.0]])
    s.training(lr=1.0, order=[1, 0])
    return s.doc


def rnn_there_and_back() -> Document:
    spec = RnnSpec(
        3, 1, 1, 1, "relu", output_activation="relu", sequence=[0.0, 1.0, -1.0, 2.0], weight_value=0.5, lr=0.1
    )
    doc = unrolled_rnn(spec, engine.REGISTRY)
    doc.description = """
RNN sheet, "There and back": backprop through time in a one-unit ReLU RNN

The exercise: one step of backprop through a recurrent cell for the sequence y₀ = 0, y₁ = 1,
y₂ = −1, y₃ = 2; h₀ = 0; all weights 0.5; no constants; ReLU activations; MSE loss.

The cell (its formulas are lost in the text; its table and derivation fit this one):
h_t = ReLU(w·h_{t−1} + v·y_{t−1}), ŷ_t = ReLU(u·h_t), and the loss of the sequence is
L = L₁ + L₂ + L₃ with L_t = (ŷ_t − y_t)² (no ½: the sheet's L₁ = 1 for ŷ₁ = 0, y₁ = 1). The weights
u, v, w are single nodes shared by the three time steps.

Forward: h₁ = 0, h₂ = 0.5, h₃ = ReLU(0.25 − 0.5) = 0; ŷ = 0, 0.25, 0; L = 1 + 1.5625 + 4 = 6.5625.
Backward through time (ReLU'(0) = 0): ∂L/∂u = 0 + 1.25 + 0 = 1.25, ∂L/∂v = 0 + 1.25 + 0 = 1.25,
∂L/∂w = 0 + 0 + 0 = 0. Each weight's gradient is the sum of one contribution per time step: select
u, v or w to see the three parts.

Where the sheet disagrees: its table has h₃ = 0.375 and ŷ₃ = 0.1875 (L₃ = 3.285, L = 5.8475), but
its own formula gives h₃ = ReLU(0.5·0.5 + 0.5·(−1)) = 0. 0.375 = 0.5·0.5 + 0.5·0.25 is what one gets
by feeding the prediction ŷ₂ = 0.25 instead of y₂ = −1. Its ∂L/∂u = 0 + 1.25 − 1.36 = −0.11 inherits
the slip; the correct value is 1.25. Its step u₁ = 0.5 − 0.1·(−0.11) uses a learning rate of 0.1 that
the exercise never states; this file trains with lr 0.1 too, so one step gives u = v = 0.375, w = 0.5.

`main.py check` passes with a note for h₀ and y₀: z₁ = w·h₀ + v·y₀ = 0 sits exactly on ReLU's kink,
where L's one-sided slopes differ (0 and −0.1875) and a central difference averages them; the program
uses ReLU'(0) = 0, as PyTorch does.

What to try: change y₂ to 1 (h₃ becomes positive) and watch the contributions of steps 2 and 3 add
up in u, v and w (step 1 gives nothing: h₀ = y₀ = 0); build longer sequences with
File > Build unrolled RNN… or `main.py build-rnn`.
""".strip() + "\n"
    doc.dataset = {"columns": {f"y{i}": np.array([v]) for i, v in enumerate([0.0, 1.0, -1.0, 2.0])}}
    return doc


def perceptron_42() -> Document:
    s = Sketch(
        """
Initialisation article: a perceptron learns 42 from zero weights

The article: a one-layer perceptron with a linear activation, y = x₁w₁ + x₂w₂ + w₃ (the third weight
is the bias, on a constant input 1), one training example x = (0.5, 2) with target 42, weights
initialised with zeros, MSE L = (y − 42)² (no ½, so Δwᵢ = −2α·Δy·xᵢ), learning rate α = 0.1. Here
the bias is the node b.

Step 1: y = 0, Δy = −42, ∂L/∂w = 2·(−42)·(0.5, 2) = (−42, −168), ∂L/∂b = −84; w = (4.2, 16.8),
b = 8.4. Then y = 44.1, 41.895, 42.00525, 41.99974, 42.00001: each error is −0.05 times the one
before, since 1 − 2α(0.5² + 2² + 1²) = −0.05. The weights approach (4, 16, 8). The article's table
agrees with the program to the 5 digits it prints.

Zero initialisation does not stop a single unit from learning: the gradient of a weight does not
contain the weight itself.

What to try: Train (6 epochs of the one example, one update each) and compare the loss curve with the
table; insert a ReLU after y and start from the article's w = (0.6, −0.3), b = 0.2: z = −0.1 < 0,
ReLU'(z) = 0 and nothing learns (nor from zeros, since ReLU'(0) = 0).
"""
    )
    s.node("input", "x", 0, 0, "x", value=[0.5, 2.0])
    s.node("parameter", "w", 0, 2, "w", value=[0.0, 0.0], init={"kind": "zeros"})
    s.node("matmul", "xw", 1, 1, "x·w", a="x", b="w")
    s.node("parameter", "b", 1, 2.25, "b", value=0.0, init={"kind": "zeros"})
    s.node("add", "yhat", 2, 1, "y", a="xw", b="b")
    s.node("input", "t", 2, 2.25, "y*", value=42.0)
    s.node("mse", "L", 3, 1, "L", attrs={"reduction": "sum"}, pred="yhat", target="t")
    s.dataset(x=[[0.5, 2.0]], t=[42.0])
    s.training(lr=0.1, epochs=6)
    return s.doc


_XOR_TEXT = """
XOR with a 2-2-1 network, {title}

The initialisation article: if the weights between two layers start equal (zero or any constant),
every hidden unit computes the same value and receives the same gradient, so the units stay equal
forever and the network behaves like one with a single hidden unit, which cannot represent XOR. The
three XOR examples are the same network, p = σ(tanh(x·W₁ + b₁)·W₂ + b₂), with logloss on the four
rows of XOR, trained full-batch (the mean gradient of the four rows) with lr 1 for 2000 epochs; only
the initialisation differs.

{body}
What to try: run a comparison of the three XOR files (or of this one with the init overridden) and
compare the loss curves; open the symmetry view to see W₁'s two columns and W₂'s two entries stay
equal under zero and constant initialisation and part ways under random initialisation.
"""


def _xor(
    title: str, body: str, w_init: dict[str, Any], w2_init: dict[str, Any], b_init: dict[str, Any]
) -> Document:
    s = Sketch(_XOR_TEXT.format(title=title, body=body.strip() + "\n"), WIDE)
    s.node("input", "x", 0, 0, "x", value=[0.0, 0.0])
    s.param("W1", 0, 2, "W₁", dict(w_init), (2, 2))
    s.node("matmul", "xW1", 1, 1, "x·W₁", a="x", b="W1")
    s.param("b1", 1, 2.25, "b₁", dict(b_init), (2,))
    s.node("add", "z1", 2, 1, "z₁", a="xW1", b="b1")
    s.node("tanh", "h", 3, 1, "h", x="z1")
    s.param("W2", 3, 2.25, "W₂", dict(w2_init), (2, 1))
    s.node("matmul", "hW2", 4, 1, "h·W₂", a="h", b="W2")
    s.param("b2", 4, 2.25, "b₂", dict(b_init), (1,))
    s.node("add", "z2", 5, 1, "z₂", a="hW2", b="b2")
    s.node("sigmoid", "p", 6, 1, "p", x="z2")
    s.node("input", "t", 6, 2.25, "t", value=[0.0])
    s.node("bce", "L", 7, 1, "L", pred="p", target="t")
    s.dataset(x=[[0, 0], [0, 1], [1, 0], [1, 1]], t=[[0], [1], [1], [0]])
    s.training(lr=1.0, mode="batch", batch_size=4, epochs=2000)
    return s.doc


def xor_zero() -> Document:
    return _xor(
        "1 of 3: zero initialisation",
        """
Every weight and bias starts at 0. Then h = tanh(0) = 0 for every row, so ∂L/∂W₂ = hᵀ·(p − t) = 0,
and ∂L/∂h = (p − t)·W₂ᵀ = 0, so W₁ and b₁ get no gradient either: only b₂ learns. It settles at
b₂ = 0 (p = 0.5 for every row, the best a constant can do), and the loss stays at ln 2 = 0.693147.
""",
        {"kind": "zeros"},
        {"kind": "zeros"},
        {"kind": "zeros"},
    )


def xor_constant() -> Document:
    return _xor(
        "2 of 3: constant initialisation",
        """
Every weight starts at 0.5, the biases at 0. The two hidden units compute the same value for every
row and get the same gradient, so W₁'s two columns, b₁'s two entries and W₂'s two entries stay pairwise
equal at every step: the network is a one-hidden-unit network in disguise and cannot fit XOR (the
article proves it for any non-decreasing activations). The loss stalls well above 0.
""",
        {"kind": "constant", "value": 0.5},
        {"kind": "constant", "value": 0.5},
        {"kind": "zeros"},
    )


def xor_random() -> Document:
    return _xor(
        "3 of 3: random (Xavier) initialisation",
        """
W₁ and W₂ are drawn from Xavier uniform (seeds 1 and 2), the biases start at 0. The hidden units start
different, learn different features, and the network fits XOR: the loss goes towards 0 and p rounds
to the right class on all four rows.
""",
        {"kind": "xavier_uniform", "seed": 1},
        {"kind": "xavier_uniform", "seed": 2},
        {"kind": "zeros"},
    )


def four_layer_network() -> Document:
    s = Sketch(
        """
Backprop article: the 4-layer network (4 inputs, two hidden layers of 2 units, 1 output)

The article's network: an input layer of 4 neurons, two hidden layers of 2 neurons and one output
neuron, written in the article's column form z = W·a + b: z₂ = W₁x + b₁, a₂ = f(z₂), z₃ = W₂a₂ + b₂,
a₃ = f(z₃), s = W₃a₃ + b₃, with W₁ of shape (2, 4) (rows: neurons of the next layer), and the cost
C = ½(s − y)² (the cost of the article's code).

Assumptions (the article's numbers and pictures are lost): f = sigmoid, a linear output, and the
values x = (1, 0.5, −1, 2), y = 1 and the weights below, chosen small so nothing saturates.

The article's recursion, which the backward pass follows node by node: the output error
E₄ = ∂C/∂s = s − y; a hidden layer's error E_l = (W_lᵀ·E_{l+1}) ⊙ f'(z_l); and every weight's
gradient is its layer's error times the layer's input, ∂C/∂W = E·aᵀ, ∂C/∂b = E.

What to try: step backwards and find E₄, E₃, E₂ on the edges entering the matmul nodes; compare
∂C/∂W₁ with E₂·xᵀ; switch f to ReLU or tanh and see which errors change.
""",
        WIDE,
    )
    s.node("parameter", "W1", 0, 0, "W₁", value=[[0.1, 0.2, -0.1, 0.3], [-0.2, 0.1, 0.4, 0.1]])
    s.node("input", "x", 0, 2, "x", value=[1.0, 0.5, -1.0, 2.0])
    s.node("matmul", "W1x", 1, 1, "W₁x", a="W1", b="x")
    s.node("parameter", "b1", 1, 2.25, "b₁", value=[0.1, -0.1])
    s.node("add", "z2", 2, 1, "z₂", a="W1x", b="b1")
    s.node("sigmoid", "a2", 3, 1, "a₂", x="z2")
    s.node("parameter", "W2", 3, 0, "W₂", value=[[0.5, -0.3], [0.2, 0.6]])
    s.node("matmul", "W2a2", 4, 1, "W₂a₂", a="W2", b="a2")
    s.node("parameter", "b2", 4, 2.25, "b₂", value=[0.0, 0.1])
    s.node("add", "z3", 5, 1, "z₃", a="W2a2", b="b2")
    s.node("sigmoid", "a3", 6, 1, "a₃", x="z3")
    s.node("parameter", "W3", 6, 0, "W₃", value=[[0.7, -0.4]])
    s.node("matmul", "W3a3", 7, 1, "W₃a₃", a="W3", b="a3")
    s.node("parameter", "b3", 7, 2.25, "b₃", value=[0.05])
    s.node("add", "s", 8, 1, "s", a="W3a3", b="b3")
    s.node("input", "y", 8, 2.25, "y", value=[1.0])
    s.node("mse", "C", 9, 1, "C", attrs={"reduction": "sum", "scale": 0.5}, pred="s", target="y")
    s.dataset(x=[[1.0, 0.5, -1.0, 2.0]], y=[[1.0]])
    s.training(loss="C", lr=0.5, epochs=20)
    return s.doc


def activation_gallery() -> Document:
    s = Sketch(
        """
Activation gallery: ReLU and its family, sigmoid and tanh on one input

One input x = −0.5 goes through ReLU, Leaky ReLU (α = 0.3), ELU (α = 1), SELU, Mish, sigmoid, tanh
and Swish with a trainable β (a parameter, 1 to start). The outputs are added up, so the gradient
reaching every activation is 1 and the gradient each one sends back to x is its derivative at x:
x's contributions list all eight derivatives side by side, and β's gradient is ∂swish/∂β = x²σ'(βx).

At x = −0.5: ReLU 0 (derivative 0), Leaky ReLU −0.15 (0.3), ELU e^−0.5 − 1 = −0.393469 (0.606531),
SELU −0.691758 (1.066341), Mish −0.220744 (0.289511), sigmoid 0.377541 (0.235004), tanh −0.462117
(0.786448), Swish −0.188771 (0.260039), ∂swish/∂β = 0.058751.

Conventions (as PyTorch): at a kink the derivative is the left branch's, ReLU'(0) = 0,
LeakyReLU'(0) = α, ELU'(0) = α, SELU'(0) = λα; SELU's λ = 1.0507009873554805, α = 1.6732632423543772.

Where the sheet disagrees: it writes ReLU'(t) = 1 for t ≥ 0 (so ReLU'(0) = 1: a choice, not an error;
the program uses 0); its Leaky ReLU derivative reads −0.3 for t < 0, which should be α = 0.3 (the
slope, not its negative; 0.3 is Keras's default, used here); and it quotes SELU's α as 1.67733, where
the paper's constant is 1.67326.

What to try: set x to 0, to 2, to −3 and compare the columns; set β to 0 (Swish becomes x/2) or 10
(almost ReLU).
"""
    )
    acts = [
        ("relu", "ReLU", {}),
        ("leaky_relu", "LReLU", {"alpha": 0.3}),
        ("elu", "ELU", {"alpha": 1.0}),
        ("selu", "SELU", {}),
        ("mish", "Mish", {}),
        ("sigmoid", "σ", {}),
        ("tanh", "tanh", {}),
    ]
    s.node("input", "x", 0, 3.5, "x", value=-0.5)
    s.node("parameter", "beta", 0, 8, "β", value=1.0, init={"kind": "ones"})
    ids = []
    for row, (op, label, attrs) in enumerate(acts):
        ids.append(s.node(op, op, 1, row, label, attrs=attrs or None, x="x"))
    ids.append(s.node("swish", "swish", 1, 7, "Swish", x="x", beta="beta"))
    level = ids
    col = 2
    while len(level) > 1:
        nxt = []
        for i in range(0, len(level), 2):
            a, b = level[i], level[i + 1]
            rows = [s.doc.node(n).position[1] / ROW for n in (a, b)]
            node_id = "total" if len(level) == 2 else f"sum_{a}_{b}"
            label = "Σ"
            nxt.append(s.node("add", node_id, col, sum(rows) / 2, label, a=a, b=b))
        level = nxt
        col += 1
    return s.doc


def two_moons() -> Document:
    X, labels = _make_moons()(300, 0.2, 0)
    s = Sketch(
        """
Two moons: a small real classification problem, trained with mini-batches

300 points in two interleaving half-moons (class 0 and class 1, Gaussian noise 0.2), made by
scripts/make_moons.py with seed 0 (rerun examples/build_examples.py to regenerate them). A 2-8-1
network, p = σ(tanh(x·W₁ + b₁)·W₂ + b₂) with logloss, learns the curved boundary that no straight
line can draw.

Training: mini-batches of 16 rows in an order shuffled every epoch (seed 0), SGD with lr 0.5 and
momentum 0.9, 100 epochs; each batch's update uses the mean of its rows' gradients. The loss starts
around 1 (the first batches) and falls below 0.05 as the network bends its boundary around the
moons.

Conventions: logloss with natural logs; W₁ and W₂ start from Xavier uniform (seeds 1 and 2), biases
at 0.

What to try: watch the loss curve while training; compare batch sizes 1, 16 and 300 (full batch);
set momentum to 0; replace tanh by ReLU; shrink the hidden layer to 2 units.
""",
        WIDE,
    )
    s.node("input", "x", 0, 0, "x")
    s.param("W1", 0, 2, "W₁", {"kind": "xavier_uniform", "seed": 1}, (2, 8))
    s.node("matmul", "xW1", 1, 1, "x·W₁", a="x", b="W1")
    s.param("b1", 1, 2.25, "b₁", {"kind": "zeros"}, (8,))
    s.node("add", "z1", 2, 1, "z₁", a="xW1", b="b1")
    s.node("tanh", "h", 3, 1, "h", x="z1")
    s.param("W2", 3, 2.25, "W₂", {"kind": "xavier_uniform", "seed": 2}, (8, 1))
    s.node("matmul", "hW2", 4, 1, "h·W₂", a="h", b="W2")
    s.param("b2", 4, 2.25, "b₂", {"kind": "zeros"}, (1,))
    s.node("add", "z2", 5, 1, "z₂", a="hW2", b="b2")
    s.node("sigmoid", "p", 6, 1, "p", x="z2")
    s.node("input", "t", 6, 2.25, "t")
    s.node("bce", "L", 7, 1, "L", pred="p", target="t")
    s.dataset(x=X, t=labels.reshape(-1, 1))
    s.training(lr=0.5, momentum=0.9, mode="minibatch", order="shuffle", batch_size=16, epochs=100, seed=0)
    return s.doc


EXAMPLES: dict[str, Callable[[], Document]] = {
    "01_computation_graph.json": computation_graph,
    "02_masha_relu_regression.json": masha_relu_regression,
    "03_masha_relu_classification.json": masha_relu_classification,
    "04_two_sgd_steps_classifier.json": two_steps_classifier,
    "05_two_sgd_steps_sigmoid_network.json": two_steps_sigmoid_network,
    "06_rnn_there_and_back.json": rnn_there_and_back,
    "07_perceptron_42.json": perceptron_42,
    "08_xor_1_zero_init.json": xor_zero,
    "08_xor_2_constant_init.json": xor_constant,
    "08_xor_3_random_init.json": xor_random,
    "09_four_layer_network.json": four_layer_network,
    "10_activation_gallery.json": activation_gallery,
    "11_two_moons.json": two_moons,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the example graphs.")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if a file is stale")
    parser.add_argument("--out", default=str(HERE), help="folder to write into (default: examples/)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    stale = []
    for name, build in EXAMPLES.items():
        doc = build()
        if name in RU:
            doc.extra["descriptions"] = {"ru": RU[name].strip() + "\n"}
        path = out / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != dumps(doc):
                stale.append(name)
            continue
        save(doc, path)
        print(f"wrote {path}")
    if stale:
        print("stale (rerun examples/build_examples.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
