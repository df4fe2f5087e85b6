"""An op's inline templates (used by the generated code) must compute exactly what its functions do."""

from __future__ import annotations

import numpy as np
import pytest

import engine

CASES = {
    "add": [((3,), (3,)), ((2, 2), (2, 2)), ((), ())],
    "sub": [((3,), (3,)), ((2, 3), (2, 3))],
    "mul": [((3,), (3,)), ((2, 3), (2, 3))],
    "neg": [((4,),)],
    "square": [((4,),), ((),)],
    "relu": [((5,),)],
    "tanh": [((5,),)],
    "sigmoid": [((5,),)],
    "matmul": [((2, 3), (3, 4)), ((3,), (3, 2)), ((2, 3), (3,))],
    "mse": [((3,), (3,)), ((2, 1), (2, 1)), ((), ()), ((3,), ()), ((), (3,)), ((2, 3), (3,))],
}
# attribute values each op's cases run with (an op without attributes: none)
ATTRS = {"mse": [{"reduction": "mean", "scale": 1.0}, {"reduction": "sum", "scale": 0.5},
                 {"reduction": "mean", "scale": 0.3}]}  # fmt: skip


def test_every_op_with_templates_is_covered():
    with_templates = {op.id for op in engine.REGISTRY if op.inline_forward or op.inline_vjps}
    assert with_templates == set(CASES)


@pytest.mark.parametrize("op_id", sorted(CASES))
def test_templates_equal_functions_bit_for_bit(op_id):
    op = engine.REGISTRY[op_id]
    rng = np.random.default_rng(7)
    for shapes in CASES[op_id]:
        for attrs in ATTRS.get(op_id, [{}]):
            xs = tuple(rng.normal(size=s) for s in shapes)
            names = dict(zip(op.inputs, (f"xs[{i}]" for i in range(len(xs))), strict=True))
            names.update({name: f"attrs[{name!r}]" for name in attrs})
            y = op.forward(*xs, **attrs)
            if op.inline_forward:
                inlined = eval(op.inline_forward.format(**names), {"np": np, "xs": xs})  # our own template
                assert np.array_equal(inlined, y)
            g = rng.normal(size=np.shape(y))
            templates = op.inline_vjps(shapes, np.shape(y), **attrs) if op.inline_vjps else (None,) * len(xs)
            expected = [vjp(g, xs, y, **attrs) for vjp in op.vjps]
            env = {"np": np, "xs": xs, "y": y, "g": g, "attrs": attrs, "expected": expected}
            # {d_<port>}: the contribution to that port, as its function gives it
            names.update({f"d_{port}": f"expected[{i}]" for i, port in enumerate(op.inputs)})
            for k, choices in enumerate(templates):
                for template in (choices,) if isinstance(choices, str) else choices or ():
                    got = eval(template.format(**names, y="y", g="g"), env)
                    assert np.array_equal(got, expected[k]), (op_id, shapes, attrs, k, template)
            assert any(t is not None for t in templates), (op_id, shapes)
