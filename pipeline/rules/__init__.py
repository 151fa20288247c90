"""The rule components that run on the spaCy Doc after the Stanza conversion:
known names (gazetteer), people named after their office and state, places
introduced by their kind, names read against the article's other entities,
and, still beside this package, dates, context and memberships."""
from __future__ import annotations

from spacy.tokens import Span


def rule_entity(where: Span, label: str, like: Span | None = None) -> Span:
    """An entity a rule sets over ``where``'s tokens, with ``like``'s canonical id and name if given.

    Marked as the rules' (``source``), so that a reviewer sees which entities
    the statistical NER did not give as they are.
    """
    span = Span(where.doc, where.start, where.end, label=label)
    if like is not None:
        span._.canonical_id, span._.canonical_name = like._.canonical_id, like._.canonical_name
    span._.source = "rule"
    return span
