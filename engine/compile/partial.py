"""Running an unfinished graph: the values of every node whose inputs are complete, the gradients that
can be computed, and for every other node what it waits for.

A graph is built one node and one edge at a time, and a student checks each piece as it appears, so
the window and `main.py run` show what can be computed long before every port is connected.

The computable part is cut out into a copy of the document and compiled with the ordinary plan
compiler (`compile_plan`, `Plan.run`), so a partial run computes exactly what a full run would. The
gradients are of the output compile_plan would choose, restricted to the computable part: the
`--output` node, else `training.loss`, else the one node of the computable part that nothing
computable consumes; when that node is not ready or not one number there are values only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from engine.compile.plan import compile_plan
from engine.compile.trace import NumericError, Trace
from engine.i18n import _, ngettext
from engine.i18n.errors import translate_error
from engine.ops.registry import REGISTRY, Registry
from graph.document import Document, Edge
from graph.errors import CycleError, GraphError, LeafValueError, MissingInputError, OutputError
from graph.validation import find_problems

Names = Callable[[str], str]
CHAIN_SHOWN = 3  # a longer chain of waiting nodes is shown as its first, "…" and its last


@dataclass(frozen=True)
class Waiting:
    """Why a node cannot be computed yet."""

    node: str
    ports: tuple[str, ...] = ()  # its input ports that are not connected yet
    inputs: tuple[str, ...] = ()  # the nodes feeding it that cannot be computed yet themselves
    problem: str | None = None  # anything else: a leaf without a value, shapes that do not fit, a cycle


@dataclass
class PartialRun:
    """What a graph with open ports computes; `trace` holds None where there is no gradient."""

    computed: list[str]  # the nodes with a value, in topological order
    waiting: dict[str, Waiting]  # every other node
    output: str | None = None  # the node the gradients are of; None: values only
    trace: Trace | None = None
    error: str | None = None  # a NaN, an Inf or a refused computation in the computable part
    _done: set[str] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self._done = set(self.computed)

    @property
    def complete(self) -> bool:
        return not self.waiting

    def value(self, node_id: str) -> np.ndarray | None:
        if node_id not in self._done or self.trace is None:
            return None
        return self.trace.value(node_id)

    def grad(self, node_id: str) -> np.ndarray | None:
        if node_id not in self._done or self.trace is None:
            return None
        return self.trace.grad(node_id)

    def edge_grad(self, edge: Edge) -> np.ndarray | None:
        if edge.target not in self._done or self.trace is None:
            return None
        return self.trace.edge_grad(edge)

    def reason(self, node_id: str, name: Names = str) -> str | None:
        """What the node waits for, in words: "waits for port b", "waits for m (which waits for port
        b)", "needs a value"; None if it has its value. name turns an id into what the reader sees."""
        w = self.waiting.get(node_id)
        if w is None:
            return None
        items = _own_items(w)
        for source in w.inputs:
            chain = self._chain(source, name)
            items.append(_("{name} (which {chain})").format(name=name(source), chain=chain))
        text = _("waits for {items}").format(items=_join(items)) if items else ""
        if w.problem:
            text = f"{text}; {w.problem}" if text else w.problem
        return text

    def _chain(self, node_id: str, name: Names) -> str:
        """What node_id waits for, following its first waiting input down to a node that waits for
        itself (a port, a value); a long chain keeps its first and last links."""
        path = [node_id]
        while self.waiting[path[-1]].inputs and not _own_items(self.waiting[path[-1]]):
            path.append(self.waiting[path[-1]].inputs[0])
        root = self.waiting[path[-1]]
        own = _own_items(root)
        cause = _("waits for {items}").format(items=_join(own)) if own else ""
        if root.problem:
            cause = f"{cause}; {root.problem}" if cause else root.problem
        links = [name(n) for n in path[1:]]
        if len(links) > CHAIN_SHOWN:
            links = [links[0], "…", links[-1]]
        return "".join(_("waits for {link}, which ").format(link=link) for link in links) + cause


def _own_items(w: Waiting) -> list[str]:
    if not w.ports:
        return []
    return [ngettext("port {ports}", "ports {ports}", len(w.ports)).format(ports=_join(list(w.ports)))]


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def partial_run(doc: Document, registry: Registry = REGISTRY, output: str | None = None) -> PartialRun:
    """Run what can be run of doc. An output that does not exist raises OutputError, as compile_plan."""
    if output is not None and output not in doc:
        raise OutputError(f"output node {output!r} does not exist", node=str(output))
    problems, shapes = find_problems(doc, registry)
    computed, waiting = _split(doc, problems)
    result = PartialRun(computed, waiting)
    if not computed:
        return result
    chosen = _choose_output(doc, computed, shapes, output)
    sub = doc.copy()
    for node_id in waiting:
        sub.remove_node(node_id)
    if chosen is None:
        # compile_plan needs one scalar output: a sum of any node stands in, its gradients unused.
        chosen_for_plan = doc.new_id("sum")
        sub.add_node("sum", chosen_for_plan)
        sub.connect(computed[-1], chosen_for_plan, "x")
    else:
        chosen_for_plan = chosen
    try:
        plan = compile_plan(sub, registry, chosen_for_plan)
        trace = plan.run(check=False, stepwise=True)
    except GraphError as err:  # NumericError: numpy refused a computation
        result.error = str(err)
        return result
    try:
        trace.check_finite()
    except NumericError as err:
        result.error = str(err)
    result.output = chosen
    result.trace = _without_unreached_grads(trace, chosen is not None)
    return result


def _split(doc: Document, problems: list[GraphError]) -> tuple[list[str], dict[str, Waiting]]:
    """The nodes that can be computed (topological order) and why each other one cannot."""
    import networkx as nx  # only for a graph that does not compile: not on `main.py run`'s way

    ports, other = _own_problems(doc, problems)
    on_cycle = {n for scc in nx.strongly_connected_components(doc.g) if len(scc) > 1 for n in scc}
    order = nx.lexicographical_topological_sort(
        doc.g.subgraph(n for n in doc.node_ids() if n not in on_cycle), key=doc.index_of
    )
    computed: list[str] = []
    done: set[str] = set()
    waiting: dict[str, Waiting] = {}
    for n in order:
        blocked = tuple(dict.fromkeys(s for s in _ordered_inputs(doc, n) if s not in done))
        if n in ports or n in other or blocked:
            waiting[n] = Waiting(n, tuple(ports.get(n, ())), blocked, other.get(n))
        else:
            computed.append(n)
            done.add(n)
    for n in on_cycle:
        waiting[n] = Waiting(n, problem=_("is on a cycle"))
    return computed, waiting


def _own_problems(doc: Document, problems: list[GraphError]) -> tuple[dict[str, list[str]], dict[str, str]]:
    """By node: its unconnected ports, and the first other problem of its own (cycles are found apart)."""
    ports: dict[str, list[str]] = {}
    other: dict[str, str] = {}
    for p in problems:
        if p.node is None or isinstance(p, CycleError):
            continue
        if isinstance(p, MissingInputError) and p.port is not None:
            ports.setdefault(p.node, []).append(p.port)
        else:
            other.setdefault(p.node, _short(p, doc))
    return ports, other


def _ordered_inputs(doc: Document, node_id: str) -> list[str]:
    """The node's sources in its op's port order (unknown ports last)."""
    feeding = doc.inputs_of(node_id)
    op = doc.ops.get(doc.node(node_id).op) if doc.ops is not None else None
    order = list(op.inputs) if op is not None else []
    return [feeding[p] for p in sorted(feeding, key=lambda p: order.index(p) if p in order else len(order))]


def _short(problem: GraphError, doc: Document) -> str:
    if isinstance(problem, LeafValueError) and problem.node is not None:
        node = doc.node(problem.node)
        return _("needs a value or a dataset column") if node.op == "input" else _("needs a value")
    return translate_error(str(problem))


def _choose_output(
    doc: Document, computed: list[str], shapes: dict[str, tuple[int, ...]], output: str | None
) -> str | None:
    """The output as compile_plan chooses it, among the computed nodes; None if it is not one number."""
    done = set(computed)
    loss = doc.training.get("loss") if isinstance(doc.training, dict) else None
    if output is None and loss in done:
        output = loss
    if output is None:
        ends = [
            n
            for n in computed
            if not doc.node(n).is_leaf and not any(e.target in done for e in doc.consumers_of(n))
        ]
        output = ends[0] if len(ends) == 1 else None
    if output not in done or int(np.prod(shapes.get(output, (2,)))) != 1:
        return None
    return output


def _without_unreached_grads(trace: Trace, has_output: bool) -> Trace:
    """The trace with None (no gradient) where the output cannot be reached, instead of zeros."""
    plan = trace.plan
    grads = [g if has_output and plan.reaches_output[s] else None for s, g in enumerate(trace.grad_list)]
    edge_grads = [
        g if has_output and plan.reaches_output[plan.slot[e.target]] else None
        for e, g in zip(plan.edges, trace.edge_grad_list)
    ]
    return Trace(plan, trace.value_list, grads, edge_grads)  # type: ignore[arg-type]
