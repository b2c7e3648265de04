"""A blank evaluation for a rule set, every key shown with its max in comments.

Written as text because a TOML writer keeps no comments; the result is
re-parsed in the tests, so it always stays valid TOML.
"""

from __future__ import annotations

import datetime

import tomli_w

from kompass_core.model.evaluation import NOTE_KINDS
from kompass_core.model.points import plain
from kompass_core.model.ruleset import Criterion, RuleSet

_TABLE = {1: "areas", 2: "subareas", 3: "questions"}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _header(c: Criterion) -> str:
    parts = c.key.split(".")
    path = ".".join(f'{_TABLE[d]}.{_quote(".".join(parts[:d]))}' for d in range(1, len(parts) + 1))
    return f"[{path}]"


def _quote(key: str) -> str:
    return key if key.isdigit() else f'"{key}"'


def render_template(ruleset: RuleSet, lang: str | None = None,
                    today: datetime.date | None = None) -> str:
    """A commented TOML evaluation template for ``ruleset`` with labels in ``lang``."""
    lang = lang or ruleset.languages[0]
    title, _ = ruleset.title.get(lang)
    lines = [
        f"# Evaluation template for {ruleset.ref}: {_one_line(title)}",
        f"# ({ruleset.organisation}, {ruleset.country}); total max {plain(ruleset.max)}.",
        "# Give points at any level: an area, its sub-areas or their questions. Where two",
        "# levels are given they must agree. What you leave out is unscored, not zero:",
        "# the score then shows the range the missing points could still cover.",
        "# Items marked 'assumed' have a max that no source publishes.",
        '# An item may also say status = "withheld" (counted, not published) or, where the',
        '# rule set allows it, status = "not-applicable" (no points; off the maximum).',
        tomli_w.dumps({"ruleset": str(ruleset.ref)}).strip(),
        "",
        "[municipality]",
        'name = ""  # required',
        "# code = \"\"  # the official municipality code",
        tomli_w.dumps({"country": ruleset.country}).strip(),
        "",
        "[evaluation]",
        f"# date = {(today or datetime.date.today()).isoformat()}",
        "evaluators = []",
        "# first = true  # the municipality's first evaluation (false: a repeat)",
        "# interviewed = 40  # the number of people interviewed",
        "groups = []  # who was interviewed: politicians, managers, ...",
        "documents = []  # what the evaluators read",
        "# summary = '''The overall summary. Paragraphs are separated by a blank line;",
        "# - lines starting '- ' or '1. ' are list items; *emphasis* and **strong**.'''",
        "",
        "# Facts about the municipality, each with its source and year (repeat the table):",
        "# [[facts]]",
        '# label = "Population"',
        '# value = "40 000"',
        '# source = "Statistics Sweden"',
        "# year = 2010",
        "",
        "# Under each criterion: comment = an area's general text or a sub-area's findings",
        "# ('''...''' for paragraphs); gold_star = true marks the criterion as best",
        '# practice, gold_stars = ["practice"] names practices.',
    ]
    for criterion in ruleset.criteria():
        label, _ = criterion.labels.get(lang)
        marks = f" (assumed: {', '.join(sorted(criterion.assumed))})" if criterion.assumed else ""
        lines += ["", f"{_header(criterion)}  # {_one_line(label)}",
                  f"# points =   # 0 to {plain(criterion.max)}{marks}"]
        if criterion.key.isdigit():
            lines += [f"{kind} = []" for kind in NOTE_KINDS]
    return "\n".join(lines) + "\n"
