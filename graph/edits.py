"""Reversible edits of a document. Each has apply() and revert() and a readable label.

The window wraps them in one QUndoCommand adapter; scripts and tests use them directly. An edit
changes only the document: whoever shows the document follows its events.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graph.document import Document, Edge, Node
from graph.events import DescriptionChanged

_MISSING = object()


class Edit:
    label = "Edit"

    def apply(self, doc: Document) -> None:
        raise NotImplementedError

    def revert(self, doc: Document) -> None:
        raise NotImplementedError


@dataclass
class AddNode(Edit):
    op: str
    node_id: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    value: Any = None
    position: tuple[float, float] | None = None
    label_text: str | None = None
    init: dict[str, Any] | None = None

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Add {self.op}"

    def apply(self, doc: Document) -> None:
        self.node_id = doc.add_node(
            self.op,
            self.node_id,
            attrs=self.attrs,
            value=self.value,
            label=self.label_text,
            position=self.position,
            init=self.init,
        )

    def revert(self, doc: Document) -> None:
        assert self.node_id is not None
        doc.remove_node(self.node_id)


@dataclass
class RemoveNode(Edit):
    node_id: str
    _node: Node | None = None
    _edges: list[tuple[Edge, dict[str, Any]]] = field(default_factory=list)
    _index: int = 0

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Delete {self.node_id}"

    def apply(self, doc: Document) -> None:
        self._index = doc.index_of(self.node_id)
        self._node, self._edges = doc.remove_node(self.node_id)

    def revert(self, doc: Document) -> None:
        assert self._node is not None
        doc.insert_node(self._node, self._index)
        for e, extra in self._edges:
            doc.connect(e.source, e.target, e.port, extra=extra)


@dataclass
class Connect(Edit):
    source: str
    target: str
    port: str
    replace: bool = True
    _replaced: str | None = None
    _replaced_extra: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Connect {self.source} → {self.target}.{self.port}"

    def apply(self, doc: Document) -> None:
        current = doc.check_connect(self.source, self.target, self.port, replace=self.replace)
        replaced = None if current is None else Edge(current, self.target, self.port)
        self._replaced_extra = {} if replaced is None else doc.edge_extra(replaced)
        self._replaced = doc.connect(self.source, self.target, self.port, replace=self.replace)

    def revert(self, doc: Document) -> None:
        doc.disconnect(self.source, self.target, self.port)
        if self._replaced is not None:
            doc.connect(self._replaced, self.target, self.port, extra=self._replaced_extra)


@dataclass
class Disconnect(Edit):
    source: str
    target: str
    port: str
    _extra: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Disconnect {self.source} → {self.target}.{self.port}"

    def apply(self, doc: Document) -> None:
        self._extra = doc.disconnect(self.source, self.target, self.port)

    def revert(self, doc: Document) -> None:
        doc.connect(self.source, self.target, self.port, extra=self._extra)


@dataclass
class SetValue(Edit):
    node_id: str
    value: Any
    _old: np.ndarray | None = None

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Set value of {self.node_id}"

    def apply(self, doc: Document) -> None:
        old = doc.node(self.node_id).value
        self._old = None if old is None else old.copy()
        doc.set_value(self.node_id, self.value)

    def revert(self, doc: Document) -> None:
        doc.set_value(self.node_id, self._old)


@dataclass
class SetAttr(Edit):
    node_id: str
    name: str
    value: Any
    _old: Any = _MISSING

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Set {self.name} of {self.node_id}"

    def apply(self, doc: Document) -> None:
        attrs = doc.node(self.node_id).attrs
        self._old = copy.deepcopy(attrs[self.name]) if self.name in attrs else _MISSING
        doc.set_attr(self.node_id, self.name, self.value)

    def revert(self, doc: Document) -> None:
        if self._old is _MISSING:
            doc.unset_attr(self.node_id, self.name)
        else:
            doc.set_attr(self.node_id, self.name, self._old)


@dataclass
class SetLabel(Edit):
    node_id: str
    text: str | None
    _old: str | None = None

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Rename {self.node_id}"

    def apply(self, doc: Document) -> None:
        self._old = doc.node(self.node_id).label
        doc.set_label(self.node_id, self.text)

    def revert(self, doc: Document) -> None:
        doc.set_label(self.node_id, self._old)


@dataclass
class SetOp(Edit):
    node_id: str
    op: str
    _old: str = ""

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Make {self.node_id} a {self.op}"

    def apply(self, doc: Document) -> None:
        self._old = doc.node(self.node_id).op
        doc.set_op(self.node_id, self.op)

    def revert(self, doc: Document) -> None:
        doc.set_op(self.node_id, self._old)


@dataclass
class SetInit(Edit):
    node_id: str
    init: dict[str, Any] | None
    _old: dict[str, Any] | None = None

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Set initialiser of {self.node_id}"

    def apply(self, doc: Document) -> None:
        self._old = copy.deepcopy(doc.node(self.node_id).init)
        doc.set_init(self.node_id, self.init)

    def revert(self, doc: Document) -> None:
        doc.set_init(self.node_id, self._old)


@dataclass
class MoveNodes(Edit):
    """Move several nodes; consecutive moves of the same nodes merge into one undo entry."""

    positions: dict[str, tuple[float, float]]
    _old: dict[str, tuple[float, float] | None] = field(default_factory=dict)

    label = "Move"

    def apply(self, doc: Document) -> None:
        self._old = {n: doc.node(n).position for n in self.positions}
        for n, pos in self.positions.items():
            doc.move(n, pos)

    def revert(self, doc: Document) -> None:
        for n, pos in self._old.items():
            doc.move(n, pos)

    def merge(self, later: MoveNodes) -> bool:
        if set(later.positions) != set(self.positions):
            return False
        self.positions = dict(later.positions)
        return True


@dataclass
class SetTranslatedDescription(Edit):
    """Replace the description in one language (`doc.extra["descriptions"][lang]`, the file's
    "descriptions"); empty text removes that translation (the English description shows again)."""

    lang: str
    text: str
    _old: str | None = None

    @property
    def label(self) -> str:  # type: ignore[override]
        return "Edit description"

    def _set(self, doc: Document, text: str | None) -> None:
        translated = dict(doc.extra.get("descriptions", {}))
        if text:
            translated[self.lang] = text
        else:
            translated.pop(self.lang, None)
        if translated:
            doc.extra["descriptions"] = translated
        else:
            doc.extra.pop("descriptions", None)
        doc.events.emit(DescriptionChanged())

    def apply(self, doc: Document) -> None:
        self._old = doc.extra.get("descriptions", {}).get(self.lang)
        self._set(doc, self.text)

    def revert(self, doc: Document) -> None:
        self._set(doc, self._old)


@dataclass
class SetDocumentField(Edit):
    """Replace the description, dataset or training settings."""

    name: str  # "description" | "dataset" | "training"
    value: Any
    _old: Any = None

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Edit {self.name}"

    def _set(self, doc: Document, value: Any) -> None:
        {"description": doc.set_description, "dataset": doc.set_dataset, "training": doc.set_training}[
            self.name
        ](value)

    def apply(self, doc: Document) -> None:
        self._old = copy.deepcopy(getattr(doc, self.name))
        self._set(doc, self.value)

    def revert(self, doc: Document) -> None:
        self._set(doc, self._old)


@dataclass
class Macro(Edit):
    """Several edits as one (delete a selection, paste). Reverted in reverse order."""

    text: str
    edits: list[Edit]

    @property
    def label(self) -> str:  # type: ignore[override]
        return self.text

    def apply(self, doc: Document) -> None:
        done: list[Edit] = []
        try:
            for e in self.edits:
                e.apply(doc)
                done.append(e)
        except Exception:
            for e in reversed(done):
                e.revert(doc)
            raise

    def revert(self, doc: Document) -> None:
        for e in reversed(self.edits):
            e.revert(doc)


class History:
    """A plain undo stack for headless use (the window uses QUndoStack over the same edits)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.done: list[Edit] = []
        self.undone: list[Edit] = []

    def push(self, edit: Edit) -> Edit:
        edit.apply(self.doc)
        self.done.append(edit)
        self.undone.clear()
        return edit

    def undo(self) -> None:
        edit = self.done.pop()
        edit.revert(self.doc)
        self.undone.append(edit)

    def redo(self) -> None:
        edit = self.undone.pop()
        edit.apply(self.doc)
        self.done.append(edit)
