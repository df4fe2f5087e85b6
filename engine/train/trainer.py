"""The training loop: one :class:`Trainer` per run, and :func:`train` / :func:`compare` around it.

One update is: feed the rows of a batch into the input slots, run the plan's generated train pass
(``plan.train_function``) for each row, average the per-sample gradients, let the optimiser change the
parameter arrays in place. The loop works on its own copies of the parameter values: it never changes
the document (the caller writes ``result.parameters`` back: the CLI into a copy it saves, the window as
one undoable edit). When the graph acts row by row, a batch's rows go stacked through one pass that
computes the same mean (``plan.batched_train_function``); ``rows_one_by_one`` says why not otherwise.

Settings come from the document's ``training`` object (:mod:`engine.train.settings`); ``history`` holds
the loss of every update from that update's own forward pass (for a batch, the mean); ``final_loss``
is the mean loss over the whole dataset with the final parameters.

The loop checks the loss and the squared norm of the (flat) gradient, one dot product, which the
gradient-norm plot reuses. Only when one is not finite does it re-run that update node by node to
name the node where the NaN or Inf first appeared; the parameters stay at their last good values.

On a small graph (its pass over Python floats, ``engine/compile/scalar.py``) with one row per update,
the updates run in a loop generated over floats (``engine/compile/loop.py``): the parameters and the
optimiser's state stay floats for a few milliseconds' worth of updates at a time, the same numbers bit
for bit; the arrays are brought up to date after each such call, so reports, traces and results read
them as before. The stop flag and the report time are looked at between calls. ``float_loop=False``
keeps every update on the arrays (the reference the loop is tested against).

A :class:`Trainer` keeps its state between calls, so a window can run it in a worker process, stop it
(``stop`` flag), step it one update at a time and resume. ``progress`` is called at most ~30 times a
second with a :class:`~engine.train.results.Progress` carrying what arrived since the last call.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from engine.compile import loop, scalar
from engine.compile.plan import Plan, compile_plan
from engine.compile.trace import NumericError, Trace
from engine.ops.registry import REGISTRY, Registry
from engine.train.dataset import feeds
from engine.train.errors import TrainingError, TrainingNumericError
from engine.train.initialisers import initial_values
from engine.train.optimisers import make_optimiser
from engine.train.order import epoch_orders, split_rows
from engine.train.results import Progress, TrainResult
from engine.train.settings import TrainSettings, settings_from
from graph.document import Document

REPORT_INTERVAL = 1.0 / 30.0
WATCH_ROWS = 256  # rows evaluated for the activation plot at each report
NORM_BUFFER_ROWS = 256  # updates whose gradients wait for their norms to be computed together
NORM_BUFFER_FLOATS = 1 << 20  # at most this many floats in that buffer
# The loop over floats runs this long between the trainer's checks of the stop flag and report time.
CHUNK_SECONDS = 0.002
LOOP_MIN_UPDATES = 64  # fewer updates left than this run on the arrays (making the loop costs ~0.4 ms)


class _FlatParameters:
    """The trained parameters as views into one flat array, and one flat buffer for their gradients.

    NOTE: the gradients of an update are copied into the flat buffer: the optimiser and the NaN check
    then cost a few numpy calls in total, however many parameters there are.
    """

    def __init__(self, params: list[np.ndarray], active: list[int]) -> None:
        sizes = [params[i].size for i in active]
        offsets = np.concatenate([[0], np.cumsum(sizes, dtype=np.intp)]).astype(int).tolist()
        self.values = np.concatenate([params[i].ravel() for i in active] or [np.zeros(0)])
        self.grad = np.zeros_like(self.values)
        self.parts = [(offsets[k], offsets[k + 1], i) for k, i in enumerate(active)]
        self.views = {i: self.values[a:b].reshape(params[i].shape) for a, b, i in self.parts}
        self.grad_views = [(self.grad[a:b].reshape(params[i].shape), i) for a, b, i in self.parts]


class _NormLog:
    """The per-parameter gradient norms of every update: ``table()``, an (updates, parameters) array.

    NOTE: no Python object per update. The arrays path copies each update's flat gradient into a buffer
    and computes the buffered rows' norms together (when full or read: ``flush``); the loop over floats
    hands over a chunk's gradients as one array (``add_rows``). The norms go into one growing array
    (amortised doubling), which reports slice: per-update tuples cost ~1 µs an update with their GC.
    """

    def __init__(self, flat: _FlatParameters, n_params: int, record: bool) -> None:
        size = flat.values.size
        rows = max(1, min(NORM_BUFFER_ROWS, NORM_BUFFER_FLOATS // max(size, 1)))
        self.buffer = np.zeros((rows, size)) if record else np.zeros((1, 0))
        self.parts = flat.parts
        self.waiting = 0
        self._table = np.zeros((NORM_BUFFER_ROWS if record else 0, n_params))
        self.count = 0

    def add(self, grad: np.ndarray) -> None:
        self.buffer[self.waiting] = grad
        self.waiting += 1
        if self.waiting == len(self.buffer):
            self.flush()

    def add_rows(self, grads: np.ndarray) -> None:
        """Several updates' flat gradients at once, one a row (the loop over floats collects them)."""
        self.flush()  # the updates before these come first
        self._store(grads)

    def flush(self) -> None:
        k, self.waiting = self.waiting, 0
        if k:
            self._store(self.buffer[:k])

    def table(self, start: int = 0) -> np.ndarray:
        """The norms of the updates from `start` on (a copy), one row per update, a column per parameter."""
        self.flush()
        return self._table[start : self.count].copy()

    def _store(self, grads: np.ndarray) -> None:
        """The norms of these rows of flat gradients, appended (a parameter without a gradient: 0)."""
        k = len(grads)
        need = self.count + k
        if need > len(self._table):
            grown = np.zeros((max(need, 2 * len(self._table)), self._table.shape[1]))
            grown[: self.count] = self._table[: self.count]
            self._table = grown
        out = self._table[self.count : need]
        for a, b, i in self.parts:
            part = grads[:, a:b]
            np.sqrt(np.einsum("ij,ij->i", part, part), out=out[:, i])
        self.count = need


class Trainer:
    """The state of one training run: plan, values, optimiser, position in the epochs.

    ``Trainer.create(doc)`` compiles the document; ``Trainer(plan, settings)`` takes a compiled plan.
    Every check happens here, none in the loop. ``run`` continues until the epochs are done, the stop
    flag is set, the loss falls below ``stop_below``, or a NaN appears; ``step`` does one update.
    """

    def __init__(
        self,
        plan: Plan,
        settings: TrainSettings,
        *,
        initial: dict[str, np.ndarray] | None = None,
        record_grad_norms: bool = False,
        float_loop: bool = True,
    ) -> None:
        self.plan, self.settings, self.record_grad_norms = plan, settings, record_grad_norms
        self.watch: tuple[str, ...] = ()  # nodes whose values over the rows each report carries
        self.want_trace = False  # whether each report carries a trace
        self.param_slots = plan.slots_of("parameter")
        self.parameter_ids = [plan.ids[i] for i in self.param_slots]
        self.values: list[Any] = plan.leaf_values()
        self.params = self._start_values(initial or {})
        self.feeds, self.n_rows = feeds(plan)
        self.train_rows, self.test_rows = split_rows(self.n_rows, settings.test_fraction, settings.seed)
        self.orders = _without(epoch_orders(settings.order, self.n_rows, settings.seed), self.test_rows)
        self.batch = {"sample": 1, "minibatch": settings.batch_size, "batch": None}[settings.mode]
        self.train_fn = plan.train_function(self.param_slots)
        self.forward_fn = plan.train_function([])
        flat = _FlatParameters(self.params, self._active())
        for i, view in flat.views.items():
            self.params[i] = self.values[self.param_slots[i]] = view
        self.flat, self.flat_grad, self._grad_views = flat.values, flat.grad, flat.grad_views
        self.batch_fn, self.rows_one_by_one = self._batched_pass()
        self._norms = _NormLog(flat, len(self.params), record_grad_norms)
        self.optimiser = make_optimiser(
            settings.optimizer, [self.flat], settings.lr, settings.momentum, settings.nesterov,
            settings.betas, settings.eps,
        )  # fmt: skip
        self._step_grads = [self.flat_grad]
        self.history: list[float] = []
        self.epoch_losses: list[float] = []
        self.test_losses: list[float] = []  # the mean loss over the test rows after each epoch
        self.status = "ready"
        self.error: TrainingNumericError | None = None
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
        self._active_slots = [self.param_slots[i] for _, _, i in flat.parts]
        self._float_loop: Callable[..., Any] | None = None
        self._updates_total = self.total_updates
        self._float_loop_possible = float_loop and self.batch == 1 and self.updates_per_epoch > 0
        self._chunk = 16  # updates per call of the loop over floats, adapted to take ~CHUNK_SECONDS
        # the loop's gradients, one update's a row, in an array it writes into (resized before a call)
        self._loop_grads = [np.zeros((0, self.flat.size))]

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
        float_loop: bool = True,
    ) -> Trainer:
        """Compile `doc` and set up the loop; `initial` replaces parameter values (a re-initialisation)."""
        settings = settings or settings_from(doc.training)
        plan = compile_plan(doc, registry, output or settings.loss)
        return cls(
            plan, settings, initial=initial, record_grad_norms=record_grad_norms, float_loop=float_loop
        )

    # ----- set-up
    def _start_values(self, initial: dict[str, np.ndarray]) -> list[np.ndarray]:
        """Own copies of the parameters' values (from `initial` where given), in the value list."""
        plan = self.plan
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
        return [self.values[s] for s in self.param_slots]

    def _active(self) -> list[int]:
        """The parameters that take a gradient (one pass on the first row; the others stay put)."""
        self._feed_row(self.values, 0)
        try:
            with np.errstate(all="ignore"):
                _, grads = self.train_fn(self.values)
        except Exception:
            return list(range(len(self.params)))
        return [i for i, g in enumerate(grads) if g is not None]

    def _batched_pass(self) -> tuple[Callable[..., Any] | None, str | None]:
        """The train pass over a batch's rows stacked (engine/compile/batch.py), when the graph acts row
        by row: the same mean of per-sample gradients in one pass. Else None, and why the rows go one by
        one (naming the node)."""
        if self.batch == 1 or not self.feeds:
            return None, None
        fn = self.plan.batched_train_function(self.param_slots, [f.slot for f in self.feeds])
        if isinstance(fn, str):
            return None, fn
        self._stacked = [(f.slot, np.stack(f.rows)) for f in self.feeds]
        self._batch_values = list(self.values)  # the same parameter arrays, the rows stacked
        return fn, None

    def _feed_row(self, values: list[Any], r: int) -> None:
        for f in self.feeds:
            values[f.slot] = f.rows[r]

    @property
    def loop_source(self) -> str | None:
        """The source of the loop over floats this run's updates go through (made on first asking), or
        None when they run on the arrays. For reading and auditing, as ``Plan.generated_source``."""
        fn = self._floats()
        return None if fn is None else fn.source  # type: ignore[attr-defined, no-any-return]

    # ----- progress of the run
    @property
    def norms(self) -> np.ndarray:
        """The gradient norms recorded so far: one row per update, a column per parameter (in
        ``parameter_ids`` order; 0 for a parameter without a gradient). A copy."""
        return self._norms.table()

    @property
    def updates_per_epoch(self) -> int:
        order = self.settings.order
        if isinstance(order, tuple):
            length = len(order) - int(np.isin(order, self.test_rows).sum())
        else:
            length = self.n_rows - len(self.test_rows)
        b = self.batch or length
        return -(-length // b)

    @property
    def total_updates(self) -> int:
        return self.updates_per_epoch * self.settings.epochs

    @property
    def done(self) -> bool:
        return self.status in ("finished", "converged", "failed") or self.epoch >= self.settings.epochs

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
        self._report_state = [len(self.history), len(self.epoch_losses), self._norms.count, self.update, 0.0]
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
        """Updates until the epochs are done, `limit` updates are made, `should_stop()` says so, the loss
        converged or a NaN appeared; a report to `progress` at most every `interval` seconds."""
        perf = time.perf_counter
        next_report = perf() + interval if progress is not None else math.inf
        budget = math.inf if limit is None else limit
        try:
            while self.epoch < self.settings.epochs:
                if budget <= 0 or should_stop():
                    return
                fast = self._floats(budget)
                made, going = (1, self._update()) if fast is None else self._float_updates(fast, budget)
                if not going:
                    return
                budget -= made
                if progress is not None and perf() >= next_report:
                    progress(self.report())
                    next_report = perf() + interval
            self.status = "finished"
        finally:
            self._norms.flush()

    def _update(self) -> bool:
        """One update on the next batch; False when the run ends with it (a NaN, or converged)."""
        if self._batch_pos >= len(self._batches):
            self._batches, self._batch_pos = self._new_epoch(), 0
        batch = self._batches[self._batch_pos]
        loss = self._gradient(batch)
        finite = math.isfinite(loss)
        if not (finite and math.isfinite(self.flat_grad.dot(self.flat_grad))) and self._fail(batch, finite):
            return False
        self.optimiser.step(self._step_grads)
        self._batch_pos += 1
        self.history.append(loss)
        if self.record_grad_norms:
            self._norms.add(self.flat_grad)
        self.update += 1
        return not self._converged(loss)

    def _new_epoch(self) -> list[list[int]]:
        """The next epoch's batches, in order (a shuffle draws a new permutation each time)."""
        order = self.orders()
        b = self.batch or len(order)
        return [order[i : i + b].tolist() for i in range(0, len(order), b)]

    def _gradient(self, batch: list[int]) -> float:
        """The loss of the batch (NaN if a pass raised); its mean gradient is left in the flat buffer."""
        values, fn = self.values, self.train_fn
        if len(batch) == 1:
            self._feed_row(values, batch[0])
            try:
                out, grads = fn(values)
                loss = out.item()
                for view, i in self._grad_views:
                    np.copyto(view, grads[i])
            except Exception:
                loss = math.nan
            return loss
        if self.batch_fn is not None:
            return self._batched_gradient(batch)
        self.flat_grad.fill(0.0)
        total = 0.0
        for r in batch:
            self._feed_row(values, r)
            try:
                out, grads = fn(values)
                total += out.item()
                for view, i in self._grad_views:
                    view += grads[i]
            except Exception:
                total = math.nan
                break
        k = 1.0 / len(batch)
        self.flat_grad *= k
        return total * k

    def _batched_gradient(self, batch: list[int]) -> float:
        """_gradient in one pass over the batch's rows stacked."""
        values = self._batch_values
        for slot, stacked in self._stacked:
            values[slot] = stacked[batch]
        try:
            out, grads = self.batch_fn(values)  # type: ignore[misc]
            for view, i in self._grad_views:
                np.copyto(view, grads[i])
            return float(out)
        except Exception:
            return math.nan

    def _converged(self, loss: float) -> bool:
        """Count the update's loss into its epoch; at the epoch's end, whether the mean fell below
        ``stop_below``."""
        self._epoch_sum += loss
        self._epoch_count += 1
        if self._batch_pos < len(self._batches):
            return False
        mean = self._epoch_sum / self._epoch_count
        self.epoch_losses.append(mean)
        self.epoch += 1
        self._epoch_sum, self._epoch_count = 0.0, 0
        return self._epoch_ended(mean)

    def _epoch_ended(self, mean: float) -> bool:
        """After an epoch (its mean loss recorded): the test loss; whether the run converged."""
        if len(self.test_rows):
            test = self.dataset_loss(self.test_rows)
            self.test_losses.append(math.nan if test is None else test)
        stop_below = self.settings.stop_below
        if stop_below is not None and mean < stop_below:
            self.status = "converged"
            return True
        return False

    # ----- the loop over floats (engine/compile/loop.py)
    def _floats(self, budget: float = math.inf) -> Callable[..., Any] | None:
        """The loop over floats, when this run can use it: one row per update, a small graph over floats,
        an optimiser written over floats (SGD with momentum after its first update). Made when first asked
        for with at least LOOP_MIN_UPDATES to make (generating it costs ~50 updates on the arrays)."""
        if self._float_loop is not None or not self._float_loop_possible:
            return self._float_loop
        if min(budget, self._updates_total - self.update) < LOOP_MIN_UPDATES:
            return None
        step = self.optimiser.float_step()
        if step is None:
            return None
        plan = self.plan
        rules = scalar.element_rules(plan)
        if rules is None or loop.numbers_of(plan) > loop.MAX_LOOP_NUMBERS:
            self._float_loop_possible = False
            return None
        record = {"history": self.history, "epoch_losses": self.epoch_losses}
        if self.record_grad_norms:
            record["grads"] = self._loop_grads
        fed = {f.slot: [r.item() if r.shape == () else tuple(r.ravel().tolist()) for r in f.rows]
               for f in self.feeds}  # fmt: skip
        spec = loop.LoopSpec(
            self._active_slots, fed, step, self.updates_per_epoch, not self.settings.order == "shuffle",
            self.settings.stop_below, bool(len(self.test_rows)), record,
        )  # fmt: skip
        self._float_loop = loop.update_loop(plan, rules, spec)
        self._float_loop_possible = self._float_loop is not None
        return self._float_loop

    def _float_updates(self, fn: Callable[..., Any], budget: float) -> tuple[int, bool]:
        """Up to `budget` updates in one call of the loop over floats, the parameters and the optimiser's
        state moved into its floats and back; (updates made, whether the run goes on)."""
        if self._batch_pos >= len(self._batches):
            self._batches, self._batch_pos = self._new_epoch(), 0
        order = [b[0] for b in self._batches]
        left = len(order) * (self.settings.epochs - self.epoch) - self._batch_pos
        n = int(min(budget, left, self._chunk))
        opt = self.optimiser
        grads = self._loop_grads
        if self.record_grad_norms and len(grads[0]) < n:
            grads[0] = np.zeros((max(n, 2 * len(grads[0])), self.flat.size))
        t0 = time.perf_counter()
        sums = self._epoch_sum, self._epoch_count
        done, t, pos, esum, ecount, epochs, why, numbers, state = fn(
            self.values, opt.float_state(), opt.t, order, self._batch_pos, n, *sums
        )
        self._adapt_chunk(n, time.perf_counter() - t0)
        self.flat[:] = numbers
        opt.load_float_state(state, t)
        self._batch_pos, self._epoch_sum, self._epoch_count = pos, esum, ecount
        self.epoch += epochs
        self.update += done
        if done:
            self._feed_row(self.values, order[pos - 1])
        if self.record_grad_norms and done:
            self._norms.add_rows(self._loop_grads[0][:done])
        if why == "slow":  # this update as the trainer makes it, with its checks and error reports
            return done + 1, self._update()
        if why == "epoch" and self._epoch_ended(self.epoch_losses[-1]):
            return done, False
        return done, True

    def _adapt_chunk(self, n: int, seconds: float) -> None:
        """Updates per call: about CHUNK_SECONDS' worth (the stop flag and reports are looked at between)."""
        if n == self._chunk:
            if seconds < CHUNK_SECONDS / 2:
                self._chunk = min(2 * self._chunk, 1 << 16)
            elif seconds > 2 * CHUNK_SECONDS:
                self._chunk = max(1, self._chunk // 2)

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
        """What arrived since the previous report (the gradient norms waiting in the buffer included)."""
        self._norms.flush()
        h0, e0, n0, u0, t_last = self._report_state
        now = time.perf_counter()
        since = now - (t_last or self._t_run)
        rate = (self.update - u0) / since if since > 0 else 0.0
        self._report_state = [len(self.history), len(self.epoch_losses), self._norms.count, self.update, now]
        p = Progress(
            update=self.update,
            total_updates=self.total_updates,
            epoch=self.epoch,
            epochs=self.settings.epochs,
            loss=self.history[-1] if self.history else None,
            history=self.history[h0:],
            epoch_losses=self.epoch_losses[e0:],
            test_losses=self.test_losses[e0:],
            grad_norms=self._norms.table(n0),
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
        needed = self._slots_computing(ids)
        with np.errstate(all="ignore"):
            for r in range(min(self.n_rows, max_rows)):
                self._feed_row(vals, r)
                for slot in needed:
                    self.plan.forward_node(slot, vals)
                for n in ids:
                    collected[n].append(np.asarray(vals[self.plan.slot[n]]))
        return {n: np.stack(v) if v else np.zeros((0,)) for n, v in collected.items()}

    def _slots_computing(self, node_ids: list[str]) -> list[int]:
        """The op slots the nodes' values depend on, themselves included, in order (the window's
        activation preview runs after every edit: one node's values need not run the whole graph)."""
        plan = self.plan
        wanted = [False] * len(plan.ids)
        for n in node_ids:
            wanted[plan.slot[n]] = True
        for s in reversed(range(len(plan.ids))):  # sources come before their consumers
            if wanted[s]:
                for i in plan.inputs[s]:
                    wanted[i] = True
        return [s for s in plan.forward_slots if wanted[s]]

    def dataset_loss(self, rows: Sequence[int] | np.ndarray | None = None) -> float | None:
        """The mean loss over `rows` (default: every row) with the current parameters (None if it is
        not finite)."""
        vals = list(self.values)
        total = 0.0
        rows = range(self.n_rows) if rows is None else rows
        with np.errstate(all="ignore"):
            try:
                for r in rows:
                    self._feed_row(vals, r)
                    out, _ = self.forward_fn(vals)
                    total += out.item()
            except Exception:
                return None
        loss = total / max(len(rows), 1)
        return loss if math.isfinite(loss) else None

    def result(self) -> TrainResult:
        norms = None
        if self.record_grad_norms:
            table = self.norms
            norms = {k: table[:, i].tolist() for i, k in enumerate(self.parameter_ids)}
        status = self.status if self.status != "running" else "stopped"
        if status == "ready":
            status = "finished" if self.done else "stopped"
        return TrainResult(
            history=list(self.history),
            epoch_losses=list(self.epoch_losses),
            test_losses=list(self.test_losses),
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


def _without(orders: Callable[[], np.ndarray], held: np.ndarray) -> Callable[[], np.ndarray]:
    """Each epoch's order with the held-out (test) rows left out; the same orders when none are."""
    if not len(held):
        return orders
    return lambda: (o := orders())[~np.isin(o, held)]


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
