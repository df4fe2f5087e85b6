"""The names a person reads: a node's label where it has one, else its id.

Explanations, check-my-answer, symbolic forms and worked solutions speak in these names, so a student
who labelled the inputs x and y reads ∂f/∂x, not ∂add3/∂input1. Two nodes may share a label; each
then carries its id as well ("h (H1)" in prose, h with subscript H1 in formulas), so that no two
nodes ever read alike. A label that is an expression ("x + y") is put in parentheses inside a formula:
∂f/∂(x + y).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from engine.teach.formatting import Sym, tex_name, text_name

# A label with one of these is an expression, not a name: it goes in parentheses inside a formula.
_COMPOUND = re.compile(r"[\s=·+\-−*/×(),^²³⊙|]")


def _titles(doc: Any) -> dict[str, str]:
    return {n.id: n.title for n in doc.nodes()}


def _shared(titles: dict[str, str]) -> set[str]:
    counts = Counter(titles.values())
    return {t for t, c in counts.items() if c > 1}


def node_name(doc: Any, node: str) -> str:
    """A node's name in prose: its label (or id), with the id added where another node reads alike."""
    if node not in doc:
        return node
    titles = _titles(doc)
    title = titles[node]
    return f"{title} ({node})" if title in _shared(titles) and title != node else title


def node_names(doc: Any) -> dict[str, str]:
    """Every node's name in prose, by id (see :func:`node_name`)."""
    titles = _titles(doc)
    shared = _shared(titles)
    return {i: f"{t} ({i})" if t in shared and t != i else t for i, t in titles.items()}


# A parenthesised expression, perhaps to a power: it is already one unit, (x + y)² and not ((x + y)²).
_GROUPED = re.compile(r"\([^()]*\)[²³ᵀ]*")


def is_compound(name: str) -> bool:
    """Whether a name is an expression ("x + y", "x·x") rather than a single symbol or group."""
    return bool(_COMPOUND.search(name)) and not _GROUPED.fullmatch(name)


def node_symbol(doc: Any, node: str) -> Sym:
    """How a node is named in a formula: its label as a symbol, in parentheses when the label is an
    expression, with its id as a subscript when another node reads alike."""
    if node not in doc:
        return Sym(text_name(node), tex_name(node))
    titles = _titles(doc)
    title = titles[node]
    text, tex = text_name(title), tex_name(title)
    if is_compound(title):
        text, tex = f"({text})", rf"\left({tex}\right)"
    if title in _shared(titles) and title != node:
        text = f"{text}_{node}"
        tex = "{" + tex + "}_{" + tex_name(node) + "}"
    return Sym(text, tex)


def symbol_name(doc: Any, node: str) -> str:
    """A leaf's name for a sympy symbol: its label, made unique with the id where labels are shared
    (sympy takes two symbols of the same name for one)."""
    return node_symbol(doc, node).text
