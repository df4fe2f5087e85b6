"""Loading big graph files: per-node cost from 1k to 100k nodes must stay flat (linear loading).

A chain x → neg → neg → … is written as a graph file and loaded; the time is compared, in the same run,
with json.loads of the same text (the floor any loader pays). Prints seconds, µs per node and the ratio.

    .venv/bin/python bench/bench_load.py [--sizes 1000 10000 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import engine  # noqa: E402


def chain_text(n: int) -> str:
    nodes = [{"id": "x", "op": "input", "value": 1.0, "position": [0, 0]}]
    edges = []
    for i in range(1, n):
        nodes.append({"id": f"n{i}", "op": "neg", "position": [i * 10, 0]})
        edges.append({"source": nodes[-2]["id"], "target": f"n{i}", "port": "x"})
    lines = ['{"format": "backprop-studio-graph", "version": 1,', '"nodes": [']
    lines.append(",\n".join(json.dumps(v) for v in nodes))
    lines.append('], "edges": [')
    lines.append(",\n".join(json.dumps(e) for e in edges))
    lines.append("]}")
    return "\n".join(lines)


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'nodes':>8} {'load s':>8} {'µs/node':>8} {'json s':>8} {'load/json':>9}")
    for n in args.sizes:
        text = chain_text(n)
        t_load = best_of(args.repeat, lambda text=text: engine.loads(text))
        t_json = best_of(args.repeat, lambda text=text: json.loads(text))
        print(f"{n:>8} {t_load:>8.3f} {t_load / n * 1e6:>8.1f} {t_json:>8.3f} {t_load / t_json:>9.1f}")


if __name__ == "__main__":
    main()
