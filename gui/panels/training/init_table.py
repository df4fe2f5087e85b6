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
        params = [n for n in self.doc.nodes() if n.op == "parameter"]
        self._filling = True
        self.table.setRowCount(len(params))
        for i, node in enumerate(params):
            init = node.init or {}
            name = QTableWidgetItem(node.id)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(i, 0, name)
            combo = self._kind_box(i)
            combo.blockSignals(True)
            combo.setProperty("node", node.id)
            found = combo.findData(init.get("kind", CURRENT) if init else CURRENT)
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)
            args = " ".join(f"{k}={init[k]}" for k in ARG_KEYS.get(init.get("kind", ""), ()) if k in init)
            self.table.setItem(i, 2, QTableWidgetItem(args))
            self.table.setItem(i, 3, QTableWidgetItem("" if init.get("seed") is None else str(init["seed"])))
        self._filling = False

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
        kind = combo.currentData() if isinstance(combo, QComboBox) else CURRENT
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
