"""Activation functions: relu leaky_relu elu selu sigmoid tanh softplus swish mish gelu softmax.

At a kink the derivative is the left branch's, as in PyTorch: ReLU'(0) = 0, LeakyReLU'(0) = α,
ELU'(0) = α, SELU'(0) = λα. Everything is computed without overflow: sigmoid(−1000) is 0 and
softplus(1000) is 1000, without a RuntimeWarning.
"""

from __future__ import annotations

import math

import numpy as np

from engine.ops.registry import (
    BATCH_BROADCAST,
    NO_SYMBOLIC_FORM,
    NOT_ROW_WISE,
    Attr,
    Formula,
    OpDef,
    OpShapeError,
    Shape,
    broadcast_shape,
    elementwise_inline,
    exact,
    register,
    same_shape,
    unbroadcast,
)

SELU_LAMBDA = 1.0507009873554805
SELU_ALPHA = 1.6732632423543772

_asarray = np.asarray
_exp = np.exp
_expm1 = np.expm1
_logaddexp = np.logaddexp
_maximum = np.maximum
_minimum = np.minimum
_tanh = np.tanh
_where = np.where


def sigmoid(x):
    """σ(x) = 1 / (1 + e⁻ˣ) = exp(−softplus(−x)), stable for every x (shared with losses)."""
    return _exp(-_logaddexp(0.0, -x))


# sigmoid over a Python float: exp(−logaddexp(0, −x)) with logaddexp's two branches as numpy has them.
_FLOAT_SIGMOID = "math.exp(-(math.log1p(math.exp(-{x})) if {x} > 0.0 else -{x} + math.log1p(math.exp({x}))))"


def sympy_sigmoid(sp, x):
    """σ as a sympy expression (shared with the losses' rules)."""
    return 1 / (1 + sp.exp(-x))


def sympy_softplus(sp, x):
    """softplus as a sympy expression (shared with the losses' rules)."""
    return sp.log(1 + sp.exp(x))


def _elementwise_shape(s: Shape, **attrs) -> Shape:
    return s


def _tex_cases(first: str, second: str) -> str:
    return r"\begin{{cases}} " + first + r" & {x} > 0 \\ " + second + r" & {x} \le 0 \end{{cases}}"


# ∂y/∂x of a one-input op, as a local-derivative template ({y} and {x} stand for the nodes' names).
_DY_DX = r"\frac{{\partial {y}}}{{\partial {x}}}"


# --------------------------------------------------------------------------------------------- relu
def _relu(x):
    return _asarray(_maximum(x, 0.0))


def _relu_vjp(g, xs, y):
    return g * (xs[0] > 0.0)


register(
    OpDef(
        id="relu",
        keeps_non_finite_gradient=True,
        float_forward="({x} if {x} > 0.0 else 0.0 * {x})",
        float_vjps=("{g} * ({x} > 0.0)",),
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="ReLU",
        group="Activations",
        doc="y = max(0, x); ReLU'(0) = 0.",
        inputs=("x",),
        forward=_relu,
        vjps=(_relu_vjp,),
        shape=same_shape,
        inline_forward="np.maximum({x}, 0.0)",
        inline_vjps=elementwise_inline("{g} * ({x} > 0.0)"),
        kinks=(0.0,),
        sympy=lambda sp, x: sp.Piecewise((x, x > 0), (0, True)),
        formula=Formula(
            forward="{y} = ReLU({x}) = max(0, {x})",
            forward_tex=r"{y} = \mathrm{{ReLU}}({x}) = \max(0, {x})",
            local={"x": "∂{y}/∂{x} = ReLU'({x}) = [{x} > 0]"},
            local_tex={"x": _DY_DX + r" = \mathrm{{ReLU}}'({x}) = [{x} > 0]"},
        ),
    )
)


# --------------------------------------------------------------------------------------- leaky_relu
def _leaky_relu(x, alpha):
    if alpha <= 1.0:
        return _asarray(_maximum(x, alpha * x))
    return _asarray(_minimum(x, alpha * x))


def _leaky_relu_vjp(g, xs, y, alpha):
    return _where(xs[0] > 0.0, g, alpha * g)


register(
    OpDef(
        id="leaky_relu",
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="Leaky ReLU",
        group="Activations",
        doc="y = x for x > 0, else α·x; LeakyReLU'(0) = α.",
        inputs=("x",),
        forward=_leaky_relu,
        vjps=(_leaky_relu_vjp,),
        shape=_elementwise_shape,
        attrs=(Attr("alpha", "float", 0.01, doc="The slope for x ≤ 0."),),
        kinks=(0.0,),
        sympy=lambda sp, x, alpha: sp.Piecewise((x, x > 0), (exact(sp, alpha) * x, True)),
        formula=Formula(
            forward="{y} = LeakyReLU({x}) = {x} if {x} > 0 else α·{x}",
            forward_tex=r"{y} = \mathrm{{LeakyReLU}}({x}) = \begin{{cases}} {x} & {x} > 0 \\ "
            r"\alpha {x} & \text{{otherwise}} \end{{cases}}",
            local={"x": "∂{y}/∂{x} = 1 if {x} > 0 else α"},
            local_tex={"x": _DY_DX + " = " + _tex_cases("1", r"\alpha")},
        ),
    )
)


# ---------------------------------------------------------------------------------------------- elu
def _elu(x, alpha):
    return _asarray(_maximum(x, 0.0) + alpha * _expm1(_minimum(x, 0.0)))


def _elu_vjp(g, xs, y, alpha):
    # NOTE: for x ≤ 0, d/dx α(eˣ − 1) = α·eˣ = y + α, so the output is reused.
    return _where(xs[0] > 0.0, g, g * (y + alpha))


register(
    OpDef(
        id="elu",
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="ELU",
        group="Activations",
        doc="y = x for x > 0, else α(eˣ − 1); ELU'(0) = α.",
        inputs=("x",),
        forward=_elu,
        vjps=(_elu_vjp,),
        shape=_elementwise_shape,
        attrs=(Attr("alpha", "float", 1.0, doc="The value −α that y approaches as x → −∞."),),
        kinks=(0.0,),
        sympy=lambda sp, x, alpha: sp.Piecewise((x, x > 0), (exact(sp, alpha) * (sp.exp(x) - 1), True)),
        formula=Formula(
            forward="{y} = ELU({x}) = {x} if {x} > 0 else α(e^{x} − 1)",
            forward_tex=r"{y} = \mathrm{{ELU}}({x}) = \begin{{cases}} {x} & {x} > 0 \\ "
            r"\alpha (e^{{{x}}} - 1) & \text{{otherwise}} \end{{cases}}",
            local={"x": "∂{y}/∂{x} = 1 if {x} > 0 else α·e^{x} (= {y} + α)"},
            local_tex={"x": _DY_DX + " = " + _tex_cases("1", r"\alpha e^{{{x}}}")},
        ),
    )
)


# --------------------------------------------------------------------------------------------- selu
def _selu(x):
    return _asarray(SELU_LAMBDA * (_maximum(x, 0.0) + SELU_ALPHA * _expm1(_minimum(x, 0.0))))


def _selu_vjp(g, xs, y):
    # NOTE: for x ≤ 0, d/dx λα(eˣ − 1) = λα·eˣ = y + λα.
    return _where(xs[0] > 0.0, SELU_LAMBDA * g, g * (y + SELU_LAMBDA * SELU_ALPHA))


def _selu_sympy(sp, x):
    return sp.Float(SELU_LAMBDA) * sp.Piecewise((x, x > 0), (sp.Float(SELU_ALPHA) * (sp.exp(x) - 1), True))


register(
    OpDef(
        id="selu",
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="SELU",
        group="Activations",
        doc="y = λ·x for x > 0, else λα(eˣ − 1), λ ≈ 1.0507, α ≈ 1.6733; SELU'(0) = λα.",
        inputs=("x",),
        forward=_selu,
        vjps=(_selu_vjp,),
        shape=same_shape,
        kinks=(0.0,),
        sympy=_selu_sympy,
        formula=Formula(
            forward="{y} = SELU({x}) = λ·({x} if {x} > 0 else α(e^{x} − 1))",
            forward_tex=r"{y} = \mathrm{{SELU}}({x}) = \lambda \begin{{cases}} {x} & {x} > 0 \\ "
            r"\alpha (e^{{{x}}} - 1) & \text{{otherwise}} \end{{cases}}",
            local={"x": "∂{y}/∂{x} = λ if {x} > 0 else λα·e^{x} (= {y} + λα)"},
            local_tex={"x": _DY_DX + " = " + _tex_cases(r"\lambda", r"\lambda \alpha e^{{{x}}}")},
        ),
    )
)


# ------------------------------------------------------------------------------------------ sigmoid
def _sigmoid(x):
    return _asarray(sigmoid(x))


def _sigmoid_vjp(g, xs, y):
    return g * y * (1.0 - y)


register(
    OpDef(
        id="sigmoid",
        keeps_non_finite_gradient=True,
        float_forward=_FLOAT_SIGMOID,
        float_vjps=("{g} * {y} * (1.0 - {y})",),
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="Sigmoid",
        group="Activations",
        doc="y = σ(x) = 1 / (1 + e⁻ˣ), computed without overflow.",
        inputs=("x",),
        forward=_sigmoid,
        vjps=(_sigmoid_vjp,),
        shape=same_shape,
        inline_vjps=elementwise_inline("{g} * {y} * (1.0 - {y})"),
        sympy=sympy_sigmoid,
        formula=Formula(
            forward="{y} = σ({x}) = 1 / (1 + e^(−{x}))",
            forward_tex=r"{y} = \sigma({x}) = \frac{{1}}{{1 + e^{{-{x}}}}}",
            local={"x": "∂{y}/∂{x} = σ({x})(1 − σ({x}))"},
            local_tex={"x": _DY_DX + r" = \sigma({x})\,(1 - \sigma({x}))"},
        ),
    )
)


# --------------------------------------------------------------------------------------------- tanh
def _tanh_forward(x):
    return _asarray(_tanh(x))


def _tanh_vjp(g, xs, y):
    return g * (1.0 - y * y)


register(
    OpDef(
        id="tanh",
        keeps_non_finite_gradient=True,
        float_forward="math.tanh({x})",
        float_vjps=("{g} * (1.0 - {y} * {y})",),
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="Tanh",
        group="Activations",
        doc="y = tanh(x).",
        inputs=("x",),
        forward=_tanh_forward,
        vjps=(_tanh_vjp,),
        shape=same_shape,
        inline_forward="np.tanh({x})",
        inline_vjps=elementwise_inline("{g} * (1.0 - {y} * {y})"),
        sympy=lambda sp, x: sp.tanh(x),
        formula=Formula(
            forward="{y} = tanh({x})",
            forward_tex=r"{y} = \tanh({x})",
            local={"x": "∂{y}/∂{x} = 1 − tanh²({x})"},
            local_tex={"x": _DY_DX + r" = 1 - \tanh^2({x})"},
        ),
    )
)


# ----------------------------------------------------------------------------------------- softplus
def _softplus(x):
    return _asarray(_logaddexp(0.0, x))


def _softplus_vjp(g, xs, y):
    # NOTE: y = ln(1 + eˣ) gives e⁻ʸ = 1 − σ(x), so σ(x) = −expm1(−y), accurate at both ends.
    return g * -_expm1(-y)


register(
    OpDef(
        id="softplus",
        float_forward="({x} + math.log1p(math.exp(-{x})) if {x} > 0.0 else math.log1p(math.exp({x})))",
        float_vjps=("{g} * -math.expm1(-{y})",),
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="Softplus",
        group="Activations",
        doc="y = ln(1 + eˣ), computed without overflow; its derivative is σ(x).",
        inputs=("x",),
        forward=_softplus,
        vjps=(_softplus_vjp,),
        shape=same_shape,
        sympy=sympy_softplus,
        formula=Formula(
            forward="{y} = softplus({x}) = ln(1 + e^{x})",
            forward_tex=r"{y} = \mathrm{{softplus}}({x}) = \ln(1 + e^{{{x}}})",
            local={"x": "∂{y}/∂{x} = σ({x})"},
            local_tex={"x": _DY_DX + r" = \sigma({x})"},
        ),
    )
)


# -------------------------------------------------------------------------------------------- swish
def _swish(x, beta):
    return _asarray(x * sigmoid(beta * x))


def _swish_vjp_x(g, xs, y):
    x, beta = xs
    bx = beta * x
    s = sigmoid(bx)
    return unbroadcast(g * (s + bx * s * (1.0 - s)), x.shape)


def _swish_vjp_beta(g, xs, y):
    x, beta = xs
    s = sigmoid(beta * x)
    return unbroadcast(g * (x * x) * s * (1.0 - s), beta.shape)


register(
    OpDef(
        id="swish",
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="Swish",
        group="Activations",
        doc="y = x·σ(βx), with β an input so that it can be trained (β = 1 gives SiLU).",
        inputs=("x", "beta"),
        forward=_swish,
        vjps=(_swish_vjp_x, _swish_vjp_beta),
        shape=broadcast_shape,
        sympy=lambda sp, x, beta: x * sympy_sigmoid(sp, beta * x),
        formula=Formula(
            forward="{y} = {x} · σ({beta}·{x})",
            forward_tex=r"{y} = {x} \cdot \sigma({beta} \, {x})",
            local={
                "x": "∂{y}/∂{x} = σ({beta}·{x}) + {beta}·{x}·σ({beta}·{x})(1 − σ({beta}·{x}))",
                "beta": "∂{y}/∂{beta} = {x}²·σ({beta}·{x})(1 − σ({beta}·{x}))",
            },
            local_tex={
                "x": _DY_DX + r" = \sigma({beta}\,{x}) + {beta}\,{x}\,\sigma({beta}\,{x})"
                r"\,(1 - \sigma({beta}\,{x}))",
                "beta": r"\frac{{\partial {y}}}{{\partial {beta}}} = {x}^2\,\sigma({beta}\,{x})"
                r"\,(1 - \sigma({beta}\,{x}))",
            },
        ),
    )
)


# --------------------------------------------------------------------------------------------- mish
def _mish(x):
    return _asarray(x * _tanh(_logaddexp(0.0, x)))


def _mish_vjp(g, xs, y):
    x = xs[0]
    sp = _logaddexp(0.0, x)
    t = _tanh(sp)
    return g * (t + x * (1.0 - t * t) * -_expm1(-sp))


register(
    OpDef(
        id="mish",
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="Mish",
        group="Activations",
        doc="y = x·tanh(softplus(x)).",
        inputs=("x",),
        forward=_mish,
        vjps=(_mish_vjp,),
        shape=same_shape,
        sympy=lambda sp, x: x * sp.tanh(sympy_softplus(sp, x)),
        formula=Formula(
            forward="{y} = {x} · tanh(ln(1 + e^{x}))",
            forward_tex=r"{y} = {x} \cdot \tanh\left(\ln(1 + e^{{{x}}})\right)",
            local={"x": "∂{y}/∂{x} = tanh(sp({x})) + {x}·σ({x})·(1 − tanh²(sp({x}))),  sp(z) = ln(1 + eᶻ)"},
            local_tex={
                "x": _DY_DX + r" = \tanh(\mathrm{{sp}}({x})) + {x}\,\sigma({x})\,"
                r"(1 - \tanh^2(\mathrm{{sp}}({x}))), \quad \mathrm{{sp}}(z) = \ln(1 + e^{{z}})"
            },
        ),
    )
)


# --------------------------------------------------------------------------------------------- gelu
# NOTE: numpy has no erf. Φ(x) = ½(1 + erf(x/√2)) = ½·erfc(−x/√2); erfc keeps Φ's relative precision
# in the left tail, where 1 + erf(…) would cancel.
_erfc = np.vectorize(math.erfc, otypes=[np.float64])
_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _normal_cdf(x):
    return 0.5 * _erfc(-_SQRT_HALF * x)


def _gelu(x):
    return _asarray(x * _normal_cdf(x))


def _gelu_vjp(g, xs, y):
    x = xs[0]
    return g * (_normal_cdf(x) + x * _INV_SQRT_2PI * _exp(-0.5 * x * x))


register(
    OpDef(
        id="gelu",
        batch=BATCH_BROADCAST,
        elementwise=True,
        name="GELU",
        group="Activations",
        doc="y = x·Φ(x), Φ the standard normal CDF (the exact erf form, PyTorch's approximate='none').",
        inputs=("x",),
        forward=_gelu,
        vjps=(_gelu_vjp,),
        shape=same_shape,
        sympy=lambda sp, x: x * (1 + sp.erf(x / sp.sqrt(2))) / 2,
        formula=Formula(
            forward="{y} = GELU({x}) = {x} · Φ({x}),  Φ(z) = ½(1 + erf(z/√2))",
            forward_tex=r"{y} = \mathrm{{GELU}}({x}) = {x} \, \Phi({x}), \quad "
            r"\Phi(z) = \tfrac{{1}}{{2}}\left(1 + \mathrm{{erf}}(z/\sqrt{{2}})\right)",
            local={"x": "∂{y}/∂{x} = Φ({x}) + {x}·φ({x}),  φ(z) = e^(−z²/2)/√(2π)"},
            local_tex={
                "x": _DY_DX + r" = \Phi({x}) + {x}\,\varphi({x}), \quad "
                r"\varphi(z) = \frac{{e^{{-z^2/2}}}}{{\sqrt{{2\pi}}}}"
            },
        ),
    )
)


# ------------------------------------------------------------------------------------------ softmax
def _softmax(x, axis):
    e = _exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


def _softmax_vjp(g, xs, y, axis):
    gy = g * y
    return gy - y * gy.sum(axis, keepdims=True)


def _softmax_shape(s: Shape, axis=-1) -> Shape:
    if not s:
        raise OpShapeError("softmax needs at least one dimension: x is ()")
    if not -len(s) <= axis < len(s):
        raise OpShapeError(f"axis {axis} is out of range for x of shape {s}")
    return s


register(
    OpDef(
        id="softmax",
        batch=lambda axis: BATCH_BROADCAST if axis < 0 else NOT_ROW_WISE,
        name="Softmax",
        group="Activations",
        doc="yᵢ = e^xᵢ / Σⱼ e^xⱼ along one axis (the last by default); each slice sums to 1.",
        inputs=("x",),
        forward=_softmax,
        vjps=(_softmax_vjp,),
        shape=_softmax_shape,
        attrs=(
            Attr("axis", "int", -1, doc="The axis whose entries sum to 1 (negative counts from the end)."),
        ),
        sympy=NO_SYMBOLIC_FORM,
        formula=Formula(
            forward="{y} = softmax({x}), yᵢ = e^(xᵢ) / Σⱼ e^(xⱼ)",
            forward_tex=r"{y} = \mathrm{{softmax}}({x}), \quad y_i = \frac{{e^{{x_i}}}}{{\sum_j e^{{x_j}}}}",
            local={"x": "∂{y}ᵢ/∂{x}ⱼ = {y}ᵢ([i = j] − {y}ⱼ), "
                        "so ∂{L}/∂{x} = {y} ⊙ (∂{L}/∂{y} − Σ ∂{L}/∂{y} ⊙ {y})"},
            local_tex={"x": r"\frac{{\partial {y}_i}}{{\partial {x}_j}} = {y}_i\,(\delta_{{ij}} - {y}_j)"},
        ),
    )
)
