"""Graphs of scalars and small arrays, over Python floats: most exercise sheets.

On a few numbers, numpy's per-call overhead is most of the work (a Python float adds in ~15 ns, a 0-d
array in ~500 ns), so for graphs whose values all have at most ``SMALL`` numbers the training pass is
generated over floats instead: every array split into its numbers (``v3_0``, ``v3_1`` … in C order),
every op written out number by number. A scalar op uses its float templates (``OpDef.float_forward`` /
``float_vjps``: the same formulas and conventions as the numpy functions); on arrays, a broadcasting
elementwise op uses them once per number (a broadcast port's gradient summed as ``unbroadcast`` sums
it), and a matrix product, a reduction or a loss its ``float_elements`` rule (``ElementRule``).

Agreement with the numpy pass: bit for bit where both do the same operations in the same order (every
elementwise op without ``math``; sums of a contiguous run and dot products of at most 8 numbers, which
numpy adds in the order ``element_sum`` writes). Where numpy's order differs (a sum along an axis that
is not the last, a matrix product through BLAS, which may also fuse a multiply and an add), to a few
units in the last place, i.e. ~1e-15 relative for sums of like-signed terms; ``math``'s exp, log, tanh
(the C library's) may differ from numpy's own loops in the last bit.

Like the numpy pass (``engine/compile/codegen.py``) the source holds only slot numbers, fixed names and
registered templates; attribute values enter its namespace under slot-numbered names. Where Python
refuses what numpy lets through (a division by zero, math.log(0), an overflow in exp) or a value is not
of the compiled shape, the pass hands the same values to the numpy pass, which gives numpy's inf or nan.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.compile import codegen
from engine.ops.registry import ElementRule, OpDef, Shape, broadcast_indices, element_sum

if TYPE_CHECKING:
    from engine.compile.plan import Plan

# Arrays of at most this many numbers are split into floats; a graph with a bigger one keeps numpy.
SMALL = 8
# Nor a graph of more numbers than this in all: generating and compiling the passes over floats costs
# ~100 µs per number (numpy's ~25 µs per node), which a big graph's runs repay slowly if at all.
MAX_NUMBERS = 10_000


def element_rules(plan: Plan, every: bool = False) -> list[ElementRule | None] | None:
    """By slot, each computed node's rule over floats (None for leaves, and for nodes the output does
    not need unless every); None when some node needed is too big or its op has no rule for its shapes,
    and with every (the trace) also when a rule is not exact."""
    rules: list[ElementRule | None] = [None] * len(plan.ids)
    known: dict[Any, ElementRule | None] = {}  # the same op on the same shapes has the same rule
    numbers = 0
    for s, node_id in enumerate(plan.ids):
        if not (every or plan.reaches_output[s]):
            continue
        shape = plan.shapes[node_id]
        numbers += _size(shape)
        if _size(shape) > SMALL or numbers > MAX_NUMBERS:
            return None
        if plan.ops[s].is_leaf:
            continue
        in_shapes = tuple(plan.shapes[plan.ids[i]] for i in plan.inputs[s])
        key = (plan.ops[s].id, in_shapes, shape, repr(sorted(plan.attrs[s].items())))
        if key not in known:
            known[key] = rule_for(plan.ops[s], in_shapes, shape, plan.attrs[s])
        rule = rules[s] = known[key]
        if rule is None or every and not rule.exact:
            return None
    return rules


def rule_for(
    op: OpDef, in_shapes: tuple[Shape, ...], shape: Shape, attrs: dict[str, Any]
) -> ElementRule | None:
    """The op over floats for these shapes: its float templates on scalars or, broadcasting, number by
    number; else its float_elements rule; None without either."""
    scalar = shape == () and all(s == () for s in in_shapes)
    if op.float_forward is not None and op.float_vjps is not None and (scalar or op.elementwise):
        return _broadcast_rule(op, in_shapes, shape)
    if op.float_elements is not None:
        return op.float_elements(in_shapes, shape, **attrs)
    return None


def _broadcast_rule(op: OpDef, in_shapes: tuple[Shape, ...], shape: Shape) -> ElementRule:
    """An elementwise op's float templates once per output number; the contributions to a broadcast
    input number summed in output order (numpy's unbroadcast sums them along the broadcast axes)."""
    at = [broadcast_indices(s, shape) for s in in_shapes]
    kept = {a.name: f"{{{a.name}}}" for a in op.attrs}

    def names(k: int) -> dict[str, str]:
        ports = {port: f"{{{port}[{at[i][k]}]}}" for i, port in enumerate(op.inputs)}
        return {**ports, "y": f"{{y[{k}]}}", "g": f"{{g[{k}]}}", **kept}

    size = _size(shape)
    forward = tuple(op.float_forward.format(**names(k)) for k in range(size))  # type: ignore[union-attr]
    vjps = []
    for i, template in enumerate(op.float_vjps):  # type: ignore[arg-type]
        terms: list[list[str]] = [[] for _ in range(_size(in_shapes[i]))]
        for k in range(size):
            terms[at[i][k]].append(template.format(**names(k)))
        vjps.append(tuple(t[0] if len(t) == 1 else element_sum(t) for t in terms))
    templates = op.float_forward + "".join(op.float_vjps)  # type: ignore[operator, arg-type]
    return ElementRule(forward, tuple(vjps), exact="math." not in templates)


def train_function(
    plan: Plan, params: list[int], numpy_pass: Callable[..., Any], rules: list[ElementRule | None]
) -> Callable[..., Any]:
    """fn(leaf values) -> (output as np.float64, [gradient of each slot in params, or None]), as the numpy
    pass returns them (which it runs where Python raises)."""
    needs_grad = codegen.gradient_needs(plan, params)
    code = codegen.Code()
    code.ns.update(math=math, _f64=np.float64, _array=np.array, _numpy_pass=numpy_pass)
    code.add("try:")
    for s in range(len(plan.ids)):
        if plan.reaches_output[s]:
            _forward_lines(plan, code, s, rules[s])
    out = plan.out_slot
    code.add(f"    g{out}_0 = 1.0")
    for s, ports in plan.backward:
        todo = [bp for bp in ports if needs_grad[s] and needs_grad[bp.source]]
        names = _names(plan, code, s) if todo else {}
        for bp in todo:
            templates = rules[s].vjps[bp.port_index]  # type: ignore[union-attr]
            _gradient_lines(code, bp.source, [t.format(**names) for t in templates])
    all_scalars = all(plan.shapes[n] == () for s, n in enumerate(plan.ids) if plan.reaches_output[s])
    grads = ", ".join(_packed(plan, s, all_scalars) if s in code.started else "None" for s in params)
    code.add(f"    return _f64(v{out}_0), [{grads}]")
    code.add("except (ArithmeticError, ValueError, TypeError):")
    code.add("    return _numpy_pass(V)")
    return codegen.compile_code(code)


def trace_function(
    plan: Plan, numpy_trace: Callable[..., Any], rules: list[ElementRule | None]
) -> Callable[..., Any]:
    """fn(leaf values, check) -> (values, grads, edge grads, finite): the numpy trace pass's contract
    (``codegen.trace_function``), every value and gradient computed over floats and returned as arrays.

    rules must cover every node (``element_rules(plan, every=True)``). A gradient the output does not
    give is one shared read-only zero array per shape. With check, finite is False when the sum of
    all the numbers is not finite (any NaN or Inf makes it so; an overflow of the sum is a false alarm
    the caller looks closer at).
    """
    code = codegen.Code()
    code.lines[0] = "def _pass(V, check):"
    code.ns.update(math=math, _array=np.array, _numpy_trace=numpy_trace, _isfinite=math.isfinite)
    code.add("try:")
    for s in range(len(plan.ids)):
        _forward_lines(plan, code, s, rules[s])
    out = plan.out_slot
    code.add(f"    g{out}_0 = 1.0")
    code.started.add(out)
    edges: dict[int, int] = {}  # edge index → its source slot, for the edges that carry a gradient
    for s, ports in plan.backward:
        if s not in code.started:  # nothing reached s (every node the output needs gets a gradient)
            continue
        names = _names(plan, code, s)
        for bp in ports:
            terms = [t.format(**names) for t in rules[s].vjps[bp.port_index]]  # type: ignore[union-attr]
            for j, term in enumerate(terms):
                code.add(f"    e{bp.edge}_{j} = {term}")
            _gradient_lines(code, bp.source, [f"e{bp.edge}_{j}" for j in range(len(terms))])
            edges[bp.edge] = bp.source
    _trace_returns(plan, code, edges)
    code.add("except (ArithmeticError, ValueError, TypeError):")
    code.add("    return _numpy_trace(V, check)")
    return codegen.compile_code(code)


def _trace_returns(plan: Plan, code: codegen.Code, edges: dict[int, int]) -> None:
    """The trace pass's last lines: the finiteness check over every number, and the lists as arrays."""
    n = len(plan.ids)
    numbers = [f"v{s}_{k}" for s in range(n) for k in range(_size(plan.shapes[plan.ids[s]]))]
    numbers += [f"g{s}_{k}" for s in sorted(code.started) for k in range(_size(plan.shapes[plan.ids[s]]))]
    code.add(f"    finite = _isfinite({' + '.join(numbers)}) if check else True")
    values = ", ".join(_as_array(plan, "v", s, s) for s in range(n))
    grads = ", ".join(
        _as_array(plan, "g", s, s) if s in code.started else _zero(plan, code, s) for s in range(n)
    )
    edge_grads = ", ".join(
        _as_array(plan, "e", e, edges[e]) if e in edges else _zero(plan, code, plan.slot[edge.source])
        for e, edge in enumerate(plan.edges)
    )
    code.add(f"    return [{values}], [{grads}], [{edge_grads}], finite")


def _as_array(plan: Plan, stem: str, index: int, slot: int) -> str:
    """The numbers {stem}{index}_k as an array of slot's shape (0-d for a scalar)."""
    shape = plan.shapes[plan.ids[slot]]
    numbers = [f"{stem}{index}_{k}" for k in range(_size(shape))]
    return f"_array({numbers[0] if shape == () else _nested(numbers, shape)})"


def _zero(plan: Plan, code: codegen.Code, slot: int) -> str:
    return codegen.shared_zero(code, plan.shapes[plan.ids[slot]])


def _forward_lines(plan: Plan, code: codegen.Code, s: int, rule: ElementRule | None) -> None:
    """A leaf's numbers read from V (a 0-d array, or any array by tolist); an op's computed one by one."""
    shape = plan.shapes[plan.ids[s]]
    if rule is None:  # a leaf
        if shape == ():
            code.add(f"    v{s}_0 = float(V[{s}])")
        else:
            numbers = "".join(f"v{s}_{k}, " for k in range(_size(shape)))
            code.add(f"    {numbers}= V[{s}]{'.ravel()' if len(shape) > 1 else ''}.tolist()")
        return
    names = _names(plan, code, s)
    for k, template in enumerate(rule.forward):
        code.add(f"    v{s}_{k} = {template.format(**names)}")


def _gradient_lines(code: codegen.Code, source: int, terms: list[str]) -> None:
    """The first contribution starts a gradient; later ones add to it, number by number."""
    first = source not in code.started
    code.started.add(source)
    for j, term in enumerate(terms):
        code.add(f"    g{source}_{j} = {term}" if first else f"    g{source}_{j} = g{source}_{j} + ({term})")


def _names(plan: Plan, code: codegen.Code, s: int) -> dict[str, Any]:
    """Template placeholders of node s: its ports' numbers, {y}, {g}, its attributes (namespace names)."""
    def numbers(stem: str, slot: int) -> list[str]:
        return [f"{stem}{slot}_{k}" for k in range(_size(plan.shapes[plan.ids[slot]]))]

    names: dict[str, Any] = {
        port: numbers("v", i) for port, i in zip(plan.ops[s].inputs, plan.inputs[s], strict=True)
    }
    names["y"] = numbers("v", s)
    names["g"] = numbers("g", s)
    for name, value in plan.attrs[s].items():
        code.ns[f"A{s}_{name}"] = float(value) if isinstance(value, (int, float)) else value
        names[name] = f"A{s}_{name}"
    return names


def _packed(plan: Plan, s: int, all_scalars: bool) -> str:
    """Slot s's gradient numbers as an array of its shape; for a scalar, a float: a Python float in a
    graph of scalars only (as the scalar pass always gave, ~30 ns less per gradient), else a numpy
    float64, which has .shape and .copy() as the numpy pass's 0-d results have (its callers use them)."""
    shape = plan.shapes[plan.ids[s]]
    if shape == ():
        return f"g{s}_0" if all_scalars else f"_f64(g{s}_0)"
    numbers = [f"g{s}_{k}" for k in range(_size(shape))]
    return f"_array({_nested(numbers, shape)})"


def _nested(numbers: list[str], shape: Shape) -> str:
    """A list display of the numbers in the given shape (C order)."""
    if len(shape) <= 1:
        return "[" + ", ".join(numbers) + "]"
    step = len(numbers) // shape[0]
    rows = (_nested(numbers[i : i + step], shape[1:]) for i in range(0, len(numbers), step))
    return "[" + ", ".join(rows) + "]"


def _size(shape: Shape) -> int:
    return math.prod(shape)
