"""The graph document: nodes with ops, attributes, leaf values, labels and positions; edges from a
node's output to a named input port of another node; the dataset and training settings.

It is a networkx MultiDiGraph (an op may take the same source twice, as in x·x) whose edge key is
the target port. The document knows nothing of numerics: it takes an op catalogue (anything with
``get(op_id)`` returning an object with ``inputs`` and ``is_leaf``) to check ports as edges are made.
Every change emits a past-tense event to the subscribers, which is how the window follows it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import networkx as nx
import numpy as np

from graph.errors import (
    CycleError,
    DuplicateIdError,
    InvalidIdError,
    LeafValueError,
    PortOccupiedError,
    UnknownNodeError,
    UnknownOpError,
    UnknownPortError,
)
from graph.events import (
    AttrChanged,
    DatasetChanged,
    DescriptionChanged,
    DocumentReset,
    EdgeAdded,
    EdgeRemoved,
    Event,
    Events,
    InitChanged,
    LabelChanged,
    NodeAdded,
    NodeMoved,
    NodeRemoved,
    OpChanged,
    TrainingChanged,
    ValueChanged,
)
from graph.values import BadValue, to_array

LEAF_OPS = ("input", "parameter", "constant")
# The changes after which a compiled plan may no longer fit (order, wiring, ops, attributes, shapes).
# A leaf value, the dataset or the training settings change only numbers, unless they change a leaf's
# shape or the output: set_value, set_dataset and set_training count that themselves.
_STRUCTURAL = (NodeAdded, NodeRemoved, EdgeAdded, EdgeRemoved, OpChanged, AttrChanged, DocumentReset)
ID_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,63}$")


class OpInfo(Protocol):
    inputs: tuple[str, ...]

    @property
    def is_leaf(self) -> bool: ...


class OpCatalogue(Protocol):
    def get(self, op_id: str) -> OpInfo | None: ...


@dataclass
class Node:
    """One node. value is set for leaves only; extra keeps unknown keys from a file."""

    id: str
    op: str
    attrs: dict[str, Any] = field(default_factory=dict)
    value: np.ndarray | None = None
    label: str | None = None
    position: tuple[float, float] | None = None
    init: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_leaf(self) -> bool:
        return self.op in LEAF_OPS

    @property
    def title(self) -> str:
        return self.label or self.id

    def copy(self) -> Node:
        return Node(
            self.id,
            self.op,
            copy.deepcopy(self.attrs),
            None if self.value is None else self.value.copy(),
            self.label,
            self.position,
            copy.deepcopy(self.init),
            copy.deepcopy(self.extra),
        )


@dataclass(frozen=True)
class Edge:
    """source's output flows into target's input port."""

    source: str
    target: str
    port: str


class Document:
    """The graph being edited. Mutators validate what they can locally and emit one event each."""

    def __init__(self, ops: OpCatalogue | None = None) -> None:
        self.ops = ops
        self.g = nx.MultiDiGraph()
        self.description: str = ""
        self.dataset: dict[str, Any] = {}
        self.training: dict[str, Any] = {}
        self.extra: dict[str, Any] = {}
        self.events = Events()  # doc.events.subscribe(NodeAdded, handler): see graph.events
        # Versions, for caches (engine/compile/cache.py): structure_revision moves when a compiled plan
        # may no longer fit, value_revision when only numbers change. Counted first, so every follower
        # sees them moved.
        self.structure_revision = 0
        self.value_revision = 0
        self.events.subscribe(Event, self._count_revision)

    def _count_revision(self, event: Event) -> None:
        if isinstance(event, _STRUCTURAL):
            self.structure_revision += 1
        elif isinstance(event, (ValueChanged, DatasetChanged)):
            self.value_revision += 1

    # ----- queries
    def __contains__(self, node_id: object) -> bool:
        return node_id in self.g

    def __len__(self) -> int:
        return self.g.number_of_nodes()

    def node(self, node_id: str) -> Node:
        try:
            return self.g.nodes[node_id]["node"]
        except KeyError:
            raise UnknownNodeError(f"no node {node_id!r}", node=node_id) from None

    def nodes(self) -> Iterator[Node]:
        for _, data in self.g.nodes(data="node"):
            yield data

    def node_ids(self) -> list[str]:
        return list(self.g.nodes)

    def edges(self) -> list[Edge]:
        """Every edge, grouped by target in node order and by port order within a target."""
        result = []
        for target in self.g.nodes:
            inputs = self.inputs_of(target)
            for port in self.port_order(target, inputs):
                result.append(Edge(inputs[port], target, port))
        return result

    def port_order(self, node_id: str, ports: Any) -> list[str]:
        op = self.ops.get(self.node(node_id).op) if self.ops is not None else None
        declared = list(op.inputs) if op is not None else []
        return [p for p in declared if p in ports] + sorted(p for p in ports if p not in declared)

    def edge_extra(self, edge: Edge) -> dict[str, Any]:
        """A copy of the unknown keys an edge carries from its file (empty for most edges)."""
        return copy.deepcopy(self.g.edges[edge.source, edge.target, edge.port].get("extra", {}))

    def inputs_of(self, node_id: str) -> dict[str, str]:
        """port → source id for the node's connected input ports."""
        return {k: s for s, _, k in self.g.in_edges(node_id, keys=True)}

    def consumers_of(self, node_id: str) -> list[Edge]:
        return [Edge(s, t, k) for s, t, k in self.g.out_edges(node_id, keys=True)]

    def sinks(self) -> list[str]:
        return [n for n in self.g.nodes if self.g.out_degree(n) == 0 and not self.node(n).is_leaf]

    def new_id(self, stem: str) -> str:
        stem = re.sub(r"[^A-Za-z0-9_]", "_", stem) or "n"
        if not stem[0].isalpha() and stem[0] != "_":
            stem = "n" + stem
        i = 1
        while f"{stem}{i}" in self.g:
            i += 1
        return f"{stem}{i}"

    def _op(self, op_id: str, node_id: str) -> OpInfo | None:
        if self.ops is None:
            return None
        op = self.ops.get(op_id)
        if op is None:
            raise UnknownOpError(f"node {node_id!r}: unknown op {op_id!r}", node=node_id)
        return op

    # ----- structural mutators (edits call these; each emits one event)
    def add_node(
        self,
        op: str,
        node_id: str | None = None,
        *,
        attrs: dict[str, Any] | None = None,
        value: Any = None,
        label: str | None = None,
        position: tuple[float, float] | None = None,
        init: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> str:
        node_id = node_id or self.new_id(op)
        if not isinstance(node_id, str) or not ID_PATTERN.match(node_id):
            raise InvalidIdError(
                f"node id {node_id!r} is not valid (letters, digits, _ . -; starting with a letter or _)",
                node=str(node_id),
            )
        if node_id in self.g:
            raise DuplicateIdError(f"node id {node_id!r} is used twice", node=node_id)
        self._op(op, node_id)
        node = Node(node_id, op, dict(attrs or {}), None, label, position, init, dict(extra or {}))
        if value is not None:
            node.value = self._checked_value(node_id, value)
        self.g.add_node(node_id, node=node)
        self.events.emit(NodeAdded(node_id))
        return node_id

    def insert_node(self, node: Node, index: int | None = None) -> None:
        """Put back a node object (undo of a removal), at its old place in the node order."""
        if node.id in self.g:
            raise DuplicateIdError(f"node id {node.id!r} is used twice", node=node.id)
        if index is None or index >= len(self.g):
            self.g.add_node(node.id, node=node)
        else:
            # NOTE: networkx keeps insertion order; rebuilding keeps saved files identical after undo.
            old = self.g
            ids = list(old.nodes)
            ids.insert(index, node.id)
            self.g = nx.MultiDiGraph()
            for n in ids:
                self.g.add_node(n, node=node if n == node.id else old.nodes[n]["node"])
            self.g.add_edges_from(old.edges(keys=True, data=True))
        self.events.emit(NodeAdded(node.id))

    def index_of(self, node_id: str) -> int:
        return list(self.g.nodes).index(node_id)

    def remove_node(self, node_id: str) -> tuple[Node, list[tuple[Edge, dict[str, Any]]]]:
        """Remove a node and its edges; returns them, each with its extra keys, so the removal can
        be undone without losing anything."""
        node = self.node(node_id)
        edges = [Edge(s, t, k) for s, t, k in self.g.in_edges(node_id, keys=True)]
        edges += [Edge(s, t, k) for s, t, k in self.g.out_edges(node_id, keys=True) if t != node_id]
        removed = [(e, self.disconnect(e.source, e.target, e.port)) for e in edges]
        self.g.remove_node(node_id)
        self.events.emit(NodeRemoved(node_id))
        return node, removed

    def check_connect(self, source: str, target: str, port: str, replace: bool = False) -> str | None:
        """Raise the error connect() would raise; return the source that replace would displace."""
        self.node(source)
        tnode = self.node(target)
        op = self._op(tnode.op, target)
        if op is not None and port not in op.inputs:
            ports = ", ".join(op.inputs) or "none"
            raise UnknownPortError(
                f"node {target!r} ({tnode.op}) has no input port {port!r} (ports: {ports})",
                node=target,
                port=port,
            )
        current = self.inputs_of(target).get(port)
        if current is not None and not replace:
            raise PortOccupiedError(
                f"port {port!r} of node {target!r} is already fed by {current!r}", node=target, port=port
            )
        cycle = self.cycle_through(source, target)
        if cycle:
            loop = " → ".join([*cycle, cycle[0]])
            raise CycleError(f"edge {source} → {target}.{port} would close a cycle: {loop}", cycle)
        return current

    def cycle_through(self, source: str, target: str) -> list[str]:
        """The cycle a new edge source → target would close, as a node list (empty if none)."""
        if source == target:
            return [source]
        try:
            path = nx.shortest_path(self.g, target, source)
        except nx.NetworkXNoPath:
            return []
        return list(path)

    def connect(
        self, source: str, target: str, port: str, replace: bool = False, extra: dict[str, Any] | None = None
    ) -> str | None:
        """Add the edge (with the unknown keys `extra` from a file, written back on save); with replace,
        an edge already on the port is removed and its source returned."""
        current = self.check_connect(source, target, port, replace)
        if current is not None:
            self.disconnect(current, target, port)
        data = {"extra": copy.deepcopy(extra)} if extra else {}
        self.g.add_edge(source, target, key=port, **data)
        self.events.emit(EdgeAdded(Edge(source, target, port)))
        return current

    def disconnect(self, source: str, target: str, port: str) -> dict[str, Any]:
        """Remove the edge; returns its extra keys so that an undo can put them back."""
        if not self.g.has_edge(source, target, key=port):
            raise UnknownPortError(f"no edge {source} → {target}.{port}", node=target, port=port)
        extra = self.g.edges[source, target, port].get("extra", {})
        self.g.remove_edge(source, target, key=port)
        self.events.emit(EdgeRemoved(Edge(source, target, port)))
        return extra

    # ----- property mutators
    def _checked_value(self, node_id: str, value: Any) -> np.ndarray:
        try:
            return to_array(value)
        except BadValue as err:
            raise LeafValueError(f"node {node_id!r}: value {err}", node=node_id) from None

    def set_value(self, node_id: str, value: Any) -> None:
        node = self.node(node_id)
        before = None if node.value is None else node.value.shape
        node.value = None if value is None else self._checked_value(node_id, value)
        if before != (None if node.value is None else node.value.shape):
            self.structure_revision += 1  # the shapes downstream change with it
        self.events.emit(ValueChanged(node_id))

    def set_attr(self, node_id: str, name: str, value: Any) -> None:
        self.node(node_id).attrs[name] = value
        self.events.emit(AttrChanged(node_id, name))

    def unset_attr(self, node_id: str, name: str) -> None:
        """Back to the op's default."""
        self.node(node_id).attrs.pop(name, None)
        self.events.emit(AttrChanged(node_id, name))

    def set_op(self, node_id: str, op: str) -> None:
        """Change a node's op (e.g. input ↔ parameter); edges on ports the new op lacks must go first."""
        node = self.node(node_id)
        new = self._op(op, node_id)
        if new is not None:
            for port in self.inputs_of(node_id):
                if port not in new.inputs:
                    raise UnknownPortError(
                        f"node {node_id!r}: op {op!r} has no port {port!r}", node=node_id, port=port
                    )
        node.op = op
        self.events.emit(OpChanged(node_id))

    def set_label(self, node_id: str, label: str | None) -> None:
        self.node(node_id).label = label or None
        self.events.emit(LabelChanged(node_id))

    def set_init(self, node_id: str, init: dict[str, Any] | None) -> None:
        self.node(node_id).init = copy.deepcopy(init)
        self.events.emit(InitChanged(node_id))

    def move(self, node_id: str, position: tuple[float, float] | None) -> None:
        self.node(node_id).position = None if position is None else (float(position[0]), float(position[1]))
        self.events.emit(NodeMoved(node_id))

    def set_description(self, text: str) -> None:
        self.description = text
        self.events.emit(DescriptionChanged())

    def set_dataset(self, dataset: dict[str, Any]) -> None:
        before = _row_shapes(self.dataset)
        self.dataset = copy.deepcopy(dataset)
        if _row_shapes(self.dataset) != before:
            self.structure_revision += 1  # an input without a value takes a row's shape
        self.events.emit(DatasetChanged())

    def set_training(self, training: dict[str, Any]) -> None:
        before = _loss(self.training)
        self.training = copy.deepcopy(training)
        if _loss(self.training) != before:
            self.structure_revision += 1  # training.loss chooses the output
        self.events.emit(TrainingChanged())

    # ----- whole-document operations
    def replace_with(self, other: Document) -> None:
        """Take over another document's content (open a file, revert) in one event."""
        self.g = other.g
        self.description = other.description
        self.dataset = other.dataset
        self.training = other.training
        self.extra = other.extra
        self.events.emit(DocumentReset())

    def copy(self) -> Document:
        doc = Document(self.ops)
        for node in self.nodes():
            doc.g.add_node(node.id, node=node.copy())
        for s, t, k, data in self.g.edges(keys=True, data=True):
            doc.g.add_edge(s, t, key=k, **copy.deepcopy(data))
        doc.description = self.description
        doc.dataset = copy.deepcopy(self.dataset)
        doc.training = copy.deepcopy(self.training)
        doc.extra = copy.deepcopy(self.extra)
        return doc

    def dataset_columns(self) -> dict[str, Any]:
        return self.dataset.get("columns", {}) if isinstance(self.dataset, dict) else {}


def _loss(training: Any) -> Any:
    return training.get("loss") if isinstance(training, dict) else None


def _row_shapes(dataset: Any) -> dict[str, Any]:
    """Each dataset column's row shape (what an input without a value takes); a ragged column gets a
    marker equal to nothing, so that any change of it counts."""
    columns = dataset.get("columns", {}) if isinstance(dataset, dict) else {}
    shapes: dict[str, Any] = {}
    for name, column in columns.items() if isinstance(columns, dict) else ():
        try:
            shapes[name] = np.shape(column)[1:]
        except ValueError:
            shapes[name] = object()
    return shapes
