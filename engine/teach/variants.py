"""Exercise variants: the same graph with fresh numbers a person can work through by hand.

For each variant the inputs, parameters and dataset rows get new values drawn from small integers,
halves and quarters (a label of 0/1 stays a label, a large integer such as the target 42 moves by a few,
a parameter that starts at zero stays at zero, since starting from zero is then the point of the
exercise). A candidate is kept only when

- for a graph of rational ops (engine.teach.exact), every value, gradient, edge contribution and updated
  weight of every step is, in exact arithmetic, a decimal of at most `decimals` places and at most 100
  in size (or 4× the original's largest number); other graphs (sigmoid, exp, log …) are answered to
  `decimals` places instead;
- no input of an op with a kink (ReLU at 0) sits exactly on it where the original's did not;
- every parameter whose gradient is nonzero in the original has a nonzero gradient;
- its numbers differ from the original's and every other variant's.

Then no unit that is alive in the original (gradient passes through its ReLU in some step) may be dead
in every variant: a set that kills one is repaired by drawing variants again, from the last one back,
with that unit alive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from engine.compile.plan import Plan, compile_plan
from engine.compile.trace import NumericError
from engine.teach.exact import ExactPass, NotExact, exact_array, exact_pass, fraction, is_short, why_not_exact
from engine.teach.explain import training_rows
from engine.train.settings import settings_from
from graph.document import Document
from graph.errors import GraphError
from graph.values import format_number

FINDS = ("values", "gradients", "updates")
MAX_ABS = Fraction(100)  # the largest number a variant may show, or 4× the original's largest
TRIES = 20000  # candidates drawn per variant before giving up
INTEGERS = [Fraction(i) for i in range(-3, 4)]
HALVES = [Fraction(i, 2) for i in (-5, -3, -1, 1, 3, 5)]
QUARTERS = [Fraction(i, 4) for i in (-3, -1, 1, 3)]


class VariantError(GraphError):
    """No variant could be made (bad options, or no numbers pass the checks)."""


@dataclass(frozen=True)
class ExerciseOptions:
    count: int = 1
    seed: int = 0
    find: tuple[str, ...] = FINDS
    steps: int = 0  # 0: one pass and its update on the graph's own values; K: K SGD steps over the rows
    decimals: int = 4  # the places answers are given to (non-rational graphs) and allowed (rational ones)


@dataclass
class Answer:
    """One asked quantity: a node's value or gradient, or a parameter after the step."""

    step: int  # 1-based SGD step, 0 for the single pass
    kind: str  # "value", "gradient" or "update"
    node: str
    value: np.ndarray
    exact: np.ndarray | None = None  # the Fractions, for a rational graph


@dataclass
class Variant:
    number: int  # 1-based
    doc: Document
    answers: list[Answer]
    dead: set[tuple[str, int]] = field(default_factory=set)  # (node, element) dead in every step


@dataclass
class ExerciseSet:
    original: Document
    options: ExerciseOptions
    variants: list[Variant]
    exact_reason: str | None  # None when answers are exact; else why they are rounded
    lr: float
    rows: list[int | None]  # the dataset row of each step
    output: str = ""  # the output node (the loss) the gradients are of

    @property
    def exact(self) -> bool:
        return self.exact_reason is None


@dataclass(frozen=True)
class _Free:
    """One leaf value the variants change: a node's own value, or one dataset row of an input."""

    node: str
    row: int | None
    label: bool  # a 0/1 target: stays 0 or 1


@dataclass
class _Context:
    doc: Document
    plan: Plan
    options: ExerciseOptions
    lr: float
    rows: list[int | None]
    exact: bool
    free: list[_Free]
    max_abs: Fraction = MAX_ABS
    learning: set[str] = field(default_factory=set)  # parameters the original's gradient reaches
    kinks: set[tuple[int, str, int]] = field(default_factory=set)  # (step, node, element) on a kink
    original: list[ExactPass] = field(default_factory=list)  # the original's passes


def make_variants(doc: Document, options: ExerciseOptions, output: str | None = None) -> ExerciseSet:
    """`options.count` variants of the exercise in doc; raises VariantError when they cannot be made."""
    _check_options(options)
    plan = compile_plan(doc, output=output or (doc.training or {}).get("loss"))
    lr = settings_from(doc.training).lr
    reason = why_not_exact(plan)
    ctx = _Context(doc, plan, options, lr, training_rows(doc, options.steps), reason is None,
                   _free_values(doc, plan, reason is None))
    try:
        ctx.original = _passes(ctx, doc)
    except NotExact as err:  # stacked matmuls, or a division by zero in the original's own numbers
        ctx.exact, reason = False, f"no exact pass of the original ({err})"
        ctx.original = _passes(ctx, doc)
    ctx.kinks = _kinks(plan, ctx.original)
    ctx.max_abs = max(MAX_ABS, 4 * _largest(ctx.original))
    ctx.learning = _learning(plan, ctx.original)
    alive = _alive(plan, ctx.original)
    rng = np.random.default_rng(options.seed)
    seen = {_key(ctx, doc)}
    variants: list[Variant] = []
    for number in range(1, options.count + 1):
        variants.append(_draw_variant(ctx, rng, number, seen, set()))
    _revive(ctx, rng, variants, seen, alive)
    return ExerciseSet(doc, options, variants, reason, lr, ctx.rows, plan.output)


def _revive(ctx: _Context, rng: np.random.Generator, variants: list[Variant], seen: set[tuple[float, ...]],
            alive: set[tuple[str, int]]) -> None:
    """Redraw variants, from the last one back, until every unit alive in the original is alive in some
    variant (each redraw keeps one such unit alive; the check runs again after each)."""
    for k in range(2 * len(alive) + 1):
        never = alive - set().union(*(alive - v.dead for v in variants))
        if not never:
            return
        i = len(variants) - 1 - k % len(variants)
        seen.discard(_key(ctx, variants[i].doc))
        variants[i] = _draw_variant(ctx, rng, variants[i].number, seen, {min(never)})
    raise VariantError(f"no set of variants keeps unit {min(never)} of the original alive")


def _check_options(options: ExerciseOptions) -> None:
    if not 1 <= options.count <= 500:
        raise VariantError(f"--variants must be between 1 and 500, got {options.count}")
    bad = [f for f in options.find if f not in FINDS]
    if bad or not options.find:
        got = ", ".join(bad) if bad else "nothing"
        raise VariantError(f"--find takes a comma-separated list of {', '.join(FINDS)}; got {got}")
    if not 0 <= options.steps <= 20:
        raise VariantError(f"--steps must be between 0 and 20, got {options.steps}")
    if not 0 <= options.decimals <= 8:
        raise VariantError(f"--decimals must be between 0 and 8, got {options.decimals}")


def _free_values(doc: Document, plan: Plan, exact: bool) -> list[_Free]:
    """The leaf values a variant draws anew (the inputs' and parameters' that reach the output). A 0/1
    target of a graph with logs (bce) stays a label; a rational graph's targets are free numbers."""
    columns = doc.dataset_columns()
    targets = {e.source for e in plan.edges if e.port == "target"}
    free = []
    for slot, node in enumerate(plan.ids):
        value = doc.node(node).value
        if not _varies(plan, slot, value):
            continue
        rows: list[int | None] = [None] if value is not None else []
        rows += range(len(columns.get(node, [])))
        values = [value] + list(columns.get(node, []))
        label = not exact and node in targets and _zeros_and_ones(values)
        free += [_Free(node, r, label) for r in rows]
    return free


def _varies(plan: Plan, slot: int, value: Any) -> bool:
    """Inputs and parameters that reach the output, except a parameter that starts at zero."""
    op = plan.ops[slot].id
    if op not in ("input", "parameter") or not plan.reaches_output[slot]:
        return False
    return not (op == "parameter" and value is not None and not np.any(value))


def _zeros_and_ones(values: list[Any]) -> bool:
    return all(set(np.ravel(v).tolist()) <= {0.0, 1.0} for v in values if v is not None)


def _draw_number(rng: np.random.Generator, old: float, label: bool) -> Fraction:
    if label:
        return Fraction(int(rng.integers(0, 2)))
    if old == int(old) and abs(old) > 4:
        return Fraction(int(old) + int(rng.integers(-6, 7)))
    pool = (INTEGERS, HALVES, QUARTERS)[int(rng.choice(3, p=(0.5, 0.3, 0.2)))]
    return pool[int(rng.integers(len(pool)))]


def _candidate(ctx: _Context, rng: np.random.Generator) -> Document:
    """The original with every free value drawn anew (a node value equal to its first row stays so)."""
    doc = ctx.doc.copy()
    columns = {k: np.array(v, dtype=np.float64) for k, v in doc.dataset_columns().items()}
    tied = _tied(ctx, columns)
    for f in ctx.free:
        old = np.asarray(ctx.doc.node(f.node).value if f.row is None else columns[f.node][f.row], float)
        new = np.array([float(_draw_number(rng, v, f.label)) for v in old.ravel()]).reshape(old.shape)
        if f.row is None:
            doc.set_value(f.node, new)
        else:
            columns[f.node][f.row] = new
    for node in tied:
        doc.set_value(node, columns[node][0].reshape(np.shape(doc.node(node).value)))
    if columns:
        doc.dataset = {**doc.dataset, "columns": {k: v.tolist() for k, v in columns.items()}}
    return doc


def _tied(ctx: _Context, columns: dict[str, np.ndarray]) -> set[str]:
    """The inputs whose own value is their first dataset row (a variant keeps them equal)."""
    return {f.node for f in ctx.free if f.row is None and f.node in columns
            and np.array_equal(np.ravel(ctx.doc.node(f.node).value), columns[f.node][0].ravel())}


def _key(ctx: _Context, doc: Document) -> tuple[float, ...]:
    """The drawn numbers of a document, to tell variants apart."""
    columns = doc.dataset_columns()
    out: list[float] = []
    for f in ctx.free:
        v = doc.node(f.node).value if f.row is None else columns[f.node][f.row]
        out += np.asarray(v, float).ravel().tolist()
    return tuple(out)


def _draw_variant(ctx: _Context, rng: np.random.Generator, number: int, seen: set[tuple[float, ...]],
                  need_alive: set[tuple[str, int]]) -> Variant:
    why = "no candidate drawn"
    for _ in range(TRIES):
        doc = _candidate(ctx, rng)
        key = _key(ctx, doc)
        if key in seen:
            why = "the numbers repeat another variant's"
            continue
        try:
            passes = _passes(ctx, doc)
        except (NotExact, NumericError) as err:
            why = str(err)
            continue
        why = _problem(ctx, passes) or ""
        dead = _dead(ctx.plan, passes)
        if not why and need_alive & dead:
            why = "a unit that must stay alive is dead"
        if not why:
            seen.add(key)
            return Variant(number, _with_description(ctx, doc, passes), _answers(ctx, passes), dead)
    raise VariantError(f"variant {number}: no numbers found after {TRIES} tries (last: {why})")


# --------------------------------------------------------------------------------------------- passes
def _passes(ctx: _Context, doc: Document) -> list[ExactPass]:
    """Every step's pass for the leaf values in doc: exact Fractions for a rational graph, else floats."""
    plan = ctx.plan
    convert = exact_array if ctx.exact else (lambda v: np.asarray(v, dtype=np.float64))
    leaves = [None if not op.is_leaf else convert(_leaf_value(doc, node))
              for node, op in zip(plan.ids, plan.ops)]
    lr = fraction(ctx.lr) if ctx.exact else ctx.lr
    out = []
    for row in ctx.rows:
        current = list(leaves)
        if row is not None:
            for name, column in doc.dataset_columns().items():
                shape = tuple(plan.shapes.get(name, np.shape(column[row])))
                current[plan.slot[name]] = convert(np.reshape(column[row], shape))
        p = exact_pass(plan, current, lr) if ctx.exact else _float_pass(plan, current, lr)
        out.append(p)
        for node, new in p.updates.items():
            leaves[plan.slot[node]] = new
    return out


def _leaf_value(doc: Document, node: str) -> Any:
    value = doc.node(node).value
    if value is None:
        value = doc.dataset_columns()[node][0]
    return value


def _float_pass(plan: Plan, leaves: list[Any], lr: float) -> ExactPass:
    trace = plan.run(leaves)
    grads = [g if plan.reaches_output[s] else None for s, g in enumerate(trace.grad_list)]
    result = ExactPass(list(trace.value_list), grads, list(trace.edge_grad_list))
    for slot in plan.slots_of("parameter"):
        g = grads[slot]
        result.updates[plan.ids[slot]] = leaves[slot] - lr * (0 if g is None else g)
    return result


def _problem(ctx: _Context, passes: list[ExactPass]) -> str | None:
    """Why a candidate's passes are refused, or None."""
    if ctx.exact:
        for p in passes:
            arrays = p.values + p.grads + p.edge_grads + list(p.updates.values())
            if not all(a is None or is_short(a, ctx.options.decimals, ctx.max_abs) for a in arrays):
                return (f"a number is not a decimal of at most {ctx.options.decimals} places within "
                        f"±{ctx.max_abs}")
    stuck = ctx.learning - _learning(ctx.plan, passes)
    if stuck:
        return f"no gradient reaches {sorted(stuck)[0]}"
    new_kinks = _kinks(ctx.plan, passes) - ctx.kinks
    if new_kinks:
        step, node, _ = sorted(new_kinks)[0]
        return f"the input of {node} sits on its kink (step {step})"
    return None


def _largest(passes: list[ExactPass]) -> Fraction:
    """The largest magnitude among the values and gradients of the passes."""
    arrays = [a for p in passes for a in p.values + p.grads if a is not None]
    return max((abs(fraction(x)) for a in arrays for x in np.asarray(a, dtype=np.float64).ravel()),
               default=Fraction(0))


def _learning(plan: Plan, passes: list[ExactPass]) -> set[str]:
    """The parameters with a nonzero gradient in some step."""
    return {plan.ids[s] for s in plan.slots_of("parameter") for p in passes
            if p.grads[s] is not None and np.any(np.asarray(p.grads[s], dtype=np.float64))}


def _kinked(plan: Plan) -> Iterator[tuple[int, Any]]:
    """(slot, op) of the op nodes with kinks (ReLU …) that the output depends on."""
    return ((s, op) for s, op in enumerate(plan.ops) if op.kinks and plan.reaches_output[s])


def _kinks(plan: Plan, passes: list[ExactPass]) -> set[tuple[int, str, int]]:
    """(step, node, element) where an op's first input sits exactly on one of its kinks."""
    out = set()
    for step, p in enumerate(passes):
        for slot, op in _kinked(plan):
            x = np.asarray(p.values[plan.inputs[slot][0]], dtype=np.float64).ravel()
            out |= {(step, plan.ids[slot], i) for i, v in enumerate(x) if v in op.kinks}
    return out


def _dead(plan: Plan, passes: list[ExactPass]) -> set[tuple[str, int]]:
    """(node, element) of kinked ops through which no gradient passes in any step (a dead ReLU unit)."""
    alive: set[tuple[str, int]] = set()
    every: set[tuple[str, int]] = set()
    for p in passes:
        for slot, op in _kinked(plan):
            xs = tuple(np.asarray(p.values[s], dtype=np.float64) for s in plan.inputs[slot])
            y = np.asarray(p.values[slot], dtype=np.float64)
            local = np.asarray(op.vjps[0](np.ones_like(y), xs, y, **plan.attrs[slot])).ravel()
            node = plan.ids[slot]
            every |= {(node, i) for i in range(local.size)}
            alive |= {(node, i) for i, d in enumerate(local) if d != 0}
    return every - alive


def _alive(plan: Plan, passes: list[ExactPass]) -> set[tuple[str, int]]:
    everything = {(plan.ids[s], i) for s, _ in _kinked(plan) for i in range(np.size(passes[0].values[s]))}
    return everything - _dead(plan, passes)


def _answers(ctx: _Context, passes: list[ExactPass]) -> list[Answer]:
    """The asked quantities of every step: op nodes' values, gradients (not of the output itself nor of
    constants), the parameters after the update."""
    plan = ctx.plan
    out = []
    for i, p in enumerate(passes):
        step = i + 1 if ctx.options.steps else 0
        asked = {
            "values": [("value", plan.ids[s], p.values[s]) for s in plan.forward_slots],
            "gradients": [("gradient", plan.ids[s], p.grads[s]) for s in _asked_grads(plan, p)],
            "updates": [("update", node, new) for node, new in p.updates.items()],
        }
        out += [_answer(ctx, step, *q) for kind in ctx.options.find for q in asked[kind]]
    return out


def _asked_grads(plan: Plan, p: ExactPass) -> list[int]:
    """Slots whose gradient is asked: those the output depends on, except the output and constants."""
    return [s for s, g in enumerate(p.grads)
            if g is not None and s != plan.out_slot and plan.ops[s].id != "constant"]


def _answer(ctx: _Context, step: int, kind: str, node: str, value: Any) -> Answer:
    as_float = np.asarray(value, dtype=np.float64)
    return Answer(step, kind, node, as_float, np.asarray(value, dtype=object) if ctx.exact else None)


# ---------------------------------------------------------------------------------------- description
def _with_description(ctx: _Context, doc: Document, passes: list[ExactPass]) -> Document:
    """doc with the description's written node values (x = 1, W₂ = (0.5, 1)) replaced by the variant's."""
    plan = ctx.plan
    old_values = ctx.original[0].values
    text = doc.description
    for slot, node in enumerate(plan.ids):
        names = {node} | ({doc.node(node).label} if doc.node(node).label else set())
        old = np.asarray(old_values[slot], dtype=np.float64)
        new = np.asarray(passes[0].values[slot], dtype=np.float64)
        for name in sorted(names, key=len, reverse=True):
            text = replace_value(text, name, old, new)
    doc.description = text
    return doc


def _spellings(value: np.ndarray) -> list[str]:
    """How a value may be written in a description: 1, (1, 2), [[1, −1], [0.5, 0]], with - or −."""
    def num(x: float) -> str:
        return format_number(float(x), 6)

    flat = value.ravel()
    if flat.size == 1:
        base = [num(flat[0])] + (["(" + num(flat[0]) + ")"] if value.ndim else [])
    else:
        base = ["(" + ", ".join(num(x) for x in flat) + ")"]
        if value.ndim == 2:
            base.append("[" + ", ".join("[" + ", ".join(num(x) for x in r) + "]" for r in value) + "]")
    return base


def replace_value(text: str, name: str, old: np.ndarray, new: np.ndarray) -> str:
    """Replace "name = <old value>" by "name = <new value>" in the old value's spelling; a number that
    goes on into an expression (x = 1 + 2) is left alone."""
    if old.shape != new.shape or np.array_equal(old, new):
        return text
    style = "−" if "−" in text else "-"
    for before, after in zip(_spellings(old), _spellings(new)):
        for minus in ("-", "−"):
            spelt = after.replace("-", style)
            old_text = re.escape(before.replace("-", minus))
            pattern = rf"(?<![\w]){re.escape(name)} = {old_text}(?![0-9A-Za-z_]|\.\d| ?[-−+·×*/^(])"
            text = re.sub(pattern, lambda m, spelt=spelt: f"{name} = {spelt}", text)
    return text
