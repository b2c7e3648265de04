"""The report's sections in the seed's order, its charts, comparisons and score-card input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kompass_core import (
    Conduct,
    Evaluation,
    Fact,
    Municipality,
    Registry,
    Star,
    load_evaluation,
    parse_ruleset,
    render_html,
    render_markdown,
)
from kompass_core.cli.main import main
from kompass_core.report.build import build_report
from kompass_core.report.chart import bar_name, short_name
from kompass_core.report.text import strings
from tests.conftest import EXAMPLES

UV = str(EXAMPLES / "upplands-vasby-2011.toml")
SV = strings("sv")
IDS = ["title", "contents", "method", "summary", "areas", "area-1", "area-8", "overview",
       "facts", "sources"]


def render(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["report", *args]) == 0
    return capsys.readouterr().out


def headings(words: dict[str, str] | object, municipality: str) -> list[str]:
    w = strings("sv") if not isinstance(words, dict) else words
    return [w["contents"], w["method"], w["summary_heading"].format(municipality=municipality),
            w["conduct"], w["summary"], w["bar_chart"], w["profile_chart"], w["areas_heading"],
            w["general"], w["strengths"], w["improvements"], w["weaknesses"],
            w["references"], w["overview"], w["facts_heading"], w["sources_heading"]]


def test_every_section_in_the_seeds_order_in_html(capsys: pytest.CaptureFixture[str]) -> None:
    html = render(capsys, UV)
    found = re.findall(r'<(?:section|nav) [^>]*id="([\w-]+)"', html)
    assert [i for i in found if i in IDS] == IDS
    assert found.count("area-1") == 1 and len([i for i in found if i.startswith("area-")]) == 8
    links = re.findall(r'<a href="#([\w-]+)">', html)
    assert set(links) == set(found) - {"title", "contents"}  # the contents name every section
    for heading in headings(SV, "Upplands Väsby"):
        assert heading in html, heading
    assert '<figure class="chart bar">' in html and '<figure class="chart radar">' in html
    assert '<table class="lists">' in html and '<table class="points' in html
    assert '<div class="running-title">' in html


def test_markdown_has_the_same_sections(capsys: pytest.CaptureFixture[str]) -> None:
    markdown = render(capsys, UV, "--format", "md")
    for heading in headings(SV, "Upplands Väsby"):
        assert heading in markdown, heading
    titles = re.findall(r"^#+ (.*)$", markdown, re.M)
    order = [SV["method"], SV["summary_heading"].format(municipality="Upplands Väsby"),
             SV["areas_heading"], SV["overview"], SV["facts_heading"], SV["sources_heading"]]
    assert [t for t in titles if t in order] == order
    assert "| 1 Offentlighet och demokrati | 68 % |" in markdown  # the profile as a table


def test_the_summary_holds_the_evaluations_facts(capsys: pytest.CaptureFixture[str]) -> None:
    html = render(capsys, UV)
    summary = html[html.index('<section id="summary">'):html.index('<section id="areas">')]
    assert "Upplands Väsbys första utvärdering enligt Kommunkompassen" in summary
    assert "40 personer intervjuades" in summary
    assert "fackliga representanter" in summary and "Christine Feuk (SKL)" in summary
    assert summary.count("<p>") >= 2  # the narrative keeps its paragraphs
    assert "Totalt: 499 av 800" in summary


def test_area_level_points_leave_sub_areas_not_reported(capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    html = render(capsys, UV)
    assert "1.1 Strategi för demokratiutveckling och information" in html
    assert f'<td class="num">{SV["not_reported"]}</td>' in html
    assert "0-25" not in html and SV["unscored"] not in html
    partial = render(capsys, str(EXAMPLES / "exempelby-partial.toml"), "--lang", "en")
    assert "not scored" in partial  # scored by sub-area: an open one is unscored, not unreported


def test_comparability_note_comes_from_the_migration_data(
        capsys: pytest.CaptureFixture[str], registry: Registry) -> None:
    html = render(capsys, UV, "--lang", "en")
    (note,) = re.findall(r'<p class="note comparability">(According to .*?)</p>', html)
    assert "a Municipal Compass 2.0 result lies about 80 to 100 points below a result under " \
        "Municipal Compass 1.0" in note  # the rule sets by their titles in the report's language
    assert "Upplands Väsby 2011, section 2 (p. 5)" in note  # the calibration's source
    later = render(capsys, str(EXAMPLES / "vallentuna-2021.toml"), "--lang", "en")
    assert "According to" not in later  # kk-se@2020 has no published band
    report = build_report(registry.score(load_evaluation(UV)), registry.ruleset("kk-se@2.0"),
                          load_evaluation(UV), "en")
    assert report.comparability == (strings("en")["comparability"],)  # no registry, no band
    swedish = render(capsys, UV)
    assert "Enligt SKL: Kommunkompassen. Analys av Upplands Väsby 2011, section 2 (p. 5) ligger " \
        "ett resultat enligt Kommunkompassen 2.0 cirka 80 till 100 poäng under ett resultat " \
        "enligt Kommunkompassen 1.0 för samma kommun." in swedish


def test_previous_adds_change_column_and_totals(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    before = tmp_path / "before.toml"
    before.write_text(Path(UV).read_text("utf-8").replace("date = 2011-05-30",
                                                          "date = 2009-05-30")
                      .replace("points = 68", "points = 60"), encoding="utf-8")
    html = render(capsys, UV, "--previous", str(before), "--lang", "en")
    overview = html[html.index('<section id="overview">'):html.index('<section id="facts">')]
    assert "<th class=\"num\">Change</th>" in overview
    assert re.search(r"<td>1</td><td>Openness and democracy.*?<td class=\"num\">60</td>"
                     r"<td class=\"num\">\+8</td>", overview)
    total = re.search(r'<tr class="sum">(.*?)</tr>', overview)
    assert total and ">499<" in total[1] and ">491<" in total[1] and ">+8<" in total[1]
    assert "Previous (2009)" in html  # the legend names the year
    markdown = render(capsys, UV, "--previous", str(before), "--lang", "en", "--format", "md")
    assert "| Change |" in markdown and "| 491 | +8 |" in markdown


def test_radar_names_its_axes_and_shows_scale_values_and_legend(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html = render(capsys, str(EXAMPLES / "vallentuna-2021.toml"), "--lang", "en")
    radar = html[html.index('<figure class="chart radar">'):]
    radar = radar[:radar.index("</figure>")]
    names = re.findall(r'<text class="axis-name"[^>]*>(.*?)</text>', radar)
    assert len(names) == 8 and all(re.match(r"<tspan[^>]*>\d ", n) for n in names)
    assert "<tspan" in names[0] and "Interaction" in names[0]
    assert re.findall(r'<text class="scale"[^>]*>([^<]*)</text>', radar) == \
        ["20", "40", "60", "80", "100"]
    assert len(re.findall(r'<text class="value"', radar)) == 8
    legend = re.search(r'<figcaption class="legend">(.*?)</figcaption>', radar)
    assert legend and "Vallentuna 2021" in legend[1]
    assert "Reference: Sweden (average) 2021" in legend[1]  # the cohort the reference is of


@pytest.mark.parametrize(("label", "short"), [
    ("Offentlighet och demokrati", ("Offentlighet",)),
    ("Ledarskap, ansvar och delegation", ("Ledarskap",)),
    ("Kommunen som arbetsgivare – personalpolitik", ("Kommunen som", "arbetsgivare")),
    ("Political governance and control", ("Political", "governance")),
    ("Verksamhetsutveckling", ("Verksamhetsutveckling",)),
    ("A very long name with many more words", ("A very long name", "with many more…")),
])
def test_short_area_names(label: str, short: tuple[str, ...]) -> None:
    assert short_name(label) == short


@pytest.mark.parametrize(("key", "label", "name"), [
    ("6", "The municipality as employer", "6 The municipality as employer"),
    ("8", "The municipality as community builder", "8 The municipality as community…"),
    ("6", "Kommunen som arbetsgivare – personalpolitik", "6 Kommunen som arbetsgivare"),
    ("1", "Offentlighet och demokrati", "1 Offentlighet och demokrati"),
    ("2", "Tillgänglighet och brukarorientering", "2 Tillgänglighet"),
])
def test_bar_names_fit_one_line_and_stay_apart(key: str, label: str, name: str) -> None:
    assert bar_name(key, label) == name and len(name) <= 34


def test_a_score_card_is_reported_on_its_own_rule_set(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    assert main(["migrate", UV, "--to", "kk-no@2.0", "--format", "json"]) == 0
    card = tmp_path / "card.json"
    card.write_text(capsys.readouterr().out, encoding="utf-8")
    html = render(capsys, str(card))
    nb = strings("nb")
    assert '<html lang="nb">' in html and "Offentlighet og demokrati" in html
    assert nb["card_only"] in html
    assert "Resultatet er regnet om fra kk-se@2.0 til kk-no@2.0" in html
    assert "Totalt: 499 av 800" in html and "Guldstjärna" not in html
    single = tmp_path / "one.json"  # one card object, as an API user writes it
    single.write_text(json.dumps(json.loads(card.read_text("utf-8"))[0]), encoding="utf-8")
    assert render(capsys, str(single), "--format", "md").count(nb["card_only"]) == 1
    later = render(capsys, str(EXAMPLES / "vallentuna-2021.toml"), "--previous", str(card),
                   "--lang", "en")  # a card as the previous evaluation
    assert "Previous (2011)" in later and "carried from kk-se@2.0 to kk-se@2020" in later
    bad = tmp_path / "bad.json"
    bad.write_text(card.read_text("utf-8").replace('"kk-no@2.0"', '"kk-xx@9"'),
                   encoding="utf-8")
    assert main(["report", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kompass: error: {bad}:") and "kk-xx@9" in err
    assert "Traceback" not in err


def _evaluation(**more: object) -> Evaluation:
    return Evaluation("kk-se@2.0", Municipality("Prov"), points={"1.1": 20, "1.2": 10},
                      comments={"1": "Allmänt.\n\nAndra stycket.", "1.1": "Fynd om 1.1."},
                      **more)  # type: ignore[arg-type]


def test_findings_gold_stars_and_facts(registry: Registry) -> None:
    evaluation = _evaluation(
        stars=(Star("1.1", "Webbsändning av fullmäktige"), Star("1.2")),
        facts=(Fact("Invånare", "40 000", "SCB", 2010), Fact("Yta", "75 km²")),
        conduct=Conduct(first=False, interviewed=12))
    report = build_report(registry.score(evaluation), registry.ruleset("kk-se@2.0"),
                          evaluation, "sv")
    html, markdown = render_html(report), render_markdown(report)
    for text in (html, markdown):
        assert "Fynd om 1.1." in text and "Andra stycket." in text
        assert "★ Guldstjärna: Webbsändning av fullmäktige" in text
        assert SV["gold_star_note"] in text
        assert "Källa: SCB, 2010" in text and "75 km²" in text
        assert "Provs förnyade utvärdering enligt Kommunkompassen" in text
    assert "<p>Allmänt.</p>\n<p>Andra stycket.</p>" in html
    assert SV["subarea_points"].format(points="20", max="25") in html
    assert "0-25 (ej bedömd)" in html  # sub-areas were scored one by one: 1.3 is open


def test_method_section_gives_the_rule_sets_method_and_its_sources(registry: Registry) -> None:
    evaluation = _evaluation()
    ruleset = registry.ruleset("kk-se@2.0")
    assert ruleset.method is not None
    html = render_html(build_report(registry.score(evaluation), ruleset, evaluation, "sv"))
    method = html[html.index('<section id="method">'):html.index('<section id="summary">')]
    assert '<div class="method" lang="sv">' in method and method.count("<p>") >= 2
    cited = [s for s in ruleset.sources if s.id in ruleset.method_sources]
    assert cited and len(cited) < len(ruleset.sources)
    for source in ruleset.sources:  # the sources the text rests on, as links where they can be
        shown = (f'<a href="{source.url}">' if source.url else source.title) in method
        assert shown == (source in cited), source.id


def test_a_rule_set_without_method_text_says_so(registry: Registry) -> None:
    ruleset = parse_ruleset("""
id = "kk-plain"
version = "1"
organisation = "Test"
country = "SE"
title = { en = "Plain" }
[sources.s]
title = "A source"
url = "https://example.org/s"
[areas.1]
max = 10
label = { en = "One" }
""")
    evaluation = Evaluation("kk-plain@1", Municipality("Prov"), points={"1": 5})
    report = build_report(registry.score(evaluation, ruleset), ruleset, evaluation, "en")
    html, markdown = render_html(report), render_markdown(report)
    assert strings("en")["no_method"] in html and strings("en")["no_method"] in markdown
    assert '<a href="https://example.org/s">A source</a>' in html
    assert "[A source](<https://example.org/s>)" in markdown
