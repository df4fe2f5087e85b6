"""Start-up of `main.py run` on example 01 against the floor, `python -c "import numpy"`.

Each command runs as a fresh process, the commands interleaved, the best of --repeat kept (the least
disturbed by the rest of the machine). The document keeps its graph in plain dicts and imports networkx
only when ``doc.g`` is asked for (a structural algorithm: layout, can_connect, a graph that does not
compile), so "import numpy, networkx" shows what `run` no longer pays once validation does not ask for
it either (the last line lists networkx among the costliest packages when `run` imports it); sympy is
not imported by `run` (the symbolic forms import it when asked). Target: `main.py run` under 150 ms
more than `import numpy`.

    .venv/bin/python bench/bench_startup.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    py = sys.executable
    commands = {
        'python -c "import numpy"': [py, "-c", "import numpy"],
        'python -c "import numpy, networkx"': [py, "-c", "import numpy, networkx"],
        'python -c "import engine"': [py, "-c", "import engine"],
        "main.py run examples/01_computation_graph.json": [
            py, "main.py", "run", "examples/01_computation_graph.json"
        ],
    }  # fmt: skip
    best = {name: float("inf") for name in commands}
    for _ in range(args.repeat):
        for name, command in commands.items():
            t0 = time.perf_counter()
            subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
            best[name] = min(best[name], time.perf_counter() - t0)
    floor = best['python -c "import numpy"']
    for name, seconds in best.items():
        print(f"{name:<50} {seconds * 1e3:6.0f} ms   (+{(seconds - floor) * 1e3:4.0f} ms over numpy)")
    print(f"import time by top-level package in `main.py run` (-X importtime, one run): {packages(py)}")


def packages(py: str) -> str:
    """The five top-level packages that cost `main.py run` most import time, in ms."""
    lines = subprocess.run(
        [py, "-X", "importtime", "main.py", "run", "examples/01_computation_graph.json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stderr.splitlines()  # fmt: skip
    totals: dict[str, float] = {}
    for line in lines:
        if line.startswith("import time:") and "|" in line and "self" not in line:
            self_us, _, name = (part.strip() for part in line[len("import time:") :].split("|"))
            top = name.split(".")[0]
            totals[top] = totals.get(top, 0.0) + int(self_us) / 1000
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:5]
    return ", ".join(f"{name} {ms:.0f}" for name, ms in ranked)

if __name__ == "__main__":
    main()
