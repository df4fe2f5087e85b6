"""Small builders shared by the tests."""

from __future__ import annotations

import re

import numpy as np

import engine
from graph.document import Document


def f_xy(x: float = 1.0, y: float = 2.0) -> Document:
    """f(x, y) = x² + xy + (x + y)², each node one elementary + or × (sheet 4, exercise 1)."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=x)
    d.add_node("input", "y", value=y)
    d.add_node("mul", "xx")
    d.connect("x", "xx", "a")
    d.connect("x", "xx", "b")
    d.add_node("mul", "xy")
    d.connect("x", "xy", "a")
    d.connect("y", "xy", "b")
    d.add_node("add", "s")
    d.connect("x", "s", "a")
    d.connect("y", "s", "b")
    d.add_node("mul", "ss")
    d.connect("s", "ss", "a")
    d.connect("s", "ss", "b")
    d.add_node("add", "t")
    d.connect("xx", "t", "a")
    d.connect("xy", "t", "b")
    d.add_node("add", "f")
    d.connect("t", "f", "a")
    d.connect("ss", "f", "b")
    return d


def masha_relu() -> Document:
    """y = ReLU(x·W1)·W2, L = (ŷ − t)² (sheet 4, exercise 4)."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=[1.0, 2.0])
    d.add_node("parameter", "W1", value=[[1.0, -1.0], [0.5, 0.0]])
    d.add_node("parameter", "W2", value=[[0.5], [1.0]])
    d.add_node("input", "t", value=[0.0])
    d.add_node("matmul", "H")
    d.connect("x", "H", "a")
    d.connect("W1", "H", "b")
    d.add_node("relu", "O")
    d.connect("H", "O", "x")
    d.add_node("matmul", "yhat")
    d.connect("O", "yhat", "a")
    d.connect("W2", "yhat", "b")
    d.add_node("mse", "L", attrs={"reduction": "sum"})
    d.connect("yhat", "L", "pred")
    d.connect("t", "L", "target")
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
    for s, t, port in (
        ("x", "p", "a"),
        ("w", "p", "b"),
        ("p", "y", "x"),
        ("y", "L", "pred"),
        ("t", "L", "target"),
    ):
        d.connect(s, t, port)
    d.training = {"lr": 1.0, "epochs": 10}
    return d


def perceptron(**training) -> Document:
    """The initialisation article's perceptron: x = (0.5, 2) and a bias input 1, weights from zero,
    target 42, L = (y − 42)², α = 0.1."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x")
    d.add_node("parameter", "w", value=[0.0, 0.0, 0.0], init={"kind": "zeros"})
    d.add_node("matmul", "y")
    d.add_node("input", "t")
    d.add_node("mse", "L")
    d.connect("x", "y", "a")
    d.connect("w", "y", "b")
    d.connect("y", "L", "pred")
    d.connect("t", "L", "target")
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
