"""Building a graph document from an imported model: ids from the model's names, leaves, op nodes,
a loss with its target, and a layout. Shared by the ONNX and the PyTorch import.

Errors are :class:`ModelImportError`, one line naming the model file and the node or operator.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from engine.ops.registry import REGISTRY
from graph.document import ID_PATTERN, Document
from graph.errors import GraphError
from graph.layout import layout_positions
from graph.validation import find_problems
from graph.values import MAX_ELEMENTS, BadValue, to_array

LOSSES = ("mse", "bce", "cross_entropy")
COLUMN_SPACING = 220.0
ROW_SPACING = 110.0


class ModelImportError(GraphError):
    """A model that cannot become a graph; the message names the file and the node or operator."""


def identifier(name: str) -> str:
    """A node id for a model's name: other characters become _, at most 64 characters."""
    text = re.sub(r"[^A-Za-z0-9_.\-]", "_", name.strip("/")) or "n"
    if not (text[0].isalpha() or text[0] == "_"):
        text = "n" + text
    return text[:64]


class GraphBuilder:
    """A document under construction; `source` (the model file) starts every error message."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.doc = Document(REGISTRY)
        self.columns: dict[str, np.ndarray] = {}

    def fail(self, text: str, node: str | None = None) -> ModelImportError:
        return ModelImportError(f"{self.source}: {text}", node=node)

    def new_id(self, name: str) -> str:
        stem = identifier(name)
        node_id, k = stem, 1
        while node_id in self.doc:
            k += 1
            suffix = f"_{k}"
            node_id = stem[: 64 - len(suffix)] + suffix
        assert ID_PATTERN.match(node_id)
        return node_id

    def leaf(self, op: str, name: str, value: Any, label: str | None = None) -> str:
        node_id = self.new_id(name)
        try:
            array = to_array(value)
        except BadValue as err:
            raise self.fail(f"{op} {name!r}: {err}", node_id) from None
        self.doc.add_node(op, node_id, value=array, label=label)
        return node_id

    def op(self, op: str, name: str, sources: list[str], attrs: dict[str, Any] | None = None) -> str:
        """A node of `op` fed by `sources` in port order."""
        node_id = self.new_id(name)
        self.doc.add_node(op, node_id, attrs=attrs or {})
        for port, source in zip(REGISTRY[op].inputs, sources):
            self.doc.connect(source, node_id, port)
        return node_id

    def fed_input(self, name: str, shape: tuple[int | None, ...], given: Any, default: Any) -> str:
        """An input node: the value given (a batch of rows gives the first row, and the rows become its
        dataset column), else the model's default, else zeros of a fully known shape."""
        rows = None
        if given is not None:
            value, rows = self._fit(name, self._array(name, given), [shape])
        elif default is not None:
            value = default
        elif any(d is None for d in shape):
            raise self.fail(
                f"input {name!r} has a dynamic shape {_shape_text(shape)}; give its value with "
                f"--input-value {name}=…",
                name,
            )
        else:
            value = np.zeros(shape)
        node_id = self.leaf("input", name, value)
        if rows is not None:
            self.columns[node_id] = rows
        return node_id

    def _array(self, name: str, value: Any) -> np.ndarray:
        try:
            return to_array(value)
        except BadValue as err:
            raise self.fail(f"the value given for {name!r}: {err}", name) from None

    def _fit(
        self, name: str, value: np.ndarray, shapes: list[tuple[int | None, ...]]
    ) -> tuple[np.ndarray, Any]:
        """The value if it has one of the shapes; the first row (and all rows) if it is a batch of them."""
        if any(_matches(value.shape, s) for s in shapes):
            return value, None
        if value.ndim and len(value) and any(_matches(value.shape[1:], s) for s in shapes):
            return value[0], value
        wanted = " or ".join(_shape_text(s) for s in shapes)
        raise self.fail(
            f"{name!r} takes shape {wanted} (or rows of it), the value given is {value.shape}", name
        )

    def add_loss(self, loss: str, pred: str, target: Any) -> str:
        """A loss node on `pred` against an input `target` (rows of targets become a dataset column)."""
        if loss not in LOSSES:
            raise self.fail(f"--loss must be one of {', '.join(LOSSES)}, got {loss!r}")
        if target is None:
            raise self.fail(f"--loss {loss} needs --target VALUE")
        shape = self._shapes()[pred]
        shapes = [shape] + ([shape[:-1]] if loss == "cross_entropy" and shape else [])
        value, rows = self._fit("target", self._array("target", target), shapes)
        target_id = self.leaf("input", "target", value)
        if rows is not None:
            self.columns[target_id] = rows
        loss_id = self.op(loss, "loss", [pred, target_id])
        self.doc.set_training({"loss": loss_id})
        return loss_id

    def _shapes(self) -> dict[str, tuple[int, ...]]:
        problems, shapes = find_problems(self.doc, REGISTRY)
        if problems:
            p = problems[0]
            raise self.fail(f"node {p.node!r}: {p}", p.node)
        return shapes

    def finish(self, description: str = "", labels: dict[str, str] | None = None) -> Document:
        """Check the graph (shapes included), add the dataset and the labels, lay it out."""
        self._shapes()
        for node_id, label in (labels or {}).items():
            if node_id in self.doc and isinstance(label, str) and label:
                self.doc.set_label(node_id, label[:200])
        self._set_dataset()
        if description:
            self.doc.set_description(description)
        for node_id, xy in layout_positions(self.doc, COLUMN_SPACING, ROW_SPACING).items():
            self.doc.move(node_id, xy)
        return self.doc

    def _set_dataset(self) -> None:
        """The rows given for inputs and target, as the dataset (all columns the same length)."""
        if not self.columns:
            return
        if len({len(v) for v in self.columns.values()}) > 1:
            raise self.fail("the batches given for the inputs and the target have different numbers of rows")
        self.doc.set_dataset({"columns": dict(self.columns)})


def _matches(shape: tuple[int, ...], declared: tuple[int | None, ...]) -> bool:
    return len(shape) == len(declared) and all(d is None or d == s for s, d in zip(shape, declared))


def _shape_text(shape: tuple[int | None, ...]) -> str:
    return (
        "(" + ", ".join("?" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    )


def check_elements(builder: GraphBuilder, name: str, dims: list[int]) -> None:
    """Refuse a tensor over the element limit from its dimensions, before reading its data."""
    count = 1
    for d in dims:
        if d < 0:
            raise builder.fail(f"tensor {name!r} has a negative dimension {d}", name)
        count *= d
    if count > MAX_ELEMENTS:
        raise builder.fail(f"tensor {name!r} has {count:,} elements; the limit is {MAX_ELEMENTS:,}", name)
