"""Membership claims: who is member of, founded, joined, left... which organisation.

Two spaCy components:

* ``berita_triggers`` finds the trigger phrases of ``data/membership_triggers.jsonl``
  (typed rules: relation, the side its members stand on, its anchor word) and
  references (``organisasi tersebut``, ``mereka``) of ``data/references.jsonl``;
* ``berita_memberships`` (after ``berita_context``) turns each trigger into
  claims: the coordinated members next to it (one claim per member), the
  organisation of its clause (or the one a reference points back to, or the one
  the article is about), the date of its clause, and its negation.

Results are :class:`Claim` objects in ``doc._.claims``.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.context import TRIGGERS, context_rules
from pipeline.corpora import data_file, read_table
from pipeline.gazetteer import MENTIONS

REFERENCES = "references"
LIST_CONNECTORS = {",", "dan", "serta", "maupun"}
COORDINATORS = {"dan", "serta", "lalu", "kemudian", "tetapi", "namun", ","}
GAP_POS = {"ADV", "AUX", "PART", "NUM"}
MAX_GAP = 4
ORG_MARKERS = {"anggota", "keanggotaan", "ke", "dalam", "dari", "dengan", "di"}


@dataclass
class Claim:
    """One (member, organisation, relation) claim with its evidence."""

    member: str
    member_id: str
    organization: str
    organization_id: str
    relation: str
    date_text: str
    date_value: str
    negated: bool
    sentence: Span
    trigger: Span
    member_span: Span
    org: Span
    members: tuple[Span, ...]


def register_extensions() -> None:
    for name, default in (("relation", ""), ("members_side", "before"), ("anchor", 0),
                          ("needs_org", False), ("ref_kind", "")):
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    if not Doc.has_extension("claims"):
        Doc.set_extension("claims", default=[])


def _jsonl(name: str) -> list[dict]:
    lines = data_file(name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@lru_cache(maxsize=1)
def gap_words() -> frozenset[str]:
    return frozenset(row[0] for row in read_table("gap_words.txt"))


class TriggerFinder:
    """spaCy component: trigger phrases and references as span groups."""

    def __init__(self, nlp: Language, name: str = "berita_triggers"):
        register_extensions()
        self.name = name
        self.rules = _jsonl("membership_triggers.jsonl")
        self.triggers = Matcher(nlp.vocab)
        for i, rule in enumerate(self.rules):
            self.triggers.add(str(i), [rule["pattern"]])
        self.refs = Matcher(nlp.vocab)
        for rule in _jsonl("references.jsonl"):
            self.refs.add(rule["kind"], [rule["pattern"]])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.triggers(doc):
            rule = self.rules[int(doc.vocab.strings[match_id])]
            span = Span(doc, start, end, label=rule["relation"])
            span._.relation, span._.members_side = rule["relation"], rule["members"]
            span._.anchor, span._.needs_org = rule["anchor"], rule["needs_org"]
            spans.append(span)
        doc.spans[TRIGGERS] = filter_spans(spans)
        refs = []
        for match_id, start, end in self.refs(doc):
            span = Span(doc, start, end, label=doc.vocab.strings[match_id])
            span._.ref_kind = span.label_
            refs.append(span)
        doc.spans[REFERENCES] = filter_spans(refs)
        return doc


@Language.factory("berita_triggers")
def make_trigger_finder(nlp: Language, name: str) -> TriggerFinder:
    return TriggerFinder(nlp, name)


# ----------------------------------------------------------------- claims


class ClaimBuilder:
    """Turns triggers into claims for one document."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.clauses = doc._.clauses
        mentions = [m for m in doc.spans.get(MENTIONS, []) if m._.canonical_id]
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.member_refs = [r for r in doc.spans.get(REFERENCES, []) if r._.ref_kind == "member"]
        self.org_refs = [r for r in doc.spans.get(REFERENCES, []) if r._.ref_kind == "organization"]
        self.by_start = {m.start: m for m in self.mentions + self.member_refs}
        self.by_end = {m.end: m for m in self.mentions + self.member_refs}
        self.topic = self._topic_organization()

    # -- members ---------------------------------------------------------

    def _is_gap(self, token) -> bool:
        return (token.pos_ in GAP_POS or token.like_num or token.lower_ in gap_words() or token.is_space
                or token.lower_ in context_rules())

    def _list_before(self, end: int) -> list[Span]:
        """Coordinated mentions ending at token ``end`` (``A, B, dan C``), in order."""
        items = [self.by_end[end]]
        while True:
            i = j = items[0].start - 1
            while j >= 0 and self.doc[j].lower_ in LIST_CONNECTORS:
                j -= 1
            previous = self.by_end.get(j + 1)
            if j == i or previous is None or self.clauses[previous.start] != self.clauses[items[0].start]:
                break
            items.insert(0, previous)
        return items

    def _list_after(self, start: int) -> list[Span]:
        items = [self.by_start[start]]
        while True:
            i = items[-1].end
            while i < len(self.doc) and self.doc[i].lower_ in LIST_CONNECTORS:
                i += 1
            nxt = self.by_start.get(i)
            if i == items[-1].end or nxt is None or self.clauses[nxt.start] != self.clauses[items[-1].start]:
                break
            items.append(nxt)
        return items

    def _members_before(self, trigger: Span) -> list[Span]:
        i, gap, clause = trigger.start - 1, 0, self.clauses[trigger.start]
        while i >= 0 and self.clauses[i] == clause and gap <= MAX_GAP:
            if i + 1 in self.by_end:
                return self._list_before(i + 1)
            # a comma is crossed only before a gap word: "Swedia, yang mengajukan"
            comma_to_gap = self.doc[i].text == "," and self._is_gap(self.doc[i + 1])
            if not (self._is_gap(self.doc[i]) or comma_to_gap):
                return []
            i, gap = i - 1, gap + 1
        return []

    def _members_after(self, trigger: Span) -> list[Span]:
        i, gap, clause = trigger.end, 0, self.clauses[trigger.end - 1]
        while i < len(self.doc) and self.clauses[i] == clause and gap <= MAX_GAP:
            if i in self.by_start:
                return self._list_after(i)
            token = self.doc[i]
            # a comma is crossed only towards a list word: "32 negara, termasuk Finlandia"
            comma_to_list = token.text == "," and i + 1 < len(self.doc) and self._is_gap(self.doc[i + 1])
            if not (self._is_gap(token) or comma_to_list):
                return []
            i, gap = i + 1, gap + 1
        return []

    def members(self, trigger: Span) -> list[Span]:
        side = trigger._.members_side
        found = self._members_before(trigger) if side in ("before", "either") else []
        if not found and side in ("after", "either"):
            found = self._members_after(trigger)
        return found

    def resolve_member(self, mention: Span) -> tuple[str, str]:
        """(id, name) of a member mention; ``mereka``/``negara tersebut`` -> the last state named."""
        if mention._.canonical_id:
            return mention._.canonical_id, mention.text
        sentence_start = mention.sent.start
        previous_sent = self.doc[sentence_start - 1].sent.start if sentence_start > 0 else 0
        for candidate in reversed(self.mentions):
            if previous_sent <= candidate.start < mention.start and candidate.label_ == "GPE":
                return candidate._.canonical_id, mention.text
        return "", mention.text

    # -- organisation ----------------------------------------------------

    def _topic_organization(self) -> Span | None:
        """The organisation the article is about: the one named most, first on ties."""
        orgs = [m for m in self.mentions if m.label_ == "ORG"]
        if not orgs:
            return None
        counts = Counter(m._.canonical_id for m in orgs)
        best = max(counts.values())
        return next(m for m in orgs if counts[m._.canonical_id] == best)

    def _marked(self, org: Span) -> bool:
        """Organisation named right after ``anggota``, ``ke dalam``, ``keluar dari``..."""
        return any(t.lower_ in ORG_MARKERS for t in self.doc[max(0, org.start - 2):org.start])

    def organization(self, trigger: Span, members: list[Span]) -> tuple[Span | None, str]:
        """The organisation a trigger is about, and the text that names it."""
        clause = self.clauses[trigger.start]
        taken = {(m.start, m.end) for m in members}
        candidates = [m for m in self.mentions if m.label_ == "ORG" and self.clauses[m.start] == clause
                      and (m.start, m.end) not in taken]
        marked = [m for m in candidates if self._marked(m)]
        after = [m for m in candidates if m.start >= trigger.end]
        before = [m for m in candidates if m.end <= trigger.start]
        for group in (marked, after, before[::-1]):
            if group:
                chosen = min(group, key=lambda m: abs(m.start - trigger.start)) if group is marked else group[0]
                return chosen, chosen.text
        ref = next((r for r in self.org_refs if self.clauses[r.start] == clause), None)
        if ref is not None:
            earlier = [m for m in self.mentions if m.label_ == "ORG" and m.end <= ref.start]
            return (earlier[-1] if earlier else self.topic), ref.text
        if trigger._.needs_org:
            return None, ""
        return self.topic, self.topic.text if self.topic is not None else ""

    # -- date --------------------------------------------------------------

    def date(self, trigger: Span):
        """The date of the trigger's clause, else the nearest one before it in its sentence.

        In a clause with several triggers a date belongs to the trigger before it
        (Indonesian puts the date after its verb: ``... bergabung pada 1984,
        disusul Vietnam pada 1995``), or to the first trigger after it when none
        precedes it (``Pada 1967, ... mendirikan ASEAN``).
        """
        sent = trigger.sent
        clause = self.clauses[trigger.start]
        dates = [d for d in self.doc._.dates if d.span is not None and sent.start <= d.span.start < sent.end]
        own = [d for d in dates if self.clauses[d.span.start] == clause and self._owner(d.span.start) == trigger]
        after = [d for d in own if d.span.start >= trigger.end]
        if after:
            return after[0]
        if own:
            return own[-1]
        if any(self.clauses[d.span.start] == clause for d in dates):
            return None  # the clause's dates belong to its other triggers
        depth_ok = [d for d in dates if d.span.end <= trigger.start and self._top_level(d.span.start, sent)]
        return depth_ok[-1] if depth_ok else None

    def _owner(self, i: int) -> Span | None:
        """The claim-making trigger a date starting at token i belongs to (see :meth:`date`)."""
        same = [t for t in self.claiming if self.clauses[t.start] == self.clauses[i]]
        before = [t for t in same if t.start < i]
        return before[-1] if before else (same[0] if same else None)

    def _top_level(self, i: int, sent: Span) -> bool:
        """Whether token i is outside any parenthesis of its sentence."""
        depth = 0
        for token in sent:
            if token.i >= i:
                break
            depth += (token.text == "(") - (token.text == ")")
        return depth <= 0

    # -- claims ------------------------------------------------------------

    def _elided_subject(self, trigger: Span, previous: Claim | None) -> list[Span]:
        """``Indonesia keluar pada 2009 dan kembali bergabung pada 2016``: a verb joined
        to the sentence's previous claim by ``dan``/``tetapi``/... shares its members."""
        if previous is None or previous.sentence.start != trigger.sent.start or trigger._.members_side == "after":
            return []
        i = trigger.start - 1
        while i > previous.trigger.end and self._is_gap(self.doc[i]):
            i -= 1
        if i <= previous.trigger.end or self.doc[i].lower_ not in COORDINATORS:
            return []  # the clause names a subject of its own ("sementara beberapa negara lain ...")
        return list(previous.members)

    def _claims_of(self, trigger: Span, previous: Claim | None) -> list[Claim]:
        """The (still undated) claims one trigger makes."""
        if "INTENT" in trigger._.modifiers:
            return []
        members = self.members(trigger) or self._elided_subject(trigger, previous)
        if not members:
            return []
        relation = trigger._.relation
        if relation == "same":  # "disusul Swedia pada 2024": the previous claim's relation and organisation
            if previous is None or previous.sentence.start != trigger.sent.start:
                return []
            relation, org, org_text = previous.relation, previous.org, previous.organization
        else:
            org, org_text = self.organization(trigger, members)
        if org is None:
            return []
        made = []
        for mention in members:
            member_id, member_text = self.resolve_member(mention)
            if not member_id or member_id == org._.canonical_id:
                continue
            if mention.label_ == "ORG" and not (org.start >= trigger.end or self._marked(org)):
                continue
            made.append(Claim(member_text, member_id, org_text, org._.canonical_id, relation, "", "",
                              "NEGATED" in trigger._.modifiers, trigger.sent, trigger, mention, org,
                              tuple(members)))
        return made

    def claims(self) -> list[Claim]:
        made: list[Claim] = []
        for trigger in self.doc.spans.get(TRIGGERS, []):
            made += self._claims_of(trigger, made[-1] if made else None)
        self.claiming = sorted({c.trigger.start: c.trigger for c in made}.values(), key=lambda t: t.start)
        found: dict[tuple, Claim] = {}
        for claim in made:
            date = self.date(claim.trigger)
            if date is not None:
                claim.date_text, claim.date_value = date.text, date.value
            key = (self.clauses[claim.trigger.start], claim.member_id, claim.organization_id, claim.relation)
            if key not in found or (claim.date_value and not found[key].date_value):
                found[key] = claim  # the same claim twice in a clause: keep the dated one
        return sorted(_implied_memberships_dropped(found), key=lambda c: (c.trigger.start, c.member_span.start))


def _implied_memberships_dropped(found: dict[tuple, Claim]) -> list[Claim]:
    """``masuk Afrika Selatan sebagai anggotanya``: a plain ``member`` claim that a more
    specific claim of the same clause, member and organisation implies is dropped."""
    specific = {key[:3]: c for key, c in found.items() if key[3] != "member"}
    kept = []
    for key, claim in found.items():
        if key[3] != "member" or key[:3] not in specific:
            kept.append(claim)
        elif claim.date_value and not specific[key[:3]].date_value:  # its date goes to the specific claim
            specific[key[:3]].date_text, specific[key[:3]].date_value = claim.date_text, claim.date_value
    return kept


@Language.component("berita_memberships")
def membership_component(doc: Doc) -> Doc:
    """Claims from the triggers found and modified earlier in the pipeline."""
    register_extensions()
    doc._.claims = ClaimBuilder(doc).claims()
    return doc


register_extensions()
