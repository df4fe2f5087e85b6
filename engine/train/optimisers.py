"""Optimisers: update parameter arrays in place from their gradients, with PyTorch's formulas.

- SGD: w ← w − η·g.
- SGD with momentum μ (PyTorch, no dampening): v ← μ·v + g (v = g on the first step), w ← w − η·v;
  with Nesterov: w ← w − η·(g + μ·v).
- Adam (β₁, β₂ default 0.9, 0.999; ε default 1e-8), step t from 1:
  m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g², w ← w − η·m̂ / (√v̂ + ε) with m̂ = m/(1 − β₁ᵗ),
  v̂ = v/(1 − β₂ᵗ).

An optimiser holds the list of parameter arrays it updates (the training loop's own copies) and its
state per array; ``step(grads)`` takes the gradients in the same order. No checks run in ``step``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


class Optimiser:
    name = "optimiser"

    def __init__(self, params: list[np.ndarray], lr: float) -> None:
        self.params = params
        self.lr = float(lr)
        self.t = 0

    def step(self, grads: list[np.ndarray]) -> None:
        raise NotImplementedError

    def state(self) -> dict[str, Any]:
        """The optimiser's state (copies), for display and tests."""
        return {"t": self.t}


class SGD(Optimiser):
    name = "sgd"

    def __init__(
        self, params: list[np.ndarray], lr: float, momentum: float = 0.0, nesterov: bool = False
    ) -> None:
        super().__init__(params, lr)
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.velocity: list[np.ndarray] | None = None

    def step(self, grads: list[np.ndarray]) -> None:
        self.t += 1
        lr = self.lr
        mu = self.momentum
        if mu == 0.0:
            for p, g in zip(self.params, grads):
                p -= lr * g
            return
        if self.velocity is None:
            self.velocity = [
                np.array(g, dtype=np.float64, copy=True).reshape(p.shape) for p, g in zip(self.params, grads)
            ]
        else:
            for v, g in zip(self.velocity, grads):
                v *= mu
                v += g
        if self.nesterov:
            for p, g, v in zip(self.params, grads, self.velocity):
                p -= lr * (g + mu * v)
        else:
            for p, v in zip(self.params, self.velocity):
                p -= lr * v

    def state(self) -> dict[str, Any]:
        velocity = None if self.velocity is None else [v.copy() for v in self.velocity]
        return {"t": self.t, "velocity": velocity}


class Adam(Optimiser):
    name = "adam"

    def __init__(
        self,
        params: list[np.ndarray],
        lr: float,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params, lr)
        self.beta1, self.beta2 = float(betas[0]), float(betas[1])
        self.eps = float(eps)
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads: list[np.ndarray]) -> None:
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        c1 = 1.0 - b1
        c2 = 1.0 - b2
        # NOTE: PyTorch's arrangement: w -= (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
        step_size = self.lr / (1.0 - b1**self.t)
        root_bc2 = math.sqrt(1.0 - b2**self.t)
        eps = self.eps
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= b1
            m += c1 * g
            v *= b2
            v += c2 * (g * g)
            p -= step_size * m / (np.sqrt(v) / root_bc2 + eps)

    def state(self) -> dict[str, Any]:
        return {"t": self.t, "m": [m.copy() for m in self.m], "v": [v.copy() for v in self.v]}


def make_optimiser(
    name: str,
    params: list[np.ndarray],
    lr: float,
    momentum: float = 0.0,
    nesterov: bool = False,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
) -> Optimiser:
    """The optimiser called `name` ("sgd" or "adam") over `params` (arrays updated in place)."""
    if name == "sgd":
        return SGD(params, lr, momentum, nesterov)
    if name == "adam":
        return Adam(params, lr, betas, eps)
    raise ValueError(f"unknown optimizer {name!r} (sgd or adam)")


OPTIMISERS = ("sgd", "adam")
