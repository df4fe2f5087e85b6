"""The op palette: every registered op grouped (Inputs & parameters, Arithmetic, Matrix, Activations,
Losses), a filter box, the formula as a tooltip; drag an op onto the canvas, or double-click it.
Also the quick-add popup (Tab or Space on the canvas): a searchable op list at the cursor."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QDrag, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.ops.registry import OpDef, Registry
from gui.canvas.scene import OP_MIME

OP_ROLE = Qt.ItemDataRole.UserRole + 1


def op_tooltip(op: OpDef) -> str:
    ports = ", ".join(op.inputs) if op.inputs else "none (a leaf: its value is set in the inspector)"
    lines = [f"{op.name} ({op.id})", op.doc]
    if op.inputs:
        y = "y"
        lines.append(op.formula.forward.format(y=y, **{p: p for p in op.inputs}))
    lines.append(f"inputs: {ports}")
    for a in op.attrs:
        lines.append(f"{a.name} = {a.default!r}" + (f": {a.doc}" if a.doc else ""))
    return "\n".join(dict.fromkeys(lines))


def op_matches(op: OpDef, text: str) -> bool:
    t = text.strip().lower()
    return not t or t in op.id.lower() or t in op.name.lower() or t in op.group.lower()


def op_mime(op_id: str) -> QMimeData:
    mime = QMimeData()
    mime.setData(OP_MIME, QByteArray(op_id.encode()))
    mime.setText(op_id)
    return mime


class OpTree(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def startDrag(self, actions: Any) -> None:
        item = self.currentItem()
        op_id = item.data(0, OP_ROLE) if item is not None else None
        if not op_id:
            return
        drag = QDrag(self)
        drag.setMimeData(op_mime(op_id))
        drag.exec(Qt.DropAction.CopyAction)


class Palette(QWidget):
    """Emits opActivated(op_id) on double-click or Enter (the window adds it at the view's centre)."""

    opActivated = Signal(str)

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter ops…")
        self.filter.setClearButtonEnabled(True)
        self.tree = OpTree()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        self.filter.textChanged.connect(self.apply_filter)
        self.tree.itemActivated.connect(self._on_activated)
        self.populate()

    def populate(self) -> None:
        self.tree.clear()
        for group, ops in self.registry.by_group().items():
            top = QTreeWidgetItem([group])
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            for op in ops:
                child = QTreeWidgetItem([op.name])
                child.setData(0, OP_ROLE, op.id)
                child.setToolTip(0, op_tooltip(op))
                child.setFlags(
                    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
                )
                top.addChild(child)
            top.setExpanded(True)
            top.setHidden(not ops)
        self.apply_filter(self.filter.text())

    def apply_filter(self, text: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            shown = 0
            for j in range(top.childCount()):
                child = top.child(j)
                op = self.registry[child.data(0, OP_ROLE)]
                ok = op_matches(op, text)
                child.setHidden(not ok)
                shown += ok
            top.setHidden(shown == 0)

    def op_items(self) -> dict[str, QTreeWidgetItem]:
        out = {}
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                out[top.child(j).data(0, OP_ROLE)] = top.child(j)
        return out

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        op_id = item.data(0, OP_ROLE)
        if op_id:
            self.opActivated.emit(op_id)


class QuickAdd(QFrame):
    """A popup with a search box and the matching ops; Enter picks the first (or the selected) one."""

    chosen = Signal(str)

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.registry = registry
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Add op: type to search, Enter to add")
        self.list = QListWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.resize(260, 320)
        self.search.textChanged.connect(self.refill)
        self.search.returnPressed.connect(self.accept_current)
        self.list.itemActivated.connect(lambda _item: self.accept_current())
        self.search.installEventFilter(self)
        self.refill("")

    def refill(self, text: str) -> None:
        self.list.clear()
        for op in self.registry:
            if op_matches(op, text):
                item = QListWidgetItem(f"{op.name}   ({op.group})")
                item.setData(OP_ROLE, op.id)
                item.setToolTip(op_tooltip(op))
                self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def accept_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.hide()
            self.chosen.emit(item.data(OP_ROLE))

    def eventFilter(self, obj: Any, event: Any) -> bool:
        if isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                row = self.list.currentRow() + (1 if event.key() == Qt.Key.Key_Down else -1)
                self.list.setCurrentRow(max(0, min(self.list.count() - 1, row)))
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.hide()
                return True
        return super().eventFilter(obj, event)

    def popup_at(self, global_pos: QPoint) -> None:
        self.search.clear()
        self.refill("")
        self.move(global_pos)
        self.show()
        self.search.setFocus()
