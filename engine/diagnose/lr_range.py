"""The learning-rate range test (Smith, 2017, "Cyclical Learning Rates for Training Neural Networks"):
train from the current weights while the learning rate grows exponentially from lr_min to lr_max,
one rate per update, and watch the loss. It falls where the rate is useful and blows up where it is
too large; the suggestion is a tenth of the rate at the smoothed loss's minimum. Plain SGD on mini-batches
of the document's batch size; the weights are restored afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.diagnose.model import Model

SMOOTHING = 0.9  # exponential moving average of the loss (bias-corrected)
DIVERGED = 4.0  # stop once the smoothed loss exceeds this many times its best


@dataclass(frozen=True)
class RangeTest:
    rates: np.ndarray
    losses: np.ndarray  # the loss of each update's batch
    smoothed: np.ndarray
    suggested: float | None  # a tenth of the rate at the smoothed loss's minimum

    def to_json(self) -> dict[str, object]:
        return {
            "rates": self.rates.tolist(),
            "losses": self.losses.tolist(),
            "smoothed": self.smoothed.tolist(),
            "suggested": self.suggested,
        }


def lr_range_test(
    model: Model,
    lr_min: float = 1e-4,
    lr_max: float = 10.0,
    updates: int = 200,
    batch_size: int = 32,
    seed: int = 0,
) -> RangeTest:
    """Run the test; the model's parameters are the same afterwards as before."""
    theta = model.flat()
    rates = lr_min * (lr_max / lr_min) ** (np.arange(updates) / max(updates - 1, 1))
    rng = np.random.default_rng(seed)
    losses: list[float] = []
    smoothed: list[float] = []
    avg, best = 0.0, np.inf
    try:
        for k, lr in enumerate(rates):
            rows = rng.choice(model.n_rows, size=min(batch_size, model.n_rows), replace=False)
            loss, g = model.loss_and_grad(rows)
            if not np.isfinite(loss):
                break
            avg = SMOOTHING * avg + (1 - SMOOTHING) * loss
            s = avg / (1 - SMOOTHING ** (k + 1))
            losses.append(loss)
            smoothed.append(s)
            best = min(best, s)
            if s > DIVERGED * best:
                break
            model.set_flat(model.flat() - lr * g)
    finally:
        model.set_flat(theta)
    n = len(losses)
    return RangeTest(rates[:n], np.array(losses), np.array(smoothed), suggest(rates[:n], np.array(smoothed)))


def suggest(rates: np.ndarray, smoothed: np.ndarray) -> float | None:
    """A tenth of the rate where the smoothed loss is lowest (the rule of thumb of Smith's test: at the
    minimum the rate is already about to diverge); None when the loss never fell."""
    if len(rates) < 3:
        return None
    k = int(np.argmin(smoothed))
    if k == 0 or smoothed[k] >= smoothed[0]:
        return None
    return float(rates[k] / 10)
