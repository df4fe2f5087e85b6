"""The inspector: the selected node's label, op and attributes (widgets built from the op's declaration),
a value editor for leaves (scalar, vector or matrix grid with a shape control; fractions like 1/2 are
accepted), and the node's value and gradient from the trace. For a selected edge: its value and
gradient in full. Every change goes through the bridge as an undoable edit."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.i18n import pgettext
from engine.ops.registry import Attr, OpDef
from engine.teach.explanations import op_doc, op_name
from engine.teach.names import node_name
from graph.document import LEAF_OPS, Edge, Node
from graph.edits import SetAttr, SetLabel, SetOp, SetValue
from graph.events import (
    AttrChanged,
    EdgeRemoved,
    Events,
    LabelChanged,
    NodeEvent,
    NodeRemoved,
    OpChanged,
    ValueChanged,
)
from graph.values import BadValue, format_number, format_value, parse_number, parse_value
from gui.i18n import QT_TRANSLATE_NOOP, error_text, translate
from gui.model_bridge import ModelBridge
from gui.panels.palette import attr_doc, op_tooltip
from gui.settings import Settings

MAX_GRID = 64
HIDDEN = QT_TRANSLATE_NOOP("Inspector", "hidden (quiz: find it on the canvas)")
GRID_ROOM = 4  # the value grid always has room for a 4 × 4 matrix
AXIS_ITEMS = [(QT_TRANSLATE_NOOP("Inspector", "all"), None), ("0", 0), ("1", 1), ("-1", -1)]
# A leaf value's kinds: (shown, what the code compares).
VALUE_KINDS = [
    (QT_TRANSLATE_NOOP("Inspector", "scalar"), "scalar"),
    (QT_TRANSLATE_NOOP("Inspector", "vector"), "vector"),
    (QT_TRANSLATE_NOOP("Inspector", "matrix"), "matrix"),
]
# The attributes' names are the file's identifiers; the form labels them in the user's language.
ATTR_LABELS = frozenset(
    {
        QT_TRANSLATE_NOOP("InspectorAttrs", "alpha"),
        QT_TRANSLATE_NOOP("InspectorAttrs", "axis"),
        QT_TRANSLATE_NOOP("InspectorAttrs", "reduction"),
        QT_TRANSLATE_NOOP("InspectorAttrs", "scale"),
        QT_TRANSLATE_NOOP("InspectorAttrs", "shape"),
        QT_TRANSLATE_NOOP("InspectorAttrs", "keepdims"),
    }
)
# The leaf kinds are op ids (LEAF_OPS); these are their shown names.
LEAF_KINDS = frozenset(
    {
        QT_TRANSLATE_NOOP("InspectorLeafKinds", "input"),
        QT_TRANSLATE_NOOP("InspectorLeafKinds", "parameter"),
        QT_TRANSLATE_NOOP("InspectorLeafKinds", "constant"),
    }
)


def _shape_text(shape: Any) -> str:
    return " ".join(str(d) for d in shape)


def attr_label(name: str) -> QLabel:
    """An attribute's row label in the user's language; its tooltip names the identifier in the file."""
    label = QLabel(translate("InspectorAttrs", name) if name in ATTR_LABELS else name)
    label.setToolTip(translate("Inspector", "attribute {name} in the file").format(name=name))
    return label


def leaf_kind(op_id: str) -> str:
    return translate("InspectorLeafKinds", op_id) if op_id in LEAF_KINDS else op_id


def formula_text(op: OpDef) -> str:
    """The op's forward formula as the Inspector writes it (y and the port names), in the window's
    language: the few with words in them (Leaky ReLU's "x if x > 0 else α·x", MSE's note on s and n)
    are translated in the engine's catalogue, context "formula"; the rest are maths, alike in every
    language (the catalogue returns them as they are)."""
    template = pgettext("formula", op.formula.forward)
    return replace(op.formula, forward=template).forward_text({"y": "y", **{p: p for p in op.inputs}})


class Inspector(QScrollArea):
    def __init__(
        self, bridge: ModelBridge, settings: Settings, parent: QWidget | None = None, quiz: Any = None
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings
        self.quiz = quiz  # the canvas's QuizMode: what a quiz hides is hidden here too
        self.setWidgetResizable(True)
        self.node_id: str | None = None
        self.edge: Edge | None = None
        self._body: QWidget | None = None
        self._loading = False
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self._reload)
        bridge.selectionChanged.connect(self._on_selection)
        bridge.edgeSelected.connect(self._on_edge)
        bridge.traceChanged.connect(lambda _t: self._fill_results())
        self._subscribe(bridge.doc.events)
        bridge.documentReset.connect(lambda: self.show_node(None))
        settings.changed.connect(lambda _k: self._fill_results())
        if quiz is not None:
            quiz.changed.connect(self._fill_results)
        self.show_node(None)

    # ----- what is shown
    def _on_selection(self, ids: list[str]) -> None:
        if len(ids) == 1:
            self.show_node(ids[0])
        elif self.edge is None or ids:
            self.show_node(None, multiple=len(ids))

    def _on_edge(self, edge: Edge | None) -> None:
        if edge is not None:
            self.show_edge(edge)
        elif self.edge is not None:
            # The edge shown is no longer selected; a hint already shown ("3 nodes selected") stays.
            self.show_node(None)

    def _subscribe(self, events: Events) -> None:
        events.subscribe(NodeRemoved, self._on_node_removed)
        events.subscribe(OpChanged, self._on_op_changed)
        # What the inspector shows of a node (not its position or initialiser).
        for kind in (ValueChanged, AttrChanged, LabelChanged):
            events.subscribe(kind, self._on_node_changed)
        events.subscribe(EdgeRemoved, self._on_edge_removed)

    def _on_node_removed(self, event: NodeRemoved) -> None:
        if self.node_id is not None and event.node == self.node_id:
            self.show_node(None)

    def _on_op_changed(self, event: OpChanged) -> None:
        if self.node_id is not None and event.node == self.node_id:
            QTimer.singleShot(0, lambda: self.show_node(self.node_id))

    def _on_node_changed(self, event: NodeEvent) -> None:
        if self.node_id is not None and event.node == self.node_id:
            self._pending.start()

    def _on_edge_removed(self, event: EdgeRemoved) -> None:
        if self.edge is not None and event.edge == self.edge:
            self.show_node(None)

    def _set_body(self, body: QWidget) -> None:
        self._body = body
        self.setWidget(body)

    def show_node(self, node_id: str | None, multiple: int = 0) -> None:
        self.node_id = node_id if node_id is not None and node_id in self.bridge.doc else None
        self.edge = None
        self.results = None
        if self.node_id is None:
            self._set_body(self._hint_body(multiple))
            return
        node = self.bridge.doc.node(self.node_id)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self._node_form(node))
        if node.is_leaf:
            layout.addWidget(self._value_editor())
            self._load_value()
        self.results = QPlainTextEdit()
        self.results.setReadOnly(True)
        self.results.setMinimumHeight(110)
        box = QGroupBox(translate("Inspector", "Value and gradient (from the last run)"))
        QVBoxLayout(box).addWidget(self.results)
        layout.addWidget(box)
        layout.addStretch(1)
        self._set_body(body)
        self._fill_results()

    @staticmethod
    def _hint_body(multiple: int) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        if multiple > 1:
            # tr, not translate: lupdate marks a count as plural only in a tr call (Russian has three forms).
            text = Inspector.tr("%n nodes selected", None, multiple)
        else:
            text = translate("Inspector", "Select a node or an edge.")
        add = translate("Inspector", "Drag ops from the palette, or press Tab on the canvas to add one.")
        hint = QLabel(text + "\n\n" + add)
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(hint)
        layout.addStretch(1)
        return body

    def _node_form(self, node: Node) -> QGroupBox:
        """Id, label, then the kind of a leaf (input, parameter, constant) or the op, its formula and
        its attributes."""
        op = self.bridge.registry.get(node.op)
        form_box = QGroupBox(translate("Inspector", "Node"))
        form = QFormLayout(form_box)
        form.addRow(translate("Inspector", "Id"), QLabel(node.id))
        self.label_edit = QLineEdit(node.label or "")
        self.label_edit.setPlaceholderText(node.id)
        self.label_edit.editingFinished.connect(self._commit_label)
        form.addRow(translate("Inspector", "Label"), self.label_edit)
        if node.op in LEAF_OPS:
            self.op_combo = QComboBox()
            for leaf in LEAF_OPS:
                self.op_combo.addItem(leaf_kind(leaf), leaf)
            self.op_combo.setCurrentIndex(max(0, self.op_combo.findData(node.op)))
            # The last of the combo's signals: the edit rebuilds this panel, deleting the combo.
            self.op_combo.currentTextChanged.connect(lambda _t: self._commit_op(self.op_combo.currentData()))
            form.addRow(translate("Inspector", "Kind"), self.op_combo)
        else:
            form.addRow(translate("Inspector", "Op"), self._op_label(node.op))
            if op is not None:
                formula = QLabel(formula_text(op))
                formula.setWordWrap(True)  # a long one (MSE's) wraps instead of widening the panel
                formula.setToolTip(op_doc(op) if op.doc else "")
                form.addRow(translate("Inspector", "Formula"), formula)
        self.attr_widgets: dict[str, Any] = {}
        for attr in op.attrs if op else ():
            widget = self._attr_widget(attr, node.attrs.get(attr.name, attr.default))
            form.addRow(attr_label(attr.name), widget)
        return form_box

    def _op_label(self, op_id: str) -> QLabel:
        """The op's name and its id in the file; a translated name alone (матричное умножение (MatMul)
        would read badly with "(matmul)" after it): the tooltip starts with the English name and the id."""
        op = self.bridge.registry.get(op_id)
        if op is None:
            return QLabel(translate("Inspector", "unknown op {op}").format(op=repr(op_id)))
        name = op_name(op)
        label = QLabel(f"{name} ({op.id})" if name == op.name else name)
        label.setWordWrap(True)
        label.setToolTip(op_tooltip(op))
        return label

    def show_edge(self, edge: Edge) -> None:
        self.node_id = None
        self.edge = edge
        body = QWidget()
        layout = QVBoxLayout(body)
        text = translate("Inspector", "Edge {source} → {target}.{port}")
        layout.addWidget(QLabel(text.format(source=edge.source, target=edge.target, port=edge.port)))
        self.results = QPlainTextEdit()
        self.results.setReadOnly(True)
        layout.addWidget(self.results)
        self._set_body(body)
        self._fill_results()

    # ----- attributes
    def _attr_widget(self, attr: Attr, value: Any) -> QWidget:
        """The editor of one attribute, built from its declared kind; every change is an undoable edit."""
        if attr.kind == "float":
            w: QWidget = self._float_attr(attr, value)
        elif attr.kind == "int":
            w = self._int_attr(attr, value)
        elif attr.kind == "shape":
            w = QLineEdit(_shape_text(value))
            w.editingFinished.connect(lambda: self._commit_shape_attr(attr, w))
        elif attr.kind == "bool":
            w = QCheckBox()
            w.setChecked(bool(value))
            w.toggled.connect(lambda v: self._commit_attr(attr.name, bool(v)))
        else:  # a choice, or an axis (all, 0, 1, -1)
            axes = [(translate("Inspector", label), data) for label, data in AXIS_ITEMS]
            items = [(str(c), c) for c in attr.choices] if attr.kind == "choice" else axes
            w = self._combo_attr(attr, items, value)
        if not w.toolTip():
            w.setToolTip(attr_doc(attr))
        self.attr_widgets[attr.name] = w
        return w

    def _float_attr(self, attr: Attr, value: Any) -> QLineEdit:
        w = QLineEdit(format_number(float(value), 12) if value is not None else "")
        w.setToolTip(attr_doc(attr) + "\n" + translate("Inspector", "Fractions such as 1/2 are accepted."))
        w.editingFinished.connect(lambda: self._commit_float_attr(attr, w))
        return w

    def _int_attr(self, attr: Attr, value: Any) -> QSpinBox:
        w = QSpinBox()
        w.setRange(
            int(attr.minimum) if attr.minimum is not None else -(10**6),
            int(attr.maximum) if attr.maximum is not None else 10**6,
        )
        w.setValue(int(value))
        w.valueChanged.connect(lambda v: self._commit_attr(attr.name, int(v)))
        return w

    def _combo_attr(self, attr: Attr, items: list[tuple[str, Any]], value: Any) -> QComboBox:
        w = QComboBox()
        for label, data in items:
            w.addItem(label, data)
        datas = [data for _label, data in items]
        w.setCurrentIndex(datas.index(value) if value in datas else 0)
        w.currentIndexChanged.connect(lambda i: self._commit_attr(attr.name, w.itemData(i)))
        return w

    def _commit_shape_attr(self, attr: Attr, w: QLineEdit) -> None:
        """A shape typed as whole numbers separated by spaces or commas, e.g. "1 -1"."""
        try:
            value = list(attr.coerce([int(t) for t in w.text().replace(",", " ").split()]))
        except ValueError as err:
            self.bridge.statusMessage.emit(error_text(err))
            return
        self._commit_attr(attr.name, value)

    def _commit_float_attr(self, attr: Attr, w: QLineEdit) -> None:
        try:
            value = attr.coerce(parse_number(w.text()))
        except (BadValue, ValueError) as err:
            self.bridge.statusMessage.emit(error_text(err))
            return
        self._commit_attr(attr.name, value)

    def _commit_attr(self, name: str, value: Any) -> None:
        if self._loading or self.node_id is None:
            return
        node = self.bridge.doc.node(self.node_id)
        if name in node.attrs and node.attrs[name] == value:
            return
        self.bridge.push(SetAttr(self.node_id, name, value))

    def _commit_label(self) -> None:
        if self.node_id is None:
            return
        text = self.label_edit.text().strip() or None
        if text != self.bridge.doc.node(self.node_id).label:
            self.bridge.push(SetLabel(self.node_id, text))

    def _commit_op(self, op: str) -> None:
        if self._loading or self.node_id is None or op == self.bridge.doc.node(self.node_id).op:
            return
        self.bridge.push(SetOp(self.node_id, op))

    # ----- leaf values
    def _value_editor(self) -> QWidget:
        box = QGroupBox(translate("Inspector", "Value"))
        v = QVBoxLayout(box)
        row = QHBoxLayout()
        self.kind_combo = QComboBox()
        for label, kind in VALUE_KINDS:
            self.kind_combo.addItem(translate("Inspector", label), kind)
        self.rows_spin = QSpinBox()
        self.rows_spin.setRange(1, MAX_GRID)
        self.cols_spin = QSpinBox()
        self.cols_spin.setRange(1, MAX_GRID)
        row.addWidget(self.kind_combo)
        row.addWidget(QLabel(translate("Inspector", "rows")))
        row.addWidget(self.rows_spin)
        row.addWidget(QLabel(translate("Inspector", "cols")))
        row.addWidget(self.cols_spin)
        v.addLayout(row)
        self.grid = QTableWidget()
        self.grid.horizontalHeader().setDefaultSectionSize(64)
        self._room_for_cells(self.grid, GRID_ROOM)
        v.addWidget(self.grid)
        self.value_text = QLineEdit()
        typed = translate("Inspector", "or type: 3, 1/2, 1 2, 1 2; 3 4, [[1, 2], [3, 4]]")
        self.value_text.setPlaceholderText(typed)
        v.addWidget(self.value_text)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._commit_shape())
        self.rows_spin.valueChanged.connect(lambda _v: self._commit_shape())
        self.cols_spin.valueChanged.connect(lambda _v: self._commit_shape())
        self.grid.itemChanged.connect(self._commit_cell)
        self.value_text.editingFinished.connect(self._commit_text)
        return box

    @staticmethod
    def _room_for_cells(grid: QTableWidget, cells: int) -> None:
        """At least `cells` × `cells` of the grid stay visible however small the panel gets (the panel
        scrolls instead)."""
        frame = 2 * grid.frameWidth()
        top, side = grid.horizontalHeader(), grid.verticalHeader()
        grid.setMinimumHeight(top.sizeHint().height() + cells * side.defaultSectionSize() + frame)
        grid.setMinimumWidth(side.sizeHint().width() + cells * top.defaultSectionSize() + frame)

    def _current_value(self) -> np.ndarray:
        value = self.bridge.doc.node(self.node_id).value if self.node_id else None
        return np.zeros(()) if value is None else value

    def _load_value(self) -> None:
        value = self._current_value()
        self._loading = True
        try:
            kind = {0: "scalar", 1: "vector"}.get(value.ndim, "matrix")
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
            rows = 1 if value.ndim < 2 else value.shape[0]
            cols = 1 if value.ndim == 0 else value.shape[-1]
            self.rows_spin.setValue(rows)
            self.cols_spin.setValue(cols)
            self.rows_spin.setEnabled(kind == "matrix")
            self.cols_spin.setEnabled(kind != "scalar")
            grid = value.reshape(rows, cols) if value.ndim <= 2 else value.reshape(value.shape[0], -1)
            self.grid.setRowCount(min(grid.shape[0], MAX_GRID))
            self.grid.setColumnCount(min(grid.shape[1], MAX_GRID))
            for i in range(self.grid.rowCount()):
                for j in range(self.grid.columnCount()):
                    self.grid.setItem(i, j, QTableWidgetItem(format_number(float(grid[i, j]), 12)))
            self.value_text.setText(format_value(value, 12) if value.size <= 64 else "")
        finally:
            self._loading = False

    def _commit_shape(self) -> None:
        if self._loading or self.node_id is None:
            return
        kind = self.kind_combo.currentData()
        old = self._current_value()
        if kind == "scalar":
            new = np.array(float(old.reshape(-1)[0]) if old.size else 0.0)
        else:
            rows = self.rows_spin.value() if kind == "matrix" else 1
            cols = self.cols_spin.value()
            src = old.reshape(old.shape[0], -1) if old.ndim >= 2 else old.reshape(1, -1)
            grid = np.zeros((rows, cols))
            r, c = min(rows, src.shape[0]), min(cols, src.shape[1])
            grid[:r, :c] = src[:r, :c]
            new = grid if kind == "matrix" else grid[0]
        if new.shape != old.shape:
            self.bridge.push(SetValue(self.node_id, new))
        self._load_value()

    def _commit_cell(self, item: QTableWidgetItem) -> None:
        if self._loading or self.node_id is None:
            return
        old = self._current_value()
        try:
            x = parse_number(item.text())
        except BadValue as err:
            self.bridge.statusMessage.emit(error_text(err))
            self._load_value()
            return
        new = old.copy()
        if new.ndim == 0:
            new = np.array(x)
        elif new.ndim == 1:
            new[item.column()] = x
        else:
            new.reshape(new.shape[0], -1)[item.row(), item.column()] = x
        if not np.array_equal(new, old):
            self.bridge.push(SetValue(self.node_id, new))

    def _commit_text(self) -> None:
        if self._loading or self.node_id is None:
            return
        try:
            new = parse_value(self.value_text.text())
        except BadValue as err:
            self.bridge.statusMessage.emit(error_text(err))
            return
        old = self._current_value()
        if new.shape != old.shape or not np.array_equal(new, old):
            self.bridge.push(SetValue(self.node_id, new))

    def _reload(self) -> None:
        if self.node_id is None or self.node_id not in self.bridge.doc:
            return
        node = self.bridge.doc.node(self.node_id)
        if not self.label_edit.hasFocus():
            self.label_edit.setText(node.label or "")
        op = self.bridge.registry.get(node.op)
        self._loading = True
        try:
            for attr in op.attrs if op else ():
                _show_attr(self.attr_widgets.get(attr.name), node.attrs.get(attr.name, attr.default))
        finally:
            self._loading = False
        if node.is_leaf:
            self._load_value()
        self._fill_results()

    # ----- results
    def _fill_results(self) -> None:
        results = getattr(self, "results", None)
        if results is None:
            return
        b = self.bridge
        if self.edge is not None:
            lines = self._edge_lines(self.edge)
        elif self.node_id is not None:
            lines = self._node_lines(self.node_id)
        else:
            lines = []
        if b.trace is None and b.error_message:
            why = translate("Inspector", "The graph does not run yet: {error}")
            lines.append("\n" + why.format(error=b.error_message))
        results.setPlainText("\n".join(lines))

    def _text(self, a: Any) -> str:
        if a is None:
            return translate("Inspector", "not computed")
        a = np.asarray(a)
        shape = "  " + translate("Inspector", "(shape {shape})").format(shape=a.shape) if a.ndim else ""
        return format_value(a, self.settings.digits) + shape

    def _hidden(self) -> Any:
        """The quiz session while it hides numbers, else None."""
        return self.quiz.session if self.quiz is not None and self.quiz.active else None

    def _shown(self, hidden: bool, a: Any) -> str:
        return translate("Inspector", HIDDEN) if hidden else self._text(a)

    def _edge_lines(self, edge: Edge) -> list[str]:
        b = self.bridge
        quiz = self._hidden()
        value = self._shown(quiz and quiz.hides_value(edge.source), b.edge_value(edge))
        grad = self._shown(quiz and quiz.hides_edge_grad(edge), b.edge_grad(edge))
        gradient = translate("Inspector", "gradient (backward, ∂L/∂{source} through this edge):")
        return [
            translate("Inspector", "value (forward):") + f"\n{value}",
            "\n" + gradient.format(source=node_name(b.doc, edge.source)) + f"\n{grad}",
        ]

    def _node_lines(self, node_id: str) -> list[str]:
        """The node's value and gradient, the parts of a gradient that several consumers send back,
        and the node's problems (what a quiz hides: hidden)."""
        b = self.bridge
        output = b.trace.output if b.trace else "L"
        quiz = self._hidden()
        value = self._shown(quiz and quiz.hides_value(node_id), b.node_value(node_id))
        grad = self._shown(quiz and quiz.hides_grad(node_id), b.node_grad(node_id))
        gradient = translate("Inspector", "gradient ∂{output}/∂{node}:").format(
            output=node_name(b.doc, output), node=node_name(b.doc, node_id)
        )
        lines = [translate("Inspector", "value:") + f"\n{value}", f"\n{gradient}\n{grad}"]
        lines += self._parts_lines(node_id, quiz)
        problems = [error_text(p) for p in b.problems if p.node == node_id]
        if problems:
            lines.append("\n" + translate("Inspector", "problems:") + "\n" + "\n".join(problems))
        return lines

    def _parts_lines(self, node_id: str, quiz: Any) -> list[str]:
        """The parts of a gradient that several consumers send back."""
        trace = self.bridge.trace
        try:
            parts = trace.contributions(node_id) if trace is not None else []
        except (KeyError, IndexError):
            parts = []
        if len(parts) < 2:
            return []
        via = translate("Inspector", "via {target}.{port}: {gradient}")
        lines = ["\n" + translate("Inspector", "its parts (one per consumer):")]
        for e, g in parts:
            shown = self._shown(quiz and quiz.hides_edge_grad(e), g)
            target = node_name(self.bridge.doc, e.target)
            lines.append("  " + via.format(target=target, port=e.port, gradient=shown))
        return lines


def _show_attr(w: QWidget | None, value: Any) -> None:
    """Show an attribute's value in its widget (a line edit being typed in is left alone)."""
    if isinstance(w, QLineEdit) and not w.hasFocus():
        w.setText(_shape_text(value) if isinstance(value, (list, tuple)) else format_number(float(value), 12))
    elif isinstance(w, QSpinBox):
        w.setValue(int(value))
    elif isinstance(w, QComboBox):
        w.setCurrentIndex(max(0, w.findData(value)))
    elif isinstance(w, QCheckBox):
        w.setChecked(bool(value))
