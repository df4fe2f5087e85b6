"""Two interleaving half-moons: a small, seeded classification data set (numpy only).

    python scripts/make_moons.py [-n 300] [--noise 0.2] [--seed 0] [-o moons.csv]

prints (or writes) CSV rows x1,x2,label. examples/build_examples.py imports `make_moons` to put the
same rows into examples/10_two_moons.json, so the data set can always be regenerated exactly.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np


def make_moons(n: int = 300, noise: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(X of shape (n, 2), labels of shape (n,)): the upper moon is class 0, the lower one class 1.

    Points are spread evenly along each moon, jittered with Gaussian noise of std `noise`, then
    shuffled; the same seed always gives the same rows (numpy's default_rng).
    """
    if n < 2:
        raise ValueError("n must be at least 2")
    rng = np.random.default_rng(seed)
    n0 = n // 2
    n1 = n - n0
    a0 = np.linspace(0.0, np.pi, n0)
    a1 = np.linspace(0.0, np.pi, n1)
    upper = np.column_stack([np.cos(a0), np.sin(a0)])
    lower = np.column_stack([1.0 - np.cos(a1), 0.5 - np.sin(a1)])
    X = np.vstack([upper, lower]) + rng.normal(0.0, noise, (n, 2))
    labels = np.concatenate([np.zeros(n0), np.ones(n1)])
    order = rng.permutation(n)
    # NOTE: centred and scaled to about [-1, 1] so that a small tanh network trains with plain SGD.
    X = (X[order] - np.array([0.5, 0.25])) / np.array([1.0, 0.5]) * 0.5
    return np.round(X, 4), labels[order]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="number of rows")
    parser.add_argument("--noise", type=float, default=0.2, help="std of the Gaussian jitter")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", help="CSV file to write (default: standard output)")
    args = parser.parse_args(argv)
    X, labels = make_moons(args.n, args.noise, args.seed)
    lines = ["x1,x2,label"] + [f"{a:g},{b:g},{int(c)}" for (a, b), c in zip(X, labels)]
    text = "\n".join(lines) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
