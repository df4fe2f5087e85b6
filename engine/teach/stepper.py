"""Stepping through backprop one node at a time: a cursor over the same plan the engine runs.

:class:`Stepper` walks ``plan.forward_slots`` and then ``plan.backward`` with exactly
``plan.forward_node`` / ``plan.backward_node``, so a stepped run and ``plan.run()`` agree bit for bit.
Every step records what it overwrote, so ``undo_step`` undoes it exactly, and returns the ids it
changed (:class:`Changed`) so the canvas repaints only those. ``apply_update`` computes
w ← w − η·∂L/∂w for every parameter.

What a step means is said elsewhere: :mod:`engine.teach.explanations` writes the last step out in
symbols and numbers, :mod:`engine.teach.grading` lets a student type the next step's result first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.compile.plan import Plan
from engine.compile.trace import Trace
from graph.document import Edge

FORWARD = "forward"
BACKWARD = "backward"
DONE = "done"


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
class ParamUpdate:
    """One parameter's SGD update: new = old − η·grad."""

    node: str
    old: np.ndarray
    grad: np.ndarray
    new: np.ndarray


def contribution_counts(plan: Plan) -> list[int]:
    """By slot: how many gradient contributions the node receives in the whole backward pass."""
    counts = [0] * len(plan.ids)
    for _, ports in plan.backward:
        for bp in ports:
            counts[bp.source] += 1
    return counts


def arrived(plan: Plan, source: int, upto: int) -> int:
    """How many contributions to slot `source` the backward steps 0..upto bring."""
    return sum(1 for _, ports in plan.backward[: upto + 1] for bp in ports if bp.source == source)


class Stepper:
    """A cursor over a plan: forward one node at a time, then backward one node at a time."""

    def __init__(self, plan: Plan, values: list[Any] | None = None) -> None:
        self.plan = plan
        self._leaves = list(plan.leaf_values() if values is None else values)
        self.forward_slots: list[int] = plan.forward_slots
        self.last_update: tuple[float, list[ParamUpdate]] | None = None
        self.reset()

    # ----- state
    def reset(self) -> Changed:
        """Back to the start: only the leaves are known."""
        n = len(self.plan.ids)
        self.values: list[Any] = list(self._leaves) + [None] * (n - len(self._leaves))
        for s in self.forward_slots:
            self.values[s] = None
        self.grads: list[Any] = [None] * n
        self.edge_grads: list[Any] = [None] * len(self.plan.edges)
        self.forward_done = 0
        self.backward_done = 0
        self._history: list[_Record] = []
        self.last_update = None
        return Changed(list(self.plan.ids), list(self.plan.edges))

    @property
    def forward_count(self) -> int:
        return len(self.forward_slots)

    @property
    def backward_count(self) -> int:
        # NOTE: with no backward step (the output is a leaf) there is still the seed ∂L/∂L = 1.
        return max(1, len(self.plan.backward))

    @property
    def phase(self) -> str:
        """The phase of the next step: "forward", "backward" or "done"."""
        if self.forward_done < self.forward_count:
            return FORWARD
        if self.backward_done < self.backward_count:
            return BACKWARD
        return DONE

    @property
    def at_start(self) -> bool:
        return not self._history

    @property
    def current_step(self) -> tuple[str, int] | None:
        """(phase, index) of the last step taken."""
        if not self._history:
            return None
        return self._history[-1].phase, self._history[-1].index

    @property
    def upcoming_step(self) -> tuple[str, int] | None:
        """(phase, index) of the next step (None when everything is done)."""
        phase = self.phase
        if phase == DONE:
            return None
        return phase, self.forward_done if phase == FORWARD else self.backward_done

    @property
    def current(self) -> str | None:
        """The node the last step computed (None at the start)."""
        step = self.current_step
        return None if step is None else self.step_node(*step)

    @property
    def upcoming(self) -> str | None:
        """The node the next step will compute (None when everything is done)."""
        step = self.upcoming_step
        return None if step is None else self.step_node(*step)

    def step_node(self, phase: str, index: int) -> str:
        """The node that step `index` of `phase` computes."""
        if phase == FORWARD:
            return self.plan.ids[self.forward_slots[index]]
        if self.plan.backward:
            return self.plan.ids[self.plan.backward[index][0]]
        return self.plan.output

    def progress(self) -> tuple[int, int]:
        """(steps taken, steps in all)."""
        return len(self._history), self.forward_count + self.backward_count

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

    def preview(self) -> Trace | None:
        """The trace as the next step will leave it, without taking the step (None when all is done)."""
        step = self.upcoming_step
        if step is None:
            return None
        vals, grads, egrads = list(self.values), list(self.grads), list(self.edge_grads)
        self._apply(_Record(*step), vals, grads, egrads)
        return Trace(self.plan, vals, grads, egrads)

    # ----- moving
    def _apply(self, record: _Record, values: list[Any], grads: list[Any], egrads: list[Any]) -> Changed:
        """Do the record's step on the given lists, noting in the record what it overwrote."""
        if record.phase == FORWARD:
            return self._apply_forward(record, values)
        return self._apply_backward(record, values, grads, egrads)

    def _apply_forward(self, record: _Record, values: list[Any]) -> Changed:
        plan = self.plan
        slot = self.forward_slots[record.index]
        record.values.append((slot, values[slot]))
        plan.forward_node(slot, values)
        node = plan.ids[slot]
        return Changed([node], [e for e in plan.edges if e.source == node])

    def _apply_backward(self, record: _Record, values: list[Any], grads: list[Any],
                        egrads: list[Any]) -> Changed:
        plan = self.plan
        changed = Changed()
        if record.index == 0:  # the seed ∂L/∂L = 1
            out = plan.out_slot
            record.grads.append((out, grads[out]))
            grads[out] = np.ones_like(values[out])
            changed.nodes.append(plan.output)
        if not plan.backward:
            return changed
        slot, ports = plan.backward[record.index]
        record.grads += [(bp.source, grads[bp.source]) for bp in ports]
        record.edge_grads += [(bp.edge, egrads[bp.edge]) for bp in ports]
        filled = plan.backward_node(record.index, values, grads, egrads)
        for s in [slot] + [bp.source for bp in ports]:
            if plan.ids[s] not in changed.nodes:
                changed.nodes.append(plan.ids[s])
        changed.edges += [plan.edges[i] for i in filled]
        return changed

    def _step(self, phase: str) -> Changed:
        index = self.forward_done if phase == FORWARD else self.backward_done
        record = _Record(phase, index)
        record.changed = self._apply(record, self.values, self.grads, self.edge_grads)
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
