"""The engine's Russian beyond the worked solution: the op palette's names and descriptions (every
registered op, every attribute, every group), validation and loader errors, training and diagnostics
messages, the teacher's sheets and the examples' descriptions."""

from __future__ import annotations

import re

import pytest

import engine
from engine.i18n import LOCALE_DIR, using
from engine.i18n.catalogue import parse_po
from engine.ops.registry import GROUPS
from engine.teach.explanations import attr_doc, group_name, op_doc, op_name

RU_PO = LOCALE_DIR / "ru" / "LC_MESSAGES" / "engine.po"
CYRILLIC = re.compile("[а-яё]{3}", re.I)


def _translated() -> dict[tuple[str | None, str], str]:
    entries = parse_po(RU_PO.read_text(encoding="utf-8"))
    return {(e.msgctxt, e.msgid): e.msgstr[0] for e in entries if e.msgid and e.translated}


# ------------------------------------------------------------------------------------------ the palette
@pytest.mark.parametrize("op_id", engine.REGISTRY.ids())
def test_every_op_has_a_russian_name_and_description(op_id):
    op = engine.REGISTRY.get(op_id)
    done = _translated()
    assert (None, op.name) in done and (None, op.doc) in done
    with using("ru"):
        doc = op_doc(op)
        assert doc != op.doc and CYRILLIC.search(doc), doc  # a sentence in Russian, not the English one
        assert op_name(op)  # ReLU and MSE keep their names, so only that there is one
        for attr in op.attrs:
            assert attr.doc == "" or CYRILLIC.search(attr_doc(attr)), (op_id, attr.name)
    assert op_doc(op) == op.doc  # English outside the block


def test_op_descriptions_keep_their_formulas():
    with using("ru"):
        assert op_doc(engine.REGISTRY.get("relu")).startswith("y = max(0, x);")
        assert "ReLU'(0) = 0" in op_doc(engine.REGISTRY.get("relu"))
        sigmoid = op_doc(engine.REGISTRY.get("sigmoid"))
        assert sigmoid == "y = σ(x) = 1 / (1 + e⁻ˣ), вычисляется без переполнения."
        assert op_doc(engine.REGISTRY.get("input")).startswith("Наблюдение")


def test_op_names_of_the_palette_in_russian():
    with using("ru"):
        assert op_name(engine.REGISTRY.get("sigmoid")) == "сигмоида"
        assert op_name(engine.REGISTRY.get("add")) == "сложение"
        assert op_name(engine.REGISTRY.get("relu")) == "ReLU"  # the sheets keep it
        assert op_name(engine.REGISTRY.get("mse")) == "MSE"


def test_palette_groups_in_russian():
    with using("ru"):
        assert [group_name(g) for g in GROUPS] == ["Входы и параметры", "Арифметика", "Матрицы",
                                                   "Функции активации", "Функции потерь"]
    assert [group_name(g) for g in GROUPS] == list(GROUPS)


def test_an_attribute_without_description_stays_empty():
    with using("ru"):
        assert attr_doc(engine.REGISTRY.get("mse").attr("reduction")) == "Усреднить или сложить квадраты."
        assert all(attr_doc(a) == "" for op in engine.REGISTRY for a in op.attrs if not a.doc)
