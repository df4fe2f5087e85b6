"""The quiz on the canvas (the logic is engine/teach/quiz.py): while a quiz is on, the labels of the
hidden numbers show a blank ("?") or the student's answer marked ✓ / ✗; a click on a blank opens a
small editor on it (Enter checks, Ctrl+H gives the hint, Esc closes). A parameter whose update is asked
gets a blank under its box. The scene asks `node_texts` / `edge_texts` for what to show instead of
the numbers; the inspector asks the same session what it may show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSimpleTextItem, QGraphicsTextItem, QWidget

from engine.teach.quiz import QuizChanged, QuizError, QuizSession, describe, edge_key, quiz_spec
from graph.document import Edge
from graph.events import DocumentReset, EdgeAdded, EdgeRemoved, NodeAdded, NodeRemoved
from gui.canvas import style
from gui.i18n import translate
from gui.model_bridge import ModelBridge

QUIZ_KEY_ROLE = 0x5153  # QGraphicsItem.data(role): the quiz key a label's blank answers
BLANK = "?"
RIGHT_COLOR = QColor("#1d8a2e")
WRONG_COLOR = QColor("#d01818")
BLANK_COLOR = QColor("#7a4fb5")
MARK_COLORS = (RIGHT_COLOR, WRONG_COLOR, BLANK_COLOR)


class Shown(NamedTuple):
    """What a node or an edge shows: the value's and the gradient's text and array, and for a blank
    the quiz key it stands for."""

    value_text: Any
    grad_text: Any
    value: Any
    grad: Any
    value_key: str | None = None
    grad_key: str | None = None


class QuizMode(QObject):
    """The document's quiz as one student's session; `changed` when what the canvas shows changes."""

    changed = Signal()  # the quiz or an answer changed: the labels are filled again
    loaded = Signal()  # a document was opened (its items are made next)

    def __init__(self, bridge: ModelBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.session: QuizSession | None = None
        events = bridge.doc.events
        events.subscribe(DocumentReset, self._on_reset)
        events.subscribe(QuizChanged, self._on_quiz_changed)
        for kind in (NodeAdded, NodeRemoved, EdgeAdded, EdgeRemoved):
            events.subscribe(kind, self._on_structure)
        self._on_reset(None)

    @property
    def active(self) -> bool:
        return self.session is not None and self.session.active

    # ----- following the document
    def _on_reset(self, _event: Any) -> None:
        """A document was opened: a new sitting of its quiz, if it has one (the scene rebuilds next)."""
        self.session = None
        self._load()
        self.loaded.emit()

    def _on_quiz_changed(self, _event: Any) -> None:
        self._load()
        self.changed.emit()

    def _load(self) -> None:
        """The document's quiz; a sitting keeps its answers and whether it was left when the teacher
        changes the quiz."""
        try:
            spec = quiz_spec(self.bridge.doc)
        except QuizError as err:
            spec = None
            ignored = translate("QuizMode", "the file's quiz is ignored: {error}")
            self.bridge.statusMessage.emit(ignored.format(error=err))
        if spec is None:
            self.session = None
        elif self.session is None:
            self.session = QuizSession(spec, self.bridge.doc)
        else:
            self.session.spec = spec
            self.session.refresh()

    def _on_structure(self, _event: Any) -> None:
        if self.session is not None:
            self.session.refresh()

    # ----- what the canvas shows
    def node_texts(self, node: str, vt: Any, gt: Any, value: Any, grad: Any) -> Shown:
        """The node's value and gradient texts and arrays, the hidden ones blanked."""
        shown = Shown(vt, gt, value, grad)
        s = self.session
        if s is None or not s.active:
            return shown
        if s.hides_value(node) and vt is not None:
            key = f"value:{node}"
            shown = shown._replace(value_text=self.blank(key), value=None, value_key=key)
        if s.hides_grad(node) and gt is not None:
            key = f"grad:{node}" if f"grad:{node}" in s.asked else ""
            shown = shown._replace(grad_text=self.blank(key), grad=None, grad_key=key)
        return shown

    def edge_texts(self, edge: Edge, vt: Any, gt: Any, value: Any, grad: Any) -> Shown:
        """The edge's labels: its source's value and the gradient it carries back, the hidden ones blanked
        (the value's blank answers the source's value; a gradient's, the edge's or its source's total)."""
        shown = Shown(vt, gt, value, grad)
        s = self.session
        if s is None or not s.active:
            return shown
        if s.hides_value(edge.source) and vt:
            key = f"value:{edge.source}"
            shown = shown._replace(value_text=self.blank(key), value=None, value_key=key)
        if s.hides_edge_grad(edge) and gt:
            key = edge_key(edge) if edge_key(edge) in s.asked else ""  # "": hidden, but not asked here
            shown = shown._replace(grad_text=self.blank(key), grad=None, grad_key=key)
        return shown

    def blank(self, key: str) -> str:
        """What a hidden number's label shows: "?", or the latest answer with its mark."""
        a = self.session.attempts.get(key) if self.session is not None and key else None
        if a is None:
            return BLANK
        return f"{a.typed} {'✓' if a.ok else '✗'}"

    def mark(self, label: QGraphicsSimpleTextItem, key: str | None, normal: QColor) -> None:
        """Colour a blank by its answer (right, wrong, none yet) and remember the key it answers (None:
        the label shows its number, in its normal colour; "": a blank that answers nothing)."""
        asked = self.session is not None and key in self.session.asked
        label.setData(QUIZ_KEY_ROLE, key if asked else None)
        if key is None or self.session is None:
            color = normal if label.brush().color() in MARK_COLORS else None
        else:
            color = self._mark_color(key)
        if color is not None and label.brush().color() != color:
            label.setBrush(QBrush(color))

    def _mark_color(self, key: str) -> QColor:
        a = self.session.attempts.get(key) if self.session is not None else None
        if a is None:
            return BLANK_COLOR
        return RIGHT_COLOR if a.ok else WRONG_COLOR

    def place_update_blank(self, item: Any) -> None:
        """Under a parameter's box, the blank for its updated value while that is asked."""
        s = self.session
        if s is not None and s.hides_update(item.node_id):
            if item.update_blank is None:
                item.update_blank = UpdateBlank(item, item.node_id)
            item.update_blank.show_answer(item.title, self)
        elif item.update_blank is not None:
            item.update_blank.setParentItem(None)
            if item.update_blank.scene() is not None:
                item.update_blank.scene().removeItem(item.update_blank)
            item.update_blank = None

    # ----- the student's actions
    def answer(self, key: str, typed: str) -> str:
        """Mark an answer; returns what the status bar says."""
        trace = self.bridge.trace
        if self.session is None or trace is None:
            return translate("QuizMode", "nothing to check: the graph does not run")
        a = self.session.answer(key, typed, trace)
        self.changed.emit()
        verdict = translate("QuizMode", "right") if a.ok else translate("QuizMode", "wrong")
        return f"{describe(key)}: {verdict} — {self.session.score().summary()}"

    def hint(self, key: str) -> str:
        if self.session is None or self.bridge.trace is None:
            return ""
        return self.session.hint(key, self.bridge.trace)

    def leave(self) -> None:
        """Show the numbers (recorded in the saved answers)."""
        if self.session is not None:
            self.session.leave()
            self.changed.emit()


class AnswerEditor(QGraphicsTextItem):
    """A small editor over a blank: Enter checks the answer, Ctrl+H shows the hint, Esc closes."""

    def __init__(self, key: str, commit: Callable[[str, str], None], hint: Callable[[str], str]) -> None:
        super().__init__()
        self.key = key
        self._commit = commit
        self._hint = hint
        self._closed = False
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)
        self.setFont(style.font(9))
        self.setDefaultTextColor(style.TEXT_COLOR)
        self.setZValue(10)
        self.setTextWidth(110)
        how = translate("AnswerEditor", "type the answer (3, 1/2, 1 2; 3 4), Enter to check, "
                        "Ctrl+H for a hint, Esc to close")
        self.setToolTip(f"{describe(key)}: {how}")
        self.hint_item = _Note(self)
        self.hint_item.setPos(2, self.boundingRect().height() + 2)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            text = self.toPlainText().strip()
            if text:
                self._commit(self.key, text)
            self.close()
        elif key == Qt.Key.Key_Escape:
            self.close()
        elif key == Qt.Key.Key_H and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.hint_item.setText(self._hint(self.key))
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().focusOutEvent(event)
        self.close()

    def close(self) -> None:
        scene = self.scene()
        if scene is not None and not self._closed:
            self._closed = True  # removing it takes the focus away, which closes it again
            scene.removeItem(self)

    def paint(self, painter: QPainter, option: Any, widget: QWidget | None = None) -> None:
        painter.fillRect(self.boundingRect(), QColor("#ffffff"))
        painter.setPen(QPen(BLANK_COLOR, 1.2))
        painter.drawRect(self.boundingRect().adjusted(0, 0, -1, -1))
        super().paint(painter, option, widget)


class _Note(QGraphicsSimpleTextItem):
    """The hint under the editor, on a white backdrop (it covers the node's rows)."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.setFont(style.font(8.5))
        self.setBrush(QBrush(BLANK_COLOR))

    def paint(self, painter: QPainter, option: Any, widget: QWidget | None = None) -> None:
        if self.text():
            painter.fillRect(self.boundingRect().adjusted(-3, -2, 3, 2), QColor("#ffffff"))
        super().paint(painter, option, widget)

    def boundingRect(self) -> QRectF:
        return super().boundingRect().adjusted(-3, -2, 3, 2)


class UpdateBlank(QGraphicsSimpleTextItem):
    """Under a parameter's box: the blank for its value after the update, w′ = ?"""

    def __init__(self, parent: QGraphicsItem, node: str) -> None:
        super().__init__(parent)
        self.node = node
        self.setFont(style.font(8.5))
        self.setPos(10, parent.boundingRect().bottom() + 2)

    def show_answer(self, title: str, quiz: QuizMode) -> None:
        key = f"update:{self.node}"
        text = translate("UpdateBlank", "{name} after update = {blank}")
        self.setText(text.format(name=title, blank=quiz.blank(key)))
        quiz.mark(self, key, style.VALUE_COLOR)

    def boundingRect(self) -> QRectF:  # a little room to click
        return super().boundingRect().adjusted(-2, -2, 2, 2)
