"""The results of one forward and backward run, and the error that names where a number went wrong."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from graph.document import Edge
from graph.errors import GraphError

if TYPE_CHECKING:
    from engine.compile.plan import Plan


class NumericError(GraphError):
    """A NaN or Inf appeared, or numpy refused a computation; names the node where it happened."""

    def __init__(self, message: str, node: str | None = None, phase: str = "forward") -> None:
        super().__init__(message, node=node)
        self.phase = phase


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
        if np.isfinite(np.concatenate(self.value_list + self.grad_list, axis=None)).all():
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
