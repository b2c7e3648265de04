"""The rule set's ``[method]`` text: what the method is, per language, citing its sources."""

from __future__ import annotations

import json
import types

import attrs
import pytest

from kompass_core import InputError, Labels, Registry, hookimpl, parse_ruleset
from kompass_core.formats.ruleset import ruleset_from_data, ruleset_to_data
from kompass_core.formats.schema import ruleset_schema
from kompass_core.testing.conformance import test_ruleset_cites_or_assumes as honesty
from tests.test_ruleset_format import GOOD

METHOD = '''
[method]
sources = ["s1"]
note = "Paraphrased from s1, p. 3."
sv = """
Första stycket.

Andra stycket."""
en = "First paragraph."
'''


def _with(method: str) -> str:
    return GOOD.replace("[areas.1]\n", method + "\n[areas.1]\n", 1)


def test_a_method_text_per_language_with_its_sources() -> None:
    ruleset = parse_ruleset(_with(METHOD), "m.toml")
    assert ruleset.method is not None
    assert dict(ruleset.method.texts) == {"sv": "Första stycket.\n\nAndra stycket.",
                                          "en": "First paragraph."}
    assert ruleset.method.translated == {"en"}  # the rule set's own translated mark
    assert ruleset.method.get("nb", ruleset.languages[0]) == (
        "Första stycket.\n\nAndra stycket.", "sv")
    assert (ruleset.method_sources, ruleset.method_note) == (("s1",), "Paraphrased from s1, p. 3.")
    assert parse_ruleset(GOOD).method is None  # optional


def test_the_method_text_round_trips_through_the_file_shape() -> None:
    ruleset = parse_ruleset(_with(METHOD), "m.toml")
    assert ruleset_from_data(ruleset_to_data(ruleset)) == ruleset


@pytest.mark.parametrize(("method", "message"), [
    (METHOD.replace('["s1"]', '["s2"]'),
     "bad.toml:13: method.sources.0: unknown source 's2' (declare it under [sources])"),
    (METHOD.replace('en = "First paragraph."', 'english = "First paragraph."'),
     "bad.toml:19: method.english: unknown key (expected a language code such as sv, sources "
     "or note)"),
    ('\n[method]\nsources = ["s1"]\n',
     "bad.toml:12: method: needs a text in at least one language"),
    (METHOD.replace('en = "First paragraph."', 'en = ""'),
     "bad.toml:19: method.en: must not be empty"),
])
def test_a_bad_method_table_is_refused_with_its_key_path(method: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        parse_ruleset(_with(method), "bad.toml")
    assert str(err.value) == message


def test_the_schema_knows_the_method_table() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = ruleset_schema()
    data = json.loads(json.dumps(ruleset_to_data(parse_ruleset(_with(METHOD))), default=str))
    jsonschema.validate(data, schema)
    data["method"]["english"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_the_kit_refuses_a_method_text_without_sources(registry: Registry) -> None:
    """A RuleSet object need not cite: the conformance kit says so, naming the table."""
    shipped = registry.ruleset("kk-se@2.0")
    for method, sources, problem in (
            (Labels({"sv": "Text."}), (), r"the \[method\] text cites no source"),
            (shipped.method, shipped.method_sources, None)):
        variant = attrs.evolve(shipped, ref="kk-xx@1.0", method=method, method_sources=sources)
        mine = Registry(entry_points=False)
        mine.register(types.SimpleNamespace(kompass_rulesets=hookimpl(lambda v=variant: [v])),
                      "v")
        if problem is None:
            honesty(mine, "kk-xx@1.0")
        else:
            with pytest.raises(AssertionError, match=problem):
                honesty(mine, "kk-xx@1.0")
