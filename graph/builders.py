"""Graph builders: whole documents made by code, for graphs too repetitive to draw by hand.

:func:`unrolled_rnn` builds a recurrent network unrolled over T time steps, as an :class:`RnnSpec`
says. The weights are one node each (W, V, U), shared by every time step, so backprop through time is
visible on the canvas: each weight's gradient is the sum of the contributions flowing back from every step.

This module is part of ``graph/`` and never imports ``engine/``: the op catalogue (for port checks and
the list of activations) and a function drawing initial values are passed in by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from graph.document import Document, OpInfo

IDENTITY = "identity"  # the activation that is none: the sum itself is the hidden state (or output)
LOSSES = ("mse", "bce")
MAX_STEPS = 1000
MAX_SIZE = 4096
COL = 280.0  # horizontal distance between layers on the canvas, in pixels (nodes are 160 wide)
ROW = 120.0  # vertical distance between rows (a two-port node is 70 high)

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

Drawer = Callable[[dict[str, Any], tuple[int, ...], str], np.ndarray]


class CatalogueOp(OpInfo, Protocol):
    """What the builder reads of an op record (engine.ops.registry.OpDef has it)."""

    id: str
    group: str
    elementwise: bool


class Catalogue(Protocol):
    """An op catalogue the builder can look ops up in and list (engine.REGISTRY is one)."""

    def get(self, op_id: str) -> CatalogueOp | None: ...

    def __iter__(self) -> Iterator[CatalogueOp]: ...


def subscript(n: int | str) -> str:
    """"12" → "₁₂", for labels such as h₁₂."""
    return str(n).translate(_SUB)


def _check_int(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class RnnSpec:
    """The shape of an unrolled Elman RNN (what :func:`unrolled_rnn` builds).

    Row-vector convention, as in the rest of the program::

        h_t = f(h_{t-1} · W + x_t · V [+ b]),    ŷ_t = g(h_t · U [+ c]),    L = Σ_t loss(ŷ_t, y_t)

    with W (hidden × hidden), V (input × hidden), U (hidden × output), h_0 = 0 and f = `activation`,
    g = `output_activation` ("identity" for none). Each of W, V, U (and b, c with `bias`) is one
    parameter node feeding every step. `loss` "mse" is the per-step sum of squares (ŷ_t − y_t)²
    (reduction "sum", no ½); "bce" needs a sigmoid output.

    With every size 1 the cell is written with scalars and ``mul`` (the one-unit cell of the exercise
    sheets: weights w, v, u). `sequence` (T + 1 numbers or rows y_0 … y_T) builds the "predict the next
    element" task: step t reads y_{t-1} and is scored against y_t, with one input node per element.

    Weights: `weight_value` fills every weight with that constant (init "constant"); otherwise each
    gets `init` (default Xavier uniform) with its own seed (seed, seed + 1, …). `lr` and `seed` go into
    the document's training settings.
    """

    T: int
    input_size: int = 1
    hidden_size: int = 1
    output_size: int = 1
    activation: str = "relu"
    output_activation: str = IDENTITY
    bias: bool = False
    loss: str = "mse"
    sequence: Sequence[Any] | None = None
    weight_value: float | None = None
    init: dict[str, Any] | None = None
    seed: int = 0
    lr: float = 0.1

    @property
    def scalar(self) -> bool:
        return self.input_size == self.hidden_size == self.output_size == 1

    def check(self, activations: Sequence[str] | None) -> None:
        """Raise ValueError naming the first bad setting; activations None accepts any name."""
        _check_int("T", self.T, 1, MAX_STEPS)
        _check_int("input size", self.input_size, 1, MAX_SIZE)
        _check_int("hidden size", self.hidden_size, 1, MAX_SIZE)
        _check_int("output size", self.output_size, 1, MAX_SIZE)
        for name, act in (("activation", self.activation), ("output activation", self.output_activation)):
            if activations is not None and act not in activations:
                raise ValueError(f"{name} must be one of {', '.join(activations)}, got {act!r}")
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {', '.join(LOSSES)}, got {self.loss!r}")
        if self.loss == "bce" and self.output_activation != "sigmoid":
            raise ValueError('loss "bce" needs output_activation "sigmoid" (probabilities)')
        if self.sequence is not None:
            if self.input_size != self.output_size:
                raise ValueError(
                    "a sequence task reads and predicts one kind of element: input = output size"
                )
            if len(self.sequence) != self.T + 1:
                raise ValueError(
                    f"sequence must hold T + 1 = {self.T + 1} elements y_0 … y_T, got {len(self.sequence)}"
                )


def rnn_activations(ops: Iterable[CatalogueOp]) -> tuple[str, ...]:
    """The activations an RNN cell can use: the catalogue's one-input elementwise ops of the group
    "Activations" (softmax is not elementwise), then "identity" for none."""
    found = [op.id for op in ops if op.group == "Activations" and len(op.inputs) == 1 and op.elementwise]
    return (*found, IDENTITY)


def unrolled_rnn(spec: RnnSpec, ops: Catalogue | None = None, draw: Drawer | None = None) -> Document:
    """An Elman RNN unrolled over spec.T steps, as a document whose output is the summed loss L.

    `ops` (e.g. ``engine.REGISTRY``) is the op catalogue: the activations are checked against it and
    the document checks ports. Weight values are drawn by `draw(init, shape, node_id)` when given (pass
    ``engine.train.initialisers.draw``), else set to zeros until the caller initialises them.
    """
    spec.check(None if ops is None else rnn_activations(ops))
    build = _RnnBuilder(spec, Document(ops), draw)
    weights, sequence = build.leaves()
    h_prev, total = "h0", None
    for t in range(1, spec.T + 1):
        h_prev, yhat = build.time_step(t, h_prev, weights, sequence)
        total = build.loss(t, yhat, sequence, total)
    build.doc.training = {
        "loss": "L",
        "optimizer": "sgd",
        "lr": float(spec.lr),
        "momentum": 0.0,
        "mode": "sample",
        "order": "sequential",
        "batch_size": 1,
        "epochs": 1,
        "seed": int(spec.seed),
    }
    return build.doc


@dataclass(frozen=True)
class _Weights:
    W: str
    V: str
    U: str
    b: str | None
    c: str | None


class _RnnBuilder:
    """Adds the RNN's nodes to doc, stage by stage, each at its place in the layout.

    Layout: time runs left to right, one block of columns per step. The recurrent chain
    (w·h, v·x → z → h) is the upper band, the output chain (u·h → ŷ → L) the lower band shifted one
    step right, the running sum of the losses below it; W, V, U sit at the left edge.
    """

    X_ROW, OUT_ROW, TARGET_ROW, SUM_ROW = 1.0, 3.0, 4.6, 5.6

    def __init__(self, spec: RnnSpec, doc: Document, draw: Drawer | None) -> None:
        self.spec = spec
        self.doc = doc
        self.draw = draw
        self.scalar = spec.scalar
        self.mult = "mul" if self.scalar else "matmul"
        self.width = 4 + (1 if spec.bias else 0)

    # ----- layout
    @staticmethod
    def pos(col: float, row: float) -> tuple[float, float]:
        return (col * COL, row * ROW)

    def start(self, t: int) -> int:
        return 2 + (t - 1) * self.width

    def h_col(self, t: int) -> int:
        return self.start(t) + 2 + (1 if self.spec.bias else 0)

    def loss_col(self, t: int) -> int:
        return self.h_col(t) + 2 + (1 if self.spec.bias else 0) + (self.spec.output_activation != IDENTITY)

    # ----- nodes
    def vec(self, n: int, value: Any = 0.0) -> Any:
        if self.scalar:
            return float(np.asarray(value, dtype=float).reshape(-1)[0])
        arr = np.asarray(value, dtype=float)
        return np.broadcast_to(arr, (n,)).copy() if arr.ndim == 0 else arr.reshape(n)

    def weight(self, node_id: str, shape: tuple[int, ...], k: int, row: float, label: str) -> str:
        shape = () if self.scalar else shape
        spec = self.spec
        if spec.weight_value is not None:
            node_init: dict[str, Any] = {"kind": "constant", "value": float(spec.weight_value)}
            value = np.full(shape, float(spec.weight_value))
        else:
            node_init = dict(spec.init or {"kind": "xavier_uniform"})
            node_init.setdefault("seed", spec.seed + k)
            value = self.draw(node_init, shape, node_id) if self.draw is not None else np.zeros(shape)
        position = self.pos(0, row)
        self.doc.add_node("parameter", node_id, value=value, init=node_init, position=position, label=label)
        return node_id

    def bias_param(self, node_id: str, n: int, row: float) -> str:
        value, position = self.vec(n), self.pos(0, row)
        init = {"kind": "zeros"}
        self.doc.add_node("parameter", node_id, value=value, init=init, position=position, label=node_id)
        return node_id

    def data_node(self, node_id: str, n: int, value: Any, col: float, row: float, label: str) -> str:
        value, position = self.vec(n, value), self.pos(col, row)
        self.doc.add_node("input", node_id, value=value, position=position, label=label)
        return node_id

    def apply(self, act: str, source: str, node_id: str, col: float, row: float, label: str) -> str:
        """act applied to source; with "identity" the source itself, relabelled."""
        if act == IDENTITY:
            self.doc.set_label(source, label)
            return source
        self.doc.add_node(act, node_id, position=self.pos(col, row), label=label)
        self.doc.connect(source, node_id, "x")
        return node_id

    def binary(self, op: str, a: str, b: str, node_id: str, col: float, row: float, label: str) -> str:
        # NOTE: the port order follows the layout (the source drawn higher feeds port a); matrices
        # are always value @ weight (h @ W).
        self.doc.add_node(op, node_id, position=self.pos(col, row), label=label)
        self.doc.connect(a, node_id, "a")
        self.doc.connect(b, node_id, "b")
        return node_id

    # ----- stages
    def leaves(self) -> tuple[_Weights, list[str] | None]:
        """The weights (and biases), h₀, and with a sequence its elements y_0 … y_T."""
        spec, scalar = self.spec, self.scalar
        n_in, n_h, n_out = spec.input_size, spec.hidden_size, spec.output_size
        w_label, v_label, u_label = ("w", "v", "u") if scalar else ("W", "V", "U")
        weights = _Weights(
            self.weight(w_label, (n_h, n_h), 0, -1.6, w_label),
            self.weight(v_label, (n_in, n_h), 1, 2.7, v_label),
            self.weight(u_label, (n_h, n_out), 2, 4.0, u_label),
            self.bias_param("b", n_h, 1.0) if spec.bias else None,
            self.bias_param("c", n_out, 5.2) if spec.bias else None,
        )
        h0, position = self.vec(n_h), self.pos(1, 0.25)
        self.doc.add_node("constant", "h0", value=h0, position=position, label="h" + subscript(0))
        if spec.sequence is None:
            return weights, None
        ids = []
        for i, item in enumerate(spec.sequence):
            # y_0 … y_{T-1} are read (at the left of their step); y_T is only a target.
            read = i < spec.T
            col = self.start(i + 1) - 1 if read else self.loss_col(spec.T) - 1
            row = self.X_ROW if read else self.TARGET_ROW
            ids.append(self.data_node(f"y{i}", n_in, item, col, row, "y" + subscript(i)))
        return weights, ids

    def time_step(self, t: int, h_prev: str, w: _Weights, sequence: list[str] | None) -> tuple[str, str]:
        """h_t from h_{t-1} and x_t, then ŷ_t from h_t: the ids of h_t and ŷ_t."""
        s, col = subscript(t), self.start(t)
        if sequence is not None:
            x_t, x_name = sequence[t - 1], "y" + subscript(t - 1)
        else:
            x_name = "x" + s
            x_t = self.data_node(f"x{t}", self.spec.input_size, 0.0, col - 1, self.X_ROW, x_name)
        if self.scalar:
            hw = self.binary(self.mult, w.W, h_prev, f"hw{t}", col, 0, "w·h" + subscript(t - 1))
            xv = self.binary(self.mult, x_t, w.V, f"vx{t}", col, 1.6, "v·" + x_name)
        else:
            hw = self.binary(self.mult, h_prev, w.W, f"hW{t}", col, 0, "h" + subscript(t - 1) + "W")
            xv = self.binary(self.mult, x_t, w.V, f"xV{t}", col, 1.6, x_name + "V")
        z = self.binary("add", hw, xv, f"z{t}", col + 1, 0.8, "z" + s)
        if w.b is not None:
            z = self.binary("add", z, w.b, f"zb{t}", col + 2, 0.8, "z" + s + " + b")
        hc = self.h_col(t)
        h = self.apply(self.spec.activation, z, f"h{t}", hc, 0.8, "h" + s)
        out = hc + 1
        u_id, u_label = (f"uh{t}", "u·h" + s) if self.scalar else (f"hU{t}", "h" + s + "U")
        hu = self.binary(self.mult, h, w.U, u_id, out, self.OUT_ROW, u_label)
        if w.c is not None:
            out += 1
            hu = self.binary("add", hu, w.c, f"oc{t}", out, self.OUT_ROW, "o" + s)
        if self.spec.output_activation != IDENTITY:
            out += 1
        return h, self.apply(self.spec.output_activation, hu, f"yhat{t}", out, self.OUT_ROW, "ŷ" + s)

    def loss(self, t: int, yhat: str, sequence: list[str] | None, total: str | None) -> str:
        """L_t = loss(ŷ_t, y_t), added to the running total (the last sum, or the only loss, is L)."""
        spec, s, lc = self.spec, subscript(t), self.loss_col(t)
        if sequence is not None:
            target = sequence[t]
        else:
            target = self.data_node(f"y{t}", spec.output_size, 0.0, lc - 1, self.TARGET_ROW, "y" + s)
        loss_id = "L" if spec.T == 1 else f"L{t}"
        attrs = {"reduction": "sum"} if spec.loss == "mse" else {}
        label = "L" if spec.T == 1 else "L" + s
        self.doc.add_node(spec.loss, loss_id, attrs=attrs, position=self.pos(lc, self.OUT_ROW), label=label)
        self.doc.connect(yhat, loss_id, "pred")
        self.doc.connect(target, loss_id, "target")
        if total is None:
            return loss_id
        sum_id, sum_label = ("L", "L") if t == spec.T else (f"S{t}", "L" + subscript(f"1…{t}"))
        return self.binary("add", total, loss_id, sum_id, lc + 1, self.SUM_ROW, sum_label)
