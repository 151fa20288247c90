"""Outlets named as the source of a report: ``seperti dilansir Premium Times``.

Indonesian news credits what it took from other media with a passive verb and
the outlet's name (``dikutip dari Mundo Deportivo``, ``diberitakan Ace
Showbiz``).  The gazetteer knows the big agencies; the many other outlets are
names the statistical NER meets rarely and often leaves untagged.  After such
a verb (``data/attribution_words.txt``) the capitalised words are an
organisation, unless they are already an entity, a weekday or month
(``dikutip Senin``), an office (``dikutip Presiden ...``) or a known state.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.corpora import read_table
from pipeline.rules import rule_entity
from pipeline.rules.gazetteer import WEB_NAME, lookup
from pipeline.rules.titled_names import calendar_words, person_titles

MAX_NAME_WORDS = 4


@lru_cache(maxsize=1)
def attribution_words() -> dict[str, str]:
    """Lower-cased word -> ``verb`` or ``link``."""
    return {word: kind for word, kind in read_table("attribution_words.txt")}


def outlet_after(doc: Doc, i: int) -> Span | None:
    """The outlet's name after the attribution verb at token ``i``, if capitalised words follow."""
    start = i + 1
    while start < len(doc) and attribution_words().get(doc[start].lower_) == "link":
        start += 1
    end = start
    while end < len(doc) and end - start < MAX_NAME_WORDS and _name_word(doc[end]) and \
            (end == start or not doc[end].is_sent_start):
        end += 1
    if end == start or (entry := lookup(doc[start:end].text)) is not None and entry.label == "GPE":
        return None
    return doc[start:end]


def _name_word(token: Token) -> bool:
    """A word of an outlet's name: capitalised or a web address, not a weekday, month or office.

    An office (``dikutip Presiden ...``) means a person is quoted.  A token
    that ends in punctuation (``dailymail.co.uk,``: the tokenizer left the
    comma on) would put the punctuation into the name, so it is no name word.
    """
    named = token.text[:1].isupper() or bool(WEB_NAME.search(token.text))
    return (named and token.text[-1].isalnum() and token.lower_ not in calendar_words()
            and token.lower_ not in person_titles())


class Outlets:
    """spaCy component: an ORG entity for the outlet named after an attribution verb, where no entity is."""

    def __init__(self, nlp: Language, name: str = "berita_outlets"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        taken = {i for e in doc.ents for i in range(e.start, e.end)}
        found = []
        for token in doc:
            if attribution_words().get(token.lower_) == "verb":
                outlet = outlet_after(doc, token.i)
                if outlet is not None and not taken.intersection(range(outlet.start, outlet.end)):
                    found.append(rule_entity(outlet, "ORG"))
                    taken.update(range(outlet.start, outlet.end))
        if found:
            doc.ents = sorted([*doc.ents, *found], key=lambda span: span.start)
        return doc


@Language.factory("berita_outlets")
def make_outlets(nlp: Language, name: str) -> Outlets:
    return Outlets(nlp, name)
