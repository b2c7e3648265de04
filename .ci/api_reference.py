"""Build the API reference of kompass_core's public names with pdoc; any warning fails.

Run by .ci/run: ``python .ci/api_reference.py OUTPUT_DIR``. The reference
documents exactly what ``kompass_core`` exports (its ``__all__``); every
exported name must appear in it with a docstring.
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from pathlib import Path

VALUES = {
    "Points": "type alias int | Fraction", "Interval": "type alias (low, high)",
    "TOTAL": "the total's key", "STORE_FORMAT": "a format id",
    "STORE_EXPORT_COLUMNS": "column names", "RESULTS_COLUMNS": "column names",
    "RESULT_KINDS": "row kinds", "MAX_INPUT_BYTES": "a size limit in bytes",
    "hookimpl": "pluggy's marker, documented in docs/hooks.md",
}
"""Exported values, not functions or classes: pdoc has no docstring for a re-exported
value, so docs/api.md says what each is (a test keeps every public name listed there)."""


def main(out: Path) -> int:
    warnings.simplefilter("error")
    # attrs writes each class's __init__ with its converters' annotations, as text that only
    # resolves in the converter's own module; pdoc cannot evaluate those, and says so.
    warnings.filterwarnings("ignore", r"Error parsing type annotation .* for "
                            r"kompass_core\.\w+\.__init__\.", UserWarning)
    import pdoc
    import pdoc.doc

    import kompass_core

    out = out.resolve()
    os.chdir(tempfile.mkdtemp())  # pdoc warns where a folder kompass_core/ is in the way
    pdoc.render.configure(docformat="restructuredtext", show_source=False)
    pdoc.pdoc("kompass_core", output_directory=out)
    module = pdoc.doc.Module(kompass_core)
    missing = [name for name in kompass_core.__all__ if name not in VALUES and (
        name not in module.members or not module.members[name].docstring.strip())]
    page = (out / "kompass_core.html").read_text("utf-8")
    absent = [name for name in kompass_core.__all__ if f'id="{name}"' not in page]
    if missing or absent:
        print(f"api reference: no docstring: {missing}; not rendered: {absent}", file=sys.stderr)
        return 1
    print(f"api reference: {len(kompass_core.__all__)} public names -> {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "build/api")))
