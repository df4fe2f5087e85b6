"""The engine's Russian beyond the worked solution: the op palette's names and descriptions (every
registered op, every attribute, every group), validation and loader errors, training and diagnostics
messages, the teacher's sheets and the examples' descriptions."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import engine
import main
from engine.compile.partial import partial_run
from engine.diagnose.gradflow import flow_note
from engine.i18n import LOCALE_DIR, _, ngettext, using
from engine.i18n.catalogue import parse_po
from engine.i18n.errors import EDITS, PLACES, translate_edit, translate_error
from engine.teach.explain import explain
from engine.teach.explanations import op_doc, op_name
from engine.teach.quiz import QuizScore, describe
from engine.teach.sheets import key_markdown, sheet_html, sheet_markdown, summary_markdown, task_text
from engine.teach.variants import ExerciseOptions, make_variants
from graph.errors import FileFormatError
from graph.file_format import loads
from graph.validation import find_problems

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

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
            assert attr.doc == "" or CYRILLIC.search(_(attr.doc)), (op_id, attr.name)
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


def test_attribute_descriptions_in_russian():
    with using("ru"):
        assert _(engine.REGISTRY.get("mse").attr("reduction").doc) == "Усреднить или сложить квадраты."
        assert _(engine.REGISTRY.get("leaky_relu").attr("alpha").doc) == "Наклон при x ≤ 0."


# ------------------------------------------------------------------------------------------ errors
def _ru(message: str) -> str:
    with using("ru"):
        return translate_error(message)


@pytest.mark.parametrize("english, russian", [
    # a place, then an attribute's own message (validation: "{where}: {err}")
    ("node 'h' (leaky_relu): attribute 'alpha' must be a number, got 'x'",
     "узел 'h' (leaky_relu): атрибут 'alpha' должен быть числом, а не 'x'"),
    # a shape error's head "{op} {node}" becomes the usual place
    ("add s: shapes (2,) and (3,) do not broadcast", "узел s (add): размерности (2,) и (3,) не согласуются"),
    # the file, the line, the node, the value's own problem: four pieces
    ("a.json:3: node 'a': value 'x' is not a number", "a.json:3: узел 'a': значение: 'x' — не число"),
    ("a.json:1: node id 'a' is used twice", "a.json:1: id узла 'a' встречается дважды"),
    # a nested reason (the op's domain hint) inside a running error
    ("node 'l' (log): value became -inf (log of zero or of a negative number)",
     "узел 'l' (log): значение стало -inf (логарифм нуля или отрицательного числа)"),
    ("training 'lr' must be a number > 0, got -1", "настройка обучения 'lr': нужно число > 0, а задано -1"),
    ("training 'order': row 7 is out of range; the dataset has 2 rows (0-based: 0 … 1)",
     "порядок наблюдений ('order'): наблюдения 7 нет; наблюдений в наборе данных: 2 (счёт с нуля: 0 … 1)"),
    ("data.csv: line 3, column 'x': 'a' is not a number", "data.csv: строка 3, столбец 'x': 'a' — не число"),
    ("the graph has no output: add an op node that nothing consumes",
     "у графа нет выхода: добавьте узел-операцию, который ничему не подаёт значение"),
    ("a.json: something: nothing knows this", "a.json: something: nothing knows this"),
])
def test_composed_errors_in_russian(english, russian):
    assert translate_error(english) == english
    assert _ru(english) == russian


def test_real_loader_and_validation_errors_are_translated(tmp_path):
    """Errors as the loader and the validation make them (not typed in here) come out in Russian."""
    head = '{"format": "backprop-studio-graph", "version": 1, '
    bad = [head + '"nodes": [{"id": "a", "op": "input", "value": "x"}], "edges": []}',
           head + '"nodes": [{"id": "a", "op": "relu", "attrs": 3}], "edges": []}',
           head + '"nodes": [{"id": "a", "op": "input", "value": NaN}], "edges": []}',
           '{"format": "backprop-studio-graph", "version": 7, "nodes": [], "edges": []}']
    for text in bad:
        with pytest.raises(FileFormatError) as err:
            loads(text, engine.REGISTRY, source="t.json")
        assert CYRILLIC.search(_ru(str(err.value))), str(err.value)
    doc = loads(head + '"nodes": [{"id": "x", "op": "input", "value": [1, 2]}, {"id": "y", "op": "input",'
                ' "value": [1, 2, 3]}, {"id": "s", "op": "add"}, {"id": "r", "op": "leaky_relu",'
                ' "attrs": {"alpha": "x"}}], "edges": [{"source": "x", "target": "s", "port": "a"},'
                ' {"source": "y", "target": "s", "port": "b"}]}', engine.REGISTRY)
    problems, _shapes = find_problems(doc, engine.REGISTRY)
    assert len(problems) == 3  # the shapes of s, alpha of r, the unconnected input of r
    for problem in problems:
        assert CYRILLIC.search(_ru(str(problem))), str(problem)


@pytest.mark.parametrize("label, russian", [("Add relu", "Добавление узла relu\nдобавление узла relu"),
                                            ("Delete h", "Удаление узла h\nудаление узла h"),
                                            ("Paste 3 nodes", "Вставка узлов: 3\nвставку узлов (3)"),
                                            ("Move", "Перемещение\nперемещение")])
def test_undo_names_in_russian(label, russian):
    assert translate_edit(label) == label
    with using("ru"):
        assert translate_edit(label) == russian


def test_partial_run_says_what_a_node_waits_for_in_russian():
    doc = loads('{"format": "backprop-studio-graph", "version": 1, "nodes": [{"id": "x", "op": "input",'
                ' "value": 1}, {"id": "m", "op": "mul"}, {"id": "r", "op": "relu"}], "edges": ['
                '{"source": "x", "target": "m", "port": "a"}, {"source": "m", "target": "r", "port": "x"}]}',
                engine.REGISTRY)
    with using("ru"):
        part = partial_run(doc)
        assert part.reason("m") == "ждёт вход b"
        assert part.reason("r") == "ждёт m (который ждёт вход b)"
    assert partial_run(doc).reason("r") == "waits for m (which waits for port b)"


# ------------------------------------------------------------------------------------------ command line
def test_cli_check_in_russian(capsys):
    assert main.main(["check", str(EXAMPLES / "02_masha_relu_regression.json"), "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert ": без ошибок; " in out.splitlines()[0] and "проверка градиентов пройдена" in out


@pytest.mark.parametrize("n, nodes", [(1, "1 узел"), (3, "3 узла"), (5, "5 узлов"), (21, "21 узел")])
def test_node_counts_in_russian(n, nodes):
    with using("ru"):
        assert ngettext("{count} node", "{count} nodes", n).format(count=n) == nodes


def test_cli_run_of_an_unfinished_graph_in_russian(capsys, tmp_path):
    path = tmp_path / "half.json"
    path.write_text('{"format": "backprop-studio-graph", "version": 1, "nodes": [{"id": "x", "op": "input",'
                    ' "value": 1}, {"id": "m", "op": "mul"}], "edges": [{"source": "x", "target": "m",'
                    ' "port": "a"}]}', encoding="utf-8")
    main.main(["run", str(path), "--lang", "ru"])
    out = capsys.readouterr().out
    assert out.startswith("граф не достроен: что уже можно вычислить")
    assert "ждут:" in out and "ждёт вход b" in out


# ------------------------------------------------------------------------------------------ diagnostics
def test_gradient_flow_verdicts_in_russian():
    with using("ru"):
        assert flow_note(1.0, 1.0, ["W1", "W2"]).startswith("Градиенты проходят: ‖∇W1‖ / ‖∇W2‖ = 1")
        assert flow_note(1e-9, 1.0, ["W1", "W2"]).startswith("Затухание градиента:")
        assert flow_note(1e9, 1e9, ["W1", "W2"]).startswith("Взрыв градиентов:")


# ------------------------------------------------------------------------------------------ teacher's sheets
def test_teachers_sheets_in_russian():
    doc = engine.load(EXAMPLES / "02_masha_relu_regression.json")
    options = ExerciseOptions(count=2, seed=1, find=("values", "gradients"), steps=0, decimals=3)
    es = make_variants(doc, options)
    with using("ru"):
        sheet, key = sheet_markdown(es, es.variants[0]), key_markdown(es, es.variants[0])
        summary, page = summary_markdown(es), sheet_html(es, es.variants[0])
    assert "## Дано" in sheet and "## Найти" in sheet and "| величина |" in sheet
    assert "Сделайте прямой и обратный проход с данными числами" in sheet
    assert ": вариант 1 (лист ученика)" in sheet.splitlines()[0]
    assert "## Ответы" in key and ": вариант 1 (ответы)" in key.splitlines()[0]
    assert ": 2 варианта (для учителя)" in summary.splitlines()[0]
    assert '<html lang="ru">' in page and "Имя:" in page
    assert "value of" not in sheet and "значение" in sheet


@pytest.mark.parametrize("steps, text", [(1, "Сделайте 1 шаг SGD"), (2, "Сделайте 2 шага SGD"),
                                         (5, "Сделайте 5 шагов SGD")])
def test_sgd_steps_of_a_sheet_in_russian(steps, text):
    doc = engine.load(EXAMPLES / "07_perceptron_42.json")
    es = make_variants(doc, ExerciseOptions(count=1, seed=1, find=("updates",), steps=steps, decimals=3))
    with using("ru"):
        assert text in task_text(es)


# ------------------------------------------------------------------------------------------ wording
def test_masha_step_headers_name_the_op_once():
    """A step's header names its node and op without brackets inside brackets, and the gradient that
    comes into a layer is the sheet's «накопленный градиент» (sheet 4, exercise 4, б, г, е)."""
    ru = explain(engine.load(EXAMPLES / "02_masha_relu_regression.json"), "md", lang="ru")
    assert "**Прямой проход, шаг 1 из 4: x·W₁ — матричное умножение (MatMul)**" in ru
    assert "**Обратный проход, шаг 3 из 4: h — ReLU**" in ru
    assert "))**" not in ru
    assert "в ŷ пришёл накопленный градиент:" in ru and "в h пришёл накопленный градиент:" in ru
    assert "цепное правило даёт градиент по W₂ (вход b):" in ru
    en = explain(engine.load(EXAMPLES / "02_masha_relu_regression.json"), "md", lang="en")
    assert "**Backward step 3 of 4: h (ReLU)**" in en  # the English as it was


# ------------------------------------------------------------------------------------------ LaTeX in Russian
def _compile(engine_name: str, tex: str, folder: Path) -> str:
    """Compile `tex` with `engine_name`; returns the log (the test fails with its end on an error)."""
    (folder / "ru.tex").write_text(tex, encoding="utf-8")
    done = subprocess.run([engine_name, "-interaction=nonstopmode", "-halt-on-error", "ru.tex"], cwd=folder,
                          capture_output=True, text=True, timeout=300)
    log = (folder / "ru.log").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0, log[-3000:]
    return log


def test_russian_latex_picks_cyrillic_fonts_for_each_engine():
    tex = explain(engine.load(EXAMPLES / "02_masha_relu_regression.json"), "tex", lang="ru")
    preamble = tex[:tex.index(r"\begin{document}")]
    assert r"\usepackage[russian]{babel}" in preamble
    pdftex, unicode_tex = preamble.split(r"\ifPDFTeX")[1].split(r"\else")
    assert r"\usepackage[T2A]{fontenc}" in pdftex  # pdflatex: Cyrillic 8-bit fonts
    assert r"\usepackage{fontspec}" in unicode_tex and "DejaVu Serif" in unicode_tex  # xelatex: Unicode ones
    english = explain(engine.load(EXAMPLES / "02_masha_relu_regression.json"), "tex", lang="en")
    assert "fontspec" not in english and "babel" not in english


@pytest.mark.parametrize("engine_name", ["xelatex", "pdflatex"])
def test_russian_latex_compiles_with_every_letter(engine_name, tmp_path):
    if shutil.which(engine_name) is None:
        pytest.skip(f"no {engine_name} on this machine (apt-get install texlive-xetex texlive-lang-cyrillic)")
    tex = explain(engine.load(EXAMPLES / "02_masha_relu_regression.json"), "tex", lang="ru")
    log = _compile(engine_name, tex, tmp_path)
    assert "Missing character" not in log  # a font without Cyrillic drops the letters with only a warning
    assert (tmp_path / "ru.pdf").stat().st_size > 0


# ------------------------------------------------------------------------------------------ the quiz
def test_quiz_texts_in_russian():
    with using("ru"):
        summary = QuizScore(4, 3, 1, 1, None).summary()
        assert summary == "верно 3 из 4 (с подсказкой: 1), неверно 1, без ответа 0"
        assert describe("value:h") == "значение h" and describe("grad:W1") == "градиент по W1"
        assert describe("edge:x>m.a") == "градиент x → m.a"
    assert QuizScore(4, 3, 1, 1, None).summary() == "3 of 4 right (1 with a hint), 1 wrong, 0 unanswered"


def test_option_errors_of_the_exercise_in_russian():
    assert _ru("--steps must be between 0 and 20, got 30") == "--steps должно быть от 0 до 20, а не 30"


def test_import_errors_in_russian():
    # an ONNX op type is a capitalised name; a library's own detail may hold ": " and stays as it is
    assert _ru("m.onnx: node 'n1' (Foo): operator Foo is not supported") == \
        "m.onnx: узел 'n1' (Foo): оператор Foo не поддерживается"
    assert _ru("m.onnx: not an ONNX model (Error parsing: corrupt)") == \
        "m.onnx: не модель ONNX (Error parsing: corrupt)"


def test_every_place_and_edit_name_has_a_russian_entry():
    done = _translated()
    assert [p for p in PLACES if ("where", p) not in done] == []
    assert [e for e in EDITS if ("edit", e) not in done] == []


def test_rnn_settings_errors_in_russian(capsys, tmp_path):
    out = str(tmp_path / "r.json")
    assert main.main(["build-rnn", "-T", "0", "-o", out, "--lang", "ru"]) == main.EXIT_INVALID
    assert capsys.readouterr().err.startswith("ошибка: T должно быть целым числом от 1 до ")
