"""The training loop of a small graph over Python floats: many updates in one generated function.

On a graph of a few numbers the training pass over floats (``engine/compile/scalar.py``) takes well
under a microsecond; what remained of an update was the trainer's work around it (feeding the row,
copying the gradients into an array, the NaN check, the optimiser's numpy lines: ~8 µs). Here the pass,
the check and the optimiser's update (``FloatStep``, the same operations in the same order as its numpy
``step``) are written out in one loop, the parameters and the optimiser's state held in local variables
for as many updates as the trainer asks for; the trainer moves them to and from its arrays around each
call (``engine/train/trainer.py``).

One call runs up to n updates of one row each, from position pos of an epoch's row order, and counts the
epochs it ends (their mean losses appended as the trainer's ``_converged`` appends them). It stops early,
saying why: "slow" before an update that the loop does not make as the trainer would (a pass that raises,
a loss or gradient that is not finite: the trainer makes that update itself, with its checks and error
reports), "epoch" after an epoch's end that needs the trainer (a test loss to compute, a loss below
``stop_below``), "order" before a new shuffled epoch (the trainer draws its order); else "end".

Like the other passes the source holds only slot numbers, fixed names and registered templates; rows,
hyper-parameters and the trainer's lists enter its namespace as objects.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from engine.compile import codegen, scalar
from engine.ops.registry import ElementRule

if TYPE_CHECKING:
    from engine.compile.plan import BackPort, Plan

# The loop's code is generated for each training run (its rows and settings are in its namespace); past
# this many numbers a pass costs far more than the trainer's ~8 µs around it, and generating the loop
# (~100 µs per number) would not pay.
MAX_LOOP_NUMBERS = 2_000


@dataclass(frozen=True)
class FloatStep:
    """One update of an optimiser over floats (``Optimiser.float_step``, engine/train/optimisers.py).

    ``per_number`` are lines for each parameter number, with placeholders {p} (the number), {g} (its
    gradient) and {s0}, {s1} … (its state numbers, ``states`` of them); ``per_update`` are lines run once
    per update before them (they may read ``t``, the updates made so far; the loop counts it). Constants
    are names in ``constants``. No line may raise (the loop commits each number as it goes)."""

    per_number: tuple[str, ...]
    per_update: tuple[str, ...] = ()
    states: int = 0
    constants: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class LoopSpec:
    """What one training run's loop is made of, besides the plan."""

    params: list[int]  # the trained slots, in the order of the trainer's flat parameters
    fed: dict[int, list[Any]]  # slot → its value on each row (a float, or a tuple of its numbers)
    step: FloatStep
    epoch_length: int  # updates per epoch
    fixed_order: bool  # every epoch has the same order (else a new one is drawn: the loop returns)
    stop_below: float | None
    has_test: bool  # a test loss follows each epoch (the trainer computes it: the loop returns)
    # "history" and "epoch_losses": the lists appended to; maybe "grads": a list holding one writable
    # C-contiguous float64 array of at least n rows, update `done`'s gradient numbers written into row
    # `done` (one struct.pack_into call: ~4× cheaper than extending an array.array with a tuple)
    record: dict[str, Any]


def numbers_of(plan: Plan) -> int:
    return sum(scalar._size(plan.shapes[n]) for s, n in enumerate(plan.ids) if plan.reaches_output[s])


def update_loop(plan: Plan, rules: list[ElementRule | None], spec: LoopSpec) -> Callable[..., Any] | None:
    """fn(V, S, t, order, pos, n, esum, ecount) -> (done, t, pos, esum, ecount, epochs, why, P, S); None
    when some trained slot gets no gradient from the output (the trainer leaves such a parameter out).

    V: the leaf values by slot (the parameters' current values among them); S: the optimiser's state
    numbers (``Optimiser.float_state``); t: updates made so far; order: the epoch's rows; pos: updates
    made in this epoch; esum, ecount: the epoch's loss sum and count so far. Returns the updates done, the
    new t, pos, esum, ecount, the epochs ended, why it stopped, and the parameters' and state's numbers.
    """
    code = codegen.Code()
    code.lines[0] = "def _pass(V, S, t, order, pos, n, esum, ecount):"
    code.ns.update(math=math, _sqrt=math.sqrt, _per=spec.epoch_length, **spec.step.constants)
    code.ns.update({f"_{name}_list": items for name, items in spec.record.items()})
    one_row = spec.epoch_length == 1 and spec.fixed_order  # the same row every update: read it once
    p_names = [f"v{s}_{k}" for s in spec.params for k in range(_count(plan, s))]
    g_names = [f"g{s}_{k}" for s in spec.params for k in range(_count(plan, s))]
    s_names = [f"o{j}_{p}" for j in range(spec.step.states) for p in p_names]
    body = _pass_lines(plan, rules, spec, code)
    if body is None:
        return None
    body, aliases = _without_copies(body)
    body = _factored(body, code)
    g_names = [aliases.get(g, g) for g in g_names]
    fed = _prologue(plan, code, spec, s_names, one_row)
    code.add("for done in range(n):")
    if not one_row:
        _next_row(code, spec)
        body = fed + body
    _checked_pass(code, body, g_names)
    _optimiser_lines(code, spec.step, p_names, g_names)
    _bookkeeping(code, spec, g_names, one_row)
    code.add("else:")
    code.add("    done = n")
    if not spec.step.per_update:  # (else counted in the loop: the optimiser's lines read t)
        code.add("t += done")
    if one_row:
        _one_row_epochs(code, spec)
    numbers = f"[{', '.join(p_names)}], [{', '.join(s_names)}]"
    code.add(f"return done, t, pos, esum, ecount, epochs, why, {numbers}")
    _as_locals(code)
    return codegen.compile_code(code)


def _prologue(plan: Plan, code: codegen.Code, spec: LoopSpec, s_names: list[str], one_row: bool) -> list[str]:
    """Before the loop: the leaves that stay put (parameters included) and the optimiser's state read;
    with one_row its row's numbers too. Returns the lines reading a row's fed numbers."""
    for line in _leaf_lines(plan, code, spec, fed=False):
        code.add(line)
    if s_names:
        code.add(f"{', '.join(s_names)}, = S")
    code.add("epochs = 0")
    code.add('why = "end"')
    for name in spec.record:
        code.add(f"_{name} = _{name}_list{'[0]' if name == 'grads' else '.append'}")
    fed = _leaf_lines(plan, code, spec, fed=True)
    if one_row:
        code.add("r = order[0]")
        for line in fed:
            code.add(line)
    return fed


def _checked_pass(code: codegen.Code, body: list[str], g_names: list[str]) -> None:
    """The pass; back to the trainer before the update if it raises or gives a NaN or Inf (the sum of
    the loss and the squared gradient's numbers is then not finite: x − x is not 0)."""
    code.add("    try:")
    for line in body:
        code.add("        " + line)
    code.add("    except (ArithmeticError, ValueError, TypeError):")
    code.add('        why = "slow"')
    code.add("        break")
    code.add(f"    _check = loss + ({' + '.join(f'{g} * {g}' for g in g_names) or '0.0'})")
    code.add("    if _check - _check != 0.0:  # the trainer makes this update, with its checks")
    code.add('        why = "slow"')
    code.add("        break")


def _optimiser_lines(code: codegen.Code, step: FloatStep, p_names: list[str], g_names: list[str]) -> None:
    for line in step.per_update:
        code.add("    " + line)
    for p, g in zip(p_names, g_names, strict=True):
        states = {f"s{j}": f"o{j}_{p}" for j in range(step.states)}
        for template in step.per_number:
            code.add("    " + template.format(p=p, g=g, **states))


def _next_row(code: codegen.Code, spec: LoopSpec) -> None:
    """The row of the update: the next in the order; at the epoch's end the order again from its first
    row, or (a shuffle) back to the trainer for a new order."""
    code.add("    if pos == _per:")
    if spec.fixed_order:
        code.add("        pos = 0")
    else:
        code.add('        why = "order"')
        code.add("        break")
    code.add("    r = order[pos]")


def _as_locals(code: codegen.Code) -> None:
    """The namespace's names that the loop reads become keyword defaults of the function, i.e. locals:
    a global is a dictionary look-up, ~20 ns each time, a few dozen of them an update."""
    used = set(re.findall(r"[A-Za-z_]\w*", "\n".join(code.lines[1:])))
    names = sorted(name for name in code.ns if name in used and name.isidentifier())
    if names:
        code.lines[0] = code.lines[0][:-2] + ", *, " + ", ".join(f"{n}={n}" for n in names) + "):"


def _count(plan: Plan, s: int) -> int:
    return scalar._size(plan.shapes[plan.ids[s]])


def _leaf_lines(plan: Plan, code: codegen.Code, spec: LoopSpec, fed: bool) -> list[str]:
    """The leaves' numbers: the fed ones from the row's entry (in the loop), or the others, parameters
    included, read from V (before it)."""
    lines = []
    for s in range(len(plan.ids)):
        if not (plan.reaches_output[s] and plan.ops[s].is_leaf) or (s in spec.fed) != fed:
            continue
        if fed:
            code.ns[f"X{s}"] = spec.fed[s]
            numbers = "".join(f"v{s}_{k}, " for k in range(_count(plan, s)))
            lines.append(f"{numbers}= X{s}[r]" if plan.shapes[plan.ids[s]] else f"v{s}_0 = X{s}[r]")
        else:
            sub = codegen.Code(ns=code.ns)
            scalar._forward_lines(plan, sub, s, None)
            lines.extend(line.strip() for line in sub.lines[1:])
    return lines


def _pass_lines(
    plan: Plan, rules: list[ElementRule | None], spec: LoopSpec, code: codegen.Code
) -> list[str] | None:
    """The pass over one row once its fed leaves are read (``scalar``'s forward and backward lines), loss
    named; None when some trained slot gets no gradient."""
    sub = codegen.Code(ns=code.ns)
    for s in range(len(plan.ids)):
        if plan.reaches_output[s] and not plan.ops[s].is_leaf:
            scalar._forward_lines(plan, sub, s, rules[s])
    sub.add(f"    g{plan.out_slot}_0 = 1.0")
    sub.add(f"    loss = v{plan.out_slot}_0")
    needs_grad = codegen.gradient_needs(plan, spec.params)
    for s, ports in plan.backward:
        todo = [bp for bp in ports if needs_grad[s] and needs_grad[bp.source]]
        _backward_lines(plan, rules, sub, s, todo)
    if not set(spec.params) <= sub.started:
        return None
    return [line.strip() for line in sub.lines[1:]]


def _backward_lines(
    plan: Plan, rules: list[ElementRule | None], code: codegen.Code, s: int, ports: list[BackPort]
) -> None:
    if ports:
        names = scalar._names(plan, code, s)
        for bp in ports:
            templates = rules[s].vjps[bp.port_index]  # type: ignore[union-attr]
            scalar._gradient_lines(code, bp.source, [t.format(**names) for t in templates])


_GRADIENT = re.compile(r"g\d+_\d+")


def _without_copies(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """The pass without its plain copies of a gradient (an add passes its gradient on as it came:
    ``g2_0 = g4_0``) or of the output's 1.0: later lines read the original (the same number; ~5 ns a
    copy saved). Only names given once; returns the lines and the names replaced → their originals."""
    given: dict[str, int] = {}
    for line in lines:
        name = line.split(" = ", 1)[0]
        given[name] = given.get(name, 0) + 1
    aliases: dict[str, str] = {}
    out = []
    for line in lines:
        name, expression = line.split(" = ", 1)
        expression = _GRADIENT.sub(lambda m: aliases.get(m.group(0), m.group(0)), expression)
        once = given[name] == 1 and _GRADIENT.fullmatch(name)
        if once and (expression == "1.0" or _GRADIENT.fullmatch(expression) and given.get(expression) == 1):
            aliases[name] = expression
        else:
            out.append(f"{name} = {expression}")
    return out, aliases


_GROUP = re.compile(r"(?<![\w)\]])\(([^()]*[-+*/][^()]*)\)")  # (a − b), not a call's f(a, b)
_NAME = re.compile(r"[A-Za-z_]\w*")
_INVARIANT = re.compile(r"A\d+_\w+|_k\d+")  # attributes (and what is made of them) stay put
_STEADY = re.compile(r"v\d+_\d+|_c\d+")  # given once in the pass (parameters change after it)


def _factored(lines: list[str], code: codegen.Code) -> list[str]:
    """The same operations, fewer of them: a parenthesised part made of attributes and numbers only is
    computed once before the loop (_k0 …); one made of values that appears more than once (an MSE's
    (y − t), three times) once where first needed (_c0 …). Same operands, same order: the same numbers.
    Not in a line with a condition, whose parts may not all be evaluated."""
    hoisted: dict[str, str] = {}
    out: list[str] = []
    for line in lines:
        if " if " not in line:
            line = _replace_groups(line, _INVARIANT, hoisted, "_k")
        out.append(line)
    for expression, name in hoisted.items():
        code.add(f"{name} = {expression}")
    return _common_parts(out)


def _replace_groups(line: str, allowed: re.Pattern[str], names: dict[str, str], stem: str) -> str:
    """Each innermost group whose names all match `allowed` replaced by its name in `names` (a new one
    added where needed), again until none is left (a group may then be made of such names)."""
    while True:
        def named(m: re.Match[str]) -> str:
            if not all(allowed.fullmatch(n) for n in _NAME.findall(m.group(1))):
                return m.group(0)
            return names.setdefault(m.group(1), f"{stem}{len(names)}")

        new = _GROUP.sub(named, line)
        if new == line:
            return line
        line = new


def _common_parts(lines: list[str]) -> list[str]:
    """Groups of steady values met twice or more computed once, just before the first line using them."""
    counts: dict[str, int] = {}
    for line in lines:
        for group in _steady_groups(line):
            counts[group] = counts.get(group, 0) + 1
    common = {e: f"_c{i}" for i, e in enumerate(e for e, k in counts.items() if k > 1)}
    out: list[str] = []
    made: set[str] = set()
    for line in lines:
        for group in _steady_groups(line):
            if group in common and group not in made:
                out.append(f"{common[group]} = {group}")
                made.add(group)
        out.append(_GROUP.sub(lambda m: common.get(m.group(1), m.group(0)), line))
    return out


def _steady_groups(line: str) -> list[str]:
    if " if " in line:
        return []
    groups = (m.group(1) for m in _GROUP.finditer(line))
    return [g for g in groups if all(map(_steady, _NAME.findall(g)))]


def _steady(name: str) -> bool:
    return bool(_STEADY.fullmatch(name) or _INVARIANT.fullmatch(name))


def _bookkeeping(code: codegen.Code, spec: LoopSpec, g_names: list[str], one_row: bool) -> None:
    """After an update, what the trainer records of it (``Trainer._update`` and ``_converged``, in the
    same order: the epoch's mean loss is the same sum from 0.0 divided by the same count)."""
    if spec.step.per_update:
        code.add("    t += 1")
    code.add("    _history(loss)")
    if "grads" in spec.record and g_names:
        code.ns["_pack_grads"] = struct.Struct(f"={len(g_names)}d").pack_into
        code.add(f"    _pack_grads(_grads, done * {8 * len(g_names)}, {', '.join(g_names)})")
    if one_row:
        if _returns_at_epoch_end(spec):
            code.add("    _mean = loss + 0.0  # (0.0 + loss) / 1")
            _epoch_end(code, spec, "    ")
        return
    code.add("    pos += 1")
    code.add("    esum += loss")
    code.add("    ecount += 1")
    code.add("    if pos == _per:")
    code.add("        _mean = esum / ecount")
    code.add("        epochs += 1")
    code.add("        esum = 0.0")
    code.add("        ecount = 0")
    _epoch_end(code, spec, "        ")


def _returns_at_epoch_end(spec: LoopSpec) -> bool:
    return spec.has_test or spec.stop_below is not None


def _one_row_epochs(code: codegen.Code, spec: LoopSpec) -> None:
    """Epochs of one row: every update ended one, its mean loss its loss (0.0 + loss) / 1, recorded
    after the loop unless the loop looked at each (the same number, but −0.0 made 0.0)."""
    code.add("epochs = done")
    code.add("pos = 1 if done else pos")
    if not _returns_at_epoch_end(spec):
        code.add("if done:")
        code.add("    _losses = _history_list[-done:]")
        code.add("    _epoch_losses_list.extend([x + 0.0 for x in _losses] if 0.0 in _losses else _losses)")


def _epoch_end(code: codegen.Code, spec: LoopSpec, indent: str) -> None:
    """The epoch's mean loss recorded; back to the trainer if it computes a test loss or the run stops."""
    code.add(f"{indent}_epoch_losses(_mean)")
    if _returns_at_epoch_end(spec):
        code.ns["_stop_below"] = -math.inf if spec.stop_below is None else spec.stop_below
        condition = "True" if spec.has_test else "_mean < _stop_below"
        code.add(f"{indent}if {condition}:  # the trainer computes the test loss, or stops")
        code.add(f'{indent}    why = "epoch"')
        code.add(f"{indent}    done += 1")
        code.add(f"{indent}    break")
