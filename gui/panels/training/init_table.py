"""The initialiser table: each parameter's ``init`` (kind, arguments, seed), edited in place as one
undoable SetInit per change, and the Re-initialise button (the panel does the drawing)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.train.initialisers import KINDS, InitError, check_init
from graph.edits import SetInit
from gui.i18n import QT_TRANSLATE_NOOP, error_text, translate

ARG_KEYS = {kind: tuple(defaults) for kind, (defaults, _) in KINDS.items()}
Row = tuple[str, str, str, str]  # what a row shows: parameter, kind, arguments, seed
EAGER_ROWS = 64  # a table up to this long gets every row's kind chooser at once
CURRENT = "(current value)"  # the kind of a parameter without an init (the combo box's data; never in a file)
# Each kind as the window names it; the id (the file's "kind") is the combo boxes' item data.
KIND_NAMES = {
    CURRENT: QT_TRANSLATE_NOOP("InitTable", "(current value)"),
    "zeros": QT_TRANSLATE_NOOP("InitTable", "zeros"),
    "ones": QT_TRANSLATE_NOOP("InitTable", "ones"),
    "constant": QT_TRANSLATE_NOOP("InitTable", "constant"),
    "uniform": QT_TRANSLATE_NOOP("InitTable", "uniform"),
    "normal": QT_TRANSLATE_NOOP("InitTable", "normal"),
    "xavier_uniform": QT_TRANSLATE_NOOP("InitTable", "xavier_uniform"),
    "xavier_normal": QT_TRANSLATE_NOOP("InitTable", "xavier_normal"),
    "he_uniform": QT_TRANSLATE_NOOP("InitTable", "he_uniform"),
    "he_normal": QT_TRANSLATE_NOOP("InitTable", "he_normal"),
    "lecun_uniform": QT_TRANSLATE_NOOP("InitTable", "lecun_uniform"),
    "lecun_normal": QT_TRANSLATE_NOOP("InitTable", "lecun_normal"),
}
KIND_ROLE = Qt.ItemDataRole.UserRole  # a kind cell shown as text keeps the kind's id here


def kind_name(kind: str) -> str:
    """An initialisation kind as the window shows it (a kind without a name here: its id)."""
    return translate("InitTable", KIND_NAMES[kind]) if kind in KIND_NAMES else kind


class InitTable(QGroupBox):
    """parameter | kind | arguments ("value=0.5") | seed, one row per parameter node."""

    message = Signal(str)  # a refused entry

    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(translate("InitTable", "Initialisers"), parent)
        self.bridge = bridge
        self._filling = False
        self._shown: list[Row | None] = []  # what each row shows now (None: the user edited it)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([
            translate("InitTable", "parameter"), translate("InitTable", "kind"),
            translate("InitTable", "arguments"), translate("InitTable", "seed"),
        ])  # fmt: skip
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # the kind's name is never cut ("Xavier (равномерное)"): its column is as wide as its longest name
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.itemChanged.connect(self._on_item_changed)
        bar = self.table.verticalScrollBar()
        bar.valueChanged.connect(self._make_kind_boxes)
        bar.rangeChanged.connect(self._make_kind_boxes)
        self.reinit = QPushButton(translate("InitTable", "Re-initialise"))
        self.reinit.setToolTip(translate(
            "InitTable", "Draw every parameter from its initialiser (the same seed gives the same start)"
        ))  # fmt: skip
        row = QHBoxLayout()
        row.addWidget(self.reinit)
        v = QVBoxLayout(self)
        v.addWidget(self.table)
        v.addLayout(row)

    @property
    def doc(self) -> Any:
        return self.bridge.doc

    def fill(self) -> None:
        """One row per parameter, in node order. Only the rows that differ from what they show are set
        again: after most edits of a big graph (a node added, an edge moved) that is none."""
        rows = [_row(n) for n in self.doc.nodes() if n.op == "parameter"]
        self._filling = True
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            if i >= len(self._shown) or self._shown[i] != row:
                self._set_row(i, row)
        self._shown = rows
        self._filling = False
        self._make_kind_boxes()

    def _set_row(self, i: int, row: Row) -> None:
        node_id, kind, args, seed = row
        self.table.setItem(i, 0, _fixed_item(node_id))
        combo = self.table.cellWidget(i, 1)
        if isinstance(combo, QComboBox):
            self._show_kind(combo, node_id, kind)
        else:
            cell = _fixed_item(kind_name(kind))  # until the row comes into view
            cell.setData(KIND_ROLE, kind)
            self.table.setItem(i, 1, cell)
        self.table.setItem(i, 2, QTableWidgetItem(args))
        self.table.setItem(i, 3, QTableWidgetItem(seed))

    def _make_kind_boxes(self, *_: Any) -> None:
        """Kind choosers for the rows in view (all rows of a short table): a chooser per row of a big
        graph's table took a second to make; the other rows show the kind as text until they scroll in."""
        rows = self.table.rowCount()
        first, last = 0, rows - 1
        if rows > EAGER_ROWS:
            first = max(self.table.rowAt(0), 0)
            per_row = max(self.table.rowHeight(first), 1)
            last = min(rows - 1, first + self.table.viewport().height() // per_row + 1)
        for i in range(first, last + 1):
            item = self.table.item(i, 1)
            if item is not None and not isinstance(self.table.cellWidget(i, 1), QComboBox):
                kind = self.table.takeItem(i, 1).data(KIND_ROLE)
                self._show_kind(self._kind_box(i), self._text(i, 0), kind)

    @staticmethod
    def _show_kind(combo: QComboBox, node_id: str, kind: str) -> None:
        combo.blockSignals(True)
        combo.setProperty("node", node_id)
        combo.setCurrentIndex(max(combo.findData(kind), 0))
        combo.blockSignals(False)

    def _edited(self, row: int) -> None:
        """The user changed the row: the next fill sets it again, whatever it shows now."""
        if row < len(self._shown):
            self._shown[row] = None

    def _kind_box(self, row: int) -> QComboBox:
        """The row's kind chooser (made once per row, then reused)."""
        combo = self.table.cellWidget(row, 1)
        if not isinstance(combo, QComboBox):
            combo = QComboBox()
            for kind in (CURRENT, *KINDS):  # the id is the item's data, its name the text
                combo.addItem(kind_name(kind), kind)
            combo.currentIndexChanged.connect(lambda _k, c=combo: self._on_kind(c))
            self.table.setCellWidget(row, 1, combo)
        return combo

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item else ""

    def row_init(self, row: int) -> dict[str, Any] | None:
        """The init object a row describes (None: keep the current value); raises InitError."""
        combo = self.table.cellWidget(row, 1)
        if isinstance(combo, QComboBox):
            kind = combo.currentData()
        else:
            cell = self.table.item(row, 1)
            kind = (cell.data(KIND_ROLE) if cell is not None else None) or CURRENT
        if kind == CURRENT:
            return None
        init: dict[str, Any] = {"kind": kind}
        for part in self._text(row, 2).replace(",", " ").split():
            key, _, value = part.partition("=")
            try:
                init[key.strip()] = float(value)
            except ValueError:
                message = translate("InitTable", "argument {part}: write key=number, e.g. value=0.5")
                raise InitError(message.format(part=repr(part)), key=key) from None
        seed = self._text(row, 3)
        if seed:
            try:
                init["seed"] = int(seed)
            except ValueError:
                message = translate("InitTable", "seed {seed} is not a whole number")
                raise InitError(message.format(seed=repr(seed)), key="seed") from None
        return init

    def _push(self, row: int) -> None:
        self._edited(row)
        node_id = self.table.item(row, 0).text()
        try:
            init = self.row_init(row)
            if init is not None:
                check_init(init, node_id)
        except InitError as err:
            self.message.emit(error_text(err))
            self.fill()
            return
        if init != self.doc.node(node_id).init:
            self.bridge.push(SetInit(node_id, init))

    def _on_kind(self, combo: QComboBox) -> None:
        if self._filling:
            return
        for row in range(self.table.rowCount()):
            if self.table.cellWidget(row, 1) is combo:
                self._push(row)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if not self._filling and item.column() in (2, 3):
            self._push(item.row())


def _row(node: Any) -> Row:
    """What a parameter's row shows."""
    init = node.init or {}
    kind = init.get("kind", CURRENT) if init else CURRENT
    args = " ".join(f"{k}={init[k]}" for k in ARG_KEYS.get(init.get("kind", ""), ()) if k in init)
    return (node.id, kind, args, "" if init.get("seed") is None else str(init["seed"]))


def _fixed_item(text: str) -> QTableWidgetItem:
    """A cell the user reads but does not type into."""
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item
