"""How every op maps to PyTorch and to ONNX: one entry per op id, in one table (``MAPPINGS``).

An entry gives the PyTorch expression of the op (``{port}`` stands for an input, ``{attr}`` for an
attribute's value) and the ONNX op type(s) it becomes. Where PyTorch or ONNX lacks the op under this
program's conventions (docs/file-format.md: kinks, mse's reduction and scale,
cross_entropy's class axis, a stable softplus …) the expression calls a small helper that the exported
file carries (``TORCH_HELPERS``), and the ONNX node calls a model-local function of ``DOMAIN``
(``ONNX_FUNCTIONS``) whose body computes it with standard operators. ONNX attributes are 32-bit floats,
so a float attribute (leaky_relu's α, mse's scale) travels as a float64 scalar tensor attribute.

A test walks the registry: every non-leaf op has an entry here, or the test fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Shape = tuple[int, ...]
DOMAIN = "backprop_studio"
ONNX_OPSET = 18
FUNCTION_OPSET = 1


def _always(attrs: dict[str, Any], shapes: tuple[Shape, ...]) -> bool:
    return True


@dataclass(frozen=True)
class OnnxForm:
    """One ONNX op type an op becomes: standard, or a function of DOMAIN when ONNX_FUNCTIONS has it.

    `fixed` are the attribute values the form stands for (mse's reduction picks Mse or MseSum); `when`
    chooses between forms by the input shapes (cross_entropy's probabilities or class indices).
    """

    op_type: str
    fixed: dict[str, Any] = field(default_factory=dict)
    when: Callable[[dict[str, Any], tuple[Shape, ...]], bool] = _always

    @property
    def domain(self) -> str:
        return DOMAIN if self.op_type in ONNX_FUNCTIONS else ""

    def fits(self, attrs: dict[str, Any], shapes: tuple[Shape, ...]) -> bool:
        return all(attrs.get(k) == v for k, v in self.fixed.items()) and self.when(attrs, shapes)


@dataclass(frozen=True)
class Mapping:
    """An op in PyTorch (an expression, or a function of the attributes giving one) and in ONNX."""

    torch: str | Callable[[dict[str, Any]], str]
    onnx: tuple[OnnxForm, ...]
    helpers: tuple[str, ...] = ()  # TORCH_HELPERS the expression calls

    def torch_template(self, attrs: dict[str, Any]) -> str:
        return self.torch(attrs) if callable(self.torch) else self.torch

    def onnx_form(self, attrs: dict[str, Any], shapes: tuple[Shape, ...]) -> OnnxForm:
        return next(f for f in self.onnx if f.fits(attrs, shapes))


def _reduce(method: str) -> Callable[[dict[str, Any]], str]:
    """sum/mean: all elements to a scalar, or one axis (numpy's keepdims)."""

    def template(attrs: dict[str, Any]) -> str:
        if attrs["axis"] is not None:
            return f"{{x}}.{method}(dim={attrs['axis']}, keepdim={attrs['keepdims']})"
        if attrs["keepdims"]:
            return f"{{x}}.{method}().reshape([1] * {{x}}.dim())"
        return f"{{x}}.{method}()"

    return template


def _same_shapes(attrs: dict[str, Any], shapes: tuple[Shape, ...]) -> bool:
    return shapes[0] == shapes[1]


def _one(op_type: str) -> tuple[OnnxForm, ...]:
    return (OnnxForm(op_type),)


MAPPINGS: dict[str, Mapping] = {
    "add": Mapping("{a} + {b}", _one("Add")),
    "sub": Mapping("{a} - {b}", _one("Sub")),
    "mul": Mapping("{a} * {b}", _one("Mul")),
    "div": Mapping("{a} / {b}", _one("Div")),
    "neg": Mapping("-{x}", _one("Neg")),
    "pow": Mapping("torch.pow({a}, {b})", _one("Pow")),
    "square": Mapping("torch.square({x})", _one("Square")),
    "sqrt": Mapping("torch.sqrt({x})", _one("Sqrt")),
    "exp": Mapping("torch.exp({x})", _one("Exp")),
    "log": Mapping("torch.log({x})", _one("Log")),
    "abs": Mapping("torch.abs({x})", _one("Abs")),
    "sin": Mapping("torch.sin({x})", _one("Sin")),
    "relu": Mapping("torch.relu({x})", _one("Relu")),
    "leaky_relu": Mapping("F.leaky_relu({x}, {alpha})", _one("LeakyRelu")),
    "elu": Mapping("F.elu({x}, {alpha})", _one("Elu")),
    "selu": Mapping("torch.selu({x})", _one("Selu")),
    "sigmoid": Mapping("torch.sigmoid({x})", _one("Sigmoid")),
    "tanh": Mapping("torch.tanh({x})", _one("Tanh")),
    "softplus": Mapping("softplus({x})", _one("Softplus"), ("softplus",)),
    "swish": Mapping("{x} * torch.sigmoid({beta} * {x})", _one("Swish")),
    "mish": Mapping("{x} * torch.tanh(softplus({x}))", _one("Mish"), ("softplus",)),
    # NOTE: PyTorch's default GELU is the exact erf form, as this program's (approximate="none").
    "gelu": Mapping("torch.nn.functional.gelu({x})", _one("Gelu")),
    "softmax": Mapping("torch.softmax({x}, dim={axis})", _one("Softmax")),
    "matmul": Mapping("torch.matmul({a}, {b})", _one("MatMul")),
    "transpose": Mapping("transpose({x})", _one("Transpose"), ("transpose",)),
    "reshape": Mapping("{x}.reshape({shape})", _one("Reshape")),
    "sum": Mapping(_reduce("sum"), _one("ReduceSum")),
    "mean": Mapping(_reduce("mean"), _one("ReduceMean")),
    "mse": Mapping(
        "mse({pred}, {target}, {reduction}, {scale})",
        (OnnxForm("Mse", fixed={"reduction": "mean"}), OnnxForm("MseSum", fixed={"reduction": "sum"})),
        ("mse",),
    ),
    "bce": Mapping("bce({pred}, {target})", _one("Bce"), ("bce",)),
    "bce_with_logits": Mapping(
        "bce_with_logits({pred}, {target})", _one("BceWithLogits"), ("bce_with_logits",)
    ),
    "cross_entropy": Mapping(
        "cross_entropy({pred}, {target})",
        (OnnxForm("CrossEntropy", when=_same_shapes), OnnxForm("CrossEntropyIndices")),
        ("cross_entropy",),
    ),
}


# --------------------------------------------------------------------------- helpers in PyTorch code
TORCH_HELPERS: dict[str, str] = {
    "softplus": '''
def softplus(x):
    """ln(1 + eˣ) without overflow, exact for large x (F.softplus switches to x above a threshold)."""
    return torch.logaddexp(x, torch.zeros_like(x))
''',
    "transpose": '''
def transpose(x):
    """numpy's x.T: every axis reversed (a vector or a scalar passes through)."""
    return x.permute(tuple(reversed(range(x.dim()))))
''',
    "mse": '''
def mse(pred, target, reduction, scale):
    """scale · mean (or sum) of (pred − target)², over the broadcast shape."""
    d = pred - target
    s = (d * d).sum()
    return scale * s / d.numel() if reduction == "mean" else scale * s
''',
    "bce": '''
def bce(pred, target):
    """torch.nn.BCELoss (each log clamped at −100), with pred and target broadcast as the graph
    does (F.binary_cross_entropy needs equal shapes)."""
    pred, target = torch.broadcast_tensors(pred, target)
    return torch.nn.functional.binary_cross_entropy(pred, target)
''',
    "bce_with_logits": '''
def bce_with_logits(pred, target):
    """bce of σ(pred), stably; pred and target broadcast (F.binary_cross_entropy_with_logits
    needs equal shapes)."""
    v = torch.logaddexp(torch.zeros_like(pred), pred) - pred * target
    return v.sum() / v.numel()
''',
    "cross_entropy": '''
def cross_entropy(pred, target):
    """Mean over rows of −Σ t·log softmax(pred), classes on the LAST axis (F.cross_entropy takes
    them on axis 1); target: probabilities of pred's shape, or class indices of shape pred.shape[:-1]."""
    ls = torch.log_softmax(pred, dim=-1)
    rows = ls.numel() // ls.shape[-1]
    if target.shape == pred.shape:
        return -(target * ls).sum() / rows
    if bool(((target != target.round()) | (target < 0) | (target >= ls.shape[-1])).any()):
        raise ValueError(f"class indices must be whole numbers from 0 to {ls.shape[-1] - 1}")
    return -ls.gather(-1, target.long().unsqueeze(-1)).sum() / rows
''',
}


# --------------------------------------------------------------------- model-local ONNX functions
# ONNX's textual syntax (onnx.parser), one statement per line. Constants are float64 and cast to the
# input's type (CastLike), so the same body serves a float32 model. `@name` reads the calling node's
# tensor attribute.
def _fn(signature: str, *lines: str) -> str:
    head = f'<domain: "{DOMAIN}", opset_import: ["" : {ONNX_OPSET}]>'
    return "\n".join([head, signature + " {", *(f"    {line}" for line in lines), "}"])


def _const(name: str, value: str, like: str = "x") -> tuple[str, str]:
    return (f"{name}0 = Constant <value = double {{{value}}}> ()", f"{name} = CastLike ({name}0, {like})")


def _attr(name: str, like: str = "x") -> tuple[str, str]:
    return (f"{name}0 = Constant <value: tensor = @{name}> ()", f"{name} = CastLike ({name}0, {like})")


_ZERO = _const("zero", "0.0")
_ONE = _const("one", "1.0")
# NOTE: ln(1 + eˣ) = max(x, 0) + ln(1 + e^(−|x|)): no overflow (ONNX's Softplus overflows at x ≈ 710).
_SOFTPLUS = ("m = Max (x, zero)", "ax = Abs (x)", "nax = Neg (ax)", "e = Exp (nax)", "e1 = Add (one, e)")
_SOFTPLUS += ("l = Log (e1)", "sp = Add (m, l)")
_LAST_AXIS = "last = Constant <value = int64[1] {-1}> ()"

ONNX_FUNCTIONS: dict[str, str] = {
    "Square": _fn("Square (x) => (y)", "y = Mul (x, x)"),
    "LeakyRelu": _fn(
        "LeakyRelu <alpha> (x) => (y)",
        *_attr("alpha"), *_ZERO,
        "pos = Greater (x, zero)", "ax = Mul (alpha, x)", "y = Where (pos, x, ax)",
    ),
    "Elu": _fn(
        "Elu <alpha> (x) => (y)",
        *_attr("alpha"), *_ZERO, *_ONE,
        "p = Max (x, zero)", "n = Min (x, zero)", "e = Exp (n)", "em1 = Sub (e, one)",
        "t = Mul (alpha, em1)", "y = Add (p, t)",
    ),
    "Selu": _fn(
        "Selu (x) => (y)",
        *_ZERO, *_ONE, *_const("lam", "1.0507009873554805"), *_const("alf", "1.6732632423543772"),
        "p = Max (x, zero)", "n = Min (x, zero)", "e = Exp (n)", "em1 = Sub (e, one)",
        "t = Mul (alf, em1)", "s = Add (p, t)", "y = Mul (lam, s)",
    ),
    "Softplus": _fn("Softplus (x) => (y)", *_ZERO, *_ONE, *_SOFTPLUS, "y = Identity (sp)"),
    "Swish": _fn("Swish (x, beta) => (y)", "bx = Mul (beta, x)", "s = Sigmoid (bx)", "y = Mul (x, s)"),
    # NOTE: GELU(x) = x·Φ(x) = ½x(1 + erf(x/√2)); ONNX's own Gelu needs opset 20.
    "Gelu": _fn(
        "Gelu (x) => (y)",
        *_ONE, *_const("half", "0.5"), *_const("rsqrt2", "0.7071067811865476"),
        "z = Mul (x, rsqrt2)", "e = Erf (z)", "e1 = Add (one, e)", "h = Mul (half, x)", "y = Mul (h, e1)",
    ),
    "Mse": _fn(
        "Mse <scale> (pred, target) => (y)",
        *_attr("scale", "pred"),
        "d = Sub (pred, target)", "d2 = Mul (d, d)", "m = ReduceMean <keepdims = 0> (d2)",
        "y = Mul (scale, m)",
    ),
    "MseSum": _fn(
        "MseSum <scale> (pred, target) => (y)",
        *_attr("scale", "pred"),
        "d = Sub (pred, target)", "d2 = Mul (d, d)", "m = ReduceSum <keepdims = 0> (d2)",
        "y = Mul (scale, m)",
    ),
    "Bce": _fn(
        "Bce (pred, target) => (y)",
        "x = Identity (pred)", *_ONE, *_const("lo", "-100.0"),
        "lp0 = Log (x)", "lp = Max (lp0, lo)", "q = Sub (one, x)", "l1p0 = Log (q)", "l1p = Max (l1p0, lo)",
        "tl = Mul (target, lp)", "u = Sub (one, target)", "ul = Mul (u, l1p)", "v = Add (tl, ul)",
        "m = ReduceMean <keepdims = 0> (v)", "y = Neg (m)",
    ),
    "BceWithLogits": _fn(
        "BceWithLogits (pred, target) => (y)",
        "x = Identity (pred)", *_ZERO, *_ONE, *_SOFTPLUS,
        "zt = Mul (x, target)", "v = Sub (sp, zt)", "y = ReduceMean <keepdims = 0> (v)",
    ),
    "CrossEntropy": _fn(
        "CrossEntropy (pred, target) => (y)",
        "ls = LogSoftmax <axis = -1> (pred)", "tl = Mul (target, ls)", _LAST_AXIS,
        "r = ReduceSum <keepdims = 0> (tl, last)", "m = ReduceMean <keepdims = 0> (r)", "y = Neg (m)",
    ),
    "CrossEntropyIndices": _fn(
        "CrossEntropyIndices (pred, target) => (y)",
        "ls = LogSoftmax <axis = -1> (pred)", "i = Cast <to = 7> (target)", _LAST_AXIS,
        "i1 = Unsqueeze (i, last)", "p = GatherElements <axis = -1> (ls, i1)",
        "m = ReduceMean <keepdims = 0> (p)", "y = Neg (m)",
    ),
}  # fmt: skip
