"""The engine's text in Russian and English: the catalogue machinery, plural forms, the fallback to
English, the translated descriptions in the file format, and the Russian worked solution of Masha's
ReLU network (sheet 4, exercise 4) against the English one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import engine
import main
from engine.i18n import LOCALE_DIR, _, from_environment, ngettext, normalise, pgettext, using
from engine.i18n.catalogue import compile_mo, extract, parse_po
from engine.i18n.errors import PATTERNS, translate_error
from engine.teach.explain import explain
from graph.errors import FileFormatError
from graph.file_format import description_for, dumps, loads

ROOT = Path(__file__).resolve().parent.parent
RU_PO = LOCALE_DIR / "ru" / "LC_MESSAGES" / "engine.po"
MASHA = ROOT / "examples" / "02_masha_relu_regression.json"


def _ru_entries():
    return parse_po(RU_PO.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------------ catalogue
@pytest.mark.parametrize("n, word", [(1, "эпоха"), (2, "эпохи"), (5, "эпох"), (11, "эпох"),
                                     (21, "эпоха"), (22, "эпохи"), (25, "эпох"), (12, "эпох"),
                                     (104, "эпохи"), (111, "эпох")])
def test_russian_plural_forms(n, word):
    with using("ru"):
        assert ngettext("{count} epoch", "{count} epochs", n).format(count=n) == f"{n} {word}"


def test_english_plural_forms():
    assert ngettext("{count} epoch", "{count} epochs", 1).format(count=1) == "1 epoch"
    assert ngettext("{count} epoch", "{count} epochs", 21).format(count=21) == "21 epochs"


def test_unknown_language_falls_back_to_english():
    with using("xx"):
        assert _("Forward pass") == "Forward pass"
    with using("de_DE.UTF-8"):
        assert _("Forward pass") == "Forward pass"
    with using("ru_RU.UTF-8"):
        assert _("Forward pass") == "Прямой проход"
    assert _("Forward pass") == "Forward pass"  # outside the block: English again


def test_language_from_the_environment():
    assert from_environment({"LANG": "ru_RU.UTF-8"}) == "ru"
    assert from_environment({"LC_ALL": "en_US.UTF-8", "LANG": "ru_RU.UTF-8"}) == "en"
    assert from_environment({"LC_MESSAGES": "ru_RU", "LANG": "C"}) == "ru"
    assert from_environment({"LANG": "C.UTF-8"}) == "en"
    assert from_environment({}) == "en"
    assert normalise(None) == "en"


def test_compiled_catalogues_match_their_sources():
    """The committed .mo is what scripts/compile_catalogues.py makes from the .po (no stale build)."""
    for po in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"):
        assert po.with_suffix(".mo").read_bytes() == compile_mo(parse_po(po.read_text(encoding="utf-8"))), po


def _marked_messages() -> set[tuple[str | None, str, str | None]]:
    sources = [*(ROOT / "engine").rglob("*.py"), ROOT / "main.py"]
    return {m for path in sources for m in extract(path.read_text(encoding="utf-8"))}


def test_every_marked_message_is_translated_into_russian():
    """What xgettext would extract from the engine and the command line all has a Russian translation
    (no unfinished strings); op names and op ids, which reach the catalogue as variables, too."""
    done = {(e.msgctxt, e.msgid) for e in _ru_entries() if e.translated}
    wanted = {(ctx, msgid) for ctx, msgid, _plural in _marked_messages()}
    wanted |= {(None, engine.REGISTRY.get(op).name) for op in engine.REGISTRY.ids()}
    wanted |= {("op", op) for op in engine.REGISTRY.ids()}
    wanted |= {("error", pattern) for pattern in PATTERNS}
    wanted |= {(None, w) for w in ("loss of the last update", "mean loss over the dataset", "finished",
                                  "converged", "stopped", "failed", "sample", "minibatch", "batch")}
    assert sorted(wanted - done, key=str) == []


def test_translations_keep_their_placeholders():
    for e in _ru_entries():
        if not e.msgid:
            continue
        names = set(re.findall(r"\{\w*[^}]*\}", e.msgid + (e.msgid_plural or "")))
        for text in e.msgstr.values():
            assert set(re.findall(r"\{\w*[^}]*\}", text)) == names, e.msgid


def test_po_parser_reads_contexts_plurals_and_continuations():
    entries = parse_po('msgid ""\nmsgstr "Language: ru\\n"\n\n'
                       'msgctxt "op"\nmsgid "add"\nmsgstr "сло"\n"жение"\n\n'
                       'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n\n'
                       '#, fuzzy\nmsgid "b"\nmsgstr "z"\n')
    assert [(e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, e.fuzzy) for e in entries] == [
        (None, "", None, {0: "Language: ru\n"}, False),
        ("op", "add", None, {0: "сложение"}, False),
        (None, "a", "as", {0: "x", 1: "y"}, False),
        (None, "b", None, {0: "z"}, True),
    ]


def test_op_ids_in_tables_stay_ids_in_english():
    assert pgettext("op", "matmul") == "matmul"
    with using("ru"):
        assert pgettext("op", "parameter") == "параметр"
        assert pgettext("op", "relu") == "ReLU"


# ------------------------------------------------------------------------------------------ file format
def _doc_text(extra: str = "") -> str:
    return ('{"format": "backprop-studio-graph", "version": 1, "description": "Masha\'s network\\n",'
            + extra + ' "nodes": [{"id": "x", "op": "input", "value": 1}], "edges": []}')


def test_translated_description_round_trip():
    doc = loads(_doc_text(' "descriptions": {"ru": "Машина нейросеть\\n"},'), engine.REGISTRY)
    again = loads(dumps(doc), engine.REGISTRY)
    assert description_for(again, "ru") == "Машина нейросеть\n"
    assert description_for(again, "ru_RU.UTF-8") == "Машина нейросеть\n"
    assert description_for(again, "en") == "Masha's network\n"
    assert description_for(again, "fr") == "Masha's network\n"  # unknown language: the English one
    assert dumps(again) == dumps(doc)
    assert dumps(doc).index('"descriptions"') < dumps(doc).index('"nodes"')  # beside "description"


def test_file_without_descriptions_loads_and_saves_unchanged():
    doc = loads(_doc_text(), engine.REGISTRY)
    assert description_for(doc, "ru") == "Masha's network\n"
    assert '"descriptions"' not in dumps(doc)


@pytest.mark.parametrize("bad", ['"descriptions": "Машина",', '"descriptions": {"ru": 3},'])
def test_malformed_descriptions_are_refused(bad):
    with pytest.raises(FileFormatError, match="descriptions"):
        loads(_doc_text(" " + bad), engine.REGISTRY)


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "examples").glob("*.json")))
def test_examples_carry_a_russian_description(name):
    doc = engine.load(ROOT / "examples" / name)
    ru = description_for(doc, "ru")
    assert ru != doc.description and re.search("[а-я]{4}", ru)
    # the same numbers as the English one (the words differ, the mathematics does not)
    numbers = lambda text: set(re.findall(r"\d+(?:\.\d+)?", text))  # noqa: E731
    assert numbers(doc.description) <= numbers(ru)


# each description quotes its exercise in the sheet's (or the article's) own words
SHEET_WORDS = {
    "04_two_sgd_steps_classifier.json": "Сначала берётся второе наблюдение, затем первое.",
    "05_two_sgd_steps_sigmoid_network.json": "Стохастический градиентный спуск решил, что сначала для шага",
    "06_rnn_there_and_back.json": "Скрытое состояние инициализировано как h₀ = 0.",
    "08_xor_1_zero_init.json": "«не может моделировать значения функции XOR»",
    "08_xor_2_constant_init.json": "в которой на скрытом слое всего один нейрон",
    "08_xor_3_random_init.json": "«различными случайными значениями»",
    "09_four_layer_network.json": "«Четырехслойная нейронная сеть состоит из четырех нейронов входного слоя",
    "10_activation_gallery.json": "«Хочется обобщить ReLU так, чтобы сохранить вычислительную эффективность",
    "11_two_moons.json": "«по эпохам»",
}


@pytest.mark.parametrize("name, words", sorted(SHEET_WORDS.items()))
def test_russian_descriptions_quote_the_sheets(name, words):
    assert words in description_for(engine.load(ROOT / "examples" / name), "ru")


# ------------------------------------------------------------------------------------------ worked solution
SHEET_TERMS = ("Прямой проход", "Обратный проход", "функция потерь", "Скорость обучения η",
               "градиентного спуска", "цепное правило", "производная", "наблюдение")
# Latin words allowed in Russian prose: op names the sheets keep, the library the description names,
# the graph's own names and port names (identifiers from the file), attribute names and values.
ALLOWED_LATIN = {"ReLU", "MSE", "MatMul", "SGD", "PyTorch", "forward", "backward", "pass", "pred", "target",
                 "reduction", "sum", "scale", "a", "b", "x", "y", "h", "L", "W", "T"}


def _prose(markdown: str) -> str:
    """The text without its mathematics ($$ blocks and $…$ inline) and table rules."""
    text = re.sub(r"\$\$.*?\$\$", " ", markdown, flags=re.S)
    return re.sub(r"\$[^$]*\$", " ", text)


def _maths(markdown: str) -> list[str]:
    return re.findall(r"\$\$.*?\$\$|\$[^$\n]*\$", markdown, flags=re.S)


def test_russian_worked_solution_of_masha_uses_the_sheet_terms_and_no_english():
    ru = explain(engine.load(MASHA), "md", lang="ru")
    for term in SHEET_TERMS:
        assert term in ru, term
    words = set(re.findall(r"[A-Za-z]+", _prose(ru)))
    assert words - ALLOWED_LATIN == set()


def test_russian_worked_solution_has_the_english_numbers():
    """The same formulas and numbers, only the words differ: every piece of maths is identical, and so
    are the numbers of the prose outside the (translated) description."""
    doc = engine.load(MASHA)
    en, ru = explain(doc, "md", lang="en"), explain(doc, "md", lang="ru")
    assert _maths(en) == _maths(ru)
    body = lambda text, mark: text[text.index(mark):]  # noqa: E731  (after the description)
    numbers = lambda text: re.findall(r"-?\d+(?:\.\d+)?", _prose(text))  # noqa: E731
    assert numbers(body(en, "Output (the loss)")) == numbers(body(ru, "Выход (функция потерь)"))
    assert "W₂ = (0.5, 1)ᵀ" in ru and "(−3.5, 1)ᵀ" in ru


def test_russian_steps_of_sgd_training_name_the_observation():
    ru = explain(engine.load(ROOT / "examples" / "07_perceptron_42.json"), "md", steps=2, lang="ru")
    assert "## Шаг обучения 1 (наблюдение № 0, счёт с нуля)" in ru
    assert "Шаг градиентного спуска (η = 0.1)" in ru


def test_html_page_declares_its_language():
    doc = engine.load(MASHA)
    assert '<html lang="ru">' in explain(doc, "html", lang="ru")
    assert '<html lang="en">' in explain(doc, "html", lang="en")
    assert '<html lang="en">' in explain(doc, "html", lang="xx")


def test_russian_latex_loads_cyrillic_fonts_and_keeps_cyrillic_text():
    ru = explain(engine.load(MASHA), "tex", lang="ru")
    assert r"\usepackage[russian]{babel}" in ru and r"\usepackage[T2A]{fontenc}" in ru
    assert r"\subsection*{Прямой проход}" in ru
    assert r"Скорость обучения $\eta = 1$" in ru
    assert "babel" not in explain(engine.load(MASHA), "tex", lang="en")


# ------------------------------------------------------------------------------------------ command line
def test_cli_explain_lang_ru(capsys):
    assert main.main(["explain", str(MASHA), "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Решение: 02_masha_relu_regression.json")
    assert "## Обратный проход" in out


def test_cli_language_from_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("LC_ALL", "ru_RU.UTF-8")
    assert main.main(["explain", str(MASHA)]) == 0
    assert "## Прямой проход" in capsys.readouterr().out
    assert main.main(["explain", str(MASHA), "--lang", "en"]) == 0
    assert "## Forward pass" in capsys.readouterr().out


def test_cli_train_summary_in_russian(capsys, tmp_path):
    assert main.main(["train", str(ROOT / "examples" / "07_perceptron_42.json"), "--lang", "ru"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    # six epochs of the one observation, one update each (the example's training settings)
    assert first.startswith("готово: 6 шагов, 6 эпох (sgd, η 0.1, по одному наблюдению); ")
    assert "функция потерь на последнем шаге" in first


def test_cli_error_in_russian(capsys, tmp_path):
    assert main.main(["explain", str(tmp_path / "missing.json"), "--lang", "ru"]) == main.EXIT_INVALID
    assert capsys.readouterr().err.startswith("ошибка: ")


@pytest.mark.parametrize("english, russian", [
    ("/tmp/a.json: No such file or directory", "/tmp/a.json: нет такого файла или каталога"),
    ("a.json:2: not valid JSON: Expecting value (column 7)",
     "a.json:2: файл не в формате JSON: Expecting value (столбец 7)"),
    ("a.json:1: node 'a': unknown op 'foo'", "a.json:1: узел 'a': неизвестная операция 'foo'"),
    ("node 'h' (relu): input port 'x' is not connected",
     "узел 'h' (relu): ко входу 'x' ничего не подключено"),
    ("something no pattern knows", "something no pattern knows"),
])
def test_loader_errors_in_russian(english, russian):
    assert translate_error(english) == english
    with using("ru"):
        assert translate_error(english) == russian


def test_cli_loader_error_in_russian(capsys, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "backprop-studio-graph", "version": 1, "nodes": [{"id": "a", "op": "foo"}]}')
    assert main.main(["run", str(path), "--lang", "ru"]) == main.EXIT_INVALID
    assert capsys.readouterr().err == f"ошибка: {path}:1: узел 'a': неизвестная операция 'foo'\n"
