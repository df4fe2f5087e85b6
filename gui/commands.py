"""The one QUndoCommand adapter over graph.edits: a readable label, apply on redo, revert on undo.

Commands change only the document; the canvas follows the document's events. Consecutive MoveNodes of
the same nodes merge into one undo entry.

The label is the edit's own (graph/ writes English and knows no Qt), said again here in the window's
language from a template per kind of edit, filled with the edit's fields (node ids, ports and op ids are
identifiers and stay as they are). A translation may hold two texts separated by a newline, as
QUndoCommand.setText reads it: the History entry, then the words after Undo/Redo in the Edit menu
("Добавление узла add" in the History, "Отменить добавление узла add" in the menu). A Macro's text is
its maker's: the window's own are already in the window's language; graph/'s (the clipboard's "Paste 2
nodes") are said again by the engine's names of edits (engine.i18n.errors.translate_edit).
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass

from PySide6.QtGui import QUndoCommand

from engine.i18n.errors import translate_edit
from graph.document import Document
from graph.edits import Edit, MoveNodes
from gui.i18n import QT_TRANSLATE_NOOP, translate

MOVE_ID = 1001

# graph.edits' labels as templates, by the edit's class name (and, for SetDocumentField, the field).
LABELS = {
    "AddNode": QT_TRANSLATE_NOOP("EditCommand", "Add {op}"),
    "RemoveNode": QT_TRANSLATE_NOOP("EditCommand", "Delete {node_id}"),
    "Connect": QT_TRANSLATE_NOOP("EditCommand", "Connect {source} → {target}.{port}"),
    "Disconnect": QT_TRANSLATE_NOOP("EditCommand", "Disconnect {source} → {target}.{port}"),
    "SetValue": QT_TRANSLATE_NOOP("EditCommand", "Set value of {node_id}"),
    "SetAttr": QT_TRANSLATE_NOOP("EditCommand", "Set {name} of {node_id}"),
    "SetLabel": QT_TRANSLATE_NOOP("EditCommand", "Rename {node_id}"),
    "SetOp": QT_TRANSLATE_NOOP("EditCommand", "Make {node_id} a {op}"),
    "SetInit": QT_TRANSLATE_NOOP("EditCommand", "Set initialiser of {node_id}"),
    "MoveNodes": QT_TRANSLATE_NOOP("EditCommand", "Move"),
    "SetDocumentField:description": QT_TRANSLATE_NOOP("EditCommand", "Edit description"),
    "SetTranslatedDescription": QT_TRANSLATE_NOOP("EditCommand", "Edit description"),
    "SetDocumentField:dataset": QT_TRANSLATE_NOOP("EditCommand", "Edit dataset"),
    "SetDocumentField:training": QT_TRANSLATE_NOOP("EditCommand", "Edit training"),
    "SetQuiz": QT_TRANSLATE_NOOP("EditCommand", "Edit quiz"),
}


def command_text(edit: Edit) -> str:
    """The edit's label in the window's language (where no template fits, a Macro or an edit kind added
    later, the edit's own label, as the engine's catalogue of edit names says it)."""
    kind = type(edit).__name__
    values = {f.name: getattr(edit, f.name) for f in fields(edit)} if is_dataclass(edit) else {}
    template = LABELS.get(f"{kind}:{values.get('name')}") or LABELS.get(kind)
    if template is None:
        return translate_edit(edit.label)
    try:
        return translate("EditCommand", template).format(**values)
    except (KeyError, IndexError, ValueError):  # a translation naming a field the edit lacks
        return edit.label


class EditCommand(QUndoCommand):
    """Wraps an Edit. `applied=True` means the edit was already applied (the first redo does nothing)."""

    def __init__(self, doc: Document, edit: Edit, applied: bool = False) -> None:
        super().__init__(command_text(edit))
        self.doc = doc
        self.edit = edit
        self._skip_redo = applied

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self.edit.apply(self.doc)

    def undo(self) -> None:
        self.edit.revert(self.doc)

    def id(self) -> int:
        return MOVE_ID if isinstance(self.edit, MoveNodes) else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand) or not isinstance(self.edit, MoveNodes):
            return False
        if not isinstance(other.edit, MoveNodes):
            return False
        # MoveNodes.merge keeps our old positions (for undo) and takes the later targets.
        return self.edit.merge(other.edit)
