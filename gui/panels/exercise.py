"""The exercise panel: the document's description (the exercise text a teacher wrote) formatted for
reading, and an editor for it. Every change is one undoable SetDocumentField("description") edit, so
it is saved in the file and follows undo and redo.

The description is plain text as stored in the file: the first line is the title, blank lines separate
paragraphs, hard line breaks inside a paragraph are only wrapping (they flow together), and lines that
start with "- ", "• ", "* " or "1. " are list items."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

import engine.i18n
from graph.edits import SetDocumentField, SetTranslatedDescription
from graph.events import DescriptionChanged
from graph.file_format import description_for
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.model_bridge import ModelBridge

_ITEM = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s+")
EMPTY_TEXT = QT_TRANSLATE_NOOP(
    "ExercisePanel",
    "This graph has no exercise text. File ▸ Examples opens one with its exercise; "
    "Edit writes one for this graph (it is saved in the file).",
)


def _paragraph_html(lines: list[str]) -> str:
    """One paragraph: wrapped lines flow together; list items and indented lines start a new line."""
    if all(_ITEM.match(line) for line in lines):
        items = "".join(f"<li>{html.escape(_ITEM.sub('', line))}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    parts: list[str] = []
    for line in lines:
        text = html.escape(line.strip())
        if parts and (_ITEM.match(line) or line[:1].isspace()):
            parts.append("<br>" + text)
        else:
            parts.append((" " if parts else "") + text)
    return "<p>" + "".join(parts) + "</p>"


def description_html(text: str) -> str:
    """The description as HTML: its first line as a heading, then its paragraphs."""
    paragraphs: list[list[str]] = [[]]
    for line in text.strip().splitlines():
        if line.strip():
            paragraphs[-1].append(line.rstrip())
        elif paragraphs[-1]:
            paragraphs.append([])
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        return ""
    first = paragraphs[0]
    out = [f"<h3>{html.escape(first[0].strip())}</h3>"]
    if len(first) > 1:
        out.append(_paragraph_html(first[1:]))
    out.extend(_paragraph_html(p) for p in paragraphs[1:])
    return "".join(out)


class ExercisePanel(QWidget):
    """Shows the description formatted; Edit switches to a text editor, Apply makes it one undo step."""

    shownChanged = Signal(bool)  # True when there is a description to read

    def __init__(self, bridge: ModelBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.view = QTextBrowser()
        self.view.setOpenExternalLinks(True)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(translate(
            "ExercisePanel",
            "Title on the first line, then the exercise. A blank line starts a new paragraph; "
            "lines starting with - are a list.",
        ))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.editor)
        self.edit_button = QPushButton(translate("ExercisePanel", "Edit"))
        self.edit_button.setToolTip(
            translate("ExercisePanel", "Write or change the exercise text (saved in the file, undoable)")
        )
        self.edit_button.clicked.connect(self.start_editing)
        self.apply_button = QPushButton(translate("ExercisePanel", "Apply"))
        self.apply_button.clicked.connect(self.apply_edit)
        self.cancel_button = QPushButton(translate("ExercisePanel", "Cancel"))
        self.cancel_button.clicked.connect(self.cancel_edit)
        self.hint = QLabel("")
        row = QHBoxLayout()
        row.addWidget(self.hint, 1)
        for button in (self.edit_button, self.apply_button, self.cancel_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stack, 1)
        layout.addLayout(row)
        bridge.doc.events.subscribe(DescriptionChanged, lambda _e: self.refresh())
        bridge.documentReset.connect(self._on_document_reset)
        self._show_view()
        self.refresh()

    @property
    def editing(self) -> bool:
        return self.stack.currentWidget() is self.editor

    def _translated(self) -> bool:
        """True when the text shown (and edited) is the file's description in the window's language,
        not the English one."""
        lang = engine.i18n.current()
        return lang != "en" and bool(self.bridge.doc.extra.get("descriptions", {}).get(lang))

    def shown_text(self) -> str:
        """The description as shown: in the window's language when the file has it, else English."""
        return description_for(self.bridge.doc, engine.i18n.current())

    def refresh(self) -> None:
        text = self.shown_text()
        if text.strip():
            self.view.setHtml(description_html(text))
        else:
            self.view.setHtml(f"<p><i>{html.escape(translate('ExercisePanel', EMPTY_TEXT))}</i></p>")
        self.shownChanged.emit(bool(text.strip()))

    def _on_document_reset(self) -> None:
        self._show_view()
        self.refresh()

    def _show_view(self) -> None:
        self.stack.setCurrentWidget(self.view)
        self.edit_button.setVisible(True)
        self.apply_button.setVisible(False)
        self.cancel_button.setVisible(False)
        self.hint.setText("")

    def start_editing(self) -> None:
        self.editor.setPlainText(self.shown_text())
        self.stack.setCurrentWidget(self.editor)
        self.edit_button.setVisible(False)
        self.apply_button.setVisible(True)
        self.cancel_button.setVisible(True)
        self.hint.setText(translate("ExercisePanel", "Editing the exercise text"))
        self.editor.setFocus()

    def apply_edit(self) -> bool:
        """Store the edited text as one undoable edit; False when nothing changed."""
        text = self.editor.toPlainText()
        self._show_view()
        if text == self.shown_text():
            return False
        if self._translated():
            return self.bridge.push(SetTranslatedDescription(engine.i18n.current(), text))
        return self.bridge.push(SetDocumentField("description", text))

    def cancel_edit(self) -> None:
        self._show_view()
