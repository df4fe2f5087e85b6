"""The interop table covers the op library: every non-leaf op maps to PyTorch and to ONNX."""

from __future__ import annotations

import onnx.parser
import pytest

import engine
from engine.interop.opmap import MAPPINGS, ONNX_FUNCTIONS, TORCH_HELPERS

NON_LEAF = [op for op in engine.REGISTRY if not op.is_leaf]


@pytest.mark.parametrize("op", NON_LEAF, ids=lambda op: op.id)
def test_every_op_has_a_mapping(op):
    assert op.id in MAPPINGS, f"op {op.id!r} has no entry in engine/interop/opmap.py MAPPINGS"
    mapping = MAPPINGS[op.id]
    assert set(mapping.helpers) <= set(TORCH_HELPERS)
    attrs = op.resolve_attrs({})
    template = mapping.torch_template(attrs)
    template.format(**{p: p for p in op.inputs}, **{k: repr(v) for k, v in attrs.items()})
    assert mapping.onnx


def test_no_mapping_for_an_unregistered_op():
    assert set(MAPPINGS) == {op.id for op in NON_LEAF}


@pytest.mark.parametrize("name", sorted(ONNX_FUNCTIONS))
def test_every_onnx_function_parses_and_is_used(name):
    function = onnx.parser.parse_function(ONNX_FUNCTIONS[name])
    assert function.name == name
    assert any(f.op_type == name for m in MAPPINGS.values() for f in m.onnx)
