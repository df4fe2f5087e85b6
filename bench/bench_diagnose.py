"""Diagnostics speed on two moons (examples/11_two_moons.json: 2-8-1 tanh/sigmoid, 300 rows), against
hand-written numpy doing the same work, in one process; BLAS on one thread (as bench_engine.py).

- boundary: the output and the 8 hidden units over a 100×100 grid (``decision_boundary``): refreshes
  per second (the issue asks ≥ 5);
- training slowdown: updates per second while the boundary is recomputed 5 times a second in the same
  thread, against training alone (the issue asks ≤ 20 % slower);
- landscape: the loss on a 41×41 filter-normalised plane (the issue asks ≤ 5 s).

    .venv/bin/python bench/bench_diagnose.py [--rounds 5]
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import engine  # noqa: E402
from engine.diagnose.boundary import decision_boundary  # noqa: E402
from engine.diagnose.landscape import filter_normalised, loss_plane  # noqa: E402
from engine.diagnose.model import Model  # noqa: E402
from engine.train.settings import settings_from  # noqa: E402
from engine.train.trainer import Trainer  # noqa: E402

REFRESH = 0.2  # seconds between boundary refreshes while training (5 a second)


def best_of(fn: Callable[[], object], rounds: int) -> float:
    """The median time of one call over `rounds` calls (after one warm-up)."""
    fn()
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def numpy_net(model: Model) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    p = model.parameters()
    w1, b1, w2, b2 = p["W1"], p["b1"], p["W2"], p["b2"]

    def net(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        h = np.tanh(x @ w1 + b1)
        return 1.0 / (1.0 + np.exp(-(h @ w2 + b2))), h

    return net


def bench_boundary(model: Model, rounds: int) -> None:
    net = numpy_net(model)
    xs, ys = np.linspace(-1.5, 2.5, 100), np.linspace(-1.0, 1.5, 100)

    def by_hand() -> None:
        grid = np.column_stack([g.ravel() for g in np.meshgrid(xs, ys)])
        out, h = net(grid)
        out.reshape(100, 100), h.T.reshape(8, 100, 100)

    ours = best_of(lambda: decision_boundary(model, resolution=100), rounds)
    theirs = best_of(by_hand, rounds)
    print(f"boundary 100×100 + 8 units: {ours * 1e3:7.2f} ms ({1 / ours:6.0f} refreshes/s)   "
          f"numpy {theirs * 1e3:6.2f} ms   ratio {ours / theirs:5.1f}×")  # fmt: skip


def updates_per_second(doc: engine.Document, seconds: float, refresh: bool) -> float:
    trainer = Trainer.create(doc, settings_from(doc.training, epochs=10**6))
    model = Model.create(doc)
    t_end = time.perf_counter() + seconds
    next_refresh = time.perf_counter() + REFRESH
    n = 0
    while time.perf_counter() < t_end:
        for _ in range(50):
            trainer.step()
        n += 50
        if refresh and time.perf_counter() >= next_refresh:
            model.set_parameters(trainer.parameters())
            decision_boundary(model, resolution=100)
            next_refresh += REFRESH
    return n / seconds


def bench_slowdown(doc: engine.Document, seconds: float) -> None:
    alone = updates_per_second(doc, seconds, refresh=False)
    live = updates_per_second(doc, seconds, refresh=True)
    print(f"training alone {alone:8.0f} updates/s, with the boundary 5×/s {live:8.0f} updates/s: "
          f"{(1 - live / alone) * 100:5.1f} % slower")  # fmt: skip


def bench_landscape(model: Model, rounds: int) -> None:
    rng = np.random.default_rng(0)
    d1, d2 = filter_normalised(model, rng), filter_normalised(model, rng)
    x = model.columns[model.plan.slot["x"]]
    t = model.columns[model.plan.slot["t"]]
    theta = model.flat()

    def by_hand() -> None:
        grid = np.linspace(-1, 1, 41)
        out = np.empty((41, 41))
        for i, b in enumerate(grid):
            for j, a in enumerate(grid):
                p = model.unflatten(theta + a * d1 + b * d2)
                h = np.tanh(x @ p["W1"] + p["b1"])
                q = np.clip(1.0 / (1.0 + np.exp(-(h @ p["W2"] + p["b2"]))), 1e-12, 1 - 1e-12)
                out[i, j] = -np.mean(t * np.log(q) + (1 - t) * np.log(1 - q))

    ours = best_of(lambda: loss_plane(model, steps=41, directions=(d1, d2)), max(1, rounds // 2))
    theirs = best_of(by_hand, max(1, rounds // 2))
    print(
        f"landscape 41×41 (300 rows):  {ours:7.3f} s    numpy {theirs:6.3f} s   ratio {ours / theirs:5.1f}×"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0, help="training time per slowdown run")
    args = parser.parse_args()
    doc = engine.load(ROOT / "examples" / "11_two_moons.json")
    model = Model.create(doc)
    print(f"rows in one pass: {model.batched}")
    bench_boundary(model, args.rounds)
    bench_landscape(model, args.rounds)
    bench_slowdown(doc, args.seconds)


if __name__ == "__main__":
    main()
