"""The worked solution (and the exercise sheets) as one self-contained HTML page.

Built from the same data as the Markdown and LaTeX (`explain.solve`'s WorkedSolution), not converted
from them: every formula is the TeX the op records already give (`render_tex`), turned into MathML with
latex2mathml, so any modern browser lays out the maths without a TeX installation or a script. The page
carries its own styles, including print styles ("print to PDF" gives a clean handout: A4 margins, no
table or formula split across pages). The graph's picture is an SVG the caller passes in, since drawing
it needs the canvas (Qt), which the engine does not import.
"""

from __future__ import annotations

import html
import re

from engine.i18n import _, current, fill
from engine.teach.explain import (
    PassSolution,
    StepExplanation,
    WorkedSolution,
    many_passes,
    op_label,
    pass_heading,
)
from engine.teach.formatting import render_tex, shape_text, tex_name, tex_value
from graph.values import format_number, text_value

STYLE = """
:root { color-scheme: light; }
body { font-family: "DejaVu Serif", Georgia, serif; max-width: 56em; margin: 2em auto; padding: 0 1em;
       line-height: 1.45; color: #111; background: #fff; }
h1 { font-size: 1.6em; margin-bottom: 0.3em; } h2 { font-size: 1.3em; margin-top: 1.6em; }
h3 { font-size: 1.1em; margin-top: 1.2em; } h4 { font-size: 1em; margin: 1em 0 0.3em; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border: 1px solid #999; padding: 0.25em 0.6em; text-align: left; vertical-align: middle; }
th { background: #eef; }
.note { border-left: 3px solid #c90; padding: 0.2em 0.8em; background: #fffbea; }
.step p { margin: 0.3em 0; }
math[display="block"] { margin: 0.4em 0 0.4em 1.5em; }
figure.graph { margin: 1em 0; text-align: center; }
figure.graph svg { max-width: 100%; height: auto; border: 1px solid #ccc; }
.blank { display: inline-block; min-width: 8em; border-bottom: 1px solid #333; height: 1.3em; }
.meta { color: #444; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h1 { margin-top: 0; } h2 { margin-top: 1em; }
  th, td { padding: 0.15em 0.5em; }
  .blank { height: 1.1em; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  tr, figure, math[display="block"], .step { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }  /* a table that goes on over a page repeats its heading */
  .page-break { break-before: page; page-break-before: always; }
  a { color: inherit; text-decoration: none; }
}
"""


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def node_cell(node_id: str) -> str:
    """A node id for a table cell, breakable after its underscores (sum_sum_relu_leaky_relu would push
    the table off the page)."""
    return esc(node_id).replace("_", "_<wbr>")


_PMATRIX = re.compile(r"(<mo>&#x00028;</mo><mtable>.*?</mtable><mo>&#x00029;</mo>)")


def math(tex: str, display: bool = False) -> str:
    """TeX as MathML (inline, or a displayed block)."""
    from latex2mathml.converter import convert

    mathml = convert(tex, display="block" if display else "inline")
    # NOTE: latex2mathml leaves a pmatrix's stretchy parentheses loose in the formula's row, where a
    # browser stretches them to the tallest thing in the row (a row vector beside a 2×2 matrix got
    # parentheses two rows high); each matrix in its own mrow keeps them to its own height.
    return _PMATRIX.sub(r"<mrow>\1</mrow>", mathml)


def page(title: str, body: list[str], lang: str = "en") -> str:
    """A complete HTML document: the styles inline, no scripts, no outside files."""
    head = (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n")
    return head + "\n".join(body) + "\n</body>\n</html>\n"


_ITEM = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s+")


def paragraphs(text: str) -> list[str]:
    """Plain text as the window's exercise panel reads a description: a blank line ends a paragraph, a
    single line break is only wrapping (the descriptions are wrapped by hand at about 100 characters),
    and lines that start with "- ", "• ", "* " or "1. " are list items."""
    out = []
    for block in text.strip().split("\n\n"):
        lines: list[str] = []  # the paragraph before any list item
        items: list[list[str]] = []  # each list item's lines
        for line in block.splitlines():
            if _ITEM.match(line):
                items.append([_ITEM.sub("", line, count=1)])
            else:
                (items[-1] if items else lines).append(line)
        if lines and _flow(lines):
            out.append(f"<p>{esc(_flow(lines))}</p>")
        if items:
            out.append("<ul>" + "".join(f"<li>{esc(_flow(item))}</li>" for item in items) + "</ul>")
    return out


def _flow(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def figure(svg: str | None, caption: str = "") -> list[str]:
    """The graph's picture, an SVG document embedded in the page (its XML prologue dropped)."""
    if not svg:
        return []
    svg = re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return [f'<figure class="graph">{svg}{cap}</figure>']


def table(head: list[str], rows: list[list[str]]) -> str:
    """A table; the cells are HTML already (escape text with esc, maths with math)."""
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def value_math(value: object, digits: int) -> str:
    return math(tex_value(value, digits))


def _num(x: float, digits: int = 6) -> str:
    return format_number(float(x), digits)


# --------------------------------------------------------------------------------- worked solution
def html_solution(sol: WorkedSolution, digits: int = 4, picture: str | None = None) -> str:
    """The worked solution as a page (picture: the graph as SVG text, or None)."""
    return page(sol.title, solution_body(sol, digits, picture, level=1), lang=current())


def solution_body(sol: WorkedSolution, digits: int = 4, picture: str | None = None,
                  level: int = 1) -> list[str]:
    """The page's content; level is the heading level of the title (the answer key nests it)."""
    out = header(sol, level) + figure(picture, _("The graph"))
    many = many_passes(sol)
    h = level + (2 if many else 1)
    for p in sol.passes:
        if many:
            given = ", ".join(f"{esc(n)} = {value_math(v, digits)}" for n, _op, v in p.given)
            out += [f"<h{level + 1}>{esc(pass_heading(p))}</h{level + 1}>",
                    f"<p>{fill(_('Given: {values}'), esc, values=given)}</p>"]
        out += given_section(p, h, digits) + forward_section(p, h, digits) + backward_section(p, h, digits)
        out += gradients_section(sol, p, h, digits) + update_section(sol, p, h, digits)
    return out


def header(sol: WorkedSolution, level: int = 1) -> list[str]:
    """Title, description, output and learning rate, notes, and the symbolic forms."""
    out = [f"<h{level}>{esc(sol.title)}</h{level}>"]
    out += paragraphs(sol.description)
    out.append("<p>" + fill(_("Output (the loss): {name}. Learning rate η = {lr}."), _esc_eta,
                            name=f"<b>{esc(sol.output)}</b>", lr=esc(_num(sol.lr))) + "</p>")
    out += [f'<p class="note">{esc(n)}</p>' for n in sol.notes]
    if sol.symbolic:
        out.append(f"<h{level + 1}>{esc(_('Symbolically'))}</h{level + 1}>")
        for text, tex in sol.symbolic:
            out += [math(tex, display=True), f'<p class="meta">({esc(text)})</p>']
    return out


def given_section(p: PassSolution, h: int, digits: int) -> list[str]:
    rows = [[node_cell(n), esc(op_label(op)), value_math(v, digits), esc(shape_text(v))]
            for n, op, v in p.given]
    return [f"<h{h}>{esc(_('Given values'))}</h{h}>", table(_heads("node", "op", "value", "shape"), rows)]


def forward_section(p: PassSolution, h: int, digits: int) -> list[str]:
    """The forward table, then each forward step written out."""
    rows = [[node_cell(n), esc(op_label(op)), math(render_tex(f.parts, digits)), value_math(v, digits),
             esc(shape_text(v))] for n, op, f, v in p.table]
    out = [f"<h{h}>{esc(_('Forward pass'))}</h{h}>",
           table(_heads("node", "op", "formula", "value", "shape"), rows)]
    return out + steps(p.forward, digits, h)


def backward_section(p: PassSolution, h: int, digits: int) -> list[str]:
    return [f"<h{h}>{esc(_('Backward pass'))}</h{h}>"] + steps(p.backward, digits, h)


def gradients_section(sol: WorkedSolution, p: PassSolution, h: int, digits: int) -> list[str]:
    d = math(rf"\partial {tex_name(sol.output)}/\partial")
    rows = [[node_cell(n), value_math(g, digits), esc(text_value(g, digits))] for n, g in p.grads]
    total = _("Loss {name} = {value}.").format(name=sol.output, value=_num(p.loss, digits))
    return [f"<h{h}>{esc(_('Gradients'))}</h{h}>", f"<p>{esc(total)}</p>",
            table([esc(_("node")), f"{d} {esc(_('node'))}", esc(_("as text"))], rows)]


def update_section(sol: WorkedSolution, p: PassSolution, h: int, digits: int) -> list[str]:
    """Each w ← w − η·∂L/∂w, then the table of parameters before and after."""
    if p.update is None:
        return []
    heading = fill(_("Update (η = {lr})"), _esc_eta, lr=esc(_num(sol.lr)))
    out = [f"<h{h}>{heading}</h{h}>"] + lines(p.update, digits)
    if p.updates:
        rows = [[node_cell(u.node)] + [value_math(x, digits) for x in (u.old, u.grad, u.new)]
                for u in p.updates]
        out.append(table(_heads("parameter", "before", "gradient", "after"), rows))
    return out


def _esc_eta(text: str) -> str:
    """Text for the page with η set as maths, as the formulas set it."""
    return esc(text).replace("η", math(r"\eta"))


def _heads(*words: str) -> list[str]:
    """A table's heading cells in the current language (the words are messages of the catalogue)."""
    return [esc(_(w)) for w in words]


def steps(explanations: list[StepExplanation], digits: int, h: int) -> list[str]:
    out = []
    for ex in explanations:
        out += [f'<div class="step"><h{min(h + 1, 6)}>{esc(ex.title)}</h{min(h + 1, 6)}>']
        out += lines(ex, digits) + ["</div>"]
    return out


def lines(ex: StepExplanation, digits: int) -> list[str]:
    out = []
    for ln in ex.lines():
        if ln.caption:
            out.append(f"<p>{esc(ln.caption)}{':' if ln.parts else ''}</p>")
        if ln.parts:
            out.append(math(render_tex(ln.parts, digits), display=True))
    return out
