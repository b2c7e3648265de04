"""The plugin hooks: the whole contract between kompass and a plugin.

A plugin is an ordinary module or object with functions marked
``@kompass_core.hookimpl`` and named after a hook below. It is found
through the entry-point group ``kompass`` of an installed package::

    [project.entry-points.kompass]
    my-org = "my_org_kompass"

or registered explicitly with :meth:`kompass_core.Registry.register`.
Every hook *collects*: it returns a list, and the core merges the lists of
all plugins, validates every item, names the plugin in every error, and
refuses two plugins that claim the same thing (never decided by load order).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from kompass_core.engine.weighting import Weighting
    from kompass_core.registry.migrations import MigrationSource
    from kompass_core.registry.sources import RuleSetSource
    from kompass_core.registry.strings import ReportStrings

PROJECT = "kompass"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def kompass_rulesets() -> list[RuleSetSource]:  # type: ignore[empty-body]
    """Return the rule sets this plugin provides.

    Each item is a :class:`kompass_core.RuleSet`, or the path of a rule-set
    file (a :class:`pathlib.Path` or an ``importlib.resources`` traversable,
    so data shipped inside a wheel works). Files are read with the same
    loader and checks as ``kompass validate``. Two plugins returning the
    same ``id@version`` is an error naming both.

    Example::

        from importlib.resources import files
        from kompass_core import hookimpl

        @hookimpl
        def kompass_rulesets():
            return [files("my_org_kompass") / "kk-xx-1.0.toml"]

    .. versionadded:: 0.1
    """


@hookspec
def kompass_weightings() -> list[Weighting]:  # type: ignore[empty-body]
    """Return named weighting models (objects with ``name``, ``description``
    and ``weights(ruleset, params)``; see :class:`kompass_core.Weighting`).

    A rule set names the model it uses in ``[weighting] name = ...``; users
    can score with another one (``kompass score --weighting NAME``). Two
    plugins returning the same name is an error naming both.

    Example::

        @hookimpl
        def kompass_weightings():
            return [MyWeighting()]

    .. versionadded:: 0.1
    """


@hookspec
def kompass_migrations() -> list[MigrationSource]:  # type: ignore[empty-body]
    """Return the migrations this plugin provides between rule sets.

    Each item is the path of a migration file (a :class:`pathlib.Path` or an
    ``importlib.resources`` traversable; see docs/formats.md), or an object
    satisfying :class:`kompass_core.Migration` for a coded migration that
    data cannot express. Both rule sets must be registered. Two plugins
    declaring the same ``from -> to`` is an error naming both; so is a set
    of migrations where two paths between the same rule sets disagree.

    Example::

        @hookimpl
        def kompass_migrations():
            return [files("my_org_kompass") / "kk-xx-1.0-to-kk-se-2.0.toml"]

    .. versionadded:: 0.2
    """



@hookspec
def kompass_report_strings() -> list[ReportStrings]:  # type: ignore[empty-body]
    """Return the fixed words of reports in languages kompass does not have built in.

    Each item is a :class:`kompass_core.ReportStrings` (or a mapping with
    ``lang`` and ``strings``) for one language, e.g. ``fi`` or ``is``,
    supplying every key of the built-in languages (``kompass_core/report/words/``)
    with the same ``{placeholders}``: the error lists the keys missing. A
    built-in language (sv, nb, da, en) cannot be replaced, and two plugins
    supplying the same language is an error naming both. ``kompass report
    --lang fi`` then works; area labels come from the rule set (its own
    language where it has none in ``fi``).

    Example::

        import tomllib
        from importlib.resources import files
        from kompass_core import ReportStrings, hookimpl

        @hookimpl
        def kompass_report_strings():
            text = (files("my_org_kompass") / "fi.toml").read_text("utf-8")
            return [ReportStrings("fi", tomllib.loads(text))]

    .. versionadded:: 0.3
    """
