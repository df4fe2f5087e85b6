"""Straight-line Python for a plan's two passes, generated once per graph version.

Two variants share the same per-node lines:

- the *trace* pass (``trace_function``) computes every node's value, every edge's gradient
  contribution and every node's total gradient;
- the *train* pass (``train_function``) computes only the values the output needs and only the
  gradients on a path from a parameter, and returns the output and the parameters' gradients.

Security: the source is assembled from integer slot numbers, fixed local names (``v3``, ``g3``, ``e7``)
and the expression templates of registered ops only. Op functions and attribute values enter the
generated function's namespace as objects under slot-numbered names (``F3``, ``A3_alpha``), so no text
from the graph file (ids, labels, attribute values) ever reaches the source.
"""

from __future__ import annotations

import contextvars
import gc
import math
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from engine.compile.plan import BackPort, Plan


def accumulate(total: Any, contribution: Any) -> Any:
    """Add a gradient contribution to a running total; None stands for "nothing yet"."""
    if total is None:
        return contribution
    if contribution is None:
        return total
    return total + contribution


@dataclass
class Code:
    """A pass being assembled: its lines, the objects they refer to, the gradients begun so far."""

    lines: list[str] = field(default_factory=lambda: ["def _pass(V):"])
    ns: dict[str, Any] = field(
        default_factory=lambda: {"_acc": accumulate, "_ones": np.ones_like, "_zero": np.zeros_like, "np": np}
    )
    started: set[int] = field(default_factory=set)
    shapes: list[tuple[int, ...]] | None = None  # by slot, when not the plan's (batched rows)
    mean_over: int | None = None  # slot of stacked rows whose count the output is divided by
    maybe_none: dict[str, int] = field(default_factory=dict)  # variable → slot whose shape its zeros take
    # slot → slot whose gradient array is its own gradient (its one contribution passed on as it came,
    # an add's): the finiteness check looks at that array once
    same: dict[int, int] = field(default_factory=dict)
    single: set[int] | None = None  # the slots that get one gradient contribution, once asked

    def add(self, line: str) -> None:
        self.lines.append("    " + line)


def trace_function(plan: Plan) -> Callable[..., Any]:
    """fn(leaf values, check) -> (values, grads, edge grads, finite), the lists by slot or edge index.

    The lists are final (values are arrays; a node or edge the output does not depend on has a zero
    gradient of its shape). With check, finite is False when some value or gradient may be NaN or ±Inf
    (``_finite_lines``); the caller then looks closer. Without, finite is True.
    """
    n = len(plan.ids)
    code = Code()
    code.lines[0] = "def _pass(V, check):"
    code.ns.update(
        _asarray=np.asarray, _zero=np.zeros_like, _cat=np.concatenate, _dot=np.dot, _fsum=math.fsum,
        _isfinite=math.isfinite,
    )
    _forward_lines(plan, code, needs_value=[True] * n)
    _backward_lines(plan, code, needs_grad=list(plan.reaches_output), per_edge=True)
    for name, slot in code.maybe_none.items():  # an op's VJP may give None (no gradient): zeros instead
        code.add(f"{name} = _zero(v{slot}) if {name} is None else {name}")
    _trace_results(plan, code)
    return compile_code(code)


def _trace_results(plan: Plan, code: Code) -> None:
    """The trace pass's last lines: the finiteness check and the returned lists."""
    n = len(plan.ids)
    has_grad = [s in code.started or s == plan.out_slot for s in range(n)]
    values, grads = _to_check(plan, has_grad)
    _once_per_array(grads, code.same)
    checked = [f"v{s}" for s in range(n) if values[s]] + [f"g{s}" for s in range(n) if grads[s]]
    _finite_lines(plan, code, checked)
    zero = [shared_zero(code, plan.shapes[node_id]) for node_id in plan.ids]
    grads = ", ".join(f"g{s}" if has_grad[s] else zero[s] for s in range(n))
    code.add(f"return [{_value_list(plan)}], [{grads}], [{_edge_list(plan, code)}], finite")


def _to_check(plan: Plan, has_grad: list[bool]) -> tuple[list[bool], list[bool]]:
    """By slot, whether the finiteness check must look at the value, and at the gradient.

    Not where another array of the check would show a NaN or Inf of it (ops with ``keeps_non_finite``):
    a value one such node consumes (that node's value carries it, and is checked or, by the same rule
    from the last slot back, shown in turn); the gradient of such a node, or of one whose op has
    ``keeps_non_finite_gradient`` (it flows into its inputs' gradients, sums holding this node's
    contribution, checked or shown in turn from the first slot on).
    A chain of mul, add and tanh checks its tanh inputs' values and its leaves' and tanh's gradients.
    """
    keeps = [op.keeps_non_finite for op in plan.ops]
    shown = [False] * len(plan.ids)
    for s, sources in enumerate(plan.inputs):
        if keeps[s]:
            for i in sources:
                shown[i] = True
    values = [not x for x in shown]
    keeps_grad = [k or op.keeps_non_finite_gradient for k, op in zip(keeps, plan.ops)]
    grads = [g and not (keeps_grad[s] and plan.inputs[s]) for s, g in enumerate(has_grad)]
    return values, grads


def _once_per_array(check: list[bool], same: dict[int, int]) -> None:
    """Keep the first slot to be checked among those sharing one gradient array (``Code.same``)."""
    seen: set[int] = set()
    for s in range(len(check)):
        root = s
        while root in same:
            root = same[root]
        if check[s]:
            check[s] = root not in seen
            seen.add(root)


def shared_zero(code: Code, shape: tuple[int, ...]) -> str:
    """The name of one read-only array of zeros of this shape in the pass's namespace: every gradient
    the output does not give shares it (a 5,000-node graph made ~11,000 zero arrays per run)."""
    name = "Z" + "_".join(str(d) for d in shape)
    if name not in code.ns:
        zero = np.zeros(shape)
        zero.flags.writeable = False
        code.ns[name] = zero
    return name


def _value_list(plan: Plan) -> str:
    """The values, as arrays: a template on 0-d arrays gives a numpy scalar, made a 0-d array again."""
    return ", ".join(
        f"_asarray(v{s})" if plan.shapes.get(node_id) == () and plan.ops[s].inline_forward else f"v{s}"
        for s, node_id in enumerate(plan.ids)
    )


def _edge_list(plan: Plan, code: Code) -> str:
    """Each edge's gradient: its variable where the backward pass made one, else zeros of its value."""
    names = [shared_zero(code, plan.shapes[e.source]) for e in plan.edges]
    for _, ports in plan.backward:
        for bp in ports:
            names[bp.edge] = f"e{bp.edge}"
    return ", ".join(names)


# An array up to this size is copied into the one flat buffer checked at once; a bigger one is checked
# where it lies (copying it would cost more than a call).
_SMALL = 256


def _finite_lines(plan: Plan, code: Code, names: list[str]) -> None:
    """The lines that set finite: False when some number of these variables (``v3``, ``g3``) may be NaN
    or ±Inf, in one C-level pass per group of them (per array if big).

    0-d ones: summed as floats, where a NaN or Inf anywhere makes the sum non-finite. Arrays: the dot
    product of their numbers with themselves, where likewise any NaN or Inf gives NaN or Inf; the small
    ones concatenated first, each raveled where it is named (concatenating 1-D arrays along their axis
    costs numpy less than flattening them as it goes, and a call of a checking function costs more than
    these lines: 1.0 µs against 2.0 µs for W2's 8 arrays). False can be a false alarm (finite numbers
    over about 1e154): the caller then checks array by array (``Trace.check_finite``). A value not of
    its node's shape, or a sum of floats that overflows, raises: the caller then walks node by node.
    """
    scalars, small, tests = [], [], []
    for name in names:
        shape = plan.shapes[plan.ids[int(name[1:])]]
        if shape == ():
            scalars.append(name)
        elif int(np.prod(shape)) <= _SMALL:
            small.append(name if len(shape) == 1 else f"{name}.ravel()")
        else:
            tests.append(f"_isfinite(_dot({name}.ravel(), {name}.ravel()))")
    if small:
        tests.insert(0, "_isfinite(flat.dot(flat))")
    if scalars:
        total = scalars[0] if len(scalars) == 1 else f"_fsum(({''.join(f'{name}, ' for name in scalars)}))"
        tests.insert(0, f"_isfinite({total})")
    code.add("finite = True")
    if tests:
        code.add("if check:")
        if small:
            code.add(f"    flat = _cat(({''.join(f'{name}, ' for name in small)}))")
        code.add(f"    finite = {' and '.join(tests)}")


def train_function(
    plan: Plan, params: list[int], shapes: list[tuple[int, ...]] | None = None, mean_over: int | None = None
) -> Callable[..., Any]:
    """fn(leaf values) -> (output value, [gradient of each slot in params, None if it has none]).

    For stacked rows (``engine/compile/batch.py``): shapes are the batched shapes by slot, and with
    mean_over (a slot holding rows) the output is made the mean over the rows, gradients included.
    """
    # Only ancestors of the output are computed, and only grads on a path from a parameter.
    needs_grad = gradient_needs(plan, params)
    code = Code(shapes=shapes, mean_over=mean_over)
    _forward_lines(plan, code, needs_value=list(plan.reaches_output))
    _backward_lines(plan, code, needs_grad=needs_grad, per_edge=False)
    grads = ", ".join(f"g{s}" if s in code.started else "None" for s in params)
    out = f"v{plan.out_slot}" if mean_over is None else f"v{plan.out_slot}.sum() / n"
    code.add(f"return {out}, [{grads}]")
    return compile_code(code)


def gradient_needs(plan: Plan, params: list[int]) -> list[bool]:
    """By slot: whether the training pass needs its gradient (on a path from a parameter to the output)."""
    chosen = set(params)
    from_param = [False] * len(plan.ids)
    for s in range(len(plan.ids)):
        from_param[s] = s in chosen or any(from_param[i] for i in plan.inputs[s])
    return [a and b for a, b in zip(plan.reaches_output, from_param, strict=True)]


_quiet = threading.local()


def run_quietly(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args) with numpy's floating-point warnings off, as under ``np.errstate(all="ignore")``.

    Entering np.errstate costs ~0.7 µs, 5% of a small graph's trace; this runs fn in a context made
    once per thread in which numpy's error state is "ignore" (~0.05 µs). The context is a copy of the
    thread's first caller's, so fn must only compute (a generated pass does). Entered twice at once (fn
    calling run_quietly), it raises RuntimeError: the callers fall back to the node-by-node walk.
    """
    context = getattr(_quiet, "context", None)
    if context is None:
        context = _quiet.context = contextvars.copy_context()
        context.run(np.seterr, all="ignore")
    return context.run(fn, *args)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a while (compiling a plan, generating a pass).

    They allocate objects by the hundred thousand on a big graph, none in a reference cycle, and every
    full collection they trigger walks the whole graph again: half of compile_plan's time at 100,000
    nodes. Nothing is lost: the collector catches up when it is back on.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def compile_code(code: Code) -> Callable[..., Any]:
    source = "\n".join(code.lines) + "\n"
    # NOTE: the source is assembled from integer slots and identifiers of registered ops only.
    with collector_paused():
        exec(compile(source, "<backprop-studio plan>", "exec"), code.ns)
    fn = code.ns.pop("_pass")  # not left in its own globals: no reference cycle keeps it alive
    fn.source = source  # type: ignore[attr-defined]
    return fn


# ----- forward: one line per computed node
def _forward_lines(plan: Plan, code: Code, needs_value: list[bool]) -> None:
    for s in range(len(plan.ids)):
        if needs_value[s]:
            code.add(f"v{s} = " + _forward_expression(plan, code, s))


def _forward_expression(plan: Plan, code: Code, s: int) -> str:
    """A leaf is read from V; an op is its inline template where it has one, else a call of its function."""
    op = plan.ops[s]
    if op.is_leaf:
        return f"V[{s}]"
    if op.inline_forward is not None and not op.attrs:
        return op.inline_forward.format(**names(plan, s))
    code.ns[f"F{s}"] = op.forward
    for name, value in plan.attrs[s].items():
        code.ns[f"A{s}_{name}"] = value
    return _call(f"F{s}", [f"v{i}" for i in plan.inputs[s]], plan.attrs[s], f"A{s}")


# ----- backward: the output's seed, then each step's contributions, summed into their sources
def _backward_lines(plan: Plan, code: Code, needs_grad: list[bool], per_edge: bool) -> None:
    """per_edge keeps each contribution in its own edge variable (the trace reports them)."""
    out = plan.out_slot
    if code.mean_over is None:
        code.add(f"g{out} = _ones(v{out})")
    else:
        code.add(f"n = len(V[{code.mean_over}])")
        code.add(f"g{out} = _ones(v{out}) / n")
    for s, ports in plan.backward:
        todo = [bp for bp in ports if needs_grad[bp.source]]
        if todo and needs_grad[s]:
            _backward_step_lines(plan, code, s, todo, per_edge)


def _backward_step_lines(plan: Plan, code: Code, s: int, todo: list[BackPort], per_edge: bool) -> None:
    """Node s's contributions to the ports in todo: inline templates where they apply, else its VJPs."""
    if f"g{s}" in code.maybe_none:  # all that reached s may have been "no gradient" (a class index)
        code.add(f"g{s} = _zero(v{s}) if g{s} is None else g{s}")
    inline = _inline_vjps(plan, code, s)
    if any(inline[bp.port_index] is None for bp in todo):
        code.add(f"x{s} = ({''.join(f'v{i}, ' for i in plan.inputs[s])})")
    known = {**names(plan, s), **_attr_names(plan, code, s)}
    for bp in todo:
        template, call = _first_template(inline[bp.port_index], known)
        if template is None:
            code.ns[f"B{s}_{bp.port_index}"] = plan.ops[s].vjps[bp.port_index]
            call = _call(f"B{s}_{bp.port_index}", [f"g{s}", f"x{s}", f"v{s}"], plan.attrs[s], f"A{s}")
            code.maybe_none.update({f"e{bp.edge}": bp.source, f"g{bp.source}": bp.source})
        target = f"e{bp.edge}" if per_edge else "c"
        if template == "{g}" and bp.source in _single(plan, code):
            code.same[bp.source] = s
        code.add(f"{target} = {call}")
        code.add(_sum_line(code, bp.source, target, plain=template is not None))
        if template is not None:  # the variable holds it until the step's next contribution
            known[f"d_{plan.ops[s].inputs[bp.port_index]}"] = target


def _first_template(templates: str | tuple[str, ...] | None, known: dict[str, str]) -> tuple[Any, str]:
    """The first of a port's templates whose placeholders are all known, and it filled in; (None, "")
    when there is none (the VJP is called). A ``{d_<port>}`` is known once this step's contribution to
    that port has been computed by a template."""
    for template in (templates,) if isinstance(templates, str) else templates or ():
        try:
            return template, template.format_map(known)
        except KeyError:
            continue
    return None, ""


def _single(plan: Plan, code: Code) -> set[int]:
    """The slots that receive exactly one gradient contribution in the backward pass."""
    if code.single is None:
        count: dict[int, int] = {}
        for _, ports in plan.backward:
            for bp in ports:
                count[bp.source] = count.get(bp.source, 0) + 1
        code.single = {s for s, c in count.items() if c == 1}
    return code.single


def _sum_line(code: Code, source: int, target: str, plain: bool) -> str:
    """The first contribution starts a gradient; later ones add to it (an op's function may give None)."""
    if source not in code.started:
        code.started.add(source)
        return f"g{source} = {target}"
    if plain:
        return f"g{source} = g{source} + {target}"
    return f"g{source} = _acc(g{source}, {target})"


# ----- shared pieces
def _call(fn: str, args: list[str], attrs: dict[str, Any], prefix: str) -> str:
    kw = "".join(f", {name}={prefix}_{name}" for name in attrs)
    return f"{fn}({', '.join(args)}{kw})"


def names(plan: Plan, s: int) -> dict[str, str]:
    """Template placeholders → local variable names of node s (ports, {y}, {g})."""
    names = {port: f"v{i}" for port, i in zip(plan.ops[s].inputs, plan.inputs[s], strict=True)}
    names["y"] = f"v{s}"
    names["g"] = f"g{s}"
    return names


def _attr_names(plan: Plan, code: Code, s: int) -> dict[str, str]:
    """Template placeholders of node s's attributes → their slot-numbered names in the namespace."""
    for name, value in plan.attrs[s].items():
        code.ns[f"A{s}_{name}"] = value
    return {name: f"A{s}_{name}" for name in plan.attrs[s]}


def _inline_vjps(plan: Plan, code: Code, s: int) -> tuple[str | tuple[str, ...] | None, ...]:
    """The op's VJP templates for node s, where its shapes allow them (else None per port)."""
    op = plan.ops[s]
    none = (None,) * len(op.inputs)
    if op.inline_vjps is None:
        return none
    if code.shapes is not None:
        return op.inline_vjps(tuple(code.shapes[i] for i in plan.inputs[s]), code.shapes[s], **plan.attrs[s])
    shapes = [plan.shapes.get(plan.ids[i]) for i in plan.inputs[s]]
    out = plan.shapes.get(plan.ids[s])
    if out is None or any(sh is None for sh in shapes):
        return none
    return op.inline_vjps(tuple(shapes), out, **plan.attrs[s])
