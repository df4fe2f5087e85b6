"""The graph file, version 1: JSON that a person can read and edit. See docs/file-format.md.

Loading treats the file as data only: it is parsed with the json module (NaN/Infinity refused),
checked piece by piece, and every problem is reported as one FileFormatError naming the file and
the place (node id, edge number, line). Saving is atomic (a temp file renamed over the old one).
Unknown keys are kept on load and written back on save. Run results are never stored.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from graph.document import Document, OpCatalogue
from graph.errors import FileFormatError, GraphError
from graph.values import BadValue, to_array, to_json

FORMAT = "backprop-studio-graph"
VERSION = 1
MAX_FILE_BYTES = 200 * 1024 * 1024
TOP_KEYS = ("format", "version", "description", "nodes", "edges", "dataset", "training")
NODE_KEYS = ("id", "op", "label", "attrs", "value", "init", "position")
EDGE_KEYS = ("source", "target", "port")


class _Refused(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _Refused(f"{name} is not allowed (values must be finite numbers)")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"key {key!r} appears twice in one object")
        result[key] = value
    return result


class _Locator:
    """Finds the line of a node or edge in the source text, so messages can name it."""

    def __init__(self, text: str) -> None:
        self.text = text
        edges_at = re.search(r'"edges"\s*:', text)
        self.edge_lines = []
        if edges_at:
            for m in re.finditer(r'"source"\s*:', text[edges_at.end() :]):
                self.edge_lines.append(self.line_at(edges_at.end() + m.start()))

    def line_at(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def node_line(self, node_id: Any) -> int | None:
        if not isinstance(node_id, str):
            return None
        m = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(node_id)), self.text)
        return self.line_at(m.start()) if m else None

    def edge_line(self, index: int) -> int | None:
        return self.edge_lines[index] if index < len(self.edge_lines) else None


def _fail(source: str, message: str, line: int | None = None, node: str | None = None) -> FileFormatError:
    where = f"{source}:{line}" if line else source
    return FileFormatError(f"{where}: {message}", line=line, node=node)


def loads(text: str, ops: OpCatalogue | None = None, source: str = "<graph>") -> Document:
    """Parse a graph file's text into a Document, or raise one FileFormatError."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as err:
        raise _fail(source, f"not valid JSON: {err.msg} (column {err.colno})", err.lineno) from None
    except _Refused as err:
        m = re.search(r"\b(NaN|-?Infinity)\b", text) if "allowed" in str(err) else None
        raise _fail(source, str(err), _Locator(text).line_at(m.start()) if m else None) from None
    except RecursionError:
        raise _fail(source, "nested too deeply") from None
    except ValueError as err:  # e.g. an integer literal with thousands of digits
        raise _fail(source, f"not valid JSON: {err}") from None
    return _from_data(data, ops, source, _Locator(text))


def load(path: str | os.PathLike[str], ops: OpCatalogue | None = None) -> Document:
    """Read a graph file. Errors name the file; nothing from the file is ever executed."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(str(p), f"file is {size:,} bytes; graph files are limited to {MAX_FILE_BYTES:,}")
        raw = p.read_bytes()
    except OSError as err:
        raise _fail(str(p), err.strerror or str(err)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise _fail(str(p), f"not UTF-8 text (byte {err.start})") from None
    return loads(text, ops, str(p))


def _from_data(data: Any, ops: OpCatalogue | None, source: str, loc: _Locator) -> Document:
    if not isinstance(data, dict):
        raise _fail(source, "the file must hold a JSON object")
    if data.get("format") != FORMAT:
        raise _fail(source, f'"format" must be "{FORMAT}", got {data.get("format")!r}')
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise _fail(source, f'"version" must be an integer, got {version!r}')
    if version > VERSION:
        raise _fail(
            source, f"version {version} was written by a newer Backprop Studio (this one reads {VERSION})"
        )
    if version < 1:
        raise _fail(source, f"unknown version {version}")
    doc = Document(ops)
    description = data.get("description", "")
    if not isinstance(description, str):
        raise _fail(source, '"description" must be text')
    doc.description = description
    nodes = data.get("nodes", [])
    edges = data.get("edges", [])
    if not isinstance(nodes, list):
        raise _fail(source, '"nodes" must be a list')
    if not isinstance(edges, list):
        raise _fail(source, '"edges" must be a list')
    for i, item in enumerate(nodes):
        _load_node(doc, item, i, source, loc)
    for i, item in enumerate(edges):
        _load_edge(doc, item, i, source, loc)
    doc.dataset = _load_dataset(data.get("dataset", {}), source)
    training = data.get("training", {})
    if not isinstance(training, dict):
        raise _fail(source, '"training" must be an object')
    doc.training = training
    doc.extra = {k: v for k, v in data.items() if k not in TOP_KEYS}
    return doc


def _load_node(doc: Document, item: Any, i: int, source: str, loc: _Locator) -> None:
    if not isinstance(item, dict):
        raise _fail(source, f"nodes[{i}] must be an object")
    node_id = item.get("id")
    line = loc.node_line(node_id)
    if not isinstance(node_id, str):
        raise _fail(source, f'nodes[{i}] needs an "id" that is text, got {node_id!r}', line)
    where = f"node {node_id!r}"
    op = item.get("op")
    if not isinstance(op, str):
        raise _fail(source, f'{where} needs an "op" that is text', line, node_id)
    attrs = item.get("attrs", {})
    if not isinstance(attrs, dict):
        raise _fail(source, f'{where}: "attrs" must be an object', line, node_id)
    label = item.get("label")
    if label is not None and not isinstance(label, str):
        raise _fail(source, f'{where}: "label" must be text', line, node_id)
    position = item.get("position")
    if position is not None:
        if (
            not isinstance(position, list)
            or len(position) != 2
            or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in position)
        ):
            raise _fail(source, f'{where}: "position" must be [x, y]', line, node_id)
        position = (float(position[0]), float(position[1]))
    init = item.get("init")
    if init is not None and not isinstance(init, dict):
        raise _fail(source, f'{where}: "init" must be an object', line, node_id)
    value = item.get("value")
    if value is not None:
        try:
            value = to_array(value)
        except BadValue as err:
            raise _fail(source, f"{where}: value {err}", line, node_id) from None
    extra = {k: v for k, v in item.items() if k not in NODE_KEYS}
    try:
        doc.add_node(
            op, node_id, attrs=attrs, value=value, label=label, position=position, init=init, extra=extra
        )
    except GraphError as err:
        raise _fail(source, str(err), line, node_id) from None


def _load_edge(doc: Document, item: Any, i: int, source: str, loc: _Locator) -> None:
    line = loc.edge_line(i)
    if not isinstance(item, dict):
        raise _fail(source, f"edges[{i}] must be an object", line)
    fields = [item.get(k) for k in EDGE_KEYS]
    if not all(isinstance(f, str) for f in fields):
        raise _fail(source, f'edges[{i}] needs "source", "target" and "port" as text', line)
    src, tgt, port = fields
    for end in (src, tgt):
        if end not in doc:
            raise _fail(
                source, f"edges[{i}] ({src} → {tgt}.{port}) names a node {end!r} that does not exist", line
            )
    try:
        doc.connect(src, tgt, port)
    except GraphError as err:
        raise _fail(source, f"edges[{i}]: {err}", line, err.node) from None
    extra = {k: v for k, v in item.items() if k not in EDGE_KEYS}
    if extra:
        doc.g.edges[src, tgt, port]["extra"] = extra


def _load_dataset(dataset: Any, source: str) -> dict[str, Any]:
    if not isinstance(dataset, dict):
        raise _fail(source, '"dataset" must be an object')
    columns = dataset.get("columns", {})
    if not isinstance(columns, dict):
        raise _fail(source, 'dataset "columns" must be an object of column → list of rows')
    loaded = {}
    rows = None
    for name, column in columns.items():
        if not isinstance(column, list) or not column:
            raise _fail(source, f"dataset column {name!r} must be a non-empty list of rows")
        try:
            arr = to_array(column)
        except BadValue as err:
            raise _fail(source, f"dataset column {name!r}: {err}") from None
        if rows is not None and len(arr) != rows:
            raise _fail(source, f"dataset column {name!r} has {len(arr)} rows, the others {rows}")
        rows = len(arr)
        loaded[name] = arr
    result = {k: v for k, v in dataset.items() if k != "columns"}
    if "columns" in dataset:
        result["columns"] = loaded
    return result


def to_data(doc: Document) -> dict[str, Any]:
    """The document as JSON-ready data (no run results)."""
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    if doc.description:
        data["description"] = doc.description
    data["nodes"] = [_node_data(n) for n in doc.nodes()]
    data["edges"] = []
    for e in doc.edges():
        item = {"source": e.source, "target": e.target, "port": e.port}
        item.update(doc.g.edges[e.source, e.target, e.port].get("extra", {}))
        data["edges"].append(item)
    if doc.dataset:
        dataset = dict(doc.dataset)
        if "columns" in dataset:
            dataset["columns"] = {
                k: to_json(np.asarray(v, dtype=float)) for k, v in dataset["columns"].items()
            }
        data["dataset"] = dataset
    if doc.training:
        data["training"] = doc.training
    data.update(doc.extra)
    return data


def _node_data(node: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"id": node.id, "op": node.op}
    if node.label:
        item["label"] = node.label
    if node.attrs:
        item["attrs"] = node.attrs
    if node.value is not None:
        item["value"] = to_json(node.value)
    if node.init is not None:
        item["init"] = node.init
    if node.position is not None:
        item["position"] = [_num(c) for c in node.position]
    item.update(node.extra)
    return item


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def _compact(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def dumps(doc: Document) -> str:
    """The file text: one node, edge or dataset column a line, so a diff shows what changed."""
    data = to_data(doc)
    lines = ["{"]
    keys = list(data)
    for n, key in enumerate(keys):
        comma = "," if n < len(keys) - 1 else ""
        value = data[key]
        if key in ("nodes", "edges") and value:
            inner = ",\n".join(f"    {_compact(v)}" for v in value)
            lines.append(f'  "{key}": [\n{inner}\n  ]{comma}')
        elif key == "dataset" and isinstance(value.get("columns"), dict) and value["columns"]:
            parts = [f'    "{k}": {_compact(v)}' for k, v in value.items() if k != "columns"]
            cols = ",\n".join(f"      {_compact(k)}: {_compact(v)}" for k, v in value["columns"].items())
            parts.insert(0, f'    "columns": {{\n{cols}\n    }}')
            lines.append('  "dataset": {\n' + ",\n".join(parts) + f"\n  }}{comma}")
        else:
            lines.append(f"  {_compact(key)}: {_compact(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def save(doc: Document, path: str | os.PathLike[str]) -> None:
    """Write atomically: the old file stays whole until the new one is complete on disk."""
    text = dumps(doc)
    p = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if p.exists():
            os.chmod(tmp, p.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
