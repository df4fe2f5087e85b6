"""A compiled document with its dataset stacked as rows and its own copy of the parameters.

Every diagnostic evaluates the graph on many rows (the dataset, or a grid over the input plane) for
many parameter values. When every node on the way acts row by row (``engine.compile.batch``) the rows
go through in one pass, numpy looping in C; otherwise the rows go one by one through the plan's
per-node steps, and ``reason`` says which node stopped the batching.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx
import numpy as np

from engine.compile.batch import row_batching
from engine.compile.cache import plan_for
from engine.compile.plan import Plan
from engine.train.dataset import feeds
from graph.document import Document


class Model:
    """Loss, gradient and node values over rows, with parameters that the diagnostics may move.

    ``flat()`` / ``set_flat(vector)`` read and write all parameters as one vector (in ``parameter_ids``
    order); ``parameters()`` / ``set_parameters(dict)`` by id. The document is never changed.
    """

    def __init__(self, plan: Plan, parameters: dict[str, np.ndarray] | None = None) -> None:
        self.plan = plan
        fed, self.n_rows = feeds(plan)
        self.row_slots = [f.slot for f in fed]
        self.columns = {f.slot: np.stack(f.rows) for f in fed}
        self.param_slots = plan.slots_of("parameter")
        self.parameter_ids = [plan.ids[s] for s in self.param_slots]
        self.values: list[Any] = plan.leaf_values()
        for s in self.param_slots:
            self.values[s] = np.array(self.values[s], dtype=np.float64, copy=True)
        self.set_parameters(parameters or {})
        self.batching = row_batching(plan, self.row_slots)
        self._grad_fn: Any = None
        self._loss_fn: Any = None

    @classmethod
    def create(cls, doc: Document, output: str | None = None, **kw: Any) -> Model:
        """The plan of `doc` from the shared cache (output: by default the loss, as compile_plan and
        training choose it: one compile per document version, shared with the window's panels)."""
        return cls(plan_for(doc, output=output), **kw)

    @property
    def batched(self) -> bool:
        """Whether the dataset's rows go through the graph in one pass."""
        return self.batching.ok

    @property
    def reason(self) -> str | None:
        """Why the rows go one by one (naming the node), or None when they go in one pass."""
        return self.batching.reason

    # ----- parameters
    def parameters(self) -> dict[str, np.ndarray]:
        return {n: self.values[s].copy() for n, s in zip(self.parameter_ids, self.param_slots)}

    def set_parameters(self, values: dict[str, Any]) -> None:
        for n, s in zip(self.parameter_ids, self.param_slots):
            if n in values:
                np.copyto(
                    self.values[s], np.asarray(values[n], dtype=np.float64).reshape(self.values[s].shape)
                )

    def flat(self) -> np.ndarray:
        parts = [self.values[s].ravel() for s in self.param_slots]
        return np.concatenate(parts) if parts else np.zeros(0)

    def set_flat(self, vector: np.ndarray) -> None:
        k = 0
        for s in self.param_slots:
            size = self.values[s].size
            self.values[s].flat[:] = vector[k : k + size]
            k += size

    def unflatten(self, vector: np.ndarray) -> dict[str, np.ndarray]:
        """A flat vector cut into one array per parameter, in the parameters' shapes."""
        out, k = {}, 0
        for n, s in zip(self.parameter_ids, self.param_slots):
            shape = self.values[s].shape
            out[n] = np.asarray(vector[k : k + self.values[s].size]).reshape(shape)
            k += self.values[s].size
        return out

    # ----- loss and gradient over rows
    def loss_and_grad(self, rows: Sequence[int] | np.ndarray | None = None) -> tuple[float, np.ndarray]:
        """The mean loss over `rows` (default: every row) and its gradient as one flat vector."""
        out, grads = self._mean(self.param_slots, rows)
        flat = [
            np.zeros(self.values[s].size) if g is None else np.ravel(g)
            for g, s in zip(grads, self.param_slots)
        ]
        return out, (np.concatenate(flat) if flat else np.zeros(0))

    def loss(self, rows: Sequence[int] | np.ndarray | None = None) -> float:
        """The mean loss over `rows` (default: every row); NaN if a pass fails."""
        return self._mean([], rows)[0]

    def _mean(self, params: list[int], rows: Sequence[int] | np.ndarray | None) -> tuple[float, list[Any]]:
        idx = np.arange(self.n_rows) if rows is None else np.asarray(rows, dtype=np.intp)
        vals = list(self.values)
        with np.errstate(all="ignore"):
            try:
                if not self.row_slots:
                    out, grads = self.plan.train_function(params)(vals)
                    return float(out), list(grads)
                if self.batched:
                    for s in self.row_slots:
                        vals[s] = self.columns[s][idx]
                    out, grads = self.plan.batched_train_function(params, self.row_slots)(vals)
                    return float(out), list(grads)
                return self._mean_by_rows(params, vals, idx)
            except Exception:
                return float("nan"), [None] * len(params)

    def _mean_by_rows(self, params: list[int], vals: list[Any], idx: np.ndarray) -> tuple[float, list[Any]]:
        """The fallback when the graph is not row-wise: one pass per row, averaged."""
        fn = self.plan.train_function(params)
        total, sums = 0.0, [None] * len(params)
        for r in idx:
            for s in self.row_slots:
                vals[s] = self.columns[s][r]
            out, grads = fn(vals)
            total += float(out)
            sums = [a if g is None else (g.copy() if a is None else a + g) for a, g in zip(sums, grads)]
        k = 1.0 / max(len(idx), 1)
        return total * k, [None if a is None else a * k for a in sums]

    # ----- node values over rows
    def forward(
        self, node_ids: Sequence[str], columns: dict[str, np.ndarray] | None = None
    ) -> dict[str, np.ndarray]:
        """The values of the given nodes on each row, stacked (rows, *shape).

        columns replace dataset columns by input id (a grid over the input plane); every row input
        not given keeps its dataset column, cut or repeated to the given rows' count.
        """
        fed = self._fed(columns or {})
        n = len(next(iter(fed.values()))) if fed else 1
        wanted = [self.plan.slot[i] for i in node_ids]
        needed = self._needed(wanted)
        with np.errstate(all="ignore"):
            if self.batched:
                vals = self._forward_batched(fed, needed)
            else:
                vals = self._forward_by_rows(fed, needed, wanted, n)
        return {
            i: _rows(vals[s], n, self.batching.batched[s] or not self.batched)
            for i, s in zip(node_ids, wanted)
        }

    def _fed(self, columns: dict[str, np.ndarray]) -> dict[int, np.ndarray]:
        given = {self.plan.slot[k]: np.asarray(v, dtype=np.float64) for k, v in columns.items()}
        n = len(next(iter(given.values()))) if given else self.n_rows
        fed = {}
        for s in self.row_slots:
            if s in given:
                fed[s] = given[s].reshape((n, *self.columns[s].shape[1:]))
            else:
                fed[s] = np.resize(self.columns[s], (n, *self.columns[s].shape[1:]))
        return fed

    def _needed(self, wanted: list[int]) -> list[int]:
        """The op slots the wanted nodes depend on, in the plan's (topological) order."""
        ids = set()
        for s in wanted:
            ids |= nx.ancestors(self.plan.doc.g, self.plan.ids[s]) | {self.plan.ids[s]}
        return [s for s in self.plan.forward_slots if self.plan.ids[s] in ids]

    def _forward_batched(self, fed: dict[int, np.ndarray], needed: list[int]) -> list[Any]:
        vals = list(self.values)
        for s, col in fed.items():
            vals[s] = col
        for s in needed:
            self.plan.forward_node(s, vals)
        return vals

    def _forward_by_rows(
        self, fed: dict[int, np.ndarray], needed: list[int], wanted: list[int], n: int
    ) -> list[Any]:
        vals = list(self.values)
        collected: dict[int, list[np.ndarray]] = {s: [] for s in wanted}
        for r in range(n):
            for s, col in fed.items():
                vals[s] = col[r]
            for s in needed:
                self.plan.forward_node(s, vals)
            for s in wanted:
                collected[s].append(np.asarray(vals[s]))
        for s in wanted:
            vals[s] = np.stack(collected[s])
        return vals


def _rows(value: Any, n: int, has_rows: bool) -> np.ndarray:
    """A value as n stacked rows (a value without rows, such as a parameter, repeated)."""
    value = np.asarray(value, dtype=np.float64)
    return value if has_rows else np.broadcast_to(value, (n, *value.shape)).copy()
