"""Engine speed against hand-written numpy and plain Python doing the same work, in one process.

For each workload W1–W5 (and the perceptron of examples/07): the generated training pass against
hand-written numpy (and plain Python floats where that is how one would write it), and the full trace
(every value, edge gradient and gradient, NaN-checked: what `run`, the window and the stepper use)
against the training pass on the same values. W1 and the perceptron are the graphs of scalars or tiny
vectors of exercise sheets: their training passes run over Python floats (engine/compile/scalar.py),
as do W2's and W3's (arrays of at most 8 numbers), and their traces where the floats give numpy's
numbers bit for bit (W1, the perceptron: no math functions, no matrix products through BLAS).

BLAS is pinned to one thread (set below, before numpy loads): with more threads than free cores,
OpenBLAS can slow small matmuls by 50×, and these machines are shared and noisy. Times are the
process's CPU time (time.process_time: what another process's load does not add while this one waits
for a core), and what is reported is the ratio of times (median of several rounds, the two sides
interleaved), not absolute times.

W1 and the perceptron also have a plain-Python baseline with the pass's own edges: it reads the leaf
values from their numpy arrays and returns numpy numbers and arrays, as the pass must (the trainer and
the window hold values as arrays); the bare baseline reads and returns Python floats and lists.

    .venv/bin/python bench/bench_engine.py [--rounds 7] [--quick]
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import engine  # noqa: E402
from engine.compile import codegen  # noqa: E402
from engine.compile.plan import compile_plan  # noqa: E402
from graph.document import Document  # noqa: E402


def timed(fn: Callable[[], None], repeat: int) -> float:
    start = time.process_time()
    for _ in range(repeat):
        fn()
    return (time.process_time() - start) / repeat


def compare(
    name: str, ours: Callable[[], None], numpy_: Callable[[], None], repeat: int, rounds: int
) -> float:
    ours()
    numpy_()
    ratios = []
    t_ours = []
    t_np = []
    for _ in range(rounds):
        a = timed(ours, repeat)
        b = timed(numpy_, repeat)
        t_ours.append(a)
        t_np.append(b)
        ratios.append(a / b)
    ratio = statistics.median(ratios)
    print(
        f"{name:<60} {statistics.median(t_ours) * 1e6:9.1f} µs  vs {statistics.median(t_np) * 1e6:9.1f} µs"
        f"   ratio {ratio:5.2f}×"
    )
    return ratio


def trace_vs_train(name: str, plan, params: list[int], values: list, repeat: int, rounds: int) -> float:
    """The full trace against the training pass on the same values (the numpy one: a graph of scalars
    also has a faster one over floats, which the trace does not use)."""
    fn = codegen.train_function(plan, params)
    plan.run(values)  # the first run walks the graph; the generated trace runs from the second
    with np.errstate(all="ignore"):
        return compare(
            f"{name}: trace / numpy train pass", lambda: plan.run(values), lambda: fn(values), repeat, rounds
        )


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# ----- (a) f(x, y) = x² + xy + (x + y)², forward and backward (the full trace, as `run` does)
def bench_fxy(repeat, rounds):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from helpers import f_xy

    plan = compile_plan(f_xy())
    leaves = plan.leaf_values()
    x, y = np.array(1.0), np.array(2.0)

    def hand():
        xx = x * x
        xy = x * y
        s = x + y
        ss = s * s
        t = xx + xy
        f = t + ss
        g = np.ones_like(f)
        gs = g * s + g * s
        gx = g * x + g * x + g * y + gs
        gy = g * x + gs
        return f, gx, gy

    def plain():
        xx = x_ * x_
        xy = x_ * y_
        s = x_ + y_
        ss = s * s
        f = xx + xy + ss
        g = 1.0
        gs = g * s + g * s
        return f, g * x_ + g * x_ + g * y_ + gs, g * x_ + gs

    def plain_edges():  # plain() reading the leaves' arrays and returning numpy numbers, as the pass
        a, b = float(leaves[0]), float(leaves[1])
        s = a + b
        f = a * a + a * b + s * s
        g = 1.0
        gs = g * s + g * s
        return np.float64(f), [g * a + g * a + g * b + gs, g * a + gs]

    x_, y_ = 1.0, 2.0
    inputs = plan.slots_of("input")
    fn = plan.train_function(inputs)
    compare("W1 f(x,y) fwd+bwd: train pass (floats) / numpy", lambda: fn(leaves), hand, repeat, rounds)
    compare("W1 f(x,y): train pass (floats) / plain Python", lambda: fn(leaves), plain, repeat, rounds)
    name = "W1 f(x,y): train pass / plain Python, arrays at edges"
    compare(name, lambda: fn(leaves), plain_edges, repeat, rounds)
    compare("W1 f(x,y): full trace / numpy", lambda: plan.run(leaves), hand, repeat, rounds)
    return trace_vs_train("W1 f(x,y)", plan, inputs, leaves, repeat, rounds)


# ----- (b) 2-2-1 sigmoid MLP, one SGD step per sample on XOR
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_T = np.array([[0.0], [1.0], [1.0], [0.0]])


def xor_doc(rng):
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=XOR_X[0])
    d.add_node("input", "t", value=XOR_T[0])
    d.add_node("parameter", "W1", value=rng.normal(size=(2, 2)))
    d.add_node("parameter", "b1", value=rng.normal(size=(2,)))
    d.add_node("parameter", "W2", value=rng.normal(size=(2, 1)))
    d.add_node("parameter", "b2", value=rng.normal(size=(1,)))
    for nid, op, ins in [
        ("z1", "matmul", {"a": "x", "b": "W1"}),
        ("a1", "add", {"a": "z1", "b": "b1"}),
        ("h", "sigmoid", {"x": "a1"}),
        ("z2", "matmul", {"a": "h", "b": "W2"}),
        ("a2", "add", {"a": "z2", "b": "b2"}),
        ("y", "sigmoid", {"x": "a2"}),
        ("L", "mse", {"pred": "y", "target": "t"}),
    ]:
        d.add_node(op, nid)
        for port, src in ins.items():
            d.connect(src, nid, port)
    return d


def bench_xor(repeat, rounds):
    rng = np.random.default_rng(0)
    doc = xor_doc(rng)
    plan = compile_plan(doc)
    params = plan.slots_of("parameter")
    fn = plan.train_function(params)
    values = [None if v is None else v.copy() for v in plan.leaf_values()]
    sx, st = plan.slot["x"], plan.slot["t"]
    lr = 0.5
    W1, b1, W2, b2 = (values[s].copy() for s in (plan.slot[n] for n in ("W1", "b1", "W2", "b2")))

    def ours():
        for i in range(4):
            values[sx] = XOR_X[i]
            values[st] = XOR_T[i]
            _, grads = fn(values)
            for s, g in zip(params, grads):
                values[s] -= lr * g

    def hand():
        nonlocal W1, b1, W2, b2
        for i in range(4):
            x, t = XOR_X[i], XOR_T[i]
            h = sigmoid(x @ W1 + b1)
            y = sigmoid(h @ W2 + b2)
            gy = 2.0 * (y - t) / y.size
            gz2 = gy * y * (1.0 - y)
            gW2 = np.outer(h, gz2)
            gh = gz2 @ W2.T
            gz1 = gh * h * (1.0 - h)
            gW1 = np.outer(x, gz1)
            W1 -= lr * gW1
            b1 -= lr * gz1
            W2 -= lr * gW2
            b2 -= lr * gz2

    compare("W2 XOR 2-2-1 sigmoid, SGD per sample (×4) / numpy", ours, hand, repeat, rounds)
    return trace_vs_train("W2 XOR", plan, params, values, repeat * 4, rounds)


# ----- (c) a 1,000-node chain of mul/add/tanh on a 4-vector
def bench_chain(repeat, rounds, length=1000):
    rng = np.random.default_rng(1)
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=rng.normal(size=4))
    prev = "x"
    weights = []
    for i in range(length // 3):
        w = rng.normal(scale=0.5, size=4)
        c = rng.normal(scale=0.1, size=4)
        weights.append((w, c))
        d.add_node("parameter", f"w{i}", value=w)
        d.add_node("parameter", f"c{i}", value=c)
        d.add_node("mul", f"m{i}")
        d.connect(prev, f"m{i}", "a")
        d.connect(f"w{i}", f"m{i}", "b")
        d.add_node("add", f"p{i}")
        d.connect(f"m{i}", f"p{i}", "a")
        d.connect(f"c{i}", f"p{i}", "b")
        d.add_node("tanh", f"t{i}")
        d.connect(f"p{i}", f"t{i}", "x")
        prev = f"t{i}"
    d.add_node("sum", "out")
    d.connect(prev, "out", "x")
    plan = compile_plan(d)
    fn = plan.train_function(plan.slots_of("parameter"))
    values = plan.leaf_values()
    x0 = values[plan.slot["x"]]

    def hand():
        hs = [x0]
        h = x0
        for w, c in weights:
            h = np.tanh(h * w + c)
            hs.append(h)
        g = np.ones_like(h)
        grads = []
        for k in range(len(weights) - 1, -1, -1):
            w, _ = weights[k]
            y = hs[k + 1]
            gp = g * (1.0 - y * y)
            grads.append(gp)  # ∂/∂c
            grads.append(gp * hs[k])  # ∂/∂w
            g = gp * w
        return grads

    compare(
        f"W3 chain of {3 * (length // 3)} mul/add/tanh, 4-vector / numpy",
        lambda: fn(values),
        hand,
        max(1, repeat // 20),
        rounds,
    )
    return trace_vs_train("W3 chain", plan, plan.slots_of("parameter"), values, max(1, repeat // 20), rounds)


# ----- (d) 64-256-256-10 ReLU MLP, softmax cross-entropy, batch of 128
def bench_mlp(repeat, rounds):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(128, 64))
    labels = rng.integers(0, 10, size=128).astype(np.float64)
    sizes = [64, 256, 256, 10]
    Ws = [rng.normal(scale=np.sqrt(2 / a), size=(a, b)) for a, b in zip(sizes, sizes[1:])]
    bs = [np.zeros(b) for b in sizes[1:]]
    d = Document(engine.REGISTRY)
    d.add_node("input", "X", value=X)
    d.add_node("input", "labels", value=labels)
    prev = "X"
    for i, (W, b) in enumerate(zip(Ws, bs)):
        d.add_node("parameter", f"W{i}", value=W)
        d.add_node("parameter", f"b{i}", value=b)
        d.add_node("matmul", f"z{i}")
        d.connect(prev, f"z{i}", "a")
        d.connect(f"W{i}", f"z{i}", "b")
        d.add_node("add", f"a{i}")
        d.connect(f"z{i}", f"a{i}", "a")
        d.connect(f"b{i}", f"a{i}", "b")
        prev = f"a{i}"
        if i < 2:
            d.add_node("relu", f"r{i}")
            d.connect(prev, f"r{i}", "x")
            prev = f"r{i}"
    d.add_node("cross_entropy", "L")
    d.connect(prev, "L", "pred")
    d.connect("labels", "L", "target")
    plan = compile_plan(d)
    fn = plan.train_function(plan.slots_of("parameter"))
    values = plan.leaf_values()
    idx = labels.astype(int)
    n = len(X)

    def hand():
        h0 = X
        z0 = h0 @ Ws[0] + bs[0]
        h1 = np.maximum(z0, 0)
        z1 = h1 @ Ws[1] + bs[1]
        h2 = np.maximum(z1, 0)
        z2 = h2 @ Ws[2] + bs[2]
        m = z2.max(axis=1, keepdims=True)
        e = np.exp(z2 - m)
        s = e.sum(axis=1, keepdims=True)
        logp = z2 - m - np.log(s)
        loss = -logp[np.arange(n), idx].mean()
        g = e / s
        g[np.arange(n), idx] -= 1.0
        g /= n
        gW2, gb2 = h2.T @ g, g.sum(0)
        g = (g @ Ws[2].T) * (z1 > 0)
        gW1, gb1 = h1.T @ g, g.sum(0)
        g = (g @ Ws[1].T) * (z0 > 0)
        gW0, gb0 = h0.T @ g, g.sum(0)
        return loss, gW0, gb0, gW1, gb1, gW2, gb2

    compare(
        "W4 64-256-256-10 ReLU MLP, CE, batch 128 / numpy",
        lambda: fn(values),
        hand,
        max(1, repeat // 50),
        rounds,
    )
    return trace_vs_train("W4 MLP", plan, plan.slots_of("parameter"), values, max(1, repeat // 50), rounds)


# ----- (e) Elman RNN unrolled 50 steps, hidden 32
def bench_rnn(repeat, rounds, steps=50, hidden=32, n_in=8):
    rng = np.random.default_rng(3)
    xs = rng.normal(size=(steps, n_in))
    Wx = rng.normal(scale=0.3, size=(n_in, hidden))
    Wh = rng.normal(scale=0.3, size=(hidden, hidden))
    b = np.zeros(hidden)
    Wy = rng.normal(scale=0.3, size=(hidden, 1))
    target = np.array([0.5])
    d = Document(engine.REGISTRY)
    for name, v in (("Wx", Wx), ("Wh", Wh), ("b", b), ("Wy", Wy)):
        d.add_node("parameter", name, value=v)
    d.add_node("input", "t", value=target)
    d.add_node("input", "h0", value=np.zeros(hidden))
    prev = "h0"
    for k in range(steps):
        d.add_node("input", f"x{k}", value=xs[k])
        d.add_node("matmul", f"ux{k}")
        d.connect(f"x{k}", f"ux{k}", "a")
        d.connect("Wx", f"ux{k}", "b")
        d.add_node("matmul", f"uh{k}")
        d.connect(prev, f"uh{k}", "a")
        d.connect("Wh", f"uh{k}", "b")
        d.add_node("add", f"s{k}")
        d.connect(f"ux{k}", f"s{k}", "a")
        d.connect(f"uh{k}", f"s{k}", "b")
        d.add_node("add", f"sb{k}")
        d.connect(f"s{k}", f"sb{k}", "a")
        d.connect("b", f"sb{k}", "b")
        d.add_node("tanh", f"h{k + 1}")
        d.connect(f"sb{k}", f"h{k + 1}", "x")
        prev = f"h{k + 1}"
    d.add_node("matmul", "y")
    d.connect(prev, "y", "a")
    d.connect("Wy", "y", "b")
    d.add_node("mse", "L")
    d.connect("y", "L", "pred")
    d.connect("t", "L", "target")
    plan = compile_plan(d)
    fn = plan.train_function(plan.slots_of("parameter"))
    values = plan.leaf_values()

    def hand():
        hs = [np.zeros(hidden)]
        for k in range(steps):
            hs.append(np.tanh((xs[k] @ Wx + hs[-1] @ Wh) + b))
        y = hs[-1] @ Wy
        gy = 2.0 * (y - target) / y.size
        gWy = np.outer(hs[-1], gy)
        gh = gy @ Wy.T
        gWx = np.zeros_like(Wx)
        gWh = np.zeros_like(Wh)
        gb = np.zeros_like(b)
        for k in range(steps - 1, -1, -1):
            ga = gh * (1.0 - hs[k + 1] * hs[k + 1])
            gb = gb + ga
            gWx = gWx + np.outer(xs[k], ga)
            gWh = gWh + np.outer(hs[k], ga)
            gh = ga @ Wh.T
        return gWx, gWh, gb, gWy

    compare(
        f"W5 Elman RNN unrolled {steps} steps, hidden {hidden} / numpy",
        lambda: fn(values),
        hand,
        max(1, repeat // 20),
        rounds,
    )
    return trace_vs_train("W5 RNN", plan, plan.slots_of("parameter"), values, max(1, repeat // 20), rounds)


# ----- the perceptron of examples/07: ŷ = x·w + b, L = (ŷ − t)², one sample (2-vectors)
def bench_perceptron(repeat, rounds):
    doc = engine.load(Path(__file__).resolve().parent.parent / "examples" / "07_perceptron_42.json")
    plan = compile_plan(doc)
    params = plan.slots_of("parameter")
    fn = plan.train_function(params)
    values = plan.leaf_values()
    x, w, b, t = (values[plan.slot[n]] for n in ("x", "w", "b", "t"))
    xl, wl, bf, tf = x.tolist(), w.tolist(), float(b), float(t)

    def hand():
        d = x @ w + b - t
        g = 2.0 * d
        return d * d, np.outer(x, g).reshape(w.shape) if w.ndim == 2 else x * g, g

    def plain():
        d = xl[0] * wl[0] + xl[1] * wl[1] + bf - tf
        g = 2.0 * d
        return d * d, [xl[0] * g, xl[1] * g], g

    def plain_edges():
        x0, x1 = values[sx].tolist()
        w0, w1 = values[sw].tolist()
        d = x0 * w0 + x1 * w1 + float(values[sb]) - float(values[st])
        g = 2.0 * d
        return np.float64(d * d), [np.array([x0 * g, x1 * g]), np.float64(g)]

    sx, sw, sb, st = (plan.slot[n] for n in ("x", "w", "b", "t"))

    compare("perceptron (07) one sample: train pass / numpy", lambda: fn(values), hand, repeat, rounds)
    compare(
        "perceptron (07) one sample: train pass / plain Python", lambda: fn(values), plain, repeat, rounds
    )
    name = "perceptron (07): train pass / plain Python, arrays at edges"
    compare(name, lambda: fn(values), plain_edges, repeat, rounds)
    return trace_vs_train("perceptron (07)", plan, params, values, repeat, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="a few rounds only (smoke test)")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.repeat = 1, 20
    print(f"BLAS pinned to one thread; median of {args.rounds} rounds; ratio = first time / second time")
    bench_fxy(args.repeat, args.rounds)
    bench_xor(args.repeat // 4, args.rounds)
    bench_chain(args.repeat, args.rounds)
    bench_mlp(args.repeat, args.rounds)
    bench_rnn(args.repeat, args.rounds)
    bench_perceptron(args.repeat, args.rounds)


if __name__ == "__main__":
    main()
