"""The report as PDF: the HTML page laid out by WeasyPrint, a CSS paged-media engine.

A council receives a document with numbered pages, a contents page whose
page numbers are right and a running header; CSS paged media
(``target-counter``, ``string-set``, ``@page`` margin boxes, in
``templates/print.css``) says all of that, and WeasyPrint lays it out
without a browser. WeasyPrint is the optional ``pdf`` extra, imported only
here and only when a PDF is made, so scoring never loads it.

The bytes depend only on the report and the WeasyPrint version: neither a
creation date nor a random file identifier is written (WeasyPrint writes
them only when the page or the caller names one). The renderer
fetches nothing: the page is self-contained, so any URL it might name is
refused rather than read from the disk or the network.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from kompass_core.model.errors import InputError
from kompass_core.report.build import Report
from kompass_core.report.render import render_html

MISSING = "a PDF report needs the pdf extra: pip install 'kommunkompass[pdf]'"


def require_weasyprint() -> Any:
    """The weasyprint package, imported now; InputError saying what to install if it fails.

    WeasyPrint loads Pango and HarfBuzz when imported; when a system
    library is missing, the message names it (WeasyPrint's own advice,
    printed on import, is kept off our output).
    """
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise InputError(MISSING) from None
    except OSError as exc:  # a system library it loads is missing
        raise InputError(f"a PDF report needs WeasyPrint's system libraries (Pango, "
                         f"HarfBuzz, fontconfig): {' '.join(str(exc).split())}; on Debian: "
                         "apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
                         "libharfbuzz-subset0 fonts-dejavu-core") from None
    return weasyprint


def render_pdf(report: Report) -> bytes:
    """The PDF of ``report``: its HTML page printed on A4 (needs the ``pdf`` extra).

    Title and author (the evaluators) are set in the PDF's metadata; the
    same report gives the same bytes under one WeasyPrint version.
    """
    weasyprint = require_weasyprint()
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=("data",))
    document = weasyprint.HTML(string=render_html(report), url_fetcher=fetcher).render()
    document.metadata.title = f"{report.text['report']}: {report.municipality} – {report.title}"
    document.metadata.authors = [report.evaluators] if report.evaluators else []
    document.metadata.created = document.metadata.modified = None
    return bytes(document.write_pdf())
