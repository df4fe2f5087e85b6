"""Training in a separate process, so that the window stays responsive while it trains.

A tight numpy loop in a thread of the window's own process holds the GIL between its small numpy calls and
starves the GUI thread. So the loop runs in a child process ("spawn": never fork a process that has Qt
loaded), started on first use and kept for the panel's later runs. The parent sends the document as its
file text (``graph.file_format.dumps``) with the training settings; the child builds an
``engine.train.trainer.Trainer`` and sends back progress at most every ``MESSAGE_INTERVAL`` seconds.

Parent → child commands, ``(kind, job, payload)``:
``create`` {text, training, watch, trace_interval}; ``run``; ``step`` n; ``pause``; ``finish`` (stop and
send the result); ``discard``; ``watch`` (node ids); ``compare`` {text, training, kinds}; ``ping``;
``quit``.

Child → parent messages: ``created`` {ids, parameter_ids, updates_per_epoch, total_updates};
``progress`` (a :class:`engine.train.results.Progress` whose lists are numpy arrays, like its
grad_norms, and whose trace is the plain value lists, rebuilt against the parent's own plan); ``paused``
{update, epoch, last_loss, dataset_loss}: the loss of the last update and the mean loss over the
dataset, the figures that a stop at the same update reports too;
``result`` (``TrainResult.to_json``; the panel rebuilds it with ``TrainResult.from_json``);
``compared`` [results, the same way]; ``error`` {message, type};
``pong`` {pid, qt: whether Qt got loaded in the child, which it should not, language: the one its messages
are written in}.

No Qt here: the child imports this module. The panel polls :meth:`TrainingWorker.poll` from a QTimer.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing as mp
import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import engine.i18n

MESSAGE_INTERVAL = 0.04  # the child sends progress at most this often (seconds)
COMMAND_INTERVAL = 0.02  # the child looks for commands (pause, stop) at most this late
TRACE_INTERVAL = 0.25  # seconds between the traces sent for the canvas
WATCH_INTERVAL = 0.2  # seconds between the watched values sent for the activation plot
PINNED_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
OUTBOX_MESSAGES = 8  # messages waiting for the pipe at most (then the loop waits for the window)
CLOSE_SECONDS = 0.5  # the child's last messages wait at most this long for the window to read them


# ------------------------------------------------------------------------------------------ the child
class _Child:
    """The child's state: at most one trainer, the command pipe, and the throttles."""

    def __init__(self, commands: Any, messages: Any) -> None:
        self.commands = commands
        self.messages = messages
        self.trainer: Any = None
        self.job: int | None = None
        self.watch: tuple[str, ...] = ()
        self.trace_interval = TRACE_INTERVAL
        self.waiting: list[tuple[str, Any, Any]] = []  # commands that arrived during a run, for later
        self.stop_requested = False
        self.finish_requested = False
        self.quit = False
        self._next_check = 0.0
        self._last_trace = -math.inf
        self._last_watch = -math.inf
        self._outbox: queue.Queue[Any] = queue.Queue(OUTBOX_MESSAGES)
        self._sender = threading.Thread(target=self._send_loop, name="training-messages", daemon=True)
        self._sender.start()

    def send(self, kind: str, job: Any, payload: Any = None) -> None:
        """Queued for the sender thread, in order. NOTE: a report holds every update's loss and gradient
        norms (~1.5 MB at a million updates a second); writing it waits until the window has read the
        pipe (10-30 ms), which the loop then spends training: the write releases the GIL."""
        self._queue((kind, job, payload))

    def _queue(self, item: Any) -> None:
        while self._sender.is_alive():  # (gone with the window: nothing to send to)
            try:
                self._outbox.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _send_loop(self) -> None:
        while (message := self._outbox.get()) is not None:
            try:
                self.messages.send(message)
            except (OSError, ValueError):
                return  # the window has gone

    def _close_outbox(self) -> None:
        """The messages still queued sent (a result, an error) before the child ends; not waiting long
        for a window that has stopped reading."""
        try:
            self._outbox.put(None, timeout=CLOSE_SECONDS)
        except queue.Full:
            return
        self._sender.join(CLOSE_SECONDS)

    # ----- commands
    def serve(self) -> None:
        try:
            self._serve()
        finally:
            self._close_outbox()

    def _serve(self) -> None:
        while not self.quit:
            if self.waiting:
                command = self.waiting.pop(0)
            else:
                try:
                    command = self.commands.recv()
                except (EOFError, OSError):
                    return  # the window has gone
            try:
                self.handle(*command)
            except Exception as err:  # sent back as a clear message, never lost in the child
                self.send("error", command[1], {"message": str(err), "type": type(err).__name__})

    # commands about the current job (one for a job already ended does nothing)
    _JOB_COMMANDS: dict[str, Callable[[_Child, Any], None]] = {
        "run": lambda child, _payload: child.run(),
        "step": lambda child, payload: child.step(int(payload or 1)),
        "finish": lambda child, _payload: child.end(),
        "discard": lambda child, _payload: child.discard(),
        "watch": lambda child, payload: child.set_watch(payload),
    }

    def handle(self, kind: str, job: Any, payload: Any) -> None:
        if kind == "quit":
            self.quit = True
        elif kind == "create":
            self.create(job, payload)
        elif kind == "compare":
            self.compare(job, payload)
        elif kind == "ping":
            about = {"pid": os.getpid(), "qt": "PySide6" in sys.modules, "language": engine.i18n.current()}
            self.send("pong", job, about)
        elif kind in self._JOB_COMMANDS and job == self.job:
            self._JOB_COMMANDS[kind](self, payload)
        # pause outside a run, or a command for a job already ended: nothing to do

    def should_stop(self) -> bool:
        """The stop check of the loop: reads the commands that arrived, at most every COMMAND_INTERVAL."""
        now = time.perf_counter()
        if now >= self._next_check:
            self._next_check = now + COMMAND_INTERVAL
            try:
                while self.commands.poll():
                    self._during_run(*self.commands.recv())
            except (EOFError, OSError):
                self.stop_requested = self.quit = True
        return self.stop_requested

    def _during_run(self, kind: str, job: Any, payload: Any) -> None:
        """A command that arrived while the loop runs: pause, finish and quit stop the loop, watch applies
        at once, the others wait until the loop has stopped (discard stops it too)."""
        current = job == self.job
        if kind == "pause":
            self.stop_requested = True
        elif kind == "finish" and current:
            self.stop_requested = self.finish_requested = True
        elif kind == "watch" and current:
            self.set_watch(payload)
        elif kind == "quit":
            self.stop_requested = self.quit = True
        else:
            if kind == "discard" and current:
                self.stop_requested = True
            self.waiting.append((kind, job, payload))

    def set_watch(self, node_ids: Any) -> None:
        """The nodes whose values over the rows the next report carries (sent at once)."""
        self.watch = tuple(node_ids or ())
        self._last_watch = -math.inf

    def discard(self) -> None:
        self.trainer, self.job = None, None

    # ----- training
    def create(self, job: int, payload: dict[str, Any]) -> None:
        import engine
        from engine.train.settings import settings_from
        from engine.train.trainer import Trainer
        from graph.file_format import loads

        self.trainer, self.job = None, None
        doc = loads(payload["text"], engine.REGISTRY)
        trainer = Trainer.create(doc, settings_from(payload["training"]), record_grad_norms=True)
        self.trainer, self.job = trainer, job
        self.watch = tuple(payload.get("watch") or ())
        self.trace_interval = float(payload.get("trace_interval", TRACE_INTERVAL))
        self._last_trace = self._last_watch = -math.inf
        self.send(
            "created",
            job,
            {
                "ids": list(trainer.plan.ids),
                "parameter_ids": list(trainer.parameter_ids),
                "updates_per_epoch": trainer.updates_per_epoch,
                "total_updates": trainer.total_updates,
            },
        )

    def progress(self, p: Any) -> None:
        """Send a report: the new losses and norms as arrays, a trace and watched values when due."""
        now = time.perf_counter()
        trainer = self.trainer
        trace = None
        if p.finished or now - self._last_trace >= self.trace_interval:
            self._last_trace = now
            t = trainer.trace()
            trace = (t.value_list, t.grad_list, t.edge_grad_list)
        watched = None
        if self.watch and (p.finished or now - self._last_watch >= WATCH_INTERVAL):
            self._last_watch = now
            watched = trainer.values_over_rows(self.watch)
        p.history = np.asarray(p.history, dtype=np.float64)
        p.epoch_losses = np.asarray(p.epoch_losses, dtype=np.float64)
        p.trace = trace
        p.watched = watched
        self.send("progress", self.job, p)

    def run(self) -> None:
        self.stop_requested = self.finish_requested = False
        self._next_check = 0.0
        trainer = self.trainer
        trainer.run(self.progress, self.should_stop, MESSAGE_INTERVAL)
        if trainer.done or self.finish_requested:
            self.end()
        elif self.trainer is trainer:
            self.paused()

    def step(self, n: int) -> None:
        trainer = self.trainer
        for _ in range(n):
            if not trainer.step():
                break
        self.progress(trainer.report(finished=True))
        if trainer.done:
            self.end()
        else:
            self.paused()

    def paused(self) -> None:
        """Say where the paused run is, with the same figures as its result would give."""
        trainer = self.trainer
        last = trainer.history[-1] if trainer.history else None
        self.send(
            "paused",
            self.job,
            {
                "update": trainer.update,
                "epoch": trainer.epoch,
                "last_loss": last,
                "dataset_loss": trainer.dataset_loss(),
            },
        )

    def end(self) -> None:
        trainer, job = self.trainer, self.job
        self.trainer, self.job = None, None
        if trainer is not None:
            self.send("result", job, trainer.result().to_json())

    def compare(self, job: int, payload: dict[str, Any]) -> None:
        import engine
        from engine.train.settings import settings_from
        from engine.train.trainer import compare
        from graph.file_format import loads

        doc = loads(payload["text"], engine.REGISTRY)
        self.stop_requested = False
        self._next_check = 0.0
        results = compare(
            doc, [{"kind": k} for k in payload["kinds"]], settings_from(payload["training"]),
            stop=self.should_stop,
        )  # fmt: skip
        self.send("compared", job, [r.to_json() for r in results])


def worker_main(commands: Any, messages: Any, language: str = "en") -> None:
    """The child process: serve commands until told to quit or the window goes away. It writes its
    messages (errors, a run's summary) in the window's `language`."""
    import signal

    engine.i18n.set_language(language)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the window's to handle; it ends the child
    _Child(commands, messages).serve()


# ----------------------------------------------------------------------------------------- the parent
@dataclass
class RemoteTrainer:
    """The window's view of a run in the child: what the panel shows and the plan for the canvas traces.

    ``plan``, ``parameter_ids``, ``updates_per_epoch`` and ``total_updates`` come from a local
    Trainer.create on the same file text (it checks the settings at once and compiles the same plan);
    ``update``, ``epoch`` and ``status`` follow the child's messages.
    """

    job: int
    plan: Any
    parameter_ids: list[str]
    updates_per_epoch: int
    total_updates: int
    update: int = 0
    epoch: int = 0
    status: str = "ready"
    same_plan: bool = True
    watch: tuple[str, ...] = field(default_factory=tuple)

    @property
    def done(self) -> bool:
        return self.status in ("finished", "converged", "failed")


class WorkerDied(RuntimeError):
    """The child ended without being asked to; `exit_code` is its exit status (None if unknown)."""

    def __init__(self, exit_code: int | None) -> None:
        super().__init__(f"the training process ended unexpectedly (exit code {exit_code})")
        self.exit_code = exit_code


class TrainingWorker:
    """The parent's end: starts the child on first use, queues commands (a sender thread writes them, so
    the GUI thread never blocks on a full pipe) and hands back whatever messages have arrived."""

    def __init__(self) -> None:
        self._proc: Any = None
        self._commands: Any = None
        self._messages: Any = None
        self._outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._sender: threading.Thread | None = None
        self._jobs = itertools.count(1)
        self.started_at: float | None = None

    def new_job(self) -> int:
        return next(self._jobs)

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.is_alive()

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    def ensure_started(self) -> None:
        if self._proc is not None:
            if self._proc.is_alive():
                return
            self.close()
        ctx = mp.get_context("spawn")
        cmd_read, cmd_write = ctx.Pipe(duplex=False)
        msg_read, msg_write = ctx.Pipe(duplex=False)
        proc = ctx.Process(
            target=worker_main,
            args=(cmd_read, msg_write, engine.i18n.current()),
            name="backprop-studio-training",
            daemon=True,
        )
        # NOTE: small matrices: one BLAS thread is fastest, and more would fight the GUI thread for cores.
        # A spawned child takes the environment at its start; the user's own setting wins.
        saved = {k: os.environ.get(k) for k in PINNED_THREADS}
        for k in PINNED_THREADS:
            os.environ.setdefault(k, "1")
        try:
            proc.start()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
        cmd_read.close()
        msg_write.close()
        self._proc, self._commands, self._messages = proc, cmd_write, msg_read
        self._outbox = queue.SimpleQueue()
        self._sender = threading.Thread(
            target=_send_loop, args=(self._outbox, cmd_write), name="training-commands", daemon=True
        )
        self._sender.start()
        self.started_at = time.perf_counter()

    def send(self, kind: str, job: Any = None, payload: Any = None) -> None:
        self.ensure_started()
        self._outbox.put((kind, job, payload))

    def poll(self, max_messages: int = 64) -> list[tuple[str, Any, Any]]:
        """The messages that have arrived (never blocks for long). Raises WorkerDied if the child is gone."""
        if self._messages is None:
            return []
        out = []
        try:
            while len(out) < max_messages and self._messages.poll():
                out.append(self._messages.recv())
        except (EOFError, OSError):
            code = None if self._proc is None else self._proc.exitcode
            self.close()
            if out:
                return out
            raise WorkerDied(code) from None
        return out

    def close(self, timeout: float = 1.0) -> None:
        """Ask the child to quit; terminate it if it does not. Safe to call more than once."""
        proc, self._proc = self._proc, None
        if self._sender is not None:
            self._outbox.put(("quit", None, None))
            self._outbox.put(None)
            self._sender.join(timeout)
            self._sender = None
        if proc is not None:
            proc.join(timeout)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout)
            if not proc.is_alive():
                proc.close()
        for conn in (self._commands, self._messages):
            if conn is not None:
                conn.close()
        self._commands = self._messages = None


def _send_loop(outbox: queue.SimpleQueue[Any], conn: Any) -> None:
    while True:
        item = outbox.get()
        if item is None:
            return
        try:
            conn.send(item)
        except (OSError, ValueError):
            return  # the child has gone; poll() reports it
