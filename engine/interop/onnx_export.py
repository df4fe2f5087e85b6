"""A graph as an ONNX model, built with the `onnx` package's helpers.

The forward graph only: inputs become graph inputs (their values as default initialisers, so the model
runs as the graph does when nothing is fed), parameters and constants initialisers, every other node
one ONNX node named by its id, with its label in the doc string; the output (the loss, when the graph
has one), every sink and every loss's prediction are graph outputs. Ops without an exact standard
operator call model-local functions (engine/interop/opmap.py). Float64 by default; float32 on request.
The model is checked with onnx.checker and full shape inference before it is returned.
"""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np
import onnx
import onnx.parser
from onnx import TensorProto, helper, numpy_helper

from engine.compile.plan import Plan, compile_plan
from engine.interop.opmap import DOMAIN, FUNCTION_OPSET, MAPPINGS, ONNX_FUNCTIONS, ONNX_OPSET
from engine.ops.registry import OpDef
from graph.document import Document

IR_VERSION = 10  # onnxruntime ≥ 1.18 reads it
PRODUCER = "Backprop Studio"
METADATA_KEY = "backprop_studio"  # labels and which initialisers are constants, for the way back


class _Names:
    """Tensor names: node ids, plus unique names for the extra tensors (a reduction's axes)."""

    def __init__(self, ids: list[str]) -> None:
        self.used = set(ids)

    def fresh(self, stem: str) -> str:
        name, k = stem, 1
        while name in self.used:
            k += 1
            name = f"{stem}_{k}"
        self.used.add(name)
        return name


def _onnx_attrs(op: OpDef, attrs: dict[str, Any], fixed: dict[str, Any]) -> dict[str, Any]:
    """Our attributes as ONNX attributes: floats as float64 scalar tensors (ONNX floats are 32-bit),
    ints and bools as ints; a choice is part of the op type (`fixed`); an axis or a shape becomes an
    input."""
    out: dict[str, Any] = {}
    for a in op.attrs:
        if a.name in fixed or a.kind in ("axis", "shape"):
            continue
        value = attrs[a.name]
        if a.kind == "float":
            out[a.name] = numpy_helper.from_array(np.array(value, dtype=np.float64))
        elif a.kind in ("int", "bool"):
            out[a.name] = int(value)
        else:
            raise ValueError(f"op {op.id!r}: attribute {a.name!r} has no ONNX form")
    return out


def _doc_string(doc: Document, node_id: str, op: OpDef) -> str:
    label = doc.node(node_id).label
    return f"{label}: {op.doc}" if label else op.doc


def _outputs(plan: Plan) -> list[str]:
    """The output first, then every sink, then each loss's prediction (without repeats)."""
    doc = plan.doc
    names = [plan.output] + [n for n in plan.ids if not doc.consumers_of(n)]
    for n, op in zip(plan.ids, plan.ops):
        if op.group == "Losses":
            names.append(doc.inputs_of(n)["pred"])
    return list(dict.fromkeys(names))


class _Builder:
    def __init__(self, plan: Plan, dtype: Any) -> None:
        self.plan, self.dtype = plan, dtype
        self.elem = TensorProto.FLOAT if dtype == np.float32 else TensorProto.DOUBLE
        self.names = _Names(plan.ids)
        self.inputs: list[onnx.ValueInfoProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.nodes: list[onnx.NodeProto] = []
        self.functions: set[str] = set()

    def info(self, name: str, doc_string: str = "") -> onnx.ValueInfoProto:
        return helper.make_tensor_value_info(name, self.elem, list(self.plan.shapes[name]), doc_string)

    def tensor(self, name: str, value: np.ndarray, doc_string: str = "") -> onnx.TensorProto:
        t = numpy_helper.from_array(np.asarray(value, dtype=self.dtype), name)
        t.doc_string = doc_string
        return t

    def leaf(self, node_id: str, op: OpDef, value: np.ndarray) -> None:
        label = self.plan.doc.node(node_id).label or ""
        if op.id == "input":
            self.inputs.append(self.info(node_id, label))
        self.initializers.append(self.tensor(node_id, value, label))

    def node(self, slot: int) -> None:
        plan = self.plan
        node_id, op, attrs = plan.ids[slot], plan.ops[slot], plan.attrs[slot]
        sources = [plan.ids[s] for s in plan.inputs[slot]]
        shapes = tuple(plan.shapes[s] for s in sources)
        form = MAPPINGS[op.id].onnx_form(attrs, shapes)
        sources += self._int_inputs(node_id, op, attrs)
        if form.domain:
            self.functions.add(form.op_type)
        self.nodes.append(
            helper.make_node(
                form.op_type,
                sources,
                [node_id],
                name=node_id,
                doc_string=_doc_string(plan.doc, node_id, op),
                domain=form.domain,
                **_onnx_attrs(op, attrs, form.fixed),
            )
        )

    def _int_inputs(self, node_id: str, op: OpDef, attrs: dict[str, Any]) -> list[str]:
        """A reduction's axis, or reshape's shape (as computed, without -1), as an int64 initialiser."""
        kinds = {a.kind for a in op.attrs}
        if "axis" in kinds and attrs["axis"] is not None:
            name, values = self.names.fresh(f"{node_id}.axes"), [attrs["axis"]]
        elif "shape" in kinds:
            name, values = self.names.fresh(f"{node_id}.shape"), list(self.plan.shapes[node_id])
        else:
            return []
        self.initializers.append(numpy_helper.from_array(np.array(values, dtype=np.int64), name))
        return [name]

    def model(self, outputs: list[str]) -> onnx.ModelProto:
        doc = self.plan.doc
        graph = helper.make_graph(
            self.nodes,
            "backprop_studio_graph",
            self.inputs,
            [self.info(n) for n in outputs],
            self.initializers,
            doc_string=doc.description or "",
        )
        opsets = [helper.make_opsetid("", ONNX_OPSET)]
        if self.functions:
            opsets.append(helper.make_opsetid(DOMAIN, FUNCTION_OPSET))
        functions = [onnx.parser.parse_function(ONNX_FUNCTIONS[f]) for f in sorted(self.functions)]
        model = helper.make_model(
            graph, opset_imports=opsets, functions=functions, producer_name=PRODUCER, ir_version=IR_VERSION
        )
        meta = {
            "labels": {n.id: n.label for n in doc.nodes() if n.label and n.id in self.plan.slot},
            "constants": [n for n, op in zip(self.plan.ids, self.plan.ops) if op.id == "constant"],
        }
        helper.set_model_props(model, {METADATA_KEY: json.dumps(meta, ensure_ascii=False)})
        return model


def to_onnx(doc: Document, *, float32: bool = False, output: str | None = None) -> onnx.ModelProto:
    """The graph's forward pass as a checked ONNX model (raises GraphError if the graph is invalid)."""
    plan = compile_plan(doc, output=output)
    builder = _Builder(plan, np.float32 if float32 else np.float64)
    for slot, (value, op) in enumerate(zip(plan.leaf_values(), plan.ops)):
        if op.is_leaf:
            builder.leaf(plan.ids[slot], op, value)
        else:
            builder.node(slot)
    model = builder.model(_outputs(plan))
    onnx.checker.check_model(model, full_check=True)
    return model


def export_onnx(
    doc: Document, path: str | os.PathLike[str], *, float32: bool = False, output: str | None = None
) -> onnx.ModelProto:
    """Write the model to `path` (the whole file is built first, so a failure writes nothing)."""
    model = to_onnx(doc, float32=float32, output=output)
    data = model.SerializeToString()
    tmp = f"{os.fspath(path)}.tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return model
