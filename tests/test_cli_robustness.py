"""The command line under careless use (issue 10): escapes from files, closed pipes, unwritable images."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "01_computation_graph.json"


def _main(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          cwd=ROOT, **kwargs)


def test_an_id_with_a_newline_and_a_terminal_escape_is_shown_escaped_on_one_line(tmp_path):
    path = tmp_path / "esc.json"
    path.write_text('{"format": "backprop-studio-graph", "version": 1, '
                    '"nodes": [{"id": "a\\u001b[31mRED\\nX", "op": "nope"}]}')
    proc = _main("run", str(path))
    assert proc.returncode == 2
    assert "\x1b" not in proc.stderr and proc.stderr.count("\n") == 1
    assert "\\x1b[31mRED\\nX" in proc.stderr


def test_a_closed_pipe_ends_quietly():
    proc = subprocess.run(f"{sys.executable} main.py run examples/11_two_moons.json | head -c 20",
                          shell=True, capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_render_into_a_missing_folder_fails_and_says_why(tmp_path, suffix):
    out = tmp_path / "missing" / f"g.{suffix}"
    proc = _main("render", str(EXAMPLE), "-o", str(out))
    assert proc.returncode == 2 and "does not exist" in proc.stderr
    assert "wrote" not in proc.stdout and not out.exists()


def test_render_onto_a_folder_fails(tmp_path):
    (tmp_path / "d.svg").mkdir()
    proc = _main("render", str(EXAMPLE), "-o", str(tmp_path / "d.svg"))
    assert proc.returncode == 2 and "folder" in proc.stderr and "wrote" not in proc.stdout


def test_render_of_a_graph_that_does_not_run_warns(tmp_path):
    path = tmp_path / "open.json"
    path.write_text('{"format": "backprop-studio-graph", "version": 1, "nodes": '
                    '[{"id": "x", "op": "input", "value": 1}, {"id": "m", "op": "mul"}], '
                    '"edges": [{"source": "x", "target": "m", "port": "a"}]}')
    proc = _main("render", str(path), "-o", str(tmp_path / "g.svg"))
    assert proc.returncode == 0 and (tmp_path / "g.svg").stat().st_size > 0
    assert proc.stderr.startswith("warning: the graph does not run") and "'m'" in proc.stderr


def _x_into(op: str, x: float, tmp_path, **extra) -> Path:
    """A file holding input x (its label, if given) → op, and any extra top-level keys."""
    import json

    node = {"id": "x", "op": "input", "value": x}
    if "label" in extra:
        node["label"] = extra.pop("label")
    data = {"format": "backprop-studio-graph", "version": 1, "nodes": [node, {"id": "l", "op": op}],
            "edges": [{"source": "x", "target": "l", "port": "x"}], **extra}
    path = tmp_path / f"{op}.json"
    path.write_text(json.dumps(data))
    return path


def test_explain_refuses_a_graph_that_run_refuses(tmp_path):
    path = _x_into("log", -1, tmp_path)
    proc = _main("explain", str(path))
    assert proc.returncode == 2 and "'l'" in proc.stderr and "nan" in proc.stderr
    assert "nan" not in proc.stdout


def test_explain_markdown_carries_no_html_or_links_from_the_file_and_tex_escapes_labels(tmp_path):
    description = "<script>alert(1)</script> [x](javascript:alert(1)) W = [[1, 2]]"
    path = _x_into("square", 1, tmp_path, label="a_b & c%", description=description)
    md = _main("explain", str(path)).stdout
    assert "<script>" not in md and "](javascript:" not in md and "[[1, 2]]" in md
    tex = _main("explain", str(path), "--format", "tex").stdout
    assert "a_b & c%" not in tex and r"\text{a\_b \& c\%}" in tex


def test_training_setting_errors_name_the_file(tmp_path):
    path = _x_into("square", 1, tmp_path, training={"lr": "fast"})
    proc = _main("train", str(path))
    assert proc.returncode == 2 and str(path) in proc.stderr and "'lr'" in proc.stderr
