"""The step panel: step through backprop one node at a time, read each step's chain rule in numbers,
check your own answer before a step reveals it, apply the update, export the worked solution.

It drives an :class:`engine.teach.stepper.Stepper` over the document's plan and shows the stepper's partial
trace on the canvas through the bridge (``show_trace``: the current node highlighted, values and
gradients not computed yet dimmed). Any edit of the document ends the stepping and the canvas goes back
to live evaluation. "Apply update" writes the new parameter values as one undoable edit.

Shortcuts (the main window uses F5 for Run and F1 for help): F10 step forward, Shift+F10 undo the last step,
Ctrl+F10 run the forward pass, F11 step backward, Shift+F11 run the backward pass, Ctrl+U apply the
update, Shift+F5 reset.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QFontInfo, QKeySequence, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.compile.cache import plan_for
from engine.compile.plan import Plan
from engine.teach.explanations import explain_current
from engine.teach.formatting import mathtext_tex, tex_pieces, typeset_pieces
from engine.teach.grading import Score, check, questions
from engine.teach.names import node_name
from engine.teach.stepper import BACKWARD, DONE, FORWARD, Stepper
from engine.teach.symbolic import symbolic
from graph.edits import Macro, SetValue
from graph.errors import GraphError
from graph.values import format_number
from gui.canvas.render import picture_svg
from gui.i18n import QT_TRANSLATE_NOOP, error_text, translate
from gui.panels.typeset import SCHEME, Typesetter

SHORTCUTS = {
    "step_forward": "F10",
    "undo_step": "Shift+F10",
    "run_forward": "Ctrl+F10",
    "step_backward": "F11",
    "run_backward": "Shift+F11",
    "apply_update": "Ctrl+U",
    "reset": "Shift+F5",
}

# The stepper's phase as the status line names it (translated where shown).
_PHASES = {
    FORWARD: QT_TRANSLATE_NOOP("StepPanel", "forward pass"),
    BACKWARD: QT_TRANSLATE_NOOP("StepPanel", "backward pass"),
    DONE: QT_TRANSLATE_NOOP("StepPanel", "done"),
}
# The worked solution's formats: (format, file pattern, what the file dialog calls it).
_EXPORT_KINDS = (
    ("md", "*.md", QT_TRANSLATE_NOOP("StepPanel", "Markdown")),
    ("tex", "*.tex", QT_TRANSLATE_NOOP("StepPanel", "LaTeX")),
    ("html", "*.html", QT_TRANSLATE_NOOP("StepPanel", "HTML page")),
)
_SYMBOLIC_COLOUR = "#555555"  # the symbolic forms are an aside: grey, as their text (.sym)
_STYLE = """
<style>
h3 { margin: 2px 0 6px 0; }
p { margin: 3px 0; }
td { padding: 1px 4px; }
.sym { color: #555; }
img { vertical-align: middle; }
.reason { color: #888; font-size: small; }
</style>
"""


class MathBrowser(QTextBrowser):
    """A text browser that takes its formula pictures from a typesetter (img src mathtext:<n>)."""

    def __init__(self, typesetter: Typesetter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.typesetter = typesetter

    def loadResource(self, kind: int, url: QUrl) -> Any:  # noqa: N802 - Qt's name
        if kind == QTextDocument.ResourceType.ImageResource.value and url.scheme() == SCHEME:
            number = url.path()
            image = self.typesetter.image(int(number)) if number.isdigit() else None
            if image is not None:
                return image
        return super().loadResource(kind, url)


class StepPanel(QWidget):
    """Stepping controls, the explanation, check-my-answer, the update and the export."""

    stepped = Signal()  # after every change of the stepper's position (tests and other panels)

    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.stepper: Stepper | None = None
        self.score = Score()
        self._symbolic: Any = None
        self._keep_explanation = False
        self._plain = ""  # the explanation shown, as text
        self._showing = False  # our trace is on the canvas (live evaluation is off)
        self.actions: dict[str, QAction] = {}
        self.typesetter = Typesetter()
        self._build()
        bridge.documentChanged.connect(self._on_document_changed)
        if hasattr(bridge, "documentReset"):
            bridge.documentReset.connect(self._on_document_reset)
        if hasattr(bridge, "liveChanged"):
            bridge.liveChanged.connect(self._on_live_changed)
        self._refresh()

    # ----- building
    def _action(self, name: str, text: str, slot: Any, tip: str) -> QAction:
        act = QAction(text, self)
        shortcut = SHORTCUTS.get(name)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
            tip = f"{tip} ({shortcut})"
        act.setToolTip(tip)
        act.setStatusTip(tip)
        act.triggered.connect(lambda _checked=False: slot())
        self.actions[name] = act
        self.addAction(act)
        return act

    def _build(self) -> None:
        self._build_actions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self._tool_row(
            ("undo_step", "step_forward", "run_forward", "step_backward", "run_backward", "reset")
        ))
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.text = MathBrowser(self.typesetter, self)
        self.text.setOpenLinks(False)
        self.text.setMinimumHeight(220)
        layout.addWidget(self.text, 1)
        layout.addWidget(self._build_answer_box())
        layout.addLayout(self._build_update_row())

    def _build_actions(self) -> None:
        rows = (
            ("step_forward", translate("StepPanel", "Step ▶"), self.step_forward,
             translate("StepPanel", "Compute the next node's value")),
            ("undo_step", translate("StepPanel", "◀ Back"), self.undo_step,
             translate("StepPanel", "Undo the last step")),
            ("run_forward", translate("StepPanel", "Forward ▶▶"), self.run_forward,
             translate("StepPanel", "Run to the end of the forward pass")),
            ("step_backward", translate("StepPanel", "∂ Step"), self.step_backward,
             translate("StepPanel", "Backward one node: the chain rule")),
            ("run_backward", translate("StepPanel", "∂ Run ◀◀"), self.run_backward,
             translate("StepPanel", "Run the whole backward pass")),
            ("apply_update", translate("StepPanel", "Apply update"), self.apply_update,
             translate("StepPanel", "w ← w − η·∂L/∂w for every parameter")),
            ("reset", translate("StepPanel", "Reset"), self.reset,
             translate("StepPanel", "Back to the start of stepping")),
            ("export", translate("StepPanel", "Export worked solution…"), self.export_dialog,
             translate("StepPanel", "Write the whole trace as Markdown with maths or as LaTeX")),
        )  # fmt: skip
        for name, text, slot, tip in rows:
            self._action(name, text, slot, tip)

    def _tool_button(self, name: str) -> QToolButton:
        b = QToolButton(self)
        b.setDefaultAction(self.actions[name])
        return b

    def _tool_row(self, names: tuple[str, ...]) -> QHBoxLayout:
        row = QHBoxLayout()
        for name in names:
            row.addWidget(self._tool_button(name))
        row.addStretch(1)
        return row

    def _build_answer_box(self) -> QGroupBox:
        """Check my answer: the question, the typed answer, the tolerance, the verdict and the score."""
        box = QGroupBox(translate("StepPanel", "Check my answer (before the next step)"), self)
        grid = QGridLayout(box)
        self.question = QComboBox(box)
        self.answer = QLineEdit(box)
        self.answer.setPlaceholderText(translate("StepPanel", "e.g. 2  or  1 0  or  1 0; 2 0"))
        self.answer.returnPressed.connect(self.check_answer)
        self.tolerance = QDoubleSpinBox(box)
        self.tolerance.setDecimals(6)
        self.tolerance.setRange(1e-6, 1.0)
        self.tolerance.setSingleStep(0.001)
        self.tolerance.setValue(1e-3)
        self.tolerance.setToolTip(
            translate("StepPanel", "An answer is right when |answer − value| ≤ tolerance · max(1, |value|)")
        )
        self.check_button = QPushButton(translate("StepPanel", "Check"), box)
        self.check_button.clicked.connect(self.check_answer)
        self.verdict = QLabel(box)
        self.verdict.setWordWrap(True)
        self.score_label = QLabel(box)
        grid.addWidget(self.question, 0, 0, 1, 3)
        grid.addWidget(self.answer, 1, 0)
        grid.addWidget(QLabel(translate("StepPanel", "tolerance"), box), 1, 1)
        grid.addWidget(self.tolerance, 1, 2)
        grid.addWidget(self.check_button, 1, 3)
        grid.addWidget(self.verdict, 2, 0, 1, 4)
        grid.addWidget(self.score_label, 3, 0, 1, 4)
        return box

    def _build_update_row(self) -> QGridLayout:
        """The learning rate with Apply update, and below it the steps of the worked solution with
        Export: on two lines, so that the panel stays narrow in a longer language."""
        grid = QGridLayout()
        self.lr = QDoubleSpinBox(self)
        self.lr.setDecimals(6)
        self.lr.setRange(1e-6, 1e6)
        self.lr.setValue(self._document_lr())
        self.lr.setToolTip(translate("StepPanel", "Learning rate for Apply update and the worked solution"))
        self.export_steps = QSpinBox(self)
        self.export_steps.setRange(0, 100)
        self.export_steps.setToolTip(
            translate("StepPanel", "SGD steps in the worked solution (0: one forward and backward pass)")
        )
        grid.addWidget(QLabel("η", self), 0, 0)
        grid.addWidget(self.lr, 0, 1)
        grid.addWidget(self._tool_button("apply_update"), 0, 2)
        grid.addWidget(QLabel(translate("StepPanel", "steps"), self), 1, 0)
        grid.addWidget(self.export_steps, 1, 1)
        grid.addWidget(self._tool_button("export"), 1, 2)
        grid.setColumnStretch(3, 1)
        return grid

    def toolbar_actions(self) -> list[QAction]:
        names = (
            "undo_step",
            "step_forward",
            "run_forward",
            "step_backward",
            "run_backward",
            "apply_update",
            "reset",
        )
        return [self.actions[n] for n in names]

    # ----- the stepper
    def _document_lr(self) -> float:
        training = getattr(self.doc, "training", None) or {}
        lr = training.get("lr") if isinstance(training, dict) else None
        return float(lr) if isinstance(lr, (int, float)) and not isinstance(lr, bool) and lr > 0 else 0.1

    @property
    def doc(self) -> Any:
        return self.bridge.doc if hasattr(self.bridge, "doc") else self.bridge.document

    def ensure_stepper(self) -> Stepper | None:
        """The stepper over the document as it is now (compiled on first use); None if it is invalid."""
        if self.stepper is None:
            try:
                self.stepper = Stepper(plan_for(self.doc))
            except GraphError as err:
                self._message(translate("StepPanel", "Cannot step: {error}").format(error=err))
                return None
            self._symbolic = None
        return self.stepper

    def _move(self, fn_name: str) -> None:
        st = self.ensure_stepper()
        if st is None:
            return
        try:
            getattr(st, fn_name)()
        except GraphError as err:
            self._message(translate("StepPanel", "Numeric problem: {error}").format(error=err))
        self._keep_explanation = False
        self._show()

    def step_forward(self) -> None:
        self._move("step_forward")

    def undo_step(self) -> None:
        self._move("undo_step")

    def run_forward(self) -> None:
        self._move("run_forward")

    def step_backward(self) -> None:
        self._move("step_backward")

    def run_backward(self) -> None:
        self._move("run_backward")

    def reset(self) -> None:
        self._move("reset")

    def apply_update(self) -> None:
        """w ← w − η·∂L/∂w, written into the document as one undoable edit."""
        st = self.ensure_stepper()
        if st is None:
            return
        lr = self.lr.value()
        try:
            new = st.apply_update(lr)
        except GraphError as err:
            self._message(translate("StepPanel", "Numeric problem: {error}").format(error=err))
            return
        ex = explain_current(st)
        explanation = ex.html(typeset=self.typeset)
        self._plain = ex.text()
        if not new:
            self._set_html(explanation)
            return
        edits = [SetValue(node, value) for node, value in new.items()]
        self._keep_explanation = True
        name = translate("StepPanel", "Apply update (η = {lr})").format(lr=format_number(lr))
        self.bridge.push(Macro(name, edits))
        self._set_html(
            explanation + "<p><i>" + translate(
                "StepPanel",
                "The new values are in the document (undo with Ctrl+Z). Step again to see the next pass.",
            ) + "</i></p>"
        )
        self._refresh()

    # ----- showing
    def _phase(self) -> str | None:
        st = self.stepper
        if st is None or st.current_step is None:
            return None
        return st.current_step[0]

    def _show(self) -> None:
        st = self.stepper
        if st is None:
            return
        self._showing = True
        self.bridge.show_trace(st.trace(), highlight=st.current, phase=self._phase())
        self._set_html(self.explanation_html())
        self._plain = self._current_text()
        self._refresh()
        self.stepped.emit()
        QTimer.singleShot(0, self._typeset_next)

    def _typeset_next(self) -> None:
        """Typeset the next step's formulas while the user reads this one, so that the step shows at
        once: take it, draw its explanation into the typesetter's cache, and undo it exactly."""
        st = self.stepper
        if st is None or st.phase == DONE:
            return
        before = st.progress()[0]
        try:
            st.step_forward() if st.phase == FORWARD else st.step_backward()
            self.explanation_html()
        except GraphError:
            pass  # the step itself will say so when the user takes it
        finally:
            while st.progress()[0] > before:
                st.undo_step()

    def explanation_html(self) -> str:
        """The current step's explanation with its formulas typeset, and the symbolic forms."""
        st = self.stepper
        if st is None:
            return ""
        ex = explain_current(st)
        lines = [self._formula(tex, text, _SYMBOLIC_COLOUR) + (f" <i>{note}</i>" if note else "")
                 for tex, text, note in self._symbolic_lines(ex.node, ex.phase)]
        symbolically = translate("StepPanel", "Symbolically:")
        sym = f"<p class='sym'><b>{symbolically}</b> " + "<br>".join(lines) + "</p>" if lines else ""
        return ex.html(typeset=self.typeset) + sym

    def explanation_text(self) -> str:
        """The explanation shown, as plain text (in the panel its formulas are pictures)."""
        return self._plain

    def _current_text(self) -> str:
        st = self.stepper
        if st is None:
            return ""
        ex = explain_current(st)
        sym = self._symbolic_lines(ex.node, ex.phase)
        lines = [text + (f" ({note})" if note else "") for _, text, note in sym]
        symbolically = translate("StepPanel", "Symbolically:")
        return ex.text() + (f"\n{symbolically} " + "\n".join(lines) if lines else "")

    def _symbolic_lines(self, node: str | None, phase: str) -> list[tuple[str, str, str]]:
        """(TeX, text, note) of the node's value and gradients in symbols, for a graph of scalars: its
        value, then in the backward pass ∂L/∂node and the total gradient of each node feeding it."""
        st = self.stepper
        result = None if st is None or node is None else self._symbolic_result(st)
        if result is None or st is None or node is None:
            return []
        lines = [(result.value_tex(node), result.value_text(node), "")] if node in result.values else []
        if phase == BACKWARD:
            lines += _symbolic_grads(result, st.plan, node)
        return lines

    def typeset(self, tex: str, color: str | None = None) -> str | None:
        """A formula (mathtext TeX) as an <img> typeset at the explanation's font size and the screen's
        pixel ratio, or None where mathtext cannot typeset it."""
        font_px = QFontInfo(self.text.font()).pixelSize() * 1.15
        color = color or self.text.palette().color(QPalette.ColorRole.Text).name()
        return self.typesetter.html(tex, round(font_px), self.text.devicePixelRatioF(), color)

    def _formula(self, tex: str, text: str, color: str | None = None) -> str:
        """A formula typeset (in pieces, so that a long one wraps at its + and =), or its text where
        mathtext cannot typeset it."""
        shown = typeset_pieces(tex_pieces(mathtext_tex(tex)), lambda piece: self.typeset(piece, color))
        return shown or html.escape(text)

    def _symbolic_result(self, st: Stepper) -> Any:
        """The stepper's graph in symbols (computed once per stepper); None where it has none."""
        if self._symbolic is None:
            try:
                self._symbolic = symbolic(st.plan)
            except Exception as err:  # noqa: BLE001 - symbolic forms are extra: never break stepping
                self._symbolic = err
        result = self._symbolic
        return None if isinstance(result, Exception) or not getattr(result, "ok", False) else result

    def _set_html(self, body: str) -> None:
        self.text.setHtml(_STYLE + body)

    def _message(self, text: str) -> None:
        self.status.setText(text)
        if hasattr(self.bridge, "statusMessage"):
            self.bridge.statusMessage.emit(text)

    def _refresh(self) -> None:
        st = self.stepper
        phase = st.phase if st is not None else FORWARD
        at_start = st is None or st.at_start
        self.actions["step_forward"].setEnabled(phase == FORWARD)
        self.actions["run_forward"].setEnabled(phase == FORWARD)
        self.actions["step_backward"].setEnabled(phase != DONE)
        self.actions["run_backward"].setEnabled(phase != DONE)
        self.actions["undo_step"].setEnabled(not at_start)
        self.actions["reset"].setEnabled(not at_start)
        if st is None:
            self.status.setText(
                translate("StepPanel", "Not stepping. Press Step (F10) to compute the first node.")
            )
            if not self._keep_explanation:
                self._plain = ""
                self._set_html("<p>" + translate(
                    "StepPanel",
                    "Step through the graph one node at a time: the forward pass computes each node's value, "
                    "the backward pass each edge's gradient by the chain rule.",
                ) + "</p>")
        else:
            done, total = st.progress()
            nxt = st.upcoming
            where = translate("StepPanel", _PHASES[phase])
            text = translate("StepPanel", "Step {done} of {total} · {phase}").format(
                done=done, total=total, phase=where
            )
            if nxt is not None:
                text += translate("StepPanel", " · next: {node}").format(node=node_name(st.plan.doc, nxt))
            self.status.setText(text)
        self._fill_questions()
        self._show_score()

    def _show_score(self) -> None:
        """The check-my-answer score of this document's session."""
        summary = self.score.summary()
        self.score_label.setText(translate("StepPanel", "Session: {score}").format(score=summary))

    def _fill_questions(self) -> None:
        st = self.stepper
        current = self.question.currentData()
        self.question.clear()
        if st is None:
            st_questions = []
            try:
                st_questions = questions(Stepper(plan_for(self.doc)))
            except GraphError:
                pass
        else:
            st_questions = questions(st)
        for q in st_questions:
            self.question.addItem(q.label, q.key)
        if current is not None:
            i = self.question.findData(current)
            if i >= 0:
                self.question.setCurrentIndex(i)
        has = self.question.count() > 0
        self.answer.setEnabled(has)
        self.check_button.setEnabled(has)

    # ----- check my answer
    def check_answer(self) -> bool | None:
        """Compare the typed answer with the next step's result; returns whether it was right."""
        st = self.ensure_stepper()
        key = self.question.currentData()
        if st is None or key is None:
            return None
        try:
            verdict = check(st, key, self.answer.text(), self.tolerance.value(), self.score)
        except KeyError:
            self._refresh()
            return None
        colour = "#1a7f37" if verdict.ok else "#c62828"
        self.verdict.setText(f"<span style='color:{colour}'>{html.escape(verdict.message)}</span>")
        self._show_score()
        return verdict.ok

    # ----- export
    def export_dialog(self) -> None:
        title = translate("StepPanel", "Export worked solution")
        filters = [f"{translate('StepPanel', name)} ({pattern})" for _, pattern, name in _EXPORT_KINDS]
        path, chosen = QFileDialog.getSaveFileName(self, title, "solution.md", ";;".join(filters))
        if not path:
            return
        # A name without an ending takes the format of the filter chosen (by its pattern: the words
        # are translated).
        by_filter = next((fmt for fmt, pattern, _ in _EXPORT_KINDS if pattern in chosen), "md")
        try:
            self.export_solution(path, _export_format(path) or by_filter, self.export_steps.value())
        except (GraphError, OSError) as err:
            QMessageBox.warning(self, title, error_text(err))

    def export_solution(self, path: str, fmt: str | None = None, steps: int = 0) -> str:
        """Write the worked solution; fmt from the file name when not given. Returns the text."""
        from engine.teach.explain import explain

        fmt = fmt or _export_format(path) or "md"
        file_path = getattr(self.bridge, "file_path", None)
        title = None
        if file_path:
            title = translate("StepPanel", "Worked solution: {file}").format(file=Path(file_path).name)
        picture = picture_svg(self.doc) if fmt == "html" else None
        text = explain(self.doc, fmt, steps, lr=self.lr.value(), title=title, picture=picture)
        Path(path).write_text(text, encoding="utf-8")
        self._message(translate("StepPanel", "Wrote {path}").format(path=path))
        return text

    # ----- following the document
    def _on_document_changed(self) -> None:
        """Any edit makes the stepper stale: stepping ends and the canvas goes back to live."""
        self.stepper = None
        self._symbolic = None
        if self._showing:
            self._showing = False
            self.bridge.resume_live()
        self._refresh()

    def _on_document_reset(self) -> None:
        self._keep_explanation = False
        self.score = Score()  # a new document starts a new check-my-answer session
        self.verdict.clear()
        self.answer.clear()
        self.lr.setValue(self._document_lr())
        self._on_document_changed()

    def _on_live_changed(self, live: bool) -> None:
        if live and self._showing:
            # Someone else (Run, F5) took the canvas back: stepping ends here.
            self._showing = False
            self.stepper = None
            self._keep_explanation = False
            self._refresh()


def _export_format(path: str) -> str | None:
    """The worked solution's format named by a file's ending (.md, .tex, .html), else None."""
    suffix = Path(path).suffix.lower()
    return {".md": "md", ".tex": "tex", ".html": "html", ".htm": "html"}.get(suffix)


def _symbolic_grads(result: Any, plan: Plan, node: str) -> list[tuple[str, str, str]]:
    """∂L/∂node, then the total gradient of each node feeding it (summed over every path)."""
    lines = [(result.grad_tex(node), result.grad_text(node), "")] if node in result.grads else []
    ports = [bp for s, bps in plan.backward if plan.ids[s] == node for bp in bps]
    for src in dict.fromkeys(plan.ids[bp.source] for bp in ports):
        note = translate("StepPanel", "total over every path")
        lines.append((result.grad_tex(src), result.grad_text(src), note))
    return lines


def install_step_panel(window: Any) -> StepPanel:
    """Create the step panel in a main window: a dock, toolbar buttons and entries in the Run menu."""
    panel = StepPanel(window.bridge, window)
    title = translate("StepPanel", "Step Through")
    window.add_panel(panel, title, Qt.DockWidgetArea.RightDockWidgetArea, key="step_through")
    window.add_toolbar_actions(panel.toolbar_actions())
    menu = getattr(window, "run_menu", None)
    if menu is not None:
        menu.addSeparator()
        for act in panel.toolbar_actions():
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction(panel.actions["export"])
    window.step_panel = panel
    return panel
