"""Token splits the neural tokenizer misses, written the way the Indonesian treebanks write them.

News text glues tokens that UD Indonesian splits (``30-35``, ``Januari-Oktober``,
``DPR/MPR``, ``PPh-nya``, ``Rp3``).  These occur a few dozen times in the
training data, too rarely for Stanza's character model to learn them all, yet
the treebanks split them consistently.  So the tokenizer's output passes through
this postprocessor (Stanza's ``tokenize_postprocessor`` hook), which splits a
token matching one of the rules of ``data/token_splits.jsonl`` into the rule's
groups.  Each rule records how often the training treebanks agree with it.

A regular expression per rule is enough here: the rules look at one token's
characters and nothing else, which is what the hook is for; spaCy's tokenizer
exceptions would act after Stanza has tagged the unsplit token.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.corpora import read_json_lines, read_table

Word = str | tuple


@dataclass(frozen=True)
class SplitRule:
    """A whole-token pattern whose groups are the tokens the treebanks write."""

    name: str
    pattern: re.Pattern
    example: str
    evidence: str

    def split(self, token: str) -> list[str] | None:
        """The pieces of a matching token; a reduplication (``Undang-Undang``) is one word."""
        match = self.pattern.fullmatch(token)
        if not match:
            return None
        pieces = [group for group in match.groups() if group]
        return None if pieces[0].lower() == pieces[-1].lower() else pieces


def _months() -> str:
    return "|".join(row[0] for row in read_table("calendar.tsv") if row[1] == "month")


@lru_cache(maxsize=1)
def split_rules() -> tuple[SplitRule, ...]:
    """The rules of ``data/token_splits.jsonl`` (``{month}`` stands for any month name)."""
    rules = []
    for row in read_json_lines("token_splits.jsonl"):
        pattern = re.compile(row["pattern"].replace("{month}", f"(?:{_months()})"))
        rules.append(SplitRule(row["name"], pattern, row["example"], row["evidence"]))
    return tuple(rules)


def split_token(token: str) -> list[str] | None:
    """The treebank tokens of one glued token, or None when no rule applies.

    Pieces are split again (``[30-35]``: a bracket, then a range); every split
    makes shorter pieces, so this ends.
    """
    for rule in split_rules():
        pieces = rule.split(token)
        if pieces:
            return [part for piece in pieces for part in split_token(piece) or [piece]]
    return None


def retokenize(word: Word) -> list[Word]:
    """One tokenizer word as the words berita keeps.

    A token with whitespace inside (an under-trained tokenizer may join a
    line break) is split at it: no Indonesian treebank token holds a space, and
    Stanza finds each returned word verbatim in the raw text, where the token's
    whitespace may be a line break it has normalised to a space.
    """
    text = word[0] if isinstance(word, tuple) else word
    parts = text.split()
    if len(parts) > 1:
        return [piece for part in parts for piece in split_token(part) or [part]]
    return split_token(text) or [word]


@lru_cache(maxsize=65536)
def changes(text: str) -> bool:
    """Whether :func:`retokenize` splits a token with this text.

    Asked of every token of every article (:func:`pipeline.nlp.split_rules_on_demand`);
    news repeats its words, so the answers are kept.
    """
    return len(text.split()) > 1 or split_token(text) is not None


def postprocess(sentences: list[list[Word]]) -> list[list[Word]]:
    """Stanza's postprocessor hook: words are strings, or ``(text, True)`` for a multi-word token."""
    return [[piece for word in sentence for piece in retokenize(word)] for sentence in sentences]
