"""Compiling a document into a plan, and running it forward and backward into a trace.

A plan fixes the topological order once, gives every node an integer slot and binds each op's
functions. Two straight-line Python functions are generated from it (``engine/compile/codegen.py``),
only from the registered ops' functions, their expression templates and integer slots (no text from the
graph file ever reaches the generated code; ``Plan.generated_source`` shows it):

- the *trace* pass computes every node's value, every edge's gradient contribution and every node's
  total gradient (for the canvas, `run`, the stepper's checks), returned as a ``Trace``
  (``engine/compile/trace.py``);
- the *train* pass computes only what the parameters' gradients need (the hot loop of training); over
  Python floats for a graph of scalars (``engine/compile/scalar.py``), and over a batch's rows stacked
  for a graph that acts row by row (``engine/compile/batch.py``).

The same per-node steps are also available one at a time (``forward_node``/``backward_node``): the
stepper walks them, a plan's first run walks them (generating code pays from the second run on), and a
failing fast pass is re-run through them to name the node that failed.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.compile import batch, codegen, scalar
from engine.compile.trace import NumericError, Trace
from engine.ops.registry import REGISTRY, OpDef, Registry
from graph.document import Document, Edge
from graph.errors import OutputError
from graph.validation import validate


@dataclass(frozen=True)
class BackPort:
    """One input port's share of a node's backward step."""

    port_index: int
    source: int  # slot of the node feeding the port
    edge: int  # index into plan.edges
    first: bool  # the source's first contribution, in backward order


@dataclass
class Plan:
    doc: Document
    output: str
    ids: list[str]  # slot → node id, in topological order
    ops: list[OpDef]
    attrs: list[dict[str, Any]]
    inputs: list[list[int]]  # slot → source slots, in the op's port order
    edges: list[Edge]  # edge index → edge
    in_edges: list[list[int]]  # slot → edge indices, in port order
    shapes: dict[str, tuple[int, ...]]
    reaches_output: list[bool]
    backward: list[tuple[int, list[BackPort]]]  # the backward steps, in order
    _trace_fn: Callable[..., Any] = field(repr=False, default=None)  # type: ignore[assignment]
    _train_fns: dict[tuple[int, ...], Callable[..., Any]] = field(repr=False, default_factory=dict)
    _batch_fns: dict[tuple[tuple[int, ...], ...], Any] = field(repr=False, default_factory=dict)
    _walked: bool = field(repr=False, default=False)  # run() has walked once (it generates code next)

    def __post_init__(self) -> None:
        self.slot: dict[str, int] = {n: i for i, n in enumerate(self.ids)}
        self.edge_index: dict[Edge, int] = {e: i for i, e in enumerate(self.edges)}
        self.out_slot: int = self.slot[self.output]
        self._leaf_slots = [i for i, op in enumerate(self.ops) if op.is_leaf]

    @property
    def forward_slots(self) -> list[int]:
        """Slots computed by the forward pass, in order (leaves are read, not computed)."""
        return [i for i, op in enumerate(self.ops) if not op.is_leaf]

    def leaf_values(self) -> list[np.ndarray | None]:
        """The document's leaf values by slot (an input with no value takes the dataset's first row)."""
        columns = self.doc.dataset_columns()
        values: list[np.ndarray | None] = [None] * len(self.ids)
        for slot in self._leaf_slots:  # read on every run of a shared plan: the leaves only
            node_id = self.ids[slot]
            value = self.doc.node(node_id).value
            if value is None and node_id in columns:
                value = np.asarray(columns[node_id][0], dtype=np.float64)
            values[slot] = value
        return values

    def slots_of(self, op_id: str) -> list[int]:
        return [i for i, op in enumerate(self.ops) if op.id == op_id]

    # ----- one node at a time (the stepper and error reports use these)
    def forward_node(self, slot: int, values: list[Any]) -> np.ndarray:
        with np.errstate(all="ignore"):
            return self._forward_node(slot, values)

    def _forward_node(self, slot: int, values: list[Any]) -> np.ndarray:
        op = self.ops[slot]
        xs = [values[s] for s in self.inputs[slot]]
        try:
            y = np.asarray(op.forward(*xs, **self.attrs[slot]))
        except Exception as err:
            raise NumericError(
                f"node {self.ids[slot]!r} ({op.id}): {type(err).__name__}: {err}", self.ids[slot]
            ) from None
        values[slot] = y
        return y

    def backward_node(
        self, step: int, values: list[Any], grads: list[Any], edge_grads: list[Any]
    ) -> list[int]:
        """Do backward step `step`; returns the edge indices it filled."""
        with np.errstate(all="ignore"):
            return self._backward_node(step, values, grads, edge_grads)

    def _backward_node(
        self, step: int, values: list[Any], grads: list[Any], edge_grads: list[Any]
    ) -> list[int]:
        slot, ports = self.backward[step]
        op = self.ops[slot]
        if grads[slot] is None:  # all that reached this node was "no gradient" (a class index)
            grads[slot] = np.zeros_like(values[slot])
        xs = tuple(values[s] for s in self.inputs[slot])
        filled = []
        for bp in ports:
            try:
                c = op.vjps[bp.port_index](grads[slot], xs, values[slot], **self.attrs[slot])
            except Exception as err:
                raise NumericError(
                    f"node {self.ids[slot]!r} ({op.id}), backward: {type(err).__name__}: {err}",
                    self.ids[slot],
                    "backward",
                ) from None
            edge_grads[bp.edge] = c
            grads[bp.source] = codegen.accumulate(None if bp.first else grads[bp.source], c)
            filled.append(bp.edge)
        return filled

    # ----- whole passes
    def run(self, values: list[Any] | None = None, check: bool = True, stepwise: bool | None = None) -> Trace:
        """Forward and backward from the output; every value and gradient, as a Trace.

        values are the leaves by slot (default: leaf_values()); check raises NumericError at the first
        NaN or Inf. stepwise=True walks forward_node/backward_node: slower per run, and the reference the
        generated pass agrees with bit for bit; False runs the generated code. None (the default) walks
        the first run and generates the code for the later ones: generating costs about as much as
        twenty walked runs, which a graph that is run once (`main.py run`) never repays. A generated
        pass that raises is re-run stepwise, so that the error names its node.
        """
        leaves = self.leaf_values() if values is None else values
        if stepwise is None:
            stepwise = self._trace_fn is None and not self._walked
            self._walked = True
        if not stepwise:
            try:
                vals, grads, egrads, finite = codegen.run_quietly(self._trace_pass(), leaves, check)
            except Exception:
                stepwise = True
            else:
                trace = Trace(self, vals, grads, egrads)
                if not finite:
                    trace.check_finite()
                return trace
        trace = self._finish(*self._run_stepwise(leaves))
        if check:
            trace.check_finite()
        return trace

    def prepare(self) -> None:
        """Generate the trace pass now rather than at the second run: the window does it while idle after
        a compile, so that the next value edit already runs the generated code."""
        self._trace_pass()

    def _trace_pass(self) -> Callable[..., Any]:
        if self._trace_fn is None:
            rules = scalar.element_rules(self, every=True)
            if rules is None:
                self._trace_fn = codegen.trace_function(self)
            else:  # the numpy pass is generated only if the floats ever hand over to it
                numpy_trace = _on_first_call(codegen.trace_function, self)
                self._trace_fn = scalar.trace_function(self, numpy_trace, rules)
        return self._trace_fn

    def _run_stepwise(self, leaves: list[Any]) -> tuple[list[Any], list[Any], list[Any]]:
        vals = list(leaves)
        grads: list[Any] = [None] * len(self.ids)
        egrads: list[Any] = [None] * len(self.edges)
        with np.errstate(all="ignore"):
            for slot in self.forward_slots:
                self._forward_node(slot, vals)
            grads[self.out_slot] = np.ones_like(vals[self.out_slot])
            for step in range(len(self.backward)):
                self._backward_node(step, vals, grads, egrads)
        return vals, grads, egrads

    def _finish(self, vals: list[Any], grads: list[Any], egrads: list[Any]) -> Trace:
        vals = [np.asarray(v) for v in vals]
        grads = [np.zeros_like(v) if g is None else g for g, v in zip(grads, vals)]
        egrads = [
            np.zeros_like(vals[self.slot[e.source]]) if g is None else g for g, e in zip(egrads, self.edges)
        ]
        return Trace(self, vals, grads, egrads)

    def train_function(self, params: list[int]) -> Callable[[list[Any]], tuple[Any, list[Any]]]:
        """fn(values) -> (output value, [gradient of each slot in params]); values as leaf_values()."""
        key = tuple(params)
        fn = self._train_fns.get(key)
        if fn is None:
            rules = scalar.element_rules(self)
            if rules is None:
                fn = codegen.train_function(self, params)
            else:  # the numpy pass is generated only if the floats ever hand over to it
                numpy_pass = _on_first_call(codegen.train_function, self, params)
                fn = scalar.train_function(self, params, numpy_pass, rules)
            self._train_fns[key] = fn
        return fn

    def batched_train_function(self, params: list[int], rows: list[int]) -> Callable[..., Any] | str:
        """The training pass over stacked rows fed to the leaves in `rows` (``engine/compile/batch.py``):
        fn(values) -> (the mean output over the rows, [the mean gradient of each slot in params]); or,
        when the graph does not act row by row, the reason why not, naming the node."""
        key = (tuple(params), tuple(rows))
        fn = self._batch_fns.get(key)
        if fn is None:
            fn = self._batch_fns[key] = batch.train_function(self, params, rows)
        return fn

    def generated_source(self, params: list[int] | None = None) -> str:
        """The Python source generated for the trace pass, or with params for their training pass.

        For reading and auditing: it is built from slot numbers and registered op templates only, so no
        id, label or attribute value from the document appears in it.
        """
        fn = self._trace_pass() if params is None else self.train_function(params)
        return fn.source  # type: ignore[attr-defined, no-any-return]


def _on_first_call(make: Callable[..., Callable[..., Any]], *args: Any) -> Callable[..., Any]:
    """A function that makes the real one with make(*args) when first called, then calls it."""
    made: list[Callable[..., Any]] = []

    def call(*values: Any) -> Any:
        if not made:
            made.append(make(*args))
        return made[0](*values)

    return call


def choose_output(doc: Document, output: str | None = None) -> str:
    """--output, else training.loss, else the one sink; several sinks without either is an error."""
    chosen = output or (doc.training.get("loss") if isinstance(doc.training, dict) else None)
    if chosen is not None:
        if chosen not in doc:
            raise OutputError(f"output node {chosen!r} does not exist", node=str(chosen))
        return chosen
    sinks = doc.sinks()
    if not sinks:
        raise OutputError("the graph has no output: add an op node that nothing consumes")
    if len(sinks) > 1:
        names = ", ".join(sinks)
        raise OutputError(
            f"the graph has several outputs ({names}): choose one (--output ID or training.loss)"
        )
    return sinks[0]


def compile_plan(
    doc: Document,
    registry: Registry = REGISTRY,
    output: str | None = None,
    *,
    shapes: dict[str, tuple[int, ...]] | None = None,
) -> Plan:
    """Validate the document and fix its order, slots and backward schedule. `shapes`: the document
    is known to be valid and these are its shapes (the plan cache validated it already)."""
    with codegen.collector_paused():
        return _compile_plan(doc, registry, output, shapes)


def _compile_plan(
    doc: Document, registry: Registry, output: str | None, shapes: dict[str, tuple[int, ...]] | None
) -> Plan:
    if shapes is None:
        shapes = validate(doc, registry)
    out = _scalar_output(doc, shapes, output)
    feeding: dict[str, dict[str, str]] = {n: {} for n in doc.node_ids()}  # target → port → source
    for source, target, port in doc.raw_edges():  # one walk over the edges
        feeding[target][port] = source
    ids = _topological_order(doc.node_ids(), feeding)
    ops = [registry[doc.node(n).op] for n in ids]
    attrs = [op.resolve_attrs(doc.node(n).attrs) for n, op in zip(ids, ops)]
    inputs, in_edges, edges = _wiring(feeding, ids, ops)
    reaches_output = [False] * len(ids)
    reaches_output[ids.index(out)] = True
    for s in reversed(range(len(ids))):  # sources come before their consumers
        if reaches_output[s]:
            for i in inputs[s]:
                reaches_output[i] = True
    backward = _backward_schedule(inputs, in_edges, reaches_output)
    return Plan(doc, out, ids, ops, attrs, inputs, edges, in_edges, shapes, reaches_output, backward)


def _scalar_output(doc: Document, shapes: dict[str, tuple[int, ...]], output: str | None) -> str:
    """The chosen output node, refused unless it holds one number (the backward pass starts from 1)."""
    out = choose_output(doc, output)
    out_shape = shapes.get(out)
    if out_shape is not None and int(np.prod(out_shape)) != 1:
        raise OutputError(
            f"output {out!r} has shape {out_shape}, not a scalar: add a loss, sum or mean", node=out
        )
    return out


def _topological_order(nodes: list[str], feeding: dict[str, dict[str, str]]) -> list[str]:
    """Topological, ties broken by the document's node order, so the same file always gives the same slots.

    (networkx's lexicographical_topological_sort, without its per-node overhead.)
    """
    position = {n: i for i, n in enumerate(nodes)}
    waiting = {n: len(ports) for n, ports in feeding.items()}  # edges not yet placed, per target
    consumers = _consumers(nodes, feeding)
    ready = [position[n] for n, d in waiting.items() if d == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        n = nodes[heapq.heappop(ready)]
        order.append(n)
        for target in consumers[n]:
            waiting[target] -= 1
            if not waiting[target]:
                heapq.heappush(ready, position[target])
    return order


def _consumers(nodes: list[str], feeding: dict[str, dict[str, str]]) -> dict[str, list[str]]:
    """Each node's consumers, once per edge (a source feeding two ports of a node is listed twice)."""
    consumers: dict[str, list[str]] = {n: [] for n in nodes}
    for target, ports in feeding.items():
        for source in ports.values():
            consumers[source].append(target)
    return consumers


def _wiring(
    feeding_of: dict[str, dict[str, str]], ids: list[str], ops: list[OpDef]
) -> tuple[list[list[int]], list[list[int]], list[Edge]]:
    """Each slot's source slots and edge indices in its op's port order, and the edges so numbered."""
    slot = {n: i for i, n in enumerate(ids)}
    edges: list[Edge] = []
    inputs: list[list[int]] = []
    in_edges: list[list[int]] = []
    for n, op in zip(ids, ops):
        feeding = feeding_of[n]
        inputs.append([slot[feeding[p]] for p in op.inputs])
        in_edges.append(list(range(len(edges), len(edges) + len(op.inputs))))
        edges.extend(Edge(feeding[p], n, p) for p in op.inputs)
    return inputs, in_edges, edges


def _backward_schedule(
    inputs: list[list[int]], in_edges: list[list[int]], reaches_output: list[bool]
) -> list[tuple[int, list[BackPort]]]:
    """The op nodes the output depends on, last first; marks each source's first contribution."""
    backward = []
    seen: set[int] = set()
    for s in reversed(range(len(inputs))):
        if not reaches_output[s] or not inputs[s]:
            continue
        ports = []
        for k, (src, e) in enumerate(zip(inputs[s], in_edges[s])):
            ports.append(BackPort(k, src, e, src not in seen))
            seen.add(src)
        backward.append((s, ports))
    return backward


def run(doc: Document, output: str | None = None, registry: Registry = REGISTRY) -> Trace:
    """Compile and run: the forward values and backward gradients of every node and edge."""
    return compile_plan(doc, registry, output).run()
