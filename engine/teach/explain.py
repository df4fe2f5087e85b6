"""The worked solution: the whole trace written out as a person would on paper.

For one forward and backward pass (``steps=0``), or for N per-sample SGD updates (``steps=N``, rows
taken in ``training.order``): the given values, the forward table, every node's formula with its
numbers, every local derivative and chain-rule product, the sums of contributions, the gradient table
and each update w ← w − η·∂L/∂w. Written as Markdown with LaTeX maths (``fmt="md"``) or as a LaTeX
document that compiles with pdflatex (``fmt="tex"``). It runs on the :class:`engine.teach.stepper.Stepper`,
so its numbers are the stepper's, which are the plan's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.compile.plan import Plan, compile_plan
from engine.i18n import _, current, fill, pgettext, using
from engine.teach.explanations import Line, StepExplanation, explain_current
from engine.teach.formatting import render_tex, shape_text, tex_name, tex_text, tex_value, text_char
from engine.teach.names import node_names
from engine.teach.stepper import ParamUpdate, Stepper
from engine.teach.symbolic import symbolic, why_not_symbolic
from engine.train.order import parse_order
from engine.train.settings import settings_from
from graph.document import Document
from graph.errors import GraphError
from graph.file_format import description_for
from graph.values import format_number, text_value

FORMATS = ("md", "tex", "html")
MAX_STEPS = 1000


class ExplainError(GraphError):
    """Bad settings for a worked solution (format, steps, order against the dataset)."""


@dataclass
class PassSolution:
    """One forward and backward pass and the update that follows it."""

    number: int  # 1-based training step, 0 for a single pass
    row: int | None  # dataset row fed in (0-based), None when the document's own values are used
    given: list[tuple[str, str, np.ndarray]]  # (node, op, value) of every leaf
    forward: list[StepExplanation] = field(default_factory=list)
    table: list[tuple[str, str, Line, np.ndarray]] = field(default_factory=list)  # node, op, formula, value
    backward: list[StepExplanation] = field(default_factory=list)
    grads: list[tuple[str, np.ndarray]] = field(default_factory=list)
    loss: float = 0.0
    update: StepExplanation | None = None
    updates: list[ParamUpdate] = field(default_factory=list)


@dataclass
class WorkedSolution:
    title: str
    description: str
    output: str
    lr: float
    passes: list[PassSolution]
    notes: list[str]
    symbolic: list[tuple[str, str]] = field(default_factory=list)  # (text, tex) for a graph of scalars
    names: dict[str, str] = field(default_factory=dict)  # node id → the name a person reads (its label)

    def name(self, node: str) -> str:
        return self.names.get(node, node)


# ------------------------------------------------------------------------------------------ solving
def _settings(doc: Document, lr: float | None, order: Any) -> tuple[float, Any, int, list[str]]:
    """lr, row order, seed and notes, checked as training checks them (an order string is parsed as
    the command line's --order)."""
    if isinstance(order, str):
        order = parse_order(order)
    s = settings_from(doc.training, lr=lr, order=list(order) if isinstance(order, tuple) else order)
    notes: list[str] = []
    if s.optimizer != "sgd" or s.momentum or s.mode != "sample":
        notes.append(_(
            "The training settings say optimizer {optimizer}, momentum {momentum}, mode {mode}; this "
            "worked solution does plain per-sample SGD, w ← w − η·∂L/∂w, one row per step."
        ).format(optimizer=s.optimizer, momentum=format_number(s.momentum, 6), mode=s.mode))
    return s.lr, s.order, s.seed, notes


def _rows(order: Any, n_rows: int, seed: int) -> Iterator[int]:
    """Row indices in training order, epoch after epoch."""
    if isinstance(order, (list, tuple)):
        bad = [i for i in order if not 0 <= int(i) < n_rows]
        if bad:
            raise ExplainError(_(
                "training 'order' names row {row} but the dataset has {count} rows "
                "(indices are 0-based: 0 … {last})"
            ).format(row=bad[0], count=n_rows, last=n_rows - 1))
    rng = np.random.default_rng(seed)
    while True:
        yield from _epoch(order, n_rows, rng)


def _epoch(order: Any, n_rows: int, rng: np.random.Generator) -> Iterator[int]:
    """One epoch's rows (a shuffle draws a new permutation each epoch)."""
    if isinstance(order, (list, tuple)):
        return (int(i) for i in order)
    if order == "reverse":
        return iter(range(n_rows - 1, -1, -1))
    if order == "shuffle":
        return (int(i) for i in rng.permutation(n_rows))
    return iter(range(n_rows))


def _dataset_rows(doc: Document, order: Any, seed: int) -> Iterator[int] | None:
    """The dataset rows the steps feed in, in training order; None when the graph has no dataset."""
    columns = doc.dataset_columns()
    n_rows = len(next(iter(columns.values()))) if columns else 0
    return _rows(order, n_rows, seed) if n_rows else None


def _feed(plan: Plan, leaves: list[Any], row: int) -> None:
    for name, column in plan.doc.dataset_columns().items():
        if name not in plan.slot:
            raise ExplainError(_("dataset column {name!r} names no node of the graph").format(name=name),
                               node=name)
        col = np.asarray(column, dtype=np.float64)
        shape = tuple(plan.shapes.get(name, col.shape[1:]))
        try:
            leaves[plan.slot[name]] = np.array(col[row], dtype=np.float64).reshape(shape)
        except ValueError:
            raise ExplainError(
                _("dataset column {name!r}: rows of shape {rows} do not fit input {name!r} of shape {shape}")
                .format(name=name, rows=col.shape[1:], shape=shape),
                node=name,
            ) from None


def solve_pass(plan: Plan, leaves: list[Any], lr: float, number: int = 0, row: int | None = None
               ) -> PassSolution:
    """Step through one pass, keeping every explanation, then the update.

    A pass whose values or gradients are not finite is refused as `run` refuses it (NumericError naming
    the node): a worked solution full of nan teaches nothing."""
    plan.run(list(leaves), check=True)
    st = Stepper(plan, leaves)
    sol = PassSolution(number, row, _given(plan, leaves))
    while st.step_forward() is not None:
        ex = explain_current(st)
        sol.forward.append(ex)
        assert ex.node is not None and ex.formula is not None and ex.value is not None
        sol.table.append((ex.node, ex.op or "", ex.formula, ex.value))
    while st.step_backward() is not None:
        sol.backward.append(explain_current(st))
    tr = st.trace()
    sol.loss = tr.loss
    sol.grads = [(plan.ids[s], tr.grad_list[s]) for s in _leaves_reaching_output(plan)]
    st.apply_update(lr)
    sol.update = explain_current(st)
    sol.updates = sol.update.updates
    return sol


def _given(plan: Plan, leaves: list[Any]) -> list[tuple[str, str, np.ndarray]]:
    """(node, op, value) of every leaf that has a value."""
    return [(plan.ids[s], plan.ops[s].id, np.asarray(v)) for s, v in enumerate(leaves)
            if plan.ops[s].is_leaf and v is not None]


def _leaves_reaching_output(plan: Plan) -> list[int]:
    """Slots of the leaves whose gradient the worked solution lists (those the output depends on)."""
    return [s for s, op in enumerate(plan.ops) if op.is_leaf and plan.reaches_output[s]]


def training_rows(doc: Document, steps: int, order: Any = None) -> list[int | None]:
    """The dataset row each of `steps` SGD steps feeds in, in training order ([None] for one pass on the
    graph's own values, None per step without a dataset): the rows `solve` walks."""
    if steps == 0:
        return [None]
    _, rows_order, seed, _ = _settings(doc, None, order)
    rows = _dataset_rows(doc, rows_order, seed)
    return [None if rows is None else next(rows) for _ in range(steps)]


def _solve_steps(plan: Plan, steps: int, lr: float, rows: Iterator[int] | None) -> list[PassSolution]:
    """`steps` SGD updates, each on the next dataset row (or the inputs' own values)."""
    leaves = plan.leaf_values()
    passes: list[PassSolution] = []
    for i in range(steps):
        current = list(leaves)
        row = None
        if rows is not None:
            row = next(rows)
            _feed(plan, current, row)
        sol = solve_pass(plan, current, lr, i + 1, row)
        passes.append(sol)
        for u in sol.updates:
            leaves[plan.slot[u.node]] = u.new
    return passes


def solve(doc: Document, steps: int = 0, output: str | None = None, *, lr: float | None = None,
          order: Any = None, title: str | None = None) -> WorkedSolution:
    """The worked solution as data: one pass (steps=0) or `steps` SGD updates, written in the current
    language (engine.i18n.using); the description is the document's in that language."""
    if not 0 <= steps <= MAX_STEPS:
        raise ExplainError(_("--steps must be between 0 and {most}, got {steps}").format(most=MAX_STEPS,
                                                                                      steps=steps))
    rate, rows_order, seed, notes = _settings(doc, lr, order)
    plan = compile_plan(doc, output=output or (doc.training or {}).get("loss"))
    if steps == 0:
        passes = [solve_pass(plan, plan.leaf_values(), rate)]
    else:
        rows = _dataset_rows(doc, rows_order, seed)
        passes = _solve_steps(plan, steps, rate, rows)
        if rows is None:
            notes.append(_("The graph has no dataset: every step uses the inputs' own values."))
    name = title or _("Worked solution")
    return WorkedSolution(name, description_for(doc, current()), plan.output, rate, passes, notes,
                          _symbolic_lines(plan), node_names(doc))


def _symbolic_lines(plan: Plan) -> list[tuple[str, str]]:
    """The output and its gradient with respect to each input and parameter, in symbols."""
    if why_not_symbolic(plan) is not None:
        return []
    result = symbolic(plan)
    lines = [(result.value_text(plan.output), result.value_tex(plan.output))]
    lines += [(result.grad_text(n), result.grad_tex(n)) for n in result.symbols]
    return lines


# ------------------------------------------------------------------------------------------ writing
def explain(doc: Document, fmt: str = "md", steps: int = 0, output: str | None = None, *,
            lr: float | None = None, order: Any = None, digits: int = 4, title: str | None = None,
            picture: str | None = None, lang: str | None = None) -> str:
    """The worked solution as Markdown with LaTeX maths (fmt="md"), a LaTeX document ("tex") or a
    self-contained HTML page with MathML ("html"; picture: the graph as SVG text to embed), in `lang`
    (None: the current language of engine.i18n; an unknown one: English)."""
    if fmt not in FORMATS:
        raise ExplainError(f"format must be md, tex or html, got {fmt!r}")
    with using(lang or current()):
        sol = solve(doc, steps, output, lr=lr, order=order, title=title)
        if fmt == "html":
            from engine.teach.html import html_solution  # the page module builds on this one

            return html_solution(sol, digits, picture)
        return markdown(sol, digits) if fmt == "md" else latex(sol, digits)


def _markdown_safe(text: str) -> str:
    """A description as Markdown text that cannot carry HTML, scripts or links from the file."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("](", "]&#40;")  # no [text](target) link; brackets themselves stay (matrices)


def pass_heading(p: PassSolution) -> str:
    if p.number == 0:
        return ""
    if p.row is None:
        return _("Training step {number}").format(number=p.number)
    return _("Training step {number} (dataset row {row}, 0-based)").format(number=p.number, row=p.row)


def _given_inline(sol: WorkedSolution, p: PassSolution) -> str:
    return ", ".join(f"{sol.name(n)} = {text_value(v)}" for n, _, v in p.given)


def many_passes(sol: WorkedSolution) -> bool:
    """Whether the solution has training steps (each under its own heading) rather than one pass."""
    return len(sol.passes) > 1 or sol.passes[0].number > 0


def markdown(sol: WorkedSolution, digits: int = 4) -> str:
    out = _md_header(sol)
    many = many_passes(sol)
    h = "###" if many else "##"
    for p in sol.passes:
        if many:
            given = _("Given: {values}").format(values=_given_inline(sol, p))
            out += [f"## {pass_heading(p)}", "", given, ""]
        out += _md_given(sol, p, h, digits)
        out += _md_forward(sol, p, h, digits)
        out += [f"{h} {_('Backward pass')}", ""] + _md_steps(p.backward, digits)
        out += _md_gradients(sol, p, h, digits)
        out += _md_update(sol, p, h, digits)
    return "\n".join(out).rstrip() + "\n"


def _md_header(sol: WorkedSolution) -> list[str]:
    """Title, description, output and learning rate, notes, and the symbolic forms."""
    out: list[str] = [f"# {sol.title}", ""]
    if sol.description:
        out += [_markdown_safe(sol.description), ""]
    out += [fill(_("Output (the loss): {name}. Learning rate η = {lr}."), _md_escape,
                 name=f"**{_md_escape(sol.name(sol.output))}**", lr=_num(sol.lr)), ""]
    out += [f"> {n}" for n in sol.notes]
    if sol.notes:
        out.append("")
    if sol.symbolic:
        out += [f"## {_('Symbolically')}", ""]
        for text, tex in sol.symbolic:
            out += ["$$", tex, "$$", "", f"({text})", ""]
    return out


def _md_given(sol: WorkedSolution, p: PassSolution, h: str, digits: int) -> list[str]:
    out = [f"{h} {_('Given values')}", "", _md_row(_("node"), _("op"), _("value"), _("shape")),
           "|---|---|---|---|"]
    out += [f"| {_md_cell(sol.name(n))} | {op_label(op)} | ${tex_value(v, digits)}$ | {shape_text(v)} |"
            for n, op, v in p.given]
    return out + [""]


def _md_forward(sol: WorkedSolution, p: PassSolution, h: str, digits: int) -> list[str]:
    """The forward table, then each forward step written out."""
    out = [f"{h} {_('Forward pass')}", "", _md_row(_("node"), _("op"), _("formula"), _("value"), _("shape")),
           "|---|---|---|---|---|"]
    out += [f"| {_md_cell(sol.name(n))} | {op_label(op)} | ${render_tex(formula.parts, digits)}$ | "
            f"${tex_value(v, digits)}$ | {shape_text(v)} |" for n, op, formula, v in p.table]
    return out + [""] + _md_steps(p.forward, digits)


def _md_steps(steps: list[StepExplanation], digits: int) -> list[str]:
    out: list[str] = []
    for ex in steps:
        out += [f"**{ex.title}**", ""] + _md_lines(ex, digits)
    return out


def _md_gradients(sol: WorkedSolution, p: PassSolution, h: str, digits: int) -> list[str]:
    loss = sol.name(sol.output)
    total = _("Loss {name} = {value}.").format(name=loss, value=_num(p.loss, digits))
    out = [f"{h} {_('Gradients')}", "", total, "",
           _md_row(_("node"), f"∂{loss}/∂{_('node')}", _("as text")), "|---|---|---|"]
    out += [f"| {_md_cell(sol.name(n))} | ${tex_value(g, digits)}$ | {text_value(g, digits)} |"
            for n, g in p.grads]
    return out + [""]


def _md_update(sol: WorkedSolution, p: PassSolution, h: str, digits: int) -> list[str]:
    """Each w ← w − η·∂L/∂w, then the table of parameters before and after."""
    if p.update is None:
        return []
    out = [f"{h} {_('Update (η = {lr})').format(lr=_num(sol.lr))}", ""] + _md_lines(p.update, digits)
    if p.updates:
        out += [_md_row(_("parameter"), _("before"), _("gradient"), _("after")), "|---|---|---|---|"]
        out += [f"| {_md_cell(sol.name(u.node))} | {text_value(u.old, digits)} | "
                f"{text_value(u.grad, digits)} | {text_value(u.new, digits)} |" for u in p.updates]
        out.append("")
    return out


def _md_lines(ex: StepExplanation, digits: int) -> list[str]:
    out = []
    for ln in ex.lines():
        if ln.caption:
            out.append(f"{_md_escape(ln.caption)}:" if ln.parts else _md_escape(ln.caption))
            out.append("")
        if ln.parts:
            out += ["$$", render_tex(ln.parts, digits), "$$", ""]
    return out


def _md_escape(text: str) -> str:
    return text.replace("*", r"\*").replace("_", r"\_").replace("|", r"\|")


def _md_row(*cells: str) -> str:
    """A Markdown table row (a heading row here: the words are the catalogue's)."""
    return "| " + " | ".join(_md_cell(c) for c in cells) + " |"


def op_label(op: str) -> str:
    """An op id as the tables show it: the id itself in English, the op's name in another language."""
    return pgettext("op", op)


def _md_cell(text: str) -> str:
    """A name in a Markdown table cell: a | would end the cell."""
    return text.replace("|", r"\|")


def _num(x: float, digits: int = 6) -> str:
    return format_number(float(x), digits)


# ------------------------------------------------------------------------------------------ LaTeX
LATEX_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{4pt}
%(language)s\begin{document}
"""
# Russian text needs Cyrillic fonts and hyphenation, with babel. Under pdflatex: the T2A encoding (the
# LH or cm-super fonts of texlive-lang-cyrillic). Under xelatex and lualatex T2A would set Latin Modern,
# which has no Cyrillic letters (every one a "Missing character"): there fontspec picks a Unicode font
# that has them, Computer Modern Unicode (the look of the maths) if installed, else DejaVu Serif.
_CYRILLIC_FONTS = r"""\usepackage{iftex}
\ifPDFTeX
  \usepackage[T2A]{fontenc}
  \usepackage[utf8]{inputenc}
\else
  \usepackage{fontspec}
  \IfFontExistsTF{CMU Serif}{\setmainfont{CMU Serif}}%
    {\IfFontExistsTF{DejaVu Serif}{\setmainfont{DejaVu Serif}}{}}
\fi
"""
LATEX_LANGUAGE = {
    "ru": _CYRILLIC_FONTS + "\\usepackage[russian]{babel}\n",
}


# Text characters without a maths form that a description in Russian (or any) uses: the sheets' quotation
# marks, dashes and arrows (with T2A, the Russian setup, the guillemets and № are in the font).
_TEXT_SYMBOLS = {"«": r"\guillemotleft{}", "»": r"\guillemotright{}", "—": "---", "–": "--", "→": r"$\to$",
                 "½": r"$\frac{1}{2}$", "№": r"\textnumero{}"}


def latex_text(text: str) -> str:
    """Running text for LaTeX: specials escaped, known symbols (∂, ŷ, η …) set in maths."""
    out = []
    for ch in text:
        if ch in "\\&%$#_{}~^":
            out.append({"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
                       .get(ch, "\\" + ch))
        elif ch in _TEXT_SYMBOLS:
            out.append(_TEXT_SYMBOLS[ch])
        elif ch.isascii() or "\u0400" <= ch <= "\u04ff":  # Cyrillic is text, set as it is
            out.append(ch)
        else:
            t = tex_text(ch)
            out.append(text_char(ch) if t.startswith(r"\text") else f"${t}$")
    return "".join(out)


def latex(sol: WorkedSolution, digits: int = 4) -> str:
    out = _tex_header(sol)
    many = many_passes(sol)
    sub = r"\subsubsection*" if many else r"\subsection*"
    for p in sol.passes:
        if many:
            out.append(r"\subsection*{" + latex_text(pass_heading(p)) + "}")
        out += _tex_given(sol, p, sub, digits)
        out += _tex_forward(sol, p, sub, digits)
        out.append(sub + "{" + latex_text(_("Backward pass")) + "}")
        for ex in p.backward:
            out += _tex_lines(ex, digits)
        out += _tex_gradients(sol, p, sub, digits)
        if p.update is not None:
            out.append(sub + "{" + _tex_fill(_("Update (η = {lr})"), lr=f"${_num(sol.lr)}$") + "}")
            out += _tex_lines(p.update, digits, title=False)
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def _tex_header(sol: WorkedSolution) -> list[str]:
    """Preamble, title, description, output and learning rate, notes, and the symbolic forms."""
    preamble = LATEX_PREAMBLE % {"language": LATEX_LANGUAGE.get(current(), "")}
    out: list[str] = [preamble, r"\section*{" + latex_text(sol.title) + "}"]
    if sol.description:
        out.append(latex_text(sol.description) + "\n")
    loss = tex_name(sol.name(sol.output))
    out.append(_tex_fill(_("Output (the loss): {name}. Learning rate η = {lr}."), name=f"${loss}$",
                    lr=f"${_num(sol.lr)}$") + "\n")
    for n in sol.notes:
        out.append(r"\emph{" + latex_text(n) + "}\n")
    if sol.symbolic:
        out.append(r"\subsection*{" + latex_text(_("Symbolically")) + "}")
        out += [r"\[ " + tex + r" \]" for _, tex in sol.symbolic]
    return out


def _tex_given(sol: WorkedSolution, p: PassSolution, sub: str, digits: int) -> list[str]:
    out = [sub + "{" + latex_text(_("Given values")) + "}",
           r"\begin{tabular}{lll}" + "\n" + _tex_row(_("node"), _("op"), _("value"))]
    out += [f"{latex_text(sol.name(n))} & {latex_text(op_label(op))} & ${tex_value(v, digits)}$ \\\\"
            for n, op, v in p.given]
    return out + [r"\end{tabular}" + "\n"]


def _tex_forward(sol: WorkedSolution, p: PassSolution, sub: str, digits: int) -> list[str]:
    """The forward table, then each forward step written out."""
    out = [sub + "{" + latex_text(_("Forward pass")) + "}",
           r"\begin{tabular}{lll}" + "\n" + _tex_row(_("node"), _("formula"), _("value"))]
    out += [f"{latex_text(sol.name(n))} & ${render_tex(formula.parts, digits)}$ & "
            f"${tex_value(v, digits)}$ \\\\[2pt]" for n, _, formula, v in p.table]
    out.append(r"\end{tabular}" + "\n")
    for ex in p.forward:
        out += _tex_lines(ex, digits)
    return out


def _tex_gradients(sol: WorkedSolution, p: PassSolution, sub: str, digits: int) -> list[str]:
    loss = tex_name(sol.name(sol.output))
    total = _tex_fill(_("Loss {name} = {value}."), name=f"${loss}$", value=f"${_num(p.loss, digits)}$")
    out = [sub + "{" + latex_text(_("Gradients")) + "}", total + "\n",
           r"\begin{tabular}{ll}" + "\n" + latex_text(_("node")) + f" & $\\partial {loss}/\\partial$ "
           + latex_text(_("node")) + r" \\ \hline"]
    out += [f"{latex_text(sol.name(n))} & ${tex_value(g, digits)}$ \\\\[2pt]" for n, g in p.grads]
    return out + [r"\end{tabular}" + "\n"]


def _tex_fill(template: str, **values: str) -> str:
    """A translated sentence for LaTeX with its values (maths already): "$\\eta$ = $1$" becomes one
    formula, "$\\eta = 1$", as an equation is set."""
    return fill(template, latex_text, **values).replace("$ = $", " = ")


def _tex_row(*cells: str) -> str:
    """A table's heading row."""
    return " & ".join(latex_text(c) for c in cells) + r" \\ \hline"


def _tex_lines(ex: StepExplanation, digits: int, title: bool = True) -> list[str]:
    out = [r"\paragraph{" + latex_text(ex.title) + "}"] if title else []
    for ln in ex.lines():
        if ln.caption:
            out.append(latex_text(ln.caption) + (":" if ln.parts else "") + "\n")
        if ln.parts:
            out.append(r"\[ " + render_tex(ln.parts, digits) + r" \]")
    return out
