"""Hostile names: CSV and xlsx output never turns them into formulas (issue 12)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, strategies as st

from kompass_core import parse_ruleset, read_results, write_template
from kompass_core.cli.main import main
from kompass_core.cli.tables import neutral, printable
from kompass_core.formats.results import unquoted
from tests.conftest import EXAMPLES

UV = EXAMPLES / "upplands-vasby-2011.toml"
NAME = '=HYPERLINK("http://x","y")'
CODE = "+cmd|' /C calc'!A0"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?(/[0-9]+)?")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def hostile(tmp_path: Path, name: str = NAME, code: str = CODE) -> Path:
    """Upplands Väsby's evaluation under a hostile name and code."""
    path = tmp_path / "hostile.toml"
    path.write_text(UV.read_text(encoding="utf-8")
                    .replace('name = "Upplands Väsby"', f"name = {json.dumps(name)}")
                    .replace('code = "0114"', f"code = {json.dumps(code)}"), encoding="utf-8")
    return path


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def formulas(text: str) -> list[str]:
    """The cells of a CSV a spreadsheet would take for formulas."""
    return [c for c in cells(text) if c.startswith(TRIGGERS) and not NUMBER.fullmatch(c)]


@given(st.text())
def test_neutral_cells_read_back_exactly(text: str) -> None:
    written = neutral(text)
    assert unquoted(written) == text
    assert not written.startswith(TRIGGERS) or NUMBER.fullmatch(written)


@pytest.mark.parametrize("cell", ["-3", "-5/2", "-2.5", "0", "75/2"])
def test_numbers_are_not_mangled(cell: str) -> None:
    assert neutral(cell) == cell == unquoted(cell)


@pytest.mark.parametrize(("cell", "written"), [
    (NAME, "'" + NAME), (CODE, "'" + CODE), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("'=x", "''=x"), ("'x", "'x"), ("a=b", "a=b")])
def test_would_be_formulas_get_one_quote(cell: str, written: str) -> None:
    assert neutral(cell) == written
    assert unquoted(written) == cell


def test_score_csv_neutralises_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "score", str(hostile(tmp_path)), "--format", "csv")
    assert (code, err) == (0, "")
    assert formulas(out) == []
    assert "'" + NAME in cells(out) and "'" + CODE in cells(out)


def test_export_csv_neutralises_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", str(hostile(tmp_path)), "--format", "csv")
    assert code == 0
    assert formulas(out) == [] and "'" + NAME in cells(out)


def test_store_csv_neutralises_names_and_reads_back(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "s.db")
    assert run(capsys, "db", "import", str(hostile(tmp_path)), "--db", db)[0] == 0
    for args in (["db", "export"], ["db", "list"], ["db", "rank", "kk-se@2.0"],
                 ["db", "history", CODE]):
        code, out, err = run(capsys, *args, "--format", "csv", "--db", db)
        assert (code, err) == (0, ""), args
        assert formulas(out) == [], args
        assert "'" + NAME in cells(out), args
    _, exported, _ = run(capsys, "db", "export", "--format", "csv", "--db", db)
    rows = read_results(exported, "export.csv")
    assert NAME in [row.municipality for row in rows]
    again = tmp_path / "export.csv"
    again.write_text(exported, encoding="utf-8")
    other = str(tmp_path / "other.db")
    assert run(capsys, "db", "import", str(again), "--db", other)[0] == 0
    _, listed, _ = run(capsys, "db", "list", "--format", "json", "--db", other)
    assert NAME in [entry["municipality"]["name"] for entry in json.loads(listed)]


def test_template_labels_are_text_not_formulas() -> None:
    ruleset = parse_ruleset(f'''
id = "kk-evil"
version = "1"
organisation = "Test"
country = "SE"
title = {{ en = {json.dumps(NAME)} }}
[sources.s]
title = "A source"
[areas.1]
max = 100
label = {{ en = {json.dumps(CODE)} }}
sources = ["s"]
''')
    wb = openpyxl.load_workbook(io.BytesIO(write_template(ruleset)))
    strings = [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row
               if isinstance(cell.value, str)]
    assert [c.coordinate for c in strings if c.data_type != "s"] == []
    assert CODE in [c.value for c in strings]
    assert any(NAME in c.value for c in strings)


EVIL = "Evil\x1b]0;pwned\x07\rall OK\u202eyb"
SHOWN = "Evil\\x1b]0;pwned\\x07\\rall OK\\u202eyb"
RAW = ("\x1b", "\x07", "\r", "\u202e")


def test_printable_escapes_controls_and_bidi_only() -> None:
    assert printable(EVIL) == SHOWN
    assert printable("Upplands Väsby, Ærø, Åland – 12½") == "Upplands Väsby, Ærø, Åland – 12½"
    assert printable("\u2066x\u2069\x9b\x00\n\t") == "\\u2066x\\u2069\\x9b\\x00\\n\\t"


def test_score_table_escapes_names_and_json_keeps_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = hostile(tmp_path, name=EVIL, code="0114")
    code, out, err = run(capsys, "score", str(path))
    assert (code, err) == (0, "")
    assert not any(ch in out for ch in RAW)
    assert out.startswith(SHOWN + " (0114, SE)")
    code, out, _ = run(capsys, "score", str(path), "--format", "json")
    assert json.loads(out)[0]["municipality"]["name"] == EVIL


def test_validate_and_import_lines_are_escaped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file name or a municipality's name cannot write a fake line or retitle the terminal."""
    path = hostile(tmp_path, name=EVIL, code="0114").rename(tmp_path / "e\x1b[2K\r.toml")
    code, out, err = run(capsys, "validate", str(path))
    assert (code, err) == (0, "")
    assert out == f"{tmp_path}/e\\x1b[2K\\r.toml: ok (kk-se@2.0, complete, total 499 of 800)\n"
    code, out, err = run(capsys, "db", "import", str(path), "--db", str(tmp_path / "s.db"))
    assert code == 0 and not any(ch in err for ch in RAW)
    assert not any(ch in out for ch in RAW) and f"({SHOWN} 2011, kk-se@2.0)" in out
    code, out, _ = run(capsys, "db", "list", "--db", str(tmp_path / "s.db"))
    assert not any(ch in out for ch in RAW) and SHOWN in out


def test_error_lines_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad\x1b]0;x\x07.toml"
    bad.write_text("ruleset = 2\n", encoding="utf-8")
    code, out, err = run(capsys, "validate", str(bad), str(UV))
    assert (code, out) == (2, f"{UV}: ok (kk-se@2.0, complete, total 499 of 800)\n")
    assert err.startswith(f"kompass: error: {tmp_path}/bad\\x1b]0;x\\x07.toml:1: ruleset: ")
    assert not any(ch in err for ch in RAW)


def test_history_and_compare_headings_are_escaped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = hostile(tmp_path, name=EVIL, code="0114")
    db = str(tmp_path / "s.db")
    assert run(capsys, "db", "import", str(path), "--db", db)[0] == 0
    code, out, _ = run(capsys, "db", "history", "0114", "--db", db)
    assert code == 0 and SHOWN in out and not any(ch in out for ch in RAW)
    code, out, _ = run(capsys, "compare", str(path), str(UV))
    assert code == 0 and SHOWN in out and not any(ch in out for ch in RAW)


# Evaluators' long texts: the Markdown subset of kompass_core.report.markup (issue 14)

_OUR_TAGS = re.compile(r"</?(p|ul|ol|li|em|strong)>")
_line_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
                     min_size=1).filter(lambda t: bool(t.strip())
                                        and t.lstrip()[:1] not in "-*0123456789")


@given(st.text())
def test_no_markup_from_user_text_survives_in_html(text: str) -> None:
    from kompass_core.report.markup import to_html

    rest = _OUR_TAGS.sub("", to_html(text))
    assert "<" not in rest and ">" not in rest and '"' not in rest


@given(st.text())
def test_markdown_escapes_every_angle_bracket_and_keeps_the_blocks(text: str) -> None:
    from kompass_core.report.markup import blocks, to_markdown

    out = to_markdown(text)
    assert re.search(r"(?<!\\)[<>`|\[\]]", out.replace("\\\\", "")) is None
    assert len(out.split("\n\n")) == max(len(blocks(text)), 1)


@given(st.text())
def test_normalising_is_idempotent_and_keeps_what_is_shown(text: str) -> None:
    from kompass_core.report.markup import blocks, normalise, to_html, to_markdown

    once = normalise(text)
    assert normalise(once) == once
    assert blocks(once) == blocks(text)
    assert to_html(once) == to_html(text) and to_markdown(once) == to_markdown(text)


@given(st.lists(_line_text, min_size=1, max_size=6))
def test_paragraphs_are_kept(paragraphs: list[str]) -> None:
    from kompass_core.report.markup import to_html, to_markdown

    text = "\n\n".join(paragraphs)
    assert to_html(text).count("<p>") == len(paragraphs)
    assert len(to_markdown(text).split("\n\n")) == len(paragraphs)


@pytest.mark.parametrize(("text", "html"), [
    ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
    ('<img src=x onerror="alert(1)">', "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>"),
    ("[klicka](javascript:alert(1))", "<p>[klicka](javascript:alert(1))</p>"),
    ("**<b>fet</b>**", "<p><strong>&lt;b&gt;fet&lt;/b&gt;</strong></p>"),
    ("Ett\nstycke.\n\nTvå.", "<p>Ett stycke.</p>\n<p>Två.</p>"),
    ("- a\n* b\n  c\n\n1. x\n2) y",
     "<ul><li>a</li><li>b c</li></ul>\n<ol><li>x</li><li>y</li></ol>"),
    ("*kursiv* och 2 * 3 * 4", "<p><em>kursiv</em> och 2 * 3 * 4</p>"),
])
def test_hostile_and_plain_texts_in_html(text: str, html: str) -> None:
    from kompass_core.report.markup import to_html

    assert to_html(text) == html


@pytest.mark.parametrize(("text", "markdown"), [
    ("<script>x</script>", "\\<script\\>x\\</script\\>"),
    ("# rubrik", "\\# rubrik"),
    ("2011\\. var året", "2011\\\\. var året"),
    ("> citat | tabell", "\\> citat \\| tabell"),
    ("- [länk](http://x)\n- `kod`", "- \\[länk\\](http://x)\n- \\`kod\\`"),
    ("**fet** _under_", "**fet** \\_under\\_"),
])
def test_hostile_and_plain_texts_in_markdown(text: str, markdown: str) -> None:
    from kompass_core.report.markup import to_markdown

    assert to_markdown(text) == markdown



# Every text a report shows from the evaluation (issue 14): escaped in HTML and Markdown

SCRIPT = "<script>alert(1)</script>"
MD_ATTACK = "[x](javascript:alert(1)) | ![i](http://x/i.png) `c`"


def _hostile_texts(tmp_path: Path) -> Path:
    """An evaluation with a script and Markdown injection in every field a report shows."""
    both = json.dumps(f"{SCRIPT} {MD_ATTACK}")
    summary = json.dumps(SCRIPT + "\n\n# " + MD_ATTACK)
    findings = json.dumps(SCRIPT + "\n- " + MD_ATTACK)
    path = tmp_path / "texts.toml"
    path.write_text(f"""ruleset = "kk-se@2.0"
[municipality]
name = "Prov"
[evaluation]
date = 2011-05-30
evaluators = [{both}]
summary = {summary}
groups = [{both}]
documents = [{both}]
[[facts]]
label = {both}
value = {both}
source = {both}
year = 2010
[areas.1]
comment = {both}
strengths = [{both}]
references = [{both}]
[areas.1.subareas."1.1"]
points = 10
comment = {findings}
gold_stars = [{both}]
""", encoding="utf-8")
    return path


FIELDS = 13
"""Where the hostile text is shown: evaluators twice, summary, groups, documents, the fact's
label, value and source, the area text, findings, the star, a strength and a reference."""


def test_every_report_text_is_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    path = str(_hostile_texts(tmp_path))
    code, html, err = run(capsys, "report", path)
    assert (code, err) == (0, "")
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == FIELDS
    code, markdown, _ = run(capsys, "report", path, "--format", "md")
    assert code == 0
    assert not re.search(r"(?<!\\)<script", markdown)
    assert markdown.count("\\<script\\>alert(1)\\</script\\>") == FIELDS
    assert "[x](javascript" not in markdown and "![i]" not in markdown  # no live link, no image
    assert "`c`" not in markdown
    assert not re.search(r"^#+ \\?\[x", markdown, re.M)  # a text starts no heading
    assert markdown.count("\\# \\[x\\]") == 1  # the summary's "# ..." stays text
