"""A PyTorch module as a graph document, through torch.fx symbolic tracing (torch is optional).

`model.py:ClassName` runs model.py (as `python model.py` would, under another __name__) and builds
ClassName(); a saved module (.pt/.pth) is unpickled, which runs code too. The traced module may use
Linear layers, the activations this program has, elementwise arithmetic, matmul and whole-tensor
sum/mean; anything else is refused with one line naming the traced node and what it calls.
"""

from __future__ import annotations

import operator
import os
import runpy
from collections.abc import Callable
from typing import Any

import numpy as np

from engine.interop.building import GraphBuilder, ModelImportError
from engine.interop.importing import PY_CLASS
from graph.document import Document

INSTALL_HINT = "importing a PyTorch module needs torch: pip install '.[torch]'"
_UNARY_METHODS = {"relu": "relu", "sigmoid": "sigmoid", "tanh": "tanh", "exp": "exp", "log": "log"}
_UNARY_METHODS |= {"sqrt": "sqrt", "abs": "abs", "neg": "neg", "square": "square", "t": "transpose"}
_UNARY_METHODS |= {"sum": "sum", "mean": "mean"}
_BINARY_OPERATORS = {
    operator.add: "add",
    operator.sub: "sub",
    operator.mul: "mul",
    operator.truediv: "div",
    operator.pow: "pow",
    operator.matmul: "matmul",
}


def _function_ops(torch: Any) -> dict[Any, str]:
    F = torch.nn.functional
    return {
        torch.add: "add", torch.sub: "sub", torch.mul: "mul", torch.div: "div", torch.pow: "pow",
        torch.matmul: "matmul", torch.neg: "neg", torch.relu: "relu", F.relu: "relu",
        torch.sigmoid: "sigmoid", torch.tanh: "tanh", torch.exp: "exp", torch.log: "log",
        torch.sqrt: "sqrt", torch.abs: "abs", torch.square: "square", torch.selu: "selu", F.selu: "selu",
        F.mish: "mish", F.softplus: "softplus", F.leaky_relu: "leaky_relu", F.elu: "elu",
        torch.softmax: "softmax", F.softmax: "softmax", F.silu: "swish", torch.sum: "sum", torch.mean: "mean",
    }  # fmt: skip


def _torch() -> Any:
    try:
        import torch
        import torch.fx  # noqa: F401
    except ImportError:
        return None
    return torch


def _load_module(spec: str, builder: GraphBuilder, torch: Any) -> Any:
    match = PY_CLASS.match(spec)
    try:
        if match:
            namespace = runpy.run_path(match["path"], run_name="__backprop_studio_import__")
            if match["name"] not in namespace:
                raise builder.fail(f"{match['path']} defines no {match['name']!r}")
            module = namespace[match["name"]]()
        else:
            module = torch.load(spec, weights_only=False)
    except ModelImportError:
        raise
    except Exception as err:  # the user's own code may raise anything
        raise builder.fail(f"loading the module failed: {type(err).__name__}: {err}") from None
    if not isinstance(module, torch.nn.Module):
        raise builder.fail(f"{type(module).__name__} is not a torch.nn.Module")
    return module.eval()


class _FxImporter:
    def __init__(self, traced: Any, builder: GraphBuilder, given: dict[str, Any], torch: Any) -> None:
        self.traced, self.builder, self.given, self.torch = traced, builder, given, torch
        self.modules = dict(traced.named_modules())
        self.ids: dict[str, str] = {}  # fx node name → node id
        self.params: dict[str, str] = {}  # qualified parameter name → node id
        self.functions: dict[Any, str] = {**_BINARY_OPERATORS, operator.neg: "neg", **_function_ops(torch)}
        nn = torch.nn
        self.module_ops = {
            nn.ReLU: "relu", nn.Sigmoid: "sigmoid", nn.Tanh: "tanh", nn.SELU: "selu", nn.Mish: "mish",
            nn.Softplus: "softplus", nn.LeakyReLU: "leaky_relu", nn.ELU: "elu", nn.Softmax: "softmax",
            nn.SiLU: "swish",
        }  # fmt: skip

    def fail(self, node: Any, text: str) -> ModelImportError:
        return self.builder.fail(
            f"traced node {node.name!r} ({node.op} {_target_name(node.target)}): {text}", node.name
        )

    # ----- values
    def value(self, arg: Any, node: Any) -> str:
        """The node id of an argument: a traced node, or a number (a new constant)."""
        if hasattr(arg, "op") and hasattr(arg, "name"):
            return self.ids[arg.name]
        if isinstance(arg, (int, float)) and not isinstance(arg, bool):
            return self.builder.leaf("constant", f"{node.name}.c", float(arg))
        raise self.fail(node, f"an argument {arg!r} of type {type(arg).__name__} is not supported")

    def parameter(self, qualified: str, tensor: Any) -> str:
        if qualified not in self.params:
            op = "parameter" if isinstance(tensor, self.torch.nn.Parameter) else "constant"
            array = tensor.detach().to(self.torch.float64).cpu().numpy()
            self.params[qualified] = self.builder.leaf(op, qualified, array)
        return self.params[qualified]

    # ----- nodes
    def placeholder(self, node: Any) -> None:
        name = str(node.target)  # the forward's argument name (node.name may carry a suffix)
        given = self.given.get(name, self.given.get(node.name))
        if given is None:
            first = next((u for u in node.users if u.op == "call_module"), None)
            linear = self.modules.get(first.target) if first is not None else None
            if not isinstance(linear, self.torch.nn.Linear):
                raise self.fail(node, f"give the input's value with --input-value {name}=…")
            given = np.zeros(linear.in_features)
        self.ids[node.name] = self.builder.fed_input(name, np.shape(given), given, None)

    def get_attr(self, node: Any) -> None:
        tensor = self.traced
        for part in node.target.split("."):
            tensor = getattr(tensor, part)
        self.ids[node.name] = self.parameter(node.target, tensor)

    def call_module(self, node: Any) -> None:
        module = self.modules[node.target]
        nn = self.torch.nn
        x = self.value(node.args[0], node)
        if isinstance(module, (nn.Identity, nn.Dropout)):
            self.ids[node.name] = x
        elif isinstance(module, nn.Linear):
            self.ids[node.name] = self._linear(node, module, x)
        elif type(module) in self.module_ops:
            self.ids[node.name] = self._activation(node, self.module_ops[type(module)], x, vars(module))
        else:
            raise self.fail(node, f"module {type(module).__name__} is not supported")

    def _linear(self, node: Any, module: Any, x: str) -> str:
        """y = x·Wᵀ (+ b), as nn.Linear computes it."""
        w = self.parameter(f"{node.target}.weight", module.weight)
        wt = self.builder.op("transpose", f"{node.target}.weight_T", [w])
        if module.bias is None:
            return self.builder.op("matmul", node.name, [x, wt])
        y = self.builder.op("matmul", f"{node.name}.xWT", [x, wt])
        return self.builder.op("add", node.name, [y, self.parameter(f"{node.target}.bias", module.bias)])

    def _activation(self, node: Any, op: str, x: str, options: dict[str, Any]) -> str:
        attrs: dict[str, Any] = {}
        if op == "leaky_relu":
            attrs["alpha"] = float(options.get("negative_slope", 0.01))
        elif op == "elu":
            attrs["alpha"] = float(options.get("alpha", 1.0))
        elif op == "softmax":
            attrs["axis"] = -1 if options.get("dim") is None else int(options["dim"])
        elif op == "softplus" and float(options.get("beta", 1.0)) != 1.0:
            raise self.fail(node, "only softplus with beta = 1 is supported")
        if op == "swish":
            return self.builder.op(
                "swish", node.name, [x, self.builder.leaf("constant", f"{node.name}.beta", 1.0)]
            )
        return self.builder.op(op, node.name, [x], attrs)

    def call_function(self, node: Any) -> None:
        op = self.functions.get(node.target)
        if op is None:
            raise self.fail(node, "this function is not supported")
        self._call(node, op, list(node.args), dict(node.kwargs))

    def call_method(self, node: Any) -> None:
        op = _UNARY_METHODS.get(node.target)
        if op is None:
            raise self.fail(node, "this method is not supported")
        self._call(node, op, list(node.args), dict(node.kwargs))

    def _call(self, node: Any, op: str, args: list[Any], kwargs: dict[str, Any]) -> None:
        if op in _BINARY_OPERATORS.values() and len(args) == 2:
            self.ids[node.name] = self.builder.op(op, node.name, [self.value(a, node) for a in args])
            return
        if op in ("sum", "mean") and (len(args) > 1 or kwargs):
            raise self.fail(node, f"only {op} over all elements is supported")
        options = dict(kwargs)
        names = {"leaky_relu": "negative_slope", "elu": "alpha", "softmax": "dim"}
        if op in names and len(args) > 1:
            options[names[op]] = args[1]
        self.ids[node.name] = self._activation(node, op, self.value(args[0], node), options)

    def output(self, node: Any) -> None:
        result = node.args[0]
        if not (hasattr(result, "op") and hasattr(result, "name")):
            raise self.fail(node, "the module must return one tensor")
        self.ids["output"] = self.ids[result.name]


def _target_name(target: Any) -> str:
    return target if isinstance(target, str) else getattr(target, "__name__", repr(target))


def import_pytorch(
    spec: str,
    *,
    loss: str | None = None,
    target: Any = None,
    input_values: dict[str, Any] | None = None,
) -> Document:
    """The traced module as a laid-out graph; with `loss`, a loss node on its output against `target`."""
    builder = GraphBuilder(spec)
    torch = _torch()
    if torch is None:
        raise builder.fail(INSTALL_HINT)
    path = PY_CLASS.match(spec)["path"] if PY_CLASS.match(spec) else spec
    if not os.path.isfile(path):
        raise builder.fail(f"{path}: no such file")
    module = _load_module(spec, builder, torch)
    try:
        traced = torch.fx.symbolic_trace(module)
    except Exception as err:  # tracing runs the module's forward on proxies; it may raise anything
        raise builder.fail(f"torch.fx cannot trace the module: {type(err).__name__}: {err}") from None
    importer = _FxImporter(traced, builder, input_values or {}, torch)
    handlers: dict[str, Callable[[Any], None]] = {
        "placeholder": importer.placeholder,
        "get_attr": importer.get_attr,
        "call_module": importer.call_module,
        "call_function": importer.call_function,
        "call_method": importer.call_method,
        "output": importer.output,
    }
    for node in traced.graph.nodes:
        handlers[node.op](node)
    if loss is not None:
        builder.add_loss(loss, importer.ids["output"], target)
    return builder.finish(f"Imported from {os.path.basename(path)} (torch.fx).")
