"""A graph with open ports: what can be computed is, and every other node says what it waits for
(engine/compile/partial.py, `main.py run` on an unfinished graph). Numbers derived by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import f_xy, masha_relu

import engine
from engine.compile.partial import partial_run
from engine.compile.plan import run
from graph.document import Edge
from graph.errors import OutputError
from graph.file_format import save

ROOT = Path(__file__).resolve().parent.parent


def _fxy_without_x_into_s():
    """f(x, y) at x = 1, y = 2 with the edge x → s.a not yet drawn: t = x·x + x·y is the one end."""
    d = f_xy()
    d.disconnect("x", "s", "a")
    return d


def test_values_where_inputs_are_complete_and_gradients_of_the_one_computable_end():
    part = partial_run(_fxy_without_x_into_s())
    assert part.computed == ["x", "y", "xx", "xy", "t"]
    assert not part.complete
    # x·x = 1, x·y = 2, t = 3
    assert [float(part.value(n)) for n in part.computed] == [1.0, 2.0, 1.0, 2.0, 3.0]
    # The gradients are of t = x² + xy: ∂t/∂x = 2x + y = 4, ∂t/∂y = x = 1.
    assert part.output == "t"
    assert float(part.grad("x")) == 4.0 and float(part.grad("y")) == 1.0
    assert float(part.grad("xx")) == 1.0 and float(part.grad("xy")) == 1.0
    # Per edge: x → x·y.a carries ∂t/∂(xy)·y = 2; x → x·x.a carries the other x, 1.
    assert float(part.edge_grad(Edge("x", "xy", "a"))) == 2.0
    assert float(part.edge_grad(Edge("x", "xx", "a"))) == 1.0
    # s waits, so its input edge from y has a value and no gradient.
    assert part.value("s") is None and part.grad("s") is None
    assert part.edge_grad(Edge("y", "s", "b")) is None


def test_a_waiting_node_names_the_port_or_the_node_it_waits_for():
    part = partial_run(_fxy_without_x_into_s())
    assert set(part.waiting) == {"s", "ss", "f"}
    assert part.reason("s") == "waits for port a"
    assert part.reason("ss") == "waits for s (which waits for port a)"
    assert part.reason("f") == "waits for ss (which waits for s, which waits for port a)"
    assert part.reason("x") is None
    titles = {"s": "x + y", "ss": "(x + y)²"}
    assert part.reason("f", lambda n: titles.get(n, n)) == (
        "waits for (x + y)² (which waits for x + y, which waits for port a)"
    )


def test_two_computable_ends_give_values_only():
    d = f_xy()
    d.disconnect("ss", "f", "b")  # t and ss are both ends: no single output
    part = partial_run(d)
    assert part.output is None
    assert float(part.value("ss")) == 9.0 and float(part.value("t")) == 3.0  # (1 + 2)², 1 + 2
    assert all(part.grad(n) is None for n in part.computed)
    assert part.reason("f") == "waits for port b"


def test_a_node_waiting_for_its_own_port_and_for_a_waiting_input():
    d = f_xy()
    d.disconnect("x", "xx", "b")
    d.disconnect("ss", "f", "b")
    part = partial_run(d)
    assert part.reason("t") == "waits for xx (which waits for port b)"
    assert part.reason("f") == "waits for port b and t (which waits for xx, which waits for port b)"


def test_training_loss_not_reachable_falls_back_to_the_computable_end():
    """Masha's network without the target's value: L waits; ŷ = ReLU(x·W1)·W2 = 1 is the end."""
    d = masha_relu()
    d.set_value("t", None)
    d.set_training({"loss": "L"})
    part = partial_run(d)
    assert part.reason("t") == "needs a value or a dataset column"
    assert part.reason("L") == "waits for t (which needs a value or a dataset column)"
    assert part.output == "yhat" and part.value("yhat").tolist() == [1.0]
    # ∂ŷ/∂W2 = hᵀ = (2, 0)ᵀ; ∂ŷ/∂h = W2ᵀ = (0.5, 1); the ReLU mask (1, 0) gives ∂ŷ/∂(xW1) = (0.5, 0);
    # ∂ŷ/∂W1 = xᵀ·(0.5, 0) = [[0.5, 0], [1, 0]].
    assert part.grad("W2").tolist() == [[2.0], [0.0]]
    assert part.grad("O").tolist() == [0.5, 1.0]
    assert part.grad("W1").tolist() == [[0.5, 0.0], [1.0, 0.0]]


def test_a_reachable_training_loss_is_the_output_even_with_other_nodes_waiting():
    d = masha_relu()
    d.set_training({"loss": "L"})
    d.add_node("relu", "loose")  # its port x is open: waits, and changes nothing else
    part = partial_run(d)
    assert part.output == "L" and float(part.value("L")) == 1.0  # (1 − 0)²
    assert part.grad("W2").tolist() == [[4.0], [0.0]]  # hᵀ·2(ŷ − t) = (4, 0)ᵀ
    assert part.reason("loose") == "waits for port x"


def test_a_vector_end_gives_values_only():
    d = masha_relu()
    d.disconnect("O", "yhat", "a")  # the end is h = ReLU(x·W1) = (2, 0): not one number
    part = partial_run(d)
    assert part.output is None and part.value("O").tolist() == [2.0, 0.0]
    assert part.grad("O") is None


def test_an_explicit_output_that_waits_gives_values_only_and_an_unknown_one_is_refused():
    d = _fxy_without_x_into_s()
    part = partial_run(d, output="f")
    assert part.output is None and float(part.value("t")) == 3.0
    with pytest.raises(OutputError):
        partial_run(d, output="nope")


def test_a_complete_graph_agrees_with_the_full_run():
    d = f_xy()
    part = partial_run(d)
    trace = run(d)
    assert part.complete and part.output == "f"
    for n in d.node_ids():
        assert np.array_equal(part.value(n), trace.value(n))
        assert np.array_equal(part.grad(n), trace.grad(n))


def test_a_long_chain_is_shortened_to_its_first_and_last_links():
    d = engine.new_document()
    previous = None
    for i in range(6):
        d.add_node("neg", f"n{i}")
        if previous is not None:
            d.connect(previous, f"n{i}", "x")
        previous = f"n{i}"
    part = partial_run(d)
    assert part.reason("n5") == (
        "waits for n4 (which waits for n3, which waits for …, which waits for n0, which waits for port x)"
    )


def test_a_nan_in_the_computable_part_is_reported_and_the_values_stay():
    d = f_xy()
    d.add_node("input", "m", value=-1.0)
    d.add_node("log", "bad")
    d.connect("m", "bad", "x")
    d.add_node("add", "open")
    d.connect("bad", "open", "a")
    part = partial_run(d)
    assert part.error is not None and "bad" in part.error
    assert float(part.value("f")) == 12.0  # 1 + 2 + 9
    assert np.isnan(part.value("bad"))


def test_an_empty_graph_computes_nothing():
    part = partial_run(engine.new_document())
    assert part.computed == [] and part.waiting == {} and part.trace is None


# ----- main.py run
def _main(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, cwd=ROOT
    )


def test_run_prints_what_an_unfinished_graph_computes_and_still_exits_2(tmp_path):
    path = tmp_path / "open.json"
    save(_fxy_without_x_into_s(), path)
    proc = _main("run", str(path))
    assert proc.returncode == 2
    assert proc.stderr == "error: node 's' (add): input port 'a' is not connected\n"
    out = proc.stdout.splitlines()
    assert "output t = 3" in out
    assert any(line.split()[:6] == ["x", "input", "value", "1", "grad", "4"] for line in out)
    assert any(line.split()[:3] == ["f", "add", "waits"] and "port a" in line for line in out)
    assert "  y → s.b:  value 2" in out  # an edge into a waiting node: a value, no gradient


def test_run_json_of_an_unfinished_graph(tmp_path):
    path = tmp_path / "open.json"
    save(_fxy_without_x_into_s(), path)
    proc = _main("run", "--json", str(path))
    assert proc.returncode == 2
    data = json.loads(proc.stdout)
    assert data["complete"] is False and data["output"] == "t"
    assert data["nodes"]["x"] == {"value": 1.0, "grad": 4.0}
    assert data["waiting"]["s"] == "waits for port a"
    assert {"source": "y", "target": "s", "port": "b", "value": 2.0, "grad": None} in data["edges"]


def test_run_of_a_graph_whose_one_end_is_a_vector_prints_its_values(tmp_path):
    d = engine.new_document()
    d.add_node("input", "x", value=[1.0, -2.0])
    d.add_node("relu", "r")
    d.connect("x", "r", "x")
    path = tmp_path / "vector.json"
    save(d, path)
    proc = _main("run", str(path))
    assert proc.returncode == 2 and "not a scalar" in proc.stderr
    out = proc.stdout.splitlines()
    assert any(line.split()[:3] == ["r", "relu", "value"] and line.endswith("(1, 0)") for line in out)
    assert "waiting:" not in out
    data = json.loads(_main("run", "--json", str(path)).stdout)
    assert data["complete"] is True and data["output"] is None
    assert data["nodes"]["r"] == {"value": [1.0, 0.0], "grad": None}  # ReLU(1, −2) = (1, 0)
