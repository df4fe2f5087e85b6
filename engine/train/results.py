"""What a run reports: :class:`Progress` while it runs, :class:`TrainResult` at the end.

Two different losses are reported, and each is named wherever it is shown (:func:`loss_figures`): the
loss of the last update (the batch that update used, with the parameters before it) and the mean loss
over the dataset (every observation, with the current parameters).

A TrainResult travels as plain JSON data: ``main.py train --json`` prints :meth:`TrainResult.to_json`,
and the window's training process sends it the same way (:meth:`TrainResult.from_json` rebuilds it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.compile.trace import Trace
from engine.i18n import _
from engine.train.errors import TrainingNumericError
from engine.train.settings import TrainSettings, settings_from
from graph.document import Document
from graph.edits import Macro, SetValue
from graph.values import format_number

LAST_UPDATE = "loss of the last update"
DATASET_MEAN = "mean loss over the dataset"


def loss_figures(last_update: float | None, dataset_mean: float | None = None, digits: int = 6) -> str:
    """The losses that are known, each with its name: "loss of the last update 0.00103 · mean loss over
    the dataset 0.00803" (the window's status line and the CLI say the same)."""
    parts = []
    if last_update is not None:
        parts.append(f"{_(LAST_UPDATE)} {format_number(last_update, digits)}")
    if dataset_mean is not None:
        parts.append(f"{_(DATASET_MEAN)} {format_number(dataset_mean, digits)}")
    return " · ".join(parts)


@dataclass
class Progress:
    """What arrived since the previous report (the lists hold only the new items)."""

    update: int  # updates done so far
    total_updates: int
    epoch: int  # epochs completed
    epochs: int
    loss: float | None  # the last update's loss
    history: list[float]
    epoch_losses: list[float]
    # one row per new update, a column per parameter in Trainer.parameter_ids order: an (updates,
    # parameters) float64 array (no Python object per update: a report can carry ~40,000 of them)
    grad_norms: np.ndarray
    elapsed: float
    rate: float  # updates per second since the previous report
    parameters: dict[str, np.ndarray]  # copies
    trace: Trace | None = None  # the current values on the last update's first row (for the canvas)
    watched: dict[str, np.ndarray] | None = None  # watched nodes over the dataset's rows
    finished: bool = False
    test_losses: list[float] = field(default_factory=list)  # per new epoch, over the held-out rows


@dataclass
class TrainResult:
    history: list[float]
    epoch_losses: list[float]
    parameters: dict[str, np.ndarray]
    final_loss: float | None  # the mean loss over the dataset with the final parameters
    updates: int
    epochs: int  # epochs completed
    status: str  # "finished" | "converged" (stop_below) | "stopped" | "failed"
    settings: TrainSettings
    error: TrainingNumericError | None = None
    grad_norms: dict[str, list[float]] | None = None
    updates_per_epoch: int = 1
    test_losses: list[float] = field(default_factory=list)  # after each epoch, over the held-out rows

    @property
    def last_loss(self) -> float | None:
        """The loss of the last update (None before the first)."""
        return self.history[-1] if self.history else None

    def loss_csv(self) -> str:
        """update,epoch,loss: one line per update (numbered from 1), for --log and the plot export."""
        per = max(self.updates_per_epoch, 1)
        lines = ["update,epoch,loss"]
        lines += [f"{i + 1},{i // per + 1},{loss!r}" for i, loss in enumerate(self.history)]
        return "\n".join(lines) + "\n"

    def edit(self, doc: Document) -> Macro:
        """One undoable edit that writes the trained values into `doc` (apply it, or push it)."""
        return parameter_edit(doc, self.parameters)

    def to_json(self) -> dict[str, Any]:
        """Plain data (lists, numbers, strings): everything :meth:`from_json` needs to rebuild it."""
        data: dict[str, Any] = {
            "history": list(self.history),
            "parameters": {k: _plain(v) for k, v in self.parameters.items()},
            "final_loss": self.final_loss,
            "epoch_losses": list(self.epoch_losses),
            "updates": self.updates,
            "epochs": self.epochs,
            "status": self.status,
            "updates_per_epoch": self.updates_per_epoch,
            "settings": self.settings.to_json(),
        }
        if self.error is not None:
            data["error"] = {
                "message": str(self.error),
                "node": self.error.node,
                "update": self.error.update,
                "phase": self.error.phase,
                "epoch": self.error.epoch,
                "row": self.error.row,
            }
        if self.test_losses:
            data["test_losses"] = list(self.test_losses)
        if self.grad_norms is not None:
            data["grad_norms"] = {k: list(v) for k, v in self.grad_norms.items()}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrainResult:
        """The result that :meth:`to_json` described (the same numbers, error message, node and update)."""
        e = data.get("error")
        error = (
            None
            if e is None
            else TrainingNumericError(e["message"], e["node"], e["phase"], e["update"], e["epoch"], e["row"])
        )
        norms = data.get("grad_norms")
        return cls(
            history=list(data["history"]),
            epoch_losses=list(data["epoch_losses"]),
            parameters={k: np.array(v, dtype=np.float64) for k, v in data["parameters"].items()},
            final_loss=data["final_loss"],
            updates=data["updates"],
            epochs=data["epochs"],
            status=data["status"],
            settings=settings_from(data["settings"]),
            error=error,
            grad_norms=None if norms is None else {k: list(v) for k, v in norms.items()},
            updates_per_epoch=data["updates_per_epoch"],
            test_losses=list(data.get("test_losses", [])),
        )


def _plain(arr: np.ndarray) -> Any:
    arr = np.asarray(arr)
    return arr.item() if arr.ndim == 0 else arr.tolist()


def parameter_edit(doc: Document, parameters: dict[str, np.ndarray], text: str = "Train") -> Macro:
    """A Macro of SetValue edits for the parameters whose value differs from the document's."""
    edits = [
        SetValue(node_id, np.array(value, dtype=np.float64))
        for node_id, value in parameters.items()
        if node_id in doc
        and (doc.node(node_id).value is None or not np.array_equal(doc.node(node_id).value, value))
    ]
    return Macro(text, edits)
