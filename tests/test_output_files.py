"""What ``-o`` does to the file it names (issue 12): a symlink's target is
replaced, a device or FIFO is written, not replaced; modes follow the umask
or stay as they were; an input is never overwritten; the suffix picks the
format; a full disk is bad luck, not a bug."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kompass_core import InputError, write_atomic
from kompass_core.cli.main import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "upplands-vasby-2011.toml"


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


# --- 1. symlinks, devices, FIFOs, sockets -----------------------------------

def test_symlink_is_followed_and_its_target_replaced(tmp_path: Path) -> None:
    target = tmp_path / "real.html"
    target.write_text("old")
    link = tmp_path / "link.html"
    link.symlink_to(target.name)
    assert main(["report", str(EXAMPLE), "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.html", "real.html"]


def test_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to("made.json")
    write_atomic(link, "{}\n")
    assert link.is_symlink() and (tmp_path / "made.json").read_text() == "{}\n"


def test_device_is_written_not_replaced(tmp_path: Path) -> None:
    """A null device made in tmp_path (as root), so that a failing run replaces no real one."""
    if os.geteuid() != 0:
        pytest.skip("making a device needs root")
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    before = os.stat(null)
    write_atomic(null, "nothing to see\n")
    after = os.stat(null)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_symlink_to_a_device_writes_the_device(tmp_path: Path) -> None:
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    assert main(["schema", "ruleset", "-o", str(link)]) == 0
    assert link.is_symlink() and stat.S_ISCHR(os.stat(link).st_mode)


def test_fifo_is_written_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert main(["schema", "ruleset", "-o", str(fifo)]) == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and got[0].startswith(b"{")


def test_socket_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        assert main(["schema", "ruleset", "-o", str(path)]) == 2
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    assert capsys.readouterr().err == f"kompass: error: {path}: is a socket, not a file to write\n"


def test_full_device_is_a_one_line_error(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    link = tmp_path / "full"  # through a link, so that a failing run replaces no real device
    link.symlink_to("/dev/full")
    with pytest.raises(InputError, match="No space left on device"):
        write_atomic(link, "x")
    assert link.is_symlink()


# --- 2. modes -----------------------------------------------------------------

@pytest.mark.usefixtures("umask_022")
def test_new_file_follows_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    assert main(["schema", "ruleset", "-o", str(target)]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    os.umask(0o027)
    write_atomic(tmp_path / "other.json", "{}")
    assert stat.S_IMODE((tmp_path / "other.json").stat().st_mode) == 0o640


@pytest.mark.usefixtures("umask_022")
def test_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old")
    target.chmod(0o664)
    assert main(["report", str(EXAMPLE), "-o", str(target)]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o664
    target.chmod(0o600)
    write_atomic(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text() == "new"


# --- 3. an input is never overwritten -------------------------------------------

@pytest.mark.parametrize("how", ["same-name", "other-name", "symlink", "hard-link"])
def test_report_refuses_to_overwrite_its_evaluation(tmp_path: Path, how: str,
                                                    capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    evaluation = tmp_path / "x.toml"
    evaluation.write_bytes(EXAMPLE.read_bytes())
    output = {"same-name": evaluation, "other-name": tmp_path / "." / "x.toml",
              "symlink": tmp_path / "link.toml", "hard-link": tmp_path / "hard.toml"}[how]
    if how == "symlink":
        output.symlink_to(evaluation)
    elif how == "hard-link":
        output.hardlink_to(evaluation)
    assert main(["report", str(evaluation), "-o", str(output)]) == 2
    err = capsys.readouterr().err
    assert err == (f"kompass: error: {output}: is an input of this command ({evaluation}); "
                   "-o would overwrite it: name another output file\n")
    assert evaluation.read_bytes() == EXAMPLE.read_bytes()


@pytest.mark.parametrize("option", ["--previous", "--reference", "--db"])
def test_report_refuses_to_overwrite_its_other_inputs(tmp_path: Path, option: str) -> None:
    other = tmp_path / "other"
    source = {"--previous": EXAMPLE,
              "--reference": EXAMPLE.parent.parent / "kompass_core" / "data"
                             / "published-results.csv"}.get(option)
    if source is not None:
        other.write_bytes(source.read_bytes())
    else:
        assert main(["db", "import", str(EXAMPLE), "--db", str(other)]) == 0
    before = other.read_bytes()
    assert main(["report", str(EXAMPLE), option, str(other), "-o", str(other)]) == 2
    assert other.read_bytes() == before


# --- 4. the suffix of -o picks the format -------------------------------------------

@pytest.mark.parametrize(("name", "start"), [("r.md", "# "), ("r.MD", "# "),
                                             ("r.markdown", "# "), ("r.html", "<!DOCTYPE"),
                                             ("r.htm", "<!DOCTYPE"), ("r.txt", "<!DOCTYPE")])
def test_report_format_follows_the_suffix(tmp_path: Path, name: str, start: str) -> None:
    assert main(["report", str(EXAMPLE), "-o", str(tmp_path / name)]) == 0
    assert (tmp_path / name).read_text().startswith(start)


def test_given_format_beats_the_suffix(tmp_path: Path) -> None:
    assert main(["report", str(EXAMPLE), "--format", "md", "-o", str(tmp_path / "r.html")]) == 0
    assert (tmp_path / "r.html").read_text().startswith("# ")


def test_template_format_follows_the_suffix(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    assert main(["template", "kk-se@2.0", "-o", str(tmp_path / "e.xlsx")]) == 0
    assert (tmp_path / "e.xlsx").read_bytes().startswith(b"PK")  # a zip: a workbook
    assert main(["template", "kk-se@2.0", "-o", str(tmp_path / "e.toml")]) == 0
    assert (tmp_path / "e.toml").read_text().startswith("#")


# --- standard output on a full disk (case 16) ----------------------------------------

@pytest.mark.parametrize("args", [["score", str(EXAMPLE)], ["validate", str(EXAMPLE)],
                                  ["report", str(EXAMPLE)]])
def test_full_stdout_is_a_one_line_error(args: list[str]) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "kompass_core.cli", *args], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert (proc.returncode, proc.stderr) == (
        2, "kompass: error: standard output: cannot write: No space left on device\n")


# --- the mend: init-variant's name and country ------------------------------------------

def _scaffolded(folder: Path, name: str) -> tuple[str, str, str]:
    """The rule set's country, the example's country and the note of ``folder/name``."""
    import tomllib

    package = folder / name / name.replace("-", "_")
    ruleset = tomllib.loads(next(p for p in package.glob("kk-*.toml")
                                 if "--" not in p.name).read_text())
    example = tomllib.loads((folder / name / "examples" / "example.toml").read_text())
    return ruleset["country"], example["municipality"]["country"], ruleset["note"]


def test_init_variant_takes_the_package_name_and_its_country(tmp_path: Path) -> None:
    assert main(["init-variant", "kompass-is", "-o", str(tmp_path)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["kompass-is"]
    assert (tmp_path / "kompass-is" / "kompass_is" / "kk-is-1.0.toml").exists()
    country, example, note = _scaffolded(tmp_path, "kompass-is")
    assert (country, example) == ("IS", "IS") and "copied" not in note


def test_init_variant_country_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                     ) -> None:
    assert main(["init-variant", "municipal", "--country", "fi", "-o", str(tmp_path)]) == 0
    assert _scaffolded(tmp_path, "kompass-municipal")[:2] == ("FI", "FI")
    assert "Country:" not in capsys.readouterr().out
    assert main(["init-variant", "other", "--country", "Finland", "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err == ("kompass: error: country: 'FINLAND' is not an ISO 3166 "
                                       "country code such as SE\n")
    assert not (tmp_path / "kompass-other").exists()


def test_init_variant_marks_a_copied_country(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init-variant", "demo", "--based-on", "kk-no@2.0", "-o", str(tmp_path)]) == 0
    country, example, note = _scaffolded(tmp_path, "kompass-demo")
    assert (country, example) == ("NO", "NO")
    assert note.endswith("The country NO is copied from kk-no@2.0: set this variant's own.")
    assert ("Country: NO, copied from kk-no@2.0; set the variant's own in its rule set (or "
            "scaffold again with --country CC).") in capsys.readouterr().out
