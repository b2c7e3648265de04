"""Reading what evaluators write beside the points: summary, conduct, facts, gold stars.

The evaluation file keeps these where a reader of the seed report looks for
them: the summary and how the evaluation was made under ``[evaluation]``,
facts about the municipality as ``[[facts]]``, and a gold star at the
criterion it marks (``gold_star = true`` or ``gold_stars = ["practice"]``).
Every problem is recorded with its key path, as for points.
"""

from __future__ import annotations

from kompass_core.formats.fields import Fields, type_name
from kompass_core.model.narrative import Conduct, Fact, Star

CONDUCT_KEYS = ("summary", "first", "interviewed", "groups", "documents")
"""The keys of ``[evaluation]`` besides its date and evaluators."""

STAR_KEYS = ("gold_star", "gold_stars")
"""The keys a criterion's table may mark a gold star with."""

FACT_KEYS = ("label", "value", "source", "year")


def conduct_from(meta: Fields | None) -> tuple[str, Conduct]:
    """The summary and the conduct facts of an ``[evaluation]`` table (none when missing)."""
    if meta is None:
        return "", Conduct()
    summary = meta.prose("summary") or ""
    interviewed = meta.integer("interviewed")
    if interviewed is not None and interviewed < 0:
        meta.problem(f"expected a number of people (a whole number >= 0), got {interviewed}",
                     "interviewed")
        interviewed = None
    return summary, Conduct(meta.boolean("first"), interviewed, meta.lines("groups"),
                            meta.lines("documents"))


def facts_from(top: Fields) -> tuple[Fact, ...]:
    """The ``[[facts]]`` array: label and value required, source and year optional."""
    raw = top.data.get("facts")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        top.problem(f"expected an array of tables ([[facts]]), got {type_name(raw)}", "facts")
        return ()
    facts = []
    for i, item in enumerate(raw):
        row = Fields(item, ("facts", str(i)), top.problems)
        if not row.ok:
            continue
        row.only(*FACT_KEYS)
        label, value = row.line("label", required=True), row.line("value", required=True)
        source, year = row.line("source"), row.integer("year")
        if year is not None and not 1000 <= year <= 9999:
            row.problem(f"expected a year such as 2010, got {year}", "year")
            year = None
        if label is not None and value is not None:
            facts.append(Fact(label, value, source, year))
    return tuple(facts)


def stars_from(fields: Fields, key: str) -> list[Star]:
    """The gold stars a criterion's table gives: the criterion itself, then named practices."""
    marked = fields.boolean("gold_star")
    return [*([Star(key)] if marked else []),
            *(Star(key, practice) for practice in fields.lines("gold_stars"))]
