"""The PDF report: A4 pages a council receives, read back as text, links and pixels.

The PDF is made by WeasyPrint (the ``pdf`` extra, in the test extra too) and
read back with pypdf; the pixel tests draw pages with poppler's ``pdftoppm``.
Without WeasyPrint's system libraries or poppler these tests skip on a
developer's machine and fail under CI (``CI`` set), which installs both.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

import kompass_core as kk
from kompass_core.cli.main import main
from tests.conftest import EXAMPLES, ROOT

UV = str(EXAMPLES / "upplands-vasby-2011.toml")
A4 = (595.3, 841.9)  # points
CHAPTERS = ("contents", "method", "summary", "areas", "overview")  # each starts a page


def needs(what: str, found: bool, install: str) -> None:
    """Skip without a system part on a developer's machine; fail under CI, which has it."""
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {what} (.ci/run does)")
        pytest.skip(f"no {what} on this machine: {install} to run this test")


def needs_weasyprint() -> None:
    try:
        from kompass_core.report.pdf import require_weasyprint

        require_weasyprint()
    except kk.InputError as err:
        needs(f"WeasyPrint ({err})", False, "pip install '.[pdf]' and its system libraries")


def needs_poppler() -> None:
    needs("poppler-utils (pdftoppm)", shutil.which("pdftoppm") is not None,
          "apt-get install poppler-utils")


def report(source: str = UV) -> kk.Report:
    registry = kk.default_registry()
    evaluation = kk.load_evaluation(source)
    ruleset = registry.ruleset(evaluation.ruleset)
    year = evaluation.date.year if evaluation.date else None
    reference = kk.reference_for(ruleset, kk.bundled_rows(), evaluation.municipality, year)
    return kk.build_report(kk.score(evaluation, ruleset), ruleset, evaluation, None, reference)


class Layout(HTMLParser):
    """What the HTML page says the PDF must show: each section's heading, the contents'
    links and the external links (``<a href="http…">``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: dict[str, str] = {}
        self.contents: list[tuple[str, str]] = []
        self.links: list[str] = []
        self._open: list[str] = []  # ids of sections still waiting for their heading
        self._heading: str | None = None
        self._link: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("section", "nav") and found.get("id"):
            self._open.append(str(found["id"]))
        elif tag in ("h1", "h2") and self._open:
            self._heading, self._text = self._open.pop(), []
        elif tag == "a" and (href := found.get("href")):
            if href.startswith("http"):
                self.links.append(href)
            elif href.startswith("#"):
                self._link, self._text = href[1:], []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self._text).split())
        if tag in ("h1", "h2") and self._heading is not None:
            self.headings[self._heading], self._heading = text, None
        elif tag == "a" and self._link is not None:
            self.contents.append((self._link, text))
            self._link = None


class Pdf:
    """A rendered PDF and what pypdf reads from it, page by page."""

    def __init__(self, data: bytes) -> None:
        from pypdf import PdfReader

        self.data = data
        self.reader = PdfReader(BytesIO(data))
        self.pages = [" ".join(page.extract_text().split()) for page in self.reader.pages]

    def page_of(self, heading: str, after: int = 0) -> int:
        """The number (from 1) of the first page after page ``after`` showing ``heading``."""
        for number, text in enumerate(self.pages[after:], start=after + 1):
            if heading in text:
                return number
        raise AssertionError(f"no page after {after} shows the heading {heading!r}")

    def chapter_page(self, layout: Layout, chapter: str) -> int:
        """The page where ``chapter`` (a section id) begins: its heading after the contents."""
        contents = self.page_of(layout.headings["contents"])
        return contents if chapter == "contents" else \
            self.page_of(layout.headings[chapter], contents)

    def body_lines(self, index: int) -> list[float]:
        """The heights (points from the bottom) of the text lines between header and footer."""
        heights: set[float] = set()

        def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip() and 20 * 72 / 25.4 < y < A4[1] - 22 * 72 / 25.4:
                heights.add(round(y))

        self.reader.pages[index].extract_text(visitor_text=visit)
        return sorted(heights)


@pytest.fixture(scope="module")
def made() -> Iterator[tuple[Layout, Pdf]]:
    needs_weasyprint()
    view = report()
    layout = Layout()
    layout.feed(kk.render_html(view))
    yield layout, Pdf(kk.render_pdf(view))


# --- the file -------------------------------------------------------------------------

def test_pdf_is_a4_deterministic_and_titled(made: tuple[Layout, Pdf],
                                            caplog: pytest.LogCaptureFixture) -> None:
    _, pdf = made
    assert pdf.data.startswith(b"%PDF-")
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        again = kk.render_pdf(report())
    assert again == pdf.data, "the same report must give the same bytes"
    assert not caplog.records, "WeasyPrint ignored part of the page or its style"
    for page in pdf.reader.pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) \
            == A4
    info = pdf.reader.metadata
    assert info is not None and "/CreationDate" not in info and "/ModDate" not in info
    assert info.title == "Utvärderingsrapport: Upplands Väsby – Kommunkompassen 2.0"
    assert info.author == "Christine Feuk (SKL), Britt-Marie Hedlund (SKL)"


def test_cli_writes_pdf_by_suffix_or_format(tmp_path: Path,
                                            capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    needs_weasyprint()
    target = tmp_path / "report.pdf"
    assert main(["report", UV, "-o", str(target)]) == 0
    assert target.read_bytes().startswith(b"%PDF-")
    capsysbinary.readouterr()
    assert main(["report", UV, "--format", "pdf"]) == 0
    assert capsysbinary.readouterr().out == target.read_bytes()


def test_no_pdf_to_a_terminal(monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["report", UV, "--format", "pdf"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("kompass: error: a PDF is not for the terminal: give -o FILE.pdf, "
                            "or redirect the output to a file\n")


def test_missing_extra_or_library_is_one_line(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if not installed
    assert main(["report", UV, "-o", str(tmp_path / "r.pdf")]) == 2
    err = capsys.readouterr().err
    assert err == ("kompass: error: a PDF report needs the pdf extra: "
                   "pip install 'kommunkompass[pdf]'\n")
    assert not (tmp_path / "r.pdf").exists()

    class NoPango:  # WeasyPrint found, but not a system library it loads on import
        def find_spec(self, name: str, *_: object) -> None:
            if name == "weasyprint":
                raise OSError("cannot load library 'libpango-1.0-0': no such file")

    monkeypatch.delitem(sys.modules, "weasyprint")
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    assert main(["report", UV, "--format", "pdf", "-o", str(tmp_path / "r.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot load library 'libpango-1.0-0'" in err
    assert "apt-get install libpango-1.0-0" in err


def test_the_renderer_fetches_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                      caplog: pytest.LogCaptureFixture) -> None:
    """Were a page ever to name a file or an address, WeasyPrint would not read it."""
    needs_weasyprint()
    from PIL import Image

    import kompass_core.report.pdf as pdf_module

    picture = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(picture)
    monkeypatch.setattr(pdf_module, "render_html", lambda _: (
        f'<html><body><p>x</p><img src="{picture.as_uri()}"></body></html>'))
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = kk.render_pdf(report())
    assert any("disallowed protocol" in r.getMessage() for r in caplog.records)
    assert b"/Image" not in data


def test_print_css_changes_nothing_on_screen() -> None:
    """print.css holds only @page rules and an ``@media print`` block."""
    css = (ROOT / "kompass_core/report/templates/print.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/|\{%.*?%\}|\{\{.*?\}\}", "", css, flags=re.S)
    tops, depth, start = [], 0, 0
    for i, ch in enumerate(css):
        if ch == "{":
            if depth == 0:
                tops.append(css[start:i].strip())
            depth += 1
        elif ch == "}":
            depth -= 1
            start = i + 1 if depth == 0 else start
    assert depth == 0 and tops
    assert all(t.startswith("@page") or t == "@media print" for t in tops), tops
    assert "@media print" in tops


# --- what it shows ---------------------------------------------------------------------

def test_every_section_heading_is_in_the_pdf(made: tuple[Layout, Pdf]) -> None:
    layout, pdf = made
    expected = {"title", *CHAPTERS, "facts", "sources"}
    assert expected <= set(layout.headings), "the page lacks sections of the contract"
    assert any(key.startswith("area-") for key in layout.headings)
    text = " ".join(pdf.pages)
    missing = [h for h in layout.headings.values() if h not in text]
    assert not missing


def test_contents_page_numbers_are_the_pages_of_the_headings(made: tuple[Layout, Pdf]) -> None:
    layout, pdf = made
    assert layout.contents, "the page has no contents"
    contents = pdf.page_of(layout.headings["contents"])
    assert contents == 2  # after the title page
    listed = pdf.pages[contents - 1]
    for target, label in layout.contents:
        found = re.search(re.escape(label) + r"[\s.]*?(\d+)(?!\d)", listed)
        assert found, f"the contents show no page number for {label!r}"
        assert int(found[1]) == pdf.page_of(layout.headings[target], contents), label


def test_pages_are_numbered_except_the_title_page(made: tuple[Layout, Pdf]) -> None:
    _, pdf = made
    count = len(pdf.pages)
    assert not re.search(rf"\b1 \({count}\)", pdf.pages[0])
    assert "Upplands Väsby" in pdf.pages[0]
    for number, text in enumerate(pdf.pages[1:], start=2):
        assert re.search(rf"\b{number} \({count}\)", text), f"page {number} has no number"
        assert "Upplands Väsby" in text, f"page {number} has no running header"


def test_no_page_is_mostly_empty(made: tuple[Layout, Pdf]) -> None:
    """Only a chapter's last page may be short: others fill at least half the text area."""
    layout, pdf = made
    starts = {pdf.chapter_page(layout, chapter) for chapter in CHAPTERS}
    top, bottom = A4[1] - 22 * 72 / 25.4, 20 * 72 / 25.4
    for index in range(1, len(pdf.pages) - 1):  # the title page and the last are free
        if index + 2 in starts:
            continue  # the next page starts a chapter: this one ends one
        lines = pdf.body_lines(index)
        assert lines, f"page {index + 1} is empty"
        filled = (top - lines[0]) / (top - bottom)
        assert filled > 0.5, f"page {index + 1} is only {filled:.0%} full"


def test_source_urls_are_links(made: tuple[Layout, Pdf]) -> None:
    layout, pdf = made
    assert layout.links, "the report shows no source address as a link"
    uris = {str(annot.get_object()["/A"]["/URI"])
            for page in pdf.reader.pages for annot in page.get("/Annots") or ()
            if "/URI" in annot.get_object().get("/A", {})}
    assert set(layout.links) <= uris


@pytest.mark.parametrize("example", sorted(
    p.name for p in EXAMPLES.glob("*.toml") if p.name not in ("bad-points.toml", Path(UV).name)))
def test_every_example_prints_with_right_contents_and_full_pages(example: str) -> None:
    needs_weasyprint()
    view = report(str(EXAMPLES / example))
    layout = Layout()
    layout.feed(kk.render_html(view))
    made = layout, Pdf(kk.render_pdf(view))
    test_every_section_heading_is_in_the_pdf(made)
    test_contents_page_numbers_are_the_pages_of_the_headings(made)
    test_no_page_is_mostly_empty(made)


# --- how it looks ----------------------------------------------------------------------

def ink(pdf: Path, page: int, tmp_path: Path) -> tuple[float, float]:
    """The shares of a page's pixels, drawn at 50 dpi, that are not white, and that are
    in colour (text is black or grey; the charts are drawn in colours)."""
    out = tmp_path / f"page{page}"
    subprocess.run(["pdftoppm", "-r", "50", "-f", str(page), "-l", str(page), str(pdf),
                    str(out)], check=True, timeout=60)
    (image,) = tmp_path.glob(f"page{page}*.ppm")
    data = image.read_bytes()
    head = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    assert head, "pdftoppm wrote no 8-bit PPM"
    pixels = data[head.end():]
    count = int(head[1]) * int(head[2])
    assert len(pixels) == 3 * count
    rgb = list(zip(pixels[0::3], pixels[1::3], pixels[2::3], strict=True))
    inked = sum(1 for p in rgb if min(p) < 200)
    coloured = sum(1 for p in rgb if max(p) - min(p) > 60)
    return inked / count, coloured / count


def test_pages_are_drawn_and_the_summary_draws_its_chart(made: tuple[Layout, Pdf],
                                                         tmp_path: Path) -> None:
    needs_poppler()
    layout, pdf = made
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.data)
    assert ink(path, 1, tmp_path)[0] > 0.002, "the title page is blank"
    text_inked, text_coloured = ink(path, pdf.chapter_page(layout, "overview"), tmp_path)
    assert text_inked > 0.01, "the overview page (a table) is blank"
    summary = range(pdf.chapter_page(layout, "summary"), pdf.chapter_page(layout, "areas"))
    drawn = [ink(path, page, tmp_path) for page in summary]
    assert all(inked > 0.01 for inked, _ in drawn), "a page of the summary is blank"
    assert max(coloured for _, coloured in drawn) > max(0.01, 5 * text_coloured), \
        "no page of the summary draws the chart"
