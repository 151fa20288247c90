"""Remove boilerplate that is not part of the article, before any annotation.

The rules live in ``data/boilerplate.tsv`` as patterns of the styles outlets
share (link lines, editor initials, photo credits, advertising, share
widgets), never as strings of one article.  Offsets of every record refer to
the cleaned text this module returns, which is also written to
``texts/<doc_id>.txt``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.corpora import read_table

MAX_CHARS = 1_000_000
CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
"""Control characters other than tab and line breaks (NUL above all): never article text, and they
would travel into texts/, the CSV cells and the report."""
LINE_BREAK = re.compile(r"\r\n|[\r\n\v\f]")


@dataclass(frozen=True)
class Rules:
    line: tuple[re.Pattern, ...]
    next: tuple[re.Pattern, ...]
    headline: tuple[re.Pattern, ...]
    tail: tuple[re.Pattern, ...]


@lru_cache(maxsize=1)
def rules() -> Rules:
    """Compiled boilerplate rules by kind."""
    kinds: dict[str, list[re.Pattern]] = {"line": [], "next": [], "headline": [], "tail": []}
    for kind, pattern in read_table("boilerplate.tsv"):
        kinds[kind].append(re.compile(pattern, re.IGNORECASE))
    return Rules(**{k: tuple(v) for k, v in kinds.items()})


def _is_headline(line: str, r: Rules) -> bool:
    """Whether the line after a bare link label (``Baca juga:``) is the linked headline.

    Some outlets, and corpora that dropped the links, leave the label right
    before a paragraph of the article: only a headline-shaped line goes.
    """
    return any(p.match(line) for p in r.headline)


class CleaningError(ValueError):
    """The text cannot be annotated (empty, too long)."""


def remove_controls(text: str) -> str:
    """``text`` without :data:`CONTROLS`."""
    return CONTROLS.sub("", text)


def clean_text(text: str, max_chars: int = MAX_CHARS) -> str:
    """The article without boilerplate lines and control characters, with ``\\n`` line ends.

    Raises :class:`CleaningError` for an empty article or one over ``max_chars``.
    """
    if len(text) > max_chars:
        raise CleaningError(f"text too long: {len(text):,} characters (limit {max_chars:,}; see --max-chars)")
    r = rules()
    lines = LINE_BREAK.split(remove_controls(text))
    kept: list[str] = []
    skip_next = False
    for line in lines:
        if skip_next and line.strip():
            skip_next = False
            if _is_headline(line, r):
                continue
        if any(p.match(line) for p in r.next):
            skip_next = True
            continue
        if any(p.match(line) for p in r.line):
            continue
        for pattern in r.tail:
            line = pattern.sub("", line)
        kept.append(line.rstrip())
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip() + "\n"
    if not cleaned.strip():
        raise CleaningError("empty text after cleaning" if text.strip() else "empty text")
    return cleaned
