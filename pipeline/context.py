"""ConText-style modifiers of membership triggers: negation and intent.

As in medspaCy's ConText, modifier rules are small typed objects loaded from a
data file (``data/context_rules.jsonl``); a modifier affects a trigger when it
stands at most ``window`` tokens before the trigger's anchor word, in the same
clause.  ``NEGATED`` (``belum bergabung``) keeps the claim with
``negated=true``; ``INTENT`` (``berencana untuk bergabung``) means nothing
happened, so the claim is not emitted.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.corpora import data_file, read_table

TRIGGERS = "triggers"


@dataclass(frozen=True)
class ContextRule:
    """A modifier word, its category and how far before a trigger it reaches."""

    literal: str
    category: str
    window: int


@lru_cache(maxsize=1)
def context_rules() -> dict[str, ContextRule]:
    rules = {}
    for line in data_file("context_rules.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            rule = ContextRule(**json.loads(line))
            rules[rule.literal] = rule
    return rules


@lru_cache(maxsize=1)
def clause_boundaries() -> frozenset[str]:
    return frozenset(row[0] for row in read_table("clause_boundaries.txt"))


def register_extensions() -> None:
    if not Span.has_extension("modifiers"):
        Span.set_extension("modifiers", default=())
    if not Doc.has_extension("clauses"):
        Doc.set_extension("clauses", default=None)


def clause_ids(doc: Doc) -> list[int]:
    """A clause number per token.

    Sentences split at the boundary words of ``clause_boundaries.txt``;
    a parenthetical is a clause of its own and the text after it continues
    the clause it interrupted (``... pada 15 Mei 1992 (Uzbekistan meninggalkan
    CSTO pada 2012).``).
    """
    ids = [0] * len(doc)
    counter = 0
    boundaries = clause_boundaries()
    for sent in doc.sents:
        counter += 1
        stack = [counter]
        for token in sent:
            if token.text == "(":
                counter += 1
                stack.append(counter)
            elif token.text == ")" and len(stack) > 1:
                ids[token.i] = stack.pop()
                continue
            elif token.lower_ in boundaries:
                counter += 1
                stack[-1] = counter
            ids[token.i] = stack[-1]
    return ids


def anchor_token(trigger: Span) -> int:
    """Index of the trigger's predicate word (``anchor`` in the trigger data)."""
    anchor = trigger._.anchor if Span.has_extension("anchor") else 0
    return trigger.start + anchor if anchor >= 0 else trigger.end + anchor


def modifiers_of(doc: Doc, trigger: Span, clauses: list[int]) -> tuple[str, ...]:
    """Categories of the context rules that reach this trigger."""
    rules = context_rules()
    anchor = anchor_token(trigger)
    found = []
    for i in range(anchor - 1, max(-1, anchor - 1 - max((r.window for r in rules.values()), default=0)), -1):
        if clauses[i] != clauses[anchor]:
            break
        rule = rules.get(doc[i].lower_)
        if rule and anchor - i <= rule.window:
            found.append(rule.category)
    return tuple(sorted(set(found)))


@Language.component("berita_context")
def context_component(doc: Doc) -> Doc:
    """Mark each membership trigger with the modifiers that reach it."""
    register_extensions()
    doc._.clauses = clause_ids(doc)
    for trigger in doc.spans.get(TRIGGERS, []):
        trigger._.modifiers = modifiers_of(doc, trigger, doc._.clauses)
    return doc


register_extensions()
