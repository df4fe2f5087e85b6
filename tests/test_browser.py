"""The pages in a real browser: headless Chromium prints every example's worked solution to PDF (page
count and text read back with pypdf) and takes screenshots whose ink shows that MathML is laid out (a
fraction stands taller than a line of text) and that the embedded SVG picture is drawn.

Needs Debian's `chromium` (apt-get install chromium; scripts/setup.sh installs it with BPS_CHROMIUM=1);
without it these tests are skipped, saying so.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

import main
from engine.teach import html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install chromium)")
pypdf = pytest.importorskip("pypdf", reason="pypdf (the dev extra) reads the printed pages back")

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.json"))


def _chromium(args_per_page: list[list[str]], tmp: Path) -> None:
    """Run one headless Chromium per page, all at once (each with its own profile folder)."""
    procs = []
    for i, args in enumerate(args_per_page):
        profile = tmp / f"profile{i}"
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--no-pdf-header-footer", f"--user-data-dir={profile}", *args]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    for p in procs:
        assert p.wait(timeout=180) == 0


def _print(pages: list[Path], tmp: Path) -> list[Path]:
    pdfs = [p.with_suffix(".pdf") for p in pages]
    _chromium([[f"--print-to-pdf={pdf}", p.as_uri()] for p, pdf in zip(pages, pdfs)], tmp)
    return pdfs


def _screenshots(pages: list[Path], tmp: Path, size: str = "800,600") -> list[Path]:
    pngs = [p.with_suffix(".png") for p in pages]
    _chromium([[f"--window-size={size}", f"--screenshot={png}", p.as_uri()]
               for p, png in zip(pages, pngs)], tmp)
    return pngs


def _ink(png: Path) -> tuple[int, int]:
    """(height of the inked rows' span, number of inked pixels) of a screenshot on a white page."""
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    rows = []
    count = 0
    for y in range(0, image.height()):
        inked = sum(1 for x in range(0, image.width(), 2) if image.pixelColor(x, y).lightness() < 160)
        if inked:
            rows.append(y)
            count += inked
    return (rows[-1] - rows[0] + 1 if rows else 0), count


@pytest.mark.slow  # ~30 s: one browser per page
def test_every_example_prints_to_pdf_with_its_text_and_maths(tmp_path):
    pages = []
    for path in EXAMPLES:
        out = tmp_path / f"{path.stem}.html"
        assert main.run_command(["explain", str(path), "--format", "html", "-o", str(out)]) == 0
        pages.append(out)
    for path, pdf in zip(EXAMPLES, _print(pages, tmp_path)):
        reader = pypdf.PdfReader(str(pdf))
        text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages))
        text = " ".join(text.split())  # a wrapped title reads as one line
        assert 1 <= len(reader.pages) <= 60, (path.stem, len(reader.pages))
        for words in (f"Worked solution: {path.name}", "Forward pass", "Backward pass", "Gradients"):
            assert words in text, (path.stem, words)
        assert "∂" in text and "\\frac" not in text  # maths, not TeX source
        assert "blue: value (forward)" in text  # the picture's legend: the SVG is drawn


def test_mathml_is_laid_out_a_fraction_stands_taller_than_a_line(tmp_path):
    style = "<style>body{font-size:40px;margin:20px;background:#fff}</style>"
    line = tmp_path / "line.html"
    line.write_text(html.page("line", [style, "<p>∂L ∂x</p>"]), encoding="utf-8")
    frac = tmp_path / "frac.html"
    frac.write_text(html.page("frac", [style, html.math(r"\frac{\partial L}{\partial x}", display=True)]),
                    encoding="utf-8")
    empty = tmp_path / "empty.html"
    empty.write_text(html.page("empty", [style]), encoding="utf-8")
    shots = _screenshots([line, frac, empty], tmp_path)
    (line_h, line_ink), (frac_h, frac_ink), blank = (_ink(p) for p in shots)
    assert blank == (0, 0)
    assert line_ink > 0 and frac_ink > 0
    assert frac_h > 1.8 * line_h  # stacked numerator over denominator, not "∂L∂x" on one line


def test_student_sheet_and_answer_key_print(tmp_path):
    src = next(p for p in EXAMPLES if p.stem.startswith("02"))
    argv = ["exercise", str(src), "--variants", "1", "--format", "html", "-o", str(tmp_path)]
    assert main.run_command(argv) == 0
    pages = [tmp_path / "variant_01_sheet.html", tmp_path / "variant_01_key.html", tmp_path / "summary.html"]
    sheet, key, summary = (pypdf.PdfReader(str(p)) for p in _print(pages, tmp_path))
    sheet_text = " ".join(p.extract_text() for p in sheet.pages)
    assert "your answer" in sheet_text and "blue: value (forward)" in sheet_text
    assert len(key.pages) > len(sheet.pages)  # the worked solution follows the answers
    assert "V1" in summary.pages[0].extract_text()
