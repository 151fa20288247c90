"""People named in full once and by one of their names after: ``Harry Styles`` ... ``Styles``.

A news article introduces a person with their full name and then calls them by
the last name (``Valtteri Bottas`` ... ``Bottas``).  Alone, a one-word name
gives the statistical NER little to go on, and in sports and entertainment news
it often takes it for a club or a band (``Bottas`` ORG, ``Sheeran`` ORG) while
tagging the full name PER.  In the same article the short name is the same
person, so this component relabels a one-word ORG or LOC entity as PER when it
is the last word of a PER entity of two or more name words in the document,
before or after it.

Only the last word lends itself: the NER sometimes glues an organisation to the
name after it (``Persib Atep``, ``JICT Firmansyah``), so a first word is as
often a club as a given name (and an Indonesian called by the given name,
``Anies``, is mostly tagged PER already).  A team glued to the end (``Sebastian
Vettel Ferrari``) is known as such because the full name without it (two words
or more) is a PER entity of the document too, and lends nothing.  Neither do
acronyms (``MA Abdullah``) and known names (states, organisations, capitals
from the gazetteer), so a club the NER took for a person (``Bali United``)
lends nothing either.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.rules import rule_entity
from pipeline.rules.titled_names import is_name_word, name_particles

RELABELLED = ("ORG", "LOC")
"""The labels a short name may wrongly carry; GPE comes from the gazetteer, which knows its states."""


def short_names(doc: Doc) -> frozenset[str]:
    """The last words of the document's full person names (two or more name words)."""
    people = [e for e in doc.ents if e.label_ == "PER"]
    alone = {e.text for e in people}
    names = set()
    for ent in people:
        words = [t for t in ent if t.text not in name_particles() and t.text != "-"]
        glued = len(words) >= 3 and ent[:-1].text in alone
        if len(words) >= 2 and not glued and all(is_person_word(t) for t in words):
            names.add(words[-1].text)
    return frozenset(names)


def is_person_word(token: Token) -> bool:
    """A name word that is not an acronym (``MA``, ``JICT``: organisations the NER glued to a name)."""
    return is_name_word(token) and not token.text.isupper()


def is_short_name(ent: Span, names: frozenset[str]) -> bool:
    """Whether ``ent`` is one word that names a person of the document, labelled as something else."""
    return (ent.label_ in RELABELLED and len(ent) == 1 and ent.text in names
            and not ent._.canonical_id and is_person_word(ent[0]))


class PersonMentions:
    """spaCy component: a one-word ORG/LOC entity that is part of a person's full name in the document becomes PER."""

    def __init__(self, nlp: Language, name: str = "berita_person_mentions"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        names = short_names(doc)
        if names:
            doc.ents = [rule_entity(ent, "PER") if is_short_name(ent, names) else ent for ent in doc.ents]
        return doc


@Language.factory("berita_person_mentions")
def make_person_mentions(nlp: Language, name: str) -> PersonMentions:
    return PersonMentions(nlp, name)
