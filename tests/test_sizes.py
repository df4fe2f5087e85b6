"""Sizes are checked before anything is allocated (issue 10, item 2): a node whose value would be too
large, a graph too large in all, an init shape too large to draw, training settings beyond the
window's ranges, and a long run that Ctrl+C stops while keeping the last good weights."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from helpers import perceptron

import engine
import main
from engine.compile.plan import compile_plan
from engine.train.errors import TrainingError
from engine.train.initialisers import InitError, initial_values
from engine.train.settings import MAX_BATCH_SIZE, MAX_EPOCHS, MAX_SEED, settings_from
from graph.errors import SizeError
from graph.file_format import save
from graph.validation import can_connect, find_problems
from graph.values import MAX_ELEMENTS, MAX_GRAPH_ELEMENTS

ROOT = Path(__file__).resolve().parent.parent


def outer_sum(rows: int, cols: int) -> engine.Document:
    """a (rows, 1) column plus a (1, cols) row: small leaves, a rows × cols sum."""
    d = engine.new_document()
    d.add_node("input", "a", value=np.zeros((rows, 1)))
    d.add_node("input", "b", value=np.zeros((1, cols)))
    d.add_node("add", "big")
    d.connect("a", "big", "a")
    d.connect("b", "big", "b")
    d.add_node("sum", "L")
    d.connect("big", "L", "x")
    return d


def test_a_node_too_large_is_refused_from_its_shape_naming_it():
    doc = outer_sum(20_000, 20_000)  # 4·10⁸ numbers, 3.2 GB if it were computed
    with pytest.raises(SizeError, match=r"node 'big' \(add\) would hold 400,000,000 numbers"):
        compile_plan(doc)
    problems, shapes = find_problems(doc, engine.REGISTRY)
    assert [p.node for p in problems] == ["big"] and "big" not in shapes and "L" not in shapes


def test_a_node_at_the_limit_is_accepted():
    assert MAX_ELEMENTS == 10_000_000
    problems, shapes = find_problems(outer_sum(4_000, 2_500), engine.REGISTRY)
    assert problems == [] and shapes["big"] == (4_000, 2_500)


def test_the_graph_together_is_bounded_naming_the_node_that_crosses_the_limit():
    # Each of big, n1, n2, … holds 4,000 × 2,500 = 10⁷ numbers; the leaves 6,500. The total passes
    # 5·10⁷ at the fifth of them, n4: 6,500 + 5·10⁷ > 5·10⁷ (and 6,500 + 4·10⁷ is not).
    assert MAX_GRAPH_ELEMENTS == 50_000_000
    doc = outer_sum(4_000, 2_500)
    doc.remove_node("L")
    previous = "big"
    for i in range(1, 7):
        doc.add_node("neg", f"n{i}")
        doc.connect(previous, f"n{i}", "x")
        previous = f"n{i}"
    problems, _ = find_problems(doc, engine.REGISTRY)
    assert len(problems) == 1 and isinstance(problems[0], SizeError) and problems[0].node == "n4"
    assert "more than 50,000,000 numbers" in str(problems[0])


def test_an_edge_that_would_make_a_node_too_large_cannot_be_drawn():
    doc = outer_sum(20_000, 20_000)
    doc.disconnect("b", "big", "b")
    refusal = can_connect(doc, engine.REGISTRY, "b", "big", "b")
    assert isinstance(refusal, SizeError) and refusal.node == "big"


def test_run_on_a_file_with_a_huge_sum_fails_fast_with_one_line(tmp_path, capsys):
    path = tmp_path / "big.json"
    save(outer_sum(20_000, 20_000), path)
    t0 = time.perf_counter()
    assert main.main(["run", str(path)]) == main.EXIT_INVALID
    assert time.perf_counter() - t0 < 5.0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'big'" in err and "400,000,000" in err


@pytest.mark.parametrize(
    ("shape", "shown"), [([10**30], "[1000000000000000000000000000000]"), ([1] * 9, "of 9 dimensions")]
)
def test_an_init_shape_too_large_is_refused_before_drawing(shape, shown):
    doc = engine.new_document()
    doc.add_node("parameter", "W", init={"kind": "normal", "shape": shape})
    with pytest.raises(
        InitError, match=re.escape(f"parameter 'W': init 'shape' {shown} is too large")
    ) as info:
        initial_values(doc)
    assert info.value.node == "W" and info.value.key == "shape"


def test_train_reinit_with_a_huge_init_shape_exits_2(tmp_path, capsys):
    doc = perceptron()
    doc.node("w").value = None
    doc.node("w").init = {"kind": "xavier_uniform", "shape": [100_000, 100_000]}  # 74.5 GiB
    path = tmp_path / "p.json"
    save(doc, path)
    assert main.main(["train", str(path), "--reinit", "--quiet"]) == main.EXIT_INVALID
    assert "init 'shape' [100000, 100000] is too large" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("key", "value", "limit"),
    [("seed", 2**70, MAX_SEED), ("batch_size", 10**18, MAX_BATCH_SIZE), ("epochs", 10**12, MAX_EPOCHS)],
)
def test_training_settings_beyond_the_windows_ranges_are_refused(key, value, limit):
    assert settings_from({key: limit}) is not None  # the limit itself is allowed
    with pytest.raises(TrainingError, match=f"training '{key}' must be") as info:
        settings_from({key: value})
    assert info.value.key == key


def test_the_window_ranges_are_the_training_panel_widgets():
    assert (MAX_EPOCHS, MAX_BATCH_SIZE, MAX_SEED) == (100_000_000, 1_000_000, 2**31 - 1)


def test_many_epochs_from_the_command_line_need_allow_long(tmp_path, capsys):
    path = tmp_path / "p.json"
    save(perceptron(), path)
    assert main.main(["train", str(path), "--epochs", str(10**12), "--quiet"]) == main.EXIT_INVALID
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--allow-long" in err
    assert settings_from({}, max_epochs=None, epochs=10**12).epochs == 10**12


def test_ctrl_c_stops_a_long_run_and_keeps_the_last_good_weights(tmp_path):
    path, out = tmp_path / "p.json", tmp_path / "trained.json"
    save(perceptron(), path)
    command = [sys.executable, str(ROOT / "main.py"), "train", str(path), "--epochs", str(10**12)]
    proc = subprocess.Popen(
        [*command, "--allow-long", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stderr is not None and proc.stderr.read(2) == b"\r["  # the progress bar: training runs
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == main.EXIT_INTERRUPTED
    assert stdout.decode().startswith("stopped: ") and "interrupted" in stderr.decode()
    assert "Traceback" not in stderr.decode()
    # From zero weights SGD on one row converges to the least-norm solution 42·x/|x|² = (4, 16, 8).
    trained = json.loads(out.read_text())
    w = next(n["value"] for n in trained["nodes"] if n["id"] == "w")
    assert np.allclose(w, [4.0, 16.0, 8.0])


def test_ctrl_c_outside_training_ends_quietly(tmp_path):
    path = tmp_path / "slow.json"
    save(outer_sum(4_000, 2_500), path)  # check runs 10⁷-number passes for seconds
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "check", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None and proc.stdout.readline().startswith(str(path).encode())  # checking
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == main.EXIT_INTERRUPTED and stderr == b"\ninterrupted\n"
