"""The gradient check: kinks are notes, real mismatches fail; every bundled example passes `check`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import engine
import main
from engine.compile.gradcheck import gradient_check
from engine.compile.plan import compile_plan
from engine.ops.registry import NO_SYMBOLIC_FORM, Formula, OpDef, same_shape
from graph.document import Document
from graph.file_format import save

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def _kinked(op_id: str, attrs: dict | None = None) -> Document:
    """out = k · f(a), a = x · w with x = 0: a sits on f's kink and only x moves it (w does not)."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=0.0)
    d.add_node("parameter", "w", value=2.0)
    d.add_node("constant", "k", value=3.0)
    d.add_node("mul", "a", label="a₁")
    d.connect("x", "a", "a")
    d.connect("w", "a", "b")
    d.add_node(op_id, "h", attrs=attrs or {})
    d.connect("a", "h", "x")
    d.add_node("mul", "out")
    d.connect("h", "out", "a")
    d.connect("k", "out", "b")
    return d


def _by_leaf(doc: Document) -> dict:
    return {r.node: r for r in gradient_check(compile_plan(doc))}


def test_relu_at_exactly_zero_is_a_note_not_a_failure():
    # ∂out/∂x = 3 · ReLU'(a) · 2: 6 from the right, 0 from the left; ReLU'(0) = 0 gives 0.
    checks = _by_leaf(_kinked("relu"))
    assert all(r.ok for r in checks.values())
    (note,) = checks["x"].notes
    assert note.startswith("x: a₁ = 0 is ReLU's kink")
    assert "one-sided derivatives 0 (left) and 6 (right)" in note
    assert "this program uses 0, as PyTorch does" in note
    assert checks["w"].notes == () and checks["k"].notes == ()


def test_leaky_relu_kink_names_both_slopes():
    # LeakyReLU with α = 0.1: left slope 3·0.1·2 = 0.6, right 3·1·2 = 6; LeakyReLU'(0) = α gives 0.6.
    checks = _by_leaf(_kinked("leaky_relu", {"alpha": 0.1}))
    (note,) = checks["x"].notes
    assert "0.6 (left) and 6 (right)" in note and "uses 0.6" in note
    assert checks["x"].ok


def test_a_kink_without_a_jump_needs_no_note():
    # ELU with α = 1 has slope 1 on both sides of 0: the central difference agrees, nothing to say.
    checks = _by_leaf(_kinked("elu", {"alpha": 1.0}))
    assert all(r.ok and not r.notes for r in checks.values())


def _on_leaf(op_id: str) -> Document:
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=[0.0, 2.0])
    d.add_node(op_id, "y")
    d.connect("x", "y", "x")
    d.add_node("sum", "out")
    d.connect("y", "out", "x")
    return d


def test_a_kink_costs_the_central_difference_its_second_order_only():
    # out = ReLU(x)² at x = 0: slope 0 on both sides, but the central difference is ε²/2ε = ε/2 ≠ 0.
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=0.0)
    d.add_node("relu", "r")
    d.connect("x", "r", "x")
    d.add_node("square", "out")
    d.connect("r", "out", "x")
    (check,) = gradient_check(compile_plan(d))
    assert check.numeric == pytest.approx(0.5e-6)
    assert check.ok and check.notes == ()


def test_a_leaf_on_the_kink_itself():
    # out = ReLU(x₀) + ReLU(x₁) at x = (0, 2): for x₀ slopes 0 and 1, ReLU'(0) = 0.
    (check,) = gradient_check(compile_plan(_on_leaf("relu")))
    assert check.ok
    assert check.notes == (
        "x[0]: x = 0 is ReLU's kink (at y): one-sided derivatives 0 (left) and 1 (right);"
        " this program uses 0, as PyTorch does",
    )
    assert check.max_abs_error < 1e-8  # element 1 (slope 1 at 2) is still compared


def test_a_symmetric_kink_agrees_with_the_central_difference():
    # |x| at 0: slopes −1 and 1 average to 0 = sign(0): no disagreement, so no note.
    (check,) = gradient_check(compile_plan(_on_leaf("abs")))
    assert check.ok and check.notes == ()


def _wrong_twice() -> OpDef:
    """y = 2x whose VJP claims 5: a deliberate bug for the check to find."""
    return OpDef(
        id="wrong_twice_for_test",
        name="Wrong twice",
        group="Arithmetic",
        doc="y = 2x with a wrong VJP.",
        inputs=("x",),
        forward=lambda x: np.asarray(2.0 * x),
        vjps=(lambda g, xs, y: 5.0 * g,),
        shape=same_shape,
        sympy=NO_SYMBOLIC_FORM,
        formula=Formula("{y} = 2·{x}", "{y} = 2 {x}", {"x": "∂y/∂x = 2"}, {"x": "= 2"}),
    )


def _wrong_doc(x: float) -> Document:
    """out = ReLU(x) + wrong(x): with x = 0 a kink is crossed too, but the wrong VJP is still wrong."""
    d = Document(engine.REGISTRY)
    d.add_node("input", "x", value=x)
    d.add_node("wrong_twice_for_test", "t")
    d.connect("x", "t", "x")
    d.add_node("relu", "r")
    d.connect("x", "r", "x")
    d.add_node("add", "out")
    d.connect("t", "out", "a")
    d.connect("r", "out", "b")
    return d


@pytest.mark.parametrize("x", [0.7, 0.0])
def test_a_wrong_vjp_still_fails(x):
    with engine.REGISTRY.temporarily(_wrong_twice()):
        # Analytic 5 + ReLU'(x) against 2 + 1 at x = 0.7; at x = 0 the one-sided slopes are 2 and 3, and
        # the analytic 5 + ReLU'(0) = 5 lies outside them: the kink does not account for it.
        (check,) = gradient_check(compile_plan(_wrong_doc(x)))
    assert not check.ok


def test_check_command_fails_on_a_wrong_vjp(tmp_path, capsys):
    path = tmp_path / "wrong.json"
    with engine.REGISTRY.temporarily(_wrong_twice()):
        save(_wrong_doc(0.7), path)
        status = main.main(["check", str(path)])
    out = capsys.readouterr().out
    assert status == 1
    assert "MISMATCH" in out and "gradient check failed for: x" in out


def test_check_command_prints_one_line_per_note(tmp_path, capsys):
    path = tmp_path / "kink.json"
    save(_kinked("relu"), path)
    assert main.main(["check", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    notes = [line for line in lines if line.lstrip().startswith("note:")]
    assert len(notes) == 1 and "a₁ = 0 is ReLU's kink" in notes[0]
    assert any(line.split()[0] == "x" and line.endswith("ok, at a kink") for line in lines[1:-1])
    assert lines[-1] == "gradient check passed"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_bundled_example_passes_check(path):
    result = subprocess.run(
        [sys.executable, "main.py", "check", str(path)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("gradient check passed")


def test_the_rnn_example_passes_with_notes_on_its_kink():
    # z₁ = w·h₀ + v·y₀ = 0.5·0 + 0.5·0 = 0 feeds ReLU; nudging h₀ or y₀ up makes h₁ = 0.5ε and
    # changes L by (−0.5 + 0.3125)·ε (derivation in examples/build_examples.py), down changes nothing.
    from graph.file_format import load

    doc = load(ROOT / "examples" / "06_rnn_there_and_back.json", engine.REGISTRY)
    checks = {r.node: r for r in gradient_check(compile_plan(doc))}
    assert all(r.ok for r in checks.values())
    for leaf in ("h0", "y0"):
        (note,) = checks[leaf].notes
        assert "z₁ = 0 is ReLU's kink" in note and "0 (left) and -0.1875 (right)" in note
    assert not any(checks[leaf].notes for leaf in ("u", "v", "w", "y1", "y2", "y3"))
