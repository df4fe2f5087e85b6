"""The graph document: nodes with ops, attributes, leaf values, labels and positions; edges from a
node's output to a named input port of another node; the dataset and training settings.

The graph is a directed multigraph (an op may take the same source twice, as in x·x) whose edge key is
the target port, kept in plain dicts laid out as networkx lays out a MultiDiGraph: ``_node[n]`` (the
node's attribute dict, {"node": Node}), ``_succ[u][v][port]`` and ``_pred[v][u][port]`` (the edge's data
dict, shared). Loading, validating and running need nothing more, so networkx (a tenth of a second to
import) is imported only when ``doc.g`` is first asked for: a ``networkx.MultiDiGraph`` over the very
same dicts (networkx supports setting ``_node``, ``_adj``/``_succ`` and ``_pred``), so the graph
algorithms, and anything written through ``doc.g``, see and change the document itself.

The document knows nothing of numerics: it takes an op catalogue (anything with ``get(op_id)``
returning an object with ``inputs`` and ``is_leaf``) to check ports as edges are made. Every change
emits a past-tense event to the subscribers, which is how the window follows it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

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

if TYPE_CHECKING:
    import networkx as nx

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
        self._node: dict[str, dict[str, Any]] = {}  # id → {"node": Node}, in the document's node order
        self._succ: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}  # source → target → port → data
        self._pred: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}  # target → source → port → data
        self._nx: nx.MultiDiGraph | None = None  # doc.g, once asked for
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

    @property
    def g(self) -> nx.MultiDiGraph:
        """The graph as a networkx MultiDiGraph over the document's own dicts (networkx is imported on
        the first call): reading it sees the document, and a change made through it is in the document."""
        if self._nx is None:
            import networkx as nx

            graph = nx.MultiDiGraph()
            graph._node = self._node
            graph._adj = self._succ  # _succ is networkx's other name for _adj
            graph._pred = self._pred
            self._nx = graph
        return self._nx

    def _changed(self) -> None:
        """After a change made here rather than through networkx: networkx may keep conversions of the
        graph for its other backends, which it drops on its own changes."""
        cache = getattr(self._nx, "__networkx_cache__", None)  # networkx 3.3 on
        if cache:
            cache.clear()

    # ----- queries
    def __contains__(self, node_id: object) -> bool:
        return node_id in self._node

    def __len__(self) -> int:
        return len(self._node)

    def node(self, node_id: str) -> Node:
        try:
            return self._node[node_id]["node"]  # type: ignore[no-any-return]
        except KeyError:
            raise UnknownNodeError(f"no node {node_id!r}", node=node_id) from None

    def nodes(self) -> Iterator[Node]:
        for data in self._node.values():
            yield data.get("node")  # type: ignore[misc]

    def node_ids(self) -> list[str]:
        return list(self._node)

    def successors(self, node_id: str) -> list[str]:
        """The nodes node_id feeds, each once, in the order the edges were made."""
        return list(self._succ[node_id])

    def predecessors(self, node_id: str) -> list[str]:
        """The nodes feeding node_id, each once, in the order the edges were made."""
        return list(self._pred[node_id])

    def out_ports(self, node_id: str) -> Mapping[str, Mapping[str, Any]]:
        """target → {port: edge data} for the edges leaving node_id (read only: the document's own
        table, so that a walk over every edge allocates nothing)."""
        return self._succ[node_id]

    def __iter__(self) -> Iterator[str]:
        """The node ids in order (with successors(), what a depth-first walk needs)."""
        return iter(self._node)

    def topological_order(self, among: set[str] | None = None) -> list[str]:
        """The nodes (of among, if given) sources first, generation by generation as networkx's
        topological_sort orders them; nodes on a cycle, and those after one, are left out."""
        keep = self._node if among is None else among
        waiting: dict[str, int] = {}
        ready: list[str] = []
        for n in self._node:
            if n in keep:
                count = sum(len(ports) for s, ports in self._pred[n].items() if s in keep)
                if count:
                    waiting[n] = count
                else:
                    ready.append(n)
        order: list[str] = []
        while ready:
            order += ready
            generation, ready = ready, []
            for n in generation:
                for m, ports in self._succ[n].items():
                    if m in waiting:
                        waiting[m] -= len(ports)
                        if not waiting[m]:
                            del waiting[m]
                            ready.append(m)
        return order

    def raw_edges(self) -> Iterator[tuple[str, str, str]]:
        """Every edge as (source, target, port), by source in node order (networkx's edges(keys=True))."""
        for source, targets in self._succ.items():
            for target, ports in targets.items():
                for port in ports:
                    yield source, target, port

    def edges(self) -> list[Edge]:
        """Every edge, grouped by target in node order and by port order within a target."""
        result = []
        for target in self._node:
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
        return copy.deepcopy(self._succ[edge.source][edge.target][edge.port].get("extra", {}))

    def inputs_of(self, node_id: str) -> dict[str, str]:
        """port → source id for the node's connected input ports."""
        return {k: s for s, ports in self._pred.get(node_id, {}).items() for k in ports}

    def consumers_of(self, node_id: str) -> list[Edge]:
        return [Edge(node_id, t, k) for t, ports in self._succ.get(node_id, {}).items() for k in ports]

    def sinks(self) -> list[str]:
        return [n for n in self._node if not self._succ[n] and not self.node(n).is_leaf]

    def new_id(self, stem: str) -> str:
        stem = re.sub(r"[^A-Za-z0-9_]", "_", stem) or "n"
        if not stem[0].isalpha() and stem[0] != "_":
            stem = "n" + stem
        i = 1
        while f"{stem}{i}" in self._node:
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
        if node_id in self._node:
            raise DuplicateIdError(f"node id {node_id!r} is used twice", node=node_id)
        self._op(op, node_id)
        node = Node(node_id, op, dict(attrs or {}), None, label, position, init, dict(extra or {}))
        if value is not None:
            node.value = self._checked_value(node_id, value)
        self._add(node)
        self.events.emit(NodeAdded(node_id))
        return node_id

    def _add(self, node: Node) -> None:
        self._node[node.id] = {"node": node}
        self._succ[node.id] = {}
        self._pred[node.id] = {}
        self._changed()

    def insert_node(self, node: Node, index: int | None = None) -> None:
        """Put back a node object (undo of a removal), at its old place in the node order."""
        if node.id in self._node:
            raise DuplicateIdError(f"node id {node.id!r} is used twice", node=node.id)
        self._add(node)
        if index is not None and index < len(self._node) - 1:
            # NOTE: the dicts keep insertion order; reordering them in place (doc.g shares them) puts
            # the node back where it was, so that a saved file is identical after an undo.
            for table in (self._node, self._succ, self._pred):
                items = list(table.items())
                items.insert(index, items.pop())
                table.clear()
                table.update(items)
        self.events.emit(NodeAdded(node.id))

    def index_of(self, node_id: str) -> int:
        return list(self._node).index(node_id)

    def remove_node(self, node_id: str) -> tuple[Node, list[tuple[Edge, dict[str, Any]]]]:
        """Remove a node and its edges; returns them, each with its extra keys, so the removal can
        be undone without losing anything."""
        node = self.node(node_id)
        edges = [Edge(s, node_id, k) for s, ports in self._pred[node_id].items() for k in ports]
        edges += [e for e in self.consumers_of(node_id) if e.target != node_id]
        removed = [(e, self.disconnect(e.source, e.target, e.port)) for e in edges]
        del self._node[node_id], self._succ[node_id], self._pred[node_id]
        self._changed()
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
        came_from: dict[str, str | None] = {target: None}
        frontier = [target]
        while frontier and source not in came_from:  # breadth first: the shortest path
            ahead = []
            for n in frontier:
                for m in self._succ.get(n, ()):
                    if m not in came_from:
                        came_from[m] = n
                        ahead.append(m)
            frontier = ahead
        if source not in came_from:
            return []
        path: list[str] = []
        step: str | None = source
        while step is not None:
            path.append(step)
            step = came_from[step]
        return path[::-1]

    def connect(
        self, source: str, target: str, port: str, replace: bool = False, extra: dict[str, Any] | None = None
    ) -> str | None:
        """Add the edge (with the unknown keys `extra` from a file, written back on save); with replace,
        an edge already on the port is removed and its source returned."""
        current = self.check_connect(source, target, port, replace)
        if current is not None:
            self.disconnect(current, target, port)
        data = {"extra": copy.deepcopy(extra)} if extra else {}
        self._succ[source].setdefault(target, {})[port] = data
        self._pred[target].setdefault(source, {})[port] = data
        self._changed()
        self.events.emit(EdgeAdded(Edge(source, target, port)))
        return current

    def disconnect(self, source: str, target: str, port: str) -> dict[str, Any]:
        """Remove the edge; returns its extra keys so that an undo can put them back."""
        ports = self._succ.get(source, {}).get(target, {})
        if port not in ports:
            raise UnknownPortError(f"no edge {source} → {target}.{port}", node=target, port=port)
        extra = ports.pop(port).get("extra", {})
        del self._pred[target][source][port]
        if not ports:  # as networkx leaves it: no empty entry for a pair without edges
            del self._succ[source][target], self._pred[target][source]
        self._changed()
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
        self._node, self._succ, self._pred, self._nx = other._node, other._succ, other._pred, other._nx
        self.description = other.description
        self.dataset = other.dataset
        self.training = other.training
        self.extra = other.extra
        self.events.emit(DocumentReset())

    def copy(self) -> Document:
        doc = Document(self.ops)
        for node in self.nodes():
            doc._add(node.copy())
        for s, t, k in self.raw_edges():
            data = copy.deepcopy(self._succ[s][t][k])
            doc._succ[s].setdefault(t, {})[k] = data
            doc._pred[t].setdefault(s, {})[k] = data
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
