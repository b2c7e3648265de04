"""One language per report: every fixed word in every language, and none of English's elsewhere.

Also the edges of a language: an unknown one is refused with the list, a
plugin adds one (never replaces one), and numbers in text take the
language's decimal sign.
"""

from __future__ import annotations

import re
import types
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

from kompass_core import (
    AreaNotes,
    InputError,
    PluginError,
    Registry,
    ReportStrings,
    build_report,
    hookimpl,
    load_evaluation,
    parse_evaluation,
    reference_gap,
    render_html,
    render_markdown,
    report_languages,
)
from kompass_core.cli.main import main
from kompass_core.model.evaluation import NOTE_KINDS
from kompass_core.registry.strings import placeholders
from kompass_core.report.text import BUILTIN, STRINGS
from tests.conftest import EXAMPLES

UV = EXAMPLES / "upplands-vasby-2011.toml"
ENGLISH = STRINGS["en"]

SAME_AS_ENGLISH = {
    ("sv", "max"),  # "Max" is Swedish too
    ("sv", "profile"), ("nb", "profile"), ("da", "profile"),
    ("sv", "origin_file"), ("nb", "origin_file"), ("da", "origin_file"),  # the file's name
}
"""Translations that may equal the English word, being the same word in that language."""


def test_every_language_has_every_key_with_the_same_placeholders() -> None:
    assert BUILTIN == ("sv", "nb", "da", "en")
    for lang in BUILTIN:
        words = STRINGS[lang]
        assert set(words) == set(ENGLISH), lang
        for key, text in words.items():
            assert text.strip(), (lang, key)
            assert placeholders(text) == placeholders(ENGLISH[key]), (lang, key)
            text.format(**dict.fromkeys(placeholders(text), "x"))  # formats, no stray brace


def test_no_translation_is_the_english_one_unless_it_is_the_same_word() -> None:
    same = {(lang, key) for lang in BUILTIN if lang != "en"
            for key, text in STRINGS[lang].items() if text == ENGLISH[key]}
    assert same <= SAME_AS_ENGLISH, sorted(same - SAME_AS_ENGLISH)


def test_the_new_sections_words_are_the_seeds() -> None:
    """The seed's own headings (SKL's Upplands Väsby 2011 report, p. 2)."""
    sv = STRINGS["sv"]
    assert sv["contents"] == "Innehåll"
    assert sv["method"] == "Vad är Kommunkompassen?"
    assert sv["summary_heading"].format(municipality="Upplands Väsby") == \
        "Upplands Väsby i förhållande till Kommunkompassen: en sammanfattande genomgång"
    assert sv["areas_heading"] == \
        "Detaljerad genomgång i förhållande till Kommunkompassens åtta områden"
    assert sv["overview"] == "Översikt av poängfördelning"
    assert (sv["general"], sv["conduct"]) == ("Allmänt", "Utvärderingen")
    assert STRINGS["nb"]["gold_star"] == "Gullstjerne"


class _Text(HTMLParser):
    """The text a reader sees: no tags, no attributes, no style."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _fragments(text: str) -> list[str]:
    """The fixed parts of an English value: the text between its placeholders."""
    return [f.strip(" ,.;:()") for f in re.split(r"\{\w+\}", text) if f.strip(" ,.;:()-")]


def _report(registry: Registry, lang: str) -> tuple[str, str]:
    """The report on the example, its evaluators' own words replaced: they are not fixed ones."""
    evaluation = load_evaluation(UV)
    evaluation = attrs.evolve(
        evaluation, summary="Text" if evaluation.summary else "",
        comments=dict.fromkeys(evaluation.comments, "Text"),
        notes={k: AreaNotes(*(("Text",) * len(getattr(n, kind)) for kind in NOTE_KINDS))
               for k, n in evaluation.notes.items()})
    ruleset = registry.ruleset(evaluation.ruleset)
    ruleset = attrs.evolve(ruleset, sources=(), method_note=None)  # its own words: not fixed
    card = registry.score(evaluation, ruleset)
    report = build_report(card, ruleset, evaluation, lang,
                          reference_gap(ruleset, evaluated=evaluation.municipality, year=2011))
    return _visible(render_html(report)), render_markdown(report)


@pytest.mark.parametrize("lang", ["sv", "nb", "da"])
def test_a_report_holds_none_of_the_english_fixed_words(registry: Registry, lang: str) -> None:
    html, markdown = _report(registry, lang)
    english = {f for key, text in ENGLISH.items() if text != STRINGS[lang][key]
               for f in _fragments(text)}
    assert "of" in english and "Points overview" in english  # the words are all looked for
    for text in (html, markdown):
        found = sorted(f for f in english if re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])",
                                                       text))
        assert found == [], (lang, found)


def test_an_english_report_is_english(registry: Registry) -> None:
    html, _ = _report(registry, "en")
    assert "Points overview" in html and "Översikt av poängfördelning" not in html


def test_an_unknown_language_is_refused_with_the_list(
        registry: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(UV), "--lang", "xx"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("kompass: error: --lang 'xx': no report language of that name "
                   "(available: sv, nb, da, en)\n")
    evaluation = load_evaluation(UV)
    ruleset = registry.ruleset(evaluation.ruleset)
    with pytest.raises(InputError, match=r"available: sv, nb, da, en\)"):
        build_report(registry.score(evaluation), ruleset, evaluation, "fi")


FINNISH = {**ENGLISH, "summary": "Yhteenveto", "total": "Yhteensä",
           "overview": "Pisteiden jakautuminen", "area": "Alue"}
"""A plugin's Finnish: a few keys in Finnish, the rest as a translator's first draft."""


def _plugin(*items: object) -> object:
    return types.SimpleNamespace(kompass_report_strings=hookimpl(lambda: list(items)))


def test_a_plugin_adds_a_language(registry: Registry) -> None:
    reg = Registry(entry_points=False)
    reg.register(_plugin(ReportStrings("fi", FINNISH)), "suomi")
    assert list(report_languages(reg)) == ["sv", "nb", "da", "en", "fi"]
    evaluation = load_evaluation(UV)
    ruleset = registry.ruleset(evaluation.ruleset)
    report = build_report(registry.score(evaluation), ruleset, evaluation, "fi", registry=reg)
    html = render_html(report)
    assert '<html lang="fi">' in html and "Yhteenveto" in html and "Pisteiden jakautuminen" in html
    assert "Offentlighet och demokrati" in html  # no fi label: the rule set's own, Swedish
    assert reg.problems == {}


def test_kompass_report_lang_fi_with_a_plugin(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    import kompass_core
    import kompass_core.registry.default as default

    def configure(*, disabled: object = (), strict: bool = False) -> None:
        reg = Registry(strict=strict)
        reg.register(_plugin({"lang": "fi", "strings": FINNISH}), "suomi")
        monkeypatch.setattr(default, "_default", reg)

    monkeypatch.setattr(kompass_core, "configure_default", configure)
    assert main(["report", str(UV), "--lang", "fi", "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert "## Yhteenveto" in out and "**Yhteensä: 499" in out
    assert main(["report", str(UV), "--lang", "is"]) == 2
    assert "(available: sv, nb, da, en, fi)" in capsys.readouterr().err


@pytest.mark.parametrize(("items", "problem"), [
    ([ReportStrings("fi", {k: v for k, v in FINNISH.items() if k not in ("change", "page")})],
     "plugin 'p': report strings for 'fi': missing keys: change, page"),
    ([ReportStrings("sv", FINNISH)],
     "plugin 'p': report strings for 'sv': a built-in language cannot be replaced"),
    ([ReportStrings("fi", {**FINNISH, "open": "Auki {low}"})],
     "plugin 'p': report strings for 'fi': 'open' has the placeholders ['low'], the built-in "
     "words ['high', 'low']"),
    ([{"lang": "fi"}], "plugin 'p': {'lang': 'fi'} is not report strings"),
    ([ReportStrings("FI!", FINNISH)], "plugin 'p': report strings: 'FI!' is not a language tag"),
])
def test_a_plugins_language_is_checked_and_the_plugin_named(items: list[object],
                                                            problem: str) -> None:
    strict = Registry(entry_points=False, strict=True)
    strict.register(_plugin(*items), "p")
    with pytest.raises(PluginError) as err:
        report_languages(strict)
    assert str(err.value).startswith(problem)
    lenient = Registry(entry_points=False)
    lenient.register(_plugin(*items), "p")
    assert list(report_languages(lenient)) == ["sv", "nb", "da", "en"]
    assert lenient.problems["p"].startswith("report strings disabled: ")


def test_two_plugins_with_one_language_are_both_refused() -> None:
    reg = Registry(entry_points=False)
    reg.register(_plugin(ReportStrings("fi", FINNISH)), "a")
    reg.register(_plugin(ReportStrings("fi", FINNISH)), "b")
    assert "fi" not in report_languages(reg)
    assert reg.problems["a"] == reg.problems["b"] == (
        "report strings disabled: report language fi is provided by both plugin 'a' and "
        "plugin 'b'")


HALF = """ruleset = "kk-se@2.0"
[municipality]
name = "Halvby"
[evaluation]
date = 2011-06-01
[areas.1.subareas."1.1"]
points = 9.5
"""


def test_numbers_in_text_take_the_languages_decimal_sign(registry: Registry,
                                                         tmp_path: Path) -> None:
    evaluation = parse_evaluation(HALF)
    ruleset = registry.ruleset(evaluation.ruleset)
    card = registry.score(evaluation)
    sv = _visible(render_html(build_report(card, ruleset, evaluation, "sv")))
    assert "9,5" in sv and "9.5" not in sv
    assert "mellan 9,5 och" in sv  # the open note's numbers too
    assert "9.5" not in render_markdown(build_report(card, ruleset, evaluation, "sv"))
    en = _visible(render_html(build_report(card, ruleset, evaluation, "en")))
    assert "between 9.5 and" in en and "9,5" not in en


def test_a_migration_band_takes_the_languages_decimal_sign(registry: Registry) -> None:
    from kompass_core.report.notes import step_words

    (step,) = registry.migration_path("kk-se@2.0", "kk-se@1.0")
    band = attrs.evolve(step, offset=(Fraction(161, 2), 100))
    assert step_words(step, STRINGS["sv"], c=True) == \
        "kk-se@2.0 → kk-se@1.0: totalt +80 till +100 poäng (antaget: kalibrering, " \
        "områdesmatchning)"
    assert "+80,5 till +100" in step_words(band, STRINGS["sv"], c=True)
    assert "+80.5 to +100" in step_words(band, ENGLISH)


def test_the_finnish_example_in_the_docs_uses_real_keys_and_placeholders() -> None:
    import tomllib

    page = (Path(__file__).resolve().parent.parent / "docs" / "writing-a-variant.md")
    (block,) = re.findall(r"```toml\n(# kompass_demo/fi\.toml.*?)```", page.read_text("utf-8"),
                          re.S)
    finnish = tomllib.loads(block)
    assert len(finnish) >= 5
    for key, text in finnish.items():
        assert key in ENGLISH and text != ENGLISH[key], key
        assert placeholders(text) == placeholders(ENGLISH[key]), key
