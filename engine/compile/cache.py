"""One compiled plan per version of a document's structure, shared by everyone who asks for it.

The window used to compile the document once per follower and edit (the live evaluation, the training
panel's activation preview, the stepper's question list): seconds per edit on a graph of thousands of
nodes. ``plan_for(doc)`` compiles only when ``doc.structure_revision`` has moved since the last time
(graph/document.py says which changes move it); a value edit leaves it, and the plan still fits: a plan
reads the leaf values from its document on every run (``Plan.leaf_values``). The validation findings
(``problems_for``) are cached the same way, since they too depend on the structure only.

A graph that does not compile is cached as its error, raised again on each ask. The cache holds
documents weakly: a closed document's plans go with it.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from engine.compile.plan import Plan, compile_plan
from engine.ops.registry import REGISTRY, Registry
from graph.document import Document
from graph.errors import GraphError
from graph.validation import Shape, find_problems

Findings = tuple[list[GraphError], dict[str, Shape]]


class _Entry:
    """What is cached for one document at one structure revision."""

    def __init__(self, revision: int) -> None:
        self.revision = revision
        self.plans: dict[tuple[str | None, int], Plan | GraphError] = {}  # (output, id(registry))
        self.findings: dict[int, Findings] = {}  # id(registry) → problems and shapes


class PlanCache:
    """Plans and validation findings by (document, structure revision, output, registry).

    ``compilations`` counts the compile_plan calls made, so tests and benchmarks can check that an edit
    compiles at most once.
    """

    def __init__(self) -> None:
        self._entries: WeakKeyDictionary[Document, _Entry] = WeakKeyDictionary()
        self.compilations = 0

    def _entry(self, doc: Document) -> _Entry:
        entry = self._entries.get(doc)
        if entry is None or entry.revision != doc.structure_revision:
            entry = self._entries[doc] = _Entry(doc.structure_revision)
        return entry

    def plan_for(self, doc: Document, output: str | None = None, registry: Registry = REGISTRY) -> Plan:
        """The plan of doc as it is now (compiled if its structure changed); raises GraphError as
        compile_plan does when it does not compile."""
        entry = self._entry(doc)
        key = (output, id(registry))
        found = entry.plans.get(key)
        if found is None:
            self.compilations += 1
            problems, shapes = self._findings(entry, doc, registry)
            try:
                if problems:  # what compile_plan's validation raises, without validating again
                    raise problems[0]
                found = compile_plan(doc, registry, output, shapes=dict(shapes))
            except GraphError as err:
                found = err
            entry.plans[key] = found
        if isinstance(found, GraphError):
            raise found.with_traceback(None)
        return found

    def problems_for(self, doc: Document, registry: Registry = REGISTRY) -> Findings:
        """find_problems(doc, registry) as it is now: every problem and the inferred shapes (copies)."""
        problems, shapes = self._findings(self._entry(doc), doc, registry)
        return list(problems), dict(shapes)

    @staticmethod
    def _findings(entry: _Entry, doc: Document, registry: Registry) -> Findings:
        found = entry.findings.get(id(registry))
        if found is None:
            found = entry.findings[id(registry)] = find_problems(doc, registry)
        return found


PLANS = PlanCache()  # the one the window and its panels share


def plan_for(doc: Document, output: str | None = None, registry: Registry = REGISTRY) -> Plan:
    """The shared cache's plan of doc (see PlanCache.plan_for)."""
    return PLANS.plan_for(doc, output, registry)
