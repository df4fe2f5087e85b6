"""An ONNX model as a graph document. Reading a model never executes anything from it.

The file is read whole (size-limited) and parsed; every tensor's element count is checked from its
dimensions before its data is touched; external data is read only from files inside the model's folder;
then onnx.checker and strict shape inference run. Graph inputs become `input` nodes, initialisers
`parameter` nodes (`constant` for the constants of a graph exported by this program), each supported
operator one node or a few (Gemm: transposes, a matmul, scalings and a bias). Anything else is refused
with one line naming the file, the node and the operator; nothing is written then.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnx.defs
from google.protobuf.message import DecodeError
from onnx import AttributeProto, TensorProto, helper, numpy_helper

from engine.interop.building import GraphBuilder, ModelImportError, check_elements, identifier
from engine.interop.onnx_export import METADATA_KEY
from engine.interop.opmap import DOMAIN, MAPPINGS
from engine.ops.registry import REGISTRY
from graph.document import Document

MAX_MODEL_BYTES = 512 * 1024 * 1024
_FLOAT_TYPES = {
    TensorProto.FLOAT,
    TensorProto.DOUBLE,
    TensorProto.FLOAT16,
    TensorProto.INT32,
    TensorProto.INT64,
}

# Standard operators that are exactly one op here, with the same attributes (the table's standard forms).
STANDARD = {f.op_type: op_id for op_id, m in MAPPINGS.items() for f in m.onnx if not f.domain}
# This program's model-local functions, by name: the op and the attributes the name stands for.
FUNCTIONS = {f.op_type: (op_id, f.fixed) for op_id, m in MAPPINGS.items() for f in m.onnx if f.domain}
# Standard operators whose attribute rules differ from the op's (ONNX attributes are 32-bit floats).
_STANDARD_EXTRA = {"LeakyRelu": "leaky_relu", "Elu": "elu", "Selu": "selu", "Softplus": "softplus"}
_ATTRIBUTES_SEEN = {
    "ReduceSum": {"axes", "noop_with_empty_axes"},
    "ReduceMean": {"axes", "noop_with_empty_axes"},
}


def _f32(value: float) -> float:
    """A 32-bit float attribute as the shortest decimal that reads back as it (0.01f → 0.01)."""
    return float(np.format_float_positional(np.float32(value), unique=True, trim="-"))


# ------------------------------------------------------------------------------------ reading a file
def _parse(data: bytes, source: str) -> onnx.ModelProto:
    try:
        model = onnx.load_model_from_string(data)
    except (DecodeError, ValueError, RuntimeError) as err:
        raise ModelImportError(f"{source}: not an ONNX model ({str(err).splitlines()[0][:120]})") from None
    if not model.ir_version or not model.HasField("graph") or not model.graph.output:
        raise ModelImportError(f"{source}: not an ONNX model (no IR version or no graph outputs)")
    return model


def _tensors(model: onnx.ModelProto) -> list[tuple[str, TensorProto]]:
    """Every tensor the model stores: initialisers and Constant nodes' values."""
    found = [(t.name, t) for t in model.graph.initializer]
    for node in model.graph.node:
        found += [
            (node.name or node.output[0], a.t) for a in node.attribute if a.type == AttributeProto.TENSOR
        ]
    return found


def _read_external(tensor: TensorProto, name: str, folder: Path, builder: GraphBuilder) -> None:
    """Move a tensor's external data into the tensor, reading only a file inside `folder`."""
    info = {e.key: e.value for e in tensor.external_data}
    location = info.get("location", "")
    target = (folder / location).resolve()
    if not location or not target.is_relative_to(folder) or not target.is_file():
        raise builder.fail(
            f"tensor {name!r}: external data {location!r} is not a file in the model's folder", name
        )
    dtype = helper.tensor_dtype_to_np_dtype(tensor.data_type)
    length = int(np.prod(tensor.dims, dtype=np.int64)) * dtype.itemsize
    offset = int(info.get("offset", 0) or 0)
    with open(target, "rb") as f:
        f.seek(offset)
        data = f.read(length)
    if len(data) != length or int(info.get("length", length) or length) != length:
        raise builder.fail(f"tensor {name!r}: external data {location!r} is shorter than the tensor", name)
    tensor.raw_data = data
    del tensor.external_data[:]
    tensor.data_location = TensorProto.DEFAULT


def read_model(path: str | os.PathLike[str]) -> onnx.ModelProto:
    """The model, checked: size, element counts, external data, onnx.checker, shape inference."""
    source = os.fspath(path)
    builder = GraphBuilder(source)
    try:
        size = os.path.getsize(source)
        if size > MAX_MODEL_BYTES:
            raise builder.fail(f"the file is {size:,} bytes; models are limited to {MAX_MODEL_BYTES:,}")
        data = Path(source).read_bytes()
    except OSError as err:
        raise builder.fail(err.strerror or str(err)) from None
    model = _parse(data, source)
    if model.graph.sparse_initializer:
        raise builder.fail("sparse initialisers are not supported")
    folder = Path(source).resolve().parent
    for name, tensor in _tensors(model):
        check_elements(builder, name, list(tensor.dims))
        if tensor.data_location == TensorProto.EXTERNAL:
            _read_external(tensor, name, folder, builder)
    try:
        onnx.checker.check_model(model)
        return onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    except (onnx.checker.ValidationError, onnx.shape_inference.InferenceError) as err:
        raise builder.fail(f"invalid model: {str(err).splitlines()[0][:200]}") from None


# ------------------------------------------------------------------------------------- conversion
def _shape(value_info: onnx.ValueInfoProto) -> tuple[int | None, ...] | None:
    t = value_info.type.tensor_type
    if not t.HasField("shape"):
        return None
    return tuple(d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim)


class _Importer:
    def __init__(self, model: onnx.ModelProto, builder: GraphBuilder, given: dict[str, Any]) -> None:
        self.model, self.builder, self.given = model, builder, given
        g = model.graph
        self.initializers = {t.name: t for t in g.initializer}
        self.shapes = {v.name: _shape(v) for v in [*g.input, *g.value_info, *g.output]}
        self.tensors: dict[str, str] = {}  # ONNX tensor name → node id
        self.opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 1)
        self.functions = {f.name for f in model.functions if f.domain == DOMAIN}
        self.meta = _metadata(model)
        self.converters: dict[str, Callable[[onnx.NodeProto], None]] = {
            "Gemm": self._gemm,
            "Identity": self._alias,
            "Flatten": self._reshape,
            "Reshape": self._reshape,
            "Constant": self._constant,
            "Transpose": self._transpose,
            "Softmax": self._softmax,
            **{op_type: self._standard_extra for op_type in _STANDARD_EXTRA},
        }

    def fail(self, node: onnx.NodeProto, text: str) -> ModelImportError:
        where = f"node {node.name!r} ({node.op_type})" if node.name else f"a {node.op_type} node"
        return self.builder.fail(f"{where}: {text}", node.name or None)

    # ----- values
    def array(self, tensor: TensorProto, name: str) -> np.ndarray:
        if tensor.data_type not in _FLOAT_TYPES:
            raise self.builder.fail(
                f"tensor {name!r} is of type {TensorProto.DataType.Name(tensor.data_type)}"
            )
        return numpy_helper.to_array(tensor).astype(np.float64)

    def source(self, name: str, node: onnx.NodeProto) -> str:
        """The node id behind a tensor name; an initialiser becomes a parameter (or constant) here."""
        if name in self.tensors:
            return self.tensors[name]
        if name not in self.initializers:
            raise self.fail(node, f"input {name!r} comes from nowhere")
        constants = self.meta.get("constants")
        op = "constant" if isinstance(constants, list) and name in constants else "parameter"
        self.tensors[name] = self.builder.leaf(op, name, self.array(self.initializers[name], name))
        return self.tensors[name]

    def constant(self, value: float, name: str) -> str:
        return self.builder.leaf("constant", name, np.array(value))

    def output(
        self, node: onnx.NodeProto, op: str, sources: list[str], attrs: dict[str, Any] | None = None
    ) -> None:
        outputs = [o for o in node.output if o]
        if len(outputs) != 1:
            raise self.fail(node, f"{len(outputs)} outputs; only the first of an operator can be used here")
        self.tensors[outputs[0]] = self.builder.op(op, node.name or outputs[0], sources, attrs)

    def attributes(self, node: onnx.NodeProto, allowed: set[str]) -> dict[str, Any]:
        """The node's attributes with the schema's defaults filled in; an unknown one is refused."""
        values = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        unknown = sorted(set(values) - allowed)
        if unknown:
            raise self.fail(node, f"attribute {unknown[0]!r} is not supported")
        if node.domain in ("", "ai.onnx"):
            schema = onnx.defs.get_schema(node.op_type, self.opset)
            for name, attr in schema.attributes.items():
                if name not in values and attr.default_value.name:
                    values[name] = helper.get_attribute_value(attr.default_value)
        return values

    # ----- the graph
    def inputs(self) -> None:
        for value_info in self.model.graph.input:
            name = value_info.name
            default = self.initializers.pop(name, None)
            shape = self.shapes.get(name)
            if shape is None:
                raise self.builder.fail(f"input {name!r} has no shape", name)
            given = self.given.get(name, self.given.get(identifier(name)))
            array = None if default is None else self.array(default, name)
            self.tensors[name] = self.builder.fed_input(name, shape, given, array)

    def node(self, node: onnx.NodeProto) -> None:
        if node.domain == DOMAIN and node.op_type in FUNCTIONS and node.op_type in self.functions:
            op_id, fixed = FUNCTIONS[node.op_type]
            return self._generic(node, op_id, fixed)
        if node.domain not in ("", "ai.onnx"):
            raise self.fail(node, f"operator {node.domain}:{node.op_type} is not supported")
        if node.op_type in self.converters:
            return self.converters[node.op_type](node)
        if node.op_type in STANDARD:
            return self._generic(node, STANDARD[node.op_type], {})
        raise self.fail(node, f"operator {node.op_type} is not supported")

    def _generic(self, node: onnx.NodeProto, op_id: str, fixed: dict[str, Any]) -> None:
        op = REGISTRY[op_id]
        if len(node.input) < len(op.inputs) or not all(node.input[: len(op.inputs)]):
            raise self.fail(node, f"needs {len(op.inputs)} inputs")
        plain = {a.name for a in op.attrs if a.kind in ("float", "int", "bool")}
        values = self.attributes(node, plain | _ATTRIBUTES_SEEN.get(node.op_type, set()))
        attrs = dict(fixed)
        for a in op.attrs:
            if a.kind == "axis":
                attrs[a.name] = self._axis(node, values)
            elif a.name in plain and a.name in values:
                attrs[a.name] = _attr_value(a.kind, values[a.name])
        sources = [self.source(name, node) for name in node.input[: len(op.inputs)]]
        self.output(node, op_id, sources, attrs)

    def _axes(self, node: onnx.NodeProto, values: dict[str, Any]) -> list[int]:
        """A reduction's axes: the attribute (before opset 13/18) or the second input."""
        if len(node.input) > 1 and node.input[1]:
            if node.input[1] not in self.initializers:
                raise self.fail(node, "the axes must be an initialiser")
            return [int(a) for a in numpy_helper.to_array(self.initializers.pop(node.input[1])).ravel()]
        return list(values.get("axes") or [])

    def _axis(self, node: onnx.NodeProto, values: dict[str, Any]) -> int | None:
        """The axes as one axis, or None for all of them."""
        axes = self._axes(node, values)
        rank = len(self.shapes.get(node.input[0]) or ())
        if not axes:
            if values.get("noop_with_empty_axes"):
                raise self.fail(node, "noop_with_empty_axes is not supported")
            return None
        if len(axes) == 1:
            return int(axes[0])
        if sorted(a % rank for a in axes) == list(range(rank)):
            return None
        raise self.fail(node, f"reducing over axes {axes} at once is not supported (one axis, or all)")

    # ----- operators with their own rules
    def _standard_extra(self, node: onnx.NodeProto) -> None:
        op_id = _STANDARD_EXTRA[node.op_type]
        values = self.attributes(node, {"alpha", "gamma"})
        attrs = {}
        if op_id == "selu":
            if not (np.float32(values["alpha"]) == np.float32(1.6732632423543772)
                    and np.float32(values["gamma"]) == np.float32(1.0507009873554805)):  # fmt: skip
                raise self.fail(node, "only SELU's standard alpha and gamma are supported")
        elif "alpha" in values:
            attrs["alpha"] = _f32(values["alpha"])
        self.output(node, op_id, [self.source(node.input[0], node)], attrs)

    def _transpose(self, node: onnx.NodeProto) -> None:
        rank = len(self.shapes.get(node.input[0]) or ())
        perm = self.attributes(node, {"perm"}).get("perm")
        if perm is not None and list(perm) != list(range(rank))[::-1]:
            raise self.fail(node, f"perm {list(perm)} is not supported (only all axes reversed, xᵀ)")
        self.output(node, "transpose", [self.source(node.input[0], node)])

    def _softmax(self, node: onnx.NodeProto) -> None:
        rank = len(self.shapes.get(node.input[0]) or ())
        axis = int(self.attributes(node, {"axis"})["axis"])
        if self.opset < 13 and axis % max(rank, 1) != rank - 1:
            raise self.fail(
                node, "before opset 13 Softmax flattens its input; only the last axis is supported"
            )
        self.output(node, "softmax", [self.source(node.input[0], node)], {"axis": axis})

    def _alias(self, node: onnx.NodeProto) -> None:
        self.tensors[node.output[0]] = self.source(node.input[0], node)

    def _reshape(self, node: onnx.NodeProto) -> None:
        """Flatten and Reshape to the statically known output shape (shape inference gave it)."""
        before, after = self.shapes.get(node.input[0]), self.shapes.get(node.output[0])
        if after is None or None in after:
            raise self.fail(node, f"the output shape is not known statically ({before} → {after})")
        if node.op_type == "Reshape" and node.input[1] in self.initializers:
            self.initializers.pop(node.input[1])
        if before == after:
            return self._alias(node)
        self.output(node, "reshape", [self.source(node.input[0], node)], {"shape": list(after)})

    def _constant(self, node: onnx.NodeProto) -> None:
        values = self.attributes(node, {"value", "value_float", "value_floats", "value_int", "value_ints"})
        (name, value), *_ = values.items()
        array = self.array(value, node.output[0]) if name == "value" else np.array(value, dtype=np.float64)
        self.tensors[node.output[0]] = self.builder.leaf("constant", node.name or node.output[0], array)

    def _gemm(self, node: onnx.NodeProto) -> None:
        """Y = alpha · A′B′ + beta · C, with A′ = Aᵀ if transA, B′ = Bᵀ if transB (ONNX's Gemm)."""
        v = self.attributes(node, {"alpha", "beta", "transA", "transB"})
        stem = node.name or node.output[0]
        a, b = (self.source(n, node) for n in node.input[:2])
        if v["transA"]:
            a = self.builder.op("transpose", f"{stem}.At", [a])
        if v["transB"]:
            b = self.builder.op("transpose", f"{stem}.Bt", [b])
        y = self.builder.op("matmul", f"{stem}.AB", [a, b])
        if _f32(v["alpha"]) != 1.0:
            y = self.builder.op(
                "mul", f"{stem}.alphaAB", [self.constant(_f32(v["alpha"]), f"{stem}.alpha"), y]
            )
        if len(node.input) > 2 and node.input[2]:
            c = self.source(node.input[2], node)
            if _f32(v["beta"]) != 1.0:
                c = self.builder.op(
                    "mul", f"{stem}.betaC", [self.constant(_f32(v["beta"]), f"{stem}.beta"), c]
                )
            y = self.builder.op("add", stem, [y, c])
        self.tensors[node.output[0]] = y


def _attr_value(kind: str, raw: Any) -> Any:
    """An ONNX attribute as ours: a float from a float64 tensor or a 32-bit float; an int; a bool."""
    if kind == "float":
        return float(numpy_helper.to_array(raw)) if isinstance(raw, TensorProto) else _f32(raw)
    return bool(raw) if kind == "bool" else int(raw)


def _metadata(model: onnx.ModelProto) -> dict[str, Any]:
    """This program's notes in a model it exported (labels, constants); plain JSON data, or nothing."""
    for prop in model.metadata_props:
        if prop.key == METADATA_KEY:
            try:
                data = json.loads(prop.value)
            except ValueError:
                return {}
            return data if isinstance(data, dict) else {}
    return {}


def import_onnx(
    path: str | os.PathLike[str],
    *,
    loss: str | None = None,
    target: Any = None,
    input_values: dict[str, Any] | None = None,
) -> Document:
    """The model as a laid-out graph; with `loss`, a loss node on the first output against `target`."""
    model = read_model(path)
    builder = GraphBuilder(os.fspath(path))
    importer = _Importer(model, builder, input_values or {})
    importer.inputs()
    for node in model.graph.node:
        importer.node(node)
    outputs = [importer.tensors[o.name] for o in model.graph.output if o.name in importer.tensors]
    if not outputs:
        raise builder.fail("the model's outputs are not computed by any node")
    if loss is not None:
        builder.add_loss(loss, outputs[0], target)
    elif len(builder.doc.sinks()) > 1:
        builder.doc.set_training({"loss": outputs[0]})
    labels = importer.meta.get("labels")
    return builder.finish(model.graph.doc_string, labels if isinstance(labels, dict) else None)
