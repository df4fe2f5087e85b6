"""The teacher's kit on paper: per variant a student sheet and an answer key, and one summary table.

Each comes as Markdown or as an HTML page in the worked solution's page format (engine.teach.html).
The student sheet shows the graph's picture with only the given numbers, the given values, what to do
(one pass and its update, or K SGD steps over the dataset rows), and one blank per asked quantity; the
answer key fills every blank and adds the worked solution of the variant. Exact answers (rational
graphs) are written out in full (0.0625); others are rounded to the stated number of decimals.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from engine.i18n import _, current, ngettext, pgettext
from engine.teach import html as page
from engine.teach.explain import WorkedSolution, markdown, solve
from engine.teach.formatting import shape_text
from engine.teach.variants import Answer, ExerciseSet, Variant
from graph.document import Document
from graph.file_format import description_for, save
from graph.values import format_number

# picture(doc, numbers) -> the graph drawn as SVG text (numbers=False: only the given values), or None.
# The canvas draws it (Qt), so the caller passes it in: the engine does not import the window's code.
Picture = Callable[..., "str | None"]

COLUMNS_PER_TABLE = 8  # variants side by side in one summary table (wider does not print)


# ------------------------------------------------------------------------------------------ numbers
def decimal_text(x: Fraction) -> str:
    """An exact decimal written out in full: 1/16 → 0.0625, −3/2 → −1.5, 4 → 4."""
    with localcontext() as ctx:
        ctx.prec = 60
        d = Decimal(x.numerator) / Decimal(x.denominator)
    text = format(d.normalize(), "f")
    return text.replace("-", "−")


def rounded_text(x: float, decimals: int) -> str:
    text = f"{x:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "−")


def answer_text(a: Answer, decimals: int) -> str:
    """The answer as text: a number, (a, b) for a vector, [[a, b], [c, d]] for a matrix."""
    if a.exact is not None:
        cells = np.vectorize(decimal_text, otypes=[object])(np.asarray(a.exact, dtype=object))
    else:
        cells = np.vectorize(lambda v: rounded_text(v, decimals), otypes=[object])(a.value)
    return _layout(cells)


def _layout(cells: np.ndarray) -> str:
    """Number texts laid out as the program writes values: 3, (1, 2), [[1, −1], [0.5, 0]]."""
    if cells.ndim == 0:
        return str(cells.item())
    if cells.ndim == 1:
        return "(" + ", ".join(str(c) for c in cells) + ")"
    rows = cells.reshape(cells.shape[0], -1)
    return "[" + ", ".join("[" + ", ".join(str(c) for c in r) + "]" for r in rows) + "]"


def given_text(value: Any) -> str:
    arr = np.asarray(value, dtype=np.float64)
    return _layout(np.vectorize(lambda v: format_number(float(v), 6).replace("-", "−"), otypes=[object])(arr))


def node_name(doc: Document, node_id: str) -> str:
    """The id, with the label after it when they differ: "H (x·W₁)"."""
    label = doc.node(node_id).label
    return node_id + (f" ({label})" if label and label != node_id else "")


def quantity(es: ExerciseSet, doc: Document, a: Answer) -> str:
    """What an answer is, in words: "value of H (x·W₁)", "∂L/∂W1", "W1 after the update (step 1)"."""
    name = node_name(doc, a.node)
    if a.kind == "value":
        what = _("value of {name}").format(name=name)
    elif a.kind == "gradient":
        what = f"∂{es.output}/∂{name}"
    else:
        what = _("{name} after the update").format(name=name)
    return _("{quantity} (step {step})").format(quantity=what, step=a.step) if a.step else what


def task_text(es: ExerciseSet) -> str:
    """What the student does, in one paragraph."""
    eta = format_number(es.lr, 6)
    steps = es.options.steps
    if steps == 0:
        what = _("Do one forward and one backward pass with the given numbers, then one update "
                 "w ← w − η·∂L/∂w (η = {eta})").format(eta=eta)
    else:
        rows = ", ".join(str(r) for r in es.rows if r is not None)
        if rows:
            feed = _("feeding the dataset rows {rows} (0-based) in this order").format(rows=rows)
        else:
            feed = _("on the given values")
        what = ngettext("Do {count} per-sample SGD step w ← w − η·∂L/∂w (η = {eta}), {feed}",
                        "Do {count} per-sample SGD steps w ← w − η·∂L/∂w (η = {eta}), {feed}",
                        steps).format(count=steps, eta=eta, feed=feed)
    if es.exact:
        rule = _("Every answer is an exact decimal of at most {decimals} places: write it out in full, "
                 "without rounding.").format(decimals=es.options.decimals)
    else:
        rule = _("Give every answer rounded to {decimals} decimal places.")
        rule = rule.format(decimals=es.options.decimals)
    asked = ", ".join(_(find) for find in es.options.find)
    return _("{what}. Find the {asked} asked below. {rule}").format(what=what, asked=asked, rule=rule)


def givens(doc: Document, steps: int) -> list[tuple[str, str, str]]:
    """(node, op, value) of the leaves a pass uses: one pass (steps=0) takes the nodes' own values (an
    input without one, the dataset's first row); SGD steps take the dataset's rows for its columns."""
    columns = doc.dataset_columns()
    out = []
    for n in doc.nodes():
        value = n.value if n.value is not None or n.id not in columns else columns[n.id][0]
        if n.is_leaf and value is not None and not (steps and n.id in columns):
            out.append((node_name(doc, n.id), n.op, given_text(value)))
    return out + (_dataset_givens(columns) if steps else [])


def _dataset_givens(columns: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(name, _("dataset row {row}").format(row=i), given_text(row)) for name, col in columns.items()
            for i, row in enumerate(col)]


# -------------------------------------------------------------------------------------- Markdown
def _first_line(es: ExerciseSet) -> str:
    """The exercise's name: the first line of its description in the current language."""
    return (description_for(es.original, current()) or _("Exercise")).strip().splitlines()[0]


def _title(es: ExerciseSet, v: Variant, what: str) -> str:
    title = _("{exercise}: variant {number} ({what})")
    return title.format(exercise=_first_line(es), number=v.number, what=what)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def sheet_markdown(es: ExerciseSet, v: Variant) -> str:
    out = [f"# {_title(es, v, _('student sheet'))}", "", _("Name:") + " ____________________", "",
           task_text(es), "", "## " + _("Given"), "", _row([_("node"), _("op"), _("value")]), "|---|---|---|"]
    out += [f"| {n} | {pgettext('op', op)} | {val} |" for n, op, val in givens(v.doc, es.options.steps)]
    out += ["", "## " + _("Find"), "", _row(["#", _("quantity"), _("shape"), _("your answer")]),
            "|---|---|---|---|"]
    out += [f"| {i} | {quantity(es, v.doc, a)} | {shape_text(a.value)} | |"
            for i, a in enumerate(v.answers, 1)]
    return "\n".join(out) + "\n"


def key_markdown(es: ExerciseSet, v: Variant, sol: WorkedSolution | None = None) -> str:
    out = [f"# {_title(es, v, _('answer key'))}", "", task_text(es), "", "## " + _("Answers"), "",
           _row(["#", _("quantity"), _("answer")]), "|---|---|---|"]
    out += [f"| {i} | {quantity(es, v.doc, a)} | {answer_text(a, es.options.decimals)} |"
            for i, a in enumerate(v.answers, 1)]
    worked = markdown(sol or variant_solution(es, v), solution_digits(es)).splitlines()
    worked = ["#" + ln if ln.startswith("#") else ln for ln in worked]  # one level below the key's title
    return "\n".join(out + [""] + worked) + "\n"


def summary_markdown(es: ExerciseSet) -> str:
    head, rows = summary_rows(es)
    out = [f"# {_summary_title(es)}", "", task_text(es), ""]
    for start in range(0, len(es.variants), COLUMNS_PER_TABLE):
        cols = slice(start, start + COLUMNS_PER_TABLE)
        out += [_row([_("quantity"), *head[cols]]), "|---" * (len(head[cols]) + 1) + "|"]
        out += [f"| {name} | " + " | ".join(cells[cols]) + " |" for name, cells in rows]
        out.append("")
    return "\n".join(out)


def _summary_title(es: ExerciseSet) -> str:
    count = len(es.variants)
    title = ngettext("{exercise}: {count} variant (for the teacher)",
                     "{exercise}: {count} variants (for the teacher)", count)
    return title.format(exercise=_first_line(es), count=count)


def summary_rows(es: ExerciseSet) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Column heads (V1 …) and rows (a given number or an asked quantity, one cell per variant)."""
    head = [f"V{v.number}" for v in es.variants]
    first = es.variants[0]
    given = [givens(v.doc, es.options.steps) for v in es.variants]
    leaves = ("input", "parameter", "constant")
    rows = [(_("given {name}").format(name=n) + ("" if op in leaves else f" {op}"),
             [g[i][2] for g in given]) for i, (n, op, _value) in enumerate(given[0])]
    d = es.options.decimals
    rows += [(quantity(es, first.doc, a), [answer_text(v.answers[i], d) for v in es.variants])
             for i, a in enumerate(first.answers)]
    return head, rows


def variant_solution(es: ExerciseSet, v: Variant) -> WorkedSolution:
    title = _("Worked solution of variant {number}").format(number=v.number)
    return solve(v.doc, es.options.steps, title=title)


def solution_digits(es: ExerciseSet) -> int:
    """Significant digits of the key's worked solution: enough to write exact answers in full (5.0625,
    not 5.062), and two more than the stated decimals otherwise."""
    return 12 if es.exact else es.options.decimals + 2


# ------------------------------------------------------------------------------------------- HTML
def sheet_html(es: ExerciseSet, v: Variant, picture: str | None = None) -> str:
    e = page.esc
    title = _title(es, v, _("student sheet"))
    body = [f"<h1>{e(title)}</h1>", f'<p>{e(_("Name:"))} <span class="blank"></span></p>',
            f"<p>{e(task_text(es))}</p>"]
    body += page.figure(picture, _("The graph with the given numbers"))
    given = [[e(n), e(pgettext("op", op)), e(val)] for n, op, val in givens(v.doc, es.options.steps)]
    body += [f"<h2>{e(_('Given'))}</h2>", page.table([e(_("node")), e(_("op")), e(_("value"))], given)]
    rows = [[str(i), e(quantity(es, v.doc, a)), e(shape_text(a.value)), '<span class="blank"></span>']
            for i, a in enumerate(v.answers, 1)]
    head = ["#", e(_("quantity")), e(_("shape")), e(_("your answer"))]
    body += [f"<h2>{e(_('Find'))}</h2>", page.table(head, rows)]
    return page.page(title, body, lang=current())


def key_html(es: ExerciseSet, v: Variant, picture: str | None = None,
             sol: WorkedSolution | None = None) -> str:
    e = page.esc
    rows = [[str(i), e(quantity(es, v.doc, a)), e(answer_text(a, es.options.decimals))]
            for i, a in enumerate(v.answers, 1)]
    title = _title(es, v, _("answer key"))
    body = [f"<h1>{e(title)}</h1>", f"<p>{e(task_text(es))}</p>", f"<h2>{e(_('Answers'))}</h2>",
            page.table(["#", e(_("quantity")), e(_("answer"))], rows), '<div class="page-break"></div>']
    body += page.solution_body(sol or variant_solution(es, v), solution_digits(es), picture, level=2)
    return page.page(title, body, lang=current())


def summary_html(es: ExerciseSet) -> str:
    e = page.esc
    head, rows = summary_rows(es)
    body = [f"<h1>{e(_summary_title(es))}</h1>", f"<p>{e(task_text(es))}</p>"]
    for start in range(0, len(es.variants), COLUMNS_PER_TABLE):
        cols = slice(start, start + COLUMNS_PER_TABLE)
        body.append(page.table([e(_("quantity"))] + head[cols], [[e(name)] + [e(c) for c in cells[cols]]
                                                                for name, cells in rows]))
    return page.page(_summary_title(es), body, lang=current())


def answers_json(es: ExerciseSet) -> dict[str, Any]:
    """Every variant's asked quantities, machine-readable (for a checking script or a spreadsheet)."""
    return {
        "exact": es.exact,
        "decimals": es.options.decimals,
        "steps": es.options.steps,
        "find": list(es.options.find),
        "lr": es.lr,
        "variants": [
            {"number": v.number, "file": f"variant_{v.number:02d}.json",
             "answers": [{"step": a.step, "kind": a.kind, "node": a.node, "value": a.value.tolist(),
                          "text": answer_text(a, es.options.decimals)} for a in v.answers]}
            for v in es.variants
        ],
    }


def write_exercise(es: ExerciseSet, folder: str | Path, formats: tuple[str, ...] | list[str] = ("html", "md"),
                   picture: Picture | None = None) -> list[Path]:
    """Write per variant its graph file, student sheet and answer key, then the summary and answers.json,
    into folder (made if missing); returns the files written. Raises OSError."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def write(name: str, text: str) -> None:
        (out / name).write_text(text, encoding="utf-8")
        written.append(out / name)

    for v in es.variants:
        stem = f"variant_{v.number:02d}"
        save(v.doc, out / f"{stem}.json")
        written.append(out / f"{stem}.json")
        sol = variant_solution(es, v)
        if "md" in formats:
            write(f"{stem}_sheet.md", sheet_markdown(es, v))
            write(f"{stem}_key.md", key_markdown(es, v, sol))
        if "html" in formats:
            draw = picture or (lambda doc, numbers=True: None)
            write(f"{stem}_sheet.html", sheet_html(es, v, draw(v.doc, numbers=False)))
            write(f"{stem}_key.html", key_html(es, v, draw(v.doc, numbers=True), sol))
    for fmt in formats:
        write(f"summary.{fmt}", summary_html(es) if fmt == "html" else summary_markdown(es))
    write("answers.json", json.dumps(answers_json(es), indent=1) + "\n")
    return written
