"""File > Build Unrolled RNN…: a dialog asking for T and the sizes, which builds the graph with
:func:`graph.builders.unrolled_rnn` (weights shared across the time steps) and opens it as a new,
unsaved document. ``install_rnn_action(main_window)`` adds the menu entry.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QMenu,
    QVBoxLayout,
    QWidget,
)

import engine
from engine.train.initialisers import draw
from graph.builders import IDENTITY, LOSSES, MAX_SIZE, MAX_STEPS, RnnSpec, rnn_activations, unrolled_rnn
from graph.document import Document
from gui.i18n import QT_TRANSLATE_NOOP, error_text, translate
from gui.widgets import spin_box

ACTION_TEXT = QT_TRANSLATE_NOOP("RnnDialog", "Build Unrolled &RNN…")  # English: tests find the entry by it
BIG_GRAPH_NODES = 2000  # above this the summary warns that the canvas will be slow to draw


# The combos list op ids (what the builder and the file take); in English they show as they are, a
# translation gives each a readable name. An op not listed here shows its id in every language.
_ITEM_NAMES = (
    QT_TRANSLATE_NOOP("RnnDialog", "relu"),
    QT_TRANSLATE_NOOP("RnnDialog", "leaky_relu"),
    QT_TRANSLATE_NOOP("RnnDialog", "elu"),
    QT_TRANSLATE_NOOP("RnnDialog", "selu"),
    QT_TRANSLATE_NOOP("RnnDialog", "sigmoid"),
    QT_TRANSLATE_NOOP("RnnDialog", "tanh"),
    QT_TRANSLATE_NOOP("RnnDialog", "softplus"),
    QT_TRANSLATE_NOOP("RnnDialog", "mish"),
    QT_TRANSLATE_NOOP("RnnDialog", "gelu"),
    QT_TRANSLATE_NOOP("RnnDialog", "identity"),
    QT_TRANSLATE_NOOP("RnnDialog", "mse"),
    QT_TRANSLATE_NOOP("RnnDialog", "bce"),
)


def _combo(items: tuple[str, ...], current: str) -> QComboBox:
    """A combo of op ids: each shown by its name in the window's language, the id as its data."""
    box = QComboBox()
    for item in items:
        box.addItem(translate("RnnDialog", item), item)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


class RnnDialog(QDialog):
    """Asks for the unrolled RNN's shape; :meth:`document` builds it (after the dialog is accepted)."""

    def __init__(self, parent: QWidget | None = None, registry: Any = None) -> None:
        super().__init__(parent)
        self.registry = registry if registry is not None else engine.REGISTRY
        self.setWindowTitle(translate("RnnDialog", "Build Unrolled RNN"))
        intro = QLabel(translate(
            "RnnDialog",
            "h_t = f(h_{t−1}·W + x_t·V), ŷ_t = g(h_t·U), L = Σ_t loss(ŷ_t, y_t).\n"
            "W, V and U are one node each, shared by every time step: each weight's gradient\n"
            "is the sum of the contributions of all steps (backprop through time).",
        ))
        tips = (
            translate("RnnDialog", "T: the number of time steps the network is unrolled over"),
            translate("RnnDialog", "the size of each input x_t"),
            translate("RnnDialog", "the size of the hidden state h_t"),
            translate("RnnDialog", "the size of each output ŷ_t and target y_t"),
        )
        self.steps = spin_box(1, MAX_STEPS, 10, tips[0])
        self.input_size = spin_box(1, MAX_SIZE, 1, tips[1])
        self.hidden_size = spin_box(1, MAX_SIZE, 4, tips[2])
        self.output_size = spin_box(1, MAX_SIZE, 1, tips[3])
        activations = rnn_activations(self.registry)
        self.activation = _combo(activations, "tanh")
        self.output_activation = _combo(activations, IDENTITY)
        self.loss = _combo(LOSSES, "mse")
        self.bias = QCheckBox(translate("RnnDialog", "biases b (hidden) and c (output)"))
        self.constant = QCheckBox(translate("RnnDialog", "all weights start at one constant"))
        self.weight_value = QDoubleSpinBox()
        self.weight_value.setRange(-100.0, 100.0)
        self.weight_value.setDecimals(4)
        self.weight_value.setSingleStep(0.1)
        self.weight_value.setValue(0.5)
        seed_tip = translate("RnnDialog", "the seed of W's Xavier init; V and U take seed + 1 and + 2")
        self.seed = spin_box(0, 2**31 - 1, 0, seed_tip)
        self.lr = QDoubleSpinBox()
        self.lr.setRange(1e-6, 100.0)
        self.lr.setDecimals(6)
        self.lr.setValue(0.1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(buttons.Ok | buttons.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self._form())
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        for box in (self.steps, self.input_size, self.hidden_size, self.output_size, self.seed):
            box.valueChanged.connect(self._update)
        for combo in (self.activation, self.output_activation, self.loss):
            combo.currentTextChanged.connect(self._update)
        self.bias.toggled.connect(self._update)
        self.constant.toggled.connect(self._update)
        self._update()

    def _form(self) -> QFormLayout:
        """The fields, each with its label."""
        form = QFormLayout()
        rows = (
            (translate("RnnDialog", "Time steps T"), self.steps),
            (translate("RnnDialog", "Input size"), self.input_size),
            (translate("RnnDialog", "Hidden size"), self.hidden_size),
            (translate("RnnDialog", "Output size"), self.output_size),
            (translate("RnnDialog", "Hidden activation f"), self.activation),
            (translate("RnnDialog", "Output activation g"), self.output_activation),
            (translate("RnnDialog", "Loss per step"), self.loss), ("", self.bias), ("", self.constant),
            (translate("RnnDialog", "Constant weight"), self.weight_value),
            (translate("RnnDialog", "Xavier seed"), self.seed),
            (translate("RnnDialog", "Learning rate"), self.lr),
        )  # fmt: skip
        for label, widget in rows:
            form.addRow(label, widget)
        return form

    def options(self) -> dict[str, Any]:
        """The arguments for unrolled_rnn, as the widgets say."""
        return {
            "T": self.steps.value(),
            "input_size": self.input_size.value(),
            "hidden_size": self.hidden_size.value(),
            "output_size": self.output_size.value(),
            "activation": self.activation.currentData(),
            "output_activation": self.output_activation.currentData(),
            "bias": self.bias.isChecked(),
            "loss": self.loss.currentData(),
            "weight_value": self.weight_value.value() if self.constant.isChecked() else None,
            "seed": self.seed.value(),
            "lr": self.lr.value(),
        }

    def problem(self) -> str | None:
        """Why the current choice cannot be built (None when it can)."""
        if self.loss.currentData() == "bce" and self.output_activation.currentData() != "sigmoid":
            return translate(
                "RnnDialog",
                'The "{loss}" loss needs probabilities: choose the output activation "{activation}".',
            ).format(loss=translate("RnnDialog", "bce"), activation=translate("RnnDialog", "sigmoid"))
        return None

    def _update(self) -> None:
        self.weight_value.setEnabled(self.constant.isChecked())
        self.seed.setEnabled(not self.constant.isChecked())
        problem = self.problem()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(problem is None)
        if problem:
            self.summary.setText(problem)
            return
        T = self.steps.value()
        per_step = 8 + (2 if self.bias.isChecked() else 0)
        per_step += self.activation.currentData() != IDENTITY
        per_step += self.output_activation.currentData() != IDENTITY
        nodes = T * per_step + 4
        text = translate("RnnDialog", "About {nodes} nodes.").format(nodes=nodes)
        if nodes > BIG_GRAPH_NODES:
            text += translate(
                "RnnDialog",
                " A graph this large is slow to draw and to step through; the command line is quicker.",
            )
        self.summary.setText(text)

    def document(self) -> Document:
        """Build the graph (raises ValueError for a combination the builder refuses)."""
        return unrolled_rnn(RnnSpec(**self.options()), self.registry, draw)


def _file_menu(main_window: Any) -> QMenu | None:
    return main_window.menuBar().findChild(QMenu, "file_menu")  # by name: its title is translated


def open_rnn_dialog(main_window: Any) -> bool:
    """Ask for the RNN, then load it into the window as a new, unsaved graph. True when loaded."""
    if hasattr(main_window, "maybe_save") and not main_window.maybe_save():
        return False
    dialog = RnnDialog(main_window, main_window.bridge.registry)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return load_rnn(main_window, dialog)


def load_rnn(main_window: Any, dialog: RnnDialog) -> bool:
    """Build the dialog's RNN and make it the window's document (no file path, so Save asks for one)."""
    try:
        doc = dialog.document()
    except ValueError as err:
        main_window.show_error(translate("RnnDialog", "Cannot build the RNN"), error_text(err))
        return False
    opts = dialog.options()
    main_window.bridge.set_document(doc, None)
    main_window.display_name = translate("RnnDialog", "unrolled RNN, T = {T} (new)").format(T=opts["T"])
    main_window.update_title()
    view = getattr(main_window, "view", None)
    if view is not None and hasattr(view, "request_fit"):
        view.request_fit()
    built = translate("RnnDialog", "built an RNN unrolled over {T} steps").format(T=opts["T"])
    main_window.statusBar().showMessage(built, 4000)
    return True


def install_rnn_action(main_window: Any) -> QAction:
    """Add "Build Unrolled RNN…" to the File menu (after Examples), opening the dialog."""
    action = QAction(translate("RnnDialog", ACTION_TEXT), main_window)
    action.setObjectName("build_rnn")
    action.setStatusTip(translate(
        "RnnDialog", "Build a recurrent network unrolled over T time steps, weights shared across steps"
    ))
    action.triggered.connect(lambda _checked=False: open_rnn_dialog(main_window))
    menu = _file_menu(main_window)
    if menu is None:
        menu = main_window.menuBar().addMenu(translate("RnnDialog", "&File"))
    examples = getattr(main_window, "examples_menu", None)
    actions = menu.actions()
    anchor = None
    if examples is not None:
        for i, item in enumerate(actions):
            if item.menu() is examples and i + 1 < len(actions):
                anchor = actions[i + 1]
                break
    if anchor is not None:
        menu.insertAction(anchor, action)
    else:
        menu.addAction(action)
    return action
