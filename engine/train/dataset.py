"""The dataset as a table: rows are observations, columns the graph's input nodes (targets included).

``doc.dataset["columns"] = {input node id: float64 array of rows}``; each row takes the input node's
shape. CSV has one header row; a scalar input is one CSV column named after the node, a vector or
matrix input is flattened into columns ``x[0], x[1], …`` (row-major) and reshaped on import to the
input node's shape. Nothing here changes a document: functions return the new dataset.

:func:`feeds` checks the dataset against a compiled plan and cuts it into the rows the training loop
feeds into the input slots.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.compile.plan import Plan
from engine.train.errors import TrainingError
from graph.document import Document
from graph.errors import GraphError
from graph.validation import leaf_shape

_HEADER = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*(?:\[(\d+)\])?\s*$")


class DatasetError(GraphError):
    """A CSV file or a table cell that does not fit the graph's inputs; names the column or line."""


def input_ids(doc: Document) -> list[str]:
    return [n.id for n in doc.nodes() if n.op == "input"]


def row_count(doc: Document) -> int:
    columns = doc.dataset_columns()
    return len(next(iter(columns.values()))) if columns else 0


def epoch_rows(doc: Document) -> int:
    """The rows one epoch goes through: the dataset's, or 1 without a dataset (one pass over the graph's
    own input values)."""
    return row_count(doc) or 1


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


def _csv_table(text: str, source: str) -> tuple[list[str], list[list[str]]]:
    """The header and the body rows of a CSV text (blank lines skipped)."""
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        raise DatasetError(f"{source}: empty file")
    return rows[0], rows[1:]


def _column_groups(header: list[str], doc: Document, source: str) -> dict[str, list[tuple[int, int]]]:
    """{input id: [(index within the input, CSV column)]}; checks every header."""
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
    return groups


def _cell(cell: str, line: int, title: str, source: str) -> float:
    try:
        v = float(cell)
    except ValueError:
        raise DatasetError(f"{source}: line {line}, column {title!r}: {cell!r} is not a number") from None
    if not math.isfinite(v):
        raise DatasetError(f"{source}: line {line}, column {title!r}: {cell!r} is not finite")
    return v


def _numbers(header: list[str], body: list[list[str]], source: str) -> np.ndarray:
    """The body as a float table; names the line and column of a bad cell (line 1 is the header)."""
    values = np.empty((len(body), len(header)))
    for i, row in enumerate(body):
        if len(row) != len(header):
            raise DatasetError(f"{source}: line {i + 2} has {len(row)} cells, the header {len(header)}")
        values[i] = [_cell(cell, i + 2, header[j], source) for j, cell in enumerate(row)]
    return values


def _shaped(
    values: np.ndarray,
    name: str,
    members: list[tuple[int, int]],
    header: list[str],
    doc: Document,
    source: str,
) -> np.ndarray:
    """An input's CSV columns as its dataset column: rows of the input's shape (or as they come)."""
    members.sort()
    if [k for k, _ in members] != list(range(len(members))):
        raise DatasetError(f"{source}: columns of {name!r} must be {name}[0], {name}[1], … without gaps")
    flat = values[:, [j for _, j in members]]
    shape = leaf_shape(doc, name)
    if shape is not None and int(np.prod(shape, dtype=np.int64)) == flat.shape[1]:
        return flat.reshape((len(flat), *shape))
    if len(members) == 1 and "[" not in header[members[0][1]]:
        return flat[:, 0]
    if shape is not None:
        raise DatasetError(f"{source}: {name!r} has {flat.shape[1]} columns but the input has shape {shape}")
    return flat


def from_csv(text: str, doc: Document, source: str = "CSV") -> dict[str, Any]:
    """A new dataset dict from CSV text; columns must name the graph's input nodes."""
    header, body = _csv_table(text, source)
    groups = _column_groups(header, doc, source)
    if not body:
        raise DatasetError(f"{source}: no rows under the header")
    values = _numbers(header, body, source)
    return _dataset(doc, {name: _shaped(values, name, m, header, doc, source) for name, m in groups.items()})


def with_cell(doc: Document, row: int, name: str, value: np.ndarray) -> dict[str, Any]:
    """The dataset with one cell changed (the column is created, filled with the input's value)."""
    shape = leaf_shape(doc, name)
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
    """The document's dataset object with new columns (its other keys kept)."""
    dataset = (
        {k: v for k, v in doc.dataset.items() if k != "columns"} if isinstance(doc.dataset, dict) else {}
    )
    if columns:
        dataset["columns"] = columns
    return dataset


# ------------------------------------------------------------------------------ feeding the training
@dataclass
class Feed:
    """One dataset column as the training loop feeds it: the input's slot and one array per row."""

    slot: int
    node: str
    rows: list[np.ndarray]


def _fed_column(plan: Plan, name: str, column: Any) -> np.ndarray:
    """A dataset column checked against the plan: it feeds an input, has rows, and holds no NaN."""
    if name not in plan.slot:
        raise TrainingError(f"dataset column {name!r} names no node of the graph", "dataset", name)
    op = plan.ops[plan.slot[name]].id
    if op != "input":
        raise TrainingError(
            f"dataset column {name!r} feeds node {name!r}, which is a {op}, not an input", "dataset", name
        )
    col = np.asarray(column, dtype=np.float64)
    if col.ndim == 0 or len(col) == 0:
        raise TrainingError(f"dataset column {name!r} has no rows", "dataset", name)
    if not np.all(np.isfinite(col)):
        raise TrainingError(f"dataset column {name!r} holds a NaN or Inf", "dataset", name)
    return col


def _rows_of(plan: Plan, name: str, col: np.ndarray) -> list[np.ndarray]:
    """The column's rows, each in the input's shape."""
    shape = tuple(plan.shapes.get(name, col.shape[1:]))
    if int(np.prod(col.shape[1:], dtype=np.int64)) != int(np.prod(shape, dtype=np.int64)):
        raise TrainingError(
            f"dataset column {name!r}: rows of shape {col.shape[1:]} do not fit input {name!r} "
            f"of shape {shape}",
            "dataset",
            name,
        )
    return [np.array(col[r], dtype=np.float64).reshape(shape) for r in range(len(col))]


def feeds(plan: Plan) -> tuple[list[Feed], int]:
    """The feeds of the plan's document's dataset and its number of rows (1 without a dataset: one
    epoch is then one pass over the graph's own input values)."""
    result: list[Feed] = []
    n_rows: int | None = None
    for name, column in plan.doc.dataset_columns().items():
        col = _fed_column(plan, name, column)
        if n_rows is not None and len(col) != n_rows:
            raise TrainingError(
                f"dataset column {name!r} has {len(col)} rows, the others {n_rows}", "dataset", name
            )
        n_rows = len(col)
        result.append(Feed(plan.slot[name], name, _rows_of(plan, name, col)))
    return result, (1 if n_rows is None else n_rows)
