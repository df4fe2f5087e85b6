"""The two ways training refuses or stops: bad settings or data, and a NaN or Inf during the run."""

from __future__ import annotations

from engine.compile.trace import NumericError
from graph.errors import GraphError


class TrainingError(GraphError):
    """Bad training settings or dataset; names the key (and the node, for a dataset column)."""

    def __init__(self, message: str, key: str | None = None, node: str | None = None) -> None:
        super().__init__(message, node=node)
        self.key = key


class TrainingNumericError(NumericError):
    """A NaN or Inf during training: the node where it first appeared, and the update."""

    def __init__(self, message: str, node: str | None, phase: str, update: int, epoch: int, row: int | None):
        super().__init__(message, node, phase)
        self.update = update
        self.epoch = epoch
        self.row = row
