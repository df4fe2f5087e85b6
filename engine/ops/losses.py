"""Loss functions: mse bce bce_with_logits cross_entropy. Ports `pred` and `target`; output a scalar.

pred and target of mse, bce and bce_with_logits broadcast against each other as long as one of them
already has the shape of the result (so a (3, 1) prediction against a (3,) target, which would quietly
compare every prediction with every target, is refused). Both ports take a gradient, except a
cross_entropy target given as class indices.
"""

from __future__ import annotations

import math

import numpy as np

from engine.ops.activations import sigmoid, sympy_softplus
from engine.ops.registry import (
    BATCH_MEAN,
    BATCH_SUM,
    NO_SYMBOLIC_FORM,
    Attr,
    ElementRule,
    Formula,
    Letter,
    OpDef,
    OpShapeError,
    Shape,
    broadcast_indices,
    element_sum,
    exact,
    register,
    unbroadcast,
)

# NOTE: torch.nn.BCELoss clamps each log at −100 (so p = 0 with t = 1 costs 100), and its gradient
# divides by max(p(1 − p), ε) with ε the float literal 1e-12f, which is 9.99999996e-13 as a double.
BCE_LOG_MIN = -100.0
BCE_GRAD_EPS = float(np.float32(1e-12))

_asarray = np.asarray
_log = np.log
_log1p = np.log1p
_logaddexp = np.logaddexp
_maximum = np.maximum
_minimum = np.minimum


def _loss_shape(sp: Shape, st: Shape, **attrs) -> Shape:
    try:
        full = tuple(np.broadcast_shapes(sp, st))
    except ValueError:
        raise OpShapeError(f"pred is {sp}, target is {st} (they do not broadcast)") from None
    if full != sp and full != st:
        raise OpShapeError(f"pred is {sp}, target is {st} (together they would broadcast to {full})")
    return ()


def _to_target(grad, pred, target):
    """grad, shaped like pred, made the gradient of a target that was broadcast against pred."""
    if pred.shape == target.shape:
        return grad
    full = np.broadcast_shapes(pred.shape, target.shape)
    grad = np.broadcast_to(grad, full)
    return grad.copy() if full == target.shape else unbroadcast(grad, target.shape)


def _size(pred, target) -> int:
    if pred.shape == target.shape:
        return pred.size
    return math.prod(np.broadcast_shapes(pred.shape, target.shape))


# n, the number of elements a loss averages (its formula with numbers shows it).
_N = Letter("n", lambda attrs, xs: _size(*xs))


def _dl(port: str) -> str:
    """∂L/∂port as a local-derivative template: {y} (the loss node) and {port} stand for the names."""
    return r"\frac{{\partial {y}}}{{\partial {" + port + "}}}"




# ---------------------------------------------------------------------------------------------- mse
def _mse(pred, target, reduction, scale):
    d = (pred - target).ravel()
    s = d @ d
    return _asarray(scale * s / d.size if reduction == "mean" else scale * s)


def _mse_grad(g, pred, target, reduction, scale):
    d = pred - target
    c = 2.0 * scale / d.size if reduction == "mean" else 2.0 * scale
    return (g * c) * d


def _mse_vjp_pred(g, xs, y, reduction, scale):
    pred, target = xs
    return unbroadcast(_mse_grad(g, pred, target, reduction, scale), pred.shape)


def _mse_vjp_target(g, xs, y, reduction, scale):
    pred, target = xs
    return unbroadcast(_mse_grad(-g, pred, target, reduction, scale), target.shape)


def _mse_inline_vjps(
    in_shapes: tuple[Shape, ...], out_shape: Shape, reduction: str, scale: float
) -> tuple[str | tuple[str, ...] | None, ...]:
    """_mse_vjp_pred/_target written out, for a port whose shape is the broadcast one (no sum back).
    Not for stacked rows of a count unknown here (a negative size: engine/compile/batch.py)."""
    if any(d < 0 for shape in in_shapes for d in shape):
        return (None, None)
    full = tuple(np.broadcast_shapes(*in_shapes))
    n = int(np.prod(full, dtype=np.int64))
    c = f"(2.0 * {{scale}} / {n})" if reduction == "mean" else "(2.0 * {scale})"
    pred = f"({{g}} * {c}) * ({{pred}} - {{target}})"
    target: str | tuple[str, ...] = f"(-{{g}} * {c}) * ({{pred}} - {{target}})"
    if in_shapes[0] == in_shapes[1]:  # minus pred's: ((−g)·c)·d = −((g·c)·d) exactly
        target = ("-{d_pred}", target)
    return tuple(t if shape == full else None for t, shape in zip((pred, target), in_shapes, strict=True))


def _mse_elements(
    in_shapes: tuple[Shape, ...], out_shape: Shape, reduction: str, scale: float
) -> ElementRule:
    """mse number by number: the squares added in order (as numpy's d @ d adds at most 8 of them), then
    scale · s / n; the gradients (g · 2s/n) · dᵢ, summed back onto a port that was broadcast."""
    full = tuple(np.broadcast_shapes(*in_shapes))
    n = int(np.prod(full, dtype=np.int64))
    at = [broadcast_indices(shape, full) for shape in in_shapes]
    d = [f"({{pred[{at[0][k]}]}} - {{target[{at[1][k]}]}})" for k in range(n)]
    over = f" / {n}" if reduction == "mean" else ""
    forward = (f"{{scale}} * ({element_sum([f'{t} * {t}' for t in d], pairwise=False)}){over}",)
    c = f"(2.0 * {{scale}}{over})"
    vjps = []
    for port, sign in ((0, ""), (1, "-")):
        terms: list[list[str]] = [[] for _ in range(int(np.prod(in_shapes[port], dtype=np.int64)))]
        for k in range(n):
            terms[at[port][k]].append(f"({sign}{{g[0]}} * {c}) * {d[k]}")
        vjps.append(tuple(element_sum(t) for t in terms))
    return ElementRule(forward, tuple(vjps))


register(
    OpDef(
        id="mse",
        keeps_non_finite=True,
        float_forward="{scale} * (({pred} - {target}) * ({pred} - {target}))",
        float_vjps=(
            "({g} * (2.0 * {scale})) * ({pred} - {target})",
            "(-{g} * (2.0 * {scale})) * ({pred} - {target})",
        ),
        float_elements=_mse_elements,
        batch=lambda reduction, scale: BATCH_MEAN if reduction == "mean" else BATCH_SUM,
        name="MSE",
        group="Losses",
        doc="L = scale · mean (or sum) of (pred − target)²; scale 0.5 gives the ½(ŷ − t)² convention.",
        inputs=("pred", "target"),
        forward=_mse,
        vjps=(_mse_vjp_pred, _mse_vjp_target),
        inline_vjps=_mse_inline_vjps,
        shape=_loss_shape,
        attrs=(
            Attr("reduction", "choice", "mean", choices=("mean", "sum"), doc="Average or add the squares."),
            Attr("scale", "float", 1.0, doc="A factor in front of the loss (0.5 for ½(ŷ − t)²)."),
        ),
        sympy=lambda sp, pred, target, reduction, scale: exact(sp, scale) * (pred - target) ** 2,
        formula=Formula(
            forward="{y} = ({s}/{n}) Σᵢ ({pred}ᵢ − {target}ᵢ)²"
            "  (s = scale; n = the element count, 1 for sum)",
            forward_tex=r"{y} = \frac{{{s}}}{{{n}}} \sum_i ({pred}_i - {target}_i)^2",
            local={
                "pred": "∂{y}/∂{pred} = (2s/n)({pred} − {target})",
                "target": "∂{y}/∂{target} = −(2s/n)({pred} − {target})",
            },
            local_tex={
                "pred": _dl("pred") + r" = \frac{{2s}}{{n}}({pred} - {target})",
                "target": _dl("target") + r" = -\frac{{2s}}{{n}}({pred} - {target})",
            },
            letters={
                "s": Letter("s", lambda attrs, xs: attrs["scale"]),
                "n": Letter("n", lambda attrs, xs: _size(*xs) if attrs["reduction"] == "mean" else 1),
            },
        ),
    )
)


# ---------------------------------------------------------------------------------------------- bce
def _bce_logs(pred):
    """ln p and ln(1 − p), each clamped at −100 as PyTorch does; p outside [0, 1] is refused."""
    bad = pred[~((pred >= 0.0) & (pred <= 1.0))]
    if bad.size:
        raise ValueError(f"bce needs probabilities in [0, 1] as pred, got {bad.reshape(-1)[0]:g}")
    with np.errstate(divide="ignore"):
        return _maximum(_log(pred), BCE_LOG_MIN), _maximum(_log1p(-pred), BCE_LOG_MIN)


def _bce(pred, target):
    lp, l1p = _bce_logs(pred)
    v = target * lp + (1.0 - target) * l1p
    return _asarray(-v.sum() / v.size)


def _bce_vjp_pred(g, xs, y):
    pred, target = xs
    d = pred - target
    return unbroadcast((g / d.size) * d / _maximum(pred * (1.0 - pred), BCE_GRAD_EPS), pred.shape)


def _bce_vjp_target(g, xs, y):
    # NOTE: the derivative of the clamped forward, finite everywhere; PyTorch's target gradient uses
    # the unclamped logs, which differ only where p < e⁻¹⁰⁰ or 1 − p < e⁻¹⁰⁰.
    pred, target = xs
    lp, l1p = _bce_logs(pred)
    return _to_target((g / _size(pred, target)) * (l1p - lp), pred, target)


register(
    OpDef(
        id="bce",
        batch=BATCH_MEAN,
        name="Binary cross-entropy",
        group="Losses",
        doc="L = −mean(t·ln p + (1 − t)·ln(1 − p)), each ln clamped at −100 (as torch.nn.BCELoss).",
        inputs=("pred", "target"),
        forward=_bce,
        vjps=(_bce_vjp_pred, _bce_vjp_target),
        shape=_loss_shape,
        sympy=lambda sp, pred, target: -(target * sp.log(pred) + (1 - target) * sp.log(1 - pred)),
        formula=Formula(
            forward="{y} = −(1/{n}) Σᵢ [{target}ᵢ ln {pred}ᵢ + (1 − {target}ᵢ) ln(1 − {pred}ᵢ)],"
            "  each ln clamped at −100",
            forward_tex=r"{y} = -\frac{{1}}{{{n}}} \sum_i \left[{target}_i \ln {pred}_i"
            r" + (1 - {target}_i) \ln(1 - {pred}_i)\right]",
            local={
                "pred": "∂{y}/∂{pred} = ({pred} − {target}) / (n·{pred}(1 − {pred}))",
                "target": "∂{y}/∂{target} = (ln(1 − {pred}) − ln {pred}) / n",
            },
            local_tex={
                "pred": _dl("pred") + r" = \frac{{{pred} - {target}}}{{n\,{pred}\,(1 - {pred})}}",
                "target": _dl("target") + r" = \frac{{\ln(1 - {pred}) - \ln {pred}}}{{n}}",
            },
            letters={"n": _N},
        ),
    )
)


# ---------------------------------------------------------------------------------- bce_with_logits
def _bce_with_logits(pred, target):
    # NOTE: ln(1 + eᶻ) − z·t = max(z, 0) − z·t + ln(1 + e^(−|z|)), which logaddexp computes stably.
    v = _logaddexp(0.0, pred) - pred * target
    return _asarray(v.sum() / v.size)


def _bce_with_logits_vjp_pred(g, xs, y):
    pred, target = xs
    d = sigmoid(pred) - target
    return unbroadcast((g / d.size) * d, pred.shape)


def _bce_with_logits_vjp_target(g, xs, y):
    pred, target = xs
    return _to_target((-g / _size(pred, target)) * pred, pred, target)


register(
    OpDef(
        id="bce_with_logits",
        batch=BATCH_MEAN,
        name="BCE with logits",
        group="Losses",
        doc="bce of σ(pred), computed stably from the logits: mean(max(z, 0) − z·t + ln(1 + e^(−|z|))).",
        inputs=("pred", "target"),
        forward=_bce_with_logits,
        vjps=(_bce_with_logits_vjp_pred, _bce_with_logits_vjp_target),
        shape=_loss_shape,
        sympy=lambda sp, pred, target: sympy_softplus(sp, pred) - pred * target,
        formula=Formula(
            forward="{y} = (1/{n}) Σᵢ [max({pred}ᵢ, 0) − {pred}ᵢ·{target}ᵢ + ln(1 + e^(−|{pred}ᵢ|))]",
            forward_tex=r"{y} = \frac{{1}}{{{n}}} \sum_i \left[\max({pred}_i, 0) - {pred}_i {target}_i"
            r" + \ln\left(1 + e^{{-\lvert {pred}_i \rvert}}\right)\right]",
            local={
                "pred": "∂{y}/∂{pred} = (σ({pred}) − {target}) / n",
                "target": "∂{y}/∂{target} = −{pred} / n",
            },
            local_tex={
                "pred": _dl("pred") + r" = \frac{{\sigma({pred}) - {target}}}{{n}}",
                "target": _dl("target") + r" = -\frac{{{pred}}}{{n}}",
            },
            letters={"n": _N},
        ),
    )
)


# ------------------------------------------------------------------------------------ cross_entropy
def _log_softmax(z):
    z = z - z.max(-1, keepdims=True)
    return z - _log(np.exp(z).sum(-1, keepdims=True))


def _picked(ls, target):
    """ls (log-probabilities, classes on the last axis) at each row's class index."""
    if ls.ndim == 1:
        return ls[int(target)]
    rows = ls.reshape(-1, ls.shape[-1])
    return rows[np.arange(rows.shape[0]), target.reshape(-1).astype(np.intp)]


def _check_class_indices(target, classes: int) -> None:
    """Class indices must be whole numbers in 0 … C−1: numpy would read −1 as the last class and
    index with 0.5 truncated to 0, silently."""
    t = np.asarray(target, dtype=float).reshape(-1)
    bad = t[(t != np.floor(t)) | (t < 0) | (t >= classes) | ~np.isfinite(t)]
    if bad.size:
        raise ValueError(
            f"class indices of the target must be whole numbers from 0 to {classes - 1}, got {bad[0]:g}"
        )


def _cross_entropy(pred, target):
    ls = _log_softmax(pred)
    rows = ls.size / ls.shape[-1]
    if target.shape == pred.shape:
        return _asarray(-(target * ls).sum() / rows)
    _check_class_indices(target, ls.shape[-1])
    return _asarray(-_picked(ls, target).sum() / rows)


def _cross_entropy_vjp_pred(g, xs, y):
    pred, target = xs
    sm = np.exp(_log_softmax(pred))
    scale = g * (sm.shape[-1] / sm.size)
    if target.shape == pred.shape:
        # NOTE: −Σ t·log softmax(z) has gradient softmax(z)·Σt − t, which is softmax(z) − t when Σt = 1.
        return scale * (sm * target.sum(-1, keepdims=True) - target)
    if sm.ndim == 1:
        sm[int(target)] -= 1.0
        return scale * sm
    # NOTE: reshape copies when pred is not C-contiguous (a transposed view), so subtract in a
    # contiguous copy and reshape that back, rather than writing into a temporary.
    rows = np.ascontiguousarray(sm).reshape(-1, sm.shape[-1])
    rows[np.arange(rows.shape[0]), target.reshape(-1).astype(np.intp)] -= 1.0
    return scale * rows.reshape(sm.shape)


def _cross_entropy_vjp_target(g, xs, y):
    pred, target = xs
    if target.shape != pred.shape:
        return None
    ls = _log_softmax(pred)
    return (-g * (ls.shape[-1] / ls.size)) * ls


def _cross_entropy_shape(sp: Shape, st: Shape) -> Shape:
    if not sp:
        raise OpShapeError(f"pred is (), target is {st} (cross_entropy needs logits with a class axis)")
    if st != sp and st != sp[:-1]:
        raise OpShapeError(
            f"pred is {sp}, target is {st} (the target must be probabilities of shape {sp}"
            f" or class indices of shape {sp[:-1]})"
        )
    return ()


register(
    OpDef(
        id="cross_entropy",
        batch=BATCH_MEAN,
        name="Cross-entropy",
        group="Losses",
        doc="L = mean over rows of −Σ t·log softmax(pred); target: probabilities or class indices.",
        inputs=("pred", "target"),
        forward=_cross_entropy,
        vjps=(_cross_entropy_vjp_pred, _cross_entropy_vjp_target),
        shape=_cross_entropy_shape,
        sympy=NO_SYMBOLIC_FORM,
        formula=Formula(
            forward="{y} = −(1/{n}) Σ_rows Σₖ {target}ₖ · log softmax({pred})ₖ",
            forward_tex=r"{y} = -\frac{{1}}{{{n}}} \sum_{{\text{{rows}}}} \sum_k {target}_k"
            r" \log \mathrm{{softmax}}({pred})_k",
            local={
                "pred": "∂{y}/∂{pred} = (softmax({pred}) − {target}) / n  "
                "({target} one-hot for class indices)",
                "target": "∂{y}/∂{target} = −log softmax({pred}) / n  (none for class indices)",
            },
            local_tex={
                "pred": _dl("pred") + r" = \frac{{\mathrm{{softmax}}({pred}) - {target}}}{{n}}",
                "target": _dl("target") + r" = -\frac{{\log \mathrm{{softmax}}({pred})}}{{n}}",
            },
            letters={"n": Letter("n", lambda attrs, xs: xs[0].size // xs[0].shape[-1])},  # the rows
        ),
    )
)
