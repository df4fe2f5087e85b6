"""The registry itself: one definition of the leaves, throw-away ops, and a lazy sympy."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import engine
from engine.ops.registry import Attr, Formula, OpDef, same_shape
from graph.document import LEAF_OPS

ROOT = Path(__file__).resolve().parent.parent


def _twice() -> OpDef:
    return OpDef(
        id="twice_for_test",
        name="Twice",
        group="Arithmetic",
        doc="y = 2x.",
        inputs=("x",),
        forward=lambda x: np.asarray(2.0 * x),
        vjps=(lambda g, xs, y: 2.0 * g,),
        shape=same_shape,
        formula=Formula("{y} = 2·{x}", "{y} = 2 {x}", {"x": "∂y/∂x = 2"}, {"x": "= 2"}),
    )


def test_the_registry_leaves_are_the_documents_leaves():
    assert [op.id for op in engine.REGISTRY if op.is_leaf] == list(LEAF_OPS)


def test_temporarily_registers_an_op_for_a_block_only():
    op = _twice()
    with engine.REGISTRY.temporarily(op):
        assert engine.REGISTRY["twice_for_test"] is op
        assert op in engine.REGISTRY.by_group()["Arithmetic"]
        with pytest.raises(ValueError, match="already registered"):
            engine.REGISTRY.register(op)
    assert "twice_for_test" not in engine.REGISTRY


def test_a_sympy_field_is_a_rule_or_no_symbolic_form():
    with pytest.raises(ValueError, match="sympy"):
        dataclasses.replace(_twice(), sympy="x + 1")


def test_importing_the_engine_does_not_import_sympy():
    code = "import sys, engine; assert 'sympy' not in sys.modules, 'sympy imported'"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_file_format_lists_every_op_under_its_group():
    text = (ROOT / "docs" / "file-format.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
    for op in engine.REGISTRY:
        assert f"`{op.id}`" in rows.get(op.group, ""), f"docs/file-format.md: add `{op.id}` to {op.group}"


@pytest.mark.parametrize(
    ("attr", "value", "expected"),
    [
        (Attr("a", "float", 1.0, minimum=0.0), 2, 2.0),
        (Attr("n", "int", 1, maximum=5), 5, 5),
        (Attr("axis", "axis", None), None, None),
        (Attr("axis", "axis", None), -1, -1),
        (Attr("k", "bool", False), True, True),
        (Attr("r", "choice", "mean", choices=("mean", "sum")), "sum", "sum"),
    ],
)
def test_attr_coerce_accepts(attr, value, expected):
    got = attr.coerce(value)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    ("attr", "value", "message"),
    [
        (Attr("a", "float", 1.0), "1", "'a' must be a number, got '1'"),
        (Attr("a", "float", 1.0), True, "'a' must be a number"),
        (Attr("a", "float", 1.0), float("inf"), "'a' must be finite"),
        (Attr("a", "float", 1.0, minimum=0.0), -0.5, "'a' must be ≥ 0.0, got -0.5"),
        (Attr("n", "int", 1), 1.5, "'n' must be an integer, got 1.5"),
        (Attr("n", "int", 1, maximum=5), 6, "'n' must be ≤ 5, got 6"),
        (Attr("axis", "axis", None), 0.5, "'axis' must be an integer axis or null"),
        (Attr("k", "bool", False), 1, "'k' must be true or false"),
        (Attr("r", "choice", "mean", choices=("mean", "sum")), "max", "one of 'mean', 'sum', got 'max'"),
    ],
)
def test_attr_coerce_refuses_with_the_attribute_named(attr, value, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        attr.coerce(value)
