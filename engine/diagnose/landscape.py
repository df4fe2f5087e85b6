"""The loss around the current parameters θ*: along the gradient (1-D), and on a plane spanned by two
random directions with filter-wise normalisation (Li et al., 2018, "Visualizing the Loss Landscape of
Neural Nets"), with the training path projected on that plane.

1-D: L(θ* − α g) for g = ∇L(θ*), so that dL/dα at α = 0 is −‖g‖².
2-D: L(θ* + α d₁ + β d₂). Each direction is Gaussian, then rescaled filter by filter to the norm of
the same filter of θ*, which makes the picture independent of the weights' scale. A filter is one
unit's incoming weights: a column of a matrix W in x·W. A vector or a scalar (a bias) is one filter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.diagnose.model import Model


@dataclass(frozen=True)
class Line:
    alphas: np.ndarray
    losses: np.ndarray
    grad_norm2: float  # ‖g‖², minus the slope at α = 0


@dataclass(frozen=True)
class Plane:
    alphas: np.ndarray
    betas: np.ndarray
    losses: np.ndarray  # losses[i, j] at (alphas[j], betas[i])
    path: np.ndarray  # the training path's (α, β), one row per snapshot


def along_gradient(model: Model, alphas: Sequence[float] | np.ndarray) -> Line:
    """The mean loss at θ* − α g for each α (θ* restored afterwards)."""
    theta = model.flat()
    _, g = model.loss_and_grad()
    try:
        losses = []
        for a in alphas:
            model.set_flat(theta - a * g)
            losses.append(model.loss())
    finally:
        model.set_flat(theta)
    return Line(np.asarray(alphas, dtype=np.float64), np.array(losses), float(g @ g))


def filter_normalised(model: Model, rng: np.random.Generator) -> np.ndarray:
    """A random direction, each filter scaled to the norm of the same filter of the current θ."""
    parts = []
    for value in model.parameters().values():
        d = rng.standard_normal(value.shape)
        if value.ndim == 2:
            norms = np.linalg.norm(value, axis=0) / np.maximum(np.linalg.norm(d, axis=0), 1e-300)
            d = d * norms[None, :]
        else:
            d = d * (np.linalg.norm(value) / max(float(np.linalg.norm(d)), 1e-300))
        parts.append(d.ravel())
    return np.concatenate(parts) if parts else np.zeros(0)


def project(path: Sequence[np.ndarray], center: np.ndarray, d1: np.ndarray, d2: np.ndarray) -> np.ndarray:
    """Each θ of the path as (α, β): least squares θ − θ* ≈ α d₁ + β d₂ (the directions need not be
    orthogonal)."""
    if not len(path):
        return np.zeros((0, 2))
    basis = np.column_stack([d1, d2])
    offsets = np.column_stack([np.asarray(p) - center for p in path])
    coef, *_ = np.linalg.lstsq(basis, offsets, rcond=None)
    return coef.T


def loss_plane(
    model: Model,
    steps: int = 41,
    span: float = 1.0,
    seed: int = 0,
    path: Sequence[np.ndarray] = (),
    directions: tuple[np.ndarray, np.ndarray] | None = None,
) -> Plane:
    """The loss on a steps × steps grid of α, β ∈ [−span, span]; path holds flat parameter vectors
    (snapshots during training), projected on the plane. θ* is restored afterwards."""
    theta = model.flat()
    if directions is None:
        rng = np.random.default_rng(seed)
        directions = (filter_normalised(model, rng), filter_normalised(model, rng))
    d1, d2 = directions
    grid = np.linspace(-span, span, steps)
    losses = np.empty((steps, steps))
    try:
        for i, b in enumerate(grid):
            for j, a in enumerate(grid):
                model.set_flat(theta + a * d1 + b * d2)
                losses[i, j] = model.loss()
    finally:
        model.set_flat(theta)
    return Plane(grid, grid.copy(), losses, project(path, theta, d1, d2))
