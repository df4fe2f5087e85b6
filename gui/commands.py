"""The one QUndoCommand adapter over graph.edits: a readable label, apply on redo, revert on undo.

Commands change only the document; the canvas follows the document's events. Consecutive MoveNodes of
the same nodes merge into one undo entry.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from graph.document import Document
from graph.edits import Edit, MoveNodes

MOVE_ID = 1001


class EditCommand(QUndoCommand):
    """Wraps an Edit. `applied=True` means the edit was already applied (the first redo does nothing)."""

    def __init__(self, doc: Document, edit: Edit, applied: bool = False) -> None:
        super().__init__(edit.label)
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
