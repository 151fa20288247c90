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

from collections import Counter
from itertools import product
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.context import TRIGGERS, claim_words, context_rules
from pipeline.corpora import clitics, read_json_lines, read_table
from pipeline.rules.gazetteer import MENTIONS, closest_state

REFERENCES = "references"
CAPITALS = "capitals"
GAP_POS = {"ADV", "AUX", "PART", "NUM"}
MAX_GAP = 4
MAX_APPOSITION = 16
STATUS_RELATIONS = {"partner", "observer"}
NOUN_RELATIONS = {"member", "founder", "partner", "observer"}
REFERENCE_SENTENCES = 3


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
                          ("needs_org", False), ("ref_kind", ""), ("ref_plural", False),
                          ("list_closes", False)):
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    if not Doc.has_extension("claims"):
        Doc.set_extension("claims", default=[])


@lru_cache(maxsize=1)
def gap_words() -> frozenset[str]:
    return frozenset(row[0] for row in read_table("gap_words.txt"))


@lru_cache(maxsize=1)
def numbers() -> dict[str, int]:
    """Number words (``tiga``, ``ketiga``, ``keduanya``) -> value; 0 for "all of them"."""
    words = {word: int(value) for word, op, value in read_table("number_words.tsv") if op == "add"}
    words.update((word, int(value)) for word, value, _kind in read_table("ordinal_words.tsv"))
    return words


@lru_cache(maxsize=1)
def capital_states() -> dict[str, str]:
    """Capital -> the ISO code of the state whose government it stands for."""
    return dict((name, code) for name, code in read_table("capitals.tsv"))


@lru_cache(maxsize=1)
def subordinators() -> frozenset[str]:
    return frozenset(row[0] for row in read_table("subordinators.txt"))


@lru_cache(maxsize=1)
def organisation_parts() -> frozenset[str]:
    return frozenset(row[0] for row in read_table("organisation_parts.txt"))


@lru_cache(maxsize=1)
def state_titles() -> frozenset[str]:
    return frozenset(row[0] for row in read_table("state_titles.txt"))


def is_ordinal(token) -> bool:
    """``ke-32``, ``ke-11``: Indonesian writes ordinals as ``ke-`` and a numeral."""
    return token.lower_.startswith("ke-") and token.lower_[3:].isdigit()


def word_sequences(pattern: list[dict]) -> list[list[str]] | None:
    """The word sequences a Matcher pattern of plain lower-case words matches, or None if it is more than that.

    spaCy's Matcher tests an ``IN`` set on every token for every pattern, in
    Python: with the 70 trigger rules that was half of berita's own rule time on
    news.  A rule that is only a sequence of words (``{"LOWER": {"IN": [...]}}``
    or ``{"LOWER": "..."}`` without ``OP``) matches exactly the sequences below,
    which a PhraseMatcher finds by hash lookup.
    """
    options = []
    for token in pattern:
        value = token.get("LOWER")
        if set(token) != {"LOWER"}:
            return None
        words = [value] if isinstance(value, str) else value.get("IN") if set(value) == {"IN"} else None
        if not words or any(word != word.lower() for word in words):
            return None
        options.append(list(dict.fromkeys(words)))
    return [list(words) for words in product(*options)]


class PatternMatcher:
    """spaCy's Matcher for token patterns, with the plain word sequences among them in a PhraseMatcher.

    Same matches as one Matcher holding every pattern (:func:`word_sequences`).
    """

    def __init__(self, nlp: Language):
        self.vocab = nlp.vocab
        self.patterns = Matcher(nlp.vocab)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")

    def add(self, key: str, pattern: list[dict]) -> None:
        phrases = word_sequences(pattern)
        if phrases is None:
            self.patterns.add(key, [pattern])
        else:
            self.phrases.add(key, [Doc(self.vocab, words=words) for words in phrases])

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        return [*self.phrases(doc), *(self.patterns(doc) if len(self.patterns) else ())]


class TriggerFinder:
    """spaCy component: trigger phrases and references as span groups."""

    def __init__(self, nlp: Language, name: str = "berita_triggers"):
        register_extensions()
        self.name = name
        self.rules = read_json_lines("membership_triggers.jsonl")
        self.triggers = PatternMatcher(nlp)
        for i, rule in enumerate(self.rules):
            self.triggers.add(str(i), rule["pattern"])
        self.capitals = PhraseMatcher(nlp.vocab, attr="ORTH")
        for name, _code in read_table("capitals.tsv"):
            self.capitals.add(name, [nlp.make_doc(name)])
        self.refs = PatternMatcher(nlp)
        self.plural: dict[int, bool] = {}
        for i, rule in enumerate(read_json_lines("references.jsonl")):
            key = f"{rule['kind']}-{i}"
            self.refs.add(key, rule["pattern"])
            self.plural[nlp.vocab.strings[key]] = rule.get("plural", False)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.triggers(doc):
            rule = self.rules[int(doc.vocab.strings[match_id])]
            if end < len(doc) and doc[end].lower_ in rule.get("not_followed_by", ()):
                continue  # another sense: "mitra dagang", a trading partner
            span = Span(doc, start, end, label=rule["relation"])
            span._.relation, span._.members_side = rule["relation"], rule["members"]
            span._.anchor, span._.needs_org = rule["anchor"], rule["needs_org"]
            span._.list_closes = rule.get("list_closes", False)
            spans.append((int(doc.vocab.strings[match_id]), span))
        # filter_spans keeps the first of equally long spans: earlier rules win ties
        surface = filter_spans([span for _, span in sorted(spans, key=lambda pair: pair[0])])
        doc.spans[TRIGGERS] = sorted(surface + family_triggers(doc, surface), key=lambda span: span.start)
        refs = []
        for match_id, start, end in self.refs(doc):
            span = Span(doc, start, end, label=doc.vocab.strings[match_id].rsplit("-", 1)[0])
            span._.ref_kind, span._.ref_plural = span.label_, self.plural[match_id]
            refs.append(span)
        doc.spans[REFERENCES] = filter_spans(refs)
        doc.spans[CAPITALS] = filter_spans([Span(doc, start, end, label="CAPITAL")
                                            for _, start, end in self.capitals(doc)])
        return doc


@lru_cache(maxsize=1)
def trigger_families() -> dict[str, dict]:
    """Lemma -> its trigger family (``data/trigger_families.jsonl``)."""
    return {rule["lemma"]: rule for rule in read_json_lines("trigger_families.jsonl")}


def voice(token) -> str:
    """The affix class of a trigger word: ``noun`` (pendaftaran, bergabungnya),
    ``passive`` (didaftarkan, diundang) or ``active`` (mendaftar, bergabung)."""
    if token.pos_ in ("NOUN", "PROPN") or token.lower_.endswith("nya"):
        return "noun"
    return "passive" if token.lower_.startswith("di") else "active"


def family_triggers(doc: Doc, surface: list[Span]) -> list[Span]:
    """Triggers of the words whose lemma belongs to a family (``gabung``: bergabung,
    bergabungnya, penggabungan) that no surface rule matched.  Needs Stanza's lemmas."""
    covered = {i for span in surface for i in range(span.start, span.end)}
    found = []
    for token in doc:
        family = trigger_families().get(token.lemma_.lower())
        side = family.get(voice(token)) if family and token.i not in covered else None
        if side is None:
            continue
        span = Span(doc, token.i, token.i + 1, label=family["relation"])
        span._.relation, span._.members_side, span._.needs_org = family["relation"], side, family["needs_org"]
        found.append(span)
    return found


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
        self.event_refs = [r for r in doc.spans.get(REFERENCES, []) if r._.ref_kind == "event"]
        capitals = [c for c in doc.spans.get(CAPITALS, []) if not self._named(c)]
        self.by_start = {m.start: m for m in capitals + self.mentions + self.member_refs}
        self.by_end = {m.end: m for m in capitals + self.mentions + self.member_refs}
        self.trigger_tokens = {i for t in doc.spans.get(TRIGGERS, []) for i in range(t.start, t.end)}
        self.date_tokens = {i: d.span.end for d in doc._.dates if d.span is not None
                            for i in range(d.span.start, d.span.end)}
        self.made: list[Claim] = []
        self.found_members: dict[tuple[int, int], tuple[list[Span], str]] = {}
        self.subject: tuple[Span, list[Span]] | None = None
        """The last trigger that found members, and those members (an elided subject's antecedent)."""

    # -- members ---------------------------------------------------------

    def _is_gap(self, token) -> bool:
        return (token.pos_ in GAP_POS or token.like_num or token.lower_ in gap_words() or token.is_space
                or token.lower_ in context_rules() or token.lower_ in numbers() or is_ordinal(token))

    def _named(self, capital: Span) -> bool:
        """Whether a gazetteer name covers the capital (``Washington`` in a longer name)."""
        return any(m.start <= capital.start and capital.end <= m.end for m in self.mentions)

    def _item_after(self, i: int, clause: int) -> Span | None:
        """The list item starting at token i: a known name, after a state title
        (``Republik Mali``), or a misspelt state name (``Tago``)."""
        while i < len(self.doc) and self.doc[i].lower_ in state_titles() and i + 1 in self.by_start:
            i += 1
        item = self.by_start.get(i)
        if item is None:
            item = self._misspelt(i, +1)
        return item if item is not None and self.clauses[item.start] == clause else None

    def _item_before(self, end: int, clause: int) -> Span | None:
        item = self.by_end.get(end)
        if item is None:
            item = self._misspelt(end - 1, -1)
        return item if item is not None and self.clauses[item.start] == clause else None

    def _misspelt(self, i: int, step: int) -> Span | None:
        """A run of up to three capitalised words at token i that names a state
        misspelt (``Tago``, ``Komoros``), found only inside a list of known names."""
        run = []
        while 0 <= i < len(self.doc) and len(run) < 3 and self.doc[i].is_title and self.doc[i].is_alpha:
            run.append(i)
            i += step
        for size in range(len(run), 0, -1):
            start, end = min(run[:size]), max(run[:size]) + 1
            entry = closest_state(self.doc[start:end].text)
            if entry is not None:
                span = Span(self.doc, start, end, label=entry.label)
                span._.canonical_id, span._.canonical_name = entry.canonical_id, entry.canonical_name
                return span
        return None

    def _list_before(self, end: int, last: Span | None = None) -> list[Span]:
        """Coordinated mentions ending at token ``end`` (``A, B, dan C``), in order."""
        items = [last or self.by_end[end]]
        clause = self.clauses[items[0].start]
        while True:
            i = items[0].start - 1
            while i >= 0 and self.doc[i].lower_ in state_titles():
                i -= 1
            j = i
            while j >= 0 and self.doc[j].lower_ in claim_words()["list_connector"]:
                j -= 1
            previous = self._item_before(j + 1, clause) if j < i else None
            if previous is None or self._list_breaks(previous, items[0]):
                break
            items.insert(0, previous)
        return items

    def _list_after(self, start: int) -> list[Span]:
        items = [self.by_start[start]]
        clause = self.clauses[start]
        while True:
            i = items[-1].end
            while i < len(self.doc) and self.doc[i].lower_ in claim_words()["list_connector"]:
                i += 1
            nxt = self._item_after(i, clause) if i > items[-1].end else None
            if nxt is None or self._list_breaks(items[-1], nxt):
                break
            items.append(nxt)
        return items

    def _misspelt_last_item(self, i: int) -> list[Span]:
        """``Gabon dan Tago menjadi anggota``: a list whose last name is misspelt."""
        if not self.doc[i].is_title:
            return []
        item = self._misspelt(i, -1)
        if item is None:
            return []
        listed = self._list_before(item.end, item)
        return listed if len(listed) > 1 else []

    def _list_breaks(self, first: Span, second: Span) -> bool:
        """``Sebelum bergabungnya Indonesia, BRICS mencakup ...``: a state and an
        organisation joined by a bare comma are not one list (``dan`` joins them)."""
        between = {t.lower_ for t in self.doc[first.end:second.start]}
        return first.label_ != second.label_ and between <= {","}

    def _opening(self, close: int) -> int | None:
        """The ``(`` that the ``)`` at token ``close`` closes, in its sentence."""
        depth = 0
        for i in range(close, self.doc[close].sent.start - 1, -1):
            depth += (self.doc[i].text == ")") - (self.doc[i].text == "(")
            if depth == 0:
                return i
        return None

    def _apposition_before(self, comma: int) -> list[Span]:
        """``Indonesia, negara terpadat keempat di dunia, juga menjadi anggota``,
        ``Jepang, yang semula menolak, akhirnya bergabung``: the members before a
        comma-enclosed apposition or relative clause that names nothing itself."""
        sent_start = self.doc[comma].sent.start
        for j in range(comma - 1, max(sent_start, comma - MAX_APPOSITION) - 1, -1):
            token = self.doc[j]
            if j in self.by_start or j in self.trigger_tokens or token.text == ")":
                return []
            if token.text == "," and j in self.by_end and self.clauses[j - 1] == self.clauses[comma]:
                return self._list_before(j)
        return []

    def _members_before(self, trigger: Span) -> list[Span]:
        i, gap, clause = trigger.start - 1, 0, self.clauses[trigger.start]
        while i >= 0 and self.clauses[i] == clause and gap <= MAX_GAP:
            if i + 1 in self.by_end:
                return self._list_before(i + 1)
            token = self.doc[i]
            if token.text == ")" and i in self.by_end:  # "enam negara Teluk (A, B, dan C) yang tergabung"
                return self._list_before(i)
            if token.text == ")":  # "Papua Nugini (PNG) dapat bergabung"
                opening = self._opening(i)
                if opening is None:
                    return []
                i, gap = opening - 1, gap + 1
                continue
            misspelt = self._misspelt_last_item(i)
            if misspelt:
                return misspelt
            if token.text == ",":
                apposition = self._apposition_before(i)
                if apposition:
                    return apposition
            # a comma is crossed only before a gap word: "Swedia, yang mengajukan"
            comma_to_gap = token.text == "," and self._is_gap(self.doc[i + 1])
            if not (self._is_gap(token) or comma_to_gap):
                return []
            i, gap = i - 1, gap + (token.lower_ not in clitics())  # "kesemua nya": one word
        return []

    def _members_after(self, trigger: Span) -> list[Span]:
        """The list after a trigger, also across the organisation it names and an
        introducer: ``negara anggota IORA, yaitu A, B``, ``anggota OPEC seperti A``,
        ``enam negara Teluk (A, B, ...)``."""
        i, gap, clause = trigger.end, 0, self.clauses[trigger.end - 1]
        organisation: list[Span] = []
        while i < len(self.doc) and self.clauses[i] == clause and gap <= MAX_GAP:
            if i in self.by_start:
                found = self._list_after(i)
                if organisation or found[0].label_ != "ORG" or len(found) > 1:
                    return found
                organisation, i, gap = found, found[0].end, gap + 1
                continue
            if i in self.date_tokens:  # "bergabung pada tahun 2024, yaitu A, B"
                i, gap = self.date_tokens[i], gap + 1
                continue
            token = self.doc[i]
            # a comma is crossed only towards a list word or an apposition:
            # "32 negara, termasuk Finlandia", "Anggota lainnya, Kuwait dan Oman, ..."
            comma_to_list = token.text == "," and i + 1 < len(self.doc) and (
                self._is_gap(self.doc[i + 1]) or i + 1 in self.by_start)
            if not (self._is_gap(token) or comma_to_list or token.text == "("):
                break
            i, gap = i + 1, gap + (token.lower_ not in clitics() and not token.is_punct)
        # "masuknya Uni Afrika ke G20": an organisation can join; "Anggota G20 ...": it is
        # the organisation of a membership noun, not a member
        return organisation if trigger._.relation not in NOUN_RELATIONS else []

    def members(self, trigger: Span) -> tuple[list[Span], str]:
        """The members of a trigger and the side they stand on (computed once per trigger:
        :meth:`_claimed_after` asks for other triggers' members too)."""
        key = (trigger.start, trigger.end)
        if key not in self.found_members:
            self.found_members[key] = self._find_members(trigger)
        return self.found_members[key]

    def _find_members(self, trigger: Span) -> tuple[list[Span], str]:
        side = trigger._.members_side
        if side in ("before", "either"):
            found = self._members_before(trigger)
            if found:
                return found, "before"
        fronted = self._fronted_subject(trigger)
        if fronted:
            return fronted, "before"
        if side in ("after", "either"):
            return self._members_after(trigger), "after"
        if side == "inside":  # "keanggotaan Rusia di Dewan Eropa berakhir"
            return self._members_inside(trigger), side
        return [], side

    def _fronted_subject(self, trigger: Span) -> list[Span]:
        """``Sejak bergabung dengan WTO pada 2001, China terus tumbuh``: a trigger in a
        fronted adverbial clause takes the subject after the clause's comma."""
        sent = trigger.sent
        opening = [t for t in self.doc[sent.start:trigger.start] if not self._is_gap(t)]
        if len(opening) != 1 or opening[0].lower_ not in subordinators():
            return []
        comma = next((t.i for t in self.doc[trigger.end:sent.end] if t.text == ","), None)
        i = comma + 1 if comma is not None else sent.end
        while i < sent.end and self._is_gap(self.doc[i]):
            i += 1
        found = self.by_start.get(i) if i < sent.end else None
        return self._list_after(i) if found is not None and found.label_ != "ORG" else []

    def _members_inside(self, trigger: Span) -> list[Span]:
        first = next((i for i in range(trigger.start, trigger.end) if i in self.by_start
                      and self.by_start[i].label_ != "ORG"), None)
        return self._list_after(first) if first is not None else []

    def _sentences_back(self, span: Span, n: int) -> int:
        """The first token of the sentence n sentences before span's (0: its own)."""
        start = span.sent.start
        for _ in range(n):
            if start == 0:
                break
            start = self.doc[start - 1].sent.start
        return start

    def _state_lists(self, start: int, end: int) -> list[list[Span]]:
        """Coordinated lists of states between tokens start and end, in order."""
        lists: list[list[Span]] = []
        for mention in self.mentions:
            if start <= mention.start and mention.end <= end and mention.label_ == "GPE":
                listed = [m for m in self._list_before(mention.end) if m.label_ == "GPE"]
                if lists and lists[-1][-1].start >= listed[0].start:
                    lists[-1] = listed
                else:
                    lists.append(listed)
        return lists

    def expand_member(self, mention: Span) -> list[tuple[str, str]]:
        """(id, name) of the members a mention stands for.

        A reference stands for states named before it in its sentence or the one
        before: ``mereka`` for the last list, ``negara tersebut`` for the last
        state; a counted one (``kedua negara tersebut``) for the last list of that
        many states in the last few sentences.
        """
        if mention.label_ == "CAPITAL":
            return [(capital_states()[mention.text], mention.text)]
        if mention._.canonical_id:
            return [(mention._.canonical_id, mention.text)]
        count = next((numbers()[t.lower_] for t in mention if t.lower_ in numbers()), None)
        lists = self._state_lists(self._sentences_back(mention, REFERENCE_SENTENCES if count else 1), mention.start)
        if not lists:
            return []
        if count:
            chosen = next((group for group in reversed(lists) if len(group) == count), [])
        elif count == 0 or mention._.ref_plural:
            chosen = lists[-1]
        else:
            chosen = lists[-1][-1:]
        return [(m._.canonical_id, mention.text) for m in chosen]

    # -- organisation ----------------------------------------------------

    def _marked(self, org: Span) -> bool:
        """Organisation named right after ``anggota``, ``ke dalam``, ``keluar dari``..."""
        return any(t.lower_ in claim_words()["org_marker"] for t in self.doc[max(0, org.start - 2):org.start])

    def organization(self, trigger: Span, members: list[Span]) -> tuple[Span | None, str]:
        """The organisation a trigger is about, and the text that names it.

        An organisation named after a list that follows its trigger is taken only
        when the clause names no other: it belongs to another predicate (``D-8
        terdiri atas A, B, yang kesemuanya anggota OKI``).
        """
        clause = self.clauses[trigger.start]
        taken = {(m.start, m.end) for m in members}
        candidates = [m for m in self.mentions if m.label_ == "ORG" and self.clauses[m.start] == clause
                      and (m.start, m.end) not in taken and not self._members_group(m, trigger, members)
                      and not self._part_of(m, trigger)]
        if members and members[0].start >= trigger.end:
            candidates = [m for m in candidates if not self._claimed_after(m, trigger, members[-1].end)]
        marked = [m for m in candidates if self._marked(m)]
        after = [m for m in candidates if m.start >= trigger.end]
        before = [m for m in candidates if m.end <= trigger.start]
        for group in (marked, after, before[::-1]):
            if group:
                chosen = min(group, key=lambda m: abs(m.start - trigger.start)) if group is marked else group[0]
                return chosen, chosen.text
        ref = next((r for r in self.org_refs if self.clauses[r.start] == clause), None)
        if ref is not None:
            return self._referent(ref), ref.text
        if trigger._.needs_org or self._object_is_part(trigger):
            return None, ""
        return self._elided_organization(trigger)

    def _part_of(self, org: Span, trigger: Span) -> bool:
        """``meninggalkan pasar tunggal Uni Eropa``: the trigger's object is a part or
        place of the organisation (``organisation_parts.txt``), not the organisation."""
        if org.start < trigger.end:
            return False
        return any(t.lower_ in organisation_parts() for t in self.doc[trigger.end:org.start])

    def _object_is_part(self, trigger: Span) -> bool:
        """``keluar dari pasar tunggal dan serikat pabean``: the object names a part of
        an organisation, so no organisation is left unsaid."""
        i = trigger.end
        while i < len(self.doc) and self.doc[i].lower_ in claim_words()["org_marker"]:
            i += 1
        return i < len(self.doc) and self.doc[i].lower_ in organisation_parts()

    def _members_group(self, org: Span, trigger: Span, members: list[Span]) -> bool:
        """``didirikan oleh negara-negara BRICS yakni A, B``: an organisation between a
        trigger and the members after it, introduced by a group noun, is the group the
        members are drawn from, not what the trigger is about (unlike ``anggota tetap
        DK PBB adalah A, B``)."""
        if not members or not trigger.end <= org.start < members[0].start:
            return False
        return any(t.lower_ in claim_words()["group_noun"] for t in self.doc[trigger.end:org.start])

    def _claimed_after(self, org: Span, trigger: Span, list_end: int) -> bool:
        """An organisation after a trigger's member list that a trigger of another
        relation claims with members of its own (``terdiri atas A, B, yang kesemuanya
        anggota OKI``, not ``bergabungnya A, anggota BRICS kini berjumlah``); one of the
        same relation shares it (``Bergabungnya A menyusul B yang lebih dulu masuk NATO``)."""
        return org.start >= list_end and any(
            list_end <= t.start < org.start and t._.relation not in (trigger._.relation, "same") and self.members(t)[0]
            for t in self.doc.spans[TRIGGERS])

    def _referent(self, ref: Span) -> Span | None:
        """The organisation a reference points to: the last one named before it."""
        earlier = [m for m in self.mentions if m.label_ == "ORG" and m.end <= ref.start]
        return earlier[-1] if earlier else None

    def _elided_organization(self, trigger: Span) -> tuple[Span | None, str]:
        """A clause that names no organisation continues the one the text was just
        about: the last claim's or organisation named in this sentence or the one
        before (``Kemudian menambahkan Afrika Selatan pada 2010``).  Further back,
        nothing is assumed."""
        sent = trigger.sent
        window = self.doc[sent.start - 1].sent.start if sent.start > 0 else 0
        if self.made and self.made[-1].sentence.start >= window:
            return self.made[-1].org, self.made[-1].org.text
        orgs = [m for m in self.mentions if m.label_ == "ORG" and window <= m.start < trigger.start]
        return (orgs[-1], orgs[-1].text) if orgs else (None, "")

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

    def _gapped(self, claim: Claim, date) -> list[Claim]:
        """``Vietnam bergabung dengan ASEAN pada 1995, Laos dan Myanmar pada 1997, dan
        Kamboja pada 1999``: after a dated claim, comma-joined members with dates of their
        own repeat its verb (gapping)."""
        made, i, end = [], date.span.end, claim.sentence.end
        while i < end and self.doc[i].text == ",":
            while i < end and self.doc[i].lower_ in claim_words()["list_connector"]:
                i += 1
            first = self.by_start.get(i)
            if first is None or first.label_ == "ORG":
                break
            members = self._list_after(i)
            j = members[-1].end
            while (j < end and j not in self.date_tokens and self._is_gap(self.doc[j])
                   and self.doc[j].lower_ not in context_rules()):  # "Laos menolak pada 1997" has a verb
                j += 1
            own = next((d for d in self.doc._.dates if d.span is not None and d.span.start == j), None)
            if own is None:
                break
            for mention in members:
                made += [Claim(text, member_id, claim.organization, claim.organization_id, claim.relation,
                               own.text, own.value, claim.negated, claim.sentence, claim.trigger, mention,
                               claim.org, tuple(members)) for member_id, text in self.expand_member(mention)]
            i = own.span.end
        return made

    def _carried_date(self, claim: Claim):
        """``A bergabung dengan B. Hal ini diumumkan pada Rabu (29/1/2025).``: the next
        sentence refers back to the event with ``hal ini``/``keputusan tersebut`` and
        dates it; a date of a claim of its own stays there."""
        end = claim.sentence.end
        if end >= len(self.doc):
            return None
        following = self.doc[end].sent
        refs = [r for r in self.event_refs if following.start <= r.start < following.end]
        if not refs or any(following.start <= t.start < following.end for t in self.claiming):
            return None
        clause = self.clauses[refs[0].start]
        return next((d for d in self.doc._.dates if d.span is not None and d.value
                     and following.start <= d.span.start < following.end and self.clauses[d.span.start] == clause),
                    None)

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

    def _elided_subject(self, trigger: Span) -> list[Span]:
        """``Indonesia keluar pada 2009 dan kembali bergabung pada 2016``: a verb joined
        to the sentence's previous predicate by ``dan``/``tetapi``/... shares its subject,
        also when that predicate made no claim (``Ukraina ingin bergabung ..., tetapi
        belum diterima``); so does a status that qualifies it (``bergabung ... dengan
        status negara mitra``)."""
        if self.subject is None or trigger._.members_side == "after" or _is_noun_phrase(trigger):
            return []
        last, members = self.subject
        if last.sent.start != trigger.sent.start:
            return []
        if trigger._.relation in STATUS_RELATIONS and self.clauses[last.start] == self.clauses[trigger.start]:
            return list(members)
        i = trigger.start - 1
        while i > last.end and self._is_gap(self.doc[i]):
            i -= 1
        if i <= last.end or self.doc[i].lower_ not in claim_words()["coordinator"]:
            return []  # the clause names a subject of its own ("sementara beberapa negara lain ...")
        return list(members)

    def _same_as(self, trigger: Span, previous: Claim | None) -> Claim | None:
        """The claim that ``disusul A``, ``A melakukan hal yang sama`` or ``bergabung
        dengan A, B`` (joining their ranks) repeats: the last one, in this sentence or
        the one before."""
        if previous is None:
            return None
        start = trigger.sent.start
        window = self.doc[start - 1].sent.start if start > 0 else 0
        return previous if previous.sentence.start >= window else None

    def _org_joins(self, org: Span, trigger: Span) -> bool:
        """An organisation is a member (``Uni Afrika menjadi anggota G20``) only of one
        its own clause names after the trigger or marks (``anggota G20``)."""
        return self.clauses[org.start] == self.clauses[trigger.start] and (
            org.start >= trigger.end or self._marked(org))

    def _closes(self, member: Span) -> bool:
        """Whether a member list ends its clause (``..., setelah Mali dan Niger.``),
        unlike a subject with its own verb (``setelah Rusia menyerang``)."""
        return member.end >= len(self.doc) or self.doc[member.end].is_punct

    def _joins_ranks(self, trigger: Span, members: list[Span], side: str) -> bool:
        """``... menjadi mitra BRICS kesembilan, bergabung dengan A, B``: joining states,
        not an organisation, means joining their ranks: they hold the status the
        previous claim gives (or are members)."""
        return (trigger._.relation == "joined" and side == "after" and trigger.end < len(self.doc)
                and self.doc[trigger.end].lower_ in claim_words()["ranks"] and all(m.label_ == "GPE" for m in members))

    def _claims_of(self, trigger: Span, previous: Claim | None) -> list[Claim]:
        """The (still undated) claims one trigger makes."""
        members, side = self.members(trigger)
        members = members or self._elided_subject(trigger)
        if members:
            self.subject = (trigger, members)
        if not members or "INTENT" in trigger._.modifiers or (trigger._.list_closes and not self._closes(members[-1])):
            return []
        relation = trigger._.relation
        if relation == "joined" and "APPLIED" in trigger._.modifiers:  # "pengajuan Turki menjadi anggota"
            relation = "applied"
        joins_ranks = self._joins_ranks(trigger, members, side)
        if relation == "same" or joins_ranks:
            model = self._same_as(trigger, previous)
            if model is None:
                return []
            relation, org, org_text = model.relation, model.org, model.organization
            if joins_ranks and relation not in STATUS_RELATIONS:
                relation = "member"  # "menjadi anggota SCO dan bergabung dengan A, B": A, B are members
        else:
            org, org_text = self.organization(trigger, members)
        if org is None:
            return []
        made = []
        for mention in members:
            if mention.label_ == "ORG" and not self._org_joins(org, trigger):
                continue
            for member_id, member_text in self.expand_member(mention):
                if member_id and member_id != org._.canonical_id:
                    made.append(Claim(member_text, member_id, org_text, org._.canonical_id, relation, "", "",
                                      "NEGATED" in trigger._.modifiers, trigger.sent, trigger, mention, org,
                                      tuple(members)))
        return made

    def claims(self) -> list[Claim]:
        for trigger in self.doc.spans.get(TRIGGERS, []):
            self.made += self._claims_of(trigger, self.made[-1] if self.made else None)
        self.claiming = sorted({c.trigger.start: c.trigger for c in self.made}.values(), key=lambda t: t.start)
        found: dict[tuple, Claim] = {}
        dated: dict[int, object] = {}
        for claim in self.made:
            date = self.date(claim.trigger) or self._carried_date(claim)
            if date is not None:
                claim.date_text, claim.date_value = date.text, date.value
                dated[claim.trigger.start] = (claim, date)
        for claim, date in dated.values():
            self.made += self._gapped(claim, date)
        for claim in self.made:
            key = (self.clauses[claim.trigger.start], claim.member_id, claim.organization_id, claim.relation)
            if key not in found or (claim.date_value and not found[key].date_value):
                found[key] = claim  # the same claim twice in a clause: keep the dated one
        return sorted(_implied_claims_dropped(found), key=lambda c: (c.trigger.start, c.member_span.start))


def _is_noun_phrase(trigger: Span) -> bool:
    """``anggota BRICS``, ``negara anggota``: a membership noun heads a phrase of its
    own (``Dengan bergabungnya A, anggota BRICS kini ...``), it takes no elided subject."""
    return trigger._.relation == "member" and trigger[0].lower_ in claim_words()["group_noun"]


def _implied_claims_dropped(found: dict[tuple, Claim]) -> list[Claim]:
    """Claims that a more specific claim of the same clause, member and organisation
    implies are dropped: a plain ``member`` (``masuk Afrika Selatan sebagai anggotanya``)
    and a ``joined`` that a status qualifies (``bergabung dengan status negara mitra``)."""
    relations: dict[tuple, set[str]] = {}
    for key in found:
        relations.setdefault(key[:3], set()).add(key[3])
    kept = []
    for key, claim in found.items():
        others = relations[key[:3]] - {key[3]}
        implied = (key[3] == "member" and others) or (key[3] == "joined" and others & STATUS_RELATIONS)
        if not implied:
            kept.append(claim)
            continue
        heirs = others if key[3] == "member" else others & STATUS_RELATIONS
        heir = found[key[:3] + (min(heirs),)]
        if claim.date_value and not heir.date_value:  # its date goes to the specific claim
            heir.date_text, heir.date_value = claim.date_text, claim.date_value
    return kept


@Language.component("berita_memberships")
def membership_component(doc: Doc) -> Doc:
    """Claims from the triggers found and modified earlier in the pipeline."""
    register_extensions()
    doc._.claims = ClaimBuilder(doc).claims()
    return doc


register_extensions()
