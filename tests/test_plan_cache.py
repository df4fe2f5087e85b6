"""The plan cache (engine/compile/cache.py) and the document revisions it is keyed by: one compile per
structural version of a document, none after a value edit, shared by the window's panels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers import op

import engine
from engine.compile.cache import PLANS, PlanCache
from graph.document import Document, Edge
from graph.edits import AddNode, MoveNodes, SetLabel, SetValue
from graph.errors import GraphError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def f_doc() -> Document:
    """f = (a + b) · c with a = 1, b = 2, c = 3: f = 9, ∂f/∂a = c = 3, ∂f/∂c = a + b = 3."""
    doc = Document(engine.REGISTRY)
    for name, v in (("a", 1.0), ("b", 2.0), ("c", 3.0)):
        doc.add_node("parameter", name, value=v)
    doc.add_node("add", "s")
    doc.add_node("mul", "f")
    doc.connect("a", "s", "a")
    doc.connect("b", "s", "b")
    doc.connect("s", "f", "a")
    doc.connect("c", "f", "b")
    return doc


def structure_moves(doc: Document, change) -> bool:
    before = doc.structure_revision
    change(doc)
    return doc.structure_revision != before


# ----- which changes move the structure revision (one per kind of event in graph/events.py)
STRUCTURAL = {
    "NodeAdded": lambda d: d.add_node("parameter", "e", value=1.0),
    "NodeRemoved": lambda d: d.remove_node("f"),
    "EdgeAdded": lambda d: (d.disconnect("c", "f", "b"), d.connect("a", "f", "b")),
    "EdgeRemoved": lambda d: d.disconnect("c", "f", "b"),
    "OpChanged": lambda d: d.set_op("s", "mul"),
    "AttrChanged": lambda d: d.set_attr("s", "unknown_attr", 1),
    "DocumentReset": lambda d: d.replace_with(f_doc()),
    "ValueChanged, to another shape": lambda d: d.set_value("a", [1.0, 2.0]),
    "ValueChanged, value removed": lambda d: d.set_value("a", None),
    "DatasetChanged, another row shape": lambda d: d.set_dataset({"columns": {"a": [[1.0, 2.0]]}}),
    "TrainingChanged, another loss": lambda d: d.set_training({"loss": "s"}),
}
NOT_STRUCTURAL = {
    "ValueChanged, same shape": lambda d: d.set_value("a", 5.0),
    "NodeMoved": lambda d: d.move("a", (10.0, 20.0)),
    "LabelChanged": lambda d: d.set_label("a", "alpha"),
    "InitChanged": lambda d: d.set_init("a", {"kind": "constant", "value": 0.0}),
    "DescriptionChanged": lambda d: d.set_description("hello"),
    "DatasetChanged, same row shape": lambda d: d.set_dataset({}),
    "TrainingChanged, same loss": lambda d: d.set_training({"lr": 0.5}),
}


@pytest.mark.parametrize("kind", list(STRUCTURAL))
def test_structural_changes_move_the_structure_revision(kind):
    assert structure_moves(f_doc(), STRUCTURAL[kind])


@pytest.mark.parametrize("kind", list(NOT_STRUCTURAL))
def test_other_changes_leave_it(kind):
    assert not structure_moves(f_doc(), NOT_STRUCTURAL[kind])


def test_value_and_dataset_edits_move_the_value_revision():
    doc = f_doc()
    before = doc.value_revision
    doc.set_value("a", 5.0)
    doc.set_dataset({"columns": {"x": [[1.0], [2.0]]}})
    assert doc.value_revision == before + 2


def test_a_dataset_row_change_of_the_same_shape_is_not_structural():
    doc = f_doc()
    doc.set_dataset({"columns": {"x": [[1.0, 2.0], [3.0, 4.0]]}})
    assert not structure_moves(doc, lambda d: d.set_dataset({"columns": {"x": [[5.0, 6.0]]}}))


# ----- the cache
def test_one_compile_per_structure_revision_and_values_read_at_run_time():
    cache, doc = PlanCache(), f_doc()
    plan = cache.plan_for(doc)
    assert cache.plan_for(doc) is plan and cache.compilations == 1
    doc.set_value("a", 4.0)  # f = (4 + 2) · 3 = 18; ∂f/∂c = a + b = 6
    assert cache.plan_for(doc) is plan and cache.compilations == 1
    trace = plan.run()
    assert trace.value("f") == pytest.approx(18.0) and trace.grad("c") == pytest.approx(6.0)
    doc.set_op("s", "mul")  # f = (4 · 2) · 3 = 24
    fresh = cache.plan_for(doc)
    assert fresh is not plan and cache.compilations == 2
    assert fresh.run().value("f") == pytest.approx(24.0)


def test_outputs_and_documents_are_cached_apart():
    cache, doc, other = PlanCache(), f_doc(), f_doc()
    assert cache.plan_for(doc, "f").output == "f"
    assert cache.plan_for(doc, "s").output == "s"
    assert cache.plan_for(other, "f") is not cache.plan_for(doc, "f")
    assert cache.compilations == 3


def test_an_error_is_cached_until_the_structure_changes():
    cache, doc = PlanCache(), f_doc()
    doc.disconnect("c", "f", "b")
    for _ in range(2):
        with pytest.raises(GraphError, match="not connected"):
            cache.plan_for(doc)
    assert cache.compilations == 1
    doc.connect("c", "f", "b")
    assert cache.plan_for(doc).run().value("f") == pytest.approx(9.0)
    assert cache.compilations == 2


def test_problems_follow_the_structure():
    cache, doc = PlanCache(), f_doc()
    assert cache.problems_for(doc) == ([], {n: () for n in ("a", "b", "c", "s", "f")})
    doc.disconnect("s", "f", "a")
    problems, _shapes = cache.problems_for(doc)
    assert [p.node for p in problems] == ["f"]
    doc.set_value("b", 7.0)  # a value edit: the same finding, from the cache
    assert [p.node for p in cache.problems_for(doc)[0]] == ["f"]


# ----- in the window: every panel shares the plan
@pytest.fixture
def compiles(monkeypatch):
    """Every plan compiled in the process, whoever compiles it (compile_plan builds one Plan)."""
    import engine.compile.plan as plan_module

    calls: list[int] = []

    class CountedPlan(plan_module.Plan):
        def __post_init__(self) -> None:
            calls.append(1)
            super().__post_init__()

    monkeypatch.setattr(plan_module, "Plan", CountedPlan)
    return calls


def test_the_window_compiles_once_per_load_and_structural_edit_and_never_per_value_edit(
    qtbot, open_window, compiles
):
    w = open_window()
    w.training_panel.activation_plot.choose("h")  # the activation preview follows the document
    bridge = w.bridge

    def settle_and_count(action) -> tuple[int, int]:
        calls, cached = len(compiles), PLANS.compilations
        action()
        qtbot.wait(50)  # coalesced signals, the panels' refreshes
        return len(compiles) - calls, PLANS.compilations - cached

    xor = str(EXAMPLES / "08_xor_3_random_init.json")
    assert settle_and_count(lambda: w.open_file(xor, ask=False)) == (1, 1)
    assert bridge.trace is not None and w.step_panel.question.count() > 0
    assert w.training_panel.activation_plot.current() == "h"

    b2 = bridge.doc.node("b2").value.copy()
    assert settle_and_count(lambda: bridge.push(SetValue("b2", b2 + 1.0))) == (0, 0)
    # The re-run saw the new value: z2 = hW2 + b2 moved by exactly 1.
    z2 = bridge.trace.value("z2")
    assert np.allclose(z2 - bridge.trace.value("hW2"), b2 + 1.0)

    assert settle_and_count(lambda: bridge.push(MoveNodes({"x": (5.0, 5.0)}))) == (0, 0)
    assert settle_and_count(lambda: bridge.push(SetLabel("x", "input x"))) == (0, 0)
    assert settle_and_count(lambda: bridge.push(AddNode("parameter", "extra", value=1.0))) == (1, 1)
    assert settle_and_count(bridge.undo) == (1, 1)
    assert bridge.trace is not None and Edge("b2", "z2", "b") in bridge.trace.plan.edges


def test_the_activation_preview_computes_only_what_the_watched_node_needs():
    """z = w·x and h = tanh(z) on the rows x = 1, 2, 3 with w = 0.5, from a walk over their ancestors."""
    from engine.train.settings import settings_from
    from engine.train.trainer import Trainer

    doc = Document(engine.REGISTRY)
    doc.add_node("input", "x")
    doc.add_node("parameter", "w", value=0.5)
    op(doc, "mul", "z", a="x", b="w")
    op(doc, "tanh", "h", x="z")
    doc.add_node("input", "t")
    op(doc, "mse", "L", pred="h", target="t")
    doc.set_dataset({"columns": {"x": [1.0, 2.0, 3.0], "t": [0.0, 0.0, 0.0]}})
    trainer = Trainer(PLANS.plan_for(doc), settings_from({}))
    values = trainer.values_over_rows(["h", "z"])
    assert np.allclose(values["h"], np.tanh([0.5, 1.0, 1.5]))
    assert np.allclose(values["z"], [0.5, 1.0, 1.5])


def test_a_prepared_plan_runs_the_generated_pass_with_the_walked_results():
    doc = f_doc()
    walked = PlanCache().plan_for(doc).run(stepwise=True)
    plan = PlanCache().plan_for(doc)
    plan.prepare()
    assert "def " in plan.generated_source()
    trace = plan.run()
    for node in ("a", "b", "c", "s", "f"):
        assert trace.value(node) == walked.value(node) and trace.grad(node) == walked.grad(node)
    assert trace.grad("a") == pytest.approx(3.0) and trace.grad("c") == pytest.approx(3.0)
