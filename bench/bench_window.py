"""The whole window on big graphs: opening a file, a value edit, a structural edit, a drag step.

    .venv/bin/python bench/bench_window.py [--sizes 500 2000 5000] [--repeat 10]

The window is built as `main.py` builds it (every panel installed; offscreen), with the training panel's
activation preview on. The graph: a random network-like DAG of scalars, a quarter parameters and the rest
tanh and add nodes wired to the nodes just before them, laid out in columns. Timed, each up to the repaint
of the canvas (events processed):
- open: `open_file` of the graph file (load, canvas, first compile and run, the panels' refreshes);
- value edit: a parameter's value set through the undo stack, then everything re-run and repainted; the
  first one comes right after opening (printed apart: the new plan's trace code is generated then, not
  yet while idle), the others after a pause of PAUSE seconds, as a user pauses between edits;
- structural edit: a parameter node added (and removed by undo), each a compile, run and repaint, each
  after a pause (the window generates the new plan's code while idle, out of the timings);
- drag step: a node with its edges moved and the view repainted, at 100% zoom and with the whole graph
  fitted.
Targets at 5,000 nodes: value edit under 100 ms, structural edit under 300 ms, open under 3 s, drag step
under 30 ms at any zoom. Each edit must compile at most once (the plan cache's count is printed).
BLAS threads are pinned to 1; timings vary with the machine's load, so they are reported, never asserted
(each with the CPU time it took, which a busy machine inflates less than the wall clock).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the other benchmarks' helpers

from bench_canvas import show_at  # noqa: E402

COLUMN = 25  # nodes per column of the layout
PAUSE = 0.5  # seconds between timed edits, events processed (the window's idle work happens then)


def graph_text(n: int, seed: int = 0) -> str:
    """n nodes: every fourth a parameter, the others tanh(one recent node) or add(two recent nodes);
    training.loss is the last node (scalars, so every node has a value)."""
    rng = random.Random(seed)
    nodes: list[dict] = []
    edges: list[dict] = []
    recent: list[str] = []
    for i in range(n):
        node_id = f"n{i}"
        position = [(i // COLUMN) * 160.0, (i % COLUMN) * 90.0]
        if i % 4 == 0 or len(recent) < 2:
            value = rng.uniform(-1, 1)
            nodes.append({"id": node_id, "op": "parameter", "value": value, "position": position})
        elif i % 4 == 1:
            nodes.append({"id": node_id, "op": "tanh", "position": position})
            edges.append({"source": rng.choice(recent[-8:]), "target": node_id, "port": "x"})
        else:
            nodes.append({"id": node_id, "op": "add", "position": position})
            a, b = rng.sample(recent[-8:], 2)
            edges += [{"source": s, "target": node_id, "port": p} for s, p in ((a, "a"), (b, "b"))]
        recent.append(node_id)
    data = {"format": "backprop-studio-graph", "version": 1, "nodes": nodes, "edges": edges,
            "training": {"loss": nodes[-1]["id"]}}  # fmt: skip
    return json.dumps(data)


def timed(app, view, action: Callable[[], object]) -> tuple[float, float]:
    """Seconds from the action to its repaint, every posted event (coalesced signals) processed, and the
    process's CPU seconds meanwhile (steadier than the wall clock on a busy machine)."""
    t0, c0 = time.perf_counter(), time.process_time()
    action()
    app.processEvents()
    view.viewport().repaint()
    return time.perf_counter() - t0, time.process_time() - c0


def pause(app) -> None:
    end = time.perf_counter() + PAUSE
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)


def ms(timings: list[tuple[float, float]]) -> str:
    times = [wall for wall, _ in timings]
    cpu = statistics.median(c for _, c in timings) * 1000
    low, high = min(times) * 1000, max(times) * 1000
    return f"median {statistics.median(times) * 1000:7.1f} ms (min {low:.1f}, max {high:.1f}; CPU {cpu:.1f})"


def measure(app, window, path: str, repeat: int) -> dict[str, object]:
    from PySide6.QtCore import QPointF

    from engine.compile.cache import PLANS
    from graph.edits import AddNode, SetValue

    bridge, view, scene = window.bridge, window.view, window.scene
    compiled = PLANS.compilations
    t_open = timed(app, view, lambda: window.open_file(path, ask=False))
    counts = {"open": PLANS.compilations - compiled}
    assert bridge.trace is not None, bridge.error_message
    values, compiled = [], PLANS.compilations
    for i in range(repeat + 1):
        values.append(timed(app, view, lambda i=i: bridge.push(SetValue("n0", 0.25 + 0.5 * (i % 2)))))
        pause(app)
    counts["value edits"] = PLANS.compilations - compiled
    structural, compiled = [], PLANS.compilations
    for i in range(repeat):
        add = AddNode("parameter", f"extra{i}", value=1.0)
        structural.append(timed(app, view, lambda add=add: bridge.push(add)))
        pause(app)
        structural.append(timed(app, view, bridge.undo))
        pause(app)
    counts["structural edits"] = PLANS.compilations - compiled
    drags: dict[str, list[tuple[float, float]]] = {}
    hub = scene.nodes["n2"]
    for zoom in ("100%", "fit"):
        show_at(app, view, zoom, hub)
        drags[zoom] = []
        for i in range(repeat * 3):
            p = hub.pos() + QPointF(40 if i % 2 == 0 else -40, 20 if i % 2 == 0 else -20)
            drags[zoom].append(timed(app, view, lambda p=p: hub.setPos(p)))
    return {"open": t_open, "first value": values[0], "value": values[1:], "structural": structural,
            "drag": drags, "counts": counts}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 5000])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from gui.app import build_window

    window = build_window(autosave=False)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    with tempfile.TemporaryDirectory() as folder:
        for n in args.sizes:
            path = os.path.join(folder, f"graph{n}.json")
            Path(path).write_text(graph_text(n))
            window.training_panel.activation_plot.choose("n1")  # the preview follows every edit
            r = measure(app, window, path, args.repeat)
            print(f"{n} nodes ({len(window.scene.edges)} edges); compiles: {r['counts']}")
            print(f"  open the file:                 {ms([r['open']])}")
            print(f"  value edit right after open:   {ms([r['first value']])}")
            print(f"  value edit:                    {ms(r['value'])}")
            print(f"  structural edit:               {ms(r['structural'])}")
            for zoom, times in r["drag"].items():
                print(f"  drag step at {zoom:>4}:           {ms(times)}", flush=True)
            window.bridge.undo_stack.setClean()  # nothing to save before the next file
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
