"""The worked solution as a self-contained HTML page (`explain --format html`, engine.teach.html)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import f_xy, masha_relu

import engine
import main
from engine.teach.explain import ExplainError, explain

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.json"))


def _row(page: str, node: str) -> str:
    """The table rows that start with the node's cell."""
    return " ".join(re.findall(rf"<tr><td>{re.escape(node)}</td>.*?</tr>", page))


def test_page_has_the_hand_numbers_as_mathml():
    # f = x² + xy + (x + y)² at x = 1, y = 2: f = 1 + 2 + 9 = 12, ∂f/∂x = 2x + y + 2(x + y) = 10,
    # ∂f/∂y = x + 2(x + y) = 7.
    page = explain(f_xy(), "html")
    assert "<mn>12</mn>" in _row(page, "f")
    grads = page[page.index("<h2>Gradients</h2>"):]
    assert "<mn>10</mn>" in _row(grads, "x") and "<mn>7</mn>" in _row(grads, "y")


def test_every_formula_of_the_markdown_is_mathml_on_the_page():
    d = masha_relu()
    d.training = {"loss": "L", "lr": 1.0}
    md, page = explain(d, "md", steps=1), explain(d, "html", steps=1)
    displays = md.count("$$\n") // 2
    assert page.count('display="block">') == displays > 20
    assert "\\frac" not in page and "$" not in page  # no TeX left for a script to typeset


def test_each_matrix_keeps_its_parentheses_to_itself():
    from engine.teach.html import math

    m = math(r"H = \begin{pmatrix} 3 & -1.5 \end{pmatrix} \cdot \begin{pmatrix} 1 \\ 0 \end{pmatrix}")
    assert m.count("<mrow><mo>&#x00028;</mo><mtable>") == 2


def test_page_is_self_contained_with_print_styles():
    page = explain(f_xy(), "html", title="Worked solution: f")
    assert page.startswith("<!DOCTYPE html>") and "<title>Worked solution: f</title>" in page
    assert "<script" not in page and not re.search(r"(src|href)=\"?(https?:|//)", page)
    assert "@media print" in page and "@page" in page


def test_picture_is_embedded_as_svg_without_its_xml_prologue():
    svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'
    page = explain(f_xy(), "html", picture=svg)
    assert '<figure class="graph"><svg xmlns' in page and "<?xml" not in page


def test_unknown_format_names_the_three():
    with pytest.raises(ExplainError, match="md, tex or html"):
        explain(f_xy(), "pdf")


def test_cli_writes_the_page_with_the_canvas_picture(tmp_path):
    out = tmp_path / "f.html"
    src = next(p for p in EXAMPLES if p.stem.startswith("01"))
    assert main.run_command(["explain", str(src), "--format", "html", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<svg" in page and "<math" in page and "Worked solution: 01_computation_graph.json" in page


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_has_a_page(path):
    doc = engine.load(path)
    page = explain(doc, "html", steps=1 if doc.dataset_columns() else 0)
    assert page.count("<math") > 10 and page.rstrip().endswith("</html>")


def test_long_node_ids_may_break_after_underscores():
    from engine.teach.html import node_cell

    assert node_cell("sum_elu_selu") == "sum_<wbr>elu_<wbr>selu"
    assert node_cell("a<b") == "a&lt;b"


def test_description_lines_wrapped_by_hand_read_as_paragraphs():
    from engine.teach.html import paragraphs

    text = "Title\n\nForward: x·W₁ = (2, −1),\nReLU gives h = (2, 0).\n\nWhat to try: <more>\n"
    assert paragraphs(text) == ["<p>Title</p>", "<p>Forward: x·W₁ = (2, −1), ReLU gives h = (2, 0).</p>",
                                "<p>What to try: &lt;more&gt;</p>"]
    assert paragraphs("") == []
    listed = "What to try:\n- train one step\n  and compare;\n- set the scale to 0.5\n"
    assert paragraphs(listed) == [
        "<p>What to try:</p>", "<ul><li>train one step and compare;</li><li>set the scale to 0.5</li></ul>"]
