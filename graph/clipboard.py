"""Copy and paste of part of a graph. The clipboard holds the graph file's JSON of the selected nodes and
the edges between them, so a selection pasted into a text editor is a graph file, and a graph file's
text can be pasted as nodes."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from graph.document import Document, Node, OpCatalogue
from graph.edits import AddNode, Connect, Edit, Macro
from graph.file_format import dumps, loads

Position = tuple[float, float]
PASTE_OFFSET = (40.0, 40.0)  # a pasted copy lands below and right of its original


def copy_nodes(doc: Document, ids: Iterable[str], positions: Mapping[str, Position] | None = None) -> str:
    """The graph-file JSON of the nodes ids (in document order) and the edges between them; positions
    overrides the nodes' stored positions (the canvas knows where nodes without one are drawn)."""
    chosen = set(ids)
    sub = Document(doc.ops)
    for node in doc.nodes():
        if node.id in chosen:
            part = node.copy()
            if positions is not None and node.id in positions:
                part.position = positions[node.id]
            sub.g.add_node(node.id, node=part)
    for source, target, port, data in doc.g.edges(keys=True, data=True):
        if source in chosen and target in chosen:
            sub.g.add_edge(source, target, key=port, **copy.deepcopy(data))
    return dumps(sub)


@dataclass
class Pasted:
    """The one undoable edit that adds the pasted nodes and edges, and the new nodes' ids."""

    edit: Macro
    ids: list[str]


def paste(
    doc: Document,
    text: str,
    ops: OpCatalogue | None,
    offset: Position = PASTE_OFFSET,
    place: Callable[[Position], Position] | None = None,
) -> Pasted | None:
    """The edit that adds the nodes and edges of graph-file text to doc: ids already used in doc get
    fresh ones, positions move by offset and then through place (e.g. snapping to a grid). None if the
    text has no nodes; FileFormatError if it is not a graph."""
    sub = loads(text, ops, "clipboard")
    taken = set(doc.node_ids())
    mapping: dict[str, str] = {}
    edits: list[Edit] = []
    for node in sub.nodes():
        new = mapping[node.id] = _fresh_id(node, taken)
        taken.add(new)
        x, y = node.position or (0.0, 0.0)
        position = (x + offset[0], y + offset[1])
        value = None if node.value is None else node.value.copy()
        edits.append(
            AddNode(
                node.op,
                new,
                dict(node.attrs),
                value,
                place(position) if place else position,
                node.label,
                node.init,
            )
        )
    edits += [Connect(mapping[e.source], mapping[e.target], e.port, replace=False) for e in sub.edges()]
    if not mapping:
        return None
    n = len(mapping)
    return Pasted(Macro(f"Paste {n} node{'s' if n != 1 else ''}", edits), list(mapping.values()))


def _fresh_id(node: Node, taken: set[str]) -> str:
    """The node's own id if it is free, else its stem (the id without trailing digits, or the op)
    numbered from 1: x → x1, x1 → x2."""
    if node.id not in taken:
        return node.id
    stem = node.id.rstrip("0123456789") or node.op
    i = 1
    while f"{stem}{i}" in taken:
        i += 1
    return f"{stem}{i}"
