"""Hand-built spaCy Docs for unit tests of the rule components (no Stanza)."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

import spacy
from spacy.tokens import Doc

from pipeline.annotate import RULES


@lru_cache(maxsize=1)
def rules_nlp():
    """spaCy's own tokenizer and sentencizer in front of berita's rule components."""
    nlp = spacy.blank("id")
    nlp.add_pipe("sentencizer")
    for name in RULES:
        nlp.add_pipe(name)
    return nlp


def annotate_text(text: str, published: date | None = None) -> Doc:
    """Run the rules on a text tokenised by spaCy (published set before the date rules)."""
    nlp = rules_nlp()
    doc = nlp.make_doc(text)
    doc._.published = published
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def claims(doc: Doc) -> set[tuple]:
    return {(c.member_id, c.organization_id, c.relation, c.date_value or None, c.negated) for c in doc._.claims}


def annotate_with_stanza(text: str, published: date | None = None) -> Doc:
    """The real pipeline on one text: shipped Stanza models, conversion, rule components."""
    import stanza

    from pipeline import nlp
    from pipeline.annotate import rules_pipeline

    tagged = nlp.load_pipeline(nlp.DEFAULT_PROCESSORS)([stanza.Document([], text=text)])[0]
    doc = nlp.to_spacy(tagged, text, rules_pipeline().vocab)
    doc._.published = published
    return rules_pipeline()(doc)
