"""A safe Markdown subset for what evaluators write: paragraphs, lists, emphasis; nothing else.

Evaluators' texts (the summary, an area's text, a sub-area's findings) run
to pages with paragraphs and short lists, as in the seed report. They come
from files anyone may write, so no markup in them is ever trusted: the text
is split into blocks, every piece is escaped, and only these forms become
markup:

- a blank line separates paragraphs; lines of one paragraph are joined;
- lines starting ``- `` or ``* `` are bullet items, ``1. `` (any number,
  or ``1)``) numbered items; a line without a marker continues the item;
- ``**strong**`` and ``*emphasis*`` within a line.

Raw HTML and links are shown as the text they are (``<b>`` reads ``<b>``).
:func:`to_html` gives HTML blocks for the HTML report, :func:`to_markdown`
Markdown whose only active syntax is that subset, and :func:`normalise` the
canonical source form of a text (the same blocks, written one way).
"""

from __future__ import annotations

import html
import re
from typing import Literal

Kind = Literal["p", "ul", "ol"]
Block = tuple[Kind, tuple[str, ...]]
"""A paragraph (one text) or a list (its items), each text one line of inline markup."""

_BULLET = re.compile(r"[-*][ \t]+(?=\S)")
_NUMBER = re.compile(r"[0-9]{1,9}[.)][ \t]+(?=\S)")
_BLANK = re.compile(r"\n[ \t]*\n")
_INLINE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=[^\s*])(.+?)(?<=[^\s*])\*")
_MD_SPECIAL = "\\`*_{}[]<>|"
_MD_LEADING = re.compile(r"([#+\-=>~]|[0-9]+[.)])")


def blocks(text: str) -> list[Block]:
    """The paragraphs and lists of ``text``, each line's whitespace collapsed."""
    out: list[Block] = []
    for chunk in _BLANK.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        out += _chunk(chunk)
    return out


def _chunk(chunk: str) -> list[Block]:
    """The blocks of one chunk between blank lines: a line without a marker continues
    the item or paragraph before it, as in Markdown."""
    out: list[tuple[Kind, list[str]]] = []
    for raw in chunk.split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        marker = _BULLET.match(line) or _NUMBER.match(line)
        if marker:
            kind: Kind = "ul" if marker.re is _BULLET else "ol"
            if out and out[-1][0] == kind:
                out[-1][1].append(line[marker.end():])
            else:
                out.append((kind, [line[marker.end():]]))
        elif out:
            out[-1][1][-1] += " " + line
        else:
            out.append(("p", [line]))
    return [(kind, tuple(items)) for kind, items in out]


def _inline(line: str, escape: Literal["html", "md"]) -> str:
    """``line`` escaped, with its ``**strong**`` and ``*emphasis*`` as markup."""
    out, at = [], 0
    for found in _INLINE.finditer(line):
        out.append(_escape(line[at:found.start()], escape))
        strong, em = found.group(1), found.group(2)
        inner = _escape(strong if strong is not None else em, escape)
        if escape == "html":
            tag = "strong" if strong is not None else "em"
            out.append(f"<{tag}>{inner}</{tag}>")
        else:
            mark = "**" if strong is not None else "*"
            out.append(f"{mark}{inner}{mark}")
        at = found.end()
    out.append(_escape(line[at:], escape))
    return "".join(out)


def _escape(text: str, escape: Literal["html", "md"]) -> str:
    if escape == "html":
        return html.escape(text, quote=True)
    for ch in _MD_SPECIAL:
        text = text.replace(ch, "\\" + ch)
    return text


def to_html(text: str) -> str:
    """HTML blocks (``<p>``, ``<ul>``, ``<ol>``) of ``text``, every piece of it escaped."""
    parts = []
    for kind, items in blocks(text):
        if kind == "p":
            parts.append(f"<p>{_inline(items[0], 'html')}</p>")
        else:
            lis = "".join(f"<li>{_inline(item, 'html')}</li>" for item in items)
            parts.append(f"<{kind}>{lis}</{kind}>")
    return "\n".join(parts)


def to_markdown(text: str) -> str:
    """Markdown of ``text``: paragraphs and list items kept, everything else escaped.

    Escapes what the report's one-line Markdown filter escapes, plus a
    line's leading ``#``, ``+``, ``-``, ``>``, ``=``, ``~`` or ``1.``,
    which Markdown would take for a heading, list or quote.
    """
    parts = []
    for kind, items in blocks(text):
        if kind == "p":
            parts.append(_md_line(items[0]))
        else:
            parts.append("\n".join(f"{'-' if kind == 'ul' else f'{n}.'} {_md_line(item)}"
                                   for n, item in enumerate(items, start=1)))
    return "\n\n".join(parts)


def _md_line(text: str) -> str:
    """One line of inline Markdown, its start escaped where it would open a block."""
    line = _inline(text, "md")
    if lead := _MD_LEADING.match(line):
        mark = lead.group()
        escaped = f"{mark[:-1]}\\{mark[-1]}" if mark[-1] in ".)" else f"\\{mark}"
        return escaped + line[lead.end():]
    return line


def normalise(text: str) -> str:
    """The canonical source of ``text``: the same blocks, written one way (idempotent)."""
    parts = []
    for kind, items in blocks(text):
        if kind == "p":
            parts.append(items[0])
        else:
            parts.append("\n".join(f"{'-' if kind == 'ul' else f'{n}.'} {item}"
                                   for n, item in enumerate(items, start=1)))
    return "\n\n".join(parts)
