"""Matrix ops: matmul (numpy's @ rules), transpose, reshape, and the reductions sum and mean."""

from __future__ import annotations

import numpy as np

from engine.ops.registry import (
    BATCH_LEFT,
    BATCH_MEAN,
    BATCH_SUM,
    NO_SYMBOLIC_FORM,
    NOT_ROW_WISE,
    Attr,
    ChainProduct,
    ElementRule,
    Formula,
    Letter,
    OpDef,
    OpShapeError,
    Shape,
    element_sum,
    register,
    unbroadcast,
)

_asarray = np.asarray
_outer = np.outer


def _dl(port: str) -> str:
    """∂L/∂port as a local-derivative template: {L} (the loss) and {port} stand for the nodes' names."""
    return r"\frac{{\partial {L}}}{{\partial {" + port + "}}}"


_DL_DY = r"\frac{{\partial {L}}}{{\partial {y}}}"


# ------------------------------------------------------------------------------------------- matmul
def _matmul(a, b):
    return _asarray(a @ b)


def _matmul_shape(sa: Shape, sb: Shape) -> Shape:
    if not sa or not sb:
        raise OpShapeError(f"a is {sa}, b is {sb} (matmul needs at least one dimension on each side)")
    if sa[-1] != sb[0 if len(sb) == 1 else -2]:
        raise OpShapeError(f"a is {sa}, b is {sb}")
    try:
        batch = tuple(np.broadcast_shapes(sa[:-2], sb[:-2]))
    except ValueError:
        raise OpShapeError(f"a is {sa}, b is {sb} (the batch dimensions do not broadcast)") from None
    return batch + sa[-2:-1] + sb[-1:] if len(sb) > 1 else batch + sa[-2:-1]


def _as_matrices(g, a, b):
    """g, a, b with the 1-D operands promoted to matrices the way numpy's matmul promotes them."""
    if b.ndim == 1:
        b = b[:, None]
        g = g[..., None]
    if a.ndim == 1:
        a = a[None, :]
        g = np.expand_dims(g, -2)
    return g, a, b


def _matmul_vjp_a(g, xs, y):
    a, b = xs
    if b.ndim == 2:
        if a.ndim == 2:
            return g @ b.T
        if a.ndim == 1:
            return b @ g
    if a.ndim == 1 and b.ndim == 1:
        return g * b
    g2, a2, b2 = _as_matrices(g, a, b)
    return unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2.shape).reshape(a.shape)


def _matmul_vjp_b(g, xs, y):
    a, b = xs
    if a.ndim == 2:
        if b.ndim == 2:
            return a.T @ g
        if b.ndim == 1:
            return g @ a
    if a.ndim == 1 and b.ndim == 2:
        return _outer(a, g)
    if a.ndim == 1 and b.ndim == 1:
        return g * a
    g2, a2, b2 = _as_matrices(g, a, b)
    return unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2.shape).reshape(b.shape)


def _matmul_inline_vjps(in_shapes: tuple[Shape, ...], out_shape: Shape) -> tuple[str | None, ...]:
    """The common cases of _matmul_vjp_a/_b, written out (they must match those functions exactly)."""
    na, nb = (len(s) for s in in_shapes)
    if (na, nb) == (2, 2):
        return ("{g} @ {b}.T", "{a}.T @ {g}")
    if (na, nb) == (1, 2):
        return ("{b} @ {g}", "np.outer({a}, {g})")
    if (na, nb) == (2, 1):
        return (None, "{g} @ {a}")
    return (None, None)


def _matmul_elements(in_shapes: tuple[Shape, ...], out_shape: Shape) -> ElementRule | None:
    """a @ b for operands of at most two dimensions, number by number: each output number a sum of
    products in the order of the shared index (numpy's BLAS may add a matrix product's terms in another
    order, or fuse a multiply and an add: a few units in the last place); the gradients as the VJPs
    write them (g·bᵀ, aᵀ·g, their one-dimensional cases)."""
    sa, sb = in_shapes
    if len(sa) > 2 or len(sb) > 2:
        return None
    m, k = (1, sa[0]) if len(sa) == 1 else sa
    n = 1 if len(sb) == 1 else sb[1]

    def a(i: int, p: int) -> str:
        return f"{{a[{i * k + p}]}}"

    def b(p: int, j: int) -> str:
        return f"{{b[{p * n + j}]}}"

    def g(i: int, j: int) -> str:
        return f"{{g[{i * n + j}]}}"

    def dot(terms: list[str]) -> str:
        return element_sum(terms, pairwise=False)

    forward = tuple(dot([f"{a(i, p)} * {b(p, j)}" for p in range(k)]) for i in range(m) for j in range(n))
    ga = tuple(dot([f"{g(i, j)} * {b(p, j)}" for j in range(n)]) for i in range(m) for p in range(k))
    gb = tuple(dot([f"{a(i, p)} * {g(i, j)}" for i in range(m)]) for p in range(k) for j in range(n))
    # numpy's dot of two vectors adds in this order; a product with a matrix goes through BLAS
    exact = len(sa) == len(sb) == 1 or max(m, n, k) == 1
    return ElementRule(forward, (ga, gb), exact)


register(
    OpDef(
        id="matmul",
        batch=BATCH_LEFT,
        keeps_non_finite=True,  # no value is empty, so every number of a and b meets one of the other
        name="MatMul",
        group="Matrix",
        doc="y = a @ b, numpy's matrix product (1-D vectors and batches allowed).",
        inputs=("a", "b"),
        forward=_matmul,
        vjps=(_matmul_vjp_a, _matmul_vjp_b),
        shape=_matmul_shape,
        inline_forward="{a} @ {b}",
        inline_vjps=_matmul_inline_vjps,
        float_elements=_matmul_elements,
        sympy=NO_SYMBOLIC_FORM,
        chain_rule=(ChainProduct("b", "right"), ChainProduct("a", "left")),
        formula=Formula(
            forward="{y} = {a} · {b}",
            forward_tex=r"{y} = {a} \cdot {b}",
            local={"a": "∂{L}/∂{a} = ∂{L}/∂{y} · {b}ᵀ", "b": "∂{L}/∂{b} = {a}ᵀ · ∂{L}/∂{y}"},
            local_tex={
                "a": _dl("a") + " = " + _DL_DY + r" \cdot {b}^{{\top}}",
                "b": _dl("b") + r" = {a}^{{\top}} \cdot " + _DL_DY,
            },
        ),
    )
)


# ---------------------------------------------------------------------------------------- transpose
def _transpose(x):
    return x.T


def _transpose_vjp(g, xs, y):
    return g.T


def _transpose_shape(s: Shape) -> Shape:
    return s[::-1]


register(
    OpDef(
        id="transpose",
        name="Transpose",
        group="Matrix",
        doc="y = xᵀ (rows become columns; a vector or a scalar passes through unchanged).",
        inputs=("x",),
        forward=_transpose,
        vjps=(_transpose_vjp,),
        shape=_transpose_shape,
        sympy=lambda sp, x: x,
        formula=Formula(
            forward="{y} = {x}ᵀ",
            forward_tex=r"{y} = {x}^{{\top}}",
            local={"x": "∂{L}/∂{x} = (∂{L}/∂{y})ᵀ"},
            local_tex={"x": _dl("x") + r" = \left(" + _DL_DY + r"\right)^{{\top}}"},
        ),
    )
)


# ------------------------------------------------------------------------------------------ reshape
def _reshape(x, shape):
    return _asarray(x.reshape(shape))


def _reshape_vjp(g, xs, y, shape):
    return g.reshape(xs[0].shape)


def _reshape_shape(s: Shape, shape=(-1,)) -> Shape:
    size = int(np.prod(s, dtype=np.int64))
    known = int(np.prod([d for d in shape if d != -1], dtype=np.int64))
    if -1 in shape:
        if known == 0 or size % known:
            raise OpShapeError(f"x of shape {s} ({size} elements) cannot take the shape {list(shape)}")
        return tuple(size // known if d == -1 else d for d in shape)
    if known != size:
        raise OpShapeError(f"x of shape {s} ({size} elements) cannot take the shape {list(shape)}")
    return tuple(shape)


register(
    OpDef(
        id="reshape",
        name="Reshape",
        group="Matrix",
        doc="y = x with the same elements, row by row, in another shape (-1: whatever the size needs).",
        inputs=("x",),
        forward=_reshape,
        vjps=(_reshape_vjp,),
        shape=_reshape_shape,
        attrs=(Attr("shape", "shape", (-1,), doc="The new shape, e.g. [1, -1]; [-1] flattens to a vector."),),
        sympy=lambda sp, x, shape: x,
        formula=Formula(
            forward="{y} = reshape({x})",
            forward_tex=r"{y} = \operatorname{{reshape}}({x})",
            local={"x": "∂{L}/∂{x} = ∂{L}/∂{y} reshaped back to {x}'s shape"},
            local_tex={"x": _dl("x") + r" = \operatorname{{reshape}}\left(" + _DL_DY + r"\right)"},
        ),
    )
)


# -------------------------------------------------------------------------------------- reductions
_AXIS = Attr("axis", "axis", None, doc="The axis to reduce (negative counts from the end); none = all.")
_KEEPDIMS = Attr("keepdims", "bool", False, doc="Keep the reduced axis with length 1.")


def _reduce_shape(s: Shape, axis=None, keepdims=False) -> Shape:
    if axis is None:
        return (1,) * len(s) if keepdims else ()
    if not -len(s) <= axis < len(s):
        raise OpShapeError(f"axis {axis} is out of range for x of shape {s}")
    axis %= len(s)
    return s[:axis] + (1,) * keepdims + s[axis + 1 :]


def _spread(g, shape, axis, keepdims):
    """g (of the reduced shape) copied along the reduced axes back to shape, as a writable array."""
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
    out = np.empty(shape)
    out[...] = g
    return out


def _sum(x, axis, keepdims):
    return _asarray(x.sum(axis, keepdims=keepdims))


def _sum_vjp(g, xs, y, axis, keepdims):
    return _spread(g, xs[0].shape, axis, keepdims)


def _mean(x, axis, keepdims):
    # NOTE: sum/n rather than ndarray.mean, which costs several times more on tiny arrays.
    return _asarray(x.sum(axis, keepdims=keepdims) / (x.size if axis is None else x.shape[axis]))


def _averaged(attrs, xs) -> int:
    """n in the mean's formula: the number of elements averaged into each output element."""
    x, axis = xs[0], attrs["axis"]
    return x.size if axis is None else x.shape[axis]


def _mean_vjp(g, xs, y, axis, keepdims):
    x = xs[0]
    n = x.size if axis is None else x.shape[axis]
    return _spread(g / n, x.shape, axis, keepdims)


def _reduced(shape: Shape, axis: int | None) -> list[list[int]]:
    """For each output number of a reduction (C order), the indices of the input numbers it adds."""
    size = int(np.prod(shape, dtype=np.int64))
    if axis is None:
        return [list(range(size))]
    moved = np.moveaxis(np.arange(size).reshape(shape), axis, -1)
    return moved.reshape(-1, shape[axis]).tolist()  # type: ignore[no-any-return]


def _reduction_elements(shape: Shape, axis: int | None, mean: bool) -> ElementRule:
    """A sum (or mean: the sum over n) number by number; each input number's gradient is its output
    number's (over n), as _spread copies it."""
    groups = _reduced(shape, axis)
    n = len(groups[0])
    over = f" / {n}" if mean else ""
    forward = tuple(f"({element_sum([f'{{x[{i}]}}' for i in group])}){over}" for group in groups)
    grads = [""] * int(np.prod(shape, dtype=np.int64))
    for k, group in enumerate(groups):
        for i in group:
            grads[i] = f"{{g[{k}]}}{over}"
    return ElementRule(forward, (tuple(grads),))


def _sum_elements(
    in_shapes: tuple[Shape, ...], out_shape: Shape, axis: int | None, keepdims: bool
) -> ElementRule:
    return _reduction_elements(in_shapes[0], axis, mean=False)


def _mean_elements(
    in_shapes: tuple[Shape, ...], out_shape: Shape, axis: int | None, keepdims: bool
) -> ElementRule:
    return _reduction_elements(in_shapes[0], axis, mean=True)


register(
    OpDef(
        id="sum",
        keeps_non_finite=True,
        float_forward="{x}",
        float_vjps=("{g}",),
        float_elements=_sum_elements,
        batch=lambda axis, keepdims: BATCH_SUM if axis is None else NOT_ROW_WISE,
        name="Sum",
        group="Matrix",
        doc="y = Σ x over all elements (a scalar), or over one axis.",
        inputs=("x",),
        forward=_sum,
        vjps=(_sum_vjp,),
        shape=_reduce_shape,
        attrs=(_AXIS, _KEEPDIMS),
        sympy=lambda sp, x, axis, keepdims: x,
        formula=Formula(
            forward="{y} = Σ {x}",
            forward_tex=r"{y} = \sum {x}",
            local={"x": "∂{y}/∂{x}ᵢ = 1  (∂{L}/∂{x} is ∂{L}/∂{y} copied along the summed axes)"},
            local_tex={"x": r"\frac{{\partial {y}}}{{\partial {x}_i}} = 1"},
        ),
    )
)

register(
    OpDef(
        id="mean",
        keeps_non_finite=True,
        float_forward="{x}",
        float_vjps=("{g}",),
        float_elements=_mean_elements,
        batch=lambda axis, keepdims: BATCH_MEAN if axis is None else NOT_ROW_WISE,
        name="Mean",
        group="Matrix",
        doc="y = (1/n) Σ x over all elements (a scalar), or over one axis.",
        inputs=("x",),
        forward=_mean,
        vjps=(_mean_vjp,),
        shape=_reduce_shape,
        attrs=(_AXIS, _KEEPDIMS),
        sympy=lambda sp, x, axis, keepdims: x,
        formula=Formula(
            forward="{y} = (1/{n}) Σ {x}",
            forward_tex=r"{y} = \frac{{1}}{{{n}}} \sum {x}",
            local={"x": "∂{y}/∂{x}ᵢ = 1/n  (n = the number of elements averaged)"},
            local_tex={"x": r"\frac{{\partial {y}}}{{\partial {x}_i}} = \frac{{1}}{{n}}"},
            letters={"n": Letter("n", _averaged)},
        ),
    )
)
