"""`check` on a cross_entropy with class-index targets (issue 10, item 9): the index leaf is not
perturbed (2 ± ε is no class) and the check says so; the logits are still checked."""

from __future__ import annotations

import math

import numpy as np

import engine
import main

LOGITS = [[0.1, 0.2, 0.3], [0.5, 0.1, -0.2]]


def classifier(target) -> engine.Document:
    d = engine.new_document()
    d.add_node("parameter", "Z", value=LOGITS)
    d.add_node("input", "t", value=target)
    d.add_node("cross_entropy", "L")
    d.connect("Z", "L", "pred")
    d.connect("t", "L", "target")
    return d


def softmax_minus_onehot(row: list[float], k: int) -> list[float]:
    e = [math.exp(z) for z in row]
    return [ei / sum(e) - (1.0 if j == k else 0.0) for j, ei in enumerate(e)]


def test_a_class_index_leaf_is_skipped_and_said_so():
    results = {r.node: r for r in engine.check(classifier([2, 0]))}
    t = results["t"]
    assert t.skipped == "class indices, not differentiable" and t.ok and t.notes == ()
    z = results["Z"]
    assert z.skipped is None and z.ok
    # ∂L/∂Z = (softmax(Z) − onehot(t)) / rows, the mean over the 2 rows
    expected = [
        [g / 2 for g in softmax_minus_onehot(LOGITS[0], 2)],
        [g / 2 for g in softmax_minus_onehot(LOGITS[1], 0)],
    ]
    assert np.allclose(z.numeric, expected, atol=1e-8) and np.allclose(z.analytic, expected, atol=1e-12)


def test_a_one_hot_target_is_still_checked():
    results = {r.node: r for r in engine.check(classifier([[0, 0, 1], [1, 0, 0]]))}
    assert results["t"].skipped is None and results["t"].ok
    assert not np.isnan(results["t"].numeric).any()


def test_check_from_the_command_line_names_the_skipped_leaf(tmp_path, capsys):
    path = tmp_path / "ce.json"
    engine.save(classifier([2, 0]), path)
    assert main.main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "t                not checked: class indices, not differentiable" in out
    assert "MISMATCH" not in out and "gradient check passed" in out
