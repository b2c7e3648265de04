"""Rendering a built report: the Jinja2 templates, as HTML (autoescaped) or Markdown.

The HTML page is self-contained (inline CSS and SVG, no script, no
external asset) and every text a user wrote is escaped; the Markdown
version escapes what Markdown would take for markup. Evaluators' long
texts (the summary, an area's general text, findings) keep their
paragraphs and lists through :mod:`kompass_core.report.markup`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kompass_core.report import markup

if TYPE_CHECKING:
    from kompass_core.report.build import Report


def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(loader=PackageLoader("kompass_core.report", "templates"),
                       autoescape=select_autoescape(["html", "j2"], default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def render_html(report: Report) -> str:
    """The self-contained HTML page of ``report``."""
    env = _environment()
    env.filters["prose"] = _html_prose
    return str(env.get_template("report.html.j2").render(r=report))


def render_markdown(report: Report) -> str:
    """The Markdown version of ``report`` (user text escaped for Markdown)."""
    env = _environment()
    env.autoescape = False
    env.filters["md"] = _md_escape
    env.filters["prose"] = markup.to_markdown
    return str(env.get_template("report.md.j2").render(r=report))


def _html_prose(text: str) -> Any:
    """An evaluator's text as HTML blocks: the safe subset of :mod:`markup`, all else escaped."""
    from markupsafe import Markup

    return Markup(markup.to_html(text))  # every piece of it escaped by markup.to_html


def _md_escape(value: object) -> str:
    text = " ".join(str(value).split())
    for ch in "\\`*_{}[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text
