"""Places introduced by the word for their kind: ``di kota Samarkand``, ``ibu kota Uzbekistan, Samarkand``.

Indonesian introduces a place its reader may not know with a lower-case noun
for its kind right before the name (``kota``, ``desa``, ``pulau``, ``negara
bagian``: ``data/place_kinds.txt``), and names a capital in apposition after
its state (``ibu kota Uzbekistan, Samarkand``).  The statistical NER, which
met few foreign towns in training, sometimes takes such a name for a person.
This component relabels a PER entity as LOC in either construction, unless an
office stands before the kind word: then the kind word belongs to a title
(``kepala desa Sutrisno``, ``wali kota Budi``) and the name is a person's.

A capital that news uses for its state's government (``aksesi keanggotaan
Stockholm``, ``agar Doha mengakhiri dukungan``) is an organisation to the NER
at times; SPEC.md keeps it a LOC (the membership rules read it as its state),
so an ORG entity that is a capital of ``data/capitals.tsv`` becomes LOC.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.corpora import read_table
from pipeline.memberships import capital_states
from pipeline.rules import rule_entity
from pipeline.rules.titled_names import person_titles

CAPITAL = ("ibu", "kota")
"""The kind words that also take the name in apposition after the state."""


@lru_cache(maxsize=1)
def place_kinds() -> tuple[tuple[str, ...], ...]:
    """Kind words as tuples of lower-case words (``("negara", "bagian")``), longest first (``ibu kota`` before ``kota``)."""
    return tuple(sorted({tuple(row[0].split()) for row in read_table("place_kinds.txt")}, key=lambda k: (-len(k), k)))


@lru_cache(maxsize=1)
def last_words() -> frozenset[str]:
    """The words a kind word can end with: most entities have none of them before them."""
    return frozenset(kind[-1] for kind in place_kinds())


def kind_before(doc: Doc, end: int) -> int | None:
    """Where a lower-case kind word ending right before token ``end`` starts, if one does."""
    if end == 0 or doc[end - 1].text not in last_words():
        return None
    for kind in place_kinds():
        start = end - len(kind)
        if start >= 0 and tuple(t.text for t in doc[start:end]) == kind:
            return start
    return None


def capital_before(doc: Doc, end: int, states: dict[int, Span]) -> int | None:
    """Where ``ibu kota`` + state + comma ending right before token ``end`` starts, if they do."""
    state = states.get(end - 1) if end >= 1 and doc[end - 1].text == "," else None
    first = state.start - len(CAPITAL) if state is not None else -1
    if first >= 0 and tuple(t.text for t in doc[first:state.start]) == CAPITAL:
        return first
    return None


def introduced_as_place(doc: Doc, ent: Span, states: dict[int, Span]) -> bool:
    """Whether a kind word (or ``ibu kota`` + state + comma) introduces ``ent``, with no office before it."""
    start = kind_before(doc, ent.start)
    if start is None:
        start = capital_before(doc, ent.start, states)
    return start is not None and (start == 0 or doc[start - 1].lower_ not in person_titles())


class PlaceNames:
    """spaCy component: a PER entity introduced as a place, or an ORG entity that is a capital, becomes LOC."""

    def __init__(self, nlp: Language, name: str = "berita_place_names"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        states = {e.end: e for e in doc.ents if e.label_ == "GPE"}
        doc.ents = [rule_entity(ent, "LOC") if is_place(doc, ent, states) else ent for ent in doc.ents]
        return doc


def is_place(doc: Doc, ent: Span, states: dict[int, Span]) -> bool:
    """A PER entity introduced as a place, or a capital the NER took for an organisation."""
    if ent.label_ == "ORG":
        return ent.text in capital_states()
    return ent.label_ == "PER" and introduced_as_place(doc, ent, states)


@Language.factory("berita_place_names")
def make_place_names(nlp: Language, name: str) -> PlaceNames:
    return PlaceNames(nlp, name)
