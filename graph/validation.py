"""Checking a document against an op catalogue: ops, attributes, ports, values, cycles, shapes.

The catalogue (engine's registry) is passed in, so graph/ never imports engine/. Ops need, for this
module: ``inputs``, ``is_leaf``, ``resolve_attrs(dict)`` and ``shape(*input_shapes, **attrs)``;
a shape rule signals a mismatch by raising ValueError with a message such as "a is (1, 2), b is (3, 1)".
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from graph.document import Document, Node
from graph.errors import (
    AttrError,
    CycleError,
    GraphError,
    LeafValueError,
    MissingInputError,
    PortOccupiedError,
    ShapeError,
    SizeError,
    UnknownOpError,
    UnknownPortError,
)
from graph.values import MAX_ELEMENTS, MAX_GRAPH_ELEMENTS

if TYPE_CHECKING:
    import networkx as nx

Shape = tuple[int, ...]


def leaf_shape(doc: Document, node_id: str) -> Shape | None:
    """The shape a leaf feeds in: its value's, or one dataset row's for an input without a value."""
    return _leaf_shape(doc, doc.node(node_id))


def _leaf_shape(doc: Document, node: Node) -> Shape | None:
    if node.value is not None:
        return tuple(node.value.shape)
    column = doc.dataset_columns().get(node.id)
    if column is not None:
        return tuple(np.shape(column)[1:])
    return None


def find_problems(doc: Document, ops: Any) -> tuple[list[GraphError], dict[str, Shape]]:
    """Every problem found (in node order) and the shapes inferred for the nodes that have one.

    Linear in nodes and edges: each node's inputs are read once and shared by the checks and the shape
    inference, which follows one topological order (the window validates on every structural edit)."""
    problems: list[GraphError] = []
    known: set[str] = set()
    inputs = all_inputs(doc)
    attrs: dict[str, dict[str, Any]] = {}
    for node in doc.nodes():
        op = ops.get(node.op)
        if op is None:
            problems.append(UnknownOpError(f"node {node.id!r}: unknown op {node.op!r}", node=node.id))
            continue
        known.add(node.id)
        problems += _node_problems(doc, node, op, inputs[node.id], attrs)
    ids = find_cycle(doc)  # the document's own adjacency: validating never imports networkx
    if ids:
        loop = " → ".join([*ids, ids[0]])
        problems.append(CycleError(f"the graph has a cycle: {loop}", ids))
        return problems, {}
    shapes = _shapes(doc, ops, topological_order(doc), known, inputs, problems, attrs)
    return problems, shapes


def all_inputs(doc: Document, among: set[str] | None = None) -> dict[str, dict[str, str]]:
    """port → source id for every node's (among's, if given) connected input ports, read once
    (Document.inputs_of: the document's own tables, not networkx's views, which cost more than the work)."""
    return {n: doc.inputs_of(n) for n in (doc if among is None else among)}


def topological_order(doc: Document, among: set[str] | None = None) -> list[str]:
    """The nodes (of among, if given: a set closed under predecessors) in topological order: Kahn's
    generations, each in document order (among's order if it is under half the graph), the order
    networkx.topological_sort gives. The nodes on or below a cycle are left out. Linear in the size of
    among and its edges (can_connect asks on every mouse move of a drag)."""
    if among is None or 2 * len(among) >= len(doc):
        nodes: Any = doc if among is None else (n for n in doc if n in among)
    else:
        nodes = among
    waiting = dict.fromkeys(nodes, 0)
    successors = _successors(doc, waiting)
    generation = [n for n, count in waiting.items() if count == 0]
    order: list[str] = []
    while generation:
        order += generation
        ready = []
        for node_id in generation:
            for child, count in successors[node_id]:
                waiting[child] -= count
                if waiting[child] == 0:
                    ready.append(child)
        generation = ready
    return order


def _successors(doc: Document, waiting: dict[str, int]) -> dict[str, list[tuple[str, int]]]:
    """Each node's children among waiting, with how many edges feed each (counted into waiting)."""
    successors: dict[str, list[tuple[str, int]]] = {n: [] for n in waiting}
    # child → {port: data} per source: a child fed twice waits for both edges.
    for source in waiting:
        feeds = successors[source]
        for child, ports in doc.out_ports(source).items():
            if child in waiting:
                waiting[child] += len(ports)
                feeds.append((child, len(ports)))
    return successors


def find_cycle(g: nx.DiGraph | Document) -> list[str]:
    """The nodes of one cycle, in order (empty when there is none), in one depth-first walk.

    Linear in nodes and edges: networkx's find_cycle walks again below every node it starts from,
    which made validating a 10,000-node graph take minutes.
    """
    state: dict[str, bool] = {}  # True: on the current path; False: everything below it is done
    for root in g:
        if root in state:
            continue
        state[root] = True
        path = [root]
        below = [iter(g.successors(root))]
        while below:
            for nxt in below[-1]:
                on_path = state.get(nxt)
                if on_path:
                    return path[path.index(nxt) :]
                if on_path is None:
                    state[nxt] = True
                    path.append(nxt)
                    below.append(iter(g.successors(nxt)))
                    break
            else:
                state[path.pop()] = False
                below.pop()
    return []


def _node_problems(
    doc: Document, node: Node, op: Any, connected: dict[str, str], attrs: dict[str, dict[str, Any]]
) -> list[GraphError]:
    """What is wrong with one node of a known op, by itself: attributes, ports, a leaf's value. The
    attributes it resolves go into attrs (the shape inference uses them)."""
    where = f"node {node.id!r} ({node.op})"
    problems: list[GraphError] = []
    try:
        attrs[node.id] = op.resolve_attrs(node.attrs)
    except ValueError as err:
        problems.append(AttrError(f"{where}: {err}", node=node.id))
    problems += [
        UnknownPortError(f"{where} has no port {port!r}", node=node.id, port=port)
        for port in connected
        if port not in op.inputs
    ]
    problems += [
        MissingInputError(f"{where}: input port {port!r} is not connected", node=node.id, port=port)
        for port in op.inputs
        if port not in connected
    ]
    if op.is_leaf and _leaf_shape(doc, node) is None:
        what = "a value or a dataset column" if node.op == "input" else "a value"
        problems.append(LeafValueError(f"{where} needs {what}", node=node.id))
    return problems


def infer_shapes(
    doc: Document, ops: Any, known: set[str], problems: list[GraphError], among: set[str] | None = None
) -> dict[str, Shape]:
    """Shapes in topological order (of the nodes among, if given: a set closed under predecessors);
    a node whose inputs have no shape gets none (no cascade of errors)."""
    order = topological_order(doc, among)
    return _shapes(doc, ops, order, known, all_inputs(doc, among), problems, {})


def _shapes(
    doc: Document,
    ops: Any,
    order: list[str],
    known: set[str],
    inputs: dict[str, dict[str, str]],
    problems: list[GraphError],
    attrs: dict[str, dict[str, Any]],
) -> dict[str, Shape]:
    """infer_shapes along order, with every node's inputs and (where already resolved) attributes."""
    shapes: dict[str, Shape] = {}
    whole = len(order) == len(doc)
    nodes = {n.id: n for n in doc.nodes()} if whole else {n: doc.node(n) for n in order}
    for node_id in order:
        if node_id not in known:
            continue
        node = nodes[node_id]
        try:
            shape = _node_shape(doc, node, ops.get(node.op), inputs[node_id], shapes, attrs.get(node_id))
        except ShapeError as err:
            problems.append(err)
            continue
        if shape is not None:
            shapes[node_id] = shape
    problems += _total_size_problems(doc, shapes)
    return shapes


def _total_size_problems(doc: Document, shapes: dict[str, Shape]) -> list[GraphError]:
    """The node at which the values of the graph together first exceed MAX_GRAPH_ELEMENTS, if any."""
    total = 0
    for node_id, shape in shapes.items():
        total += math.prod(shape)
        if total > MAX_GRAPH_ELEMENTS:
            message = (
                f"node {node_id!r} ({doc.node(node_id).op}) brings the values of the graph to more than"
                f" {MAX_GRAPH_ELEMENTS:,} numbers together, the most a graph may hold"
            )
            return [SizeError(message, node=node_id)]
    return []


def node_shape(
    doc: Document,
    ops: Any,
    node_id: str,
    inputs: dict[str, str],
    shapes: dict[str, Shape],
    attrs: dict[str, Any] | None = None,
) -> Shape | None:
    """The shape of a node of a known op fed by inputs (port → source) whose shapes are in shapes;
    None when an input has none. Raises ShapeError when the op's shape rule refuses them, SizeError
    when the value would be larger than a value may be. attrs: the node's attributes already resolved
    (resolved here if None)."""
    node = doc.node(node_id)
    return _node_shape(doc, node, ops.get(node.op), inputs, shapes, attrs)


def _node_shape(
    doc: Document,
    node: Node,
    op: Any,
    inputs: dict[str, str],
    shapes: dict[str, Shape],
    attrs: dict[str, Any] | None,
) -> Shape | None:
    node_id = node.id
    if op.is_leaf:
        return _leaf_shape(doc, node)
    if any(p not in inputs or inputs[p] not in shapes for p in op.inputs):
        return None
    in_shapes = [shapes[inputs[p]] for p in op.inputs]
    try:
        if attrs is None:
            attrs = op.resolve_attrs(node.attrs)
        shape = tuple(op.shape(*in_shapes, **attrs))
    except (ValueError, IndexError, TypeError) as err:
        raise ShapeError(f"{node.op} {node_id}: {err}", node=node_id) from None
    # NOTE: refused here, from the shape alone, before any pass allocates the value (a (20000, 1)
    # plus a (1, 20000) array would need 3.2 GB).
    size = math.prod(shape)
    if size > MAX_ELEMENTS:
        raise SizeError(
            f"node {node_id!r} ({node.op}) would hold {size:,} numbers (shape {shape});"
            f" a value may hold at most {MAX_ELEMENTS:,}",
            node=node_id,
        )
    return shape


def can_connect(doc: Document, ops: Any, source: str, target: str, port: str) -> GraphError | None:
    """Why the edge source → target.port may not be made (replacing whatever feeds the port now), or
    None if it may: what connecting and then validating would report about that edge, without changing
    or copying the document. Also refused: an edge that is already there (nothing to do).

    Only the shapes the answer needs are inferred: the target's, from its inputs with the new edge in
    place; the new edge cannot change the shape of anything upstream of the target."""
    try:
        current = doc.check_connect(source, target, port, replace=True)
    except GraphError as err:
        return err
    if current == source:
        return PortOccupiedError(f"{source} already feeds {target}.{port}", node=target, port=port)
    if ops.get(doc.node(target).op) is None:
        return None
    import networkx as nx  # a structural question of the window's: networkx only when first asked

    inputs = {**doc.inputs_of(target), port: source}
    upstream = set(inputs.values()).union(*(nx.ancestors(doc.g, s) for s in inputs.values()))
    if not nx.is_directed_acyclic_graph(doc.g.subgraph(upstream)):
        return None  # a cycle already in the document is validation's to report, not this edge's
    known = {n for n in upstream if ops.get(doc.node(n).op) is not None}
    # Problems upstream are the document's, not this edge's: they are not reported here.
    shapes = infer_shapes(doc, ops, known, [], among=upstream)
    try:
        node_shape(doc, ops, target, inputs, shapes)
    except ShapeError as err:
        return err
    return None


def validate(doc: Document, ops: Any) -> dict[str, Shape]:
    """Raise the first problem; return every node's shape when there is none."""
    problems, shapes = find_problems(doc, ops)
    if problems:
        raise problems[0]
    return shapes
