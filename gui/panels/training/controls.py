"""The run controls (Start / Pause / +1 update / Stop, the progress bar, the status line and the error
line) and the comparison box. They only show and ask: the panel connects the buttons and says what the
state is."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.i18n import _
from engine.train.initialisers import KINDS
from engine.train.results import DATASET_MEAN, LAST_UPDATE, Progress, loss_figures
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.panels.training.init_table import kind_name

RUN_BUTTONS = (
    ("start", QT_TRANSLATE_NOOP("RunControls", "▶ Start"),
     QT_TRANSLATE_NOOP("RunControls", "Train (or resume) in the background")),
    ("pause", QT_TRANSLATE_NOOP("RunControls", "Pause"),
     QT_TRANSLATE_NOOP("RunControls", "Pause; Start resumes, Stop keeps the values")),
    ("step", QT_TRANSLATE_NOOP("RunControls", "+1 update"),
     QT_TRANSLATE_NOOP("RunControls", "Do one update")),
    ("stop", QT_TRANSLATE_NOOP("RunControls", "■ Stop"),
     QT_TRANSLATE_NOOP("RunControls", "Stop and write the trained values into the graph")),
)  # fmt: skip
# What a paused or ended run is (the engine's TrainResult.status, and "paused"), as the status line says it.
STATES = {
    "paused": QT_TRANSLATE_NOOP("RunControls", "paused"),
    "finished": QT_TRANSLATE_NOOP("RunControls", "finished"),
    "converged": QT_TRANSLATE_NOOP("RunControls", "converged"),
    "stopped": QT_TRANSLATE_NOOP("RunControls", "stopped"),
    "failed": QT_TRANSLATE_NOOP("RunControls", "failed"),
}


def loss_tip() -> str:
    """What the two losses of the status line are (their names in the engine's words, as it writes them)."""
    return translate(
        "RunControls",
        "{last}: the loss of the batch (or observation) that the last update used, computed with "
        "the parameters before that update.\n{mean}: the loss of every observation with the current "
        "parameters, averaged (shown when the run pauses or ends).\nThe L in the status bar is the loss of "
        "the one observation that the canvas shows.",
    ).format(last=_(LAST_UPDATE), mean=_(DATASET_MEAN))


def english_plural(text: str, n: int) -> str:
    """A counted message in English too: without a catalogue Qt only puts the number in for %n, and
    "(s)" becomes the English plural here (a translation has its own forms and no "(s)")."""
    return text.replace("(s)", "" if n == 1 else "s")


def ready_text() -> str:
    """The status line before any run."""
    return translate("RunControls", "ready")


class RunControls(QWidget):
    """The run buttons in a row, then the progress bar, the status line and the (red) error line."""

    def __init__(self, slots: dict[str, Callable[[], object]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, text, tip in RUN_BUTTONS:
            b = QPushButton(translate("RunControls", text))
            b.setToolTip(translate("RunControls", tip))
            b.clicked.connect(slots[name])
            row.addWidget(b)
            self.buttons[name] = b
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setFormat("%p%")
        layout.addWidget(self.progress)
        self.status = QLabel(ready_text())
        self.status.setWordWrap(True)
        self.status.setToolTip(loss_tip())
        layout.addWidget(self.status)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a02020")
        self.error.hide()
        layout.addWidget(self.error)

    def show_state(self, state: str, finishing: bool) -> None:
        """Enable what makes sense in `state` ("idle" | "running" | "paused"; finishing: Stop was pressed)."""
        running = state == "running"
        resume = state == "paused"
        self.buttons["start"].setText(
            translate("RunControls", "▶ Resume") if resume else translate("RunControls", "▶ Start")
        )
        self.buttons["start"].setEnabled(not running and not finishing)
        self.buttons["pause"].setEnabled(running and not finishing)
        self.buttons["step"].setEnabled(not running and not finishing)
        self.buttons["stop"].setEnabled(state != "idle" and not finishing)

    def show_progress(self, p: Progress) -> None:
        """The progress bar and the status line for the latest report."""
        total = max(p.total_updates, 1)
        self.progress.setValue(int(1000 * min(p.update / total, 1.0)))
        loss = "" if p.loss is None else f" · {loss_figures(p.loss)}"
        rate = ""
        if p.rate > 0 and not p.finished:
            # the thousands separator is the language's: "12,345" reads as a decimal in Russian
            figure = f"{p.rate:,.0f}".replace(",", translate("RunControls", ",", "thousands separator"))
            rate = " · " + translate("RunControls", "{rate} updates/s").format(rate=figure)
        where = translate("RunControls", "epoch {epoch}/{epochs} · update {update}/{total}").format(
            epoch=p.epoch, epochs=p.epochs, update=p.update, total=total
        )
        self.status.setText(f"{where}{rate}{loss}")

    def show_summary(self, state: str, at: tuple[int, int, int, int], last: float | None,
                     mean: float | None) -> None:  # fmt: skip
        """Where a paused or ended run is: `state` ("paused", "stopped", …), `at` = (update, total updates,
        epoch, epochs), and both losses named; a pause and a stop at the same update read the same."""
        update, total, epoch, epochs = at
        figures = loss_figures(last, mean)
        where = translate("RunControls", "{state} · epoch {epoch}/{epochs} · update {update}/{total}").format(
            state=translate("RunControls", STATES.get(state, state)),
            epoch=epoch, epochs=epochs, update=update, total=total,
        )  # fmt: skip
        self.status.setText(f"{where} · {figures}" if figures else where)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class CompareBox(QGroupBox):
    """Two initialisation kinds and the Compare button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(translate("CompareBox", "Compare two initialisations"), parent)
        self.compare_a = QComboBox()
        self.compare_b = QComboBox()
        for c in (self.compare_a, self.compare_b):
            for kind in KINDS:  # the kind's id is the item's data, its name the text
                c.addItem(kind_name(kind), kind)
        self.compare_a.setCurrentIndex(self.compare_a.findData("zeros"))
        self.compare_b.setCurrentIndex(self.compare_b.findData("xavier_normal"))
        self.run = QPushButton(translate("CompareBox", "Compare"))
        self.run.setToolTip(translate(
            "CompareBox", "Train the graph from each initialisation and overlay the two loss curves"
        ))  # fmt: skip
        row = QHBoxLayout(self)
        row.addWidget(self.compare_a)
        row.addWidget(QLabel(translate("CompareBox", "vs")))
        row.addWidget(self.compare_b)
        row.addWidget(self.run)

    def kinds(self) -> list[str]:
        """The two kinds' ids (as the file and the engine name them)."""
        return [self.compare_a.currentData(), self.compare_b.currentData()]

    def names(self) -> list[str]:
        """The two kinds as the combo boxes show them (the loss plot's legend)."""
        return [self.compare_a.currentText(), self.compare_b.currentText()]
