"""The numerics of Backprop Studio: ops, plans, forward/backward, stepping and training.

Importing this package registers every op in :data:`engine.ops.registry.REGISTRY`. The names below are
the Python API for scripts and notebooks (see README.md):

    import engine
    doc = engine.load("examples/02_masha_relu_regression.json")
    trace = engine.run(doc)
    trace.loss, trace.grad("W1"), trace.edge_grad(trace.plan.edges[0])
"""

from __future__ import annotations

import os

import engine.ops  # noqa: F401  (registers every op)
from engine.compile.gradcheck import LeafCheck, gradient_check
from engine.compile.plan import Plan, compile_plan, run
from engine.compile.trace import NumericError, Trace
from engine.ops.registry import REGISTRY, Attr, Formula, OpDef, OpShapeError, register, unbroadcast
from graph.document import Document
from graph.file_format import loads as _loads
from graph.file_format import save


def new_document() -> Document:
    """An empty graph that checks ports against the registered ops."""
    return Document(REGISTRY)


def load(path: str | os.PathLike[str]) -> Document:
    """Read a graph file (raises graph.errors.FileFormatError naming the place on bad input)."""
    from graph.file_format import load as _load

    return _load(path, REGISTRY)


def loads(text: str, source: str = "<graph>") -> Document:
    return _loads(text, REGISTRY, source)


def check(doc: Document, output: str | None = None) -> list[LeafCheck]:
    """Validate and compare every leaf's gradient with central differences."""
    return gradient_check(compile_plan(doc, output=output))


__all__ = [
    "REGISTRY",
    "Attr",
    "Document",
    "Formula",
    "LeafCheck",
    "NumericError",
    "OpDef",
    "OpShapeError",
    "Plan",
    "Trace",
    "check",
    "compile_plan",
    "gradient_check",
    "load",
    "loads",
    "new_document",
    "register",
    "run",
    "save",
    "unbroadcast",
]
