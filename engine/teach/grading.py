"""Check my answer: what the next step will reveal, and whether a typed answer matches it.

:func:`questions` lists what the stepper's next step computes (a node's value; or each edge's gradient
contribution and, where that completes a sum of several, the source's total gradient); :func:`check`
compares a typed answer with one of them and counts it in a session's :class:`Score`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.compile.plan import Plan
from engine.compile.trace import Trace
from engine.i18n import _, ngettext
from engine.teach.formatting import d_text
from engine.teach.names import node_name, node_symbol
from engine.teach.stepper import FORWARD, Stepper, arrived, contribution_counts
from graph.values import BadValue, format_number, parse_value, text_value


@dataclass(frozen=True)
class Question:
    """Something the student may compute before the next step reveals it."""

    key: str
    label: str
    expected: np.ndarray


@dataclass(frozen=True)
class Verdict:
    ok: bool
    expected: np.ndarray
    given: np.ndarray | None
    message: str


@dataclass
class Score:
    """Right and wrong answers over a session (it outlives any one stepper)."""

    right: int = 0
    wrong: int = 0
    history: list[tuple[str, bool]] = field(default_factory=list)

    def record(self, key: str, ok: bool) -> None:
        if ok:
            self.right += 1
        else:
            self.wrong += 1
        self.history.append((key, ok))

    def summary(self) -> str:
        total = self.right + self.wrong
        if not total:
            return _("no answers checked yet")
        return _("{right} right, {wrong} wrong out of {total}").format(right=self.right, wrong=self.wrong,
                                                                         total=total)


def answers_match(given: np.ndarray, expected: np.ndarray, tol: float) -> bool:
    """Element by element |given − expected| ≤ tol · max(1, |expected|); shapes must hold as many."""
    g = np.asarray(given, dtype=np.float64).reshape(-1)
    e = np.asarray(expected, dtype=np.float64).reshape(-1)
    if g.size != e.size:
        return False
    return bool(np.all(np.abs(g - e) <= tol * np.maximum(1.0, np.abs(e))))


# ------------------------------------------------------------------------------------------ questions
def questions(stepper: Stepper) -> list[Question]:
    """What the stepper's next step will reveal (nothing when all is done)."""
    step = stepper.upcoming_step
    after = stepper.preview()
    if step is None or after is None:
        return []
    phase, index = step
    plan = stepper.plan
    if phase == FORWARD:
        node = plan.ids[stepper.forward_slots[index]]
        return [Question(f"value:{node}", _("value of {name}").format(name=node_name(plan.doc, node)),
                         np.asarray(after.value(node)))]
    out: list[Question] = []
    if index == 0:
        seed = np.asarray(after.grad(plan.output))
        out.append(Question(f"grad:{plan.output}", _d(plan, plan.output), seed))
    if plan.backward:
        out += _edge_questions(plan, after, index)
        out += _total_questions(plan, after, index, {q.key for q in out})
    return out


def _edge_questions(plan: Plan, after: Trace, index: int) -> list[Question]:
    """Each gradient contribution backward step `index` sends along an edge."""
    out = []
    for bp in plan.backward[index][1]:
        c = after.edge_grad_list[bp.edge]
        if c is not None:
            e = plan.edges[bp.edge]
            out.append(Question(f"edge:{e.source}>{e.target}.{e.port}",
                                _("{gradient} via {name}, port {port}").format(
                                    gradient=_d(plan, e.source), name=node_name(plan.doc, e.target),
                                    port=e.port),
                                np.asarray(c)))
    return out


def _total_questions(plan: Plan, after: Trace, index: int, asked: set[str]) -> list[Question]:
    """The total gradient of each source whose last contribution (of several) step `index` brings."""
    counts = contribution_counts(plan)
    out = []
    for bp in plan.backward[index][1]:
        src = plan.ids[bp.source]
        key = f"grad:{src}"
        complete = counts[bp.source] > 1 and arrived(plan, bp.source, index) == counts[bp.source]
        if complete and key not in asked:
            asked.add(key)
            out.append(Question(key, _("{gradient} (total)").format(gradient=_d(plan, src)),
                                np.asarray(after.grad(src))))
    return out


def _d(plan: Plan, node: str) -> str:
    """∂L/∂node in the user's names."""
    return d_text(node_symbol(plan.doc, plan.output).text, node_symbol(plan.doc, node).text)


# ------------------------------------------------------------------------------------------ checking
def check(stepper: Stepper, key: str, answer: Any, tol: float = 1e-3, score: Score | None = None) -> Verdict:
    """Compare a typed answer with what the next step will give; a readable answer counts in the score.

    Raises KeyError when the next step reveals nothing under `key`.
    """
    wanted = {q.key: q for q in questions(stepper)}
    if key not in wanted:
        raise KeyError(f"nothing to check for {key!r} at this step")
    question = wanted[key]
    expected = question.expected
    try:
        given = parse_value(answer) if isinstance(answer, str) else np.asarray(answer, dtype=np.float64)
    except BadValue as err:
        return Verdict(False, expected, None, _("could not read the answer: {error}").format(error=err))
    ok = answers_match(given, expected, tol)
    if score is not None:
        score.record(key, ok)
    return Verdict(ok, expected, given, _message(question, given, ok, tol))


def _message(question: Question, given: np.ndarray, ok: bool, tol: float) -> str:
    expected = question.expected
    if ok:
        return _("right: {label} = {value}").format(label=question.label, value=text_value(expected))
    size = np.asarray(given).size
    if size != expected.size:
        return ngettext("wrong: {label} has {count} element, the answer {size}; it is {value}",
                        "wrong: {label} has {count} elements, the answer {size}; it is {value}",
                        expected.size).format(label=question.label, count=expected.size, size=size,
                                              value=text_value(expected))
    return _("wrong: {label} = {value} (tolerance {tol})").format(label=question.label,
                                                                  value=text_value(expected),
                                                                  tol=format_number(tol))
