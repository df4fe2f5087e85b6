"""What the training plots show beyond the losses: which units of a layer are identical (the symmetry
that zero or constant initialisation never breaks), and an activation's curve with its derivative.
Plain numpy over the document's structure; the plots only arrange these numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.ops.registry import REGISTRY, Registry
from graph.document import Document

FLAT = 1e-3  # |f′(z)| below this: the unit passes (almost) no gradient back at z


def identical_groups(value: np.ndarray, axis: int) -> list[list[int]]:
    """Groups (size ≥ 2) of indices along `axis` whose slices are exactly equal."""
    value = np.asarray(value)
    if value.ndim == 0:
        return []
    if value.ndim == 1:
        value = value[:, None] if axis == 0 else value[None, :]
    moved = np.moveaxis(value, axis, 0)
    groups: dict[bytes, list[int]] = {}
    for i in range(moved.shape[0]):
        groups.setdefault(np.ascontiguousarray(moved[i]).tobytes(), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


@dataclass(frozen=True)
class Layer:
    """The units of one layer z = x·W (+ b), h = f(z), then h·V: each unit has its incoming weights (a
    column of W; a row of W in the form W·x), its entry of the bias and its outgoing weights (a row of
    V; a column of V in the form V·h). Two units are interchangeable when all three are equal."""

    incoming: str  # W
    in_axis: int  # the axis of W along which the units lie
    bias: str | None = None  # b
    outgoing: str | None = None  # V
    out_axis: int = 0
    units_node: str | None = None  # the node whose value holds the units (h, or z without activation)


def find_layers(doc: Document, registry: Registry = REGISTRY) -> list[Layer]:
    """Every weight matrix that a matmul applies, as a layer of units (bias and next weights when found)."""
    layers = []
    for node in doc.nodes():
        if node.op != "parameter" or node.value is None or np.ndim(node.value) != 2:
            continue
        for edge in doc.consumers_of(node.id):
            if doc.node(edge.target).op == "matmul" and edge.port in ("a", "b"):
                layers.append(_layer_from(doc, node.id, edge.target, edge.port, registry))
    return layers


def _layer_from(doc: Document, weight: str, matmul: str, port: str, registry: Registry) -> Layer:
    """Follow z = x·W (port b) or W·x (port a) to its bias, activation and the next weights."""
    in_axis = 1 if port == "b" else 0
    units = np.shape(doc.node(weight).value)[in_axis]
    bias, current = _bias_after(doc, matmul, units)
    current = _activation_after(doc, current, registry)
    outgoing, out_axis = _weights_after(doc, current, units)
    return Layer(weight, in_axis, bias, outgoing, out_axis, current)


def _bias_after(doc: Document, node_id: str, units: int) -> tuple[str | None, str]:
    """(b, the add node) when `node_id` + b follows with b a parameter of one entry per unit."""
    for edge in doc.consumers_of(node_id):
        other = _other_parameter(doc, edge.target, edge.port, "add")
        if other is not None and np.size(doc.node(other).value) == units:
            return other, edge.target
    return None, node_id


def _activation_after(doc: Document, node_id: str, registry: Registry) -> str:
    """The elementwise activation applied to `node_id`, if any (else `node_id` itself)."""
    for edge in doc.consumers_of(node_id):
        op = registry.get(doc.node(edge.target).op)
        if op is not None and op.group == "Activations" and len(op.inputs) == 1:
            return edge.target
    return node_id


def _weights_after(doc: Document, node_id: str, units: int) -> tuple[str | None, int]:
    """(V, the axis of V along which the units lie) when a matmul applies weights V to `node_id`."""
    for edge in doc.consumers_of(node_id):
        other = _other_parameter(doc, edge.target, edge.port, "matmul")
        out_axis = 0 if edge.port == "a" else 1
        shape = np.shape(doc.node(other).value) if other is not None else ()
        if len(shape) == 2 and shape[out_axis] == units:
            return other, out_axis
    return None, 0


def _other_parameter(doc: Document, node_id: str, port: str, op: str) -> str | None:
    """The parameter on the other port (a ↔ b) of `node_id` if it is an `op` node."""
    if doc.node(node_id).op != op or port not in ("a", "b"):
        return None
    other = doc.inputs_of(node_id).get("b" if port == "a" else "a")
    if other is None or doc.node(other).op != "parameter" or doc.node(other).value is None:
        return None
    return other


def unit_vectors(parameters: dict[str, np.ndarray], layer: Layer) -> np.ndarray | None:
    """One row per unit: its incoming weights, its bias and its outgoing weights, side by side (None
    when a parameter is missing or does not fit)."""
    try:
        w = np.asarray(parameters[layer.incoming], dtype=np.float64)
        units = w.shape[layer.in_axis]
        parts = [np.moveaxis(w, layer.in_axis, 0).reshape(units, -1)]
        if layer.bias is not None:
            parts.append(np.asarray(parameters[layer.bias], dtype=np.float64).reshape(units, 1))
        if layer.outgoing is not None:
            v = np.asarray(parameters[layer.outgoing], dtype=np.float64)
            parts.append(np.moveaxis(v, layer.out_axis, 0).reshape(units, -1))
    except (KeyError, ValueError, IndexError):
        return None
    return np.hstack(parts)


def identical_units(parameters: dict[str, np.ndarray], layer: Layer) -> list[list[int]]:
    """Groups of the layer's units (numbered from 0) whose incoming weights, bias and outgoing weights
    are all equal: gradient descent gives such units equal updates, so they stay identical."""
    vectors = unit_vectors(parameters, layer)
    return [] if vectors is None else identical_groups(vectors, 0)


def activation_curve(
    op_id: str, attrs: dict[str, Any] | None, x: np.ndarray, registry: Registry = REGISTRY
) -> tuple[np.ndarray, np.ndarray] | None:
    """f(x) and f'(x) over the points x, for a one-input elementwise op (None for any other op)."""
    op = registry.get(op_id)
    if op is None or len(op.inputs) != 1:
        return None
    try:
        resolved = op.resolve_attrs(attrs or {})
    except ValueError:
        return None  # attributes the op refuses (validation names them): there is no curve to draw
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    with np.errstate(all="ignore"):
        try:
            y = np.asarray(op.forward(x, **resolved), dtype=np.float64)
            if y.shape != x.shape or len(x) == 0:
                return None
            alone = np.asarray(op.forward(x[:1], **resolved), dtype=np.float64)
            if alone.shape != (1,) or not np.allclose(alone[0], y[0], equal_nan=True):
                return None  # not elementwise (softmax)
            dy = np.asarray(op.vjps[0](np.ones_like(x), (x,), y, **resolved), dtype=np.float64)
        except Exception:
            return None
    return y, dy


def flat_count(derivative: np.ndarray) -> int:
    """How many of the derivative's values are ≈ 0 (|f′| < FLAT): inputs that pass almost no gradient."""
    return int(np.sum(np.abs(np.asarray(derivative, dtype=np.float64)) < FLAT))
