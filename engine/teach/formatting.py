"""Rendering for the stepper and the worked solution: values, names and formula templates as plain
text, LaTeX and HTML.

A formula is a list of parts, each either a piece of notation (:class:`Sym`, the same thing in text
and in TeX) or a number (:class:`Num`, an array rendered by each target in its own way: ``(4, 0)ᵀ``
in text, a ``pmatrix`` with its shape in TeX, a small table in HTML).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.i18n import _
from graph.values import format_number, tex_number, text_value


@dataclass(frozen=True)
class Sym:
    """Notation, as text and as TeX (math mode)."""

    text: str
    tex: str


@dataclass(frozen=True)
class Num:
    """A number or an array, shown as a matrix where it is one. An operand (wrap) that is a negative
    number is put in parentheses: 1 · (-2), not 1 · -2."""

    value: Any
    wrap: bool = False

    @property
    def negative_scalar(self) -> bool:
        arr = np.asarray(self.value)
        return arr.size == 1 and float(arr.reshape(-1)[0]) < 0


Part = Sym | Num
Formula = list[Part]
# Formula TeX (mathtext's subset) → HTML showing it typeset (an <img>), or None where it cannot be.
Typeset = Callable[[str], "str | None"]


def sym(text: str, tex: str | None = None) -> Sym:
    """Notation; without a TeX version, the text's known Unicode symbols are mapped to TeX."""
    return Sym(text, tex_symbols(text) if tex is None else tex)


EQ = Sym(" = ", " = ")


# ----------------------------------------------------------------------------------------- names
_SUB_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_TEX_CHARS = {
    "ŷ": r"\hat{y}",
    "ẑ": r"\hat{z}",
    "x̂": r"\hat{x}",
    "α": r"\alpha",
    "β": r"\beta",
    "γ": r"\gamma",
    "δ": r"\delta",
    "ε": r"\varepsilon",
    "η": r"\eta",
    "θ": r"\theta",
    "λ": r"\lambda",
    "μ": r"\mu",
    "σ": r"\sigma",
    "τ": r"\tau",
    "φ": r"\varphi",
    "ω": r"\omega",
    "Σ": r"\Sigma",
    "·": r"\cdot ",
    "−": "-",
    "×": r"\times ",
    "⊙": r"\odot ",
    "ᵀ": r"^{\top}",
    "∂": r"\partial ",
    "≤": r"\le ",
    "≥": r"\ge ",
    "←": r"\leftarrow ",
    "²": "^{2}",
    "³": "^{3}",
    "′": "'",
    "…": r"\ldots ",
    **{d: f"_{{{i}}}" for i, d in enumerate("₀₁₂₃₄₅₆₇₈₉")},
    **{s: f"_{{{c}}}" for s, c in zip("ᵢⱼₖₙₜₓ", "ijkntx")},  # wᵢ in a description: a subscript letter
}


def tex_symbols(text: str) -> str:
    """Text of ASCII and known symbols (·, −, ᵀ, ∂ …) as TeX math, without wrapping it in \\text."""
    return "".join(_TEX_CHARS.get(ch, ch if ch.isascii() else "?") for ch in text)


def tex_text(text: str) -> str:
    """Arbitrary text as TeX math: known Unicode letters mapped, the rest escaped inside \\text{}."""
    out: list[str] = []
    plain: list[str] = []

    def flush() -> None:
        if plain:
            s = "".join(plain)
            for ch, rep in (("\\", r"\textbackslash{}"), ("_", r"\_"), ("%", r"\%"), ("&", r"\&"),
                            ("#", r"\#"), ("$", r"\$"), ("{", r"\{"), ("}", r"\}"), ("^", r"\^{}"),
                            ("~", r"\~{}")):
                s = s.replace(ch, rep)
            out.append(r"\text{" + s + "}")
            plain.clear()

    for ch in text:
        if ch in _TEX_CHARS:
            flush()
            out.append(_TEX_CHARS[ch])
        else:
            plain.append(text_char(ch))
    flush()
    return "".join(out)


def text_char(ch: str) -> str:
    """A character for TeX's text mode: ASCII and Latin letters (ö, é) as they are (LaTeX reads UTF-8),
    anything else "?" (no font of a plain LaTeX installation has it; nor the subscript and superscript
    forms of Latin letters, ᵢ, ⁿ)."""
    latin = ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN")
    if ch.isascii() or (latin and not unicodedata.decomposition(ch).startswith("<")):
        return ch
    return "?"


# W1, W_1, x_i: one letter with a numeric subscript, or a letter one after an underscore (xy is a
# product, not x with subscript y).
_SIMPLE_NAME = re.compile(r"^([A-Za-z])(?:_?([0-9]+)|_([A-Za-z]))?$")
_SUBSCRIPTED = re.compile(r"^([A-Za-zŷσαβγηθλμ])([₀-₉]+)$")


def tex_name(name: str) -> str:
    """A node's name in TeX: W1 → {W_{1}}, x → x, ŷ → \\hat{y}, a₁ → {a_{1}}, y_hat → \\hat{y}.

    A subscripted name is braced, so that a template's own subscript or power ({pred}_i, {a}^{\\top})
    never makes a double subscript."""
    m = _SIMPLE_NAME.match(name)
    if m:
        base, digits, letter = m.groups()
        sub = digits or letter
        return base if sub is None else f"{{{base}_{{{sub}}}}}"
    m = _SUBSCRIPTED.match(name)
    if m:
        base = _TEX_CHARS.get(m.group(1), m.group(1))
        # NOTE: TeX unpacks a group holding one accented atom ({\hat{y}_1}_i is a double subscript);
        # a leading {} keeps the group whole.
        lead = "{}" if base.startswith("\\") else ""
        return f"{{{lead}{base}_{{{m.group(2).translate(_SUB_DIGITS)}}}}}"
    if name in _TEX_CHARS:
        return _TEX_CHARS[name]
    if name in ("yhat", "y_hat"):
        return r"\hat{y}"
    return _tex_word(name)


def _tex_word(name: str) -> str:
    """A name that is no single (subscripted) letter: a word upright, an expression of one-letter
    names as maths (x + y, (x + y)², x·x), anything else as text."""
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name):
        return r"\mathrm{" + name + "}"
    if _MATH_LABEL.fullmatch(name) and not re.search(r"[A-Za-z]{3}", name):
        return tex_symbols(name).strip()
    return tex_text(name)


# Characters an expression label may hold to be set as maths rather than as text.
_MATH_LABEL = re.compile("[A-Za-z0-9 +\\-*/().,=" + "".join(_TEX_CHARS) + "]+")


def text_name(name: str) -> str:
    """A node's name in text: y_hat / yhat → ŷ; anything else as it is."""
    if name in ("yhat", "y_hat"):
        return "ŷ"
    return name


def d_text(num: str, den: str) -> str:
    return f"∂{num}/∂{den}"


def d_tex(num_tex: str, den_tex: str) -> str:
    return rf"\frac{{\partial {num_tex}}}{{\partial {den_tex}}}"


# ----------------------------------------------------------------------------------------- values
def as_array(value: Any) -> np.ndarray:
    return np.asarray(value, dtype=np.float64)


def shape_text(value: Any) -> str:
    arr = as_array(value)
    if arr.ndim == 0:
        return _("scalar")
    return "×".join(str(n) for n in arr.shape)


def tex_value(value: Any, digits: int = 4, shape: bool = True) -> str:
    """A number, or a pmatrix (vectors as rows, columns as columns); matrices carry their shape."""
    arr = as_array(value)
    if arr.size == 1:
        return tex_number(float(arr.reshape(-1)[0]), digits)
    if arr.ndim == 1:
        body = " & ".join(tex_number(float(v), digits) for v in arr)
    elif arr.ndim == 2:
        body = r" \\ ".join(" & ".join(tex_number(float(v), digits) for v in row) for row in arr)
    else:
        return r"\text{" + f"array of shape {arr.shape}" + "}"
    mat = r"\begin{pmatrix} " + body + r" \end{pmatrix}"
    if shape and arr.ndim == 2:
        return r"\underset{" + rf"{arr.shape[0]}\times {arr.shape[1]}" + "}{" + mat + "}"
    return mat


def html_value(value: Any, digits: int = 4, shape: bool = True) -> str:
    """A number, or a bordered table (one row for a vector) with the shape written under it."""
    arr = as_array(value)
    if arr.size == 1:
        return html.escape(format_number(float(arr.reshape(-1)[0]), digits))
    if arr.ndim > 2:
        return html.escape(text_value(arr, digits))
    rows = arr[None, :] if arr.ndim == 1 else arr
    cells = "".join(
        "<tr>" + "".join(f"<td align='right'>{html.escape(format_number(float(v), digits))}</td>"
                         for v in row) + "</tr>"
        for row in rows
    )
    table = f"<table cellspacing='0' cellpadding='2' border='1' style='border-color:#777'>{cells}</table>"
    if shape:
        return (
            "<table cellspacing='0' cellpadding='0'>"
            f"<tr><td>{table}</td></tr><tr><td align='center'><small>{shape_text(arr)}</small></td></tr>"
            "</table>"
        )
    return table


# ----------------------------------------------------------------------------------------- formulas
def _render_parts(parts: Formula, sym_text: Any, num_text: Any) -> list[str]:
    out = []
    for i, p in enumerate(parts):
        if isinstance(p, Sym):
            out.append(sym_text(p))
            continue
        text = num_text(p.value)
        if p.wrap and p.negative_scalar and not _in_parentheses(parts, i, sym_text):
            text = f"({text})"
        out.append(text)
    return out


def _in_parentheses(parts: Formula, i: int, sym_text: Any) -> bool:
    """Whether the notation on both sides of part i already puts it in parentheses: f(-2), not f((-2))."""
    prev = parts[i - 1] if i else None
    nxt = parts[i + 1] if i + 1 < len(parts) else None
    before = sym_text(prev).rstrip() if isinstance(prev, Sym) else ""
    after = sym_text(nxt).lstrip() if isinstance(nxt, Sym) else ""
    return before.endswith("(") and after.startswith(")")


def render_text(parts: Formula, digits: int = 4) -> str:
    return "".join(_render_parts(parts, lambda p: p.text, lambda v: text_value(v, digits)))


def render_tex(parts: Formula, digits: int = 4) -> str:
    return "".join(_render_parts(parts, lambda p: p.tex, lambda v: tex_value(v, digits)))


def render_html(parts: Formula, digits: int = 4, typeset: Typeset | None = None) -> str:
    """Inline text, or, when the formula holds a matrix, one table row whose cells hold the notation
    between the matrices and the matrices themselves (Qt's rich text has no inline tables).

    With `typeset`, each stretch of notation between matrices is the picture it makes of the stretch's
    mathtext TeX (matrices stay tables, whose columns line up); where a stretch is no formula of its own
    (e^{ before a matrix), the whole line is one picture; where that fails too, it is text."""
    runs = _matrix_runs(parts)
    if all(isinstance(r, list) for r in runs):  # no matrix (or nothing at all)
        return _typeset_run(parts, digits, typeset) or _html_text(parts, digits)
    shown = [_typeset_run(r, digits, typeset) if isinstance(r, list) else html_value(r.value, digits)
             for r in runs]
    return _matrix_line(parts, runs, shown, digits, typeset)


def _matrix_line(parts: Formula, runs: list[Formula | Num], shown: list[str | None], digits: int,
                 typeset: Typeset | None) -> str:
    """The stretches and matrices as one table row; the whole line as one picture where a stretch
    could not be typeset alone."""
    whole = typeset(render_mathtext(parts, digits)) if typeset is not None and not all(shown) else None
    return whole or _table_row([c or _html_text(r, digits) for c, r in zip(shown, runs)])  # type: ignore[arg-type]


def _table_row(cells: list[str]) -> str:
    row = "".join(f"<td valign='middle'>{c}</td>" for c in cells)
    return "<table cellspacing='0' cellpadding='1'><tr>" + row + "</tr></table>"


def _matrix_runs(parts: Formula) -> list[Formula | Num]:
    """The matrices of a formula, and the stretches of notation between them."""
    runs: list[Formula | Num] = []
    for p in parts:
        if isinstance(p, Num) and as_array(p.value).size > 1:
            runs.append(p)
        elif runs and isinstance(runs[-1], list):
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


def _typeset_run(parts: Formula, digits: int, typeset: Typeset | None) -> str | None:
    """Notation typeset piece by piece (each = and each + of a sum starts a piece, so that a long line
    wraps there); None where a piece cannot be typeset (one font per formula: all pictures or text)."""
    if typeset is None or not parts:
        return None
    pieces: list[Formula] = [[]]
    for p in parts:
        if pieces[-1] and isinstance(p, Sym) and p.text in (" = ", " + ") and p.tex == p.text:
            pieces.append([])
        pieces[-1].append(p)
    return typeset_pieces([render_mathtext(piece, digits) for piece in pieces], typeset)


def typeset_pieces(texs: list[str], typeset: Typeset) -> str | None:
    """A formula cut in pieces (see :func:`tex_pieces`) typeset piece by piece, with a line-break
    opportunity between them; None when any piece cannot be typeset."""
    # NOTE: "{}" before a piece's leading = or + keeps it a binary operator, spaced on both sides; the
    # zero-width space between pictures lets the line break there.
    pictures = [typeset(("{}" if i else "") + tex) for i, tex in enumerate(texs)]
    if not all(pictures):
        return None
    return "&#8203;".join(p for p in pictures if p)


def _html_text(parts: Formula, digits: int) -> str:
    return "".join(_render_parts(parts, lambda p: html.escape(p.text), lambda v: html_value(v, digits)))


_TOKEN = re.compile(r"\{\{|\}\}|\{(\w+)\}")


def fill_template(
    template: str, names: dict[str, Part], format_style: bool = True
) -> list[str | Part]:
    """Split a formula template into literal text and the parts standing for its placeholders.

    With format_style the template is a str.format string ({{ and }} are literal braces); otherwise
    only {name} for a known name is a placeholder and every other brace is literal.
    """
    out: list[str | Part] = []
    pos = 0
    for m in _TOKEN.finditer(template):
        token = m.group(0)
        name = m.group(1)
        if name is None:
            if not format_style:
                continue
            out.append(template[pos:m.start()] + token[0])
        elif name in names:
            out.append(template[pos:m.start()])
            out.append(names[name])
        else:
            continue
        pos = m.end()
    out.append(template[pos:])
    return [p for p in out if p != ""]


def template_parts(text_template: str, tex_template: str, names: dict[str, Part],
                   format_style: bool = True) -> Formula:
    """One formula from a text template and a TeX template with the same placeholders.

    The two templates are split separately; Sym parts carry the text version in .text and the TeX
    version in .tex, placeholders become the given parts (a name, or a number).
    """
    text_bits = fill_template(text_template, names, format_style)
    tex_bits = fill_template(tex_template, names, format_style)
    # NOTE: the templates are written by hand and need not line up literal for literal; pair them
    # placeholder by placeholder, and fall back to text-only/TeX-only literals between them.
    def split(bits: list[str | Part]) -> tuple[list[str], list[Part]]:
        literals, holes = [""], []
        for b in bits:
            if isinstance(b, str):
                literals[-1] += b
            else:
                holes.append(b)
                literals.append("")
        return literals, holes

    text_lits, text_holes = split(text_bits)
    tex_lits, tex_holes = split(tex_bits)
    if text_holes != tex_holes:
        return [Sym(render_text(_plain_parts(text_bits)), render_tex(_plain_parts(tex_bits)))]
    parts: Formula = []
    for i, lit in enumerate(text_lits):
        if lit or tex_lits[i]:
            parts.append(Sym(lit, tex_lits[i]))
        if i < len(text_holes):
            hole = text_holes[i]
            if _enclosed(lit, text_lits[i + 1]) and _enclosed(tex_lits[i], tex_lits[i + 1]):
                hole = unwrapped(hole)
            parts.append(hole)
    return parts


def _enclosed(before: str, after: str) -> bool:
    """Whether the template puts a placeholder in parentheses (or a TeX group) of its own, or alone on
    one side of an equals sign (x + y = …, not (x + y) = …)."""
    before, after = before.rstrip(), after.lstrip()
    grouped = any(before.endswith(o) and after.startswith(c) for o, c in ("()", "{}"))
    alone = (not before and after.startswith("=")) or (before.endswith("=") and not after)
    return grouped or alone


def unwrapped(part: Part) -> Part:
    """A name in parentheses (an expression label) without them, where the template has its own: f(x + y),
    not f((x + y))."""
    if isinstance(part, Sym) and part.text.startswith("(") and part.text.endswith(")") \
            and part.tex.startswith(r"\left(") and part.tex.endswith(r"\right)"):
        return Sym(part.text[1:-1], part.tex[len(r"\left("):-len(r"\right)")])
    return part


def _plain_parts(bits: list[str | Part]) -> Formula:
    return [Sym(b, b) if isinstance(b, str) else b for b in bits]


# ----------------------------------------------------------------------------------------- mathtext
# Matplotlib's mathtext typesets a subset of TeX without a TeX installation (the step panel's
# pictures). What it lacks is rewritten into what it has; what still fails falls back to plain text.
_MATHTEXT_SUBS = (
    (re.compile(r"\\[td]?frac\b"), r"\\dfrac"),  # inline fractions come out too small to read
    (re.compile(r"\\lvert\b\s*"), "|"),
    (re.compile(r"\s*\\rvert\b"), "|"),
    (re.compile(r"\\le\b"), r"\\leq"),
    (re.compile(r"\\ge\b"), r"\\geq"),
    (re.compile(r"\\small\b\s*"), ""),
)
_CASES = re.compile(r"\\begin\{cases\}(.*?)\\end\{cases\}", re.S)


def _cases_mathtext(m: re.Match[str]) -> str:
    """cases → a brace before stacked rows: "value, condition" per row (mathtext has no arrays)."""
    rows = [r.strip() for r in m.group(1).split(r"\\")]
    cells = [", \\ ".join(c.strip() for c in r.split("&")) for r in rows if r]
    return r"\left\{\substack{" + r" \\ ".join(cells) + r"}\right."


def mathtext_tex(tex: str) -> str:
    """TeX (as the op records and sympy write it) in the dialect matplotlib's mathtext reads."""
    tex = _CASES.sub(_cases_mathtext, tex)
    for pattern, rep in _MATHTEXT_SUBS:
        tex = pattern.sub(rep, tex)
    return tex


def mathtext_value(value: Any, digits: int = 4) -> str:
    """A number, or a matrix as columns of stacked numbers in parentheses (mathtext has no pmatrix);
    a matrix carries its shape underneath, as in :func:`tex_value`."""
    arr = as_array(value)
    if arr.size == 1:
        return tex_number(float(arr.reshape(-1)[0]), digits)
    if arr.ndim == 1:
        return r"\left(" + r"\quad ".join(tex_number(float(v), digits) for v in arr) + r"\right)"
    if arr.ndim > 2:
        return r"\mathrm{array\ of\ shape}\ " + r"\times ".join(str(n) for n in arr.shape)
    columns = (r"\substack{" + r" \\ ".join(tex_number(float(v), digits) for v in col) + "}" for col in arr.T)
    mat = r"\left(" + r"\quad ".join(columns) + r"\right)"
    return r"\underset{" + rf"{arr.shape[0]}\times {arr.shape[1]}" + "}{" + mat + "}"


def render_mathtext(parts: Formula, digits: int = 4) -> str:
    """A formula as TeX that matplotlib's mathtext can typeset (without the surrounding $…$)."""
    return mathtext_tex("".join(_render_parts(parts, lambda p: p.tex, lambda v: mathtext_value(v, digits))))


_BREAK = re.compile(r"\\left\b|\\right\b|[{}]| [=+-] ")


def tex_pieces(tex: str) -> list[str]:
    """TeX cut before each = + − that stands outside every group, so that a long formula can wrap
    there (a typeset piece cannot); each piece after the first starts with its operator."""
    pieces, depth, start = [], 0, 0
    for m in _BREAK.finditer(tex):
        token = m.group(0)
        if token in ("{", r"\left"):
            depth += 1
        elif token in ("}", r"\right"):
            depth -= 1
        elif depth == 0 and m.start() > start:
            pieces.append(tex[start:m.start()])
            start = m.start()
    return pieces + [tex[start:]]
