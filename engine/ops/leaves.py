"""Leaf ops: values that enter the graph from the document (inputs, parameters, constants)."""

from __future__ import annotations

import numpy as np

from engine.ops.registry import Formula, OpDef, register


def _no_forward() -> np.ndarray:
    # NOTE: a leaf's value lives in the document (or the dataset); the plan reads it from there.
    raise RuntimeError("leaf ops have no forward function")


def _leaf(op_id: str, name: str, doc: str) -> OpDef:
    return register(
        OpDef(
            id=op_id,
            name=name,
            group="Inputs & parameters",
            doc=doc,
            inputs=(),
            forward=_no_forward,
            vjps=(),
            shape=lambda: (),
            formula=Formula(forward="{y}", forward_tex="{y}"),
        )
    )


INPUT = _leaf("input", "Input", "An observation fed from the dataset when training.")
PARAMETER = _leaf("parameter", "Parameter", "A trainable weight, updated by the optimiser.")
CONSTANT = _leaf("constant", "Constant", "A fixed value that is neither fed nor trained.")
