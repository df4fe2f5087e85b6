"""The Python API a script or notebook uses: build in code, run, read the trace, check gradients."""

from __future__ import annotations

import engine


def test_build_run_and_check_in_code(tmp_path):
    # y = (w·x + b)², w = 3, x = 2, b = −1: y = 25, ∂y/∂w = 2·5·x = 20, ∂y/∂b = 2·5 = 10.
    doc = engine.new_document()
    doc.add_node("input", "x", value=2.0)
    doc.add_node("parameter", "w", value=3.0)
    doc.add_node("parameter", "b", value=-1.0)
    doc.add_node("mul", "wx")
    doc.connect("w", "wx", "a")
    doc.connect("x", "wx", "b")
    doc.add_node("add", "z")
    doc.connect("wx", "z", "a")
    doc.connect("b", "z", "b")
    doc.add_node("square", "y")
    doc.connect("z", "y", "x")
    trace = engine.run(doc)
    assert trace.loss == 25.0
    assert trace.grad("w") == 20.0
    assert trace.grad("b") == 10.0
    assert all(c.ok for c in engine.check(doc))
    engine.save(doc, tmp_path / "g.json")
    assert engine.run(engine.load(tmp_path / "g.json")).loss == 25.0
