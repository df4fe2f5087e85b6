"""The pages in a real browser: headless Chromium prints every example's worked solution to PDF (page
count and text read back with pypdf; the embedded SVG picture's legend is among the text, so it was
drawn) and takes screenshots whose ink shows that MathML is laid out (a fraction stands taller than a
line of text; an empty page has no ink).

Needs Debian's `chromium` (apt-get install chromium; scripts/setup.sh installs it with BPS_CHROMIUM=1);
without it these tests are skipped, saying so. One browser serves every page (tests/chromium.py).
"""

from __future__ import annotations

import io
import shutil
import unicodedata
from pathlib import Path

import pytest
from chromium import Chromium

import main
from engine.teach import html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install chromium)")
pypdf = pytest.importorskip("pypdf", reason="pypdf (the dev extra) reads the printed pages back")

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.json"))


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One browser for every page of the module (a start costs more than a page)."""
    assert CHROMIUM is not None
    chromium = Chromium(CHROMIUM, tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


def _pdf(browser: Chromium, page: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(browser.pdf(page)))


def _text(reader: pypdf.PdfReader) -> str:
    """The PDF's text with ligatures undone (ﬁ → fi) and line breaks as spaces."""
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages))
    return " ".join(text.split())


def _ink(png: bytes) -> tuple[int, int]:
    """(height of the inked rows' span, number of inked pixels) of a screenshot on a white page."""
    from PySide6.QtGui import QImage

    image = QImage.fromData(png, "PNG")
    rows = []
    count = 0
    for y in range(0, image.height()):
        inked = sum(1 for x in range(0, image.width(), 2) if image.pixelColor(x, y).lightness() < 160)
        if inked:
            rows.append(y)
            count += inked
    return (rows[-1] - rows[0] + 1 if rows else 0), count


def test_every_example_prints_to_pdf_with_its_text_and_maths(tmp_path, browser):
    for path in EXAMPLES:
        page = tmp_path / f"{path.stem}.html"
        assert main.run_command(["explain", str(path), "--format", "html", "-o", str(page)]) == 0
        reader = _pdf(browser, page)
        text = _text(reader)
        assert 1 <= len(reader.pages) <= 60, (path.stem, len(reader.pages))
        for words in (f"Worked solution: {path.name}", "Forward pass", "Backward pass", "Gradients"):
            assert words in text, (path.stem, words)
        assert "∂" in text and "\\frac" not in text  # maths, not TeX source
        assert "blue: value (forward)" in text  # the picture's legend: the SVG is drawn


def test_mathml_is_laid_out_a_fraction_stands_taller_than_a_line(tmp_path, browser):
    style = "<style>body{font-size:40px;margin:20px;background:#fff}</style>"
    fraction = html.math(r"\frac{\partial L}{\partial x}", display=True)
    bodies = {"line": "<p>∂L ∂x</p>", "frac": fraction, "empty": ""}
    ink = {}
    for name, body in bodies.items():
        page = tmp_path / f"{name}.html"
        page.write_text(html.page(name, [style, body]), encoding="utf-8")
        ink[name] = _ink(browser.screenshot(page))
    (line_h, line_ink), (frac_h, frac_ink) = ink["line"], ink["frac"]
    assert ink["empty"] == (0, 0)
    assert line_ink > 0 and frac_ink > 0
    assert frac_h > 1.8 * line_h  # stacked numerator over denominator, not "∂L∂x" on one line


def test_student_sheet_and_answer_key_print(tmp_path, browser):
    src = next(p for p in EXAMPLES if p.stem.startswith("02"))
    argv = ["exercise", str(src), "--variants", "1", "--format", "html", "-o", str(tmp_path)]
    assert main.run_command(argv) == 0
    sheet, key, summary = (_pdf(browser, tmp_path / name)
                           for name in ("variant_01_sheet.html", "variant_01_key.html", "summary.html"))
    assert len(sheet.pages) == 1  # a handout on one A4 page
    assert "your answer" in _text(sheet) and "blue: value (forward)" in _text(sheet)
    assert len(key.pages) > len(sheet.pages)  # the worked solution follows the answers
    assert "V1" in _text(summary)
