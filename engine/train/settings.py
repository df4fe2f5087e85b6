"""Training settings: the document's ``training`` object, checked one field at a time.

Every field has one rule (a test and the text of its error); :func:`settings_from` applies the rules
in the order of ``KNOWN_KEYS``, so the first bad key is the one reported, and converts the values
(numbers to float or int, lists to tuples).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from engine.train.errors import TrainingError
from engine.train.optimisers import OPTIMISERS
from engine.train.order import ORDERS

MODES = ("sample", "minibatch", "batch")
# The ranges of the training panel's fields: a file may not hold what the window cannot show, and a
# run of 10¹² epochs is not started by accident (the command line allows more with --allow-long).
MAX_EPOCHS = 100_000_000
MAX_BATCH_SIZE = 1_000_000
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class TrainSettings:
    """Validated training settings. `order` is a name or a tuple of 0-based row indices."""

    loss: str | None = None
    optimizer: str = "sgd"
    lr: float = 0.1
    momentum: float = 0.0
    nesterov: bool = False
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    mode: str = "sample"
    order: str | tuple[int, ...] = "sequential"
    batch_size: int = 1
    epochs: int = 1
    seed: int = 0
    stop_below: float | None = None
    test_fraction: float = 0.0  # the share of the dataset's rows held out of training (the test set)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "optimizer": self.optimizer,
            "lr": self.lr,
            "momentum": self.momentum,
            "nesterov": self.nesterov,
            "mode": self.mode,
            "order": list(self.order) if isinstance(self.order, tuple) else self.order,
            "batch_size": self.batch_size,
            "epochs": self.epochs,
            "seed": self.seed,
        }
        if self.loss is not None:
            data = {"loss": self.loss, **data}
        if self.optimizer == "adam":
            data["betas"] = list(self.betas)
            data["eps"] = self.eps
        if self.stop_below is not None:
            data["stop_below"] = self.stop_below
        if self.test_fraction:
            data["test_fraction"] = self.test_fraction
        return data


KNOWN_KEYS = tuple(f.name for f in fields(TrainSettings))


def _is_int(v: Any) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)


def _is_num(v: Any) -> bool:
    return (
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and math.isfinite(v)
    )


def _is_order(v: Any) -> bool:
    if isinstance(v, str):
        return v in ORDERS
    return isinstance(v, (list, tuple)) and bool(v) and all(_is_int(i) and i >= 0 for i in v)


def _order_rule(v: Any) -> str:
    if isinstance(v, str):
        return "must be sequential, reverse, shuffle or a list of row indices"
    return "must be sequential, reverse, shuffle or a non-empty list of row indices ≥ 0"


def _as_order(v: str | list[int] | tuple[int, ...]) -> str | tuple[int, ...]:
    return v if isinstance(v, str) else tuple(int(i) for i in v)


def _optional_float(v: Any) -> float | None:
    return None if v is None else float(v)


@dataclass(frozen=True)
class _Rule:
    """One field: the test its value must pass, the error text (or a function of the value giving it),
    and the conversion of a good value."""

    test: Callable[[Any], bool]
    text: str | Callable[[Any], str]
    convert: Callable[[Any], Any] = lambda v: v


_RULES: dict[str, _Rule] = {
    "loss": _Rule(lambda v: v is None or isinstance(v, str), "must be a node id"),
    "optimizer": _Rule(
        lambda v: isinstance(v, str) and v in OPTIMISERS, f"must be one of {', '.join(OPTIMISERS)}"
    ),
    "lr": _Rule(lambda v: _is_num(v) and v > 0, "must be a number > 0", float),
    "momentum": _Rule(lambda v: _is_num(v) and 0 <= v < 1, "must be a number in [0, 1)", float),
    "nesterov": _Rule(lambda v: isinstance(v, bool), "must be true or false"),
    "betas": _Rule(
        lambda v: isinstance(v, (list, tuple)) and len(v) == 2 and all(_is_num(b) and 0 <= b < 1 for b in v),
        "must be two numbers in [0, 1)",
        lambda v: (float(v[0]), float(v[1])),
    ),
    "eps": _Rule(lambda v: _is_num(v) and v > 0, "must be a number > 0", float),
    "mode": _Rule(lambda v: isinstance(v, str) and v in MODES, f"must be one of {', '.join(MODES)}"),
    "order": _Rule(_is_order, _order_rule, _as_order),
    "batch_size": _Rule(
        lambda v: _is_int(v) and 1 <= v <= MAX_BATCH_SIZE,
        f"must be a whole number from 1 to {MAX_BATCH_SIZE:,}",
        int,
    ),
    "epochs": _Rule(lambda v: _is_int(v) and v >= 0, "must be a whole number ≥ 0", int),
    "seed": _Rule(
        lambda v: _is_int(v) and 0 <= v <= MAX_SEED, f"must be a whole number from 0 to {MAX_SEED:,}", int
    ),
    "stop_below": _Rule(lambda v: v is None or _is_num(v), "must be a number or null", _optional_float),
    "test_fraction": _Rule(lambda v: _is_num(v) and 0 <= v < 1, "must be a number in [0, 1)", float),
}


def _bad(key: str, text: str, value: Any) -> TrainingError:
    return TrainingError(f"training {key!r} {text}, got {value!r}", key)


def _checked(key: str, value: Any) -> Any:
    rule = _RULES[key]
    if not rule.test(value):
        raise _bad(key, rule.text(value) if callable(rule.text) else rule.text, value)
    return rule.convert(value)


def settings_from(
    training: dict[str, Any] | None, *, max_epochs: int | None = MAX_EPOCHS, **overrides: Any
) -> TrainSettings:
    """Check the training object (with overrides applied; None overrides are ignored). `max_epochs`
    None lifts the bound on epochs (a long run confirmed on the command line)."""
    raw = dict(training or {})
    raw.update({k: v for k, v in overrides.items() if v is not None})
    defaults = TrainSettings()
    checked = {key: _checked(key, raw.get(key, getattr(defaults, key))) for key in KNOWN_KEYS}
    if checked["nesterov"] and checked["momentum"] == 0 and checked["optimizer"] == "sgd":
        raise _bad("nesterov", "needs a momentum > 0", checked["nesterov"])
    if max_epochs is not None and checked["epochs"] > max_epochs:
        raise _bad("epochs", f"must be at most {max_epochs:,}", checked["epochs"])
    return TrainSettings(**checked)


def unknown_keys(training: dict[str, Any] | None) -> list[str]:
    """Keys of the training object that training does not read (kept in the file, but maybe a typo)."""
    return sorted(k for k in (training or {}) if k not in KNOWN_KEYS)
