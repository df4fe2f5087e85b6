"""Elementwise arithmetic: add sub mul div neg pow square sqrt exp log abs sin (broadcasting).

Forwards return ndarrays even when every input is 0-d (numpy would hand back a numpy scalar there).
Operations that can leave their domain (sqrt, log, pow) compute under ``np.errstate`` so that a
negative or zero input gives numpy's nan/inf without a RuntimeWarning: the engine reports non-finite
values itself, naming the node.
"""

from __future__ import annotations

import numpy as np

from engine.ops.registry import (
    BATCH_BROADCAST,
    Formula,
    OpDef,
    broadcast_shape,
    elementwise_inline,
    register,
    same_shape,
    unbroadcast,
)

_asarray = np.asarray


def _dy(port: str) -> str:
    """∂y/∂port as a local-derivative template: {y} and {port} stand for the nodes' names."""
    return r"\frac{{\partial {y}}}{{\partial {" + port + "}}}"


# ---------------------------------------------------------------------------------------------- add
def _add(a, b):
    return _asarray(a + b)


def _add_vjp_a(g, xs, y):
    return unbroadcast(g, xs[0].shape)


def _add_vjp_b(g, xs, y):
    return unbroadcast(g, xs[1].shape)


register(
    OpDef(
        id="add",
        keeps_non_finite=True,
        float_forward="{a} + {b}",
        float_vjps=("{g}", "{g}"),
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="Add",
        group="Arithmetic",
        doc="y = a + b (broadcasting).",
        inputs=("a", "b"),
        forward=_add,
        vjps=(_add_vjp_a, _add_vjp_b),
        shape=broadcast_shape,
        inline_forward="{a} + {b}",
        inline_vjps=elementwise_inline("{g}", "{g}"),
        sympy=lambda sp, a, b: a + b,
        formula=Formula(
            forward="{y} = {a} + {b}",
            forward_tex="{y} = {a} + {b}",
            local={"a": "∂{y}/∂{a} = 1", "b": "∂{y}/∂{b} = 1"},
            local_tex={"a": _dy("a") + " = 1", "b": _dy("b") + " = 1"},
        ),
    )
)


# ---------------------------------------------------------------------------------------------- sub
def _sub(a, b):
    return _asarray(a - b)


def _sub_vjp_b(g, xs, y):
    return unbroadcast(-g, xs[1].shape)


register(
    OpDef(
        id="sub",
        keeps_non_finite=True,
        float_forward="{a} - {b}",
        float_vjps=("{g}", "-{g}"),
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="Subtract",
        group="Arithmetic",
        doc="y = a − b (broadcasting).",
        inputs=("a", "b"),
        forward=_sub,
        vjps=(_add_vjp_a, _sub_vjp_b),
        shape=broadcast_shape,
        inline_forward="{a} - {b}",
        inline_vjps=elementwise_inline("{g}", "-{g}"),
        sympy=lambda sp, a, b: a - b,
        formula=Formula(
            forward="{y} = {a} − {b}",
            forward_tex="{y} = {a} - {b}",
            local={"a": "∂{y}/∂{a} = 1", "b": "∂{y}/∂{b} = −1"},
            local_tex={"a": _dy("a") + " = 1", "b": _dy("b") + " = -1"},
        ),
    )
)


# ---------------------------------------------------------------------------------------------- mul
def _mul(a, b):
    return _asarray(a * b)


def _mul_vjp_a(g, xs, y):
    return unbroadcast(g * xs[1], xs[0].shape)


def _mul_vjp_b(g, xs, y):
    return unbroadcast(g * xs[0], xs[1].shape)


register(
    OpDef(
        id="mul",
        keeps_non_finite=True,
        float_forward="{a} * {b}",
        float_vjps=("{g} * {b}", "{g} * {a}"),
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="Multiply",
        group="Arithmetic",
        doc="y = a · b, elementwise (broadcasting).",
        inputs=("a", "b"),
        forward=_mul,
        vjps=(_mul_vjp_a, _mul_vjp_b),
        shape=broadcast_shape,
        inline_forward="{a} * {b}",
        inline_vjps=elementwise_inline("{g} * {b}", "{g} * {a}"),
        sympy=lambda sp, a, b: a * b,
        formula=Formula(
            forward="{y} = {a} · {b}",
            forward_tex=r"{y} = {a} \cdot {b}",
            local={"a": "∂{y}/∂{a} = {b}", "b": "∂{y}/∂{b} = {a}"},
            local_tex={"a": _dy("a") + " = {b}", "b": _dy("b") + " = {a}"},
        ),
    )
)


# ---------------------------------------------------------------------------------------------- div
def _div(a, b):
    return _asarray(a / b)


def _div_vjp_a(g, xs, y):
    return unbroadcast(g / xs[1], xs[0].shape)


def _div_vjp_b(g, xs, y):
    # NOTE: ∂(a/b)/∂b = −a/b² = −y/b, so the output is reused.
    return unbroadcast(-g * y / xs[1], xs[1].shape)


register(
    OpDef(
        id="div",
        float_forward="{a} / {b}",
        float_vjps=("{g} / {b}", "-{g} * {y} / {b}"),
        batch=BATCH_BROADCAST,
        elementwise=True,
        domain_hint="division by zero",
        name="Divide",
        group="Arithmetic",
        doc="y = a / b, elementwise (broadcasting).",
        inputs=("a", "b"),
        forward=_div,
        vjps=(_div_vjp_a, _div_vjp_b),
        shape=broadcast_shape,
        sympy=lambda sp, a, b: a / b,
        formula=Formula(
            forward="{y} = {a} / {b}",
            forward_tex=r"{y} = \frac{{{a}}}{{{b}}}",
            local={"a": "∂{y}/∂{a} = 1/{b}", "b": "∂{y}/∂{b} = −{a}/{b}²"},
            local_tex={"a": _dy("a") + r" = \frac{{1}}{{{b}}}", "b": _dy("b") + r" = -\frac{{{a}}}{{{b}^2}}"},
        ),
    )
)


# ---------------------------------------------------------------------------------------------- neg
def _neg(x):
    return _asarray(-x)


def _neg_vjp(g, xs, y):
    return -g


register(
    OpDef(
        id="neg",
        keeps_non_finite=True,
        float_forward="-{x}",
        float_vjps=("-{g}",),
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="Negate",
        group="Arithmetic",
        doc="y = −x.",
        inputs=("x",),
        forward=_neg,
        vjps=(_neg_vjp,),
        shape=same_shape,
        inline_forward="-{x}",
        inline_vjps=elementwise_inline("-{g}"),
        sympy=lambda sp, x: -x,
        formula=Formula(
            forward="{y} = −{x}",
            forward_tex="{y} = -{x}",
            local={"x": "∂{y}/∂{x} = −1"},
            local_tex={"x": _dy("x") + " = -1"},
        ),
    )
)


# ---------------------------------------------------------------------------------------------- pow
def _pow(a, b):
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _asarray(a**b)


def _pow_vjp_a(g, xs, y):
    a, b = xs
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # NOTE: PyTorch's convention: where b == 0 the derivative b·a^(b−1) is 0, even at a = 0.
        return unbroadcast(g * np.where(b == 0.0, 0.0, b * a ** (b - 1.0)), a.shape)


def _pow_vjp_b(g, xs, y):
    a = xs[0]
    # NOTE: ∂(a^b)/∂b = a^b · ln a is real only for a > 0; elsewhere it is taken as 0.
    ln_a = np.log(a, out=np.zeros(a.shape), where=a > 0.0)
    return unbroadcast(g * y * ln_a, xs[1].shape)


register(
    OpDef(
        id="pow",
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="Power",
        group="Arithmetic",
        doc="y = a ** b, elementwise (broadcasting); the b-gradient is 0 where a ≤ 0.",
        inputs=("a", "b"),
        forward=_pow,
        vjps=(_pow_vjp_a, _pow_vjp_b),
        shape=broadcast_shape,
        sympy=lambda sp, a, b: a**b,
        formula=Formula(
            forward="{y} = {a}^{b}",
            forward_tex="{y} = {a}^{{{b}}}",
            local={
                "a": "∂{y}/∂{a} = {b}·{a}^({b}−1)",
                "b": "∂{y}/∂{b} = {a}^{b} · ln {a}  (0 where {a} ≤ 0)",
            },
            local_tex={"a": _dy("a") + r" = {b}\,{a}^{{{b}-1}}", "b": _dy("b") + r" = {a}^{{{b}}}\,\ln {a}"},
        ),
    )
)


# ------------------------------------------------------------------------------------------- square
def _square(x):
    return _asarray(x * x)


def _square_vjp(g, xs, y):
    return g * 2.0 * xs[0]


register(
    OpDef(
        id="square",
        keeps_non_finite=True,
        float_forward="{x} * {x}",
        float_vjps=("{g} * 2.0 * {x}",),
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="Square",
        group="Arithmetic",
        doc="y = x².",
        inputs=("x",),
        forward=_square,
        vjps=(_square_vjp,),
        shape=same_shape,
        inline_forward="{x} * {x}",
        inline_vjps=elementwise_inline("{g} * 2.0 * {x}"),
        sympy=lambda sp, x: x**2,
        formula=Formula(
            forward="{y} = {x}²",
            forward_tex="{y} = {x}^2",
            local={"x": "∂{y}/∂{x} = 2{x}"},
            local_tex={"x": _dy("x") + " = 2{x}"},
        ),
    )
)


# --------------------------------------------------------------------------------------------- sqrt
def _sqrt(x):
    with np.errstate(invalid="ignore"):
        return _asarray(np.sqrt(x))


def _sqrt_vjp(g, xs, y):
    # NOTE: d√x/dx = 1/(2√x) = 0.5/y, so the output is reused.
    with np.errstate(divide="ignore", invalid="ignore"):
        return g * 0.5 / y


register(
    OpDef(
        id="sqrt",
        float_forward="math.sqrt({x})",
        float_vjps=("{g} * 0.5 / {y}",),
        batch=BATCH_BROADCAST,
        elementwise=True,
        domain_hint="square root of a negative number",
        name="Square root",
        group="Arithmetic",
        doc="y = √x (nan for x < 0).",
        inputs=("x",),
        forward=_sqrt,
        vjps=(_sqrt_vjp,),
        shape=same_shape,
        sympy=lambda sp, x: sp.sqrt(x),
        formula=Formula(
            forward="{y} = √{x}",
            forward_tex=r"{y} = \sqrt{{{x}}}",
            local={"x": "∂{y}/∂{x} = 1/(2√{x})"},
            local_tex={"x": _dy("x") + r" = \frac{{1}}{{2\sqrt{{{x}}}}}"},
        ),
    )
)


# ---------------------------------------------------------------------------------------------- exp
def _exp(x):
    return _asarray(np.exp(x))


def _exp_vjp(g, xs, y):
    return g * y


register(
    OpDef(
        id="exp",
        keeps_non_finite_gradient=True,
        float_forward="math.exp({x})",
        float_vjps=("{g} * {y}",),
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="Exp",
        group="Arithmetic",
        doc="y = eˣ.",
        inputs=("x",),
        forward=_exp,
        vjps=(_exp_vjp,),
        shape=same_shape,
        sympy=lambda sp, x: sp.exp(x),
        formula=Formula(
            forward="{y} = e^{x}",
            forward_tex="{y} = e^{{{x}}}",
            local={"x": "∂{y}/∂{x} = e^{x} = {y}"},
            local_tex={"x": _dy("x") + " = e^{{{x}}} = {y}"},
        ),
    )
)


# ---------------------------------------------------------------------------------------------- log
def _log(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return _asarray(np.log(x))


def _log_vjp(g, xs, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return g / xs[0]


register(
    OpDef(
        id="log",
        float_forward="math.log({x})",
        float_vjps=("{g} / {x}",),
        batch=BATCH_BROADCAST,
        elementwise=True,
        domain_hint="log of zero or of a negative number",
        name="Log",
        group="Arithmetic",
        doc="y = ln x, the natural logarithm (−inf at 0, nan below).",
        inputs=("x",),
        forward=_log,
        vjps=(_log_vjp,),
        shape=same_shape,
        sympy=lambda sp, x: sp.log(x),
        formula=Formula(
            forward="{y} = ln({x})",
            forward_tex=r"{y} = \ln({x})",
            local={"x": "∂{y}/∂{x} = 1/{x}"},
            local_tex={"x": _dy("x") + r" = \frac{{1}}{{{x}}}"},
        ),
    )
)


# ---------------------------------------------------------------------------------------------- abs
def _abs(x):
    return _asarray(np.abs(x))


def _abs_vjp(g, xs, y):
    return g * np.sign(xs[0])


register(
    OpDef(
        id="abs",
        keeps_non_finite=True,
        float_forward="abs({x})",
        float_vjps=("{g} * (1.0 if {x} > 0.0 else -1.0 if {x} < 0.0 else 0.0 * {x})",),
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="Absolute value",
        group="Arithmetic",
        doc="y = |x|; its derivative at 0 is taken as 0 (PyTorch's sign).",
        inputs=("x",),
        forward=_abs,
        vjps=(_abs_vjp,),
        shape=same_shape,
        kinks=(0.0,),
        sympy=lambda sp, x: sp.Abs(x),
        formula=Formula(
            forward="{y} = |{x}|",
            forward_tex=r"{y} = \lvert {x} \rvert",
            local={"x": "∂{y}/∂{x} = sign({x})  (0 at {x} = 0)"},
            local_tex={"x": _dy("x") + r" = \operatorname{{sign}}({x})"},
        ),
    )
)


# ---------------------------------------------------------------------------------------------- sin
def _sin(x):
    return _asarray(np.sin(x))


def _sin_vjp(g, xs, y):
    return g * np.cos(xs[0])


register(
    OpDef(
        id="sin",
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="Sine",
        group="Arithmetic",
        doc="y = sin x (x in radians).",
        inputs=("x",),
        forward=_sin,
        vjps=(_sin_vjp,),
        shape=same_shape,
        sympy=lambda sp, x: sp.sin(x),
        formula=Formula(
            forward="{y} = sin({x})",
            forward_tex=r"{y} = \sin({x})",
            local={"x": "∂{y}/∂{x} = cos {x}"},
            local_tex={"x": _dy("x") + r" = \cos {x}"},
        ),
    )
)
