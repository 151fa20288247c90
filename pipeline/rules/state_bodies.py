"""A state's own bodies as one organisation: ``Kementerian Energi Brasil``, ``Kedutaan Besar Jepang``.

Indonesian names a ministry, embassy or armed service of a foreign state as
head word + capitalised words + the state.  The statistical NER often tags only
the state (``Brasil``) or cuts the name in two; this component makes the whole
name one ORG entity when it starts with a head word of ``data/state_body_heads.txt``
and ends with a state the gazetteer knows.  The state stays in the document's
mentions (``doc.spans["mentions"]``), where the membership rules look for
states.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.corpora import read_table

MAX_WORDS = 4
"""Capitalised words between the head word and the state (``Luar Negeri``, ``Energi dan Sumber Daya Mineral``)."""


@lru_cache(maxsize=1)
def body_heads() -> frozenset[str]:
    return frozenset(row[0] for row in read_table("state_body_heads.txt"))


def body_before(doc: Doc, state: Span) -> Span | None:
    """The body whose name ends with ``state``: a head word, then capitalised words, right before it."""
    start = state.start
    while start > 0 and state.start - start <= MAX_WORDS and _name_word(doc[start - 1]):
        start -= 1
        if doc[start].lower_ in body_heads():
            return Span(doc, start, state.end, label="ORG")
    return None


def _name_word(token) -> bool:
    return token.text[:1].isupper() and token.is_alpha or token.lower_ == "dan"


class StateBodies:
    """spaCy component: ``Kementerian Energi Brasil`` as one ORG entity."""

    def __init__(self, nlp: Language, name: str = "berita_state_bodies"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        for state in [e for e in ents if e.label_ == "GPE" and e._.canonical_id]:
            body = body_before(doc, state)
            inside = [e for e in ents if body is not None and e.start < body.end and body.start < e.end]
            if body is None or any(e.start < body.start for e in inside):
                continue
            body._.source = "rule"
            ents = [e for e in ents if e not in inside] + [body]
        doc.ents = sorted(ents, key=lambda span: span.start)
        return doc


@Language.factory("berita_state_bodies")
def make_state_bodies(nlp: Language, name: str) -> StateBodies:
    return StateBodies(nlp, name)
