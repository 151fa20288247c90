"""The one loader of berita's Stanza models: offline, explicit paths, once per process.

Stanza would normally download models from its hub; here nothing can be
downloaded, and berita ships its own Indonesian models (trained by
``berita train``) inside the package in Stanza's directory layout::

    pipeline/models/resources.json
    pipeline/models/id/<processor>/berita.pt      tokenize, mwt, pos, lemma, depparse, ner
    pipeline/models/id/pretrain/berita.pt         word vectors shared by pos, depparse, ner
    pipeline/models/id/lemma/news_lemmas.json.gz  the lemmatizer's answers on news (``lemma_cache``)
"""
from __future__ import annotations

import json
import logging
import os
import sys
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from pipeline import retokenize

LANG = "id"
PACKAGE = "berita"
ALL_PROCESSORS = ("tokenize", "mwt", "pos", "lemma", "depparse", "ner")
DEFAULT_PROCESSORS = ("tokenize", "mwt", "pos", "lemma", "ner")
NEEDS_PRETRAIN = ("pos", "depparse", "ner")
INT8_ON_CPU = {"pos": "", "ner": "charmodel"}
"""Processors, and the part of each model (``""``: all of it), whose LSTM and
Linear layers run in int8 on CPU (dynamic quantisation).

The tagger as a whole: 35-45% faster for 0.1 point of UPOS on CSUI-test (gold
words: 93.82 -> 93.72 for the run-F tagger).  Of the NER only the character
model that reads each word's letters: in int8 it keeps every corpus's NER F1
within 0.0015 (the whole NER in int8 lost up to 0.006 and changed 3% of the
entities on news), and it is most of the NER's cost after the sentence LSTM.
Not the lemmatizer, which int8 did not speed up (``benchmarks/RESULTS.md``)."""


class MissingModelError(FileNotFoundError):
    """A model file that the requested processors need is not there."""


def default_model_dir() -> Path:
    """The models shipped inside the package (overridable with ``BERITA_MODELS``)."""
    env = os.environ.get("BERITA_MODELS")
    return Path(env) if env else Path(str(resources.files("pipeline") / "models"))


def model_file(model_dir: Path, processor: str) -> Path:
    """Where a processor's model lives in Stanza's directory layout."""
    return Path(model_dir) / LANG / processor / f"{PACKAGE}.pt"


def parse_processors(spec: str | Iterable[str]) -> tuple[str, ...]:
    """Validate a processor list (``"tokenize,mwt,pos"``) and put it in pipeline order."""
    names = [p.strip() for p in (spec.split(",") if isinstance(spec, str) else spec) if p.strip()]
    unknown = sorted(set(names) - set(ALL_PROCESSORS))
    if unknown:
        raise ValueError(f"unknown processor(s) {', '.join(unknown)}; choose from {', '.join(ALL_PROCESSORS)}")
    if names and "tokenize" not in names:
        raise ValueError("every processor list needs tokenize")
    return tuple(p for p in ALL_PROCESSORS if p in names)


def model_paths(model_dir: Path, processors: Iterable[str], pretokenized: bool = False) -> dict[str, str]:
    """Stanza ``*_model_path`` / ``*_pretrain_path`` arguments for exactly these processors.

    Only the requested processors get a path: Stanza loads a processor whose
    path is given even when it is not in ``processors``.  Pretokenized input
    needs no tokenizer model: Stanza wants its path but loads nothing.
    """
    paths: dict[str, str] = {}
    pretrain = model_file(model_dir, "pretrain")
    for name in processors:
        path = model_file(model_dir, name)
        if not path.exists() and not (name == "tokenize" and pretokenized):
            raise MissingModelError(f"missing Stanza model for {name}: {path} (run `berita train {name}`)")
        paths[f"{name}_model_path"] = str(path)
        if name in NEEDS_PRETRAIN:
            if not pretrain.exists():
                raise MissingModelError(f"missing word vectors for {name}: {pretrain} (run `berita train pretrain`)")
            paths[f"{name}_pretrain_path"] = str(pretrain)
    return paths


def ensure_resources(model_dir: Path) -> None:
    """Stanza needs a resources.json even when it downloads nothing (with empty
    ``packages`` and ``tokenize``, or a tokenize-only pipeline fails looking for
    an MWT package)."""
    path = Path(model_dir) / "resources.json"
    if not path.exists() or '"tokenize"' not in path.read_text(encoding="utf-8"):
        path.parent.mkdir(parents=True, exist_ok=True)
        resources = {LANG: {"lang_name": "Indonesian", "packages": {}, "default_processors": {}, "tokenize": {}}}
        path.write_text(json.dumps(resources) + "\n", encoding="utf-8")


DEVICES = ("auto", "cpu", "cuda")


def resolve_device(device: str = "auto") -> str:
    """``cpu`` or ``cuda`` for a ``--device`` choice: ``auto`` takes the GPU when torch sees one.

    A ``cuda`` request that cannot be met is refused up front, in one line,
    rather than by torch deep inside the first batch.
    """
    import torch

    if device not in DEVICES:
        raise ValueError(f"unknown device {device!r}; choose from {', '.join(DEVICES)}")
    if device == "cpu":
        return "cpu"
    if torch.cuda.is_available():
        return "cuda"
    if device == "cuda":
        raise ValueError(f"--device cuda: torch {torch.__version__} sees no CUDA GPU; use --device cpu or auto")
    return "cpu"


def build_pipeline(processors: Iterable[str] = DEFAULT_PROCESSORS, model_dir: Path | None = None,
                   device: str = "cpu", **options):
    """A new Stanza pipeline on ``device`` (see :func:`resolve_device`) from local files only.

    On raw text the tokenizer's output passes through berita's token split
    rules (``retokenize``, applied where a token needs them:
    :func:`split_rules_on_demand`), so the product and the model card's
    end-to-end scores tokenize alike; pass ``tokenize_postprocessor=None`` for
    the model alone.
    """
    stanza = _import_stanza()
    model_dir = Path(model_dir) if model_dir else default_model_dir()
    processors = parse_processors(processors)
    pretokenized = bool(options.get("tokenize_pretokenized"))
    paths = model_paths(model_dir, processors, pretokenized=pretokenized)
    ensure_resources(model_dir)
    rules_on_demand = not pretokenized and "tokenize_postprocessor" not in options
    if rules_on_demand:
        options["tokenize_postprocessor"] = None
    with _optimizers_without_compiler(), _shipped_models_unpickled_natively(model_dir):
        pipeline = stanza.Pipeline(
            lang=LANG,
            dir=str(model_dir),
            processors=",".join(processors),
            download_method=None,
            use_gpu=device != "cpu",
            device=resolve_device(device),
            logging_level=options.pop("logging_level", "ERROR"),
            **paths,
            **options,
        )
    if rules_on_demand and "tokenize" in pipeline.processors:
        split_rules_on_demand(pipeline.processors["tokenize"])
    if "lemma" in pipeline.processors and not pipeline.processors["lemma"].use_identity:
        proper_nouns_unchanged(pipeline.processors["lemma"])
    if "pos" in pipeline.processors:
        feature_names_remembered(pipeline.processors["pos"])
    from pipeline import char_words, paragraph_windows  # import Stanza, which _import_stanza has imported its own way

    if getattr(pipeline.processors.get("tokenize"), "trainer", None) is not None:
        paragraph_windows.finished_paragraphs_skipped(pipeline.processors["tokenize"].trainer)
    for name in ("pos", "ner"):
        for trainer in trainers(pipeline.processors.get(name)):
            char_words.once_per_word(trainer.model)
    return pipeline


def split_rules_on_demand(processor) -> None:
    """Apply berita's token split rules (``retokenize``) to the tokenizer's output where a token needs them.

    Given the rules as its postprocessor, Stanza rebuilds every batch of
    documents from the postprocessor's words, a fifth of the tokenizer's time
    on news, while only about 4 articles in 100 hold a token the rules split.
    So the tokenizer runs without them, and each article with such a token is
    rebuilt the way Stanza would have rebuilt it (its ``postprocess_doc`` on
    the same words): the same tokens, offsets and multi-word tokens either way.
    """
    tokenize, tokenize_all = processor.process, processor.bulk_process

    def process(document):
        return _split_where_needed(processor, tokenize, document, tokenize(document))

    def bulk_process(documents):
        processor.process = tokenize  # Stanza's bulk path tokenizes the joined texts with ``process``
        try:
            tokenized = tokenize_all(documents)
        finally:
            processor.process = process
        return [_split_where_needed(processor, tokenize, raw, doc) for raw, doc in zip(documents, tokenized)]

    processor.process, processor.bulk_process = process, bulk_process


def _split_where_needed(processor, tokenize, raw, tokenized):
    """``tokenized`` with the split rules applied, rebuilt only if a token needs them."""
    from stanza.models.common.doc import Document
    from stanza.models.tokenization.utils import postprocess_doc

    tokens = list(tokenized.iter_tokens())
    if not any(retokenize.changes(token.text) for token in tokens):
        return tokenized
    text = tokenized.text
    if any(text[t.start_char:t.end_char] != t.text for t in tokens):  # Stanza replaced a huge token
        processor._postprocessor = retokenize.postprocess
        try:
            return tokenize(raw if isinstance(raw, str) else raw.text)
        finally:
            processor._postprocessor = None
    draft = [[{"text": t.text, **({"misc": "MWT=Yes"} if _marked_mwt(t) else {})} for t in sentence.tokens]
             for sentence in tokenized.sentences]
    return Document(postprocess_doc(draft, retokenize.postprocess, text), text)


def _marked_mwt(token) -> bool:
    """Whether the tokenizer marked this token as a multi-word token for the MWT expander."""
    return "MWT=Yes" in (token.misc or "").split("|")


def feature_names_remembered(processor) -> None:
    """Make the tagger name each predicted bundle of features once instead of once per word.

    Stanza's feature vocabulary writes the UFeats string (``Number=Sing|Person=3``)
    for every word from the ids of its features, a seventh of the tagger's
    time on news, for a few hundred distinct bundles.  The same ids always
    name the same string, so this processor's vocabularies with a separator
    (whose names are strings, not lists a caller might change) remember it.
    """
    vocabs = processor.trainer.vocab._vocabs  # MultiVocab gives no public view of its vocabularies
    for vocab in vocabs.values():
        if getattr(vocab, "sep", None) is not None:
            vocab.id2unit = _remembered_names(vocab.id2unit)


def _remembered_names(id2unit):
    named = lru_cache(maxsize=2**16)(id2unit)

    def remembered(ids):
        return named(tuple(ids)) if isinstance(ids, list) else id2unit(ids)

    remembered.cache_info = named.cache_info
    return remembered


def proper_nouns_unchanged(processor) -> None:
    """Make the lemmatizer give an unseen proper noun its own form instead of asking its seq2seq model.

    The model, trained on the treebanks' few proper nouns, mangles names it
    has not seen (lower-cases them, strips what looks like a suffix); the
    treebanks give a proper noun itself as lemma (96.5% in CSUI-train).  A
    sentence's first word is the exception: capitalised there, a common noun
    is often tagged PROPN (``Pendaftaran Vietnam ke APEC ...``), and the
    membership rules read its lemma (``daftar``).  So a first word tagged
    PROPN is lemmatized as a NOUN and keeps its own form only when that finds
    no other lemma.  On CSUI-test with gold words and tags lemma accuracy goes
    from 94.24 to 96.2, and on news the model is spared about 40% of the words
    it was asked about.  Words of the lemmatizer's dictionary keep their
    dictionary lemma.  Stanza has no option for this, so the processor's
    ``process`` and the two trainer methods it calls are wrapped on this
    processor alone.
    """
    trainer = processor.trainer
    known, ensemble, process = trainer.skip_seq2seq, trainer.ensemble, processor.process

    def process_with_first_words_as_nouns(document):
        first = [s.words[0] for s in document.sentences if s.words and s.words[0].upos == "PROPN"]
        for word in first:
            word.upos = "NOUN"
        try:
            document = process(document)
        finally:
            for word in first:
                word.upos = "PROPN"
                if word.lemma in (word.text.lower(), "_"):
                    word.lemma = word.text
        return document

    def skip_seq2seq(pairs):
        return [skip or pos == "PROPN" for skip, (_, pos) in zip(known(pairs), pairs)]

    def ensemble_with_names(pairs, predictions):
        lemmas = ensemble(pairs, predictions)
        return [word if pos == "PROPN" and not lemma else lemma for (word, pos), lemma in zip(pairs, lemmas)]

    processor.process = process_with_first_words_as_nouns
    trainer.skip_seq2seq, trainer.ensemble = skip_seq2seq, ensemble_with_names


def _import_stanza():
    """Stanza, imported (the first time) without importing IPython.

    Stanza's modules ask IPython at import time whether they run in a notebook
    (to choose a progress bar); outside one, importing IPython only costs
    0.3-0.6 s of start-up.  In a notebook IPython is already imported and is
    used as is; otherwise it is hidden from that one question (a ``None`` entry
    in ``sys.modules`` makes its import fail, which Stanza expects) and
    importable again afterwards.
    """
    if "stanza" in sys.modules or "IPython" in sys.modules:
        import stanza

        return stanza
    sys.modules["IPython"] = None
    try:
        import stanza
    finally:
        del sys.modules["IPython"]
    return stanza


@contextmanager
def _optimizers_without_compiler() -> Iterator[None]:
    """Let Stanza build its (unused) Adam optimizers without importing torch's compiler.

    Stanza's trainers create an optimizer even when they only load a model for
    tagging, and torch's ``Optimizer.add_param_group`` imports ``torch._dynamo``
    on its first call (to exclude itself from ``torch.compile``): 1.7-2.2 s of
    every start-up, a third of a one-article run, for a compiler berita never
    uses.  torch caches the excluded function on the original as
    ``__dynamo_disable``; handing it the original while the models load skips
    the import, and removing it afterwards leaves a later ``torch.compile`` in
    the same process as torch made it.  There is no public switch for this.
    """
    import torch

    original = getattr(torch.optim.Optimizer.add_param_group, "__wrapped__", None)
    if original is None or "torch._dynamo" in sys.modules or hasattr(original, "__dynamo_disable"):
        yield
        return
    original.__dynamo_disable = original
    try:
        yield
    finally:
        del original.__dynamo_disable


@contextmanager
def _shipped_models_unpickled_natively(model_dir: Path) -> Iterator[None]:
    """Let torch read the models shipped inside this package with its C unpickler.

    Stanza loads every model with ``torch.load(..., weights_only=True)``, whose
    unpickler is written in Python to vet each object of a file that might be
    malicious: 0.3 s of every start-up (the NER's vocabulary alone 0.21 s,
    0.03 s with the C unpickler).  The files inside the installed package are
    as trusted as its code, so while their directory's models load, torch reads
    those files (and only those) without the vetting; a model directory a
    user passes keeps it.  Stanza has no option for this.
    """
    import torch

    shipped = default_model_dir().resolve()
    if model_dir.resolve() != shipped:
        yield
        return
    load = torch.load

    def native_load(f, *args, **kwargs):
        if isinstance(f, (str, os.PathLike)) and Path(f).resolve().is_relative_to(shipped):
            kwargs["weights_only"] = False
        return load(f, *args, **kwargs)

    torch.load = native_load
    try:
        yield
    finally:
        torch.load = load


@lru_cache(maxsize=4)
def load_pipeline(processors: tuple[str, ...] = DEFAULT_PROCESSORS, model_dir: str | None = None,
                  device: str = "cpu"):
    """The process-wide pipeline for these processors on this device: models are loaded once.

    It is :func:`product_pipeline` with the lemmatizer's shipped cache of its
    answers on news loaded (``lemma_cache``: the same lemmas, fewer questions
    to its seq2seq model).
    """
    from pipeline import lemma_cache

    pipeline = product_pipeline(processors, model_dir, device)
    if "lemma" in pipeline.processors and not pipeline.processors["lemma"].use_identity:
        lemma_model = model_file(Path(model_dir) if model_dir else default_model_dir(), "lemma")
        lemma_cache.load_into(pipeline.processors["lemma"], lemma_model)
    return pipeline


def product_pipeline(processors: tuple[str, ...] = DEFAULT_PROCESSORS, model_dir: str | None = None,
                     device: str = "cpu"):
    """A new pipeline set up as the product runs it (without the lemma cache, which it helps build).

    On CPU the tagger and the NER's character model run in int8 (``INT8_ON_CPU``).

    The lemmatizer keeps each lemma its seq2seq model predicts in its
    dictionary (Stanza's ``store_results``): the model reads only the word and
    its tag, so a word met again gets the same lemma from the dictionary without
    running the model (news repeats its names; 19% of the lemmatizer's time on
    80 articles, same lemmas).  The dictionary lives as long as the process,
    which a worker's bounded lifetime (``--worker-batches``) bounds.
    """
    logging.getLogger("stanza").setLevel(logging.WARNING)
    pipeline = build_pipeline(processors, Path(model_dir) if model_dir else None, device, lemma_store_results=True)
    if resolve_device(device) == "cpu":
        for name, part in INT8_ON_CPU.items():
            if name in pipeline.processors:
                quantize(pipeline.processors[name], part)
    return pipeline


def trainers(processor) -> list:
    """The trainers holding a Stanza processor's models (the NER has a list, the others one); none for no processor."""
    if processor is None:
        return []
    return getattr(processor, "trainers", None) or [processor.trainer]


def quantize(processor, part: str = "") -> None:
    """Give a processor's models (or their submodule ``part``) int8 LSTM and Linear layers (weights quantised once, here).

    torch marks its dynamic quantisation deprecated (for torchao); its warnings say
    nothing a berita user can act on, so they are silenced.
    """
    import warnings

    import torch
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for trainer in trainers(processor):
            model = trainer.model.get_submodule(part)
            quantize_dynamic(model, {torch.nn.LSTM, torch.nn.Linear}, dtype=torch.qint8, inplace=True)


# ------------------------------------------------------------ Stanza -> spaCy


def register_extensions() -> None:
    """Span attributes the conversion sets (idempotent)."""
    from spacy.tokens import Span

    if not Span.has_extension("source"):
        Span.set_extension("source", default="stanza")


def _representative(words) -> int:
    """Index of the word that speaks for a multi-word token kept whole: the one
    whose head lies outside the token (else the first)."""
    ids = {w.id for w in words}
    for i, word in enumerate(words):
        if word.head not in ids:
            return i
    return 0


def _pieces(token, text: str) -> list[tuple[int, int, object]]:
    """(start, end, word) for the spaCy tokens of one Stanza token.

    A multi-word token is split into its words when they spell it exactly
    (Indonesian clitics: ``bukunya`` = ``buku`` + ``nya``), so offsets stay
    exact; otherwise it stays one token carrying its main word's annotation.
    This is the case spacy-stanza gets wrong (its issue #70).
    """
    start, end = token.start_char, token.end_char
    words = token.words
    surface = text[start:end]
    if len(words) > 1 and "".join(w.text for w in words).lower() == surface.lower():
        pieces, pos = [], start
        for word in words:
            pieces.append((pos, pos + len(word.text), word))
            pos += len(word.text)
        return pieces
    return [(start, end, words[_representative(words)] if len(words) > 1 else words[0])]


def to_spacy(sdoc, text: str, vocab):
    """A spaCy ``Doc`` with ``doc.text == text`` from a Stanza document.

    Words, spaces, sentence starts, UPOS, lemmas, features, heads/deps (when
    the parser ran) and entities are carried over; whitespace that is not a
    single space becomes whitespace tokens, as spaCy's own tokenizer does.
    Without a parse, a line break also starts a sentence (with one, the
    parser's trees define the sentences).
    """
    from spacy.tokens import Doc

    register_extensions()
    words, spaces, pos, lemmas, morphs, starts, word_of = [], [], [], [], [], [], []
    word_index: dict[tuple[int, int], int] = {}
    parsed = any(w.deprel for s in sdoc.sentences for w in s.words)
    cursor = 0

    def add(start: int, end: int, word=None, sent_start: bool = False) -> None:
        nonlocal cursor
        gap = text[cursor:start]
        if gap:
            if gap[0] == " " and words and not spaces[-1]:
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                add_raw(gap)
        words.append(text[start:end])
        spaces.append(False)
        pos.append(word.upos if word is not None and word.upos else ("SPACE" if not text[start:end].strip() else "X"))
        lemmas.append(word.lemma if word is not None and word.lemma else text[start:end])
        morphs.append(word.feats if word is not None and word.feats else "")
        # A line break also ends a sentence: headings and credit lines carry no
        # final punctuation, and Stanza reads a single newline as a space.
        starts.append(sent_start or "\n" in gap)
        word_of.append(word)
        cursor = end

    def add_raw(chunk: str) -> None:
        words.append(chunk)
        spaces.append(False)
        pos.append("SPACE" if not chunk.strip() else "X")
        lemmas.append(chunk)
        morphs.append("")
        starts.append(False if words[:-1] else True)
        word_of.append(None)

    for s_index, sentence in enumerate(sdoc.sentences):
        first = True
        for token in sentence.tokens:
            pieces = _pieces(token, text)
            for start, end, word in pieces:
                add(start, end, word, sent_start=first)
                word_index[(s_index, word.id)] = len(words) - 1
                first = False
            if len(pieces) == 1:
                for word in token.words:
                    word_index[(s_index, word.id)] = len(words) - 1
    if cursor < len(text):
        add_raw(text[cursor:])
    starts[0] = True
    doc = Doc(vocab, words=words, spaces=spaces, pos=pos, lemmas=lemmas, morphs=morphs,
              **_parse_or_sentences(sdoc, word_of, starts, word_index, parsed))
    doc.ents = _entities(doc, sdoc, text)
    return doc


def _parse_or_sentences(sdoc, word_of, starts, word_index, parsed) -> dict:
    """Heads/deps when the parser ran (they define the sentences), else sentence starts."""
    if not parsed:
        return {"sent_starts": starts}
    sent_of = {}
    for s_index, sentence in enumerate(sdoc.sentences):
        for word in sentence.words:
            sent_of[id(word)] = s_index
    heads, deps = [], []
    previous = 0
    for i, word in enumerate(word_of):
        if word is None:
            heads.append(previous if i else i)
            deps.append("dep" if i else "ROOT")
            continue
        s_index = sent_of[id(word)]
        head = word_index.get((s_index, word.head)) if word.head else None
        heads.append(i if head is None or head == i else head)
        deps.append("ROOT" if head is None or head == i else word.deprel)
        previous = i
    return {"heads": heads, "deps": deps}


def _entities(doc, sdoc, text: str) -> list:
    """Stanza's entities as spaCy spans; a span that does not align is expanded.

    Stanza reads a single newline as a space, so it can run an entity across a
    line break (``KTT.`` + ``Indonesia``); such an entity is not a name and is
    left out (a known name in it is still found by the gazetteer).  ``text`` is
    ``doc.text``, which spaCy rebuilds from the tokens on every access.
    """
    spans = []
    for ent in sdoc.ents:
        if "\n" in text[ent.start_char:ent.end_char]:
            continue
        span = doc.char_span(ent.start_char, ent.end_char, label=ent.type, alignment_mode="strict") \
            or doc.char_span(ent.start_char, ent.end_char, label=ent.type, alignment_mode="expand")
        if span is not None and not any(span.start < s.end and s.start < span.end for s in spans):
            spans.append(span)
    return spans
