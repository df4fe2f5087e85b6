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

ARG_KEYS = {kind: tuple(defaults) for kind, (defaults, _) in KINDS.items()}
Row = tuple[str, str, str, str]  # what a row shows: parameter, kind, arguments, seed
EAGER_ROWS = 64  # a table up to this long gets every row's kind chooser at once
CURRENT = "(current value)"  # the kind shown for a parameter without an init


class InitTable(QGroupBox):
    """parameter | kind | arguments ("value=0.5") | seed, one row per parameter node."""

    message = Signal(str)  # a refused entry

    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__("Initialisers", parent)
        self.bridge = bridge
        self._filling = False
        self._shown: list[Row | None] = []  # what each row shows now (None: the user edited it)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["parameter", "kind", "arguments", "seed"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.itemChanged.connect(self._on_item_changed)
        bar = self.table.verticalScrollBar()
        bar.valueChanged.connect(self._make_kind_boxes)
        bar.rangeChanged.connect(self._make_kind_boxes)
        self.reinit = QPushButton("Re-initialise")
        self.reinit.setToolTip(
            "Draw every parameter from its initialiser (the same seed gives the same start)"
        )
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
            self.table.setItem(i, 1, _fixed_item(kind))  # until the row comes into view
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
                kind = self.table.takeItem(i, 1).text()
                self._show_kind(self._kind_box(i), self._text(i, 0), kind)

    @staticmethod
    def _show_kind(combo: QComboBox, node_id: str, kind: str) -> None:
        combo.blockSignals(True)
        combo.setProperty("node", node_id)
        combo.setCurrentText(kind)
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
            combo.addItems([CURRENT, *KINDS])
            combo.currentIndexChanged.connect(lambda _k, c=combo: self._on_kind(c))
            self.table.setCellWidget(row, 1, combo)
        return combo

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item else ""

    def row_init(self, row: int) -> dict[str, Any] | None:
        """The init object a row describes (None: keep the current value); raises InitError."""
        combo = self.table.cellWidget(row, 1)
        kind = combo.currentText() if isinstance(combo, QComboBox) else (self._text(row, 1) or CURRENT)
        if kind == CURRENT:
            return None
        init: dict[str, Any] = {"kind": kind}
        for part in self._text(row, 2).replace(",", " ").split():
            key, _, value = part.partition("=")
            try:
                init[key.strip()] = float(value)
            except ValueError:
                raise InitError(f"argument {part!r}: write key=number, e.g. value=0.5", key=key) from None
        seed = self._text(row, 3)
        if seed:
            try:
                init["seed"] = int(seed)
            except ValueError:
                raise InitError(f"seed {seed!r} is not a whole number", key="seed") from None
        return init

    def _push(self, row: int) -> None:
        self._edited(row)
        node_id = self.table.item(row, 0).text()
        try:
            init = self.row_init(row)
            if init is not None:
                check_init(init, node_id)
        except InitError as err:
            self.message.emit(str(err))
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
