"""File ▸ Make Exercise Variants…: the window's `main.py exercise`. Asks for the count, seed, what to
find, the steps and the output folder, then writes the variants of the open graph (graph files, student
sheets, answer keys, the summary) with engine.teach.sheets.write_exercise. The graph's picture is drawn
by a function the caller passes in (dialogs do not import the canvas).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.teach.sheets import write_exercise
from engine.teach.variants import FINDS, ExerciseOptions, make_variants
from graph.document import Document
from graph.errors import GraphError
from gui.widgets import spin_box

TITLE = "Make Exercise Variants"


class ExerciseDialog(QDialog):
    """The options of `main.py exercise`; accepting writes the variants (errors are shown, not raised)."""

    def __init__(self, doc: Document, picture: Callable[..., str | None] | None = None,
                 folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc, self.picture = doc, picture
        self.written: list[Path] = []
        self.setWindowTitle(TITLE)
        self.count = spin_box(1, 500, 20, "how many variants, each with its own numbers")
        self.seed = spin_box(0, 2**31 - 1, 0, "the same seed draws the same variants again")
        self.steps = spin_box(0, 20, 0, "0: one forward and backward pass and its update; K: K SGD steps")
        self.decimals = spin_box(0, 8, 4, "exact answers have at most this many decimals; others round to it")
        self.find = {f: QCheckBox(f) for f in FINDS}
        find_row = QHBoxLayout()
        for box in self.find.values():
            box.setChecked(True)
            find_row.addWidget(box)
        self.html = QCheckBox("HTML pages")
        self.markdown = QCheckBox("Markdown")
        self.html.setChecked(True)
        self.markdown.setChecked(True)
        formats = QHBoxLayout()
        formats.addWidget(self.html)
        formats.addWidget(self.markdown)
        self.folder = QLineEdit(folder)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder)
        folder_row.addWidget(browse)
        form = QFormLayout()
        for label, field in (("Variants", self.count), ("Seed", self.seed), ("Find", find_row),
                             ("SGD steps", self.steps), ("Decimals", self.decimals), ("Write", formats),
                             ("Output folder", folder_row)):
            form.addRow(label, field)
        ok, cancel = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok | cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Output folder", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def options(self) -> ExerciseOptions:
        find = tuple(f for f, box in self.find.items() if box.isChecked())
        return ExerciseOptions(self.count.value(), self.seed.value(), find, self.steps.value(),
                               self.decimals.value())

    def formats(self) -> list[str]:
        return [f for f, box in (("html", self.html), ("md", self.markdown)) if box.isChecked()]

    def accept(self) -> None:
        """Write the variants; on a problem say why and stay open."""
        folder = self.folder.text().strip()
        if not folder or not self.formats():
            QMessageBox.warning(self, TITLE, "Choose an output folder and at least one format.")
            return
        try:
            es = make_variants(self.doc, self.options())
            self.written = write_exercise(es, folder, self.formats(), self.picture)
        except (GraphError, OSError) as err:
            QMessageBox.warning(self, TITLE, str(err))
            return
        how = "exact answers" if es.exact else f"answers rounded to {es.options.decimals} decimals"
        QMessageBox.information(self, TITLE, f"Wrote {len(es.variants)} variants ({how}) to {folder}.")
        super().accept()


def open_exercise_dialog(main_window: Any, picture: Callable[..., str | None] | None = None) -> bool:
    """Ask for the options and write the variants of the window's graph; True when written."""
    path = getattr(main_window.bridge, "file_path", None)
    folder = str(Path(path).with_suffix("")) + "_variants" if path else ""
    dialog = ExerciseDialog(main_window.bridge.doc, picture, folder, main_window)
    return dialog.exec() == QDialog.DialogCode.Accepted
