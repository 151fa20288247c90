"""People named after their office and their state: ``Presiden Turkiye Recep Tayyip Erdogan``.

Indonesian news names a foreign official as office + state (or organisation) +
name, with no punctuation between (``Sekjen NATO Jens Stoltenberg``).  The
statistical NER often takes the state and the name as one entity (``Turkiye
Recep Tayyip Erdogan``, which the gazetteer then cuts back to the state) or misses the name after an unusual office (``Perdana Menteri
(PM) Hungaria Viktor Orban``).  This component restores the name: the
capitalised words right after a known state or organisation, or set off by
commas after it (``Presiden China, Xi Jinping, dan ...``), when an office
(``data/person_titles.txt``) stands before it, are a person.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.corpora import read_table
from pipeline.dates import calendar
from pipeline.memberships import capital_states
from pipeline.rules.gazetteer import lookup

MAX_NAME_WORDS = 4
APPOSITION_ENDS = frozenset({",", ".", "(", ";"})
TITLE_REACH = 6
"""Tokens before the state within which the office is looked for
(``Menteri Dalam Negeri``, ``Perdana Menteri (PM)``)."""


@lru_cache(maxsize=1)
def person_titles() -> frozenset[str]:
    """Lower-cased words of an office (``presiden``, ``menlu``)."""
    return frozenset(row[0] for row in read_table("person_titles.txt"))


@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """Month and weekday names, which a headline's capitals could make look like a name (``Senin``)."""
    return frozenset(word.lower() for word, (kind, _) in calendar().items() if kind in ("month", "weekday"))


def after_office(doc: Doc, start: int) -> bool:
    """Whether an office's words end right before token ``start``: capitalised or bracketed words back to a title."""
    for token in reversed(doc[max(0, start - TITLE_REACH):start]):
        if token.lower_ in person_titles():
            return True
        if not (token.text in ("(", ")") or token.text[:1].isupper()):
            return False
    return False


def is_name_word(token: Token) -> bool:
    """A capitalised word that can be part of a person's name.

    Not a weekday or month, a stop word, a known name or a capital (``AS Roma``
    is a club, not an American called Roma).
    """
    letters = token.text.replace("-", "").replace("'", "")
    return (token.text[:1].isupper() and letters.isalpha() and not token.is_stop
            and token.lower_ not in calendar_words() and lookup(token.text) is None
            and token.text not in capital_states())


@lru_cache(maxsize=1)
def name_particles() -> frozenset[str]:
    """Lower-case words that join the parts of a name (``da``, ``von``, ``bin``)."""
    return frozenset(row[0] for row in read_table("name_particles.txt"))


def name_after(doc: Doc, start: int, taken: set[int]) -> Span | None:
    """The person's name that starts at token ``start``, if one does.

    ``González-Olaechea`` may be three tokens and ``Lula da Silva`` holds a
    lower-case particle; either joins two name words.
    """
    end = start
    while (end < len(doc) and end - start < MAX_NAME_WORDS and end not in taken
           and (end == start or not doc[end].is_sent_start)):
        if is_name_word(doc[end]):
            end += 1
        elif end > start and _joins_name(doc, end, taken):
            end += 2
        else:
            break
    return Span(doc, start, end, label="PER") if end > start else None


def apposition(doc: Doc, start: int, taken: set[int]) -> Span | None:
    """The name set off by commas after office + state (``Presiden Prancis, Emmanuel Macron, tiba``).

    The name must end where the apposition does (a comma, full stop or
    bracket, or the end of the text), so that a list of states or a weekday
    after the comma (``Presiden Rusia, Senin, ...``) names nobody.
    """
    if start + 1 >= len(doc) or doc[start].text != ",":
        return None
    name = name_after(doc, start + 1, taken)
    closed = name is not None and (name.end == len(doc) or doc[name.end].text in APPOSITION_ENDS)
    return name if closed else None


def _joins_name(doc: Doc, i: int, taken: set[int]) -> bool:
    """Whether token ``i`` joins two parts of one name: a hyphen without spaces, or a particle."""
    hyphen = doc[i].text == "-" and not doc[i - 1].whitespace_ and not doc[i].whitespace_
    return ((hyphen or doc[i].text in name_particles()) and i + 1 < len(doc) and i + 1 not in taken
            and is_name_word(doc[i + 1]))


class TitledNames:
    """spaCy component: a PER entity for the name after office + known state or organisation.

    The statistical NER's own PER entities there are kept when they are the
    whole name, and replaced by it when they are pieces of it (``Recep`` +
    ``Tayyip Erdogan``, ``Lula`` of ``Lula da Silva``).
    """

    def __init__(self, nlp: Language, name: str = "berita_titled_names"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        taken = {i for e in ents if e.label_ != "PER" for i in range(e.start, e.end)}
        for ent in [e for e in ents if e.label_ in ("GPE", "ORG") and e._.canonical_id]:
            person = after_office(doc, ent.start) and (name_after(doc, ent.end, taken)
                                                       or apposition(doc, ent.end, taken))
            if person:
                ents = _with_person(ents, person)
        doc.ents = sorted(ents, key=lambda span: span.start)
        return doc


def _with_person(ents: list[Span], person: Span) -> list[Span]:
    """``ents`` with ``person`` in place of the PER pieces inside it (unchanged if a PER entity reaches beyond it)."""
    overlapping = [e for e in ents if e.start < person.end and person.start < e.end]
    if any(e.start < person.start or e.end > person.end for e in overlapping):
        return ents
    if [(e.start, e.end) for e in overlapping] == [(person.start, person.end)]:
        return ents
    person._.source = "rule"
    return [e for e in ents if e not in overlapping] + [person]


@Language.factory("berita_titled_names")
def make_titled_names(nlp: Language, name: str) -> TitledNames:
    return TitledNames(nlp, name)
