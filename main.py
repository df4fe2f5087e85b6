"""Backprop Studio: `main.py [FILE]` opens the window; the subcommands work headless.

    main.py run FILE [--json] [--output ID]
    main.py check FILE [--output ID]
    main.py train FILE [...]      main.py explain FILE [...]      main.py render FILE -o OUT
    main.py export FILE --to pytorch|onnx -o OUT      main.py import MODEL -o graph.json [...]
    main.py exercise FILE --variants N [--seed S] [--find values,gradients,updates] [--steps K] -o DIR

Invalid input exits with status 2 and one line on stderr naming the place.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from engine.i18n import _, from_environment, ngettext, pgettext, using
from engine.i18n.errors import translate_error

EXIT_INVALID = 2
EXIT_INTERRUPTED = 130  # as a shell reports a command ended by Ctrl+C
COMMANDS = (
    "run", "check", "train", "explain", "exercise", "render", "build-rnn", "export", "import", "diagnose"
)


class UsageError(Exception):
    """A problem with the command line or its input; printed as one line, exit status 2."""


def _load(path: str):
    import engine
    from graph.file_format import load

    return load(path, engine.REGISTRY)


def _plain(arr: Any) -> Any:
    arr = np.asarray(arr)
    return arr.item() if arr.ndim == 0 else arr.tolist()


def cmd_run(args: argparse.Namespace) -> int:
    from engine.compile.plan import compile_plan
    from graph.errors import GraphError
    from graph.values import format_value

    doc = _load(args.file)
    try:
        plan = compile_plan(doc, output=args.output)
    except GraphError:
        # An unfinished graph: print what it computes, then fail as before (the error line, status 2).
        if len(doc):
            _print_partial(doc, args)
        raise
    trace = plan.run()
    if args.json:
        out = {
            "output": trace.output,
            "loss": trace.loss,
            "nodes": {
                n: {"value": _plain(trace.value(n)), "grad": _plain(trace.grad(n))} for n in trace.plan.ids
            },
            "edges": [
                {
                    "source": e.source,
                    "target": e.target,
                    "port": e.port,
                    "value": _plain(trace.edge_value(e)),
                    "grad": _plain(trace.edge_grad(e)),
                }
                for e in trace.plan.edges
            ],
        }
        print(json.dumps(out))
        return 0
    d = args.digits
    output = format_value(trace.value(trace.output), d)
    print(_("output {name} = {value}").format(name=trace.output, value=output))
    print("\n" + _("nodes (value; ∂out/∂node):"))
    width = max(len(n) for n in trace.plan.ids)
    for n, op in zip(trace.plan.ids, trace.plan.ops):
        print(
            f"  {n:<{width}}  {op.id:<14} {_value_word()} {format_value(trace.value(n), d)}"
            f"   {_grad_word()} {format_value(trace.grad(n), d)}"
        )
    print("\n" + _("edges (value forward; gradient back):"))
    for e in trace.plan.edges:
        print(
            f"  {e.source} → {e.target}.{e.port}:  {_value_word()} {format_value(trace.edge_value(e), d)}"
            f"   {_grad_word()} {format_value(trace.edge_grad(e), d)}"
        )
    return 0


def _value_word() -> str:
    """The listing's word before a value, in the language of the run."""
    return pgettext("listing", "value")


def _grad_word() -> str:
    """The listing's word before a gradient, in the language of the run."""
    return pgettext("listing", "grad")


def _print_partial(doc: Any, args: argparse.Namespace) -> None:
    """What an unfinished graph computes, on standard output: the values, the gradients that can be
    computed and, for every other node, what it waits for."""
    from engine.compile.partial import partial_run

    part = partial_run(doc, output=args.output)
    edges = [e for e in doc.edges() if part.value(e.source) is not None]
    if args.json:
        _print_partial_json(part, edges)
    else:
        _print_partial_text(doc, part, edges, args.digits)


def _print_partial_text(doc: Any, part: Any, edges: list[Any], d: int) -> None:
    from graph.values import format_value

    def shown(label: str, arr: Any) -> str:
        return "" if arr is None else f"{label}{format_value(arr, d)}"

    def say(line: str = "") -> None:
        print(one_line(line))  # ids come from the file: escaped, each line stays one line

    if part.waiting:
        say(_("the graph is not complete: what can be computed so far"))
    else:
        say(_("the graph does not run as a whole (the error below says why): what it computes"))
    if part.output is not None:
        output = format_value(part.value(part.output), d)
        say(_("output {name} = {value}").format(name=part.output, value=output))
    what = f"∂{part.output}/∂node" if part.output else _("no gradients: no single scalar output yet")
    say()
    say(_("nodes (value; {what}):").format(what=what))
    width = max(len(n) for n in doc.node_ids())
    for n in part.computed:
        value, grad = format_value(part.value(n), d), shown(f"   {_grad_word()} ", part.grad(n))
        say(f"  {n:<{width}}  {doc.node(n).op:<14} {_value_word()} {value}{grad}")
    if part.waiting:
        say()
        say(_("waiting:"))
    for n in part.waiting:
        say(f"  {n:<{width}}  {doc.node(n).op:<14} {part.reason(n)}")
    say()
    say(_("edges (value forward; gradient back):"))
    for e in edges:
        value = format_value(part.value(e.source), d)
        grad = shown(f"   {_grad_word()} ", part.edge_grad(e))
        say(f"  {e.source} → {e.target}.{e.port}:  {_value_word()} {value}{grad}")
    if part.error:
        say()
        say(_("stopped: {error}").format(error=translate_error(part.error)))


def _print_partial_json(part: Any, edges: list[Any]) -> None:
    out: dict[str, Any] = {
        "complete": part.complete,
        "output": part.output,
        "nodes": {
            n: {"value": _plain_or_none(part.value(n)), "grad": _plain_or_none(part.grad(n))}
            for n in part.computed
        },
        "waiting": {n: part.reason(n) for n in part.waiting},
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "port": e.port,
                "value": _plain_or_none(part.value(e.source)),
                "grad": _plain_or_none(part.edge_grad(e)),
            }
            for e in edges
        ],
    }
    if part.error:
        out["error"] = part.error
    print(json.dumps(out))


def _plain_or_none(arr: Any) -> Any:
    return None if arr is None else _plain(arr)


def cmd_check(args: argparse.Namespace) -> int:
    from engine.compile.gradcheck import gradient_check
    from engine.compile.plan import compile_plan

    doc = _load(args.file)
    plan = compile_plan(doc, output=args.output)
    nodes = ngettext("{count} node", "{count} nodes", len(plan.ids)).format(count=len(plan.ids))
    edges = ngettext("{count} edge", "{count} edges", len(plan.edges)).format(count=len(plan.edges))
    print(_("{file}: valid; {nodes}, {edges}, output {output}").format(
        file=args.file, nodes=nodes, edges=edges, output=plan.output))
    results = gradient_check(plan)
    for r in results:
        if r.skipped:
            print(f"  {r.node:<16} " + _("not checked: {reason}").format(reason=translate_error(r.skipped)))
            continue
        status = (_("ok, at a kink") if r.notes else _("ok")) if r.ok else _("MISMATCH")
        print(f"  {r.node:<16} " + _("max abs error {abs}   max rel error {rel}   {status}").format(
            abs=f"{r.max_abs_error:.2e}", rel=f"{r.max_rel_error:.2e}", status=status))
        for note in r.notes:
            print("    " + _("note: {note}").format(note=translate_error(note)))
    bad = [r.node for r in results if not r.ok]
    if bad:
        print(_("gradient check failed for: {nodes}").format(nodes=", ".join(bad)))
        return 1
    print(_("gradient check passed"))
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    if not args.out.lower().endswith((".png", ".svg")):
        raise UsageError(_("{path}: the image must end in .png or .svg").format(path=args.out))
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from gui.canvas.render import render_file
    except ImportError as err:
        print(_("error: rendering needs PySide6: {error}").format(error=err), file=sys.stderr)
        return 1
    try:
        out, problem = render_file(args.file, args.out, digits=args.digits)
    except OSError as err:
        raise UsageError(str(err)) from None
    if problem:
        print(_("warning: the graph does not run ({problem}); drawn with what it computes so far").format(
            problem=translate_error(problem)), file=sys.stderr)
    print(_("wrote {path}").format(path=out))
    return 0


def picture(doc: Any, digits: int = 4, numbers: bool = True) -> str | None:
    """The graph drawn by the canvas as SVG text (for a page), or None with a warning without PySide6."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from gui.canvas.render import picture_svg
    except ImportError as err:
        print(_("warning: no picture of the graph (drawing needs PySide6: {error})").format(error=err),
              file=sys.stderr)
        return None
    return picture_svg(doc, digits, numbers)


def cmd_explain(args: argparse.Namespace) -> int:
    from engine.teach.explain import explain

    doc = _load(args.file)
    title = _("Worked solution: {name}").format(name=os.path.basename(args.file))
    options = {"lr": args.lr, "order": args.order, "digits": args.digits, "title": title}
    if args.format == "html":
        options["picture"] = picture(doc, args.digits)
    text = explain(doc, args.format, args.steps, args.output, **options)
    if args.out:
        _write(args.out, text)
        print(_("wrote {path}").format(path=args.out))
    else:
        sys.stdout.write(text)
    return 0


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as err:
        raise UsageError(f"{path}: {err.strerror}") from None


def cmd_exercise(args: argparse.Namespace) -> int:
    """Write N variants of the exercise: graph files, student sheets, answer keys, the summary."""
    from engine.teach.sheets import write_exercise
    from engine.teach.variants import ExerciseOptions, make_variants

    formats = _comma_list(args.format)
    if not formats or set(formats) - {"html", "md"}:
        raise UsageError(_("--format takes html, md or html,md; got {got}").format(got=repr(args.format)))
    find = tuple(_comma_list(args.find))
    options = ExerciseOptions(args.variants, args.seed, find, args.steps, args.decimals)
    es = make_variants(_load(args.file), options)
    try:
        write_exercise(es, args.out, formats, picture)
    except OSError as err:
        raise UsageError(f"{err.filename or args.out}: {err.strerror or err}") from None
    if es.exact:
        said = _("wrote {count} variants to {path}: answers exact")
    else:
        said = _("wrote {count} variants to {path}: answers rounded to {decimals} decimals ({reason})")
    print(said.format(count=len(es.variants), path=args.out, decimals=options.decimals,
                      reason=es.exact_reason))
    return 0


def _comma_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def cmd_build_rnn(args: argparse.Namespace) -> int:
    import engine
    from engine.compile.plan import compile_plan
    from engine.train.initialisers import draw
    from graph.builders import RnnSpec, unrolled_rnn
    from graph.file_format import save

    spec = RnnSpec(
        args.T,
        args.input,
        args.hidden,
        args.output_size,
        args.activation,
        output_activation=args.output_activation,
        bias=args.bias,
        loss=args.loss,
        weight_value=args.weight,
        seed=args.seed,
        lr=args.lr,
    )
    try:
        doc = unrolled_rnn(spec, engine.REGISTRY, draw)
    except ValueError as err:
        raise UsageError(str(err)) from None
    plan = compile_plan(doc)
    try:
        save(doc, args.out)
    except OSError as err:
        raise UsageError(f"{args.out}: {err.strerror or err}") from None
    print(_("wrote {path}: RNN unrolled over {steps} steps, {nodes} nodes, output {output}").format(
        path=args.out, steps=args.T, nodes=len(plan.ids), output=plan.output))
    return 0


def _progress_bar(stream: Any) -> Callable[[Any], None]:
    """A one-line terminal progress bar for `train`, redrawn at most ~30 times a second."""
    from graph.values import format_number

    def show(p: Any) -> None:
        total = max(p.total_updates, 1)
        done = min(p.update / total, 1.0)
        bar = "#" * int(done * 24) + "-" * (24 - int(done * 24))
        loss = "" if p.loss is None else "  " + _("loss {value}").format(value=format_number(p.loss, 6))
        counts = _("epoch {epoch}/{epochs}  update {update}/{total}  {rate} upd/s").format(
            epoch=p.epoch, epochs=p.epochs, update=p.update, total=total, rate=f"{p.rate:,.0f}")
        stream.write(f"\r[{bar}] {done:4.0%}  {counts}{loss}   ")
        if p.finished:
            stream.write("\n")
        stream.flush()

    return show


def _train_settings(args: argparse.Namespace, doc: Any) -> Any:
    """The file's training settings with the command line's overrides; epochs beyond the window's
    range only with --allow-long."""
    from engine.train.dataset import epoch_rows
    from engine.train.order import parse_order
    from engine.train.settings import MAX_EPOCHS, settings_from

    if args.epochs is not None and args.epochs > MAX_EPOCHS and not args.allow_long:
        raise UsageError(
            f"--epochs {args.epochs:,} is more than {MAX_EPOCHS:,}: add --allow-long to run that long"
            " (Ctrl+C stops it and keeps the last good weights)"
        )
    overrides = {
        "epochs": args.epochs,
        "lr": args.lr,
        "mode": args.mode,
        "order": None if args.order is None else parse_order(args.order, rows=epoch_rows(doc)),
        "seed": args.seed,
        "batch_size": args.batch_size,
        "optimizer": args.optimizer,
        "momentum": args.momentum,
        "stop_below": args.stop_below,
    }
    return settings_from(doc.training, max_epochs=None if args.allow_long else MAX_EPOCHS, **overrides)


@contextlib.contextmanager
def _stop_on_interrupt() -> Iterator[threading.Event]:
    """An event that Ctrl+C sets, so training stops between two updates and its weights are kept (a
    second Ctrl+C interrupts at once)."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def interrupted(signum: int, frame: Any) -> None:
        stop.set()
        signal.signal(signal.SIGINT, previous)

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def _naming_the_file(path: str) -> Iterator[None]:
    """Errors of the file's training settings, dataset or graph, prefixed with the file's name."""
    from graph.errors import FileFormatError, GraphError

    try:
        yield
    except FileFormatError:
        raise
    except GraphError as err:
        raise UsageError(f"{path}: {err}") from None


def cmd_train(args: argparse.Namespace) -> int:
    from engine.train.initialisers import initial_values
    from engine.train.settings import unknown_keys
    from engine.train.trainer import Trainer
    from graph.file_format import save

    doc = _load(args.file)
    with _naming_the_file(args.file):
        settings = _train_settings(args, doc)
        for key in unknown_keys(doc.training):
            print(_("warning: training key {key!r} is not a training setting; ignored").format(key=key),
                  file=sys.stderr)
        initial = initial_values(doc, training_seed=settings.seed) if args.reinit else None
        trainer = Trainer.create(doc, settings, initial=initial, output=args.output)
    quiet = args.quiet or args.json
    with _stop_on_interrupt() as stop:
        result = trainer.run(None if quiet else _progress_bar(sys.stderr), stop)
    try:
        if args.log:
            with open(args.log, "w", encoding="utf-8") as f:
                f.write(result.loss_csv())
        if args.out:
            trained = doc.copy()
            result.edit(trained).apply(trained)
            save(trained, args.out)
    except OSError as err:
        raise UsageError(f"{err.filename}: {err.strerror or err}") from None
    _print_train_result(args, settings, result)
    if result.error is not None:
        print(_("error: {message}").format(message=result.error), file=sys.stderr)
        return 1
    if stop.is_set():
        print(_("interrupted: the parameters after update {count} are kept").format(count=result.updates),
              file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


def _print_train_result(args: argparse.Namespace, settings: Any, result: Any) -> None:
    from engine.train.results import loss_figures
    from graph.values import format_number, format_value

    if args.json:
        print(json.dumps(result.to_json()))
        return
    losses = loss_figures(result.last_loss, result.final_loss) or _("no loss")
    if result.test_losses:  # training.test_fraction held rows out: their mean loss after the last epoch
        losses += " · " + _("test loss") + " " + format_number(result.test_losses[-1], 6)
    updates = ngettext("{count} update", "{count} updates", result.updates).format(count=result.updates)
    epochs = ngettext("{count} epoch", "{count} epochs", result.epochs).format(count=result.epochs)
    print(_("{status}: {updates}, {epochs} ({optimizer}, lr {lr}, {mode}); {losses}").format(
        status=_(result.status), updates=updates, epochs=epochs, optimizer=settings.optimizer,
        lr=format_number(settings.lr, 6), mode=_(settings.mode), losses=losses))
    for node_id, value in result.parameters.items():
        print(f"  {node_id} = {format_value(value, 6)}")


def cmd_export(args: argparse.Namespace) -> int:
    doc = _load(args.file)
    try:
        if args.to == "onnx":
            from engine.interop.onnx_export import export_onnx

            export_onnx(doc, args.out, float32=args.float32, output=args.output)
        else:
            from engine.interop.pytorch_export import export_pytorch

            if args.float32:
                raise UsageError("--float32 applies to --to onnx; the PyTorch script computes in float64")
            export_pytorch(doc, args.out, title=os.path.basename(args.file), output=args.output)
    except OSError as err:
        raise UsageError(f"{args.out}: {err.strerror or err}") from None
    print(_("wrote {path}").format(path=args.out))
    return 0


def _value_text(text: str, what: str) -> Any:
    """A value from the command line: JSON nested lists, or the window's syntax ('1 2; 3 4')."""
    from graph.values import BadValue, parse_value

    try:
        return json.loads(text) if text.lstrip().startswith("[[[") else parse_value(text)
    except (BadValue, ValueError) as err:
        raise UsageError(f"{what}: {err}") from None


def cmd_import(args: argparse.Namespace) -> int:
    from engine.interop.importing import import_model
    from graph.file_format import save

    values = {}
    for item in args.input_value or []:
        name, sep, text = item.partition("=")
        if not sep or not name:
            raise UsageError(_("--input-value {item}: expected NAME=VALUE").format(item=repr(item)))
        values[name] = _value_text(text, f"--input-value {name}")
    target = None if args.target is None else _value_text(args.target, "--target")
    doc = import_model(args.model, loss=args.loss, target=target, input_values=values)
    try:
        save(doc, args.out)
    except OSError as err:
        raise UsageError(f"{args.out}: {err.strerror or err}") from None
    print(_("wrote {path}: {count} nodes").format(path=args.out, count=len(doc)))
    return 0


def cmd_diagnose(args: argparse.Namespace) -> int:
    from pathlib import Path

    from engine.diagnose.report import diagnose

    doc = _load(args.file)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"{args.out}: {err.strerror or err}") from None
    report = diagnose(doc, epochs=args.epochs)
    written = report.write_numbers(out)
    summary = out / "summary.md"
    summary.write_text(report.summary(os.path.basename(args.file)), encoding="utf-8")
    written.append(summary)
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from gui.panels.training.diagnostics import render_report
    except ImportError as err:
        print(_("warning: no pictures, drawing needs PySide6: {error}").format(error=err), file=sys.stderr)
    else:
        from engine.i18n import current

        written += render_report(report, out, lang=current())  # the pictures' words in --lang too
    for path in written:
        print(_("wrote {path}").format(path=path))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The headless commands, one adder per subcommand (in the order --help lists them)."""
    parser = argparse.ArgumentParser(prog="main.py", description="Backprop Studio (headless commands)")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (
        _add_run,
        _add_check,
        _add_render,
        _add_explain,
        _add_exercise,
        _add_build_rnn,
        _add_train,
        _add_export,
        _add_import,
        _add_diagnose,
    ):
        add(sub)
    for command in sub.choices.values():  # every command's messages and errors, explain's solution
        _add_lang(command)
    return parser


def _add_run(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="forward and backward; every edge's value and gradient")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--output", help="the output node (default: training.loss, else the one sink)")
    p.add_argument("--digits", type=int, default=6, help="significant digits in text output")
    p.set_defaults(func=cmd_run)


def _add_check(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="validate and check gradients against central differences")
    p.add_argument("file")
    p.add_argument("--output")
    p.set_defaults(func=cmd_check)


def _add_render(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="draw the graph as the window does, into a PNG or SVG file")
    p.add_argument("file")
    p.add_argument("-o", "--out", required=True, help="the image to write (.png or .svg)")
    p.add_argument("--digits", type=int, default=4, help="significant digits on the labels")
    p.set_defaults(func=cmd_render)


def _add_explain(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("explain",
                       help="the worked solution: forward table, chain rule, updates (md, tex or html)")
    p.add_argument("file")
    p.add_argument("--format", choices=("md", "tex", "html"), default="md",
                   help="Markdown with maths, LaTeX, or an HTML page with MathML and the graph's picture")
    p.add_argument("--steps", type=int, default=0, help="N per-sample SGD steps, in training order")
    p.add_argument("--lr", type=float, help="learning rate η (default: training.lr)")
    p.add_argument("--order", help="row order: sequential, reverse, shuffle or indices like 1,0")
    p.add_argument("--output", help="the output node (default: training.loss, else the one sink)")
    p.add_argument("--digits", type=int, default=4, help="significant digits")
    p.add_argument("-o", "--out", help="write to this file instead of standard output")
    p.set_defaults(func=cmd_explain)


def _add_lang(
    p: argparse.ArgumentParser,
    help: str = "the language of the text (default: from LC_ALL / LC_MESSAGES / LANG, else en)",
) -> None:
    from engine.i18n import available

    p.add_argument("--lang", choices=available(), help=help)


def _add_exercise(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("exercise", help="exercise variants with fresh numbers: student sheets, answer keys")
    p.add_argument("file")
    p.add_argument("--variants", type=int, default=1, help="how many variants (default 1)")
    p.add_argument("--seed", type=int, default=0, help="seed of the number draws (same seed, same variants)")
    p.add_argument("--find", default="values,gradients,updates", help="what the student finds: any of "
                   "values, gradients, updates, comma-separated")
    p.add_argument("--steps", type=int, default=0, help="0: one pass and its update; K: K SGD steps on rows")
    p.add_argument("--decimals", type=int, default=4,
                   help="decimal places: at most this many in exact answers, else answers rounded to it")
    p.add_argument("--format", default="html,md", help="html, md or html,md (default both)")
    p.add_argument("-o", "--out", required=True, help="the folder to write into (made if missing)")
    p.set_defaults(func=cmd_exercise)


def _add_build_rnn(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build-rnn", help="write an RNN unrolled over T steps, weights shared across steps")
    p.add_argument("-T", type=int, required=True, help="number of time steps")
    p.add_argument("--input", type=int, default=1, help="input size")
    p.add_argument("--hidden", type=int, default=1, help="hidden size")
    p.add_argument("--output-size", type=int, default=1, help="output size")
    p.add_argument("--activation", default="relu", help="hidden activation (relu, tanh, sigmoid, …)")
    p.add_argument("--output-activation", default="identity", help="activation on the output")
    p.add_argument("--bias", action="store_true", help="add biases b (hidden) and c (output)")
    p.add_argument("--loss", choices=("mse", "bce"), default="mse", help="per-step loss, summed over steps")
    p.add_argument("--weight", type=float, help="fill every weight with this constant (default: Xavier)")
    p.add_argument("--seed", type=int, default=0, help="seed of the first weight's init (then +1, +2)")
    p.add_argument("--lr", type=float, default=0.1, help="learning rate stored in the file's training")
    p.add_argument("-o", "--out", required=True, help="the graph file to write")
    p.set_defaults(func=cmd_build_rnn)


def _add_train(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train the parameters on the dataset (settings from the file)")
    p.add_argument("file")
    p.add_argument("--epochs", type=int, help="passes over the dataset (default: training.epochs)")
    p.add_argument("--lr", type=float, help="learning rate η (default: training.lr)")
    p.add_argument("--mode", choices=("sample", "minibatch", "batch"), help="rows per update: 1, k, all")
    p.add_argument("--batch-size", type=int, help="k for --mode minibatch")
    p.add_argument("--order", help="sequential, reverse, shuffle (--seed) or 0-based row indices like 1,0")
    p.add_argument("--seed", type=int, help="shuffle seed, and the init seed with --reinit")
    p.add_argument("--optimizer", choices=("sgd", "adam"))
    p.add_argument("--momentum", type=float, help="SGD momentum μ (PyTorch's: v ← μv + g)")
    p.add_argument("--stop-below", type=float, help="stop when an epoch's mean loss falls below this")
    p.add_argument("--reinit", action="store_true", help="draw every parameter from its init first")
    p.add_argument("--output", help="the loss node (default: training.loss, else the one sink)")
    p.add_argument("--json", action="store_true", help='print {"history", "parameters", "final_loss", …}')
    p.add_argument("--out", help="save a copy of the graph with the trained parameter values")
    p.add_argument("--log", help="write the loss of every update as CSV (update,epoch,loss)")
    p.add_argument("--quiet", action="store_true", help="no progress bar (--json implies it)")
    p.add_argument(
        "--allow-long",
        action="store_true",
        help="allow more than 100,000,000 epochs (Ctrl+C stops, keeping the weights)",
    )
    p.set_defaults(func=cmd_train)


def _add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="write the graph as a PyTorch script or an ONNX model")
    p.add_argument("file")
    p.add_argument("--to", choices=("pytorch", "onnx"), required=True, help="the kind of file to write")
    p.add_argument("-o", "--out", required=True, help="the file to write (model.py, model.onnx)")
    p.add_argument("--float32", action="store_true", help="ONNX in float32 (default float64)")
    p.add_argument("--output", help="the output node (default: training.loss, else the one sink)")
    p.set_defaults(func=cmd_export)


def _add_diagnose(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "diagnose",
        help="why it does (not) train: boundary, dead units, gradient flow, landscape, LR range test",
    )
    p.add_argument("file")
    p.add_argument(
        "--epochs", type=int, default=0, help="train this many epochs first (0: the file's weights)"
    )
    p.add_argument(
        "-o", "--out", required=True, help="the folder for the PNG, JSON, CSV and summary.md files"
    )
    p.set_defaults(func=cmd_diagnose)


def _add_import(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="turn an ONNX model or a PyTorch module into a graph file",
        description="MODEL is an ONNX file (read as data; nothing in it is executed), or a PyTorch module "
        "(needs torch: pip install '.[torch]'): model.py:ClassName, which RUNS model.py as "
        "`python model.py` would, or a saved nn.Module (.pt/.pth), which unpickling also runs.",
    )
    p.add_argument("model", help="model.onnx, model.py:ClassName or module.pt")
    p.add_argument("-o", "--out", required=True, help="the graph file to write")
    p.add_argument("--loss", choices=("mse", "bce", "cross_entropy"), help="add a loss on the first output")
    p.add_argument("--target", help="the loss's target value (rows of targets become a dataset column)")
    p.add_argument(
        "--input-value",
        action="append",
        metavar="NAME=VALUE",
        help="an input's value, e.g. x='[[1, 2]]' (rows of values: the first is the value, all the dataset)",
    )
    p.set_defaults(func=cmd_import)


def run_command(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    with using(getattr(args, "lang", None) or from_environment()):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    """The command, its errors said in one line each (in the language of the run)."""
    from graph.errors import GraphError

    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except (GraphError, UsageError) as err:
        print(_("error: {message}").format(message=one_line(translate_error(str(err)))), file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        # `main.py run FILE | head -2`: the reader has gone; say nothing more, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        # Ctrl+C outside a training run (loading, compiling, checking): nothing to keep, no traceback.
        print("\n" + _("interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED


def one_line(message: str) -> str:
    """The message with control characters escaped (a newline or a terminal escape from a file's ids
    or paths must neither break the line nor reach the terminal)."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in message)


def open_window(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Backprop Studio: opens the window (with FILE if given).",
        epilog="Headless commands: " + ", ".join(COMMANDS) + " (main.py COMMAND --help for each).",
    )
    parser.add_argument("file", nargs="?", help="a graph file to open")
    _add_lang(parser, "the window's language (default: Settings ▸ Language, else the system's)")
    args = parser.parse_args(argv)
    if not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        with using(args.lang or from_environment()):
            print(_("Backprop Studio needs a display. Run it on a desktop, or under a virtual one with\n"
                    "  xvfb-run -a python main.py\n"
                    "For scripts, QT_QPA_PLATFORM=offscreen python main.py runs without showing "
                    "anything, and\nthe headless commands need no display: "
                    "python main.py run|check|train|explain|render FILE"), file=sys.stderr)
        return EXIT_INVALID
    try:
        from gui.app import main as gui_main
    except ImportError as err:
        with using(args.lang or from_environment()):
            print(_("error: the window cannot start: {error}").format(error=err), file=sys.stderr)
        return 1
    return gui_main(args.file, args.lang)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        return run_command(argv)
    return open_window(argv)


if __name__ == "__main__":
    sys.exit(main())
