"""Stepping through backprop one node at a time: a cursor over the same plan the engine runs.

:class:`Stepper` walks ``plan.forward_slots`` and then ``plan.backward`` with exactly
``plan.forward_node`` / ``plan.backward_node``, so a stepped run and ``plan.run()`` agree bit for bit.
Every step records what it overwrote, so ``undo_step`` undoes it exactly, and returns the ids it
changed (:class:`Changed`) so the canvas repaints only those. ``explain_current`` says what the last
step did (the formula in symbols and in numbers, the op's local derivative, each chain-rule product
and, for a node with several consumers, the contributions and their sum); ``questions`` and ``check``
let a student type the next step's result before revealing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.compile.plan import Plan, Trace
from engine.teach.formatting import (
    EQ,
    Formula,
    Num,
    Sym,
    d_tex,
    d_text,
    render_html,
    render_tex,
    render_text,
    sym,
    template_parts,
    tex_name,
    text_name,
)
from graph.document import Edge
from graph.values import BadValue, format_number, parse_value

FORWARD = "forward"
BACKWARD = "backward"
DONE = "done"
START = "start"
UPDATE = "update"


@dataclass
class Changed:
    """What one step (or several) changed: node ids and edges to repaint."""

    nodes: list[str] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def merge(self, other: Changed | None) -> Changed:
        if other is not None:
            self.nodes += [n for n in other.nodes if n not in self.nodes]
            self.edges += [e for e in other.edges if e not in self.edges]
        return self

    def __bool__(self) -> bool:
        return bool(self.nodes or self.edges)


@dataclass
class _Record:
    """What one step overwrote, for an exact undo."""

    phase: str
    index: int
    values: list[tuple[int, Any]] = field(default_factory=list)
    grads: list[tuple[int, Any]] = field(default_factory=list)
    edge_grads: list[tuple[int, Any]] = field(default_factory=list)
    changed: Changed = field(default_factory=Changed)


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

    @property
    def complete(self) -> bool:
        return len(self.contributions) >= self.expected_count


@dataclass
class ParamUpdate:
    node: str
    old: np.ndarray
    grad: np.ndarray
    new: np.ndarray


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
        out: list[Line] = []
        for line in (self.formula, self.numbers, self.incoming):
            if line is not None:
                out.append(line)
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

    def html(self, digits: int = 4) -> str:
        import html as _html

        body = [f"<h3>{_html.escape(self.title)}</h3>"]
        for ln in self.lines():
            cap = f"<b>{_html.escape(ln.caption)}</b> " if ln.caption else ""
            body.append(f"<p>{cap}{render_html(ln.parts, digits)}</p>")
        return "\n".join(body)


def _join(caption: str, formula: str) -> str:
    if caption and formula:
        return f"{caption}: {formula}"
    return caption or formula


def contribution_line(p: PortProduct) -> Line:
    """∂L/∂x so far: c₁ + c₂ = total (all n in), for a node with several consumers."""
    parts: Formula = []
    for i, (e, c) in enumerate(p.contributions):
        if i:
            parts.append(sym(" + "))
        parts.append(Num(c, True))
        parts.append(Sym(f" (via {e.target}.{e.port})", r"\;\text{\small(via " + _tex_esc(e.target)
                         + "." + _tex_esc(e.port) + ")}"))
    if p.total is not None and len(p.contributions) > 1:
        parts += [EQ, Num(p.total)]
    got, want = len(p.contributions), p.expected_count
    state = "complete" if got >= want else f"{got} of {want} contributions so far"
    return Line(f"sum of contributions to {p.source} ({state})", parts)


def _tex_esc(s: str) -> str:
    return s.replace("\\", "").replace("_", r"\_").replace("{", "").replace("}", "")


@dataclass(frozen=True)
class Question:
    """Something the student may compute before the next step reveals it."""

    key: str
    label: str
    expected: np.ndarray


@dataclass(frozen=True)
class Verdict:
    ok: bool
    expected: np.ndarray
    given: np.ndarray | None
    message: str


@dataclass
class Score:
    """Right and wrong answers over a session (kept across resets)."""

    right: int = 0
    wrong: int = 0
    history: list[tuple[str, bool]] = field(default_factory=list)

    def summary(self) -> str:
        total = self.right + self.wrong
        if not total:
            return "no answers checked yet"
        return f"{self.right} right, {self.wrong} wrong out of {total}"


def answers_match(given: np.ndarray, expected: np.ndarray, tol: float) -> bool:
    """Element by element |given − expected| ≤ tol · max(1, |expected|); shapes must hold as many."""
    g = np.asarray(given, dtype=np.float64).reshape(-1)
    e = np.asarray(expected, dtype=np.float64).reshape(-1)
    if g.size != e.size:
        return False
    return bool(np.all(np.abs(g - e) <= tol * np.maximum(1.0, np.abs(e))))


class Stepper:
    """A cursor over a plan: forward one node at a time, then backward one node at a time."""

    def __init__(self, plan: Plan, values: list[Any] | None = None) -> None:
        self.plan = plan
        self._leaves = list(plan.leaf_values() if values is None else values)
        self._forward = plan.forward_slots
        self.score = Score()
        self.last_update: tuple[float, list[ParamUpdate]] | None = None
        self.reset()

    # ----- state
    def reset(self) -> Changed:
        """Back to the start: only the leaves are known."""
        n = len(self.plan.ids)
        self.values: list[Any] = list(self._leaves) + [None] * (n - len(self._leaves))
        for s in self._forward:
            self.values[s] = None
        self.grads: list[Any] = [None] * n
        self.edge_grads: list[Any] = [None] * len(self.plan.edges)
        self.forward_done = 0
        self.backward_done = 0
        self._history: list[_Record] = []
        self.last_update = None
        return Changed(list(self.plan.ids), list(self.plan.edges))

    @property
    def backward_count(self) -> int:
        # NOTE: with no backward step (the output is a leaf) there is still the seed ∂L/∂L = 1.
        return max(1, len(self.plan.backward))

    @property
    def phase(self) -> str:
        """The phase of the next step: "forward", "backward" or "done"."""
        if self.forward_done < len(self._forward):
            return FORWARD
        if self.backward_done < self.backward_count:
            return BACKWARD
        return DONE

    @property
    def at_start(self) -> bool:
        return not self._history

    @property
    def current(self) -> str | None:
        """The node the last step computed (None at the start)."""
        if not self._history:
            return None
        rec = self._history[-1]
        return self._step_node(rec.phase, rec.index)

    @property
    def current_step(self) -> tuple[str, int] | None:
        """(phase, index) of the last step taken."""
        if not self._history:
            return None
        return self._history[-1].phase, self._history[-1].index

    def _step_node(self, phase: str, index: int) -> str:
        if phase == FORWARD:
            return self.plan.ids[self._forward[index]]
        if self.plan.backward:
            return self.plan.ids[self.plan.backward[index][0]]
        return self.plan.output

    @property
    def upcoming(self) -> str | None:
        """The node the next step will compute (None when everything is done)."""
        phase = self.phase
        if phase == FORWARD:
            return self._step_node(FORWARD, self.forward_done)
        if phase == BACKWARD:
            return self._step_node(BACKWARD, self.backward_done)
        return None

    def progress(self) -> tuple[int, int]:
        """(steps taken, steps in all)."""
        return len(self._history), len(self._forward) + self.backward_count

    def trace(self) -> Trace:
        """The trace so far; entries not computed yet are None. When everything is done, nodes that do
        not reach the output get zero gradients, exactly as plan.run() gives them."""
        vals, grads, egrads = list(self.values), list(self.grads), list(self.edge_grads)
        if self.phase == DONE:
            grads = [np.zeros_like(v) if g is None else g for g, v in zip(grads, vals)]
            egrads = [
                np.zeros_like(vals[self.plan.slot[e.source]]) if g is None else g
                for g, e in zip(egrads, self.plan.edges)
            ]
        return Trace(self.plan, vals, grads, egrads)

    # ----- moving
    def _apply(self, phase: str, index: int, values: list[Any], grads: list[Any], egrads: list[Any],
               record: _Record | None) -> Changed:
        """Do one step on the given lists; with a record, note what it overwrote."""
        plan = self.plan
        changed = Changed()
        if phase == FORWARD:
            slot = self._forward[index]
            if record is not None:
                record.values.append((slot, values[slot]))
            plan.forward_node(slot, values)
            changed.nodes.append(plan.ids[slot])
            changed.edges += [e for e in plan.edges if e.source == plan.ids[slot]]
            return changed
        if index == 0:
            out = plan.out_slot
            if record is not None:
                record.grads.append((out, grads[out]))
            grads[out] = np.ones_like(values[out])
            changed.nodes.append(plan.output)
        if plan.backward:
            slot, ports = plan.backward[index]
            if record is not None:
                record.grads += [(bp.source, grads[bp.source]) for bp in ports]
                record.edge_grads += [(bp.edge, egrads[bp.edge]) for bp in ports]
            filled = plan.backward_node(index, values, grads, egrads)
            changed.nodes += [plan.ids[slot]] if plan.ids[slot] not in changed.nodes else []
            for bp in ports:
                if plan.ids[bp.source] not in changed.nodes:
                    changed.nodes.append(plan.ids[bp.source])
            changed.edges += [plan.edges[i] for i in filled]
        return changed

    def _step(self, phase: str) -> Changed:
        index = self.forward_done if phase == FORWARD else self.backward_done
        record = _Record(phase, index)
        record.changed = self._apply(phase, index, self.values, self.grads, self.edge_grads, record)
        self._history.append(record)
        if phase == FORWARD:
            self.forward_done += 1
        else:
            self.backward_done += 1
        self.last_update = None
        return record.changed

    def step_forward(self) -> Changed | None:
        """Compute the next node's value; None when the forward pass is already complete."""
        if self.phase != FORWARD:
            return None
        return self._step(FORWARD)

    def undo_step(self) -> Changed | None:
        """Undo the last step exactly; None at the start."""
        if not self._history:
            return None
        rec = self._history.pop()
        for slot, old in reversed(rec.values):
            self.values[slot] = old
        for slot, old in reversed(rec.grads):
            self.grads[slot] = old
        for i, old in reversed(rec.edge_grads):
            self.edge_grads[i] = old
        if rec.phase == FORWARD:
            self.forward_done -= 1
        else:
            self.backward_done -= 1
        self.last_update = None
        return rec.changed

    def run_forward(self) -> Changed:
        """Finish the forward pass."""
        changed = Changed()
        while self.phase == FORWARD:
            changed.merge(self._step(FORWARD))
        return changed

    def step_backward(self) -> Changed | None:
        """One backward step (finishing the forward pass first if needed); None when all is done."""
        changed = self.run_forward()
        if self.phase != BACKWARD:
            return changed or None
        return changed.merge(self._step(BACKWARD))

    def run_backward(self) -> Changed:
        """Finish the forward and the backward pass."""
        changed = self.run_forward()
        while self.phase == BACKWARD:
            changed.merge(self._step(BACKWARD))
        return changed

    def parameters(self) -> list[str]:
        return [self.plan.ids[s] for s in self.plan.slots_of("parameter")]

    def apply_update(self, lr: float) -> dict[str, np.ndarray]:
        """w ← w − η·∂L/∂w for every parameter (running what is left first); returns the new values.

        The stepper's own state is left as it is: writing the values into the document (undoably,
        with graph.edits.SetValue) is the caller's job, and a new stepper follows from the new document.
        """
        self.run_backward()
        updates = []
        result: dict[str, np.ndarray] = {}
        for slot in self.plan.slots_of("parameter"):
            node = self.plan.ids[slot]
            old = np.asarray(self.values[slot], dtype=np.float64)
            grad = self.grads[slot]
            grad = np.zeros_like(old) if grad is None else np.asarray(grad, dtype=np.float64)
            new = old - lr * grad
            result[node] = new
            updates.append(ParamUpdate(node, old, grad, new))
        self.last_update = (float(lr), updates)
        return result

    # ----- check my answer
    def _preview(self) -> tuple[list[Any], list[Any], list[Any]] | None:
        phase = self.phase
        if phase == DONE:
            return None
        vals, grads, egrads = list(self.values), list(self.grads), list(self.edge_grads)
        index = self.forward_done if phase == FORWARD else self.backward_done
        self._apply(phase, index, vals, grads, egrads, None)
        return vals, grads, egrads

    def questions(self) -> list[Question]:
        """What the next step will reveal: a node's value, or each edge's gradient contribution and,
        where that completes a sum of several, the source's total gradient."""
        preview = self._preview()
        if preview is None:
            return []
        vals, grads, egrads = preview
        plan = self.plan
        if self.phase == FORWARD:
            slot = self._forward[self.forward_done]
            n = plan.ids[slot]
            return [Question(f"value:{n}", f"value of {n}", np.asarray(vals[slot]))]
        out: list[Question] = []
        if self.backward_done == 0:
            out.append(Question(f"grad:{plan.output}", f"∂{plan.output}/∂{plan.output}",
                                np.asarray(grads[plan.out_slot])))
        if not plan.backward:
            return out
        slot, ports = plan.backward[self.backward_done]
        name = plan.output
        for bp in ports:
            c = egrads[bp.edge]
            if c is None:
                continue
            e = plan.edges[bp.edge]
            out.append(Question(f"edge:{e.source}>{e.target}.{e.port}",
                                f"∂{name}/∂{e.source} via {e.target}.{e.port}", np.asarray(c)))
        counts = self._contribution_counts()
        for bp in ports:
            src = plan.ids[bp.source]
            if counts[bp.source] > 1 and self._arrived(bp.source, self.backward_done) == counts[bp.source]:
                key = f"grad:{src}"
                if all(q.key != key for q in out):
                    out.append(Question(key, f"∂{name}/∂{src} (total)", np.asarray(grads[bp.source])))
        return out

    def check(self, key: str, answer: Any, tol: float = 1e-3) -> Verdict:
        """Compare a typed answer with what the next step will give; counts it in the score."""
        wanted = {q.key: q for q in self.questions()}
        if key not in wanted:
            raise KeyError(f"nothing to check for {key!r} at this step")
        expected = wanted[key].expected
        try:
            given = parse_value(answer) if isinstance(answer, str) else np.asarray(answer, dtype=np.float64)
        except BadValue as err:
            return Verdict(False, expected, None, f"could not read the answer: {err}")
        ok = answers_match(given, expected, tol)
        if ok:
            self.score.right += 1
        else:
            self.score.wrong += 1
        self.score.history.append((key, ok))
        from engine.teach.formatting import text_value

        if ok:
            message = f"right: {wanted[key].label} = {text_value(expected)}"
        elif np.asarray(given).size != expected.size:
            message = (f"wrong: {wanted[key].label} has {expected.size} element(s), "
                       f"the answer {np.asarray(given).size}; it is {text_value(expected)}")
        else:
            message = f"wrong: {wanted[key].label} = {text_value(expected)} (tolerance {format_number(tol)})"
        return Verdict(ok, expected, given, message)

    # ----- explaining
    def _contribution_counts(self) -> list[int]:
        counts = [0] * len(self.plan.ids)
        for _, ports in self.plan.backward:
            for bp in ports:
                counts[bp.source] += 1
        return counts

    def _arrived(self, source: int, upto: int) -> int:
        """How many contributions to `source` the backward steps 0..upto bring."""
        return sum(1 for _, ports in self.plan.backward[: upto + 1] for bp in ports if bp.source == source)

    def name(self, node: str) -> Sym:
        """How a node is named in formulas: its label when that is a short name (ŷ, a₁), else its id."""
        label = self.plan.doc.node(node).label if node in self.plan.doc else None
        title = label if label and len(label) <= 8 and not re.search(r"[\s=·(),]", label) else node
        return Sym(text_name(title), tex_name(title))

    def explain_current(self) -> StepExplanation:
        """The explanation of the last step taken (or of the update just applied)."""
        if self.last_update is not None:
            return self.explain_update(*self.last_update)
        if not self._history:
            total = self.progress()[1]
            return StepExplanation(
                START,
                "Start",
                notes=[f"Only the leaves (inputs, parameters, constants) are known. {total} steps: "
                       f"{len(self._forward)} forward, {self.backward_count} backward."],
            )
        rec = self._history[-1]
        if rec.phase == FORWARD:
            return self.explain_forward(rec.index)
        return self.explain_backward(rec.index)

    def explain_forward(self, index: int) -> StepExplanation:
        plan = self.plan
        slot = self._forward[index]
        node = plan.ids[slot]
        op = plan.ops[slot]
        names: dict[str, Any] = {"y": self.name(node)}
        nums: dict[str, Any] = {"y": self.name(node)}
        for port, src in zip(op.inputs, plan.inputs[slot]):
            names[port] = self.name(plan.ids[src])
            nums[port] = Num(self.values[src], True)
        symbols = template_parts(op.formula.forward, op.formula.forward_tex, names)
        numbers = template_parts(*_numbers_templates(op.formula.forward, op.formula.forward_tex), nums)
        value = self.values[slot]
        if value is not None:
            numbers = numbers + [EQ, Num(value)]
        if not _has_equals(numbers[:-2] if value is not None else numbers):
            numbers = [self.name(node), EQ] + numbers
        ex = StepExplanation(
            FORWARD,
            f"Forward step {index + 1} of {len(self._forward)}: {node} ({op.name})",
            node=node,
            op=op.id,
            op_name=op.name,
            formula=Line("formula", symbols),
            numbers=Line("with numbers", numbers),
            value=None if value is None else np.asarray(value),
        )
        if plan.attrs[slot]:
            ex.notes.append(
                "attributes: " + ", ".join(f"{k} = {_attr_text(v)}" for k, v in plan.attrs[slot].items())
            )
        if value is not None:
            ex.notes.append(f"shape of {node}: {_shape(value)}")
        return ex

    def explain_backward(self, index: int) -> StepExplanation:
        plan = self.plan
        L = self.name(plan.output)
        ex = StepExplanation(BACKWARD, f"Backward step {index + 1} of {self.backward_count}")
        if not plan.backward:
            ex.node = plan.output
            ex.incoming = Line("the backward pass starts at the output",
                               [_dsym(L, L), EQ, Num(self.grads[plan.out_slot])])
            return ex
        slot, ports = plan.backward[index]
        node = plan.ids[slot]
        op = plan.ops[slot]
        me = self.name(node)
        ex.node, ex.op, ex.op_name = node, op.id, op.name
        ex.title += f": {node} ({op.name})"
        g = self.grads[slot]
        if index == 0:
            ex.incoming = Line("the backward pass starts at the output", [_dsym(L, me), EQ, Num(g)])
        else:
            ex.incoming = Line(f"gradient arrived at {node}", [_dsym(L, me), EQ, Num(g)])
        counts = self._contribution_counts()
        xs = tuple(self.values[s] for s in plan.inputs[slot])
        y = self.values[slot]
        bindings = ", ".join(
            f"{p} = {text_name(self.name(plan.ids[s]).text)}" for p, s in zip(op.inputs, plan.inputs[slot])
        )
        for bp in ports:
            port = op.inputs[bp.port_index]
            src = plan.ids[bp.source]
            edge = plan.edges[bp.edge]
            c = self.edge_grads[bp.edge]
            local = None
            if port in op.formula.local:
                local = Line(
                    f"local derivative of {op.name} for port {port} (y = {me.text}, {bindings})",
                    template_parts(op.formula.local[port], op.formula.local_tex.get(port, ""),
                                   {}, format_style=False),
                )
            product = self._product_line(slot, bp.port_index, port, src, g, xs, y, c, L, me)
            contributions = []
            for k in range(index + 1):
                for other in plan.backward[k][1]:
                    if other.source == bp.source:
                        contributions.append((plan.edges[other.edge], self.edge_grads[other.edge]))
            total = self.grads[bp.source]
            ex.products.append(PortProduct(port, src, edge, local, product,
                                           None if c is None else np.asarray(c),
                                           [(e, v) for e, v in contributions if v is not None],
                                           total, counts[bp.source]))
        return ex

    def _product_line(self, slot: int, k: int, port: str, src: str, g: Any, xs: tuple, y: Any,
                      c: Any, L: Sym, me: Sym) -> Line:
        plan = self.plan
        op = plan.ops[slot]
        u = self.name(src)
        caption = f"chain rule into {src} (port {port})"
        lhs: Formula = [_dsym(L, u), EQ]
        if c is None:
            return Line(caption, [Sym(f"no gradient flows into port {port}",
                                      r"\text{no gradient flows into port " + _tex_esc(port) + "}")])
        xk = np.asarray(xs[k])
        y_arr = np.asarray(y)
        if op.id == "matmul" and xs[0].ndim <= 2 and xs[1].ndim <= 2:
            a, b = np.asarray(xs[0]), np.asarray(xs[1])
            other = self.name(plan.ids[plan.inputs[slot][1 - k]])
            if k == 0:
                bt = b.T if b.ndim == 2 else b
                symbols = [_dsym(L, me), sym(" · "), _transposed(other)]
                numbers = [Num(g, True), sym(" · "), Num(bt, True)]
            else:
                at = a.T if a.ndim == 2 else a[:, None]
                symbols = [_transposed(other), sym(" · "), _dsym(L, me)]
                numbers = [Num(at, True), sym(" · "), Num(g, True)]
            return Line(caption, lhs + symbols + [EQ] + numbers + [EQ, Num(c)])
        diagonal = op.elementwise and xk.shape == y_arr.shape
        if y_arr.size == 1 or diagonal:
            with np.errstate(all="ignore"):
                d = op.vjps[k](np.ones_like(y_arr), xs, y, **plan.attrs[slot])
            times = sym(" ⊙ ", r" \odot ") if diagonal and y_arr.size > 1 else sym(" · ", r" \cdot ")
            symbols = [_dsym(L, me), times, _dsym(me, u)]
            numbers = [Num(g, True), times, Num(d, True)]
            return Line(caption, lhs + symbols + [EQ] + numbers + [EQ, Num(c)])
        symbols = [_dsym(L, me), sym(" · "), _dsym(me, u)]
        note = Sym(" (vector–Jacobian product, see the local derivative)",
                   r"\quad\text{(vector-Jacobian product)}")
        return Line(caption, lhs + symbols + [EQ, Num(c), note])

    def explain_update(self, lr: float, updates: list[ParamUpdate]) -> StepExplanation:
        ex = StepExplanation(UPDATE, f"Update: w ← w − η·∂L/∂w with η = {format_number(lr)}")
        L = self.name(self.plan.output)
        eta = Num(np.asarray(lr), True)
        for u in updates:
            w = self.name(u.node)
            parts: Formula = [
                w, sym(" ← ", r" \leftarrow "), w, sym(" − η · ", r" - \eta \cdot "), _dsym(L, w), EQ,
                Num(u.old, True), sym(" − ", " - "), eta, sym(" · ", r" \cdot "), Num(u.grad, True), EQ,
                Num(u.new),
            ]
            ex.update_lines.append(Line(f"update {u.node}", parts))
        ex.updates = updates
        if not updates:
            ex.notes.append("the graph has no parameter nodes: nothing to update")
        return ex


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


def _shape(value: Any) -> str:
    arr = np.asarray(value)
    return "scalar" if arr.ndim == 0 else "×".join(map(str, arr.shape))
