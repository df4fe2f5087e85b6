"""Symbolic values and gradients (sympy) for graphs made of scalar ops.

For f(x, y) = x² + xy + (x + y)² built from + and × nodes this gives f = 2x² + 3xy + y² and
∂f/∂x = 4x + 3y. Inputs and parameters become symbols named as the user named them (their labels,
see :mod:`engine.teach.names`), constants exact rationals. Every node gets its value as an
expression of the leaves and its gradient ∂out/∂node, built by the same backward accumulation the
plan does (a node's gradient is the sum over its consumers), then simplified. A graph with a
non-scalar value or an op without a symbolic form gets no expressions but a reason naming the node.
Each op's symbolic form is the ``sympy`` rule in its record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.compile.plan import Plan
from engine.teach.formatting import Sym, unwrapped
from engine.teach.names import node_symbol, symbol_name

MAX_OPS_TO_EXPAND = 400
# sympy.simplify takes seconds to minutes on transcendental expressions past a dozen operations.
MAX_OPS_TO_SIMPLIFY = 12



@dataclass
class SymbolicResult:
    """Expressions by node id, or the reason there are none; the texts name the nodes as the user did."""

    output: str
    reason: str | None = None
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # node id → (text, TeX) name
    symbols: dict[str, Any] = field(default_factory=dict)  # leaf id → sympy Symbol (inputs, parameters)
    values: dict[str, Any] = field(default_factory=dict)  # node id → expression of the leaves
    grads: dict[str, Any] = field(default_factory=dict)  # node id → ∂output/∂node as an expression

    @property
    def ok(self) -> bool:
        return self.reason is None

    def value_text(self, node: str) -> str:
        return f"{self._bare(node).text} = {expr_text(self.values[node])}"

    def grad_text(self, node: str) -> str:
        return f"∂{self._name(self.output)[0]}/∂{self._name(node)[0]} = {expr_text(self.grads[node])}"

    def value_tex(self, node: str) -> str:
        import sympy as sp

        return f"{self._bare(node).tex} = {self._latex(sp, self.values[node])}"

    def grad_tex(self, node: str) -> str:
        import sympy as sp

        num, den = self._name(self.output)[1], self._name(node)[1]
        return rf"\frac{{\partial {num}}}{{\partial {den}}} = {self._latex(sp, self.grads[node])}"

    def _latex(self, sp: Any, expr: Any) -> str:
        """sympy's TeX with each leaf written by its TeX name (a label may hold _, &, % …)."""
        return sp.latex(expr, symbol_names={s: self._name(i)[1] for i, s in self.symbols.items()})

    def _name(self, node: str) -> tuple[str, str]:
        return self.names.get(node, (node, node))

    def _bare(self, node: str) -> Any:
        """The name standing first before "=": an expression label needs no parentheses there."""
        return unwrapped(Sym(*self._name(node)))

    def evaluate(self, exprs: dict[str, Any], values: dict[str, float]) -> dict[str, float]:
        """The expressions at the given leaf values (for checking against the numeric trace)."""
        subs = {self.symbols[k]: v for k, v in values.items() if k in self.symbols}
        return {n: float(e.subs(subs)) for n, e in exprs.items()}


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def expr_text(expr: Any) -> str:
    """A sympy expression as compact text: 4x + 3y, 2x² + 3x·y + y², exp(-x)/(1 + exp(-x))²."""
    import sympy as sp

    text = sp.sstr(expr, order="grlex")
    text = re.sub(r"\*\*(-?\d+)\b", lambda m: m.group(1).translate(_SUPERSCRIPT), text)
    text = re.sub(r"\*\*", "^", text)
    text = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)\*(?=[A-Za-z(])", r"\1", text)
    return text.replace("*", "·")


def _simplify(sp: Any, expr: Any, syms: list[Any]) -> Any:
    if not syms or expr.is_number:
        return sp.nsimplify(expr) if expr.is_number and expr.is_rational is not False else expr
    if sp.count_ops(expr) > MAX_OPS_TO_EXPAND:
        # NOTE: expanding or simplifying nested Piecewise (ReLU of ReLU …) can take minutes.
        return expr
    try:
        if expr.is_polynomial(*syms):
            return sp.expand(expr)
    except Exception:  # noqa: BLE001 - sympy may refuse the question for Piecewise and friends
        pass
    if sp.count_ops(expr) <= MAX_OPS_TO_SIMPLIFY:
        try:
            return sp.simplify(expr)
        except Exception:  # noqa: BLE001
            return expr
    return expr


MAX_SYMBOLIC_OPS = 16


def why_not_symbolic(plan: Plan) -> str | None:
    """None when every value is a scalar and every op has a symbolic form, else the reason."""
    if len(plan.forward_slots) > MAX_SYMBOLIC_OPS:
        return (
            f"the graph has {len(plan.forward_slots)} op nodes; symbolic forms are shown for up to "
            f"{MAX_SYMBOLIC_OPS} (beyond that they are too long to read)"
        )
    for node, op in zip(plan.ids, plan.ops):
        shape = plan.shapes.get(node)
        if shape is not None and int(np.prod(shape, dtype=np.int64)) != 1:
            return f"node {node!r} ({op.id}) has shape {tuple(shape)}: symbolic forms need a graph of scalars"
        if not op.is_leaf and op.symbolic_rule is None:
            return f"node {node!r}: no symbolic form for {op.id}"
    return None


def symbolic(plan: Plan, simplify: bool = True) -> SymbolicResult:
    """Every node's value and gradient as sympy expressions, or a reason why the graph has none."""
    reason = why_not_symbolic(plan)
    result = SymbolicResult(plan.output, reason)
    result.names = {n: (s.text, s.tex) for n in plan.ids for s in [node_symbol(plan.doc, n)]}
    if reason is not None:
        return result
    import sympy as sp

    values = _leaf_values(sp, plan, result.symbols)
    locals_ = _forward(sp, plan, values)
    grads = _backward(sp, plan, locals_)
    syms = list(result.symbols.values())
    tidy = (lambda e: _simplify(sp, e, syms)) if simplify else (lambda e: e)
    result.values = {n: tidy(v) for n, v in zip(plan.ids, values)}
    result.grads = {n: tidy(g) for n, g in zip(plan.ids, grads)}
    return result


def _leaf_values(sp: Any, plan: Plan, symbols: dict[str, Any]) -> list[Any]:
    """One entry per slot: constants as exact rationals, inputs and parameters as symbols (added to
    symbols), None for the op nodes."""
    values: list[Any] = [None] * len(plan.ids)
    for slot, (node, op) in enumerate(zip(plan.ids, plan.ops)):
        if op.id == "constant":
            v = plan.doc.node(node).value
            values[slot] = sp.nsimplify(float(np.asarray(v).reshape(-1)[0]), rational=True)
        elif op.is_leaf:
            values[slot] = symbols[node] = sp.Symbol(symbol_name(plan.doc, node), real=True)
    return values


def _forward(sp: Any, plan: Plan, values: list[Any]) -> list[list[Any]]:
    """Fill in the op nodes' values; return each op node's local derivatives, one per input port."""
    # NOTE: local derivatives are taken with respect to stand-in symbols for the ports, then the
    # inputs' expressions are substituted: the chain rule exactly as the plan's backward pass does it.
    locals_: list[list[Any]] = [[] for _ in plan.ids]
    for slot in plan.forward_slots:
        op = plan.ops[slot]
        ports = [sp.Symbol(f"_port{k}", real=True) for k in range(len(op.inputs))]
        local_expr = op.symbolic_rule(sp, *ports, **plan.attrs[slot])
        subs = {p: values[s] for p, s in zip(ports, plan.inputs[slot])}
        values[slot] = local_expr.subs(subs)
        locals_[slot] = [sp.diff(local_expr, p).subs(subs) for p in ports]
    return locals_


def _backward(sp: Any, plan: Plan, locals_: list[list[Any]]) -> list[Any]:
    """∂output/∂node for every slot: each node's gradient is the sum over its consumers."""
    grads: list[Any] = [sp.Integer(0)] * len(plan.ids)
    grads[plan.out_slot] = sp.Integer(1)
    for slot, ports in plan.backward:
        for bp in ports:
            grads[bp.source] = grads[bp.source] + grads[slot] * locals_[slot][bp.port_index]
    return grads
