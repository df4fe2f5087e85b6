"""How the engine scales with the graph: µs per node for load, compile, generate, run and train pass.

Two kinds of graph of n nodes, written as graph files and loaded back:
- chain: a parameter p (a 4-vector) → tanh → mul by a constant → tanh → … → sum;
- dag: a random DAG (seed 0) of tanh(a + b) and tanh(a − b) over 4-vectors, each taking one input not
  yet consumed and one anywhere before it, the leftovers added into the output (every node reaches it).
Every stage must cost the same per node at 1k, 10k and 100k nodes (linear); a 10k-node graph must load,
compile and run in under 1 s, a 100k-node one in under 10 s (the "total" column). Stages:
- load: the file's text to a document (engine.loads);
- compile: validation, shape inference, order, slots, backward schedule (compile_plan);
- run: the first full trace (every value and gradient, NaN check), walked node by node as a first run
  is — what `main.py run` does after load and compile;
- generate: the training pass generated and compiled to Python bytecode (what a second run, the window
  or training pay once per graph version; the trace pass costs about the same);
- train: one generated training pass (the gradients of the parameters only).

    .venv/bin/python bench/bench_scaling.py [--sizes 1000 10000 100000] [--kinds chain dag]
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import engine  # noqa: E402
from engine.compile.plan import compile_plan  # noqa: E402

VECTOR = [0.5, -0.25, 0.75, -0.5]


def _file_text(nodes: list[dict], edges: list[tuple[str, str, str]]) -> str:
    data = {
        "format": "backprop-studio-graph",
        "version": 1,
        "nodes": nodes,
        "edges": [{"source": s, "target": t, "port": p} for s, t, p in edges],
    }
    return json.dumps(data, indent=1)


def chain_text(n: int) -> str:
    """p → tanh → mul(·, c) → tanh → … → sum: n nodes in all (one parameter, one constant)."""
    nodes = [
        {"id": "p", "op": "parameter", "value": VECTOR},
        {"id": "c", "op": "constant", "value": 0.9},
    ]
    edges = []
    prev = "p"
    for i in range(n - 3):
        node = f"n{i}"
        if i % 2:
            nodes.append({"id": node, "op": "mul"})
            edges += [(prev, node, "a"), ("c", node, "b")]
        else:
            nodes.append({"id": node, "op": "tanh"})
            edges.append((prev, node, "x"))
        prev = node
    nodes.append({"id": "out", "op": "sum"})
    edges.append((prev, "out", "x"))
    return _file_text(nodes, edges)


def dag_text(n: int, seed: int = 0) -> str:
    """A random DAG of about n nodes, tanh(a + b) and tanh(a − b), values in [-1, 1] (a product of such
    values would sink into subnormal numbers, which the CPU computes a hundred times slower)."""
    rng = random.Random(seed)
    leaves = max(4, n // 20)
    nodes = [
        {"id": f"l{i}", "op": "parameter", "value": [rng.uniform(-1, 1) for _ in VECTOR]}
        for i in range(leaves)
    ]
    edges: list[tuple[str, str, str]] = []
    bounded = [node["id"] for node in nodes]  # nodes whose values stay in [-1, 1]
    unconsumed = list(bounded)
    while len(nodes) < n - 2 * len(unconsumed):
        a = unconsumed.pop(rng.randrange(len(unconsumed)))
        b = bounded[rng.randrange(len(bounded))]
        k = len(nodes)
        op = "add" if rng.random() < 0.5 else "sub"
        nodes += [{"id": f"s{k}", "op": op}, {"id": f"t{k}", "op": "tanh"}]
        edges += [(a, f"s{k}", "a"), (b, f"s{k}", "b"), (f"s{k}", f"t{k}", "x")]
        top = f"t{k}"
        bounded.append(top)
        unconsumed.append(top)
    while len(unconsumed) > 1:  # fold what nothing consumes into one value
        a, b = unconsumed.pop(), unconsumed.pop()
        k = len(nodes)
        nodes.append({"id": f"f{k}", "op": "add"})
        edges += [(a, f"f{k}", "a"), (b, f"f{k}", "b")]
        unconsumed.insert(0, f"f{k}")
    nodes.append({"id": "out", "op": "sum"})
    edges.append((unconsumed[0], "out", "x"))
    return _file_text(nodes, edges)


def seconds(fn) -> tuple[float, object]:
    """CPU seconds of this process (on a shared machine, wall time adds the waits for a core)."""
    t0 = time.process_time()
    result = fn()
    return time.process_time() - t0, result


def measure(text: str) -> dict[str, float]:
    gc.collect()  # the previous graph's garbage is not this one's time
    t_load, doc = seconds(lambda: engine.loads(text))
    t_compile, plan = seconds(lambda: compile_plan(doc))
    params = plan.slots_of("parameter")
    t_run, _ = seconds(plan.run)
    t_gen, train = seconds(lambda: plan.train_function(params))
    leaves = plan.leaf_values()
    t_train, _ = seconds(lambda: train(leaves))
    return {
        "nodes": len(doc),
        "load": t_load,
        "compile": t_compile,
        "generate": t_gen,
        "run": t_run,
        "train": t_train,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--kinds", nargs="+", default=["chain", "dag"], choices=["chain", "dag"])
    args = parser.parse_args()
    stages = ("load", "compile", "run", "generate", "train")
    print("CPU µs per node (BLAS on one thread); total = load + compile + run, in CPU seconds")
    print(f"{'graph':>6} {'nodes':>8} " + " ".join(f"{s:>9}" for s in stages) + f" {'total s':>8}")
    for kind in args.kinds:
        make = chain_text if kind == "chain" else dag_text
        for n in args.sizes:
            m = measure(make(n))
            per = " ".join(f"{m[s] / m['nodes'] * 1e6:>9.1f}" for s in stages)
            total = m["load"] + m["compile"] + m["run"]
            print(f"{kind:>6} {int(m['nodes']):>8} {per} {total:>8.2f}", flush=True)


if __name__ == "__main__":
    main()
