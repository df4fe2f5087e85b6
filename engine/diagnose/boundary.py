"""The decision boundary: the output and each hidden unit over the input plane, as TensorFlow
Playground shows them, with the dataset's points (class, prediction, misclassified) on top.

For an input of two features the grid is resolution × resolution points over the data's range (plus a
margin); for one feature it is a line of `resolution` points, and the maps are curves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.diagnose.model import Model
from engine.train.metrics import find_layers

MARGIN = 0.1  # of the data's range, on each side of the plane


@dataclass
class BoundaryMap:
    """The output over the plane (``output[i, j]`` at ``xs[j]``, ``ys[i]``; ys is None for one feature)
    and each hidden unit's activation (``units[node][k]`` for unit k), with the points on top."""

    input_id: str
    output_id: str
    xs: np.ndarray
    ys: np.ndarray | None
    output: np.ndarray
    level: float  # the output's value on the boundary between the two classes
    units: dict[str, np.ndarray] = field(default_factory=dict)
    points: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    labels: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # the class of each point
    predicted: np.ndarray = field(default_factory=lambda: np.zeros(0))  # the output on each point

    @property
    def misclassified(self) -> np.ndarray:
        """Which points fall on the wrong side of the boundary."""
        return (self.predicted > self.level) != self.labels

    def crossings(self) -> np.ndarray:
        """Points (x, y) where the output crosses `level` between two neighbours along a grid row,
        by linear interpolation (the boundary drawn as points)."""
        if self.ys is None:
            return _crossings_1d(self.xs, self.output - self.level)[:, None]
        found = [
            np.column_stack([xc, np.full(len(xc), y)])
            for y, row in zip(self.ys, self.output - self.level)
            if len(xc := _crossings_1d(self.xs, row))
        ]
        return np.vstack(found) if found else np.zeros((0, 2))


def _crossings_1d(xs: np.ndarray, f: np.ndarray) -> np.ndarray:
    a, b = f[:-1], f[1:]
    hit = (a == 0) | (a * b < 0)
    with np.errstate(all="ignore"):
        t = np.where(a == 0, 0.0, a / (a - b))
    return (xs[:-1] + t * (xs[1:] - xs[:-1]))[hit]


def feature_input(model: Model) -> str | None:
    """The dataset input of one or two features that the prediction depends on (None if there is none)."""
    plan = model.plan
    for s in model.row_slots:
        size = int(np.prod(plan.shapes[plan.ids[s]]))
        if size in (1, 2) and plan.ids[s] not in _targets(model):
            return plan.ids[s]
    return None


def _targets(model: Model) -> set[str]:
    """Row inputs fed straight into the loss's target port."""
    plan = model.plan
    out = plan.doc.inputs_of(plan.output)
    return {src for port, src in out.items() if port == "target"}


def prediction_node(model: Model) -> str:
    """The node a loss compares with its target (the loss's first input); without a loss, the output."""
    plan = model.plan
    if plan.ops[plan.out_slot].group != "Losses":
        return plan.output
    first = plan.ops[plan.out_slot].inputs[0]
    return plan.doc.inputs_of(plan.output)[first]


def decision_level(model: Model, output_id: str) -> float:
    """Where the classes meet: midway between the two target values, else 0.5 after a sigmoid, else 0."""
    targets = _targets(model)
    if targets:
        col = model.columns[model.plan.slot[next(iter(targets))]]
        return float((col.min() + col.max()) / 2)
    return 0.5 if model.plan.doc.node(output_id).op == "sigmoid" else 0.0


def hidden_units(model: Model, output_id: str) -> list[str]:
    """The nodes holding a layer's units (after their activation), the prediction left out."""
    found = [layer.units_node for layer in find_layers(model.plan.doc)]
    return [n for n in dict.fromkeys(found) if n and n != output_id and n in model.plan.slot]


def decision_boundary(
    model: Model,
    input_id: str | None = None,
    output_id: str | None = None,
    resolution: int = 100,
    units: bool = True,
    extent: tuple[float, float, float, float] | None = None,
) -> BoundaryMap:
    """The output (and, with `units`, each hidden unit) over a grid of the input's plane.

    extent is (x0, x1, y0, y1); by default the data's range widened by MARGIN on each side.
    """
    input_id = input_id or feature_input(model)
    if input_id is None:
        raise ValueError("no dataset input of one or two features to draw the plane of")
    output_id = output_id or prediction_node(model)
    data = model.columns[model.plan.slot[input_id]].reshape(model.n_rows, -1)
    two = data.shape[1] == 2
    xs, ys = _axes(data, resolution, extent, two)
    grid = np.column_stack([g.ravel() for g in np.meshgrid(xs, ys)]) if two else xs[:, None]
    unit_ids = hidden_units(model, output_id) if units else []
    on_grid = model.forward([output_id, *unit_ids], {input_id: grid})
    on_data = model.forward([output_id])[output_id].reshape(model.n_rows, -1)[:, 0]
    shape = (resolution, resolution) if two else (resolution,)
    level = decision_level(model, output_id)
    labels = _labels(model, level, on_data)
    return BoundaryMap(
        input_id, output_id, xs, ys if two else None,
        on_grid[output_id].reshape(len(grid), -1)[:, 0].reshape(shape), level,
        {n: np.moveaxis(on_grid[n].reshape(len(grid), -1), 1, 0).reshape(-1, *shape) for n in unit_ids},
        data if two else np.column_stack([data[:, 0], on_data]), labels, on_data,
    )  # fmt: skip


def _labels(model: Model, level: float, on_data: np.ndarray) -> np.ndarray:
    """Each row's class: its target above the level (without a target, the output's side)."""
    targets = _targets(model)
    if not targets:
        return on_data > level
    return model.columns[model.plan.slot[next(iter(targets))]].reshape(model.n_rows, -1)[:, 0] > level


def _axes(
    data: np.ndarray, resolution: int, extent: tuple[float, float, float, float] | None, two: bool
) -> tuple[np.ndarray, np.ndarray]:
    if extent is None:
        lo, hi = data.min(axis=0), data.max(axis=0)
        pad = np.where(hi > lo, (hi - lo) * MARGIN, 1.0)
        lo, hi = lo - pad, hi + pad
        extent = (lo[0], hi[0], lo[-1], hi[-1])
    xs = np.linspace(extent[0], extent[1], resolution)
    ys = np.linspace(extent[2], extent[3], resolution) if two else np.zeros(0)
    return xs, ys
