"""ConText-style modifiers of membership triggers: negation and intent.

As in medspaCy's ConText, modifier rules are small typed objects loaded from a
data file (``data/context_rules.jsonl``); a modifier affects a trigger when it
stands at most ``window`` tokens before the trigger's anchor word, in the same
clause.  ``NEGATED`` (``belum bergabung``) keeps the claim with
``negated=true``; ``INTENT`` (``berencana untuk bergabung``) means nothing
happened, so the claim is not emitted.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.corpora import read_json_lines, read_table
from pipeline.rules.gazetteer import MENTIONS

TRIGGERS = "triggers"
DECIDED = "DECIDED"
PURPOSE = "PURPOSE"


@dataclass(frozen=True)
class ContextRule:
    """A modifier word, its category and how far before a trigger it reaches."""

    literal: str
    category: str
    window: int


@lru_cache(maxsize=1)
def context_rules() -> dict[str, ContextRule]:
    rules = {}
    for row in read_json_lines("context_rules.jsonl"):
        rule = ContextRule(**row)
        rules[rule.literal] = rule
    return rules


@lru_cache(maxsize=1)
def claim_words() -> dict[str, frozenset[str]]:
    """Role -> its words (``data/claim_words.tsv``): list connectors, coordinators,
    organisation markers, group nouns, ranks."""
    roles: dict[str, set[str]] = {}
    for word, role in read_table("claim_words.tsv"):
        roles.setdefault(role, set()).add(word)
    return {role: frozenset(words) for role, words in roles.items()}


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
    a parenthetical that holds a membership trigger is a clause of its own and
    the text after it continues the clause it interrupted (``... pada 15 Mei 1992
    (Uzbekistan meninggalkan CSTO pada 2012).``).  Any other parenthetical (an
    acronym, a date: ``Papua Nugini (PNG)``, ``Minggu (16/7/2023)``) belongs to the
    clause around it.
    """
    ids = [0] * len(doc)
    counter = 0
    boundaries = clause_boundaries()
    claiming = _claiming_parentheses(doc)
    for sent in doc.sents:
        counter += 1
        stack = [counter]
        for token in sent:
            if token.i in claiming:
                counter += 1
                stack.append(counter)
            elif token.text == ")" and len(stack) > 1 and _closes_claiming(token, claiming):
                ids[token.i] = stack.pop()
                continue
            elif token.lower_ in boundaries:
                counter += 1
                stack[-1] = counter
            ids[token.i] = stack[-1]
    return ids


def _parentheses(doc: Doc) -> dict[int, int]:
    """Index of each ``(`` -> index of its ``)``, within a sentence."""
    pairs, stack = {}, []
    for token in doc:
        if token.is_sent_start:
            stack = []
        if token.text == "(":
            stack.append(token.i)
        elif token.text == ")" and stack:
            pairs[stack.pop()] = token.i
    return pairs


def _claiming_parentheses(doc: Doc) -> dict[int, int]:
    """The parentheses that hold a membership trigger: ``(`` index -> ``)`` index."""
    inside = {i for t in doc.spans.get(TRIGGERS, []) for i in range(t.start, t.end)}
    return {o: c for o, c in _parentheses(doc).items() if any(i in inside for i in range(o, c))}


def _closes_claiming(token, claiming: dict[int, int]) -> bool:
    return token.i in claiming.values()


def anchor_token(trigger: Span) -> int:
    """Index of the trigger's predicate word (``anchor`` in the trigger data)."""
    anchor = trigger._.anchor if Span.has_extension("anchor") else 0
    return trigger.start + anchor if anchor >= 0 else trigger.end + anchor


def modifiers_of(doc: Doc, trigger: Span, clauses: list[int], commas: frozenset[int] = frozenset()) -> tuple[str, ...]:
    """Categories of the context rules that reach this trigger.

    ``DECIDED`` (``memutuskan``, ``keputusan ... untuk``) is a pseudo-modifier, as
    ConText's pseudo-triggers: it cancels the ``INTENT`` that a plain ``untuk``
    would give (a decision taken is reported as done), and is not kept.
    """
    rules = context_rules()
    anchor = anchor_token(trigger)
    found: list[str] = []
    for i in range(anchor - 1, max(-1, anchor - 1 - max((r.window for r in rules.values()), default=0)), -1):
        if clauses[i] != clauses[anchor] or (doc[i].text == "," and i not in commas):  # nor across an apposition
            break
        rule = rules.get(doc[i].lower_)
        if rule and anchor - i <= rule.window:
            found.append(rule.category)
    categories = set(found)
    if PURPOSE in categories and DECIDED not in categories:
        categories.add("INTENT")
    return tuple(sorted(categories - {PURPOSE, DECIDED}))


def list_commas(doc: Doc) -> frozenset[int]:
    """The commas that join two names of a list (``Keputusan Mali, Niger, dan Chad
    untuk keluar``): a modifier reaches across them, unlike across an apposition."""
    ends = {m.end for m in doc.spans.get(MENTIONS, [])}
    starts = {m.start for m in doc.spans.get(MENTIONS, [])}
    connectors = claim_words()["list_connector"]
    found = set()
    for comma in ends:
        if comma < len(doc) and doc[comma].text == ",":
            nxt = comma + 1
            while nxt < len(doc) and doc[nxt].lower_ in connectors:
                nxt += 1
            if nxt in starts:
                found.add(comma)
    return frozenset(found)


@Language.component("berita_context")
def context_component(doc: Doc) -> Doc:
    """Mark each membership trigger with the modifiers that reach it."""
    register_extensions()
    doc._.clauses = clause_ids(doc)
    commas = list_commas(doc)
    for trigger in doc.spans.get(TRIGGERS, []):
        trigger._.modifiers = modifiers_of(doc, trigger, doc._.clauses, commas)
    return doc


register_extensions()
