"""Read the public Indonesian corpora and convert them to Stanza's training formats.

Stanza's trainers want CoNLL-U (tokenize, mwt, pos, lemma, depparse) and a JSON
list of tagged sentences (ner).  The corpora in ``shared/corpora`` disagree on
conventions, so the conversions here harmonise them: PUD's split clitics become
multi-word tokens like GSD/CSUI, XPOS (three incompatible tagsets) is dropped,
and the NER label sets are mapped onto PER/ORG/LOC.
"""
from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

Sentence = list[str]
"""A CoNLL-U sentence: its comment and token lines, without the blank line."""

NerSentence = list[tuple[str, str]]
"""A NER sentence: (token, BIO tag) pairs."""


def data_file(name: str) -> Path:
    """Path of a data file shipped in ``pipeline/data``."""
    return Path(str(resources.files("pipeline") / "data" / name))


def read_table(name: str) -> list[list[str]]:
    """Rows of a tab-separated data file, skipping comments and blank lines."""
    rows = []
    for line in data_file(name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def read_json_lines(name: str) -> list[dict]:
    """Objects of a JSON-lines data file (rules, organisations), skipping blank lines."""
    lines = data_file(name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def clitics() -> frozenset[str]:
    """Enclitics that GSD/CSUI write as parts of a multi-word token."""
    return frozenset(row[0] for row in read_table("clitics.txt"))


def ner_label_map() -> dict[str, str]:
    """Source NER label -> harmonised label (PER, ORG, LOC or O)."""
    return {src: dst for src, dst in read_table("ner_labels.tsv")}


# --------------------------------------------------------------------------- UD


def read_conllu(path: Path) -> list[Sentence]:
    """Sentences of a CoNLL-U file."""
    sentences, current = [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            current.append(line)
        elif current:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


def write_conllu(sentences: Iterable[Sentence], path: Path) -> Path:
    """Write sentences as CoNLL-U (one blank line after each)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        for sentence in sentences:
            out.write("\n".join(sentence) + "\n\n")
    return path


def _misc_without_space_after(misc: str) -> str:
    parts = [p for p in misc.split("|") if p not in ("_", "SpaceAfter=No")]
    return "|".join(parts) or "_"


def clitics_to_mwt(sentence: Sentence, enclitics: frozenset[str]) -> Sentence:
    """Turn ``host SpaceAfter=No`` + ``clitic`` word pairs into multi-word tokens.

    PUD writes ``tidaklah`` as two tokens (``tidak`` + ``lah``) where GSD and
    CSUI use a ``20-21 tidaklah`` range; one convention keeps the tokenizer and
    MWT expander from learning two.
    """
    if any("-" in line.split("\t", 1)[0] for line in sentence if not line.startswith("#")):
        return sentence
    words = [line.split("\t") for line in sentence if not line.startswith("#")]
    comments = [line for line in sentence if line.startswith("#")]
    out = list(comments)
    i = 0
    while i < len(words):
        host = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else None
        joins = (
            nxt is not None
            and "SpaceAfter=No" in host[9]
            and host[1][-1:].isalpha()
            and nxt[1].lower() in enclitics
        )
        if joins:
            out.append("\t".join([f"{host[0]}-{nxt[0]}", host[1] + nxt[1]] + ["_"] * 7 + [nxt[9]]))
            out.append("\t".join(host[:9] + [_misc_without_space_after(host[9])]))
            out.append("\t".join(nxt[:9] + [_misc_without_space_after(nxt[9])]))
            i += 2
        else:
            out.append("\t".join(host))
            i += 1
    return out


def blank_columns(sentence: Sentence, columns: Iterable[int]) -> Sentence:
    """Replace the given CoNLL-U columns (0-based) of every word line with ``_``."""
    cols = set(columns)
    out = []
    for line in sentence:
        fields = line.split("\t")
        if line.startswith("#") or "-" in fields[0] or "." in fields[0]:
            out.append(line)
            continue
        out.append("\t".join("_" if i in cols else f for i, f in enumerate(fields)))
    return out


def with_paragraphs(sentences: list[Sentence], every: int) -> list[Sentence]:
    """Mark a new paragraph every ``every`` sentences.

    The treebanks carry no ``# newpar``; without any, the tokenizer's raw text
    would be one endless paragraph and it would never see paragraph starts.
    """
    out = []
    for i, sentence in enumerate(sentences):
        body = [line for line in sentence if not line.startswith("# newpar")]
        out.append((["# newpar"] if i % every == 0 else []) + body)
    return out


def sentence_words(sentence: Sentence) -> list[str]:
    """Syntactic word forms of a sentence (multi-word tokens expanded)."""
    return [
        line.split("\t")[1]
        for line in sentence
        if not line.startswith("#") and line.split("\t", 1)[0].isdigit()
    ]


@dataclass
class UDSplits:
    """The UD data as the recipe splits it (see the models issue)."""

    train_full: list[Sentence] = field(default_factory=list)
    """GSD-dev + CSUI-train: every column usable."""
    train_pud: list[Sentence] = field(default_factory=list)
    """Most of PUD: tokens, UPOS and trees, no lemmas or features."""
    dev: list[Sentence] = field(default_factory=list)
    """Held-out part of PUD, for model selection."""
    lemma_dev: list[Sentence] = field(default_factory=list)
    """Held-out part of GSD (PUD has no lemmas)."""
    test: list[Sentence] = field(default_factory=list)
    """CSUI-test: the reported scores."""
    tokenize_train: list[Sentence] = field(default_factory=list)
    """The tokenizer's training data: GSD and PUD train once, CSUI-train (less
    its tail) ``csui_copies`` times."""
    tokenize_dev: list[Sentence] = field(default_factory=list)
    """The tail of CSUI-train, held out to select the tokenizer."""


def load_ud(corpora: Path, pud_dev: int = 100, lemma_dev: int = 60, tokenize_dev: int = 150,
            csui_copies: int = 1, limit: int | None = None) -> UDSplits:
    """Read the three treebanks and split them as the recipe does.

    The tokenizer is trained and selected apart from the other models. GSD's
    raw text has spaces around every token, so only CSUI and PUD show how news
    text glues tokens that UD splits (``30-35``, ``PPh-nya``, ``DPR/MPR``;
    ``rata-rata`` stays whole), and rarely (about 60 cases in CSUI-train, 18
    in PUD).  CSUI-train is repeated to weigh them, and its tail selects the
    checkpoint, since the PUD hold-out cannot tell the checkpoints apart on them.
    ``limit`` truncates every part (for the quick smoke-run of the recipe).
    """
    ud = Path(corpora) / "ud"
    enclitics = clitics()
    no_xpos = (4,)
    gsd = [blank_columns(s, no_xpos) for s in read_conllu(ud / "UD_Indonesian-GSD" / "id_gsd-ud-dev.conllu")]
    csui = [blank_columns(s, no_xpos) for s in read_conllu(ud / "UD_Indonesian-CSUI" / "id_csui-ud-train.conllu")]
    pud = [
        blank_columns(clitics_to_mwt(s, enclitics), no_xpos)
        for s in read_conllu(ud / "UD_Indonesian-PUD" / "id_pud-ud-test.conllu")
    ]
    test = [blank_columns(s, no_xpos) for s in read_conllu(ud / "UD_Indonesian-CSUI" / "id_csui-ud-test.conllu")]
    splits = UDSplits(
        train_full=gsd[:-lemma_dev] + csui,
        train_pud=pud[:-pud_dev],
        dev=pud[-pud_dev:],
        lemma_dev=gsd[-lemma_dev:],
        test=test,
        tokenize_train=gsd[:-lemma_dev] + csui[:-tokenize_dev] * csui_copies + pud[:-pud_dev],
        tokenize_dev=csui[-tokenize_dev:],
    )
    if limit:
        for name in ("train_full", "train_pud", "dev", "lemma_dev", "test", "tokenize_train", "tokenize_dev"):
            setattr(splits, name, getattr(splits, name)[:limit])
    return splits


# -------------------------------------------------------------------------- NER


def read_bio(path: Path) -> list[NerSentence]:
    """Sentences of a token-per-line NER file; the tag is the last column.

    Handles ``token<TAB>tag`` (IndoNLU, IndoLEM) and ``token POS tag`` with CRLF
    line ends (idner-news-2k).
    """
    sentences, current = [], []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip("\r\n")
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
            continue
        fields = line.split("\t") if "\t" in line else line.split(" ")
        current.append((fields[0], fields[-1].strip() or "O"))
    if current:
        sentences.append(current)
    return sentences


def harmonise(sentence: NerSentence, mapping: dict[str, str]) -> NerSentence:
    """Map tags onto PER/ORG/LOC and repair the BIO sequence.

    Unknown or dropped labels become ``O``; an ``I-`` that does not continue
    an entity of the same label starts one (``B-``), so mapping EVT to O can
    never leave a dangling ``I-``.
    """
    out: NerSentence = []
    previous = "O"
    for token, tag in sentence:
        prefix, _, label = tag.partition("-")
        target = mapping.get(label, "O") if label else "O"
        if prefix not in ("B", "I") or target == "O":
            new = "O"
        elif prefix == "I" and previous in (f"B-{target}", f"I-{target}"):
            new = f"I-{target}"
        else:
            new = f"B-{target}"
        out.append((token, new))
        previous = new
    return out


def entity_names(sentences: Iterable[NerSentence], label: str) -> Counter:
    """How often each lower-cased token sequence is tagged as a whole ``label`` entity."""
    names: Counter = Counter()
    for sentence in sentences:
        start = None
        for i, (_, tag) in enumerate([*sentence, ("", "O")]):
            if start is not None and tag != f"I-{label}":
                names[tuple(tok.lower() for tok, _ in sentence[start:i])] += 1
                start = None
            if tag == f"B-{label}":
                start = i
    return names


def consistent_names(sentences: list[NerSentence], label: str, min_count: int, share: float) -> set[tuple[str, ...]]:
    """Names tagged as a whole ``label`` entity at least ``min_count`` times, and inside a ``label``
    entity (whole or as part of a longer name) in at least ``share`` of their occurrences."""
    wanted = {name for name, n in entity_names(sentences, label).items() if n >= min_count}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for name in wanted:
        by_first.setdefault(name[0], []).append(name)
    seen: Counter = Counter()
    covered: Counter = Counter()
    for sentence in sentences:
        words = [tok.lower() for tok, _ in sentence]
        for i, word in enumerate(words):
            for name in by_first.get(word, ()):
                if tuple(words[i:i + len(name)]) == name:
                    seen[name] += 1
                    covered[name] += all(tag.endswith(f"-{label}") for _, tag in sentence[i:i + len(name)])
    return {name for name in wanted if covered[name] >= share * seen[name]}


def tag_names(sentence: NerSentence, names: set[tuple[str, ...]], label: str) -> NerSentence:
    """Tag untagged occurrences of ``names`` (longest first) as ``label``; tagged tokens are left alone.

    Harmonises a corpus that leaves some kind of name untagged (NERP's parties
    and state bodies) with the corpora that tag it.
    """
    tags = [tag for _, tag in sentence]
    words = [tok.lower() for tok, _ in sentence]
    longest = max((len(n) for n in names), default=0)
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            if tuple(words[i:i + size]) in names and all(t == "O" for t in tags[i:i + size]):
                tags[i:i + size] = [f"B-{label}"] + [f"I-{label}"] * (size - 1)
                i += size - 1
                break
        i += 1
    return [(tok, tag) for (tok, _), tag in zip(sentence, tags)]


@dataclass(frozen=True)
class NerSource:
    """One NER corpus folder and the file name of each of its splits."""

    folder: str
    train: str
    dev: str
    test: str | None


NER_SOURCES = (
    NerSource("idner-news-2k", "train.txt", "dev.txt", None),
    NerSource("nergrit", "train.txt", "valid.txt", "test.txt"),
    NerSource("nerp", "train.txt", "valid.txt", "test.txt"),
    NerSource("nerugm", "train.tsv", "dev.tsv", "test.tsv"),
    NerSource("nerui", "train.tsv", "dev.tsv", "test.tsv"),
)


def load_ner_split(corpora: Path, split: str, limit: int | None = None) -> dict[str, list[NerSentence]]:
    """Harmonised sentences of one split (``train``, ``dev`` or ``test``) per corpus."""
    mapping = ner_label_map()
    out = {}
    for source in NER_SOURCES:
        name = getattr(source, split)
        path = Path(corpora) / "ner" / source.folder / name if name else None
        if path is None or not path.exists():
            continue
        sentences = [harmonise(s, mapping) for s in read_bio(path)]
        out[source.folder] = sentences[:limit] if limit else sentences
    return out


def write_ner_json(sentences: Iterable[NerSentence], path: Path) -> Path:
    """Write sentences in Stanza's NER JSON format."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = [[{"text": tok, "ner": tag} for tok, tag in sent] for sent in sentences]
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def read_ner_json(path: Path) -> list[NerSentence]:
    """Inverse of :func:`write_ner_json` (also reads ``berita review export-ner`` output)."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    return [[(w["text"], w["ner"]) for w in sent] for sent in doc]


def shuffled(items: list, seed: int) -> list:
    """A deterministic shuffle, so every run of the recipe sees the same order."""
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


# ---------------------------------------------------------------- word vectors


def embedding_sentences(corpora: Path, limit: int | None = None) -> Iterator[list[str]]:
    """Lower-cased token lists from every non-test split, for the word vectors.

    Stanza looks pretrained vectors up by the lower-cased word, so the vectors
    are trained lower-cased.  Test splits are left out to keep the reported
    scores honest.
    """
    ud = load_ud(corpora, limit=limit)
    for sentence in ud.train_full + ud.train_pud + ud.dev + ud.lemma_dev:
        yield [w.lower() for w in sentence_words(sentence)]
    for split in ("train", "dev"):
        for sentences in load_ner_split(corpora, split, limit).values():
            for sentence in sentences:
                yield [tok.lower() for tok, _ in sentence]


# Word boundaries for unlabelled news: words (with inner hyphens/apostrophes,
# `PPh-nya`, `Jum'at`) and single punctuation marks.  Hand-written because the
# vectors only need the words Stanza will look up, and running the project's
# tokenizer over 0.7 M words would add minutes to the recipe.
NEWS_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


def news_sentences(path: Path, limit: int | None = None) -> list[list[str]]:
    """Lower-cased token lists, one per paragraph, of an unlabelled news JSONL file (``text`` field)."""
    out = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                break
            for paragraph in json.loads(line)["text"].split("\n"):
                tokens = NEWS_TOKEN.findall(paragraph.lower())
                if tokens:
                    out.append(tokens)
    return out
