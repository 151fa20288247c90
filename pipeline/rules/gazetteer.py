"""Gazetteer of states and international organisations, as a spaCy component.

States come from pycountry (ISO 3166-1 alpha-3, English names and pycountry's
Indonesian translations) plus ``data/state_aliases.tsv`` for journalistic
names (Rusia, Tiongkok, Inggris...); formal names (Republik Mali, Kerajaan
Arab Saudi) are generated from pycountry's official names.  Organisations
come from ``data/organizations.jsonl``; well-known institutions, news agencies
and outlets that the statistical NER mislabels are in
``data/known_entities.tsv``, and a dateline's place and outlet are found by
its shape (``data/datelines.tsv``).

The component keeps Stanza's entities and enriches them: a known state becomes
GPE with its ISO code, a known organisation ORG with its canonical id; a whole
gazetteer name overrides a shorter or mislabelled Stanza span over it.  Every
gazetteer match, also one nested inside a wider Stanza entity, is kept in
``doc.spans["mentions"]`` for the membership rules.
"""
from __future__ import annotations

import difflib
import gettext
import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.corpora import read_json_lines, read_table

MENTIONS = "mentions"
CONNECTORS = {",", "dan", "serta", "&"}
MISSPELLING_CUTOFF = 0.75
DASHES = {"-", "–", "—", "--"}
BRACKETS = {"(", ")", "[", "]", "{", "}"}
DATELINE_REACH = 400
"""Characters from the top of a document within which a dateline is looked for."""


@dataclass(frozen=True)
class Entry:
    """What a gazetteer name stands for."""

    label: str  # GPE, ORG or LOC
    canonical_id: str
    canonical_name: str


def register_extensions() -> None:
    for name in ("canonical_id", "canonical_name"):
        if not Span.has_extension(name):
            Span.set_extension(name, default="")
    if not Span.has_extension("source"):
        Span.set_extension("source", default="stanza")


def _state_names() -> dict[str, Entry]:
    names: dict[str, Entry] = {}
    indonesian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"], fallback=True)
    for country in pycountry.countries:
        entry = Entry("GPE", country.alpha_3, getattr(country, "common_name", country.name))
        for name in (country.name, getattr(country, "common_name", None), indonesian.gettext(country.name)):
            if name and "," not in name and "(" not in name:
                names[name] = entry
    for alias, code in read_table("state_aliases.tsv"):
        country = pycountry.countries.get(alpha_3=code)
        names[alias] = Entry("GPE", code, getattr(country, "common_name", country.name) if country else alias)
    for name, entry in _long_forms(indonesian, names).items():
        names.setdefault(name, entry)
    return names


def _long_forms(indonesian: gettext.NullTranslations, names: dict[str, Entry]) -> dict[str, Entry]:
    """States' formal names (``Republik Mali``, ``Kerajaan Arab Saudi``), from pycountry's data.

    pycountry's official names and their Indonesian translations give the formal
    name of each state; its title (``Republik``, ``Kerajaan Hashemit``...) also
    goes before the state's journalistic names (``Republik Turkiye``), so that a
    whole formal name is one entity rather than a title plus a shorter name.
    """
    found: dict[str, Entry] = {}
    by_code: dict[str, dict[str, Entry]] = {}
    for name, entry in names.items():
        by_code.setdefault(entry.canonical_id, {})[name] = entry
    for country in pycountry.countries:
        official = getattr(country, "official_name", None)
        if not official or country.alpha_3 not in by_code:
            continue
        known = by_code[country.alpha_3]
        entry = next(iter(known.values()))
        formal = indonesian.gettext(official)
        for long_form in (official, formal):
            if "," not in long_form and "(" not in long_form:
                found[long_form] = entry
        suffixes = [n for n in known if formal.endswith(" " + n)]
        title = formal[: -len(max(suffixes, key=len))].strip() if suffixes else ""
        if not title or title.split()[0].lower() not in state_titles():
            continue
        for name in known:
            if not name.isupper() and name.split()[0].lower() not in state_titles():
                found[f"{title} {name}"] = entry
    return found


@lru_cache(maxsize=1)
def state_titles() -> frozenset[str]:
    """Words a state's formal name starts with (``republik``, ``kerajaan``), lower case."""
    return frozenset(row[0] for row in read_table("state_titles.txt"))


def _organization_names() -> dict[str, Entry]:
    names: dict[str, Entry] = {}
    for org in read_json_lines("organizations.jsonl"):
        entry = Entry("ORG", org["id"], org["name"])
        for name in org["names"] + org["acronyms"]:
            names[name] = entry
    return names


@lru_cache(maxsize=1)
def ambiguous_names() -> frozenset[str]:
    """Acronyms that Indonesian news also uses for other things (``TNI AU``, ``UN``
    the national exam, ``MSG``): they stand for their organisation only in a
    document that also names it unambiguously."""
    return frozenset(name for org in read_json_lines("organizations.jsonl") for name in org.get("ambiguous", []))


@lru_cache(maxsize=1)
def entries() -> dict[str, Entry]:
    """Every gazetteer name (case-sensitive) -> what it stands for."""
    names = _state_names()
    names.update(_organization_names())
    for name, label, *canonical in read_table("known_entities.tsv"):
        names.setdefault(name, Entry(label, "", canonical[0] if canonical else name))
    return names


@lru_cache(maxsize=1)
def organisation_heads() -> frozenset[str]:
    """Words that open the names of two or more known organisations (``Uni``, ``Organisasi``, ``Dewan``).

    Alone, such a word refers back to an organisation (``partisipasi Belarus
    di Uni dengan Rusia``), never to a place or a person, whatever label the
    statistical model gave it.
    """
    openers: dict[str, set[str]] = {}
    for name, entry in entries().items():
        if entry.label == "ORG" and entry.canonical_id and " " in name:
            openers.setdefault(name.split()[0], set()).add(entry.canonical_id)
    return frozenset(word for word, ids in openers.items()
                     if len(ids) >= 2 and word not in entries() and word.lower() not in state_titles())


def lookup(text: str) -> Entry | None:
    """The entry for a surface form, also across hyphen/space variants."""
    table = entries()
    return table.get(text) or table.get(re.sub(r"\s*-\s*", "-", text)) or table.get(text.replace("-", " "))


@lru_cache(maxsize=1)
def _state_name_list() -> tuple[str, ...]:
    return tuple(name for name, entry in entries().items() if entry.label == "GPE" and len(name) >= 4)


@lru_cache(maxsize=4096)
def closest_state(text: str) -> Entry | None:
    """The state a misspelt name most likely stands for (``Tago`` -> Togo), or None.

    Only for words already inside a list of states: one letter off in a short
    name, a little more in a long one, and the same first letter.
    """
    if len(text) < 4:
        return None
    candidates = [n for n in _state_name_list() if n[0] == text[0]]
    found = difflib.get_close_matches(text, candidates, n=1, cutoff=MISSPELLING_CUTOFF)
    return entries()[found[0]] if found else None


@lru_cache(maxsize=1)
def credit_patterns() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(row[0], re.MULTILINE) for row in read_table("credit_patterns.tsv"))


def credits(doc: Doc) -> list[Span]:
    """Author and editor names of credit lines (``(Febrina Ratna)``, ``[Redaktur: ...]``) as PER."""
    spans, text = [], doc.text  # spaCy joins the tokens' text anew on every access
    for pattern in credit_patterns():
        for match in pattern.finditer(text):
            span = doc.char_span(*match.span("name"), label="PER", alignment_mode="expand")
            if span is not None:
                spans.append(span)
    return spans


@lru_cache(maxsize=1)
def dateline_patterns() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(row[0], re.MULTILINE) for row in read_table("datelines.tsv"))


def datelines(doc: Doc) -> list[Span]:
    """Place (LOC/GPE) and outlet (ORG) of a dateline near the top (``ANKARA, KOMPAS.com -``).

    The statistical model reads the upper-case place of a dateline as an
    organisation and runs the outlet into the first name of the lead
    (``IDN Times - Parlemen Hungaria``); the dateline's shape says which is which.
    """
    spans, head = [], doc.text[:DATELINE_REACH]
    for pattern in dateline_patterns():
        for match in pattern.finditer(head):
            for group, label in (("place", "LOC"), ("outlet", "ORG")):
                if match.groupdict().get(group):
                    spans.append(_known_or(doc.char_span(*match.span(group), label=label, alignment_mode="expand")))
    return [s for s in spans if s is not None]


def _known_or(span: Span | None) -> Span | None:
    """The span with the gazetteer's label and ids where it knows the name (a dateline's ``ANTARA``)."""
    entry = span is not None and lookup(span.text)
    if not entry:
        return span
    known = Span(span.doc, span.start, span.end, label=entry.label)
    known._.canonical_id, known._.canonical_name = entry.canonical_id, entry.canonical_name
    return known


def _split_at_dashes(doc: Doc, ents: list[Span]) -> list[Span]:
    """Statistical entities cut at a spaced dash after an outlet's name, or between two people's full names.

    ``KOMPAS.TV - Inggris`` or ``iNews.id - Rusia`` tagged as one entity is a
    dateline's outlet and the lead's first name; ``Irianto MS Syaifuddin -
    Tatang Farhanul Hakim`` is a pair of candidates.  Other names keep their
    dash (``Alcatel - Lucent``, ``Bandara Soekarno - Hatta``, and ``Lee Kun -
    Hee`` in text that was tokenised before it reached berita).
    """
    result = []
    for ent in ents:
        cuts = {t.i for t in ent[1:-1] if t.text in DASHES and t.whitespace_ and doc[t.i - 1].whitespace_
                and doc[t.i + 1].text[:1].isupper() and _two_names(ent, t.i)}
        result += [Span(doc, part.start, part.end, label=ent.label_) for part in _parts(ent, cuts)]
    return result


def _two_names(ent: Span, dash: int) -> bool:
    """Whether the dash at token ``dash`` ends an outlet's name, or parts two people's names of two words or more.

    An outlet is a known one, a web address (``Contoh.com``) or the name
    that opens an article before a dash (``Rimanews - Pelabuhan Tegal ...``):
    a dateline.  A text of one sentence has no dateline (``Hewlett - Packard
    merilis ...`` is one name).
    """
    doc = ent.doc
    before, after = doc[ent.start:dash], doc[dash + 1:ent.end]
    if ent.label_ == "PER":
        return len(before) >= 2 and len(after) >= 2 and not any(t.text in DASHES for t in after)
    known = any((entry := lookup(before[i:].text)) and entry.label == "ORG" for i in range(len(before)))
    dateline = ent.start == 0 and _article(doc)
    return known or dateline or bool(WEB_NAME.search(before[-1].text))


def _article(doc: Doc) -> bool:
    """Whether ``doc`` holds more than one line or sentence (an article, which a dateline may open)."""
    if "\n" in doc.text.strip():
        return True
    return doc.has_annotation("SENT_START") and sum(1 for _ in doc.sents) > 1


WEB_NAME = re.compile(r"\w\.(?:com|co|id|net|org|tv|news)\b", re.IGNORECASE)
"""A web address's ending inside a name (``Contoh.com``, ``KOMPAS.TV``, ``iNews.id``)."""


def _parts(ent: Span, cuts: set[int]) -> list[Span]:
    """The non-empty runs of ``ent`` between the tokens at ``cuts``, which belong to none."""
    parts, start = [], ent.start
    for cut in sorted(cuts) + [ent.end]:
        if cut > start:
            parts.append(ent.doc[start:cut])
        start = cut + 1
    return parts


@lru_cache(maxsize=1)
def bracketed_name_parts() -> frozenset[str]:
    """Lower-cased words that stay part of a name inside round brackets (``PT PLN (Persero)``)."""
    return frozenset(row[0].lower() for row in read_table("bracketed_name_parts.txt"))


def _split_at_brackets(doc: Doc, ents: list[Span]) -> list[Span]:
    """Statistical entities cut at brackets into the names they hold.

    ``Komisi Pemberantasan Korupsi (KPK)`` is a long form and its acronym,
    ``Joko Widodo (Jokowi)`` a name and a nickname, and ``Commuter Line (KRL``
    stops inside the bracket: the news corpora tag the two names apart
    (NER-UI 129 of 135 times, NERGrit 121 of 125), while NER-UGM, also in the
    training data, mostly tags them as one.  Square and curly brackets, which
    the NER never saw in training, are never part of a name (``Arsenal]``).
    Each piece with a capitalised word stays an entity with the same label; a
    legal form in round brackets (:func:`bracketed_name_parts`) stays part of
    the name.
    """
    result = []
    for ent in ents:
        kept = _legal_form_brackets(ent)
        cuts = {t.i for t in ent if t.text in BRACKETS and t.i not in kept}
        if not cuts:
            result.append(ent)
            continue
        for part in _parts(ent, cuts):
            words = [t for t in part if not t.is_punct or t.i in kept]
            if any(t.text[:1].isupper() for t in words):
                result.append(Span(doc, words[0].i, words[-1].i + 1, label=ent.label_))
    return result


def _without_lower_case_names(doc: Doc, ents: list[Span]) -> list[Span]:
    """Statistical entities without a capital letter or digit are dropped from cased text.

    The NER learnt lower-case names from NERP, whose text is all lower case;
    in cased news the entities it still finds in lower case are common words
    (``mutiara``, ``gigi``, ``sport utility vehicle``: 104 of 5,494 entities on
    200 IndoSum articles, nearly all wrong).  Text written in lower case keeps
    them, and names the gazetteer knows (``kumparan.com``) are found by it.
    """
    if not _is_cased(doc):
        return ents
    return [e for e in ents if any(c.isupper() or c.isdigit() for c in e.text)]


def _is_cased(doc: Doc) -> bool:
    """Whether most sentences start with a capital, as edited text does."""
    sentences = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
    starts = [next((t for t in sent if t.is_alpha), None) for sent in sentences]
    starts = [t for t in starts if t is not None]
    return bool(starts) and sum(t.text[0].isupper() for t in starts) * 2 >= len(starts)


def _legal_form_brackets(ent: Span) -> set[int]:
    """Token indices of the round brackets around a legal form (``PT PLN (Persero)``), which stay in the name."""
    kept, opened = set(), []
    for token in ent:
        if token.text == "(":
            opened.append(token.i)
        elif token.text == ")" and opened:
            start = opened.pop()
            if ent.doc[start + 1].lower_ in bracketed_name_parts():
                kept.update((start, token.i))
    return kept


def _unlink_unconfirmed(spans: list[Span]) -> None:
    """Ambiguous acronyms keep their canonical id only where an unambiguous name
    of the same organisation stands in the document too."""
    confirmed = {s._.canonical_id for s in spans if s._.canonical_id and s.text not in ambiguous_names()}
    for span in spans:
        if span.text in ambiguous_names() and span._.canonical_id not in confirmed:
            span._.canonical_id = span._.canonical_name = ""


class Gazetteer:
    """spaCy component: match known names, fix labels, link long forms and acronyms."""

    def __init__(self, nlp: Language, name: str = "berita_gazetteer"):
        register_extensions()
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for text, entry in entries().items():
            # Stanza may cut a name (``Timor-Leste``) differently from spaCy's
            # tokenizer, so both cuts are patterns.
            variants = {tuple(t.text for t in nlp.make_doc(text)), tuple(text.split()),
                        tuple(re.findall(r"\w+|[^\w\s]", text))}
            self.matcher.add(entry.canonical_id or text, [Doc(nlp.vocab, words=list(v)) for v in variants])

    def __call__(self, doc: Doc) -> Doc:
        stanza = _without_lower_case_names(doc, _split_at_brackets(doc, _split_at_dashes(doc, list(doc.ents))))
        from_stanza = {(e.start_char, e.end_char) for e in stanza}
        mentions = [self._mention(doc, start, end) for _, start, end in self.matcher(doc)]
        mentions = filter_spans([m for m in mentions if m is not None])
        patterned = filter_spans(credits(doc) + datelines(doc))
        known = patterned + [m for m in mentions if not any(m.start < p.end and p.start < m.end for p in patterned)]
        ents = self._link_acronyms(doc, self._merge(doc, stanza, sorted(known, key=lambda m: m.start)))
        for ent in ents:
            ent._.source = "stanza" if (ent.start_char, ent.end_char) in from_stanza else "rule"
        _unlink_unconfirmed(ents + mentions)
        doc.ents = ents
        doc.spans[MENTIONS] = [e for e in ents if e._.canonical_id] + [
            m for m in mentions if not any(e.start == m.start and e.end == m.end for e in ents)
        ]
        return doc

    @staticmethod
    def _mention(doc: Doc, start: int, end: int) -> Span | None:
        entry = lookup(doc[start:end].text)
        if entry is None:
            return None
        span = Span(doc, start, end, label=entry.label)
        span._.canonical_id, span._.canonical_name = entry.canonical_id, entry.canonical_name
        return span

    def _merge(self, doc: Doc, ents: list[Span], mentions: list[Span]) -> list[Span]:
        """Stanza entities, relabelled or replaced where the gazetteer knows better."""
        result = []
        for ent in ents:
            inside = [m for m in mentions if ent.start <= m.start and m.end <= ent.end]
            crossing = [m for m in mentions if m.start < ent.end and ent.start < m.end and m not in inside]
            if crossing or (inside and self._gazetteer_wins(ent, inside)):
                continue
            if len(inside) == 1 and (inside[0].start, inside[0].end) == (ent.start, ent.end):
                result.append(self._enriched(ent, inside[0]))
            else:
                result.append(self._enriched(ent, None))
        taken = {i for e in result for i in range(e.start, e.end)}
        result += [m for m in mentions if not any(i in taken for i in range(m.start, m.end))]
        return sorted(result, key=lambda s: s.start)

    @staticmethod
    def _gazetteer_wins(ent: Span, inside: list[Span]) -> bool:
        """Whether known names inside a wider Stanza entity replace it.

        They do when the rest is only list punctuation (``Azerbaijan, Georgia
        dan Belarus`` tagged as one entity), only a state title before a state
        (``Negara Gabon``: formal names such as ``Republik Mali`` are gazetteer
        names of their own) or when a known name starts the
        entity (``CSTO sendiri``), unless that name is an outlet (ORG without
        canonical id) that a capitalised word continues in an ORG entity
        (``CNBC International``);
        a wider name led by other words is kept
        (``Kementerian Luar Negeri Brazil`` is an organisation of its own).
        """
        covered = {i for m in inside for i in range(m.start, m.end)}
        rest = [t for t in ent if t.i not in covered]
        if all(t.text.lower() in CONNECTORS or t.is_space for t in rest):
            return True
        if all(t.lower_ in state_titles() and t.i < inside[0].start for t in rest) and inside[0].label_ == "GPE":
            return True  # ``Negara Gabon``: a title the gazetteer has no formal name for, before a state
        first = inside[0]
        if (first.start == ent.start and not first._.canonical_id and first.label_ == ent.label_ == "ORG"
                and ent.doc[first.end].is_title):
            return False  # an outlet's own wider name: ``CNBC International``, not ``Istana Merdeka Jakarta``
        return first.start == ent.start or all(t.is_lower or "-" in t.text and t.i < first.start for t in rest)

    @staticmethod
    def _enriched(ent: Span, match: Span | None) -> Span:
        entry = match and lookup(match.text) or lookup(ent.text)
        label = entry.label if entry else "ORG" if ent.text in organisation_heads() else ent.label_
        span = Span(ent.doc, ent.start, ent.end, label=label if label in ("PER", "ORG", "LOC", "GPE") else "MISC")
        if entry:
            span._.canonical_id, span._.canonical_name = entry.canonical_id, entry.canonical_name
        return span

    @staticmethod
    def _link_acronyms(doc: Doc, ents: list[Span]) -> list[Span]:
        """``Long Form (ACR)``: the two name one organisation.

        When one side is known the other gets its canonical id; when neither
        is, both share the long form as canonical name, and so do later
        mentions of the acronym.
        """
        links: dict[str, tuple[str, str]] = {}
        relabel: set[int] = set()
        for i, (long, short) in enumerate(zip(ents, ents[1:])):
            between = doc[long.end:short.start].text.strip()
            after = doc[short.end].text if short.end < len(doc) else ""
            if between != "(" or not after.startswith(")") or long.label_ not in ("ORG", "MISC"):
                continue
            known = long if long._.canonical_id else short if short._.canonical_id else None
            cid, cname = (known._.canonical_id, known._.canonical_name) if known else ("", long.text)
            for span in (long, short):
                span._.canonical_id = span._.canonical_id or cid
                span._.canonical_name = span._.canonical_name or cname
            relabel.update((i, i + 1))
            links[short.text] = (cid, cname)
        for ent in ents:
            if ent.text in links and not ent._.canonical_name:
                ent._.canonical_id, ent._.canonical_name = links[ent.text]
        return [Span(doc, e.start, e.end, label="ORG") if i in relabel else e for i, e in enumerate(ents)]


@Language.factory("berita_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> Gazetteer:
    return Gazetteer(nlp, name)
