"""The op palette: every registered op grouped (Inputs & parameters, Arithmetic, Matrix, Activations,
Losses), a filter box, the formula as a tooltip; drag an op onto the canvas, or double-click it.
Also the quick-add popup (Tab or Space on the canvas): a searchable op list at the cursor.

Ops and groups are shown in the user's language (the op names come from the engine's catalogue); the
tooltip keeps the usual English name and the op's id, and the search finds an op by any of them, so that
a student who read "Sigmoid" in an English text finds сигмоида."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QDrag, QFontMetrics, QKeyEvent
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

from engine.i18n import _ as engine_text
from engine.ops.registry import Attr, OpDef, Registry
from engine.teach.explanations import op_doc, op_name
from gui.canvas.scene import OP_MIME
from gui.i18n import QT_TRANSLATE_NOOP, translate

OP_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2  # the op's name on one line (the item shows it wrapped)
QUICK_ADD_WIDTH = (260, 480)  # the popup is as wide as its longest entry, within these

# The registry's groups are data (the canvas colours a node by its group); these are their shown names.
GROUP_NAMES = frozenset(
    {
        QT_TRANSLATE_NOOP("PaletteGroups", "Inputs & parameters"),
        QT_TRANSLATE_NOOP("PaletteGroups", "Arithmetic"),
        QT_TRANSLATE_NOOP("PaletteGroups", "Matrix"),
        QT_TRANSLATE_NOOP("PaletteGroups", "Activations"),
        QT_TRANSLATE_NOOP("PaletteGroups", "Losses"),
    }
)


def group_name(group: str) -> str:
    """A palette group's name in the user's language (a group the table does not know: as it is)."""
    return translate("PaletteGroups", group) if group in GROUP_NAMES else group


def attr_doc(attr: Attr) -> str:
    """An attribute's description in the user's language (the engine's catalogue; English if absent)."""
    return engine_text(attr.doc) if attr.doc else ""


def op_tooltip(op: OpDef) -> str:
    """The usual English name and the id first (what other texts call the op), then the description,
    the formula, the inputs and the attributes (their names are the file's identifiers)."""
    if op.inputs:
        ports = ", ".join(op.inputs)
    else:
        ports = translate("PaletteTooltip", "none (a leaf: its value is set in the inspector)")
    lines = [f"{op.name} ({op.id})", op_doc(op) if op.doc else ""]
    if op.inputs:
        y = "y"
        lines.append(op.formula.forward_text({"y": y, **{p: p for p in op.inputs}}))
    lines.append(translate("PaletteTooltip", "inputs: {ports}").format(ports=ports))
    for a in op.attrs:
        doc = attr_doc(a)
        lines.append(f"{a.name} = {a.default!r}" + (f": {doc}" if doc else ""))
    return "\n".join(dict.fromkeys(lines))


def op_matches(op: OpDef, text: str) -> bool:
    """Whether the search text is part of the op's id, its English or shown name, or its group's."""
    t = text.strip().lower()
    if not t:
        return True
    names = (op.id, op.name, op_name(op), op.group, group_name(op.group))
    return any(t in name.lower() for name in names)


# Lines after an op name's first are indented by this much, so that a wrapped name reads as one item
# (квадратный / корень) and not as two ops.
HANGING_INDENT = "\u2003"


def wrap_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """text with line breaks between words so that each line fits width (a word wider than that has a
    line of its own); the lines after the first are indented."""
    lines: list[str] = []
    indent = metrics.horizontalAdvance(HANGING_INDENT)
    for word in text.split(" "):
        room = width - (indent if lines else 0)
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= room:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return ("\n" + HANGING_INDENT).join(lines)


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
        self.setAlternatingRowColors(True)  # a name on two lines is one band, not two ops

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.wrap_names()

    def wrap_names(self) -> None:
        """Each op's name in lines that fit the panel: a long one (матричное умножение (MatMul)) takes two
        rather than being cut short in a narrow panel."""
        width = self.viewport().width() - 2 * self.indentation() - 8
        metrics = self.fontMetrics()
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            for j in range(top.childCount()):
                child = top.child(j)
                text = wrap_words(child.data(0, NAME_ROLE), metrics, width)
                if text != child.text(0):
                    child.setText(0, text)

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
        self.filter.setPlaceholderText(translate("Palette", "Filter ops…"))
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
            top = QTreeWidgetItem([group_name(group)])
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            self.tree.addTopLevelItem(top)
            for op in ops:
                child = QTreeWidgetItem([op_name(op)])
                child.setData(0, OP_ROLE, op.id)
                child.setData(0, NAME_ROLE, op_name(op))
                child.setToolTip(0, op_tooltip(op))
                child.setFlags(
                    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
                )
                top.addChild(child)
            top.setExpanded(True)
            top.setHidden(not ops)
        self.tree.wrap_names()
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
        self.search.setPlaceholderText(translate("QuickAdd", "Add op: type to search, Enter to add"))
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
                item = QListWidgetItem(f"{op_name(op)}   ({group_name(op.group)})")
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
        low, high = QUICK_ADD_WIDTH
        room = self.list.sizeHintForColumn(0) + self.list.verticalScrollBar().sizeHint().width() + 24
        self.resize(max(low, min(high, room)), self.height())
        self.move(global_pos)
        self.show()
        self.search.setFocus()
