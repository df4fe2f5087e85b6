"""Training: settings, the dataset feed, the update loop, results, and what the plots need.

One update is: feed the rows of a batch into the input slots, run the plan's generated train pass
(``plan.train_function``) for each row, average the per-sample gradients, let the optimiser change the
parameter arrays in place. The loop works on its own copies of the parameter values: it never changes
the document (the caller writes ``result.parameters`` back: the CLI into a copy it saves, the window as
one undoable edit).

Settings come from the document's ``training`` object (see :func:`settings_from`); ``history`` holds
the loss of every update from that update's own forward pass (for a batch, the mean); ``final_loss``
is the mean loss over the whole dataset with the final parameters.

The loop checks the loss and the squared norm of the (flat) gradient, one dot product, which the
gradient-norm plot reuses. Only when one is not finite does it re-run that update node by node to
name the node where the NaN or Inf first appeared; the parameters stay at their last good values.

A :class:`Trainer` keeps its state between calls, so a window can run it in a worker thread, stop it
(``stop`` flag), step it one update at a time and resume. ``progress`` is called at most ~30 times a
second with a :class:`Progress` carrying what arrived since the last call.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.compile.plan import Plan, compile_plan
from engine.compile.trace import NumericError, Trace
from engine.ops.registry import REGISTRY, Registry
from engine.train.initialisers import initial_values
from engine.train.optimisers import OPTIMISERS, make_optimiser
from graph.document import Document
from graph.edits import Macro, SetValue
from graph.errors import GraphError

MODES = ("sample", "minibatch", "batch")
ORDERS = ("sequential", "reverse", "shuffle")
REPORT_INTERVAL = 1.0 / 30.0
WATCH_ROWS = 256  # rows evaluated for the activation plot at each report
NORM_BUFFER_ROWS = 256  # updates whose gradients wait for their norms to be computed together
NORM_BUFFER_FLOATS = 1 << 20  # at most this many floats in that buffer


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


# ------------------------------------------------------------------------------------------ settings
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
        return data


KNOWN_KEYS = (
    "loss",
    "optimizer",
    "lr",
    "momentum",
    "nesterov",
    "betas",
    "eps",
    "mode",
    "order",
    "batch_size",
    "epochs",
    "seed",
    "stop_below",
)


def _is_int(v: Any) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)


def _is_num(v: Any) -> bool:
    return (
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and math.isfinite(v)
    )


def _bad(key: str, text: str, value: Any) -> TrainingError:
    return TrainingError(f"training {key!r} {text}, got {value!r}", key)


def parse_order(text: str) -> str | list[int]:
    """A command-line or typed order: a name, or 0-based indices separated by commas or spaces."""
    text = text.strip()
    if text in ORDERS:
        return text
    parts = [p for p in text.replace(",", " ").split() if p]
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise _bad("order", "must be sequential, reverse, shuffle or a list of row indices", text) from None


def settings_from(training: dict[str, Any] | None, **overrides: Any) -> TrainSettings:
    """Check the training object (with overrides applied; None overrides are ignored)."""
    raw = dict(training or {})
    raw.update({k: v for k, v in overrides.items() if v is not None})
    d = TrainSettings()
    loss = raw.get("loss")
    if loss is not None and not isinstance(loss, str):
        raise _bad("loss", "must be a node id", loss)
    optimizer = raw.get("optimizer", d.optimizer)
    if optimizer not in OPTIMISERS:
        raise _bad("optimizer", f"must be one of {', '.join(OPTIMISERS)}", optimizer)
    lr = raw.get("lr", d.lr)
    if not _is_num(lr) or lr <= 0:
        raise _bad("lr", "must be a number > 0", lr)
    momentum = raw.get("momentum", d.momentum)
    if not _is_num(momentum) or not 0 <= momentum < 1:
        raise _bad("momentum", "must be a number in [0, 1)", momentum)
    nesterov = raw.get("nesterov", d.nesterov)
    if not isinstance(nesterov, bool):
        raise _bad("nesterov", "must be true or false", nesterov)
    if nesterov and momentum == 0 and optimizer == "sgd":
        raise _bad("nesterov", "needs a momentum > 0", nesterov)
    betas = raw.get("betas", list(d.betas))
    if (
        not isinstance(betas, (list, tuple))
        or len(betas) != 2
        or not all(_is_num(b) and 0 <= b < 1 for b in betas)
    ):
        raise _bad("betas", "must be two numbers in [0, 1)", betas)
    eps = raw.get("eps", d.eps)
    if not _is_num(eps) or eps <= 0:
        raise _bad("eps", "must be a number > 0", eps)
    mode = raw.get("mode", d.mode)
    if mode not in MODES:
        raise _bad("mode", f"must be one of {', '.join(MODES)}", mode)
    order = raw.get("order", d.order)
    if isinstance(order, str):
        if order not in ORDERS:
            raise _bad("order", "must be sequential, reverse, shuffle or a list of row indices", order)
    elif isinstance(order, (list, tuple)) and order and all(_is_int(i) and i >= 0 for i in order):
        order = tuple(int(i) for i in order)
    else:
        raise _bad(
            "order", "must be sequential, reverse, shuffle or a non-empty list of row indices ≥ 0", order
        )
    batch_size = raw.get("batch_size", d.batch_size)
    if not _is_int(batch_size) or batch_size < 1:
        raise _bad("batch_size", "must be a whole number ≥ 1", batch_size)
    epochs = raw.get("epochs", d.epochs)
    if not _is_int(epochs) or epochs < 0:
        raise _bad("epochs", "must be a whole number ≥ 0", epochs)
    seed = raw.get("seed", d.seed)
    if not _is_int(seed) or seed < 0:
        raise _bad("seed", "must be a whole number ≥ 0", seed)
    stop_below = raw.get("stop_below")
    if stop_below is not None and not _is_num(stop_below):
        raise _bad("stop_below", "must be a number or null", stop_below)
    return TrainSettings(
        loss=loss,
        optimizer=optimizer,
        lr=float(lr),
        momentum=float(momentum),
        nesterov=nesterov,
        betas=(float(betas[0]), float(betas[1])),
        eps=float(eps),
        mode=mode,
        order=order,
        batch_size=int(batch_size),
        epochs=int(epochs),
        seed=int(seed),
        stop_below=None if stop_below is None else float(stop_below),
    )


def unknown_keys(training: dict[str, Any] | None) -> list[str]:
    """Keys of the training object that training does not read (kept in the file, but maybe a typo)."""
    return sorted(k for k in (training or {}) if k not in KNOWN_KEYS)


# -------------------------------------------------------------------------------------- results
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
    grad_norms: list[tuple[float, ...]]  # one tuple per new update, in Trainer.parameter_ids order
    elapsed: float
    rate: float  # updates per second since the previous report
    parameters: dict[str, np.ndarray]  # copies
    trace: Trace | None = None  # the current values on the last update's first row (for the canvas)
    watched: dict[str, np.ndarray] | None = None  # watched nodes over the dataset's rows
    finished: bool = False


@dataclass
class TrainResult:
    history: list[float]
    epoch_losses: list[float]
    parameters: dict[str, np.ndarray]
    final_loss: float | None
    updates: int
    epochs: int  # epochs completed
    status: str  # "finished" | "converged" (stop_below) | "stopped" | "failed"
    settings: TrainSettings
    error: TrainingNumericError | None = None
    grad_norms: dict[str, list[float]] | None = None
    updates_per_epoch: int = 1

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
        data: dict[str, Any] = {
            "history": list(self.history),
            "parameters": {k: _plain(v) for k, v in self.parameters.items()},
            "final_loss": self.final_loss,
            "epoch_losses": list(self.epoch_losses),
            "updates": self.updates,
            "epochs": self.epochs,
            "status": self.status,
        }
        if self.error is not None:
            data["error"] = {
                "message": str(self.error),
                "node": self.error.node,
                "update": self.error.update,
                "phase": self.error.phase,
            }
        return data


def _plain(arr: np.ndarray) -> Any:
    arr = np.asarray(arr)
    return arr.item() if arr.ndim == 0 else arr.tolist()


@dataclass
class _Feed:
    slot: int
    node: str
    rows: list[np.ndarray]


# ------------------------------------------------------------------------------------------ trainer
@dataclass
class Trainer:
    """The state of one training run: plan, values, optimiser, position in the epochs.

    Build it with :meth:`create`. ``run`` continues until the epochs are done, the stop flag is set,
    the loss falls below ``stop_below``, or a NaN appears; ``step`` does one update.
    """

    plan: Plan
    settings: TrainSettings
    record_grad_norms: bool = False
    history: list[float] = field(default_factory=list)
    epoch_losses: list[float] = field(default_factory=list)
    norms: list[tuple[float, ...]] = field(default_factory=list)
    status: str = "ready"
    error: TrainingNumericError | None = None
    watch: tuple[str, ...] = ()
    want_trace: bool = False

    @classmethod
    def create(
        cls,
        doc: Document,
        settings: TrainSettings | None = None,
        *,
        initial: dict[str, np.ndarray] | None = None,
        output: str | None = None,
        record_grad_norms: bool = False,
        registry: Registry = REGISTRY,
    ) -> Trainer:
        """Compile `doc` and set up the loop; `initial` replaces parameter values (a re-initialisation)."""
        settings = settings or settings_from(doc.training)
        plan = compile_plan(doc, registry, output or settings.loss)
        trainer = cls(plan, settings, record_grad_norms)
        trainer._setup(initial or {})
        return trainer

    # ----- set-up (all checks happen here, none in the loop)
    def _setup(self, initial: dict[str, np.ndarray]) -> None:
        plan, s = self.plan, self.settings
        self.values: list[Any] = plan.leaf_values()
        self.parameter_ids = [plan.ids[i] for i in plan.slots_of("parameter")]
        self.param_slots = plan.slots_of("parameter")
        for node_id in initial:
            if node_id not in plan.slot or plan.ops[plan.slot[node_id]].id != "parameter":
                raise TrainingError(
                    f"initial value for {node_id!r}, which is not a parameter", "init", node_id
                )
        for slot, node_id in zip(self.param_slots, self.parameter_ids):
            current = self.values[slot]
            value = np.array(initial.get(node_id, current), dtype=np.float64, copy=True)
            if value.shape != current.shape:
                raise TrainingError(
                    f"parameter {node_id!r}: initial value has shape {value.shape}, not {current.shape}",
                    "init",
                    node_id,
                )
            self.values[slot] = value
        self.params = [self.values[s] for s in self.param_slots]
        self.feeds, self.n_rows = self._feeds()
        self.orders = self._order_source()
        self.batch = {"sample": 1, "minibatch": s.batch_size, "batch": None}[s.mode]
        self.train_fn = plan.train_function(self.param_slots)
        self.forward_fn = plan.train_function([])
        self._probe()
        # NOTE: the trained parameters are views into one flat array, and their gradients are copied
        # into one flat buffer: the optimiser and the NaN check then cost a few numpy calls in total.
        sizes = [self.params[i].size for i in self.active]
        offsets = np.concatenate([[0], np.cumsum(sizes, dtype=np.intp)]).astype(int).tolist()
        self.flat = np.concatenate([self.params[i].ravel() for i in self.active] or [np.zeros(0)])
        self.flat_grad = np.zeros_like(self.flat)
        self._grad_views = []
        for k, i in enumerate(self.active):
            a, b = offsets[k], offsets[k + 1]
            view = self.flat[a:b].reshape(self.params[i].shape)
            self.params[i] = view
            self.values[self.param_slots[i]] = view
            self._grad_views.append((self.flat_grad[a:b].reshape(view.shape), i))
        # NOTE: gradient norms are recorded by copying the flat gradient into a buffer (one copy per
        # update); the norms of a buffer's rows are computed together when it is full or read.
        rows = max(1, min(NORM_BUFFER_ROWS, NORM_BUFFER_FLOATS // max(self.flat.size, 1)))
        self._norm_buffer = np.zeros((rows, self.flat.size)) if self.record_grad_norms else np.zeros((1, 0))
        self._norm_parts = [(offsets[k], offsets[k + 1], i) for k, i in enumerate(self.active)]
        self.optimiser = make_optimiser(
            s.optimizer, [self.flat], s.lr, s.momentum, s.nesterov, s.betas, s.eps
        )
        self.epoch = 0
        self.update = 0
        self._batches: list[list[int]] = []
        self._batch_pos = 0
        self._epoch_sum = 0.0
        self._epoch_count = 0
        self.elapsed = 0.0  # seconds spent in run() and step(), pauses excluded
        self._t_run = time.perf_counter()
        self._running = False
        self._report_state = [0, 0, 0, 0, 0.0]

    def _feeds(self) -> tuple[list[_Feed], int]:
        plan, doc = self.plan, self.plan.doc
        columns = doc.dataset_columns()
        feeds = []
        n_rows = None
        for name, column in columns.items():
            if name not in plan.slot:
                raise TrainingError(f"dataset column {name!r} names no node of the graph", "dataset", name)
            slot = plan.slot[name]
            if plan.ops[slot].id != "input":
                raise TrainingError(
                    f"dataset column {name!r} feeds node {name!r}, which is a {plan.ops[slot].id}, "
                    "not an input",
                    "dataset",
                    name,
                )
            col = np.asarray(column, dtype=np.float64)
            if col.ndim == 0 or len(col) == 0:
                raise TrainingError(f"dataset column {name!r} has no rows", "dataset", name)
            if n_rows is not None and len(col) != n_rows:
                raise TrainingError(
                    f"dataset column {name!r} has {len(col)} rows, the others {n_rows}", "dataset", name
                )
            n_rows = len(col)
            shape = tuple(plan.shapes.get(name, col.shape[1:]))
            if int(np.prod(col.shape[1:], dtype=np.int64)) != int(np.prod(shape, dtype=np.int64)):
                raise TrainingError(
                    f"dataset column {name!r}: rows of shape {col.shape[1:]} do not fit input {name!r} "
                    f"of shape {shape}",
                    "dataset",
                    name,
                )
            if not np.all(np.isfinite(col)):
                raise TrainingError(f"dataset column {name!r} holds a NaN or Inf", "dataset", name)
            rows = [np.array(col[r], dtype=np.float64).reshape(shape) for r in range(len(col))]
            feeds.append(_Feed(slot, name, rows))
        return feeds, (1 if n_rows is None else n_rows)

    def _order_source(self) -> Callable[[], np.ndarray]:
        order, n = self.settings.order, self.n_rows
        if isinstance(order, tuple):
            bad = [i for i in order if i >= n]
            if bad:
                raise TrainingError(
                    f"training 'order' names row {bad[0]} but the dataset has {n} rows "
                    f"(indices are 0-based: 0 … {n - 1})",
                    "order",
                )
            fixed = np.array(order, dtype=np.intp)
            return lambda: fixed
        if order == "reverse":
            fixed = np.arange(n - 1, -1, -1)
            return lambda: fixed
        if order == "shuffle":
            rng = np.random.default_rng(self.settings.seed)
            return lambda: rng.permutation(n)
        fixed = np.arange(n)
        return lambda: fixed

    def _probe(self) -> None:
        """One pass on the first row to learn which parameters take a gradient (the others stay put)."""
        self._feed_row(self.values, 0)
        try:
            with np.errstate(all="ignore"):
                _, grads = self.train_fn(self.values)
            self.active = [i for i, g in enumerate(grads) if g is not None]
        except Exception:
            self.active = list(range(len(self.params)))

    def _feed_row(self, values: list[Any], r: int) -> None:
        for f in self.feeds:
            values[f.slot] = f.rows[r]

    # ----- progress of the run
    @property
    def updates_per_epoch(self) -> int:
        order = self.settings.order
        length = len(order) if isinstance(order, tuple) else self.n_rows
        b = self.batch or length
        return -(-length // b)

    @property
    def total_updates(self) -> int:
        return self.updates_per_epoch * self.settings.epochs

    @property
    def done(self) -> bool:
        return self.status in ("finished", "converged", "failed") or self.epoch >= self.settings.epochs

    def _new_epoch(self) -> list[list[int]]:
        """The next epoch's batches, in order (a shuffle draws a new permutation each time)."""
        order = self.orders()
        b = self.batch or len(order)
        return [order[i : i + b].tolist() for i in range(0, len(order), b)]

    # ----- the loop
    def step(self) -> bool:
        """One update; False when there is nothing left to do (finished, converged or failed)."""
        if self.done:
            return False
        t0 = time.perf_counter()
        with np.errstate(all="ignore"):
            self._loop(lambda: False, None, 1)
        self.elapsed += time.perf_counter() - t0
        return not self.done

    def run(
        self,
        progress: Callable[[Progress], None] | None = None,
        stop: threading.Event | Callable[[], bool] | None = None,
        interval: float = REPORT_INTERVAL,
    ) -> TrainResult:
        """Update until done or stopped; `progress` gets a Progress at most every `interval` seconds."""
        if stop is None:
            should_stop: Callable[[], bool] = lambda: False  # noqa: E731
        elif isinstance(stop, threading.Event):
            should_stop = stop.is_set
        else:
            should_stop = stop
        if not self.done:
            self.status = "running"
        self._report_state = [len(self.history), len(self.epoch_losses), len(self.norms), self.update, 0.0]
        t0 = time.perf_counter()
        self._t_run = t0
        self._running = True
        try:
            with np.errstate(all="ignore"):
                self._loop(should_stop, progress, None, interval)
        finally:
            self._running = False
            self.elapsed += time.perf_counter() - t0
        if not self.done and self.status == "running":
            self.status = "stopped"
        if progress is not None:
            progress(self.report(finished=True))
        return self.result()

    def _loop(
        self,
        should_stop: Callable[[], bool],
        progress: Callable[[Progress], None] | None,
        limit: int | None,
        interval: float = REPORT_INTERVAL,
    ) -> None:
        # NOTE: the hot loop. Locals only; the loss and one dot product of the flat gradient are the
        # whole NaN/Inf check. State goes back to self when the loop leaves.
        fn = self.train_fn
        values = self.values
        feeds = self.feeds
        grad_views = self._grad_views
        gflat = self.flat_grad
        gdot = gflat.dot
        copyto = np.copyto
        opt_step = self.optimiser.step
        step_grads = [gflat]
        history = self.history
        record = self.record_grad_norms
        nbuf = self._norm_buffer
        nrows = len(nbuf)
        nk = 0
        isfinite = math.isfinite
        epochs = self.settings.epochs
        stop_below = self.settings.stop_below
        perf = time.perf_counter
        next_report = perf() + interval if progress is not None else math.inf
        limit = math.inf if limit is None else limit
        done = 0
        batches, pos = self._batches, self._batch_pos
        epoch_sum, epoch_count = self._epoch_sum, self._epoch_count
        try:
            while self.epoch < epochs:
                if done >= limit or should_stop():
                    return
                if pos >= len(batches):
                    batches = self._new_epoch()
                    pos = 0
                batch = batches[pos]
                if len(batch) == 1:
                    r = batch[0]
                    for f in feeds:
                        values[f.slot] = f.rows[r]
                    try:
                        out, grads = fn(values)
                        loss = out.item()
                        for view, i in grad_views:
                            copyto(view, grads[i])
                    except Exception:
                        loss = math.nan
                else:
                    gflat.fill(0.0)
                    total = 0.0
                    for r in batch:
                        for f in feeds:
                            values[f.slot] = f.rows[r]
                        try:
                            out, grads = fn(values)
                            total += out.item()
                            for view, i in grad_views:
                                view += grads[i]
                        except Exception:
                            total = math.nan
                            break
                    k = 1.0 / len(batch)
                    loss = total * k
                    gflat *= k
                sq = gdot(gflat)
                if not (isfinite(loss) and isfinite(sq)) and self._fail(batch, isfinite(loss)):
                    return
                opt_step(step_grads)
                pos += 1
                history.append(loss)
                if record:
                    nbuf[nk] = gflat
                    nk += 1
                    if nk == nrows:
                        self._add_norms(nk)
                        nk = 0
                self.update += 1
                done += 1
                epoch_sum += loss
                epoch_count += 1
                if pos >= len(batches):
                    mean = epoch_sum / epoch_count
                    self.epoch_losses.append(mean)
                    self.epoch += 1
                    epoch_sum, epoch_count = 0.0, 0
                    if stop_below is not None and mean < stop_below:
                        self.status = "converged"
                        return
                if progress is not None and perf() >= next_report:
                    self._batches, self._batch_pos = batches, pos
                    self._add_norms(nk)
                    nk = 0
                    progress(self.report())
                    next_report = perf() + interval
            self.status = "finished"
        finally:
            self._batches, self._batch_pos = batches, pos
            self._epoch_sum, self._epoch_count = epoch_sum, epoch_count
            self._add_norms(nk)

    def _add_norms(self, k: int) -> None:
        """Append the norms of the first k buffered gradients to self.norms (one tuple per update)."""
        if k == 0:
            return
        grads = self._norm_buffer[:k]
        table = np.zeros((k, len(self.params)))
        for a, b, i in self._norm_parts:
            part = grads[:, a:b]
            table[:, i] = np.sqrt(np.einsum("ij,ij->i", part, part))
        self.norms.extend(map(tuple, table.tolist()))

    def _fail(self, batch: list[int], loss_finite: bool) -> bool:
        """Find the node of a NaN/Inf; True if the run must stop (False: a false alarm, e.g. overflow
        of the squared norm with finite gradients)."""
        update = self.update + 1
        where = f"observation {batch[0] + 1}" if self.feeds else "the graph's values"
        for r in batch:
            vals = list(self.values)
            self._feed_row(vals, r)
            vals = [v if i not in self.param_slots else v.copy() for i, v in enumerate(vals)]
            try:
                self.plan.run(vals, check=True)
            except NumericError as err:
                where = f"observation {r + 1}" if self.feeds else "the graph's values"
                self.error = TrainingNumericError(
                    f"update {update} (epoch {self.epoch + 1}, {where}): {err}; "
                    f"parameters kept from before this update",
                    err.node,
                    err.phase,
                    update,
                    self.epoch + 1,
                    r if self.feeds else None,
                )
                self.status = "failed"
                return True
        if loss_finite:
            return False
        self.error = TrainingNumericError(
            f"update {update} (epoch {self.epoch + 1}, {where}): the loss is not finite; "
            f"parameters kept from before this update",
            self.plan.output,
            "forward",
            update,
            self.epoch + 1,
            batch[0] if self.feeds else None,
        )
        self.status = "failed"
        return True

    # ----- reports and results
    def parameters(self) -> dict[str, np.ndarray]:
        return {k: v.copy() for k, v in zip(self.parameter_ids, self.params)}

    def report(self, finished: bool = False) -> Progress:
        h0, e0, n0, u0, t_last = self._report_state
        now = time.perf_counter()
        since = now - (t_last or self._t_run)
        rate = (self.update - u0) / since if since > 0 else 0.0
        self._report_state = [len(self.history), len(self.epoch_losses), len(self.norms), self.update, now]
        p = Progress(
            update=self.update,
            total_updates=self.total_updates,
            epoch=self.epoch,
            epochs=self.settings.epochs,
            loss=self.history[-1] if self.history else None,
            history=self.history[h0:],
            epoch_losses=self.epoch_losses[e0:],
            grad_norms=self.norms[n0:],
            elapsed=self.elapsed + (now - self._t_run if self._running else 0.0),
            rate=rate,
            parameters=self.parameters(),
            finished=finished,
        )
        if self.want_trace:
            p.trace = self.trace()
        if self.watch:
            p.watched = self.values_over_rows(self.watch)
        return p

    def trace(self, row: int | None = None) -> Trace:
        """Every value and gradient with the current parameters on `row` (default: the last batch's first)."""
        if row is None:
            batch = self._batches[self._batch_pos - 1] if self._batch_pos else [0]
            row = batch[0]
        vals = list(self.values)
        self._feed_row(vals, row)
        for s in self.param_slots:
            vals[s] = vals[s].copy()
        return self.plan.run(vals, check=False)

    def values_over_rows(self, node_ids: Sequence[str], max_rows: int = WATCH_ROWS) -> dict[str, np.ndarray]:
        """The forward values of the given nodes on each dataset row (up to max_rows), stacked."""
        ids = [n for n in node_ids if n in self.plan.slot]
        collected: dict[str, list[np.ndarray]] = {n: [] for n in ids}
        vals = list(self.values)
        for s in self.param_slots:
            vals[s] = vals[s].copy()
        with np.errstate(all="ignore"):
            for r in range(min(self.n_rows, max_rows)):
                self._feed_row(vals, r)
                for slot in self.plan.forward_slots:
                    self.plan.forward_node(slot, vals)
                for n in ids:
                    collected[n].append(np.asarray(vals[self.plan.slot[n]]))
        return {n: np.stack(v) if v else np.zeros((0,)) for n, v in collected.items()}

    def dataset_loss(self) -> float | None:
        """The mean loss over every row with the current parameters (None if it is not finite)."""
        vals = list(self.values)
        total = 0.0
        with np.errstate(all="ignore"):
            try:
                for r in range(self.n_rows):
                    self._feed_row(vals, r)
                    out, _ = self.forward_fn(vals)
                    total += out.item()
            except Exception:
                return None
        loss = total / self.n_rows
        return loss if math.isfinite(loss) else None

    def result(self) -> TrainResult:
        norms = None
        if self.record_grad_norms:
            cols = list(zip(*self.norms)) if self.norms else [() for _ in self.parameter_ids]
            norms = {k: list(c) for k, c in zip(self.parameter_ids, cols)}
        status = self.status if self.status != "running" else "stopped"
        if status == "ready":
            status = "finished" if self.done else "stopped"
        return TrainResult(
            history=list(self.history),
            epoch_losses=list(self.epoch_losses),
            parameters=self.parameters(),
            final_loss=self.dataset_loss(),
            updates=self.update,
            epochs=self.epoch,
            status=status,
            settings=self.settings,
            error=self.error,
            grad_norms=norms,
            updates_per_epoch=self.updates_per_epoch,
        )


def parameter_edit(doc: Document, parameters: dict[str, np.ndarray], text: str = "Train") -> Macro:
    """A Macro of SetValue edits for the parameters whose value differs from the document's."""
    edits = [
        SetValue(node_id, np.array(value, dtype=np.float64))
        for node_id, value in parameters.items()
        if node_id in doc
        and (doc.node(node_id).value is None or not np.array_equal(doc.node(node_id).value, value))
    ]
    return Macro(text, edits)


def train(
    doc: Document,
    settings: TrainSettings | None = None,
    *,
    progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | Callable[[], bool] | None = None,
    initial: dict[str, np.ndarray] | None = None,
    output: str | None = None,
    record_grad_norms: bool = False,
    registry: Registry = REGISTRY,
) -> TrainResult:
    """Train a copy of the document's parameters; the document itself is not changed."""
    trainer = Trainer.create(
        doc, settings, initial=initial, output=output, record_grad_norms=record_grad_norms, registry=registry
    )
    return trainer.run(progress, stop)


def compare(
    doc: Document,
    inits: Sequence[dict[str, Any]],
    settings: TrainSettings | None = None,
    *,
    stop: threading.Event | Callable[[], bool] | None = None,
    record_grad_norms: bool = False,
) -> list[TrainResult]:
    """Train the same graph once from each initialisation (applied to every parameter)."""
    settings = settings or settings_from(doc.training)
    results = []
    for init in inits:
        start = initial_values(doc, override=init, training_seed=settings.seed)
        results.append(train(doc, settings, initial=start, stop=stop, record_grad_norms=record_grad_norms))
    return results


# ------------------------------------------------------------------------------- for the plots
def identical_groups(value: np.ndarray, axis: int) -> list[list[int]]:
    """Groups (size ≥ 2) of indices along `axis` whose slices are exactly equal.

    For a weight matrix W (inputs × units), axis=1 groups hidden units with identical incoming
    weights, axis=0 units with identical outgoing weights: the symmetry that zero or constant
    initialisation never breaks.
    """
    value = np.asarray(value)
    if value.ndim == 0:
        return []
    if value.ndim == 1:
        value = value[:, None] if axis == 0 else value[None, :]
    moved = np.moveaxis(value, axis, 0)
    groups: dict[bytes, list[int]] = {}
    for i in range(moved.shape[0]):
        groups.setdefault(np.ascontiguousarray(moved[i]).tobytes(), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def symmetry(parameters: dict[str, np.ndarray]) -> dict[str, dict[str, list[list[int]]]]:
    """Per parameter: groups of identical units (columns) and identical rows."""
    result = {}
    for name, value in parameters.items():
        value = np.asarray(value)
        if value.ndim == 1:
            result[name] = {"units": identical_groups(value, 0), "rows": []}
        elif value.ndim >= 2:
            result[name] = {
                "units": identical_groups(value, value.ndim - 1),
                "rows": identical_groups(value, 0),
            }
    return result


def activation_curve(
    op_id: str, attrs: dict[str, Any] | None, x: np.ndarray, registry: Registry = REGISTRY
) -> tuple[np.ndarray, np.ndarray] | None:
    """f(x) and f'(x) over the points x, for a one-input elementwise op (None for any other op)."""
    op = registry.get(op_id)
    if op is None or len(op.inputs) != 1:
        return None
    resolved = op.resolve_attrs(attrs or {})
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    with np.errstate(all="ignore"):
        try:
            y = np.asarray(op.forward(x, **resolved), dtype=np.float64)
            if y.shape != x.shape or len(x) == 0:
                return None
            alone = np.asarray(op.forward(x[:1], **resolved), dtype=np.float64)
            if alone.shape != (1,) or not np.allclose(alone[0], y[0], equal_nan=True):
                return None  # not elementwise (softmax)
            dy = np.asarray(op.vjps[0](np.ones_like(x), (x,), y, **resolved), dtype=np.float64)
        except Exception:
            return None
    return y, dy
