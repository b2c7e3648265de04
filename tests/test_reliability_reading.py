"""Reading stays within bounds and says what to write instead (issue 12).

Hostile or merely foreign files (a huge dotted key, a lone surrogate, a
Windows encoding, Nordic decimals and dates) are refused on one line, or
read, never left to fail later or exhaust the machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kompass_core.formats.reading import MAX_DEPTH, parse_document

LIMIT = "import resource; resource.setrlimit(resource.RLIMIT_AS, (400 << 20, 400 << 20)); "


def test_a_huge_dotted_key_is_refused_before_parsing_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("a" + ".a" * 100_000 + " = 1\n")  # 200 KB: tomllib alone needs gigabytes
    code = (LIMIT + "import sys; from kompass_core.cli.main import main; "
            f"sys.exit(main(['validate', {str(path)!r}]))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.splitlines() == [
        f"kompass: error: {path}:1: a key of 100001 dotted parts nests deeper than the limit "
        f"of {MAX_DEPTH} levels"]


@pytest.mark.parametrize("text", [
    "a" + ".a" * (MAX_DEPTH - 1) + " = 1\n",                       # exactly at the limit
    '"' + ".".join("abcdefghijklmnopqrst") + '" = 1\n',            # dots inside a quoted key
    "'" + ".".join("abcdefghijklmnopqrst") + "' = 1\n",
    'x = "' + ".".join("abcdefghijklmnopqrst") + '"\n',            # ... or a string value
    "x = '''\n" + ".".join("abcdefghijklmnopqrst") + " = 1\n'''\n",
    'x = """\\"""\n' + ".".join("abcdefghijklmnopqrst") + ' = 1\n"""\n',
    "# " + ".".join("abcdefghijklmnopqrst") + "\n",                 # ... or a comment
    "[" + ".".join(['"3.2"'] * (MAX_DEPTH - 1)) + "]\n",            # quoted parts count once
])
def test_no_valid_file_is_refused_by_the_prescan(text: str) -> None:
    assert isinstance(parse_document(text, "ok.toml"), dict)
