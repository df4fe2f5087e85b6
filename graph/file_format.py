"""The graph file, version 1: JSON that a person can read and edit. See docs/file-format.md.

Loading treats the file as data only: it is parsed with the json module (NaN/Infinity refused),
checked piece by piece, and every problem is reported as one FileFormatError naming the file and
the place (node id, edge number, line). Saving is atomic (a temp file renamed over the old one).
Unknown keys are kept on load and written back on save. Run results are never stored.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from graph.document import Document, OpCatalogue
from graph.errors import FileFormatError, GraphError
from graph.values import BadValue, to_array, to_json

FORMAT = "backprop-studio-graph"
VERSION = 1
MAX_FILE_BYTES = 200 * 1024 * 1024
# A graph file is refused, rather than loaded for minutes, beyond these (docs/file-format.md, Limits).
MAX_NODES = 100_000
MAX_EDGES = 4 * MAX_NODES
MAX_OBJECTS = 1_000_000  # JSON objects ({…}) in the text, counted before parsing: parsing is what costs
TOP_KEYS = ("format", "version", "description", "nodes", "edges", "dataset", "training")
NODE_KEYS = ("id", "op", "label", "attrs", "value", "init", "position")
EDGE_KEYS = ("source", "target", "port")


class _Refused(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _Refused(f"{name} is not allowed (values must be finite numbers)")


# A JSON number beyond float range (1e309, or an integer of 400 digits) would become inf or an int
# that overflows in every later float() call: both are refused while parsing.
def _finite_float(text: str) -> float:
    x = float(text)
    if not math.isfinite(x):
        raise _Refused(f"the number {text[:40]} is outside the range of floating-point numbers")
    return x


def _float_range_int(text: str) -> int:
    n = int(text)
    if abs(n) > _MAX_INT:
        shown = text if len(text) <= 40 else f"{text[:20]}… ({len(text)} digits)"
        raise _Refused(f"the number {shown} is outside the range of floating-point numbers")
    return n


_MAX_INT = int(np.finfo(np.float64).max)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"key {key!r} appears twice in one object")
        result[key] = value
    return result


class _Locator:
    """Finds the line of a node or edge in the source text, so messages can name it.

    Only a failing load asks, so nothing here runs for a good file; the line numbers come from one
    sorted list of newline offsets (a binary search per question), never from rescanning the text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._newlines: list[int] | None = None
        self._edge_offsets: list[int] | None = None

    def line_at(self, offset: int) -> int:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, offset) + 1

    def node_line(self, node_id: Any) -> int | None:
        if not isinstance(node_id, str):
            return None
        m = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(node_id)), self.text)
        return self.line_at(m.start()) if m else None

    def edge_line(self, index: int) -> int | None:
        if self._edge_offsets is None:
            edges_at = re.search(r'"edges"\s*:', self.text)
            start = edges_at.end() if edges_at else len(self.text)
            self._edge_offsets = [start + m.start() for m in re.finditer(r'"source"\s*:', self.text[start:])]
        offsets = self._edge_offsets
        return self.line_at(offsets[index]) if index < len(offsets) else None


class _Problem(Exception):
    """A problem found while building the document; the line is looked up only when one occurs."""

    def __init__(self, message: str, node: str | None = None, node_line: Any = None, edge: int | None = None):
        super().__init__(message)
        self.node = node
        self.node_line = node_line  # the id whose line to name, when the problem is a node's
        self.edge = edge  # the index of the edge whose line to name


def _fail(source: str, message: str, line: int | None = None, node: str | None = None) -> FileFormatError:
    where = f"{source}:{line}" if line else source
    return FileFormatError(f"{where}: {message}", line=line, node=node)


def loads(text: str, ops: OpCatalogue | None = None, source: str = "<graph>") -> Document:
    """Parse a graph file's text into a Document, or raise one FileFormatError."""
    # NOTE: a brace inside a string counts too; a file needs a million of them to be refused wrongly.
    if text.count("{") > MAX_OBJECTS:
        raise _fail(
            source,
            f"more than {MAX_OBJECTS:,} objects {{…}}: too big for a graph file"
            f" (at most {MAX_NODES:,} nodes and {MAX_EDGES:,} edges)",
        )
    try:
        data = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            parse_int=_float_range_int,
            object_pairs_hook=_no_duplicate_keys,
        )
    except json.JSONDecodeError as err:
        raise _fail(source, f"not valid JSON: {err.msg} (column {err.colno})", err.lineno) from None
    except _Refused as err:
        raise _fail(source, str(err), _refused_line(text, str(err))) from None
    except RecursionError:
        raise _fail(source, "nested too deeply") from None
    except ValueError as err:  # e.g. an integer literal with thousands of digits
        raise _fail(source, f"not valid JSON: {err}") from None
    try:
        return _from_data(data, ops, source)
    except _Problem as problem:
        loc = _Locator(text)
        if problem.edge is not None:
            line = loc.edge_line(problem.edge)
        else:
            line = loc.node_line(problem.node_line)
        raise _fail(source, str(problem), line, problem.node) from None


def _refused_line(text: str, message: str) -> int | None:
    """The line of the first literal that a parse hook refused (NaN/Infinity, an out-of-range number)."""
    if "allowed" in message:
        found = re.search(r"\b(NaN|-?Infinity)\b", text)
    elif "outside the range" in message:
        found = next(_out_of_range_literals(text), None)
    else:
        found = None
    return _Locator(text).line_at(found.start()) if found else None


def _out_of_range_literals(text: str) -> Iterator[re.Match[str]]:
    for m in re.finditer(r"-?\d+(\.\d+)?([eE][+-]?\d+)?", text):
        literal = m.group()
        if len(literal) > 308 or ("e" in literal.lower() and not math.isfinite(float(literal))):
            yield m


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


def _from_data(data: Any, ops: OpCatalogue | None, source: str) -> Document:
    _check_header(data, source)
    doc = Document(ops)
    description = data.get("description", "")
    if not isinstance(description, str):
        raise _fail(source, '"description" must be text')
    doc.description = description
    _check_descriptions(data.get("descriptions", {}), source)
    nodes = data.get("nodes", [])
    edges = data.get("edges", [])
    _check_lists(nodes, edges, source)
    for i, item in enumerate(nodes):
        _load_node(doc, item, i)
    for i, item in enumerate(edges):
        _load_edge(doc, item, i)
    doc.dataset = _load_dataset(data.get("dataset", {}), source)
    training = data.get("training", {})
    if not isinstance(training, dict):
        raise _fail(source, '"training" must be an object')
    doc.training = training
    doc.extra = {k: v for k, v in data.items() if k not in TOP_KEYS}
    return doc


def _check_descriptions(descriptions: Any, source: str) -> None:
    """The optional translated descriptions: {"ru": "…"}, language code to text. They stay in
    ``doc.extra["descriptions"]`` (so a round trip keeps them as any extra key) and are read through
    :func:`description_for`."""
    if not isinstance(descriptions, dict):
        raise _fail(source, '"descriptions" must be an object: language code to text')
    for lang, text in descriptions.items():
        if not isinstance(text, str):
            raise _fail(source, f'"descriptions": the {lang!r} description must be text')


def description_for(doc: Document, lang: str) -> str:
    """The description in `lang` ("ru", "ru_RU.UTF-8"), the English "description" when the file has
    none in that language."""
    code = lang.split(".")[0].replace("-", "_").split("_")[0].lower()
    translated = doc.extra.get("descriptions", {})
    text = translated.get(code) if isinstance(translated, dict) else None
    return text if isinstance(text, str) and text else doc.description


def _check_lists(nodes: Any, edges: Any, source: str) -> None:
    if not isinstance(nodes, list):
        raise _fail(source, '"nodes" must be a list')
    if not isinstance(edges, list):
        raise _fail(source, '"edges" must be a list')
    if len(nodes) > MAX_NODES or len(edges) > MAX_EDGES:
        raise _fail(
            source,
            f"{len(nodes):,} nodes and {len(edges):,} edges: a graph file holds at most {MAX_NODES:,}"
            f" nodes and {MAX_EDGES:,} edges",
        )


def _check_header(data: Any, source: str) -> None:
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


def _load_node(doc: Document, item: Any, i: int) -> None:
    if not isinstance(item, dict):
        raise _Problem(f"nodes[{i}] must be an object")
    node_id = item.get("id")
    if not isinstance(node_id, str):
        raise _Problem(f'nodes[{i}] needs an "id" that is text, got {node_id!r}', node_line=node_id)

    def problem(message: str) -> _Problem:
        return _Problem(f"node {node_id!r}{message}", node=node_id, node_line=node_id)

    op = item.get("op")
    if not isinstance(op, str):
        raise problem(' needs an "op" that is text')
    attrs = item.get("attrs", {})
    if not isinstance(attrs, dict):
        raise problem(': "attrs" must be an object')
    label = item.get("label")
    if label is not None and not isinstance(label, str):
        raise problem(': "label" must be text')
    init = item.get("init")
    if init is not None and not isinstance(init, dict):
        raise problem(': "init" must be an object')
    position = _node_position(item.get("position"), problem)
    value = item.get("value")
    if value is not None:
        try:
            value = to_array(value)
        except BadValue as err:
            raise problem(f": value {err}") from None
    extra = {k: v for k, v in item.items() if k not in NODE_KEYS}
    try:
        doc.add_node(
            op, node_id, attrs=attrs, value=value, label=label, position=position, init=init, extra=extra
        )
    except GraphError as err:
        raise _Problem(str(err), node=node_id, node_line=node_id) from None


def _node_position(position: Any, problem: Callable[[str], _Problem]) -> tuple[float, float] | None:
    if position is None:
        return None
    if (
        not isinstance(position, list)
        or len(position) != 2
        or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in position)
    ):
        raise problem(': "position" must be [x, y]')
    return float(position[0]), float(position[1])


def _load_edge(doc: Document, item: Any, i: int) -> None:
    if not isinstance(item, dict):
        raise _Problem(f"edges[{i}] must be an object", edge=i)
    fields = [item.get(k) for k in EDGE_KEYS]
    if not all(isinstance(f, str) for f in fields):
        raise _Problem(f'edges[{i}] needs "source", "target" and "port" as text', edge=i)
    src, tgt, port = fields
    for end in (src, tgt):
        if end not in doc:
            raise _Problem(
                f"edges[{i}] ({src!r} → {tgt!r}, port {port!r}) names a node {end!r} that does not exist",
                edge=i,
            )
    try:
        doc.connect(src, tgt, port)
    except GraphError as err:
        raise _Problem(f"edges[{i}]: {err}", node=err.node, edge=i) from None
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
    if "descriptions" in doc.extra:
        data["descriptions"] = doc.extra["descriptions"]  # beside the English one, not after training
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
    """Write atomically: the old file stays whole until the new one is complete on disk.

    Saving through a symbolic link writes the file it points to (the link stays a link). An error
    names the file being saved, never the temporary file beside it.
    """
    text = dumps(doc)
    target = Path(os.path.realpath(path))
    try:
        _write_atomically(target, text)
    except OSError as err:
        raise OSError(err.errno, err.strerror or str(err), str(path)) from None


def _write_atomically(p: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, p.stat().st_mode & 0o777 if p.exists() else 0o644)
        os.replace(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
