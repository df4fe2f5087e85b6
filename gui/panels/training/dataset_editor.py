"""The dataset editor: a table whose rows are observations and whose columns are the graph's input nodes
(targets included). A cell takes the input's shape ("0.5 2 1" for a vector of three); an input with an
empty column is not fed and keeps its own value. CSV import and export. Every change is one undoable
edit of the document's dataset (engine.train.dataset builds the new dataset; this only shows and asks)."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.train.dataset import (
    DatasetError,
    from_csv,
    input_ids,
    row_count,
    to_csv,
    with_cell,
    with_row_added,
    with_rows_removed,
    without_column,
)
from graph.edits import SetDocumentField
from graph.errors import GraphError
from graph.validation import leaf_shape
from graph.values import BadValue, format_number, parse_value
from gui.i18n import QT_TRANSLATE_NOOP, error_text, translate
from gui.panels.training.controls import english_plural

# The buttons above the table (text, tool tip), in the order of their slots in DatasetEditor.__init__.
BUTTONS = (
    (QT_TRANSLATE_NOOP("DatasetEditor", "+ row"),
     QT_TRANSLATE_NOOP("DatasetEditor", "Add an observation (a copy of the last)")),
    (QT_TRANSLATE_NOOP("DatasetEditor", "− rows"),
     QT_TRANSLATE_NOOP("DatasetEditor", "Remove the selected observations")),
    (QT_TRANSLATE_NOOP("DatasetEditor", "clear column"),
     QT_TRANSLATE_NOOP("DatasetEditor", "Stop feeding the selected column's input from the dataset")),
    (QT_TRANSLATE_NOOP("DatasetEditor", "Import CSV…"), QT_TRANSLATE_NOOP(
        "DatasetEditor", "Replace the dataset with a CSV file (header: input ids, x[0], x[1] …)"
    )),
    (QT_TRANSLATE_NOOP("DatasetEditor", "Export CSV…"),
     QT_TRANSLATE_NOOP("DatasetEditor", "Save the dataset as CSV")),
)  # fmt: skip


class DatasetEditor(QWidget):
    """The dataset as a table (a row per observation, a column per input), its buttons and a message line."""

    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.table = QTableWidget()
        self.table.setAlternatingRowColors(True)
        self.table.itemChanged.connect(self._on_item_changed)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        slots = (self.add_row, self.remove_selected_rows, self.clear_column, self._import, self._export)
        for (text, tip), slot in zip(BUTTONS, slots):
            b = QPushButton(translate("DatasetEditor", text))
            b.setToolTip(translate("DatasetEditor", tip))
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self._filling = False
        bridge.documentChanged.connect(self.refresh)
        bridge.documentReset.connect(self.refresh)
        self.refresh()

    @property
    def doc(self) -> Any:
        return self.bridge.doc

    def refresh(self) -> None:
        doc = self.doc
        names = input_ids(doc)
        columns = doc.dataset_columns()
        n = row_count(doc)
        self._filling = True
        self.table.clear()
        self.table.setColumnCount(len(names))
        self.table.setRowCount(n + 1)  # the last row is empty: typing there adds an observation
        headers = []
        not_fed = translate("DatasetEditor", " (not fed)")
        for j, name in enumerate(names):
            shape = leaf_shape(doc, name)
            fed = "" if name in columns else not_fed
            headers.append(f"{name} {tuple(shape) if shape else ''}{fed}".strip())
            column = columns.get(name)
            for i in range(n):
                text = "" if column is None else cell_text(np.asarray(column[i]))
                self.table.setItem(i, j, QTableWidgetItem(text))
            blank = QTableWidgetItem("")
            blank.setToolTip(translate("DatasetEditor", "type here to add an observation"))
            self.table.setItem(n, j, blank)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setVerticalHeaderLabels([str(i + 1) for i in range(n)] + ["+"])
        self.names = names
        self._filling = False

    def _push(self, dataset: dict[str, Any], text: str) -> bool:
        edit = SetDocumentField("dataset", dataset)
        ok = self.bridge.push(edit)
        if ok:
            self.message.setText(text)
        return ok

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        row, col = item.row(), item.column()
        name = self.names[col]
        text = item.text().strip()
        try:
            if not text:
                raise BadValue(translate(
                    "DatasetEditor", "a cell cannot be empty (use “clear column” to stop feeding an input)"
                ))  # fmt: skip
            value = parse_value(text)
            dataset = with_cell(self.doc, row, name, value)
        except (BadValue, DatasetError, GraphError, ValueError) as err:
            where = translate("DatasetEditor", "row {row}, {name}: {error}")
            self.message.setText(where.format(row=row + 1, name=name, error=err))
            self.message.setStyleSheet("color: #a02020")
            self.refresh()
            return
        self.message.setStyleSheet("")
        done = translate("DatasetEditor", "row {row}, {name} = {text}")
        self._push(dataset, done.format(row=row + 1, name=name, text=text))

    def add_row(self) -> None:
        self._push(with_row_added(self.doc), translate("DatasetEditor", "row added"))

    def remove_selected_rows(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes() if i.row() < row_count(self.doc)})
        if rows:
            n = len(rows)
            # (self.tr: lupdate marks a plural with a variable count only in tr calls)
            removed = english_plural(self.tr("removed %n row(s)", "", n), n)
            self._push(with_rows_removed(self.doc, rows), removed)

    def clear_column(self) -> None:
        cols = sorted({i.column() for i in self.table.selectedIndexes()})
        for c in cols:
            no_longer = translate("DatasetEditor", "{name} is no longer fed").format(name=self.names[c])
            self._push(without_column(self.doc, self.names[c]), no_longer)

    def import_csv(self, path: str) -> bool:
        try:
            with open(path, encoding="utf-8-sig") as f:
                dataset = from_csv(f.read(), self.doc, path)
        except (OSError, DatasetError) as err:
            cannot = translate("DatasetEditor", "cannot read {path}: {reason}")  # the system's reason
            reason = err.strerror if isinstance(err, OSError) and err.strerror else None
            self.message.setText(cannot.format(path=path, reason=reason) if reason else error_text(err))
            self.message.setStyleSheet("color: #a02020")
            return False
        self.message.setStyleSheet("")
        return self._push(dataset, translate("DatasetEditor", "imported {path}").format(path=path))

    def export_csv(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(to_csv(self.doc))

    def _import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, translate("DatasetEditor", "Import dataset"), "",
            translate("DatasetEditor", "CSV (*.csv);;All files (*)"),
        )  # fmt: skip
        if path:
            self.import_csv(path)

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, translate("DatasetEditor", "Export dataset"), "dataset.csv", "CSV (*.csv)"
        )
        if path:
            self.export_csv(path)


def cell_text(value: np.ndarray) -> str:
    """A cell as typed: "0.5" for a scalar, "0.5 2 1" for a vector, "1 2; 3 4" for a matrix."""
    if value.ndim == 0:
        return format_number(float(value), 6)
    if value.ndim == 1:
        return " ".join(format_number(float(v), 6) for v in value)
    return "; ".join(
        " ".join(format_number(float(v), 6) for v in row) for row in value.reshape(len(value), -1)
    )


def install_dataset_editor(window: Any) -> DatasetEditor:
    editor = DatasetEditor(window.bridge, window)
    window.add_panel(
        editor, translate("DatasetEditor", "Dataset"), Qt.DockWidgetArea.BottomDockWidgetArea, key="dataset"
    )
    return editor
