"""The lemmatizer's own answers for words of real news, worked out once when the models are trained.

Stanza's lemmatizer looks a (word, tag) pair up in the dictionary it learnt
from the treebanks and asks its seq2seq model only about pairs missing there;
berita keeps each answer for the rest of the process (``lemma_store_results``).
That model is a tenth of the pipeline's time on news, and most of what it is
asked on one article it was already asked on others (80% of its questions on
150 IndoSum articles recur in 1,810 other ones).  So ``berita train lemma-cache``
runs the shipped pipeline over unlabelled news, records every answer the model
gives there, and ships them beside the lemmatizer; the product loads them into
the lemmatizer's dictionary as if it had met those words already in this
process.  The lemmas are the ones the model gives (the model reads the word
and its tag only), so the output is the same with or without the cache.

The cache names the lemmatizer it was made with (the SHA-256 of its file):
after the lemmatizer is retrained, a stale cache is ignored and a warning
says to rebuild it.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import logging
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.io.atomic import atomic_path

FILE_NAME = "news_lemmas.json.gz"

log = logging.getLogger(__name__)

Triple = tuple[str, str, str]
"""A word, its universal tag and the lemma the seq2seq model gives it."""


def cache_file(lemma_model: Path) -> Path:
    """Where the cache of the lemmatizer in ``lemma_model`` lives: beside it."""
    return Path(lemma_model).with_name(FILE_NAME)


def fingerprint(lemma_model: Path) -> str:
    """SHA-256 of the lemmatizer's file: the cache is valid for this model only."""
    return hashlib.sha256(Path(lemma_model).read_bytes()).hexdigest()


def news_texts(path: Path, skip: int, limit: int | None) -> Iterator[str]:
    """Article texts of a berita JSONL file, after the first ``skip`` (left to the benchmarks)."""
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number < skip:
                continue
            if limit is not None and number >= skip + limit:
                return
            yield json.loads(line)["text"]


def predicted(pipeline, texts: Iterable[str], batch: int = 16) -> list[Triple]:
    """Every (word, tag, lemma) the pipeline's lemmatizer learns from its model while tagging ``texts``.

    The pipeline must keep its lemmatizer's results (``lemma_store_results``):
    what it stores is exactly what the cache is to hold.
    """
    import stanza

    trainer = pipeline.processors["lemma"].trainer
    learnt: dict[tuple[str, str], str] = {}
    store = trainer.train_dict

    def recording(triples, update_word_dict=True):
        for word, tag, lemma in triples:
            learnt.setdefault((word, tag), lemma)
        return store(triples, update_word_dict=update_word_dict)

    trainer.train_dict = recording
    try:
        texts = list(texts)
        for start in range(0, len(texts), batch):
            pipeline([stanza.Document([], text=text) for text in texts[start:start + batch]])
    finally:
        del trainer.train_dict
    return sorted((word, tag, lemma) for (word, tag), lemma in learnt.items())


def write(path: Path, triples: list[Triple], lemma_model: Path) -> None:
    """Save the triples with the lemmatizer's fingerprint (gzip JSON: it loads in a few milliseconds) atomically."""
    content = {"lemmatizer_sha256": fingerprint(lemma_model), "lemmas": triples}
    with atomic_path(path) as tmp:
        tmp.write_bytes(gzip.compress(json.dumps(content, ensure_ascii=False).encode("utf-8"), mtime=0))


def read(path: Path) -> tuple[str, list[Triple]]:
    """The fingerprint a cache was made for and its triples."""
    try:
        content = json.loads(gzip.decompress(Path(path).read_bytes()))
        return content["lemmatizer_sha256"], [tuple(triple) for triple in content["lemmas"]]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ValueError(f"{path}: not a lemma cache ({err})") from None


def load_into(processor, lemma_model: Path) -> int:
    """Give the lemmatizer processor the cached answers of its model; how many (0 if none or stale)."""
    path = cache_file(lemma_model)
    if not path.exists():
        return 0
    made_for, triples = read(path)
    if made_for != fingerprint(lemma_model):
        log.warning("%s was made for another lemmatizer and is ignored; rebuild it with "
                    "`berita train lemma-cache`", path)
        return 0
    processor.trainer.train_dict(triples, update_word_dict=False)
    return len(triples)
