"""The quiz on the canvas: which numbers a student must find, what the displays must hide meanwhile,
how a typed answer is marked, the score, and the answers as CSV. No Qt: the canvas only asks.

A teacher stores the quiz in the graph file as a top-level key (kept in ``doc.extra``, so older
versions of the program keep it too)::

    "quiz": {"hide": ["value:h", "grad:*", "edge:x>h.a", "update:w"], "tolerance": 0.001, "hints": true}

A hidden quantity is ``value:<node>`` (a computed node's value; the leaves are the givens),
``grad:<node>`` (∂L/∂node, the total), ``edge:<source>><target>.<port>`` (the gradient contribution
that edge carries back) or ``update:<parameter>`` (the parameter after one SGD step, w − η·∂L/∂w,
η = the file's learning rate); ``value:*``, ``grad:*``, ``update:*`` and ``all`` stand for every one.
Answers are marked with :func:`engine.teach.grading.answers_match` within the tolerance.

What a display must blank is more than what is asked: a node's value also travels on its edges, and a
gradient a node passes along its only edge is its total gradient (:meth:`QuizSession.hides_value` …).
"""

from __future__ import annotations

import copy
import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from engine.compile.trace import Trace
from engine.i18n import _
from engine.teach.explanations import explain_backward, explain_forward, explain_update
from engine.teach.formatting import EQ, Formula, Num, render_text
from engine.teach.grading import answers_match
from engine.teach.stepper import ParamUpdate, Stepper
from engine.train.settings import settings_from
from graph.document import Document, Edge
from graph.edits import Edit
from graph.errors import GraphError
from graph.events import Event
from graph.values import BadValue, format_number, parse_value

QUIZ_KEY = "quiz"
KINDS = ("value", "grad", "edge", "update")
ALL = "all"
DEFAULT_TOLERANCE = 1e-3


class QuizError(GraphError):
    """The file's quiz cannot be read (its message names the bad entry)."""


@dataclass(frozen=True)
class QuizChanged(Event):
    """The document's quiz was set, changed or removed."""


@dataclass(frozen=True)
class QuizSpec:
    """What the teacher hides, the tolerance answers are marked within, and whether hints are offered."""

    hide: tuple[str, ...] = ()
    tolerance: float = DEFAULT_TOLERANCE
    hints: bool = True

    @classmethod
    def from_data(cls, data: Any) -> QuizSpec:
        """Read the file's "quiz" object; raises QuizError naming what is wrong."""
        if not isinstance(data, dict):
            raise QuizError('"quiz" must be an object with "hide", "tolerance" and "hints"')
        hide = data.get("hide", [])
        if not isinstance(hide, list) or not all(isinstance(h, str) for h in hide):
            raise QuizError('quiz "hide" must be a list of strings such as "value:h" or "grad:*"')
        for entry in hide:
            _check_entry(entry)
        tol = data.get("tolerance", DEFAULT_TOLERANCE)
        if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not 0 <= tol < 1:
            raise QuizError(f"quiz tolerance must be a number from 0 up to 1, got {tol!r}")
        hints = data.get("hints", True)
        if not isinstance(hints, bool):
            raise QuizError(f'quiz "hints" must be true or false, got {hints!r}')
        return cls(tuple(dict.fromkeys(hide)), float(tol), hints)

    def to_data(self) -> dict[str, Any]:
        return {"hide": list(self.hide), "tolerance": self.tolerance, "hints": self.hints}

    def with_hidden(self, keys: list[str], hidden: bool = True) -> QuizSpec:
        """This quiz with keys added to (or taken off) what is hidden."""
        hide = [h for h in self.hide if hidden or h not in keys]
        if hidden:
            hide += [k for k in keys if k not in hide]
        return QuizSpec(tuple(hide), self.tolerance, self.hints)


def _check_entry(entry: str) -> None:
    kind, _sep, name = entry.partition(":")
    if entry == ALL or (kind in ("value", "grad", "update") and name):
        return
    source, _sep, rest = name.partition(">")
    if kind == "edge" and source and "." in rest.strip("."):
        return
    raise QuizError(f"quiz cannot hide {entry!r}: write value:NODE, grad:NODE, update:NODE, "
                    "edge:SOURCE>TARGET.PORT, value:*, grad:*, update:* or all")


def quiz_spec(doc: Document) -> QuizSpec | None:
    """The document's quiz (None when it has none); raises QuizError when it cannot be read."""
    data = doc.extra.get(QUIZ_KEY)
    return None if data is None else QuizSpec.from_data(data)


def edge_key(edge: Edge) -> str:
    return f"edge:{edge.source}>{edge.target}.{edge.port}"


@dataclass
class SetQuiz(Edit):
    """Set (or with None remove) the document's quiz: one undoable step."""

    spec: QuizSpec | None
    _old: Any = None

    @property
    def label(self) -> str:  # type: ignore[override]
        return _("Edit quiz")

    def apply(self, doc: Document) -> None:
        self._old = copy.deepcopy(doc.extra.get(QUIZ_KEY))
        _store(doc, None if self.spec is None else self.spec.to_data())

    def revert(self, doc: Document) -> None:
        _store(doc, self._old)


def _store(doc: Document, data: Any) -> None:
    if data is None:
        doc.extra.pop(QUIZ_KEY, None)
    else:
        doc.extra[QUIZ_KEY] = copy.deepcopy(data)
    doc.events.emit(QuizChanged())


# ------------------------------------------------------------------------------------------ asked
def asked_keys(spec: QuizSpec, doc: Document) -> list[str]:
    """The quantities the student must find, one key each, in the document's order (wildcards
    expanded; entries about nodes or edges no longer there are left out)."""
    hide = set(spec.hide)
    every = ALL in hide
    out = []
    for node in doc.nodes():
        consumers = bool(doc.consumers_of(node.id))
        wanted = (
            ("value", not node.is_leaf),
            ("grad", consumers),
            ("update", node.op == "parameter"),
        )
        for kind, possible in wanted:
            key = f"{kind}:{node.id}"
            if possible and (key in hide or every or f"{kind}:*" in hide):
                out.append(key)
    out += [edge_key(e) for e in doc.edges() if edge_key(e) in hide]
    return out


@dataclass
class Attempt:
    """The latest answer typed for one quantity."""

    typed: str
    ok: bool
    tries: int
    hinted: bool
    after_leaving: bool


@dataclass
class QuizSession:
    """One student's sitting: what is asked and hidden, the answers, the hints taken, and whether quiz
    mode was left (after which the numbers show, and answers are recorded as given after leaving)."""

    spec: QuizSpec
    doc: Document
    attempts: dict[str, Attempt] = field(default_factory=dict)
    hinted: set[str] = field(default_factory=set)
    left_at: str | None = None
    asked: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Expand what is asked again (after the document or its quiz changed)."""
        self.asked = asked_keys(self.spec, self.doc)
        self._asked = set(self.asked)
        out: dict[str, list[Edge]] = {}
        for e in self.doc.edges():
            out.setdefault(e.source, []).append(e)
        # A total gradient is hidden when asked, or when its node's only edge carries it (asked there).
        self._grads = {k.partition(":")[2] for k in self.asked if k.startswith("grad:")}
        self._grads |= {n for n, es in out.items() if len(es) == 1 and edge_key(es[0]) in self._asked}

    @property
    def active(self) -> bool:
        return self.left_at is None

    def leave(self, when: datetime | None = None) -> None:
        """Leave quiz mode: the numbers show from now on; the saved answers say when."""
        if self.left_at is None:
            self.left_at = (when or datetime.now()).isoformat(timespec="seconds")

    # ----- what the displays blank (only while active)
    def hides_value(self, node: str) -> bool:
        return self.active and f"value:{node}" in self._asked

    def hides_grad(self, node: str) -> bool:
        """The node's total gradient: asked, or equal to the one contribution its only edge carries."""
        return self.active and node in self._grads

    def hides_edge_grad(self, edge: Edge) -> bool:
        return self.active and (edge_key(edge) in self._asked or f"grad:{edge.source}" in self._asked)

    def hides_update(self, node: str) -> bool:
        return self.active and f"update:{node}" in self._asked

    # ----- answers
    def answer(self, key: str, typed: str, trace: Trace) -> Attempt:
        """Mark a typed answer (an unreadable one is wrong) and keep it as the latest for key."""
        expected = expected_value(key, trace)
        try:
            ok = expected is not None and answers_match(parse_value(typed), expected, self.spec.tolerance)
        except BadValue:
            ok = False
        before = self.attempts.get(key)
        attempt = Attempt(typed, ok, (before.tries if before else 0) + 1, key in self.hinted,
                          not self.active)
        self.attempts[key] = attempt
        return attempt

    def hint(self, key: str, trace: Trace) -> str:
        """The hint for key, in symbols (never its number); it counts as a hint taken for that key."""
        if not self.spec.hints:
            return _("this quiz gives no hints")
        self.hinted.add(key)
        return hint_text(key, trace)

    def score(self) -> QuizScore:
        answered = [self.attempts[k] for k in self.asked if k in self.attempts]
        right = [a for a in answered if a.ok]
        return QuizScore(len(self.asked), len(right), len(answered) - len(right),
                         sum(1 for a in right if a.hinted), self.left_at)

    def to_csv(self, labels: dict[str, str] | None = None) -> str:
        """One row per asked quantity (what was typed, right or wrong, tries, hint, given after leaving
        quiz mode), then the score and whether and when quiz mode was left. No expected numbers."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["quantity", "label", "answer", "result", "tries", "hint", "after leaving quiz mode"])
        for key in self.asked:
            a = self.attempts.get(key)
            label = (labels or {}).get(key, describe(key))
            if a is None:
                w.writerow([key, label, "", "unanswered", 0, _yes(key in self.hinted), ""])
            else:
                w.writerow([key, label, a.typed, "right" if a.ok else "wrong", a.tries, _yes(a.hinted),
                            _yes(a.after_leaving)])
        s = self.score()
        w.writerow([])
        w.writerow(["score", s.summary()])
        w.writerow(["tolerance", format_number(self.spec.tolerance)])
        w.writerow(["left quiz mode", "yes" if s.left_at else "no", s.left_at or ""])
        return out.getvalue()


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


@dataclass(frozen=True)
class QuizScore:
    asked: int
    right: int
    wrong: int
    right_with_hint: int
    left_at: str | None

    def summary(self) -> str:
        hint = _(" ({count} with a hint)").format(count=self.right_with_hint) if self.right_with_hint else ""
        unanswered = self.asked - self.right - self.wrong
        text = _("{right} of {asked} right{hint}, {wrong} wrong, {unanswered} unanswered").format(
            right=self.right, asked=self.asked, hint=hint, wrong=self.wrong, unanswered=unanswered)
        return text + (_("; quiz mode was left") if self.left_at else "")


def describe(key: str) -> str:
    """A quantity in words: "value of h", "∂L/∂h", "gradient x → h.a", "w after the update"."""
    kind, _sep, name = key.partition(":")
    if kind == "value":
        return _("value of {name}").format(name=name)
    if kind == "grad":
        return _("gradient of {name}").format(name=name)
    if kind == "update":
        return _("{name} after the update").format(name=name)
    source, _sep, rest = name.partition(">")
    return _("gradient {source} → {target}").format(source=source, target=rest)


# ------------------------------------------------------------------------------------------ numbers
def expected_value(key: str, trace: Trace) -> np.ndarray | None:
    """What key's answer is in trace (None where the trace has no such number)."""
    kind, _sep, name = key.partition(":")
    plan = trace.plan
    try:
        if kind == "value":
            value = trace.value(name)
        elif kind == "grad":
            value = trace.grad(name)
        elif kind == "update":
            grad = trace.grad(name)
            lr = settings_from(plan.doc.training).lr
            value = None if grad is None else np.asarray(trace.value(name)) - lr * np.asarray(grad)
        else:
            source, _sep, rest = name.partition(">")
            target, _sep, port = rest.rpartition(".")
            value = trace.edge_grad(Edge(source, target, port))
    except (KeyError, IndexError):
        return None
    return None if value is None else np.asarray(value, dtype=np.float64)


def hint_text(key: str, trace: Trace) -> str:
    """The formula that gives key, in symbols only: the op's formula for a value, the chain-rule line
    for an edge (for a total gradient, those of its edges), w ← w − η·∂L/∂w for an update."""
    kind, _sep, name = key.partition(":")
    plan = trace.plan
    if kind == "update":
        lr = settings_from(plan.doc.training).lr
        zero = np.zeros(())
        line = explain_update(plan, lr, [ParamUpdate(name, zero, zero, zero)]).update_lines[0]
        return _("{formula}, with η = {lr}").format(formula=_symbols(line.parts), lr=format_number(lr))
    stepper = Stepper(plan)
    stepper.run_forward()
    if kind == "value":
        return _value_hint(stepper, name)
    stepper.run_backward()
    lines = [line for edge, line in _chain_lines(stepper)
             if edge_key(edge) == key or (kind == "grad" and edge.source == name)]
    if kind == "grad" and len(lines) > 1:
        lines.append(_("the total gradient is the sum of these contributions"))
    return "\n".join(lines)


def _value_hint(stepper: Stepper, node: str) -> str:
    """A computed node's formula in symbols."""
    slot = stepper.plan.slot.get(node)
    if slot not in stepper.forward_slots:
        return ""
    line = explain_forward(stepper, stepper.forward_slots.index(slot)).formula
    return "" if line is None else _symbols(line.parts)


def _chain_lines(stepper: Stepper) -> list[tuple[Edge, str]]:
    """Every edge's chain-rule line, in symbols."""
    out = []
    for index in range(stepper.backward_count):
        for p in explain_backward(stepper, index).products:
            out.append((p.edge, _symbols(p.product.parts)))
    return out


def _symbols(parts: Formula) -> str:
    """A formula up to its first number (the numbers would give the answer away)."""
    cut: Formula = []
    for part in parts:
        if isinstance(part, Num):
            break
        cut.append(part)
    while cut and cut[-1] == EQ:
        cut.pop()
    return render_text(cut)

