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

from engine.train.initialisers import KINDS
from engine.train.results import DATASET_MEAN, LAST_UPDATE, Progress, loss_figures

LOSS_TIP = (
    f"{LAST_UPDATE}: the loss of the batch (or observation) that the last update used, computed with "
    f"the parameters before that update.\n{DATASET_MEAN}: the loss of every observation with the current "
    "parameters, averaged (shown when the run pauses or ends).\nThe L in the status bar is the loss of "
    "the one observation that the canvas shows."
)

RUN_BUTTONS = (
    ("start", "▶ Start", "Train (or resume) in the background"),
    ("pause", "Pause", "Pause; Start resumes, Stop keeps the values"),
    ("step", "+1 update", "Do one update"),
    ("stop", "■ Stop", "Stop and write the trained values into the graph"),
)


class RunControls(QWidget):
    """The run buttons in a row, then the progress bar, the status line and the (red) error line."""

    def __init__(self, slots: dict[str, Callable[[], object]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, text, tip in RUN_BUTTONS:
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(slots[name])
            row.addWidget(b)
            self.buttons[name] = b
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setFormat("%p%")
        layout.addWidget(self.progress)
        self.status = QLabel("ready")
        self.status.setWordWrap(True)
        self.status.setToolTip(LOSS_TIP)
        layout.addWidget(self.status)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a02020")
        self.error.hide()
        layout.addWidget(self.error)

    def show_state(self, state: str, finishing: bool) -> None:
        """Enable what makes sense in `state` ("idle" | "running" | "paused"; finishing: Stop was pressed)."""
        running = state == "running"
        self.buttons["start"].setText("▶ Resume" if state == "paused" else "▶ Start")
        self.buttons["start"].setEnabled(not running and not finishing)
        self.buttons["pause"].setEnabled(running and not finishing)
        self.buttons["step"].setEnabled(not running and not finishing)
        self.buttons["stop"].setEnabled(state != "idle" and not finishing)

    def show_progress(self, p: Progress) -> None:
        """The progress bar and the status line for the latest report."""
        total = max(p.total_updates, 1)
        self.progress.setValue(int(1000 * min(p.update / total, 1.0)))
        loss = "" if p.loss is None else f" · {loss_figures(p.loss)}"
        rate = f" · {p.rate:,.0f} updates/s" if p.rate > 0 and not p.finished else ""
        self.status.setText(f"epoch {p.epoch}/{p.epochs} · update {p.update}/{total}{rate}{loss}")

    def show_summary(self, state: str, at: tuple[int, int, int, int], last: float | None,
                     mean: float | None) -> None:  # fmt: skip
        """Where a paused or ended run is: `state` ("paused", "stopped", …), `at` = (update, total updates,
        epoch, epochs), and both losses named; a pause and a stop at the same update read the same."""
        update, total, epoch, epochs = at
        figures = loss_figures(last, mean)
        where = f"{state} · epoch {epoch}/{epochs} · update {update}/{total}"
        self.status.setText(f"{where} · {figures}" if figures else where)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class CompareBox(QGroupBox):
    """Two initialisation kinds and the Compare button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Compare two initialisations", parent)
        self.compare_a = QComboBox()
        self.compare_b = QComboBox()
        for c in (self.compare_a, self.compare_b):
            c.addItems(list(KINDS))
        self.compare_a.setCurrentText("zeros")
        self.compare_b.setCurrentText("xavier_normal")
        self.run = QPushButton("Compare")
        self.run.setToolTip("Train the graph from each initialisation and overlay the two loss curves")
        row = QHBoxLayout(self)
        row.addWidget(self.compare_a)
        row.addWidget(QLabel("vs"))
        row.addWidget(self.compare_b)
        row.addWidget(self.run)

    def kinds(self) -> list[str]:
        return [self.compare_a.currentText(), self.compare_b.currentText()]
