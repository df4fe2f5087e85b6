"""Data to learn from: TensorFlow Playground's six data sets (playground.tensorflow.org, dataset.ts)
and scikit-learn's two moons, each as points (n, 2) and targets (n, 1).

Classification targets are 0 and 1 (for a sigmoid and binary cross-entropy; the playground uses −1 and
1); regression targets lie in [−1.2, 1.2]. Noise is in [0, 1] (the playground's 0–50 % slider / 100); the
same seed gives the same points.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Generator = Callable[[int, float, np.random.Generator], tuple[np.ndarray, np.ndarray]]


def circle(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Half the points within radius 2.5 (class 1), half in the ring 3.5 … 5 (class 0); the class is
    that of the noisy point's distance (inside 2.5 or not), as the playground labels it."""
    radius = 5.0
    half = n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, half), rng.uniform(radius * 0.7, radius, n - half)])
    angle = rng.uniform(0, 2 * np.pi, n)
    xy = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    xy += rng.uniform(-radius, radius, (n, 2)) * noise
    label = np.hypot(xy[:, 0], xy[:, 1]) < radius * 0.5
    return xy, label.astype(float)[:, None]


def xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Points in the four quadrants (kept 0.3 from the axes), class 1 where x·y ≥ 0 (noise included)."""
    xy = rng.uniform(-5, 5, (n, 2))
    xy += np.where(xy > 0, 0.3, -0.3)
    xy += rng.uniform(-5, 5, (n, 2)) * noise
    return xy, (xy[:, 0] * xy[:, 1] >= 0).astype(float)[:, None]


def gaussians(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds around (2, 2) (class 1) and (−2, −2) (class 0); the noise widens them
    (variance 0.5 … 4)."""
    variance = 0.5 + 3.5 * noise
    half = n // 2
    centre = np.concatenate([np.full(half, 2.0), np.full(n - half, -2.0)])
    xy = centre[:, None] + rng.normal(0, np.sqrt(variance), (n, 2))
    return xy, (centre > 0).astype(float)[:, None]


def spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals of 1.75 turns out to radius 5, the second turned by π (class 0)."""
    half = n // 2
    parts = []
    for k, (count, turn) in enumerate(((half, 0.0), (n - half, np.pi))):
        i = np.arange(count) / max(count, 1)
        r, t = i * 5, 1.75 * i * 2 * np.pi + turn
        xy = np.column_stack([r * np.sin(t), r * np.cos(t)]) + rng.uniform(-1, 1, (count, 2)) * noise
        parts.append((xy, np.full(count, 1.0 - k)))
    return np.vstack([p[0] for p in parts]), np.concatenate([p[1] for p in parts])[:, None]


def plane(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Regression: target (x + y) / 10 over [−6, 6]² (the playground's scale: ±1 at x + y = ±10, so
    up to ±1.2), the noise added to the inputs before labelling."""
    xy = rng.uniform(-6, 6, (n, 2))
    noisy = xy + rng.uniform(-6, 6, (n, 2)) * noise
    return xy, ((noisy[:, 0] + noisy[:, 1]) / 10)[:, None]


GAUSSIAN_BUMPS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def multi_gaussian(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Regression: six bumps of height ±1 falling to 0 at distance 2; the target is the bump of the
    largest magnitude at the (noisy) point."""
    xy = rng.uniform(-6, 6, (n, 2))
    noisy = xy + rng.uniform(-6, 6, (n, 2)) * noise
    values = np.array(
        [
            s * np.clip(1 - np.hypot(noisy[:, 0] - cx, noisy[:, 1] - cy) / 2, 0, 1)
            for cx, cy, s in GAUSSIAN_BUMPS
        ]
    )
    pick = np.argmax(np.abs(values), axis=0)
    return xy, values[pick, np.arange(n)][:, None]


def two_moons(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's make_moons: an upper half circle (class 0) and a lower one shifted by (1, 0.5)
    (class 1), Gaussian noise of standard deviation `noise`."""
    half = n // 2
    t0, t1 = np.linspace(0, np.pi, half), np.linspace(0, np.pi, n - half)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    xy = np.vstack([upper, lower]) + rng.normal(0, noise, (n, 2))
    return xy, np.concatenate([np.zeros(half), np.ones(n - half)])[:, None]


CLASSIFICATION: dict[str, Generator] = {
    "circle": circle,
    "xor": xor,
    "gaussians": gaussians,
    "spiral": spiral,
    "two moons": two_moons,
}
REGRESSION: dict[str, Generator] = {"plane": plane, "multi-gaussian": multi_gaussian}
KINDS: dict[str, Generator] = {**CLASSIFICATION, **REGRESSION}


def generate(kind: str, n: int = 200, noise: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(points (n, 2), targets (n, 1)) of the named data set, shuffled so that a split mixes the classes."""
    if kind not in KINDS:
        raise ValueError(f"unknown data set {kind!r}: one of {', '.join(KINDS)}")
    if n < 1 or not 0 <= noise <= 1:
        raise ValueError("the size must be ≥ 1 and the noise in [0, 1]")
    rng = np.random.default_rng(seed)
    xy, target = KINDS[kind](n, float(noise), rng)
    order = rng.permutation(n)
    return xy[order], target[order]
