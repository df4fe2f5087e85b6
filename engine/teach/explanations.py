"""What a step did, in symbols and in numbers: the explanations the step panel and the worked
solution show.

:func:`explain_current` explains the stepper's last step (or the update just applied): for a forward
step the op's formula in symbols and with the numbers; for a backward step the gradient that arrived,
the op's local derivative, each chain-rule product and, for a node with several consumers, the
contributions and their sum; for an update each w ← w − η·∂L/∂w. Everything it knows about an op comes
from the op's record (its formula templates, ``elementwise``, ``chain_rule`` and VJPs).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.compile.plan import BackPort, Plan
from engine.i18n import _, ngettext
from engine.ops.registry import ChainProduct, OpDef
from engine.teach.formatting import (
    EQ,
    Formula,
    Num,
    Sym,
    Typeset,
    d_tex,
    d_text,
    render_html,
    render_tex,
    render_text,
    shape_text,
    sym,
    template_parts,
    tex_name,
)
from engine.teach.names import node_name, node_symbol
from engine.teach.stepper import BACKWARD, FORWARD, ParamUpdate, Stepper, contribution_counts
from graph.document import Edge
from graph.values import format_number

START = "start"
UPDATE = "update"


@dataclass
class Line:
    """One line of an explanation: a caption and a formula (either may be empty)."""

    caption: str
    parts: Formula = field(default_factory=list)


@dataclass
class PortProduct:
    """The chain rule for one input port of a node in the backward pass."""

    port: str
    source: str
    edge: Edge
    local: Line | None
    product: Line
    value: np.ndarray | None
    contributions: list[tuple[Edge, np.ndarray]]
    total: np.ndarray | None
    expected_count: int  # how many contributions the source receives in all
    source_name: str = ""  # the source as a person names it (its label)
    via: list[Sym] = field(default_factory=list)  # per contribution: " (via x·y, port a)"

    @property
    def complete(self) -> bool:
        return len(self.contributions) >= self.expected_count


@dataclass
class StepExplanation:
    """What the current step did, in symbols and in numbers."""

    phase: str
    title: str
    node: str | None = None
    op: str | None = None
    op_name: str = ""
    formula: Line | None = None
    numbers: Line | None = None
    value: np.ndarray | None = None
    incoming: Line | None = None  # backward: the gradient that arrived at the node
    products: list[PortProduct] = field(default_factory=list)
    updates: list[ParamUpdate] = field(default_factory=list)
    update_lines: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[Line]:
        """Everything, in reading order."""
        out = [line for line in (self.formula, self.numbers, self.incoming) if line is not None]
        for p in self.products:
            if p.local is not None:
                out.append(p.local)
            out.append(p.product)
            last = [q for q in self.products if q.source == p.source][-1]
            if p.expected_count > 1 and p is last:
                out.append(contribution_line(p))
        out.extend(self.update_lines)
        out.extend(Line(n) for n in self.notes)
        return out

    def text(self, digits: int = 4) -> str:
        body = [self.title] + [_join(ln.caption, render_text(ln.parts, digits)) for ln in self.lines()]
        return "\n".join(body)

    def markdown(self, digits: int = 4) -> str:
        body = [f"**{self.title}**", ""]
        for ln in self.lines():
            math = f"${render_tex(ln.parts, digits)}$" if ln.parts else ""
            body.append("- " + _join(ln.caption, math))
        return "\n".join(body)

    def html(self, digits: int = 4, typeset: Typeset | None = None) -> str:
        """The explanation as HTML; with `typeset`, the formulas typeset (see render_html)."""
        body = [f"<h3>{html.escape(self.title)}</h3>"]
        for ln in self.lines():
            cap = f"<b>{html.escape(ln.caption)}</b> " if ln.caption else ""
            body.append(f"<p>{cap}{render_html(ln.parts, digits, typeset)}</p>")
        return "\n".join(body)



def _join(caption: str, formula: str) -> str:
    if caption and formula:
        return f"{caption}: {formula}"
    return caption or formula


def contribution_line(p: PortProduct) -> Line:
    """∂L/∂x so far: c₁ + c₂ = total (all n in), for a node with several consumers."""
    parts: Formula = []
    for i, (via, (_edge, c)) in enumerate(zip(p.via, p.contributions)):
        if i:
            parts.append(sym(" + "))
        parts += [Num(c, True), via]
    if p.total is not None and len(p.contributions) > 1:
        parts += [EQ, Num(p.total)]
    got, want = len(p.contributions), p.expected_count
    state = _("complete") if got >= want else _("{got} of {want} contributions so far").format(
        got=got, want=want)
    return Line(_("sum of contributions to {name} ({state})").format(name=p.source_name, state=state), parts)


def via_sym(doc: Any, edge: Edge) -> Sym:
    """Where a contribution comes back from, as a person names it: " (via x·y, port a)"."""
    name = node_name(doc, edge.target)
    via, port = _("via"), _("port")
    return Sym(f" ({via} {name}, {port} {edge.port})",
               r"\;(\text{" + via + r"}\ " + tex_name(name) + r",\ \text{" + port + r"}\ \text{"
               + _tex_esc(edge.port) + "})")


def _tex_esc(s: str) -> str:
    return s.replace("\\", "").replace("_", r"\_").replace("{", "").replace("}", "")


# ------------------------------------------------------------------------------------------ steps
def explain_current(stepper: Stepper) -> StepExplanation:
    """The explanation of the stepper's last step (or of the update just applied)."""
    if stepper.last_update is not None:
        return explain_update(stepper.plan, *stepper.last_update)
    step = stepper.current_step
    if step is None:
        total = stepper.progress()[1]
        return StepExplanation(
            START,
            _("Start"),
            notes=[ngettext("Only the leaves (inputs, parameters, constants) are known. {total} step: "
                            "{forward} forward, {backward} backward.",
                            "Only the leaves (inputs, parameters, constants) are known. {total} steps: "
                            "{forward} forward, {backward} backward.", total).format(
                total=total, forward=stepper.forward_count, backward=stepper.backward_count)],
        )
    phase, index = step
    if phase == FORWARD:
        return explain_forward(stepper, index)
    return explain_backward(stepper, index)


def explain_forward(stepper: Stepper, index: int) -> StepExplanation:
    """Forward step `index`: the op's formula in symbols, then with the numbers and the result."""
    plan = stepper.plan
    slot = stepper.forward_slots[index]
    node = plan.ids[slot]
    op = plan.ops[slot]
    names: dict[str, Any] = {"y": node_symbol(plan.doc, node)}
    nums: dict[str, Any] = {"y": node_symbol(plan.doc, node)}
    for port, src in zip(op.inputs, plan.inputs[slot]):
        names[port] = node_symbol(plan.doc, plan.ids[src])
        nums[port] = Num(stepper.values[src], True)
    letters, values = _letters(op, plan.attrs[slot], tuple(stepper.values[s] for s in plan.inputs[slot]))
    names.update(letters)
    nums.update(values)
    symbols = template_parts(op.formula.forward, op.formula.forward_tex, names)
    numbers = template_parts(*_numbers_templates(op.formula.forward, op.formula.forward_tex), nums)
    value = stepper.values[slot]
    if value is not None:
        numbers = numbers + [EQ, Num(value)]
    if not _has_equals(numbers[:-2] if value is not None else numbers):
        numbers = [node_symbol(plan.doc, node), EQ] + numbers
    ex = StepExplanation(
        FORWARD,
        _("Forward step {index} of {count}: {name} ({op})").format(
            index=index + 1, count=stepper.forward_count, name=node_name(plan.doc, node), op=op_name(op)),
        node=node,
        op=op.id,
        op_name=op.name,
        formula=Line(_("formula"), symbols),
        numbers=Line(_("with numbers"), numbers),
        value=None if value is None else np.asarray(value),
    )
    if plan.attrs[slot]:
        ex.notes.append(
            _("attributes: ") + ", ".join(f"{k} = {_attr_text(v)}" for k, v in plan.attrs[slot].items())
        )
    if value is not None:
        ex.notes.append(_("shape of {name}: {shape}").format(name=node_name(plan.doc, node),
                                                             shape=shape_text(value)))
    return ex


def _letters(op: OpDef, attrs: dict[str, Any], xs: tuple[Any, ...]) -> tuple[dict[str, Sym], dict[str, Any]]:
    """The formula's letters (MSE's s and n): as letters in symbols, as the node's numbers with numbers
    (as letters still while an input is not computed)."""
    letters = {k: Sym(letter.text, letter.tex or letter.text) for k, letter in op.formula.letters.items()}
    if any(x is None for x in xs):
        return letters, dict(letters)
    return letters, {k: Num(letter.value(attrs, xs)) for k, letter in op.formula.letters.items()}


def explain_backward(stepper: Stepper, index: int) -> StepExplanation:
    """Backward step `index`: the gradient that arrived, then the chain rule into each input port."""
    plan = stepper.plan
    loss = node_symbol(plan.doc, plan.output)
    ex = StepExplanation(BACKWARD, _("Backward step {index} of {count}").format(
        index=index + 1, count=stepper.backward_count))
    if not plan.backward:
        ex.node = plan.output
        ex.incoming = Line(_("the backward pass starts at the output"),
                           [_dsym(loss, loss), EQ, Num(stepper.grads[plan.out_slot])])
        return ex
    at = _BackwardNode.of(stepper, index)
    ex.node, ex.op, ex.op_name = at.node, at.op.id, at.op.name
    name = node_name(plan.doc, at.node)
    ex.title = _("{step}: {name} ({op})").format(step=ex.title, name=name, op=op_name(at.op))
    caption = (_("the backward pass starts at the output") if index == 0
               else _("gradient arrived at {name}").format(name=name))
    ex.incoming = Line(caption, [_dsym(loss, at.me), EQ, Num(at.g)])
    counts = contribution_counts(plan)
    ex.products = [_port_product(stepper, at, index, bp, counts[bp.source]) for bp in plan.backward[index][1]]
    return ex


@dataclass(frozen=True)
class _BackwardNode:
    """The node of one backward step, with what its chain-rule lines are written from."""

    plan: Plan
    slot: int
    node: str
    op: OpDef
    xs: tuple[Any, ...]  # the input values, in port order
    y: Any  # the node's value
    g: Any  # ∂L/∂y
    loss: Sym
    me: Sym

    @classmethod
    def of(cls, stepper: Stepper, index: int) -> _BackwardNode:
        plan = stepper.plan
        slot = plan.backward[index][0]
        node = plan.ids[slot]
        return cls(plan, slot, node, plan.ops[slot], tuple(stepper.values[s] for s in plan.inputs[slot]),
                   stepper.values[slot], stepper.grads[slot], node_symbol(plan.doc, plan.output),
                   node_symbol(plan.doc, node))

    def operand(self, k: int) -> Sym:
        """The name of the node feeding input port k."""
        return node_symbol(self.plan.doc, self.plan.ids[self.plan.inputs[self.slot][k]])


def _port_product(stepper: Stepper, at: _BackwardNode, index: int, bp: BackPort,
                  expected: int) -> PortProduct:
    """The chain rule into one input port, and the contributions its source has received so far."""
    plan = stepper.plan
    port = at.op.inputs[bp.port_index]
    src = plan.ids[bp.source]
    c = stepper.edge_grads[bp.edge]
    so_far = [(plan.edges[o.edge], stepper.edge_grads[o.edge])
              for _, ports in plan.backward[: index + 1] for o in ports if o.source == bp.source]
    contributions = [(e, v) for e, v in so_far if v is not None]
    return PortProduct(port, src, plan.edges[bp.edge], _local_line(at, bp.port_index),
                       _product_line(at, bp.port_index, src, c), None if c is None else np.asarray(c),
                       contributions, stepper.grads[bp.source], expected, node_name(plan.doc, src),
                       [via_sym(plan.doc, e) for e, _ in contributions])


def _local_line(at: _BackwardNode, k: int) -> Line | None:
    """The op's local derivative for input port k, as its record writes it, with the operands' own
    names put in for the ports (∂s/∂x = 1 for s = x + y): no port name stands in a formula."""
    formula = at.op.formula
    port = at.op.inputs[k]
    if port not in formula.local:
        return None
    names: dict[str, Any] = {"y": at.me, "L": at.loss}
    names.update((p, at.operand(j)) for j, p in enumerate(at.op.inputs))
    operand = node_name(at.plan.doc, at.plan.ids[at.plan.inputs[at.slot][k]])
    return Line(
        _("local derivative of {node} by {operand} (port {port})").format(
            node=node_name(at.plan.doc, at.node), operand=operand, port=port),
        template_parts(formula.local[port], formula.local_tex.get(port, ""), names),
    )


def _product_line(at: _BackwardNode, k: int, src: str, c: Any) -> Line:
    """∂L/∂u = ∂L/∂y · ∂y/∂u for input port k fed by `src`, in symbols and numbers where they fit."""
    port = at.op.inputs[k]
    caption = _("chain rule into {name} (port {port})").format(name=node_name(at.plan.doc, src), port=port)
    if c is None:
        none = _("no gradient flows into port {port}")
        tex = r"\text{" + none.format(port=_tex_esc(port)) + "}"
        return Line(caption, [Sym(none.format(port=port), tex)])
    u = node_symbol(at.plan.doc, src)
    rhs = _matrix_product(at, k) or _local_product(at, k, u)
    if rhs is None:
        note = Sym(" " + _("(vector–Jacobian product, see the local derivative)"),
                   r"\quad\text{" + _("(vector-Jacobian product)") + "}")
        return Line(caption, [_dsym(at.loss, u), EQ, _dsym(at.loss, at.me), sym(" · "), _dsym(at.me, u),
                              EQ, Num(c), note])
    return Line(caption, [_dsym(at.loss, u), EQ] + rhs + [EQ, Num(c)])


def _matrix_product(at: _BackwardNode, k: int) -> Formula | None:
    """∂L/∂y · operandᵀ or operandᵀ · ∂L/∂y, where the op's record writes its chain rule that way."""
    rule = at.op.chain_rule
    if rule is None or any(np.ndim(x) > 2 for x in at.xs):
        return None
    step: ChainProduct = rule[k]
    j = at.op.inputs.index(step.operand)
    other = _transposed_value(np.asarray(at.xs[j]), step.side)
    dot = sym(" · ")
    grad_sym, grad_num = _dsym(at.loss, at.me), Num(at.g, True)
    other_sym, other_num = _transposed(at.operand(j)), Num(other, True)
    if step.side == "left":
        return [other_sym, dot, grad_sym, EQ, other_num, dot, grad_num]
    return [grad_sym, dot, other_sym, EQ, grad_num, dot, other_num]


def _transposed_value(value: np.ndarray, side: str) -> np.ndarray:
    """An operand as it stands transposed in a product: a matrix flipped, a vector on the left a column."""
    if value.ndim == 2:
        return value.T
    if value.ndim == 1 and side == "left":
        return value[:, None]
    return value


def _local_product(at: _BackwardNode, k: int, u: Sym) -> Formula | None:
    """∂L/∂y · ∂y/∂u with the local derivative as numbers: for a scalar output, or an elementwise op
    (a diagonal Jacobian: ⊙) whose input has the output's shape; None otherwise."""
    y = np.asarray(at.y)
    diagonal = at.op.elementwise and np.asarray(at.xs[k]).shape == y.shape
    if not (y.size == 1 or diagonal):
        return None
    with np.errstate(all="ignore"):
        d = at.op.vjps[k](np.ones_like(y), at.xs, at.y, **at.plan.attrs[at.slot])
    times = sym(" ⊙ ", r" \odot ") if diagonal and y.size > 1 else sym(" · ", r" \cdot ")
    return [_dsym(at.loss, at.me), times, _dsym(at.me, u), EQ, Num(at.g, True), times, Num(d, True)]


def explain_update(plan: Plan, lr: float, updates: list[ParamUpdate]) -> StepExplanation:
    """Each parameter's w ← w − η·∂L/∂w, in symbols and numbers."""
    ex = StepExplanation(UPDATE, _("Update: w ← w − η·∂L/∂w with η = {lr}").format(lr=format_number(lr)))
    loss = node_symbol(plan.doc, plan.output)
    eta = Num(np.asarray(lr), True)
    for u in updates:
        w = node_symbol(plan.doc, u.node)
        parts: Formula = [
            w, sym(" ← ", r" \leftarrow "), w, sym(" − η · ", r" - \eta \cdot "), _dsym(loss, w), EQ,
            Num(u.old, True), sym(" − ", " - "), eta, sym(" · ", r" \cdot "), Num(u.grad, True), EQ,
            Num(u.new),
        ]
        ex.update_lines.append(Line(_("update {name}").format(name=node_name(plan.doc, u.node)), parts))
    ex.updates = updates
    if not updates:
        ex.notes.append(_("the graph has no parameter nodes: nothing to update"))
    return ex


# ------------------------------------------------------------------------------------------ helpers
def op_name(op: OpDef) -> str:
    """An op's name in the current language (the registry's English name is the message id; names
    such as ReLU or MSE are the same in every language)."""
    return _(op.name)


def op_doc(op: OpDef) -> str:
    """An op's one-line description (the palette's tooltip) in the current language."""
    return _(op.doc)


def _first_rhs(template: str) -> str:
    pieces = template.split(" = ")
    return " = ".join(pieces[:2]) if len(pieces) > 2 else template


def _numbers_templates(text: str, tex: str) -> tuple[str, str]:
    """The forward templates cut down for numbers: one right-hand side, no side remarks, no
    element subscripts on a placeholder (the whole array is substituted)."""
    text = re.sub(r"\s{2,}\(.*$", "", text)
    text = _first_rhs(re.sub(r",\s+[^,=]*=.*$", "", text))
    text = re.sub(r"(\{\w+\})[ᵢⱼₖ]", r"\1", text)
    tex = _first_rhs(re.sub(r",\s*\\quad.*$", "", tex))
    tex = re.sub(r"(\{\w+\})_[ijk]", r"\1", tex)
    return text, tex


def _dsym(num: Sym, den: Sym) -> Sym:
    return Sym(d_text(num.text, den.text), d_tex(num.tex, den.tex))


def _transposed(name: Sym) -> Sym:
    return Sym(name.text + "ᵀ", name.tex + r"^{\top}")


def _has_equals(parts: Formula) -> bool:
    return any(isinstance(p, Sym) and "=" in p.text for p in parts)


def _attr_text(v: Any) -> str:
    if isinstance(v, float):
        return format_number(v)
    return str(v)
