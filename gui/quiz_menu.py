"""Edit ▸ Quiz: the teacher marks what the student must find (each change one undoable edit of the
file's quiz, engine.teach.quiz.SetQuiz); the student saves the answers as CSV, sees the score, or
leaves quiz mode to see the numbers (which the saved answers record)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox

from engine.teach.quiz import QuizError, QuizSpec, SetQuiz, edge_key, quiz_spec
from gui.i18n import QT_TRANSLATE_NOOP, error_text, translate

# What to select before hiding a quantity of that kind (a status message).
SELECT_FIRST = {
    "value": QT_TRANSLATE_NOOP("QuizMenu", "select a computed node"),
    "update": QT_TRANSLATE_NOOP("QuizMenu", "select a parameter"),
    "grad": QT_TRANSLATE_NOOP("QuizMenu", "select a node or an edge"),
}


def build_quiz_menu(window: Any, m: QMenu) -> None:
    """The Quiz menu's actions (window.make_action registers each by name, for the tests and shortcuts)."""
    teacher: list[tuple[str, str, Callable[[], None]]] = [
        (
            "quiz_hide_value",
            translate("QuizMenu", "Hide the &Value of the Selected Node"),
            lambda: hide_selected(window, "value"),
        ),
        (
            "quiz_hide_grad",
            translate("QuizMenu", "Hide the &Gradient of the Selected Node or Edge"),
            lambda: hide_selected(window, "grad"),
        ),
        (
            "quiz_hide_update",
            translate("QuizMenu", "Hide the &Update of the Selected Parameter"),
            lambda: hide_selected(window, "update"),
        ),
        (
            "quiz_show_selected",
            translate("QuizMenu", "&Show the Selected Again"),
            lambda: hide_selected(window, None),
        ),
        (
            "quiz_hide_all_values",
            translate("QuizMenu", "Hide All Values"),
            lambda: hide_all(window, "value:*"),
        ),
        (
            "quiz_hide_all_grads",
            translate("QuizMenu", "Hide All Gradients"),
            lambda: hide_all(window, "grad:*"),
        ),
        (
            "quiz_hide_all_updates",
            translate("QuizMenu", "Hide All Updates"),
            lambda: hide_all(window, "update:*"),
        ),
        ("quiz_tolerance", translate("QuizMenu", "&Tolerance…"), lambda: ask_tolerance(window)),
        ("quiz_hints", translate("QuizMenu", "Offer &Hints"), lambda: toggle_hints(window)),
        ("quiz_remove", translate("QuizMenu", "&Remove the Quiz"), lambda: window.bridge.push(SetQuiz(None))),
    ]
    for name, text, slot in teacher:
        m.addAction(window.make_action(name, text, slot))
        if name in ("quiz_show_selected", "quiz_hide_all_updates", "quiz_hints"):
            m.addSeparator()
    student = [
        ("quiz_score", translate("QuizMenu", "S&core"), lambda: show_score(window)),
        ("quiz_save_csv", translate("QuizMenu", "Save &Answers as CSV…"), lambda: save_answers(window)),
        (
            "quiz_leave",
            translate("QuizMenu", "&Leave Quiz Mode (Show the Numbers)"),
            lambda: leave_quiz(window),
        ),
    ]
    for name, text, slot in student:
        m.addAction(window.make_action(name, text, slot))
    m.aboutToShow.connect(lambda: _enable(window))
    guard = PanelGuard(window)
    window.scene.quiz.changed.connect(guard.apply)
    window.scene.quiz.loaded.connect(guard.apply)


class PanelGuard(QObject):
    """While a quiz is on, the panels that would show its numbers (the step-through explanations, the
    training's losses) are disabled, and so are their toolbar actions, whatever state the panels give
    them; leaving quiz mode gives the actions the state their panel last asked for."""

    PANELS = ("step_panel", "training_panel")

    def __init__(self, window: Any) -> None:
        super().__init__(window)  # kept alive by the window
        self.window = window
        self.wanted: dict[Any, bool] = {}  # action → the enabled state its panel last set

    def apply(self) -> None:
        on = self.window.scene.quiz.active
        self.window.update_run_status()
        for name in self.PANELS:
            panel = getattr(self.window, name, None)
            if panel is None:
                continue
            panel.setEnabled(not on)
            for act in _panel_actions(panel):
                if act not in self.wanted:
                    self.wanted[act] = act.isEnabled()
                    act.changed.connect(lambda a=act: self._hold(a))
                act.setEnabled(False if on else self.wanted[act])

    def _hold(self, act: Any) -> None:  # the panel changed the action's state
        if self.window.scene.quiz.active and act.isEnabled():
            self.wanted[act] = True
            act.setEnabled(False)
        elif not self.window.scene.quiz.active:
            self.wanted[act] = act.isEnabled()


def quiz_status(quiz: Any, output: str, text: str) -> str:
    """The run status while a quiz is on: the output's value blank if it is hidden, and the score."""
    s = quiz.session
    if s is None or not s.active:
        return text
    if s.hides_value(output):
        text = f"✓ {output} = ?"
    return translate("QuizMenu", "{status} · quiz: {score}").format(status=text, score=s.score().summary())


def _enable(window: Any) -> None:
    spec = _spec(window)
    quiz = window.scene.quiz
    acts = window.actions_by_name
    acts["quiz_hints"].setCheckable(True)
    acts["quiz_hints"].setChecked(spec.hints)
    for name in ("quiz_remove", "quiz_score", "quiz_save_csv"):
        acts[name].setEnabled(quiz.session is not None)
    acts["quiz_leave"].setEnabled(quiz.active)


def _spec(window: Any) -> QuizSpec:
    """The document's quiz, or an empty one (a file's unreadable quiz is replaced by the next edit)."""
    try:
        return quiz_spec(window.bridge.doc) or QuizSpec()
    except QuizError:
        return QuizSpec()


def selected_keys(window: Any, kind: str | None) -> list[str]:
    """The quantities of that kind of the selection (kind None: every kind, for "show again")."""
    doc = window.bridge.doc
    kinds = ("value", "grad", "update") if kind is None else (kind,)
    keys = [f"{k}:{n}" for n in window.scene.selected_ids() for k in kinds if _has(doc.node(n), k)]
    if kind in (None, "grad"):
        keys += [edge_key(e) for e in window.scene.selected_edges()]
    return keys


def _has(node: Any, kind: str) -> bool:
    """A leaf's value is given, not asked; only a parameter is updated."""
    return {"value": not node.is_leaf, "update": node.op == "parameter"}.get(kind, True)


def hide_selected(window: Any, kind: str | None) -> None:
    """Hide (kind None: show again) that quantity of each selected node or edge."""
    keys = selected_keys(window, kind)
    if not keys:
        window.bridge.statusMessage.emit(translate("QuizMenu", SELECT_FIRST[kind or "grad"]))
        return
    window.bridge.push(SetQuiz(_spec(window).with_hidden(keys, hidden=kind is not None)))


def hide_all(window: Any, key: str) -> None:
    window.bridge.push(SetQuiz(_spec(window).with_hidden([key])))


def ask_tolerance(window: Any, value: float | None = None) -> None:
    """Set the tolerance answers are marked within (asks when value is None)."""
    spec = _spec(window)
    if value is None:
        value, ok = QInputDialog.getDouble(
            window,
            translate("QuizMenu", "Quiz tolerance"),
            translate("QuizMenu", "An answer is right within (relative to the number, at least absolute):"),
            spec.tolerance,
            0.0,
            0.5,
            6,
        )
        if not ok:
            return
    window.bridge.push(SetQuiz(QuizSpec(spec.hide, float(value), spec.hints)))


def toggle_hints(window: Any) -> None:
    spec = _spec(window)
    window.bridge.push(SetQuiz(QuizSpec(spec.hide, spec.tolerance, not spec.hints)))


def show_score(window: Any) -> None:
    session = window.scene.quiz.session
    if session is not None:
        window.bridge.statusMessage.emit(session.score().summary())


def save_answers(window: Any, path: str | None = None) -> bool:
    """Write the answers and the score as CSV (asks for the path when None)."""
    session = window.scene.quiz.session
    if session is None:
        return False
    if path is None:
        file_path = window.bridge.file_path
        base = Path(file_path).with_suffix(".answers.csv") if file_path else Path("answers.csv")
        path, _ = QFileDialog.getSaveFileName(
            window, translate("QuizMenu", "Save answers"), str(base), "CSV (*.csv)"
        )
        if not path:
            return False
    try:
        Path(path).write_text(session.to_csv(), encoding="utf-8")
    except OSError as err:
        window.show_error(translate("QuizMenu", "Cannot save the answers"), error_text(err))
        return False
    window.bridge.statusMessage.emit(translate("QuizMenu", "answers saved to {path}").format(path=path))
    return True


def leave_quiz(window: Any, ask: bool = True) -> None:
    """Show the hidden numbers; the saved answers will say that quiz mode was left, and when."""
    if ask:
        sure = QMessageBox.question(
            window,
            translate("QuizMenu", "Leave quiz mode"),
            translate(
                "QuizMenu", "Show the hidden numbers? The saved answers will record that quiz mode was left."
            ),
        )
        if sure != QMessageBox.StandardButton.Yes:
            return
    window.scene.quiz.leave()


def _panel_actions(panel: Any) -> list[Any]:
    """A panel's toolbar actions and its other named ones (the step panel's worked-solution export)."""
    named = getattr(panel, "actions", None)
    extra = list(named.values()) if isinstance(named, dict) else []
    return list(dict.fromkeys(panel.toolbar_actions() + extra))
