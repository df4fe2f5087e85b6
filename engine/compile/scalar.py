"""Graphs whose values are all scalars, over Python floats: most exercise sheets.

On one number, numpy's per-call overhead is most of the work (a Python float adds in ~15 ns, a 0-d array
in ~500 ns), so for such graphs the training pass is generated over floats instead, from the ops' float
templates (``OpDef.float_forward``/``float_vjps``: the same formulas and conventions as the numpy
functions). Like the numpy pass (``engine/compile/codegen.py``) the source holds only slot numbers,
fixed names and registered templates; attribute values enter its namespace under slot-numbered names.

Where Python refuses what numpy lets through (a division by zero, math.log(0), an overflow in exp), the
pass hands the same values to the numpy pass, which gives numpy's inf or nan as before.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.compile import codegen

if TYPE_CHECKING:
    from engine.compile.plan import Plan


def eligible(plan: Plan) -> bool:
    """Every node the output depends on holds one number () and has float templates (or is a leaf)."""
    for s, node_id in enumerate(plan.ids):
        if not plan.reaches_output[s]:
            continue
        op = plan.ops[s]
        if plan.shapes[node_id] != () or not (op.is_leaf or op.float_forward and op.float_vjps):
            return False
    return True


def train_function(plan: Plan, params: list[int], numpy_pass: Callable[..., Any]) -> Callable[..., Any]:
    """fn(leaf values) -> (output as np.float64, [gradient of each slot in params as a float, or None]).

    The same contract as the numpy training pass, which it calls where Python raises.
    """
    needs_grad = codegen.gradient_needs(plan, params)
    code = codegen.Code()
    code.ns.update(math=math, _f64=np.float64, _numpy_pass=numpy_pass)
    code.add("try:")
    for s in range(len(plan.ids)):
        if plan.reaches_output[s]:
            code.add(f"    v{s} = {_forward(plan, code, s)}")
    out = plan.out_slot
    code.add(f"    g{out} = 1.0")
    for s, ports in plan.backward:
        for bp in ports:
            if needs_grad[s] and needs_grad[bp.source]:
                term = plan.ops[s].float_vjps[bp.port_index].format(**_names(plan, code, s))  # type: ignore[index]
                total = f"g{bp.source} + ({term})" if bp.source in code.started else term
                code.started.add(bp.source)
                code.add(f"    g{bp.source} = {total}")
    grads = ", ".join(f"g{s}" if s in code.started else "None" for s in params)
    code.add(f"    return _f64(v{out}), [{grads}]")
    code.add("except (ArithmeticError, ValueError):")
    code.add("    return _numpy_pass(V)")
    return codegen.compile_code(code)


def _forward(plan: Plan, code: codegen.Code, s: int) -> str:
    op = plan.ops[s]
    if op.is_leaf:
        return f"float(V[{s}])"
    return op.float_forward.format(**_names(plan, code, s))  # type: ignore[union-attr]


def _names(plan: Plan, code: codegen.Code, s: int) -> dict[str, str]:
    """Template placeholders of node s: its ports, {y}, {g}, and its attributes (namespace names)."""
    names = codegen.names(plan, s)
    for name, value in plan.attrs[s].items():
        code.ns[f"A{s}_{name}"] = float(value) if isinstance(value, (int, float)) else value
        names[name] = f"A{s}_{name}"
    return names
