"""A person's name glued to an organisation or place: ``Dirut JICT Firmansyah``, ``Sebastian Vettel Ferrari``.

Indonesian news puts a person's organisation or home place right before the
name, with no punctuation (``pemain Persib Atep``, ``Ketua MA Abdullah``,
``Premier Queensland Annastacia Palaszczuk``), and results tables put the team
right after it (``Sebastian Vettel Ferrari + 1,094 detik``).  The statistical
NER then often tags the two as one PER entity.  The article itself tells them
apart: elsewhere in it the NER tags the organisation alone as ORG (or the place
as LOC) and the person alone as PER.  This component splits a PER entity into
those two entities when both halves are entities of the document on their own
(the head or tail with a non-PER label, the rest as PER); the organisation or
place keeps the label and canonical name its other mentions carry.

A tail is cut off only after a full name of two words or more: the NER also
tags a surname alone as ORG or LOC (``Harry Styles`` ... ``Styles`` ORG), and
then the given name alone is often a PER entity too; ``person_mentions``
mends those.  ``titled_names`` splits after an office with the gazetteer's
names alone; this component needs no list.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.rules import rule_entity


def split_glued(ent: Span, people: set[str], others: dict[str, Span]) -> list[Span]:
    """``ent`` as [organisation or place, person] or [person, organisation or place] if the document says so."""
    for cut in range(ent.start + 1, ent.end):
        head, tail = ent.doc[ent.start:cut], ent.doc[cut:ent.end]
        if head.text in others and tail.text in people:
            return [rule_entity(head, others[head.text].label_, others[head.text]), rule_entity(tail, "PER")]
        if tail.text in others and head.text in people and len(head) >= 2:
            return [rule_entity(head, "PER"), rule_entity(tail, others[tail.text].label_, others[tail.text])]
    return [ent]


class GluedNames:
    """spaCy component: a PER entity whose halves are a PER and a non-PER entity elsewhere in the document is split."""

    def __init__(self, nlp: Language, name: str = "berita_glued_names"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        people = {e.text for e in doc.ents if e.label_ == "PER"}
        others = {e.text: e for e in doc.ents if e.label_ != "PER"}
        ents = []
        for ent in doc.ents:
            ents += split_glued(ent, people - {ent.text}, others) if ent.label_ == "PER" and len(ent) >= 2 else [ent]
        doc.ents = ents
        return doc


@Language.factory("berita_glued_names")
def make_glued_names(nlp: Language, name: str) -> GluedNames:
    return GluedNames(nlp, name)
