"""File ▸ Make Exercise Variants…: the window's `main.py exercise`. Asks for the count, seed, what to
find, the steps and the output folder, then writes the variants of the open graph (graph files, student
sheets, answer keys, the summary) with engine.teach.sheets.write_exercise. The graph's picture is drawn
by a function the caller passes in (dialogs do not import the canvas).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

from graph.errors import GraphError
from gui.i18n import QT_TRANSLATE_NOOP, error_text, translate
from gui.widgets import spin_box

if TYPE_CHECKING:  # NOTE: the variants and sheets are imported when the dialog opens, not with the window
    from engine.teach.variants import ExerciseOptions
    from graph.document import Document

TITLE = QT_TRANSLATE_NOOP("ExerciseDialog", "Make Exercise Variants")
# What a variant asks to find (engine.teach.variants.FINDS), as the check boxes say it.
_FIND_NAMES = {
    "values": QT_TRANSLATE_NOOP("ExerciseDialog", "values"),
    "gradients": QT_TRANSLATE_NOOP("ExerciseDialog", "gradients"),
    "updates": QT_TRANSLATE_NOOP("ExerciseDialog", "updates"),
}


class ExerciseDialog(QDialog):
    """The options of `main.py exercise`; accepting writes the variants (errors are shown, not raised)."""

    def __init__(self, doc: Document, picture: Callable[..., str | None] | None = None,
                 folder: str = "", parent: QWidget | None = None) -> None:
        from engine.teach.variants import FINDS

        super().__init__(parent)
        self.doc, self.picture = doc, picture
        self.written: list[Path] = []
        self.setWindowTitle(translate("ExerciseDialog", TITLE))
        tips = (
            translate("ExerciseDialog", "how many variants, each with its own numbers"),
            translate("ExerciseDialog", "the same seed draws the same variants again"),
            translate("ExerciseDialog", "0: one forward and backward pass and its update; K: K SGD steps"),
            translate("ExerciseDialog", "exact answers have at most this many decimals; others round to it"),
        )
        self.count = spin_box(1, 500, 20, tips[0])
        self.seed = spin_box(0, 2**31 - 1, 0, tips[1])
        self.steps = spin_box(0, 20, 0, tips[2])
        self.decimals = spin_box(0, 8, 4, tips[3])
        self.find = {f: QCheckBox(translate("ExerciseDialog", _FIND_NAMES.get(f, f))) for f in FINDS}
        find_row = QHBoxLayout()
        for box in self.find.values():
            box.setChecked(True)
            find_row.addWidget(box)
        self.html = QCheckBox(translate("ExerciseDialog", "HTML pages"))
        self.markdown = QCheckBox(translate("ExerciseDialog", "Markdown"))
        self.html.setChecked(True)
        self.markdown.setChecked(True)
        formats = QHBoxLayout()
        formats.addWidget(self.html)
        formats.addWidget(self.markdown)
        self.folder = QLineEdit(folder)
        browse = QPushButton(translate("ExerciseDialog", "Browse…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder)
        folder_row.addWidget(browse)
        form = QFormLayout()
        rows = (
            (translate("ExerciseDialog", "Variants"), self.count),
            (translate("ExerciseDialog", "Seed"), self.seed),
            (translate("ExerciseDialog", "Find"), find_row),
            (translate("ExerciseDialog", "SGD steps"), self.steps),
            (translate("ExerciseDialog", "Decimals"), self.decimals),
            (translate("ExerciseDialog", "Write"), formats),
            (translate("ExerciseDialog", "Output folder"), folder_row),
        )
        for label, field in rows:
            form.addRow(label, field)
        ok, cancel = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok | cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, translate("ExerciseDialog", "Output folder"), self.folder.text()
        )
        if folder:
            self.folder.setText(folder)

    def options(self) -> ExerciseOptions:
        from engine.teach.variants import ExerciseOptions

        find = tuple(f for f, box in self.find.items() if box.isChecked())
        return ExerciseOptions(self.count.value(), self.seed.value(), find, self.steps.value(),
                               self.decimals.value())

    def formats(self) -> list[str]:
        return [f for f, box in (("html", self.html), ("md", self.markdown)) if box.isChecked()]

    def accept(self) -> None:
        """Write the variants; on a problem say why and stay open."""
        from engine.teach.sheets import write_exercise
        from engine.teach.variants import make_variants

        title = translate("ExerciseDialog", TITLE)
        folder = self.folder.text().strip()
        if not folder or not self.formats():
            message = translate("ExerciseDialog", "Choose an output folder and at least one format.")
            QMessageBox.warning(self, title, message)
            return
        try:
            es = make_variants(self.doc, self.options())
            self.written = write_exercise(es, folder, self.formats(), self.picture)
        except (GraphError, OSError) as err:
            QMessageBox.warning(self, title, error_text(err))
            return
        # The counts as "noun: number" in translations (pyside6-lupdate marks a plural only where the
        # count is a literal number, so %n forms cannot be used here).
        how = (
            translate("ExerciseDialog", "exact answers")
            if es.exact
            else translate("ExerciseDialog", "answers rounded to {decimals} decimals").format(
                decimals=es.options.decimals
            )
        )
        wrote = translate("ExerciseDialog", "Wrote {count} variants ({how}) to {folder}.")
        QMessageBox.information(self, title, wrote.format(count=len(es.variants), how=how, folder=folder))
        super().accept()


def open_exercise_dialog(main_window: Any, picture: Callable[..., str | None] | None = None) -> bool:
    """Ask for the options and write the variants of the window's graph; True when written."""
    path = getattr(main_window.bridge, "file_path", None)
    folder = str(Path(path).with_suffix("")) + "_variants" if path else ""
    dialog = ExerciseDialog(main_window.bridge.doc, picture, folder, main_window)
    return dialog.exec() == QDialog.DialogCode.Accepted
