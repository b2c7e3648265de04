"""The evaluation report: HTML in a real browser, escaping, Markdown and CSV snapshots."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kompass_core import Registry, load_evaluation, parse_evaluation, parse_ruleset
from kompass_core.cli.main import main
from kompass_core.model.card import Step
from kompass_core.model.refs import RuleSetRef
from kompass_core.report.build import build_report
from kompass_core.report.notes import Notes, ruleset_notes
from kompass_core.report.text import strings
from tests.conftest import EXAMPLES, ROOT

UV = str(EXAMPLES / "upplands-vasby-2011.toml")
PARTIAL = str(EXAMPLES / "exempelby-partial.toml")
SNAPSHOTS = ROOT / "tests" / "snapshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def render(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["report", *args]) == 0
    return capsys.readouterr().out


def needs_chromium() -> None:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (.ci/run does)")
        pytest.skip("no chromium on this machine: apt-get install chromium to run this test")


def browser(html: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'p'}",
                           *args, html.as_uri()], capture_output=True, text=True, timeout=120,
                          check=True)


def snapshot(name: str, actual: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("KOMPASS_UPDATE_SNAPSHOTS"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} changed; see the diff"


# --- the page ------------------------------------------------------------------------

def test_html_is_self_contained(capsys: pytest.CaptureFixture[str]) -> None:
    html = render(capsys, UV)
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html
    assert not re.search(r"""src=|<link|<img|url\(""", html)  # no asset fetched
    links = re.findall(r"""<a href="([^"]*)">""", html)
    assert links and all(u.startswith(("#", "http://", "https://")) for u in links)
    assert re.search(r"@page \{\s*size: A4;", html)  # print.css, included
    assert html.count('class="axis"') == 8
    assert "Totalt: 499 av 800" in html


def test_report_renders_in_a_real_browser(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    needs_chromium()
    from PIL import Image, ImageStat

    page = tmp_path / "report.html"
    assert main(["report", PARTIAL, "-o", str(page)]) == 0
    shot = tmp_path / "shot.png"
    browser(page, tmp_path, "--window-size=1240,1754", f"--screenshot={shot}")
    image = Image.open(shot).convert("L")
    assert image.size == (1240, 1754)
    stat = ImageStat.Stat(image)
    assert stat.stddev[0] > 20, "the screenshot is blank"
    dark = image.histogram()[:128]
    assert sum(dark) > 5000, "almost nothing is drawn"
    dom = browser(page, tmp_path, "--dump-dom").stdout
    assert len(re.findall(r'<line class="axis" data-area="\d+"', dom)) == 8
    assert 'class="this-band"' in dom  # the partial evaluation draws its interval as a band
    assert re.findall(r'<section id="([a-z]+)"', dom) == [
        "title", "method", "summary", "areas", "overview", "facts", "sources"]
    assert dom.count('<figure class="chart') == 2 and dom.count('<section class="area"') == 8


def test_user_text_is_escaped_and_no_script_runs(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    evil = tmp_path / "evil.toml"
    evil.write_text(Path(UV).read_text(encoding="utf-8").replace(
        'name = "Upplands Väsby"', 'name = "<b>Väsby</b>"').replace(
        '"Medborgarundersökningar görs återkommande"', '"<script>alert(1)</script>"'),
        encoding="utf-8")
    html = render(capsys, str(evil))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "<b>" not in html
    markdown = render(capsys, str(evil), "--format", "md")
    assert "\\<script\\>alert(1)\\</script\\>" in markdown
    if CHROMIUM is None:
        return
    page = tmp_path / "evil.html"
    page.write_text(html, encoding="utf-8")
    dom = browser(page, tmp_path, "--dump-dom").stdout
    assert "<script" not in dom  # the text stayed text: no script element exists
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom


# --- content ---------------------------------------------------------------------------

def test_every_assumption_is_footnoted(capsys: pytest.CaptureFixture[str]) -> None:
    html = render(capsys, UV, "--lang", "en")
    assert "Assumed, not published (max): 1.1, 1.2" in html
    assert "Assumed for the whole rule set: rounding." in html
    assert "Labels in en are our own translation" in html
    assert ("Reference: none, as there is no average and no published evaluation(s) of "
            "kk-se@2.0 dated 2011 or earlier") in html  # Grästorp 2014, Örebro 2012: later


def test_language_fallback_is_marked(capsys: pytest.CaptureFixture[str]) -> None:
    html = render(capsys, UV, "--lang", "nb")
    assert "Evalueringsrapport" in html
    assert "No nb label" not in html
    assert ("Regelverket har ingen etikett på nb: etiketten på sv, regelverkets eget språk, "
            "vises.") in html
    assert "Offentlighet och demokrati<sup>" in html  # the rule set's own language, not en
    assert "Openness and democracy" not in html


def test_previous_across_an_uncalibrated_step(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    previous = tmp_path / "before.toml"
    previous.write_text('ruleset = "kk-se@2.0"\n[municipality]\nname = "Vallentuna"\n'
                        "[evaluation]\ndate = 2015-02-01\n"
                        + "".join(f"[areas.{i}]\npoints = 60\n" for i in range(1, 9)))
    html = render(capsys, str(EXAMPLES / "vallentuna-2021.toml"), "--previous", str(previous),
                  "--lang", "en")
    assert 'class="previous"' in html
    assert "Previous evaluation (2015-02-01) carried from kk-se@2.0 to kk-se@2020" in html
    assert "kk-se@2.0 -&gt; kk-se@2015: uncalibrated" in html
    assert "cannot be judged" in html
    assert "Reference: published average (Sweden (average), 2021)" in html


def test_reference_from_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = (ROOT / "kompass_core" / "data" / "published-results.csv").read_text("utf-8")
    header, *rows = source.splitlines()
    mine = tmp_path / "mine.csv"
    mine.write_text("\n".join([header, *(r for r in rows if "Grästorp" in r)]) + "\n")
    html = render(capsys, UV, "--reference", str(mine), "--lang", "en",
                  "--reference-years", "2014")
    assert ("Reference: mean of 1 published evaluation(s) of kk-se@2.0 dated 2014, other than "
            "Upplands Väsby&#39;s own: Grästorp 2014; the rule set of "
            "Grästorp 2014 is inferred (e.g. from the year), not stated by the source; from "
            "mine.csv") in html
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "\nkk-se@2.0,evaluation,SE,X,2014,61,60,x,53,70,56,65,68,506,,\n")
    assert main(["report", UV, "--reference", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err == f"kompass: error: {bad}:2: a3: 'x' is not a number of points\n"


def test_report_to_a_file_is_atomic_and_complete(tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    target.write_text("old")
    assert main(["report", UV, "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


# --- the view ------------------------------------------------------------------------

def test_a_migrated_previous_card_is_noted_from_its_origin_along_its_own_path(
        registry: Registry) -> None:
    before = parse_evaluation('ruleset = "kk-se@1.0"\n[municipality]\nname = "Vallentuna"\n'
                              "[evaluation]\ndate = 2009-03-01\n"
                              + "".join(f"[areas.{i}]\npoints = 60\n" for i in range(1, 9)))
    previous = registry.migrate(registry.migrate(registry.score(before), "kk-se@2.0"),
                                "kk-se@2015")  # two calls: the path is the card's, not one call's
    now = parse_evaluation('ruleset = "kk-se@2015"\n[municipality]\nname = "Vallentuna"\n')
    last = Step(RuleSetRef.parse("kk-se@2.0"), RuleSetRef.parse("kk-se@2015"))
    report = build_report(registry.score(now), registry.ruleset("kk-se@2015"), now, "en",
                          previous=previous,
                          previous_steps={last: registry.migration_path(last.source,
                                                                        last.target)[0]})
    notes = [text for _, text in report.footnotes]
    assert "Previous evaluation (2009-03-01) carried from kk-se@1.0 to kk-se@2015: " \
           "kk-se@1.0 -> kk-se@2.0: calibrated; kk-se@2.0 -> kk-se@2015: uncalibrated " \
           "(assumed: mapping)." in notes
    assert strings("en")["uncalibrated"] in notes
    assert report.has_previous
    assert [a.previous for a in report.areas] == [
        previous[a.line.key].show(previous.rounding) for a in report.areas]


def test_a_previous_card_on_the_same_rule_set_has_no_migration_note(
        registry: Registry) -> None:
    evaluation = load_evaluation(UV)
    earlier = registry.score(load_evaluation(EXAMPLES / "grastorp-2014.toml"))
    report = build_report(registry.score(evaluation), registry.ruleset("kk-se@2.0"),
                          evaluation, "en", previous=earlier)
    assert not any(text.startswith("Previous evaluation") for _, text in report.footnotes)
    assert [a.previous for a in report.areas] == [
        earlier[a.line.key].show() for a in report.areas]
    assert report.chart["series"]["previous"]["band"] == ""  # an exact card draws no band


NOTED = parse_ruleset("""
id = "kk-notes"
version = "1"
organisation = "Test"
country = "SE"
title = { sv = "Prov", en = "Test" }
translated = ["en"]
assumed = ["rounding"]
[areas.1]
max = 10
label = { sv = "Ett", en = "One" }
assumed = ["max"]
note = "Not in  the source."
[areas.2]
max = 10
label = { sv = "Två", en = "Two" }
assumed = ["max"]
note = "Not in the source."
[areas.3]
max = 10
label = { sv = "Tre", en = "Three" }
assumed = ["label", "max"]
""")


@pytest.mark.parametrize(("lang", "first", "max_", "label_max"), [
    ("sv", [], "maxpoäng", "benämning, maxpoäng"),
    ("en", ["Labels in en are our own translation, not taken from a source."], "max",
     "label, max"),
    ("da", ["Regelsættet har ingen betegnelse på da: betegnelsen på sv, regelsættets eget "
            "sprog, vises."], "maksimalt pointtal", "betegnelse, maksimalt pointtal")])
def test_rows_are_marked_with_the_notes_that_qualify_them(lang: str, first: list[str],
                                                          max_: str, label_max: str) -> None:
    notes = Notes()
    marks = ruleset_notes(notes, NOTED, lang, strings(lang))
    texts = [text for _, text in notes.numbered()]
    assert texts[:len(first)] == first
    assert [n for n, _ in notes.numbered()] == list(range(1, len(texts) + 1))
    same, other = len(first) + 1, len(first) + 2  # one note for the same assumption and reason
    assert texts[same - 1].endswith(f"({max_}): 1, 2. Not in the source.")
    assert texts[other - 1].endswith(f"({label_max}): 3.")
    assert len(texts) == other + 1  # and the rule set's own assumption, rounding
    fallback = (1,) if lang == "da" else ()
    assert marks == {"1": (same, *fallback), "2": (same, *fallback), "3": (other, *fallback)}


# --- snapshots ---------------------------------------------------------------------------

def test_markdown_snapshot(capsys: pytest.CaptureFixture[str],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    snapshot("upplands-vasby-2011.md", render(capsys, "examples/upplands-vasby-2011.toml",
                                              "--format", "md"))


def test_export_csv_snapshot(capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["export", "examples/upplands-vasby-2011.toml",
                 "examples/exempelby-partial.toml"]) == 0
    snapshot("export.csv", capsys.readouterr().out)


def test_export_json_is_a_list_of_cards(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["export", UV, "--format", "json"]) == 0
    (doc,) = json.loads(capsys.readouterr().out)
    assert doc["format"] == "kompass.scorecard/1"

