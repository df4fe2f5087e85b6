"""Small builders shared by the tests."""

from __future__ import annotations

import re

import numpy as np

import engine
from graph.document import Document


def op(d: Document, op_id: str, node_id: str, attrs: dict | None = None, **sources: str) -> str:
    """Add an op node and connect each port=source, in the order given; returns the id."""
    d.add_node(op_id, node_id, attrs=attrs or {})
    for port, source in sources.items():
        d.connect(source, node_id, port)
    return node_id


def f_xy(x: float = 1.0, y: float = 2.0) -> Document:
    """f(x, y) = x² + xy + (x + y)², each node one elementary + or × (sheet 4, exercise 1)."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=x)
    d.add_node("input", "y", value=y)
    op(d, "mul", "xx", a="x", b="x")
    op(d, "mul", "xy", a="x", b="y")
    op(d, "add", "s", a="x", b="y")
    op(d, "mul", "ss", a="s", b="s")
    op(d, "add", "t", a="xx", b="xy")
    op(d, "add", "f", a="t", b="ss")
    return d


def masha_relu() -> Document:
    """y = ReLU(x·W1)·W2, L = (ŷ − t)² (sheet 4, exercise 4)."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=[1.0, 2.0])
    d.add_node("parameter", "W1", value=[[1.0, -1.0], [0.5, 0.0]])
    d.add_node("parameter", "W2", value=[[0.5], [1.0]])
    d.add_node("input", "t", value=[0.0])
    op(d, "matmul", "H", a="x", b="W1")
    op(d, "relu", "O", x="H")
    op(d, "matmul", "yhat", a="O", b="W2")
    op(d, "mse", "L", {"reduction": "sum"}, pred="yhat", target="t")
    return d


def log_blows_up() -> Document:
    """L = (ln(w·x) − t)², x = 1, w = 1, t = −5, lr 1: update 1 has g = 2(0 + 5)/1 = 10, so w = −9,
    and update 2 takes the log of −9 at node y (the NaN tests)."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=1.0)
    d.add_node("parameter", "w", value=1.0)
    d.add_node("mul", "p")
    d.add_node("log", "y")
    d.add_node("input", "t", value=-5.0)
    d.add_node("mse", "L")
    edges = (("x", "p", "a"), ("w", "p", "b"), ("p", "y", "x"), ("y", "L", "pred"), ("t", "L", "target"))
    for s, tgt, port in edges:
        d.connect(s, tgt, port)
    d.training = {"lr": 1.0, "epochs": 10}
    return d


def perceptron(**training) -> Document:
    """The initialisation article's perceptron: x = (0.5, 2) and a bias input 1, weights from zero,
    target 42, L = (y − 42)², α = 0.1."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x")
    d.add_node("parameter", "w", value=[0.0, 0.0, 0.0], init={"kind": "zeros"})
    op(d, "matmul", "y", a="x", b="w")
    d.add_node("input", "t")
    op(d, "mse", "L", pred="y", target="t")
    d.dataset = {"columns": {"x": np.array([[0.5, 2.0, 1.0]]), "t": np.array([42.0])}}
    d.training = {"loss": "L", "optimizer": "sgd", "lr": 0.1, "mode": "sample", "epochs": 4, **training}
    return d


def tex_squash(tex: str) -> str:
    """TeX with the spaces that do not matter taken out, so that tests compare maths, not spacing.

    In math mode a space only matters between two letters (it ends a control word: \\cdot x is not
    \\cdotx); every other run of whitespace goes.
    """
    tex = re.sub(r"\s+", " ", tex)
    return re.sub(r"(?<![A-Za-z]) | (?![A-Za-z])", "", tex)


def shortcuts(window) -> dict[str, object]:
    """Every shortcut of the window's actions → its action, asserting that no key is used twice."""
    from PySide6.QtGui import QAction

    seen: dict[str, object] = {}
    for act in window.findChildren(QAction):
        for seq in act.shortcuts():
            key = seq.toString()
            if key:
                assert key not in seen or seen[key] is act, f"{key}: {act.text()} and {seen[key].text()}"
                seen[key] = act
    return seen
