"""Graph builders: whole documents made by code, for graphs too repetitive to draw by hand.

:func:`unrolled_rnn` builds a recurrent network unrolled over T time steps. The weights are one node
each (W, V, U), shared by every time step, so backprop through time is visible on the canvas: each
weight's gradient is the sum of the contributions flowing back from every step.

This module is part of ``graph/`` and never imports ``engine/``: the op catalogue (for port checks)
and a function drawing initial values are passed in by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from graph.document import Document, OpCatalogue

ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "elu", "selu", "softplus", "mish", "identity")
LOSSES = ("mse", "bce")
MAX_STEPS = 1000
MAX_SIZE = 4096
COL = 280.0  # horizontal distance between layers on the canvas, in pixels (nodes are 160 wide)
ROW = 120.0  # vertical distance between rows (a two-port node is 70 high)

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

Drawer = Callable[[dict[str, Any], tuple[int, ...], str], np.ndarray]


def subscript(n: int | str) -> str:
    """"12" → "₁₂", for labels such as h₁₂."""
    return str(n).translate(_SUB)


def _check_int(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    return int(value)


def unrolled_rnn(
    T: int,
    input_size: int = 1,
    hidden_size: int = 1,
    output_size: int = 1,
    activation: str = "relu",
    *,
    output_activation: str = "identity",
    bias: bool = False,
    loss: str = "mse",
    sequence: Sequence[Any] | None = None,
    weight_value: float | None = None,
    init: dict[str, Any] | None = None,
    seed: int = 0,
    lr: float = 0.1,
    ops: OpCatalogue | None = None,
    draw: Drawer | None = None,
) -> Document:
    """An Elman RNN unrolled over T steps, as a document whose output is the summed loss L.

    Row-vector convention, as in the rest of the program::

        h_t = f(h_{t-1} · W + x_t · V [+ b]),    ŷ_t = g(h_t · U [+ c]),    L = Σ_t loss(ŷ_t, y_t)

    with W (hidden × hidden), V (input × hidden), U (hidden × output), h_0 = 0 and f = `activation`,
    g = `output_activation`. Each of W, V, U (and b, c) is one parameter node feeding every step.
    `loss` "mse" is the per-step sum of squares (ŷ_t − y_t)² (reduction "sum", no ½); "bce" needs a
    sigmoid output.

    With every size 1 the cell is written with scalars and ``mul`` (the one-unit cell of the exercise
    sheets: weights w, v, u). `sequence` (T + 1 numbers or rows y_0 … y_T) builds the "predict the next
    element" task: step t reads y_{t-1} and is scored against y_t, with one input node per element.

    Weights: `weight_value` fills every weight with that constant (init "constant"); otherwise each
    gets `init` (default Xavier uniform) with its own seed (seed, seed + 1, …) and its value is drawn
    by `draw(init, shape, node_id)` when given (pass ``engine.train.initialisers.draw``), else set to zeros
    until the caller initialises it. `ops` (e.g. ``engine.REGISTRY``) makes the document check ports.
    """
    T = _check_int("T", T, 1, MAX_STEPS)
    n_in = _check_int("input size", input_size, 1, MAX_SIZE)
    n_h = _check_int("hidden size", hidden_size, 1, MAX_SIZE)
    n_out = _check_int("output size", output_size, 1, MAX_SIZE)
    for name, act in (("activation", activation), ("output activation", output_activation)):
        if act not in ACTIVATIONS:
            raise ValueError(f"{name} must be one of {', '.join(ACTIVATIONS)}, got {act!r}")
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(LOSSES)}, got {loss!r}")
    if loss == "bce" and output_activation != "sigmoid":
        raise ValueError('loss "bce" needs output_activation "sigmoid" (probabilities)')
    scalar = n_in == n_h == n_out == 1
    if sequence is not None:
        if n_in != n_out:
            raise ValueError("a sequence task reads and predicts one kind of element: input = output size")
        if len(sequence) != T + 1:
            raise ValueError(f"sequence must hold T + 1 = {T + 1} elements y_0 … y_T, got {len(sequence)}")

    doc = Document(ops)
    mult = "mul" if scalar else "matmul"

    def pos(col: float, row: float) -> tuple[float, float]:
        return (col * COL, row * ROW)

    def vec(n: int, value: Any = 0.0) -> Any:
        if scalar:
            return float(np.asarray(value, dtype=float).reshape(-1)[0])
        arr = np.asarray(value, dtype=float)
        return np.broadcast_to(arr, (n,)).copy() if arr.ndim == 0 else arr.reshape(n)

    def weight(node_id: str, shape: tuple[int, ...], k: int, col: float, row: float, label: str) -> str:
        shape = () if scalar else shape
        if weight_value is not None:
            node_init: dict[str, Any] = {"kind": "constant", "value": float(weight_value)}
            value = np.full(shape, float(weight_value))
        else:
            node_init = dict(init or {"kind": "xavier_uniform"})
            node_init.setdefault("seed", seed + k)
            value = draw(node_init, shape, node_id) if draw is not None else np.zeros(shape)
        doc.add_node("parameter", node_id, value=value, init=node_init, position=pos(col, row), label=label)
        return node_id

    def bias_param(node_id: str, n: int, col: float, row: float, label: str) -> str:
        doc.add_node(
            "parameter", node_id, value=vec(n), init={"kind": "zeros"}, position=pos(col, row), label=label
        )
        return node_id

    def apply(act: str, source: str, node_id: str, col: float, row: float, label: str) -> str:
        if act == "identity":
            return source
        doc.add_node(act, node_id, position=pos(col, row), label=label)
        doc.connect(source, node_id, "x")
        return node_id

    def times(a: str, b: str, node_id: str, col: float, row: float, label: str) -> str:
        # NOTE: the port order follows the layout (the source drawn higher feeds port a); matrices
        # are always value @ weight (h @ W).
        doc.add_node(mult, node_id, position=pos(col, row), label=label)
        doc.connect(a, node_id, "a")
        doc.connect(b, node_id, "b")
        return node_id

    def plus(a: str, b: str, node_id: str, col: float, row: float, label: str) -> str:
        doc.add_node("add", node_id, position=pos(col, row), label=label)
        doc.connect(a, node_id, "a")
        doc.connect(b, node_id, "b")
        return node_id

    # Layout: time runs left to right, one block of columns per step. The recurrent chain
    # (w·h, v·x → z → h) is the upper band, the output chain (u·h → ŷ → L) the lower band shifted one
    # step right, the running sum of the losses below it; W, V, U sit at the left edge.
    width = 4 + (1 if bias else 0)

    def start(t: int) -> int:
        return 2 + (t - 1) * width

    def h_col(t: int) -> int:
        return start(t) + 2 + (1 if bias else 0)

    def loss_col(t: int) -> int:
        return h_col(t) + 2 + (1 if bias else 0) + (output_activation != "identity")

    w_label, v_label, u_label = ("w", "v", "u") if scalar else ("W", "V", "U")
    W = weight("W" if not scalar else "w", (n_h, n_h), 0, 0, -1.6, w_label)
    V = weight("V" if not scalar else "v", (n_in, n_h), 1, 0, 2.7, v_label)
    U = weight("U" if not scalar else "u", (n_h, n_out), 2, 0, 4.0, u_label)
    b = bias_param("b", n_h, 0, 1.0, "b") if bias else None
    c = bias_param("c", n_out, 0, 5.2, "c") if bias else None
    doc.add_node("constant", "h0", value=vec(n_h), position=pos(1, 0.25), label="h" + subscript(0))

    def data_node(node_id: str, n: int, value: Any, col: float, row: float, label: str) -> str:
        doc.add_node("input", node_id, value=vec(n, value), position=pos(col, row), label=label)
        return node_id

    X_ROW, OUT_ROW, TARGET_ROW, SUM_ROW = 1.0, 3.0, 4.6, 5.6
    if sequence is not None:
        seq_ids = []
        for i, item in enumerate(sequence):
            col, row = (start(i + 1) - 1, X_ROW) if i < T else (loss_col(T) - 1, TARGET_ROW)
            seq_ids.append(data_node(f"y{i}", n_in, item, col, row, "y" + subscript(i)))

    h_prev = "h0"
    total = None
    for t in range(1, T + 1):
        s = subscript(t)
        col = start(t)
        if sequence is not None:
            x_t = seq_ids[t - 1]
        else:
            x_t = data_node(f"x{t}", n_in, 0.0, col - 1, X_ROW, "x" + s)
        x_name = "y" + subscript(t - 1) if sequence is not None else "x" + s
        if scalar:
            hw = times(W, h_prev, f"hw{t}", col, 0, "w·h" + subscript(t - 1))
            xv = times(x_t, V, f"vx{t}", col, 1.6, "v·" + x_name)
        else:
            hw = times(h_prev, W, f"hW{t}", col, 0, "h" + subscript(t - 1) + "W")
            xv = times(x_t, V, f"xV{t}", col, 1.6, x_name + "V")
        z = plus(hw, xv, f"z{t}", col + 1, 0.8, "z" + s)
        if b is not None:
            z = plus(z, b, f"zb{t}", col + 2, 0.8, "z" + s + " + b")
        hc = h_col(t)
        h = apply(activation, z, f"h{t}", hc, 0.8, "h" + s)
        if h == z:  # identity activation: the sum itself is the hidden state
            doc.set_label(z, "h" + s)
        out = hc + 1
        if scalar:
            hu = times(h, U, f"uh{t}", out, OUT_ROW, "u·h" + s)
        else:
            hu = times(h, U, f"hU{t}", out, OUT_ROW, "h" + s + "U")
        if c is not None:
            out += 1
            hu = plus(hu, c, f"oc{t}", out, OUT_ROW, "o" + s)
        if output_activation != "identity":
            out += 1
        yhat = apply(output_activation, hu, f"yhat{t}", out, OUT_ROW, "ŷ" + s)
        if yhat == hu:
            doc.set_label(hu, "ŷ" + s)
        lc = loss_col(t)
        if sequence is not None:
            target = seq_ids[t]
        else:
            target = data_node(f"y{t}", n_out, 0.0, lc - 1, TARGET_ROW, "y" + s)
        loss_id = "L" if T == 1 else f"L{t}"
        doc.add_node(
            loss,
            loss_id,
            attrs={"reduction": "sum"} if loss == "mse" else {},
            position=pos(lc, OUT_ROW),
            label="L" if T == 1 else "L" + s,
        )
        doc.connect(yhat, loss_id, "pred")
        doc.connect(target, loss_id, "target")
        if total is None:
            total = loss_id
        else:
            sum_id = "L" if t == T else f"S{t}"
            label = "L" if t == T else "L" + subscript(f"1…{t}")
            total = plus(total, loss_id, sum_id, lc + 1, SUM_ROW, label)
        h_prev = h
    doc.training = {
        "loss": "L",
        "optimizer": "sgd",
        "lr": float(lr),
        "momentum": 0.0,
        "mode": "sample",
        "order": "sequential",
        "batch_size": 1,
        "epochs": 1,
        "seed": int(seed),
    }
    return doc
