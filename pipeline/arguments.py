"""The `berita` commands' argument parsing: defaults shown in ``--help``, options spelled out, ``--version``."""
from __future__ import annotations

import argparse
import difflib
import sys


class _DefaultsShown(argparse.ArgumentDefaultsHelpFormatter):
    """Each option's default at the end of its help, unless there is none to show or the help already says it."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False, "", []) or "default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


class Parser(argparse.ArgumentParser):
    """berita's argument parsers: defaults shown in ``--help``, and options spelled out.

    Without abbreviations a typo such as ``--ouput`` cannot be taken for
    another option; it is named before any missing required option, which
    would otherwise be the only complaint.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _DefaultsShown)
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def parse_known_args(self, args=None, namespace=None):
        if self._subparsers is None:  # a command's own parser: every option it takes is known here
            self._refuse_unknown(list(sys.argv[1:] if args is None else args))
        return super().parse_known_args(args, namespace)

    def _refuse_unknown(self, args: list[str]) -> None:
        known = list(self._option_string_actions)
        for arg in args[:args.index("--")] if "--" in args else args:
            name = arg.split("=", 1)[0]
            if name.startswith("--") and name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                self.error(f"unknown option {name}" + (f" (did you mean {close[0]}?)" if close else ""))


class Version(argparse.Action):
    """``--version``: worked out only when asked, as it reads every model file."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show the berita, Stanza, spaCy, torch and model versions and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(version())
        parser.exit()


def version() -> str:
    """What a bug report needs: the package, its NLP libraries and a hash of the shipped models."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    from pipeline.report import model_version

    def of(name: str) -> str:
        try:
            return installed(name)
        except PackageNotFoundError:
            return "not installed"

    return (f"berita {of('berita')} (Stanza {of('stanza')}, spaCy {of('spacy')}, torch {of('torch')}, "
            f"models {model_version()})")
