"""Exercise variants (engine.teach.exact, engine.teach.variants, engine.teach.sheets, `main.py exercise`).

Exactness is checked with Fractions written here (a decimal of at most 4 places is a Fraction that 10⁴
turns into an integer); the answer keys are compared with the float engine's run and training on the
variant's saved graph file, an implementation the exact pass shares no code with.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from helpers import masha_relu, op

import engine
import main
from engine.compile.plan import compile_plan
from engine.teach.exact import decimals, exact_array, exact_pass, why_not_exact
from engine.teach.sheets import answer_text, decimal_text, key_markdown, sheet_markdown, summary_markdown
from engine.teach.variants import ExerciseOptions, VariantError, make_variants, replace_value
from engine.train.trainer import train
from graph.document import Document
from graph.file_format import dumps, loads

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.json"))


def _rational(path: Path) -> bool:
    doc = engine.load(path)
    return why_not_exact(compile_plan(doc, output=(doc.training or {}).get("loss"))) is None


RATIONAL = [p for p in EXAMPLES if _rational(p)]


def test_the_rational_examples_are_the_ones_without_sigmoid_tanh_exp_log():
    assert [p.stem for p in RATIONAL] == [
        "01_computation_graph", "02_masha_relu_regression", "06_rnn_there_and_back", "07_perceptron_42"]


# ----------------------------------------------------------------------------------- exact passes
def test_exact_pass_has_the_hand_numbers_of_sheet_4_exercise_4():
    d = masha_relu()
    plan = compile_plan(d, output="L")
    p = exact_pass(plan, [None if v is None else exact_array(v) for v in plan.leaf_values()], Fraction(1))
    value = {n: p.values[plan.slot[n]].tolist() for n in ("H", "O", "yhat", "L")}
    # x·W1 = (1 + 1, −1 + 0) = (2, −1); ReLU → (2, 0); ŷ = 2·0.5 = 1; L = (1 − 0)² = 1.
    assert value == {"H": [2, -1], "O": [2, 0], "yhat": [1], "L": 1}
    # ∂L/∂W1 = xᵀ·(1, 0); W1 − 1·∂L/∂W1 = [[0, −1], [−1.5, 0]]; W2 − (4, 0)ᵀ = (−3.5, 1)ᵀ.
    assert p.grads[plan.slot["W1"]].tolist() == [[1, 0], [2, 0]]
    assert p.updates["W1"].tolist() == [[0, -1], [Fraction(-3, 2), 0]]
    assert p.updates["W2"].tolist() == [[Fraction(-7, 2)], [1]]


def test_exact_pass_is_exact_where_floats_are_not():
    d = Document(engine.REGISTRY)
    d.add_node("input", "a", value=0.1)
    d.add_node("input", "b", value=0.2)
    op(d, "add", "s", a="a", b="b")
    plan = compile_plan(d)
    p = exact_pass(plan, [None if v is None else exact_array(v) for v in plan.leaf_values()], Fraction(1))
    assert p.values[plan.slot["s"]].item() == Fraction(3, 10)
    assert 0.1 + 0.2 != 0.3  # what a float check would have got wrong


@pytest.mark.parametrize(("x", "places"), [(Fraction(1, 8), 3), (Fraction(-5), 0), (Fraction(1, 20), 2),
                                           (Fraction(1, 3), None), (Fraction(7, 6), None)])
def test_decimals_counts_places_of_terminating_decimals(x, places):
    assert decimals(x) == places


def test_a_graph_with_sigmoid_has_no_exact_form():
    doc = engine.load(next(p for p in EXAMPLES if p.stem.startswith("05")))
    assert "sigmoid" in why_not_exact(compile_plan(doc, output="L"))


# ----------------------------------------------------------------------------------- the checks
def _short(x: Fraction, places: int = 4) -> bool:
    return (x * 10**places).denominator == 1


def _drawn(doc: Document) -> tuple:
    leaves = tuple(np.asarray(n.value, float).tobytes() for n in doc.nodes()
                   if n.is_leaf and n.value is not None)
    return leaves + (json.dumps(doc.dataset.get("columns", {}), default=list),)


def _relu_inputs(doc: Document) -> dict[str, np.ndarray]:
    trace = engine.run(doc, output=(doc.training or {}).get("loss"))
    plan = trace.plan
    return {n: np.ravel(trace.value_list[plan.inputs[s][0]]) for s, n in enumerate(plan.ids)
            if plan.ops[s].id == "relu"}


@pytest.mark.parametrize("path", RATIONAL, ids=lambda p: p.stem)
def test_twenty_variants_are_short_decimals_new_and_agree_with_run_and_train(path):
    original = engine.load(path)
    es = make_variants(original, ExerciseOptions(count=20, seed=7))
    assert es.exact and len(es.variants) == 20
    drawn = [_drawn(v.doc) for v in es.variants]
    assert len(set(drawn)) == 20 and _drawn(original) not in drawn
    kinks0 = {(n, i) for n, x in _relu_inputs(original).items() for i in np.flatnonzero(x == 0)}
    alive0 = {(n, i) for n, x in _relu_inputs(original).items() for i in np.flatnonzero(x > 0)}
    alive_somewhere = set()
    for v in es.variants:
        doc = loads(dumps(v.doc))  # the variant's graph file
        for a in v.answers:
            assert all(_short(x) for x in np.ravel(a.exact)), (v.number, a.node, a.exact)
        _check_against_run_and_train(doc, v.answers)
        relu_in = _relu_inputs(doc)
        assert {(n, i) for n, x in relu_in.items() for i in np.flatnonzero(x == 0)} <= kinks0
        alive_somewhere |= {(n, i) for n, x in relu_in.items() for i in np.flatnonzero(x > 0)}
        assert v.doc.description.splitlines()[0] == original.description.splitlines()[0]
    assert alive0 <= alive_somewhere


def _check_against_run_and_train(doc: Document, answers) -> None:
    trace = engine.run(doc, output=(doc.training or {}).get("loss"))
    updates = {a.node: a.value for a in answers if a.kind == "update"}
    for a in answers:
        if a.kind == "value":
            np.testing.assert_allclose(a.value, trace.value(a.node), rtol=1e-12, atol=1e-12)
        elif a.kind == "gradient":
            np.testing.assert_allclose(a.value, trace.grad(a.node), rtol=1e-12, atol=1e-12)
    if updates:  # one epoch over the one dataset row is the one step of the key
        doc.training = {**doc.training, "epochs": 1}
        result = train(doc)
        for node, new in updates.items():
            np.testing.assert_allclose(new, result.parameters[node], rtol=1e-12, atol=1e-12)


def test_two_steps_of_the_perceptron_agree_with_two_epochs_of_training():
    doc = engine.load(next(p for p in EXAMPLES if p.stem.startswith("07")))
    es = make_variants(doc, ExerciseOptions(count=5, seed=3, steps=2))
    for v in es.variants:
        final = {a.node: a.value for a in v.answers if a.kind == "update" and a.step == 2}
        trained = loads(dumps(v.doc))
        trained.training = {**trained.training, "epochs": 2}
        result = train(trained)
        assert set(final) == {"w", "b"}
        for node, new in final.items():
            np.testing.assert_allclose(new, result.parameters[node], rtol=1e-12, atol=1e-12)
        assert all(_short(x) for a in v.answers for x in np.ravel(a.exact))


def test_a_parameter_that_starts_at_zero_stays_at_zero():
    doc = engine.load(next(p for p in EXAMPLES if p.stem.startswith("07")))
    for v in make_variants(doc, ExerciseOptions(count=3)).variants:
        assert not np.any(v.doc.node("w").value) and not np.any(v.doc.node("b").value)


def test_same_seed_same_variants_other_seed_other_variants():
    doc = masha_relu()
    doc.training = {"loss": "L", "lr": 1.0}
    a, b, c = (make_variants(doc, ExerciseOptions(count=3, seed=s)) for s in (1, 1, 2))
    assert [_drawn(v.doc) for v in a.variants] == [_drawn(v.doc) for v in b.variants]
    assert [_drawn(v.doc) for v in a.variants] != [_drawn(v.doc) for v in c.variants]


def test_no_parameter_loses_its_gradient():
    # In the original, W1's first column learns (ReLU unit 0 alive): every variant keeps a unit alive.
    doc = masha_relu()
    doc.training = {"loss": "L", "lr": 1.0}
    for v in make_variants(doc, ExerciseOptions(count=20, seed=5)).variants:
        grad = next(a.value for a in v.answers if a.kind == "gradient" and a.node == "W1")
        assert np.any(grad)


def test_non_rational_graph_answers_are_rounded_to_the_stated_decimals():
    doc = engine.load(next(p for p in EXAMPLES if p.stem.startswith("05")))
    es = make_variants(doc, ExerciseOptions(count=2, decimals=3))
    assert not es.exact
    trace = engine.run(loads(dumps(es.variants[0].doc)), output="L")
    loss = next(a for a in es.variants[0].answers if a.kind == "value" and a.node == "L")
    assert answer_text(loss, 3) == f"{trace.loss:.3f}"
    assert "rounded to 3 decimal places" in sheet_markdown(es, es.variants[0])


def test_only_what_is_asked_is_asked():
    doc = masha_relu()
    doc.training = {"loss": "L", "lr": 1.0}
    es = make_variants(doc, ExerciseOptions(count=1, find=("updates",)))
    assert {(a.kind, a.node) for a in es.variants[0].answers} == {("update", "W1"), ("update", "W2")}
    with pytest.raises(VariantError, match="--find"):
        make_variants(doc, ExerciseOptions(find=("weights",)))


# ------------------------------------------------------------------------------------- the sheets
def test_gradients_are_named_by_the_output_node():
    # f(x, y) has no training settings: its output is its one sink, f.
    doc = engine.load(next(p for p in EXAMPLES if p.stem.startswith("01")))
    es = make_variants(doc, ExerciseOptions(count=1, find=("gradients",)))
    assert "| 1 | ∂f/∂x |" in sheet_markdown(es, es.variants[0])


def test_decimal_text_writes_exact_decimals_in_full():
    assert [decimal_text(Fraction(n, d)) for n, d in ((1, 16), (-3, 2), (4, 1), (21, 5))] == [
        "0.0625", "−1.5", "4", "4.2"]


def test_description_numbers_written_as_node_values_follow_the_variant():
    text = "At x = 1, y = 2: f = 1 + 2 + 9 = 12; W₂ = (0.5, 1)ᵀ and y = 2."
    text = replace_value(text, "x", np.array(1.0), np.array(3.0))
    text = replace_value(text, "y", np.array(2.0), np.array(-1.0))
    text = replace_value(text, "f", np.array(1.0), np.array(5.0))  # "f = 1 + …" is an expression: kept
    text = replace_value(text, "W₂", np.array([[0.5], [1.0]]), np.array([[2.0], [-0.25]]))
    assert text == "At x = 3, y = -1: f = 1 + 2 + 9 = 12; W₂ = (2, -0.25)ᵀ and y = -1."
    assert replace_value("x = 1 − 2", "x", np.array(2.0), np.array(3.0)) == "x = 1 − 2"
    assert replace_value("so x = −1.", "x", np.array(-1.0), np.array(-2.0)) == "so x = −2."


def test_sheet_has_a_blank_per_question_and_the_key_every_answer():
    doc = masha_relu()
    doc.training = {"loss": "L", "lr": 1.0}
    es = make_variants(doc, ExerciseOptions(count=2, seed=4))
    v = es.variants[0]
    sheet = sheet_markdown(es, v)
    key = key_markdown(es, v)
    assert sheet.count("| |") == len(v.answers) == 13  # 4 values, 7 gradients (not L's own), 2 updates
    for a in v.answers:
        assert f"| {answer_text(a, 4)} |" in key
    assert "## Worked solution of variant 1" in key
    loss = next(a for a in v.answers if a.node == "L")
    assert f"Loss L = {answer_text(loss, 4).replace('−', '-')}." in key  # in full, as in the answers
    summary = summary_markdown(es)
    assert "| quantity | V1 | V2 |" in summary


def test_cli_writes_sheets_keys_summary_and_answers_that_run_and_train_confirm(tmp_path, capsys):
    src = next(p for p in EXAMPLES if p.stem.startswith("02"))
    argv = ["exercise", str(src), "--variants", "2", "--seed", "3", "-o", str(tmp_path)]
    assert main.run_command(argv) == 0
    names = {p.name for p in tmp_path.iterdir()}
    for n in (1, 2):
        kinds = (".json", "_sheet.md", "_key.md", "_sheet.html", "_key.html")
        assert {f"variant_0{n}{s}" for s in kinds} <= names
    assert {"summary.md", "summary.html", "answers.json"} <= names
    answers = json.loads((tmp_path / "answers.json").read_text())
    assert answers["exact"] is True
    for variant in answers["variants"]:
        capsys.readouterr()
        assert main.run_command(["run", str(tmp_path / variant["file"]), "--json"]) == 0
        run = json.loads(capsys.readouterr().out)
        assert main.run_command(["train", str(tmp_path / variant["file"]), "--json"]) == 0
        trained = json.loads(capsys.readouterr().out)["parameters"]
        for a in variant["answers"]:
            node = a["node"]
            got = {"value": run["nodes"][node]["value"], "gradient": run["nodes"][node]["grad"],
                   "update": trained.get(node)}[a["kind"]]
            np.testing.assert_allclose(a["value"], got, rtol=1e-12, atol=1e-12)
    sheet = (tmp_path / "variant_01_sheet.html").read_text()
    assert "<svg" in sheet and sheet.count('class="blank"') == 1 + len(answers["variants"][0]["answers"])


def test_cli_refuses_bad_options(tmp_path, capsys):
    src = str(next(p for p in EXAMPLES if p.stem.startswith("02")))
    assert main.run_command(["exercise", src, "--find", "weights", "-o", str(tmp_path)]) == 2
    assert "--find" in capsys.readouterr().err
    assert main.run_command(["exercise", src, "--format", "pdf", "-o", str(tmp_path)]) == 2


def test_a_single_variant_keeps_the_originals_live_unit_alive():
    # Sheet 4 ex. 4: x·W₁ = (2, −1), so ReLU unit 0 is alive and unit 1 dead. One variant alone is
    # "every variant": its unit 0 must be alive too (unit 1 may be either).
    doc = engine.load(next(p for p in EXAMPLES if p.stem.startswith("02")))
    for seed in range(8):
        v = make_variants(doc, ExerciseOptions(count=1, seed=seed)).variants[0]
        assert _relu_inputs(loads(dumps(v.doc)))["O"][0] > 0, seed
