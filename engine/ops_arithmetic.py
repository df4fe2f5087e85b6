"""Elementwise arithmetic: add sub mul div neg pow square sqrt exp log abs (broadcasting)."""

from __future__ import annotations

import numpy as np

from engine.registry import Formula, OpDef, broadcast_shape, register, same_shape, unbroadcast

register(
    OpDef(
        id="add",
        name="Add",
        group="Arithmetic",
        doc="y = a + b (broadcasting).",
        inputs=("a", "b"),
        forward=lambda a, b: a + b,
        vjps=(
            lambda g, xs, y: unbroadcast(g, xs[0].shape),
            lambda g, xs, y: unbroadcast(g, xs[1].shape),
        ),
        shape=broadcast_shape,
        formula=Formula(
            forward="{y} = {a} + {b}",
            forward_tex="{y} = {a} + {b}",
            local={"a": "∂y/∂a = 1", "b": "∂y/∂b = 1"},
            local_tex={"a": r"\frac{\partial y}{\partial a} = 1", "b": r"\frac{\partial y}{\partial b} = 1"},
        ),
    )
)

register(
    OpDef(
        id="mul",
        name="Multiply",
        group="Arithmetic",
        doc="y = a · b, elementwise (broadcasting).",
        inputs=("a", "b"),
        forward=lambda a, b: a * b,
        vjps=(
            lambda g, xs, y: unbroadcast(g * xs[1], xs[0].shape),
            lambda g, xs, y: unbroadcast(g * xs[0], xs[1].shape),
        ),
        shape=broadcast_shape,
        formula=Formula(
            forward="{y} = {a} · {b}",
            forward_tex=r"{y} = {a} \cdot {b}",
            local={"a": "∂y/∂a = b", "b": "∂y/∂b = a"},
            local_tex={"a": r"\frac{\partial y}{\partial a} = b", "b": r"\frac{\partial y}{\partial b} = a"},
        ),
    )
)

register(
    OpDef(
        id="square",
        name="Square",
        group="Arithmetic",
        doc="y = x².",
        inputs=("x",),
        forward=lambda x: x * x,
        vjps=(lambda g, xs, y: g * 2.0 * xs[0],),
        shape=same_shape,
        formula=Formula(
            forward="{y} = {x}²",
            forward_tex="{y} = {x}^2",
            local={"x": "∂y/∂x = 2x"},
            local_tex={"x": r"\frac{\partial y}{\partial x} = 2x"},
        ),
    )
)
