"""The op registry: one declarative record per operation, registered once.

An :class:`OpDef` holds everything the rest of the program needs to know about an
operation: its ports, attributes, forward function, one vector-Jacobian product per
input port, a shape rule and the formula text shown when stepping. Nothing else in
the code base special-cases an op by name (the leaves aside).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Shape = tuple[int, ...]

GROUPS = ("Inputs & parameters", "Arithmetic", "Matrix", "Activations", "Losses")

# sympy(sp, *inputs, **attrs) -> the op's value as a sympy expression of its inputs (scalar semantics).
# sympy arrives as the argument `sp` so that importing the engine never imports sympy.
SympyRule = Callable[..., Any]
# The `sympy` of an op that has no symbolic form (softmax, matmul …): said so, not forgotten.
NO_SYMBOLIC_FORM = "no symbolic form"

# How an op treats a leading batch axis (a dataset's rows stacked on axis 0), for evaluating many rows
# in one pass (``engine/compile/batch.py``); an op's ``batch`` is one of these, or a function of its
# attributes returning one (mse's reduction, softmax's axis):
BATCH_BROADCAST = "broadcast"  # acts element by element or along trailing axes, broadcasting: row by
# row whenever every input that carries rows has the output's rank (so the rows line up on axis 0)
BATCH_LEFT = "left"  # like matmul: row by row when rows come in on the first input only
BATCH_MEAN = "mean"  # reduces to one number, which over stacked rows is the mean of the rows' results
BATCH_SUM = "sum"  # reduces to one number, which over stacked rows is the sum of the rows' results
NOT_ROW_WISE = ""  # none of these (transpose swaps the rows with the columns): the rows go one by one


class OpShapeError(ValueError):
    """A shape rule refused its inputs; the message says why, without the node id."""


@dataclass(frozen=True)
class Attr:
    """One attribute of an op, as the inspector shows it.

    kind is "float", "int", "choice", "bool", "axis" (an int or None for "all") or "shape" (a list of
    whole numbers, at most one of them −1 for "whatever the size needs").
    """

    name: str
    kind: str
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Any, ...] = ()
    doc: str = ""

    def __post_init__(self) -> None:
        if self.kind not in _COERCE:
            raise ValueError(f"attribute {self.name!r}: unknown kind {self.kind!r}")

    def coerce(self, value: Any) -> Any:
        """Return value as this attribute's type, or raise ValueError naming the attribute."""
        value = _COERCE[self.kind](self, value)
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"attribute {self.name!r} must be ≥ {self.minimum}, got {value}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"attribute {self.name!r} must be ≤ {self.maximum}, got {value}")
        return value


def _coerce_float(attr: Attr, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"attribute {attr.name!r} must be a number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"attribute {attr.name!r} must be finite")
    return value


def _coerce_int(attr: Attr, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"attribute {attr.name!r} must be an integer, got {value!r}")
    return value


def _coerce_axis(attr: Attr, value: Any) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(f"attribute {attr.name!r} must be an integer axis or null")
    return value


def _coerce_bool(attr: Attr, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"attribute {attr.name!r} must be true or false")
    return value


def _coerce_choice(attr: Attr, value: Any) -> Any:
    if value not in attr.choices:
        options = ", ".join(repr(c) for c in attr.choices)
        raise ValueError(f"attribute {attr.name!r} must be one of {options}, got {value!r}")
    return value


def _coerce_shape(attr: Attr, value: Any) -> tuple[int, ...]:
    ok = isinstance(value, (list, tuple)) and len(value) <= 8
    ok = ok and all(isinstance(d, int) and not isinstance(d, bool) and d >= -1 for d in value)
    if not ok or list(value).count(-1) > 1:
        raise ValueError(
            f"attribute {attr.name!r} must be a list of at most 8 whole numbers ≥ 0 (one may be -1),"
            f" got {value!r}"
        )
    return tuple(value)


# NOTE: only float and int attributes carry a minimum or maximum; the other kinds never set them.
_COERCE: dict[str, Callable[[Attr, Any], Any]] = {
    "float": _coerce_float,
    "int": _coerce_int,
    "axis": _coerce_axis,
    "bool": _coerce_bool,
    "choice": _coerce_choice,
    "shape": _coerce_shape,
}


@dataclass(frozen=True)
class Letter:
    """A letter of a formula that stands for a number of the node: an attribute (MSE's s, its scale) or
    a count (n, the elements averaged). The formula in symbols shows the letter; the formula with
    numbers shows ``value(attrs, xs)``, from the node's attributes and input values."""

    text: str
    value: Callable[[dict[str, Any], tuple[Any, ...]], float]
    tex: str = ""  # the letter in TeX, when it is not `text`


@dataclass(frozen=True)
class Formula:
    """Text shown when stepping, as str.format templates ({{ and }} are literal braces).
    Placeholders: {y} the output, one per input port name, one per key of ``letters``, and in
    ``local`` also {L} the loss.

    forward: how y is computed, e.g. "{y} = {a} · {b}".
    local: the local derivative of y with respect to each input port, keyed by port,
    e.g. {"a": "∂{y}/∂{a} = {b}"}: the stepper puts the nodes' own names in (∂s/∂x = y), so a port
    name never stands in a formula next to the user's variables. text and tex carry the same
    content for Markdown and LaTeX.
    """

    forward: str
    forward_tex: str
    local: dict[str, str] = field(default_factory=dict)
    local_tex: dict[str, str] = field(default_factory=dict)
    letters: dict[str, Letter] = field(default_factory=dict)  # placeholder → its letter (forward only)

    def forward_text(self, names: dict[str, str]) -> str:
        """The forward formula as plain text, `names` for {y} and the ports, the letters as letters."""
        return self.forward.format(**names, **{k: letter.text for k, letter in self.letters.items()})


@dataclass(frozen=True)
class ChainProduct:
    """How the stepper writes the chain rule into one input port as a matrix product: ∂L/∂y times the
    transpose of another operand, standing on the given side (matmul's port a: ∂L/∂y · bᵀ)."""

    operand: str  # the input port whose value is transposed
    side: str  # "left": operandᵀ · ∂L/∂y; "right": ∂L/∂y · operandᵀ


@dataclass(frozen=True)
class ElementRule:
    """An op over small arrays written out number by number, as Python float expressions.

    Placeholders index a port's numbers in C order ({a[0]}, {b[3]}), likewise the output {y[k]} and
    its gradient {g[k]}; attributes by name ({scale}). forward has one expression per output number;
    vjps has, per input port, one expression per input number: its whole gradient from this node
    (the contributions summed, as the op's VJP and ``unbroadcast`` sum them).
    """

    forward: tuple[str, ...]
    vjps: tuple[tuple[str, ...], ...]
    # Bit for bit the op's numpy functions (same operations in the same order); False where numpy adds
    # in another order (BLAS) or math's exp, log, tanh … stand for numpy's own loops. The trace, which
    # the node-by-node walk must agree with bit for bit, goes over floats only where every rule is exact.
    exact: bool = True


def element_sum(terms: Sequence[str], pairwise: bool = True) -> str:
    """The terms added in the order numpy adds that many numbers.

    pairwise (numpy's sum of a contiguous run): below 8 numbers one by one from the left; from 8 to
    128, eight running sums (every eighth number) added pairwise, then the rest one by one. Otherwise
    one by one from the left, as numpy's dot product of at most 8 numbers adds them. Bit for bit those;
    a sum along another axis, or a matrix product (BLAS may fuse a multiply and an add), agrees with
    numpy's to a few units in the last place. Each term is parenthesised.
    """
    terms = [f"({t})" for t in terms]
    n = len(terms)
    if not pairwise or n < 8 or n > 128:
        return " + ".join(terms)
    runs = [terms[j] for j in range(8)]
    whole = n - n % 8
    for i in range(8, whole, 8):
        runs = [f"{runs[j]} + {terms[i + j]}" for j in range(8)]
    r = [f"({t})" for t in runs]
    total = f"(({r[0]} + {r[1]}) + ({r[2]} + {r[3]})) + (({r[4]} + {r[5]}) + ({r[6]} + {r[7]}))"
    return " + ".join([f"({total})", *terms[whole:]])


def broadcast_indices(shape: Shape, out_shape: Shape) -> list[int]:
    """For each number of an array of out_shape (C order), the index of the number of an array of shape
    that numpy's broadcasting puts there."""
    size = int(np.prod(shape, dtype=np.int64))
    if shape == out_shape:
        return list(range(size))
    if size == 1:
        return [0] * int(np.prod(out_shape, dtype=np.int64))
    return np.broadcast_to(np.arange(size).reshape(shape), out_shape).ravel().tolist()  # type: ignore[no-any-return]


@dataclass(frozen=True)
class OpDef:
    """One operation: ports, attributes, forward, per-port VJPs, shape rule, formulas."""

    id: str
    name: str
    group: str
    doc: str
    inputs: tuple[str, ...]
    forward: Callable[..., np.ndarray]
    # One function per input port: vjp_port(grad_out, xs, y, **attrs) -> gradient or None.
    vjps: tuple[Callable[..., np.ndarray | None], ...]
    shape: Callable[..., Shape]
    formula: Formula
    attrs: tuple[Attr, ...] = ()
    # A VJP may return None for an input that takes no gradient (cross_entropy's class indices).
    # Optional expression templates that the plan compiler inlines instead of calling forward/vjps
    # (Python call overhead dominates on tiny arrays). Placeholders: port names, {y}, {g}; `np` is numpy.
    # They must compute exactly what the functions compute: a test compares the two bit for bit.
    inline_forward: str | None = None
    # (input shapes, output shape, **attrs) -> one template or None per port; None means "call the VJP".
    # An attribute stands in a template as a placeholder of its name ({scale}), never as its value. A
    # port may give several templates, the first whose placeholders are known is used: {d_<port>} is this
    # node's contribution to another port, known where that port's was computed just before by a template
    # (mse's target: minus its pred's, bit for bit, as IEEE products are symmetric in sign).
    inline_vjps: Callable[..., tuple[str | tuple[str, ...] | None, ...]] | None = None
    # True when the Jacobian is diagonal wherever an input has the output's shape: the stepper then
    # shows the local derivative as an array of numbers and the chain rule as an elementwise product.
    elementwise: bool = False
    # Said after "value became nan/inf" when this op's forward produced it, e.g. "division by zero".
    domain_hint: str | None = None
    # The value as a sympy expression (see SympyRule), or NO_SYMBOLIC_FORM; every non-leaf op says which.
    sympy: SympyRule | str | None = None
    # Points of the (first) input where the derivative jumps (relu: 0). The gradient check reports a
    # central difference that straddles one as a note on the kink, not as a mismatch.
    kinks: tuple[float, ...] = ()
    # Expression templates over Python floats, for graphs whose values are all scalars (the scalar pass,
    # engine/compile/scalar.py): the same formulas and conventions as forward/vjps (kinks, clipping,
    # stable forms), `math` for the functions, attributes by name ({alpha}). Without `math` they equal
    # the numpy functions bit for bit; math's exp, log, tanh … (the C library's) may differ from numpy's
    # own loops in the last bit. A test compares them on random scalars.
    float_forward: str | None = None
    float_vjps: tuple[str, ...] | None = None
    # For small arrays split into their numbers (engine/compile/scalar.py): a broadcasting elementwise
    # op needs only the float templates above; any other op (a matrix product, a sum, a loss) gives
    # fn(input shapes, output shape, **attrs) -> ElementRule (None where it has no rule for them).
    float_elements: Callable[..., ElementRule | None] | None = None
    # True when a NaN or ±Inf in any input number always shows as a NaN or ±Inf in some output number,
    # and one in the output's gradient in every input's gradient (add, mul: inf·0 is NaN; not tanh,
    # whose tanh(inf) is 1). The trace's finiteness check then skips what such a node's check covers
    # (engine/compile/codegen.py); tests/test_non_finite_cover.py checks the claim.
    keeps_non_finite: bool = False
    # The backward half of keeps_non_finite alone: a NaN or ±Inf in the output's gradient always shows
    # in every input's gradient, for finite inputs (sigmoid's g·y(1 − y): inf·0 is NaN), while its value
    # may hide one of its inputs' (σ(inf) = 1). The finiteness check then skips such a node's gradient.
    keeps_non_finite_gradient: bool = False
    # How it treats a leading batch axis: one of BATCH_* above, or fn(**attrs) returning one.
    batch: str | Callable[..., str] = NOT_ROW_WISE
    # One entry per input port when the chain rule is a matrix product with a transposed operand
    # (operands of at most two dimensions); None: the stepper shows an elementwise or a scalar product.
    chain_rule: tuple[ChainProduct, ...] | None = None

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"op {self.id!r}: unknown group {self.group!r}")
        if len(self.vjps) != len(self.inputs):
            raise ValueError(f"op {self.id!r}: {len(self.inputs)} inputs but {len(self.vjps)} VJPs")
        if not (self.sympy is None or callable(self.sympy) or self.sympy == NO_SYMBOLIC_FORM):
            raise ValueError(f"op {self.id!r}: sympy must be a rule or NO_SYMBOLIC_FORM")
        rule = self.chain_rule or ()
        if rule and (len(rule) != len(self.inputs) or any(c.operand not in self.inputs for c in rule)):
            raise ValueError(f"op {self.id!r}: chain_rule needs one entry per input, each naming an input")

    @property
    def is_leaf(self) -> bool:
        return not self.inputs

    @property
    def symbolic_rule(self) -> SympyRule | None:
        """The sympy rule, or None when the op has no symbolic form (or is a leaf)."""
        return self.sympy if callable(self.sympy) else None

    def batch_kind(self, attrs: dict[str, Any]) -> str:
        """How a node of this op with these (resolved) attributes treats a leading batch axis."""
        return self.batch(**attrs) if callable(self.batch) else self.batch

    def attr(self, name: str) -> Attr:
        for a in self.attrs:
            if a.name == name:
                return a
        raise KeyError(name)

    def resolve_attrs(self, given: dict[str, Any]) -> dict[str, Any]:
        """Defaults filled in and every value checked; unknown names raise ValueError."""
        known = {a.name for a in self.attrs}
        unknown = sorted(set(given) - known)
        if unknown:
            raise ValueError(f"op {self.id!r} has no attribute {unknown[0]!r}")
        return {a.name: a.coerce(given[a.name]) if a.name in given else a.default for a in self.attrs}

    def vjp(self, grad_out: np.ndarray, xs: Sequence[np.ndarray], y: np.ndarray, **attrs: Any) -> tuple:
        """All input gradients at once (None where an input takes none)."""
        return tuple(f(grad_out, xs, y, **attrs) for f in self.vjps)


class Registry:
    """Ops by id. register() refuses duplicates so that an op is defined exactly once."""

    def __init__(self) -> None:
        self._ops: dict[str, OpDef] = {}

    def register(self, op: OpDef) -> OpDef:
        if op.id in self._ops:
            raise ValueError(f"op {op.id!r} is already registered")
        self._ops[op.id] = op
        return op

    @contextmanager
    def temporarily(self, op: OpDef) -> Iterator[OpDef]:
        """op registered for the duration of a with block (tests add throw-away ops this way)."""
        self.register(op)
        try:
            yield op
        finally:
            del self._ops[op.id]

    def __getitem__(self, op_id: str) -> OpDef:
        return self._ops[op_id]

    def __contains__(self, op_id: object) -> bool:
        return op_id in self._ops

    def __iter__(self) -> Iterator[OpDef]:
        return iter(self._ops.values())

    def __len__(self) -> int:
        return len(self._ops)

    def get(self, op_id: str) -> OpDef | None:
        return self._ops.get(op_id)

    def ids(self) -> list[str]:
        return list(self._ops)

    def by_group(self) -> dict[str, list[OpDef]]:
        groups: dict[str, list[OpDef]] = {g: [] for g in GROUPS}
        for op in self._ops.values():
            groups[op.group].append(op)
        return groups


REGISTRY = Registry()
register = REGISTRY.register


def unbroadcast(grad: np.ndarray, shape: Shape) -> np.ndarray:
    """Sum grad down to shape, undoing numpy broadcasting (the one helper every broadcasting op uses)."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape)


def broadcast_shape(*shapes: Shape, **attrs: Any) -> Shape:
    """numpy's broadcasting rule, raising OpShapeError with both shapes named."""
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        names = " and ".join(str(s) for s in shapes)
        raise OpShapeError(f"shapes {names} do not broadcast") from None


def elementwise_inline(
    *templates: str | None,
) -> Callable[[tuple[Shape, ...], Shape], tuple[str | None, ...]]:
    """inline_vjps for a broadcasting op: a port's template applies only where no unbroadcast is needed."""

    def choose(in_shapes: tuple[Shape, ...], out_shape: Shape, **attrs: Any) -> tuple[str | None, ...]:
        return tuple(t if s == out_shape else None for t, s in zip(templates, in_shapes, strict=True))

    return choose


def exact(sp: Any, value: Any) -> Any:
    """An attribute as an exact sympy number (0.01 → 1/100), for sympy rules."""
    return sp.nsimplify(value, rational=True) if isinstance(value, float) else value


def same_shape(*shapes: Shape, **attrs: Any) -> Shape:
    """Shape rule of elementwise unary ops."""
    return shapes[0]
