"""The worked solution (engine.teach.explain and `main.py explain`): read as a person would."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from helpers import f_xy, masha_relu, tex_squash

import main
from engine.teach.explain import ExplainError, explain, solve
from graph.file_format import save


def relu_doc(lr: float = 1.0):
    d = masha_relu()
    d.training = {"loss": "L", "lr": lr}
    return d


def two_rows_doc():
    # Sheet: "do two SGD steps by hand, second observation first" (order [1, 0]).
    d = masha_relu()
    d.set_value("x", None)
    d.set_value("t", None)
    d.dataset = {"columns": {"x": np.array([[3.0, 1.0], [1.0, 2.0]]), "t": np.array([[1.0], [0.0]])}}
    d.training = {"loss": "L", "lr": 1.0, "order": [1, 0]}
    return d


def test_relu_example_has_the_hand_numbers():
    sol = solve(relu_doc(), steps=1)
    p = sol.passes[0]
    # Forward: H = x·W1 = (1·1 + 2·0.5, 1·(−1) + 2·0) = (2, −1), O = ReLU(H) = (2, 0),
    # ŷ = O·W2 = 2·0.5 + 0·1 = 1, L = (ŷ − t)² = 1.
    assert [(n, v.tolist()) for n, _, _, v in p.table] == [
        ("H", [2.0, -1.0]), ("O", [2.0, 0.0]), ("yhat", [1.0]), ("L", 1.0)]
    # Backward: ∂L/∂ŷ = 2(ŷ − t) = 2, ∂L/∂t = −2, ∂L/∂W2 = Oᵀ·2 = (4, 0)ᵀ, ∂L/∂O = 2·W2ᵀ = (1, 2),
    # ∂L/∂H = (1, 2) ⊙ [H > 0] = (1, 0), ∂L/∂W1 = xᵀ·(1, 0) = [[1, 0], [2, 0]],
    # ∂L/∂x = (1, 0)·W1ᵀ = (1·1 + 0·(−1), 1·0.5 + 0·0) = (1, 0.5).
    assert {n: g.tolist() for n, g in p.grads} == {
        "x": [1.0, 0.5], "W1": [[1.0, 0.0], [2.0, 0.0]], "W2": [[4.0], [0.0]], "t": [-2.0]}
    assert p.loss == 1.0


def test_markdown_of_relu_example_shows_the_hand_numbers():
    md = explain(relu_doc(), "md", steps=1)
    maths = tex_squash(md)  # the maths, not its spacing
    assert tex_squash(r"H = \begin{pmatrix} 1 & 2 \end{pmatrix} \cdot") in maths
    assert tex_squash(r"= \begin{pmatrix} 2 & -1 \end{pmatrix}") in maths
    relu = r"\mathrm{ReLU}(\begin{pmatrix} 2 & -1 \end{pmatrix}) = \begin{pmatrix} 2 & 0 \end{pmatrix}"
    assert tex_squash(relu) in maths
    assert "Loss L = 1." in md
    # The op's local derivative with the operands' own names (O = ReLU(H): ∂O/∂H = ReLU'(H) = [H > 0]),
    # and the chain-rule products in numbers.
    assert tex_squash(r"\frac{\partial O}{\partial H} = \mathrm{ReLU}'(H) = [H > 0]") in maths
    chain = (r"\frac{\partial L}{\partial {W_{2}}} = O^{\top} \cdot \frac{\partial L}{\partial \hat{y}} = "
             r"\underset{2\times 1}{\begin{pmatrix} 2 \\ 0 \end{pmatrix}} \cdot 2 = "
             r"\underset{2\times 1}{\begin{pmatrix} 4 \\ 0 \end{pmatrix}}")
    assert tex_squash(chain) in maths
    # The gradient table and the update table, in plain text as well.
    assert "| W1 | $" in md and "| [[1, 0], [2, 0]] |" in md
    assert "| W2 | $" in md and "| (4, 0)ᵀ |" in md
    assert "| W1 | [[1, -1], [0.5, 0]] | [[1, 0], [2, 0]] | [[0, -1], [-1.5, 0]] |" in md
    assert "| W2 | (0.5, 1)ᵀ | (4, 0)ᵀ | (-3.5, 1)ᵀ |" in md


def test_single_pass_f_xy_shows_contributions_summed():
    # x feeds s, xy and xx (twice): ∂f/∂x = 6 (via s.a) + 2 (via xy.a) + 1 (via xx.a) + 1 (via xx.b) = 10.
    last = solve(f_xy()).passes[0].backward[-1].products[-1]
    assert last.source == "x" and last.complete
    assert [float(c) for _, c in last.contributions] == [6.0, 2.0, 1.0, 1.0] and float(last.total) == 10.0
    md = explain(f_xy(), "md")
    assert "sum of contributions to x (complete)" in md
    assert re.search(r"6\\;.*\+2\\;.*\+1\\;.*\+1\\;.*=10", tex_squash(md))
    assert "Loss f = 12." in md
    # Numbers first, symbols too: f = 2x² + 3xy + y², ∂f/∂x = 4x + 3y.
    assert "(∂f/∂x = 4x + 3y)" in md
    assert tex_squash(r"\frac{\partial f}{\partial x} = 4 x + 3 y") in tex_squash(md)
    assert "Symbolically" not in explain(relu_doc(), "md")


def test_two_steps_second_observation_first():
    sol = solve(two_rows_doc(), steps=2)
    assert [p.row for p in sol.passes] == [1, 0]
    # Step 1 on row 1, x = (1, 2), t = 0: the ReLU example, so W1 and W2 move as computed by hand.
    first = {u.node: u.new.tolist() for u in sol.passes[0].updates}
    assert first == {"W1": [[0.0, -1.0], [-1.5, 0.0]], "W2": [[-3.5], [1.0]]}
    # Step 2 on row 0, x = (3, 1): H = (3·0 + 1·(−1.5), 3·(−1) + 0) = (−1.5, −3), ReLU kills both,
    # ŷ = 0, L = (0 − 1)² = 1 and every weight gradient is 0: the parameters stay.
    second = sol.passes[1]
    assert second.loss == 1.0
    assert {u.node: u.new.tolist() for u in second.updates} == first


def test_steps_agree_with_training():
    training = pytest.importorskip("engine.train.trainer")
    doc = two_rows_doc()
    doc.set_value("W1", [[1.0, -1.0], [0.5, 0.25]])
    doc.training["lr"] = 0.1
    sol = solve(doc, steps=2)
    from engine.train.settings import settings_from

    result = training.train(doc, settings_from(doc.training, epochs=1))
    for u in sol.passes[-1].updates:
        assert np.allclose(u.new, result.parameters[u.node], rtol=1e-12, atol=1e-12)


def test_no_dataset_steps_reuse_the_inputs():
    sol = solve(relu_doc(1.0), steps=2)
    assert sol.passes[1].given[1][0] == "W1"
    assert sol.passes[1].given[1][2].tolist() == [[0.0, -1.0], [-1.5, 0.0]]
    assert any("no dataset" in n for n in sol.notes)


def test_bad_settings_are_errors():
    with pytest.raises(ExplainError):
        explain(relu_doc(), "pdf")  # html is a format now
    with pytest.raises(ExplainError):
        explain(relu_doc(), steps=-1)
    with pytest.raises(ExplainError):
        explain(two_rows_doc(), steps=1, order=[5])


def _balanced(tex: str) -> None:
    body = re.sub(r"\\[{}]", "", tex)
    depth = 0
    for ch in body:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    begins = re.findall(r"\\begin\{(\w+\*?)\}", tex)
    ends = re.findall(r"\\end\{(\w+\*?)\}", tex)
    assert sorted(begins) == sorted(ends)
    # Display maths \[ … \] opens and closes in turn (a tabular's \\[2pt] is no display).
    displays = re.findall(r"(?<!\\)\\[\[\]]", tex)
    assert displays and displays == [r"\[", r"\]"] * (len(displays) // 2)


@pytest.mark.parametrize("build", [relu_doc, f_xy, two_rows_doc])
def test_latex_is_well_formed_ascii(build):
    tex = explain(build(), "tex", steps=2 if build is two_rows_doc else 0)
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert tex.isascii()
    _balanced(tex)
    assert not re.search(r"_\{[^{}]*\}_", tex), "a double subscript"
    # Every $ opens and closes inline maths on one line.
    for line in tex.splitlines():
        assert line.replace(r"\$", "").count("$") % 2 == 0, line


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no pdflatex on this machine")
def test_latex_compiles(tmp_path):
    (tmp_path / "solution.tex").write_text(explain(two_rows_doc(), "tex", steps=2), encoding="utf-8")
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "solution.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert (tmp_path / "solution.pdf").exists()


def test_cli_explain(tmp_path, capsys):
    path = tmp_path / "relu.json"
    save(relu_doc(), path)
    assert main.main(["explain", str(path), "--steps", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Worked solution: relu.json")
    assert "| W2 | (0.5, 1)ᵀ | (4, 0)ᵀ | (-3.5, 1)ᵀ |" in out
    target = tmp_path / "out.tex"
    assert main.main(["explain", str(path), "--format", "tex", "-o", str(target), "--lr", "0.5"]) == 0
    text = target.read_text(encoding="utf-8")
    assert tex_squash(r"\eta = 0.5") in tex_squash(text)


def test_cli_explain_errors(tmp_path, capsys):
    path = tmp_path / "two.json"
    save(two_rows_doc(), path)
    assert main.main(["explain", str(path), "--order", "7", "--steps", "1"]) == 2
    assert "row 7" in capsys.readouterr().err
    assert main.main(["explain", str(path), "--steps", "-2"]) == 2
    assert main.main(["explain", str(tmp_path / "missing.json")]) == 2
    assert main.main(["explain", str(path), "--order", "1,0", "--steps", "2"]) == 0
    assert "Training step 1 (dataset row 1, 0-based)" in capsys.readouterr().out


EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_explains_quickly_and_its_latex_compiles(path, tmp_path):
    import time

    import engine
    from graph.file_format import load

    start = time.perf_counter()
    tex = explain(load(path, engine.REGISTRY), "tex", steps=1)
    assert time.perf_counter() - start < 20, "the worked solution took too long"
    assert not re.search(r"\{\\hat\{[^{}]*\}_\{[^{}]*\}\}_", tex), "accented name: double subscript"
    if shutil.which("pdflatex") is None:
        pytest.skip("no pdflatex on this machine")
    (tmp_path / "s.tex").write_text(tex, encoding="utf-8")
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "s.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:]
