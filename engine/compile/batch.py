"""Many dataset rows in one pass: the rows stacked on a leading axis, when the graph acts row by row.

Training on a batch means the mean over its rows of each row's loss and gradients. When every op on
the way from the rows to the output treats a leading batch axis row by row (its record's ``batch``,
``engine/ops/registry.py``), one pass over the stacked rows computes the same numbers, with numpy
looping in C instead of Python looping over rows. ``row_batching`` decides, node by node, and says why
not otherwise (naming the node), so that the caller falls back to the loop over rows:

- an op that does not act row by row (transpose, a sum along one axis …) receives rows;
- a broadcasting op receives rows of a lower rank than its output (they would not line up on axis 0);
- a matmul receives rows on its right-hand side;
- a loss or a reduction over everything receives a value without rows, or is not the output (what
  follows it would act on the mean over the rows instead of on each row's value).

The output's batch becomes one number as the mean of the rows' outputs: a loss that averages already
gives it; a sum over everything, or an output with one value per row, is divided by the rows' count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engine.compile import codegen
from engine.ops.registry import BATCH_BROADCAST, BATCH_LEFT, BATCH_MEAN, BATCH_SUM, Shape

if TYPE_CHECKING:
    from engine.compile.plan import Plan

# The rows' count in a batched shape: the shapes only decide which code is generated, and the batched
# inputs of a node share it, so one placeholder stands for every batch size.
ROWS = -1


@dataclass(frozen=True)
class RowBatching:
    """Which slots carry rows, and how the output's batch becomes the mean (or why it cannot)."""

    batched: tuple[bool, ...]  # slot → its value has a leading batch axis
    output: str  # "mean" (already the mean over rows), "sum" (their sum), "rows" (one per row), "same"
    reason: str | None = None  # why the rows cannot go in one pass, naming the node; None if they can

    @property
    def ok(self) -> bool:
        return self.reason is None


def row_batching(plan: Plan, rows: Iterable[int]) -> RowBatching:
    """Whether the leaves in `rows` (slots) can be fed stacked rows; the reason naming the node if not."""
    row_slots = set(rows)
    batched = [False] * len(plan.ids)
    for s in range(len(plan.ids)):
        if plan.ops[s].is_leaf:
            batched[s] = s in row_slots
        elif plan.reaches_output[s] and any(batched[i] for i in plan.inputs[s]):
            reason = _refusal(plan, s, batched)
            if reason is not None:
                return RowBatching(
                    tuple(batched), "same", f"node {plan.ids[s]!r} ({plan.ops[s].id}) {reason}"
                )
            batched[s] = plan.ops[s].batch_kind(plan.attrs[s]) in (BATCH_BROADCAST, BATCH_LEFT)
    return RowBatching(tuple(batched), _output_kind(plan, batched))


def _output_kind(plan: Plan, batched: list[bool]) -> str:
    out = plan.out_slot
    if batched[out]:
        return "rows"
    if any(batched[i] for i in plan.inputs[out]):
        return "mean" if plan.ops[out].batch_kind(plan.attrs[out]) == BATCH_MEAN else "sum"
    return "same"


def _refusal(plan: Plan, s: int, batched: list[bool]) -> str | None:
    """Why node s, which receives rows, does not act on them row by row (None if it does)."""
    op = plan.ops[s]
    ports = [(port, i) for port, i in zip(op.inputs, plan.inputs[s], strict=True) if batched[i]]
    check = _CHECKS.get(op.batch_kind(plan.attrs[s]))
    return "does not act row by row" if check is None else check(plan, s, ports)


def _broadcast_refusal(plan: Plan, s: int, ports: list[tuple[str, int]]) -> str | None:
    rank = len(plan.shapes[plan.ids[s]])
    for port, i in ports:
        shape = plan.shapes[plan.ids[i]]
        if len(shape) != rank:
            return f"gets rows of shape {shape} on {port!r}, of a lower rank than its output"
    return None


def _left_refusal(plan: Plan, s: int, ports: list[tuple[str, int]]) -> str | None:
    right = [port for port, _ in ports if port != plan.ops[s].inputs[0]]
    return f"gets rows on {right[0]!r}: only rows on the left go in one pass" if right else None


def _reduction_refusal(plan: Plan, s: int, ports: list[tuple[str, int]]) -> str | None:
    with_rows = {port for port, _ in ports}
    fixed = [port for port in plan.ops[s].inputs if port not in with_rows]
    if fixed:
        return f"gets rows on some inputs but not on {fixed[0]!r}"
    if s != plan.out_slot:
        return "reduces over the rows but is not the output (what follows would see their mean)"
    return None


_CHECKS: dict[str, Callable[[Plan, int, list[tuple[str, int]]], str | None]] = {
    BATCH_BROADCAST: _broadcast_refusal,
    BATCH_LEFT: _left_refusal,
    BATCH_MEAN: _reduction_refusal,
    BATCH_SUM: _reduction_refusal,
}


def batched_shapes(plan: Plan, batching: RowBatching) -> list[Shape]:
    """Each slot's shape with the rows' axis in front where it carries rows (ROWS for their count)."""
    shapes = [plan.shapes[node_id] for node_id in plan.ids]
    return [(ROWS, *shape) if b else shape for shape, b in zip(shapes, batching.batched, strict=True)]


def train_function(plan: Plan, params: list[int], rows: list[int]) -> Callable[..., Any] | str:
    """fn(values) -> (mean output over the rows, [mean gradient of each slot in params]), the leaves in
    `rows` holding stacked rows; or, when the graph does not act row by row, the reason why not."""
    batching = row_batching(plan, rows)
    if not batching.ok:
        return batching.reason  # type: ignore[return-value]
    per_row = batching.output in ("sum", "rows")
    return codegen.train_function(
        plan, params, shapes=batched_shapes(plan, batching), mean_over=rows[0] if per_row else None
    )
