"""Compiling a document into a plan, and running it forward and backward into a trace.

A plan fixes the topological order once, gives every node an integer slot and binds each op's
functions. Two straight-line Python functions are generated from it, only from the registered ops'
functions, their expression templates and integer slots (no text from the graph file ever reaches the
generated code; the shapes inferred at compile time decide where a template applies):

- the *trace* pass computes every node's value, every edge's gradient contribution and every node's
  total gradient (for the canvas, `run`, the stepper's checks);
- the *train* pass computes only what the parameters' gradients need (the hot loop of training).

The same per-node steps are also available one at a time (``forward_node``/``backward_node``): the
stepper walks them, and a failing fast pass is re-run through them to name the node that failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from engine.ops.registry import REGISTRY, OpDef, Registry
from graph.document import Document, Edge
from graph.errors import GraphError, OutputError
from graph.validation import validate


class NumericError(GraphError):
    """A NaN or Inf appeared, or numpy refused a computation; names the node where it happened."""

    def __init__(self, message: str, node: str | None = None, phase: str = "forward") -> None:
        super().__init__(message, node=node)
        self.phase = phase


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

    def __post_init__(self) -> None:
        self.slot: dict[str, int] = {n: i for i, n in enumerate(self.ids)}
        self.edge_index: dict[Edge, int] = {e: i for i, e in enumerate(self.edges)}
        self.out_slot: int = self.slot[self.output]

    @property
    def forward_slots(self) -> list[int]:
        """Slots computed by the forward pass, in order (leaves are read, not computed)."""
        return [i for i, op in enumerate(self.ops) if not op.is_leaf]

    def leaf_values(self) -> list[np.ndarray | None]:
        """The document's leaf values by slot (an input with no value takes the dataset's first row)."""
        columns = self.doc.dataset_columns()
        values: list[np.ndarray | None] = []
        for node_id, op in zip(self.ids, self.ops):
            if not op.is_leaf:
                values.append(None)
                continue
            value = self.doc.node(node_id).value
            if value is None and node_id in columns:
                value = np.asarray(columns[node_id][0], dtype=np.float64)
            values.append(value)
        return values

    def slots_of(self, op_id: str) -> list[int]:
        return [i for i, op in enumerate(self.ops) if op.id == op_id]

    # ----- one node at a time (the stepper and error reports use these)
    def forward_node(self, slot: int, values: list[Any]) -> np.ndarray:
        op = self.ops[slot]
        xs = [values[s] for s in self.inputs[slot]]
        with np.errstate(all="ignore"):
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
        slot, ports = self.backward[step]
        op = self.ops[slot]
        xs = tuple(values[s] for s in self.inputs[slot])
        filled = []
        with np.errstate(all="ignore"):
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
                grads[bp.source] = _accumulate(None if bp.first else grads[bp.source], c)
                filled.append(bp.edge)
        return filled

    # ----- whole passes
    def run(self, values: list[Any] | None = None, check: bool = True) -> Trace:
        """Forward and backward from the output; every value and gradient, as a Trace."""
        leaves = self.leaf_values() if values is None else values
        if self._trace_fn is None:
            self._trace_fn = _generate(self, train_slots=None)
        try:
            with np.errstate(all="ignore"):
                vals, grads, egrads = self._trace_fn(leaves)
        except Exception:
            vals, grads, egrads = self._run_stepwise(leaves)
        trace = self._finish(vals, grads, egrads)
        if check:
            trace.check_finite()
        return trace

    def _run_stepwise(self, leaves: list[Any]) -> tuple[list[Any], list[Any], list[Any]]:
        vals = list(leaves)
        for slot in self.forward_slots:
            self.forward_node(slot, vals)
        grads: list[Any] = [None] * len(self.ids)
        egrads: list[Any] = [None] * len(self.edges)
        grads[self.out_slot] = np.ones_like(vals[self.out_slot])
        for step in range(len(self.backward)):
            self.backward_node(step, vals, grads, egrads)
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
            fn = self._train_fns[key] = _generate(self, train_slots=params)
        return fn


def _accumulate(total: Any, contribution: Any) -> Any:
    if total is None:
        return contribution
    if contribution is None:
        return total
    return total + contribution


@dataclass
class Trace:
    """The results of one forward and backward run; never stored in the graph file."""

    plan: Plan
    value_list: list[np.ndarray]
    grad_list: list[np.ndarray]
    edge_grad_list: list[np.ndarray]

    @property
    def output(self) -> str:
        return self.plan.output

    @property
    def loss(self) -> float:
        return float(np.asarray(self.value_list[self.plan.out_slot]).reshape(-1)[0])

    @property
    def values(self) -> dict[str, np.ndarray]:
        return dict(zip(self.plan.ids, self.value_list))

    @property
    def grads(self) -> dict[str, np.ndarray]:
        return dict(zip(self.plan.ids, self.grad_list))

    def value(self, node_id: str) -> np.ndarray:
        return self.value_list[self.plan.slot[node_id]]

    def grad(self, node_id: str) -> np.ndarray:
        return self.grad_list[self.plan.slot[node_id]]

    def edge_value(self, edge: Edge) -> np.ndarray:
        return self.value(edge.source)

    def edge_grad(self, edge: Edge) -> np.ndarray:
        return self.edge_grad_list[self.plan.edge_index[edge]]

    def contributions(self, node_id: str) -> list[tuple[Edge, np.ndarray]]:
        """The gradient parts a node receives from each consumer; they sum to its total gradient."""
        return [(e, g) for e, g in zip(self.plan.edges, self.edge_grad_list) if e.source == node_id]

    def check_finite(self) -> None:
        """Raise NumericError naming the first node (forward, then backward) with a NaN or Inf."""
        plan = self.plan
        everything = [np.ravel(a) for a in self.value_list + self.grad_list]
        if np.isfinite(np.concatenate(everything)).all():
            return
        for slot in range(len(plan.ids)):
            v = self.value_list[slot]
            if not np.all(np.isfinite(v)):
                raise NumericError(_non_finite(plan, slot, v, "value"), plan.ids[slot])
        order = [plan.out_slot] + [bp.source for _, ports in plan.backward for bp in ports]
        for slot in order:
            g = self.grad_list[slot]
            if not np.all(np.isfinite(g)):
                raise NumericError(_non_finite(plan, slot, g, "gradient"), plan.ids[slot], "backward")


def _non_finite(plan: Plan, slot: int, arr: np.ndarray, what: str) -> str:
    bad = np.asarray(arr)[~np.isfinite(arr)].reshape(-1)[0]
    op = plan.ops[slot]
    hint = f" ({op.domain_hint})" if op.domain_hint and what == "value" else ""
    return f"node {plan.ids[slot]!r} ({op.id}): {what} became {bad}{hint}"


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


def compile_plan(doc: Document, registry: Registry = REGISTRY, output: str | None = None) -> Plan:
    """Validate the document and fix its order, slots and backward schedule."""
    shapes = validate(doc, registry)
    out = choose_output(doc, output)
    out_shape = shapes.get(out)
    if out_shape is not None and int(np.prod(out_shape)) != 1:
        raise OutputError(
            f"output {out!r} has shape {out_shape}, not a scalar: add a loss, sum or mean", node=out
        )
    position = {n: i for i, n in enumerate(doc.node_ids())}
    ids = list(nx.lexicographical_topological_sort(doc.g, key=position.__getitem__))
    slot = {n: i for i, n in enumerate(ids)}
    ops = [registry[doc.node(n).op] for n in ids]
    attrs = [op.resolve_attrs(doc.node(n).attrs) for n, op in zip(ids, ops)]
    edges: list[Edge] = []
    inputs: list[list[int]] = []
    in_edges: list[list[int]] = []
    for n, op in zip(ids, ops):
        feeding = doc.inputs_of(n)
        inputs.append([slot[feeding[p]] for p in op.inputs])
        in_edges.append(list(range(len(edges), len(edges) + len(op.inputs))))
        edges.extend(Edge(feeding[p], n, p) for p in op.inputs)
    reaches = nx.ancestors(doc.g, out) | {out}
    reaches_output = [n in reaches for n in ids]
    backward = []
    seen: set[int] = set()
    for s in reversed(range(len(ids))):
        if not reaches_output[s] or not inputs[s]:
            continue
        ports = []
        for k, (src, e) in enumerate(zip(inputs[s], in_edges[s])):
            ports.append(BackPort(k, src, e, src not in seen))
            seen.add(src)
        backward.append((s, ports))
    return Plan(doc, out, ids, ops, attrs, inputs, edges, in_edges, shapes, reaches_output, backward)


def _call(fn: str, args: list[str], attrs: dict[str, Any], prefix: str) -> str:
    kw = "".join(f", {name}={prefix}_{name}" for name in attrs)
    return f"{fn}({', '.join(args)}{kw})"


def _names(plan: Plan, s: int) -> dict[str, str]:
    """Template placeholders → local variable names of node s (ports, {y}, {g})."""
    names = {port: f"v{i}" for port, i in zip(plan.ops[s].inputs, plan.inputs[s], strict=True)}
    names["y"] = f"v{s}"
    names["g"] = f"g{s}"
    return names


def _inline_vjps(plan: Plan, s: int) -> tuple[str | None, ...]:
    """The op's VJP templates for node s, where its shapes allow them (else None per port)."""
    op = plan.ops[s]
    none = (None,) * len(op.inputs)
    if op.inline_vjps is None or op.attrs:
        return none
    shapes = [plan.shapes.get(plan.ids[i]) for i in plan.inputs[s]]
    out = plan.shapes.get(plan.ids[s])
    if out is None or any(sh is None for sh in shapes):
        return none
    return op.inline_vjps(tuple(shapes), out)


def _generate(plan: Plan, train_slots: list[int] | None) -> Callable[..., Any]:
    """Straight-line code for one pass, built from slot numbers and registered op functions only."""
    n = len(plan.ids)
    ns: dict[str, Any] = {"_acc": _accumulate, "_ones": np.ones_like, "np": np}
    needs_value = [True] * n
    needs_grad = list(plan.reaches_output)
    if train_slots is not None:
        # Only ancestors of the output are computed, and only grads on a path from a parameter.
        needs_value = list(plan.reaches_output)
        from_param = [False] * n
        for s in range(n):
            from_param[s] = s in train_slots or any(from_param[i] for i in plan.inputs[s])
        needs_grad = [a and b for a, b in zip(plan.reaches_output, from_param)]
    lines = ["def _pass(V):"]
    for s in range(n):
        if not needs_value[s]:
            continue
        op = plan.ops[s]
        if op.is_leaf:
            lines.append(f"    v{s} = V[{s}]")
            continue
        if op.inline_forward is not None and not op.attrs:
            lines.append(f"    v{s} = " + op.inline_forward.format(**_names(plan, s)))
            continue
        ns[f"F{s}"] = op.forward
        for name, value in plan.attrs[s].items():
            ns[f"A{s}_{name}"] = value
        lines.append(
            f"    v{s} = " + _call(f"F{s}", [f"v{i}" for i in plan.inputs[s]], plan.attrs[s], f"A{s}")
        )
    out = plan.out_slot
    lines.append(f"    g{out} = _ones(v{out})")
    started: set[int] = set()
    for s, ports in plan.backward:
        todo = [bp for bp in ports if needs_grad[bp.source]]
        if not todo or not needs_grad[s]:
            continue
        op = plan.ops[s]
        inline = _inline_vjps(plan, s)
        if any(inline[bp.port_index] is None for bp in todo):
            lines.append(f"    x{s} = ({''.join(f'v{i}, ' for i in plan.inputs[s])})")
        for bp in todo:
            template = inline[bp.port_index]
            if template is not None:
                call = template.format(**_names(plan, s))
            else:
                ns[f"B{s}_{bp.port_index}"] = op.vjps[bp.port_index]
                call = _call(f"B{s}_{bp.port_index}", [f"g{s}", f"x{s}", f"v{s}"], plan.attrs[s], f"A{s}")
            target = f"e{bp.edge}" if train_slots is None else "c"
            lines.append(f"    {target} = {call}")
            if bp.source in started and template is not None:
                lines.append(f"    g{bp.source} = g{bp.source} + {target}")
            elif bp.source in started:
                lines.append(f"    g{bp.source} = _acc(g{bp.source}, {target})")
            else:
                lines.append(f"    g{bp.source} = {target}")
                started.add(bp.source)
    if train_slots is None:
        vals = ", ".join(f"v{s}" for s in range(n))
        grads = ", ".join(f"g{s}" if s in started or s == out else "None" for s in range(n))
        edge_slots: list[str | None] = [None] * len(plan.edges)
        for _, ports in plan.backward:
            for bp in ports:
                edge_slots[bp.edge] = f"e{bp.edge}"
        egrads = ", ".join(e or "None" for e in edge_slots)
        lines.append(f"    return [{vals}], [{grads}], [{egrads}]")
    else:
        grads = ", ".join(f"g{s}" if s in started else "None" for s in train_slots)
        lines.append(f"    return v{out}, [{grads}]")
    source = "\n".join(lines) + "\n"
    # NOTE: the source is assembled from integer slots and identifiers of registered ops only.
    exec(compile(source, "<backprop-studio plan>", "exec"), ns)
    fn = ns["_pass"]
    fn.source = source  # type: ignore[attr-defined]
    return fn


def run(doc: Document, output: str | None = None, registry: Registry = REGISTRY) -> Trace:
    """Compile and run: the forward values and backward gradients of every node and edge."""
    return compile_plan(doc, registry, output).run()
