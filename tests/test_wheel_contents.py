"""What the wheel ships: every package folder of the project is listed for it."""

from __future__ import annotations

from tests.conftest import ROOT


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    """A folder missing from [tool.setuptools] packages silently leaves the wheel."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    where = {v: k for k, v in config["package-dir"].items()}
    found = set()
    for top, name in [("kompass_core", "kompass_core"), ("rulesets", "kompass_rulesets"),
                      *((f"plugins/{p.name}", p.name) for p in (ROOT / "plugins").iterdir()
                        if p.is_dir() and not p.name.startswith((".", "_")))]:
        base = ROOT / top
        for folder in [base, *(p for p in base.rglob("*") if p.is_dir())]:
            if folder.name.startswith((".", "_")) or "__pycache__" in folder.parts:
                continue
            if any(f.is_file() for f in folder.iterdir()):
                found.add(".".join([name, *folder.relative_to(base).parts]))
    assert where.get("plugins/kompass_skr") == "kompass_skr"
    assert found - listed == set()


def test_every_report_template_is_package_data() -> None:
    """A template (the HTML, Markdown, print and chart style sheets) left out of
    [tool.setuptools.package-data] is missing from an installed report."""
    import fnmatch
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = data["package-data"]["kompass_core.report.templates"]
    folder = ROOT / "kompass_core" / "report" / "templates"
    files = [p.name for p in folder.iterdir() if p.is_file() and p.name != "__init__.py"]
    assert "print.css" in files and "charts.css" in files
    assert [f for f in files if not any(fnmatch.fnmatch(f, p) for p in patterns)] == []
