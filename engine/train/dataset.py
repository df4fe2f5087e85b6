"""The dataset as a table: rows are observations, columns the graph's input nodes (targets included).

``doc.dataset["columns"] = {input node id: float64 array of rows}``; each row takes the input node's
shape. CSV has one header row; a scalar input is one CSV column named after the node, a vector or
matrix input is flattened into columns ``x[0], x[1], …`` (row-major) and reshaped on import to the
input node's shape. Nothing here changes a document: functions return the new dataset.
"""

from __future__ import annotations

import csv
import io
import math
import re
from typing import Any

import numpy as np

from graph.document import Document
from graph.errors import GraphError

_HEADER = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*(?:\[(\d+)\])?\s*$")


class DatasetError(GraphError):
    """A CSV file or a table cell that does not fit the graph's inputs; names the column or line."""


def input_ids(doc: Document) -> list[str]:
    return [n.id for n in doc.nodes() if n.op == "input"]


def input_shape(doc: Document, node_id: str) -> tuple[int, ...] | None:
    """The shape of one observation of an input: its value's, else its dataset column's rows."""
    node = doc.node(node_id)
    if node.value is not None:
        return tuple(node.value.shape)
    column = doc.dataset_columns().get(node_id)
    if column is not None:
        return tuple(np.shape(column)[1:])
    return None


def row_count(doc: Document) -> int:
    columns = doc.dataset_columns()
    return len(next(iter(columns.values()))) if columns else 0


def to_csv(doc: Document) -> str:
    columns = doc.dataset_columns()
    header: list[str] = []
    parts = []
    for name, column in columns.items():
        col = np.asarray(column, dtype=np.float64)
        flat = col.reshape(len(col), -1)
        if col.ndim == 1:
            header.append(name)
        else:
            header += [f"{name}[{i}]" for i in range(flat.shape[1])]
        parts.append(flat)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    if parts:
        for row in np.hstack(parts):
            writer.writerow([repr(float(v)) for v in row])
    return out.getvalue()


def from_csv(text: str, doc: Document, source: str = "CSV") -> dict[str, Any]:
    """A new dataset dict from CSV text; columns must name the graph's input nodes."""
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        raise DatasetError(f"{source}: empty file")
    header, body = rows[0], rows[1:]
    inputs = set(input_ids(doc))
    groups: dict[str, list[tuple[int, int]]] = {}
    for j, title in enumerate(header):
        m = _HEADER.match(title)
        if not m:
            raise DatasetError(f"{source}: column {j + 1} header {title!r} is not a node id or id[index]")
        name, index = m.group(1), m.group(2)
        if name not in inputs:
            raise DatasetError(
                f"{source}: column {title!r} does not name an input node of the graph", node=name
            )
        groups.setdefault(name, []).append((0 if index is None else int(index), j))
    if not body:
        raise DatasetError(f"{source}: no rows under the header")
    values = np.empty((len(body), len(header)))
    for i, row in enumerate(body):
        if len(row) != len(header):
            raise DatasetError(f"{source}: line {i + 2} has {len(row)} cells, the header {len(header)}")
        for j, cell in enumerate(row):
            try:
                v = float(cell)
            except ValueError:
                raise DatasetError(
                    f"{source}: line {i + 2}, column {header[j]!r}: {cell!r} is not a number"
                ) from None
            if not math.isfinite(v):
                raise DatasetError(f"{source}: line {i + 2}, column {header[j]!r}: {cell!r} is not finite")
            values[i, j] = v
    columns: dict[str, np.ndarray] = {}
    for name, members in groups.items():
        members.sort()
        indices = [k for k, _ in members]
        if indices != list(range(len(indices))):
            raise DatasetError(f"{source}: columns of {name!r} must be {name}[0], {name}[1], … without gaps")
        flat = values[:, [j for _, j in members]]
        shape = input_shape(doc, name)
        if shape is not None and int(np.prod(shape, dtype=np.int64)) == flat.shape[1]:
            columns[name] = flat.reshape((len(body), *shape))
        elif len(members) == 1 and members[0][0] == 0 and "[" not in header[members[0][1]]:
            columns[name] = flat[:, 0]
        else:
            if shape is not None:
                raise DatasetError(
                    f"{source}: {name!r} has {flat.shape[1]} columns but the input has shape {shape}"
                )
            columns[name] = flat
    dataset = (
        {k: v for k, v in doc.dataset.items() if k != "columns"} if isinstance(doc.dataset, dict) else {}
    )
    dataset["columns"] = columns
    return dataset


def with_cell(doc: Document, row: int, name: str, value: np.ndarray) -> dict[str, Any]:
    """The dataset with one cell changed (the column is created, filled with the input's value)."""
    shape = input_shape(doc, name)
    value = np.asarray(value, dtype=np.float64)
    if shape is not None and value.shape != shape:
        if value.size != int(np.prod(shape, dtype=np.int64)):
            raise DatasetError(f"input {name!r} takes shape {shape}, got {value.shape}", node=name)
        value = value.reshape(shape)
    columns = {k: np.array(v, dtype=np.float64) for k, v in doc.dataset_columns().items()}
    n = max(row_count(doc), row + 1)
    if name not in columns:
        fill = doc.node(name).value
        base = np.zeros(value.shape) if fill is None else fill
        columns[name] = np.stack([base] * max(n, 1))
    for k in columns:
        if len(columns[k]) < n:
            pad = np.stack([columns[k][-1]] * (n - len(columns[k])))
            columns[k] = np.concatenate([columns[k], pad])
    columns[name][row] = value
    return _dataset(doc, columns)


def with_rows_removed(doc: Document, rows: list[int]) -> dict[str, Any]:
    keep = [i for i in range(row_count(doc)) if i not in set(rows)]
    columns = {k: np.asarray(v)[keep] for k, v in doc.dataset_columns().items()}
    if not keep:
        columns = {}
    return _dataset(doc, columns)


def with_row_added(doc: Document) -> dict[str, Any]:
    """A new last row, a copy of the last one (or of the inputs' values for the first row)."""
    columns = {k: np.asarray(v, dtype=np.float64) for k, v in doc.dataset_columns().items()}
    if not columns:
        for name in input_ids(doc):
            value = doc.node(name).value
            if value is not None:
                columns[name] = value[None, ...].copy()
        return _dataset(doc, columns)
    return _dataset(doc, {k: np.concatenate([v, v[-1:]]) for k, v in columns.items()})


def without_column(doc: Document, name: str) -> dict[str, Any]:
    return _dataset(doc, {k: v for k, v in doc.dataset_columns().items() if k != name})


def _dataset(doc: Document, columns: dict[str, np.ndarray]) -> dict[str, Any]:
    dataset = (
        {k: v for k, v in doc.dataset.items() if k != "columns"} if isinstance(doc.dataset, dict) else {}
    )
    if columns:
        dataset["columns"] = columns
    return dataset
