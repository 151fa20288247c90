"""Annotation of documents: clean -> Stanza -> spaCy Doc -> rules -> records.

:func:`prepare` cleans one document and finds its reference date;
:func:`annotate_batch` tags a batch with Stanza at once (models loaded once
per process), converts each result to a spaCy ``Doc`` that the rule
components annotate, and turns it into rows.  A document that fails at any
step is reported with a one-line error and the batch goes on.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language

from pipeline import context, dates, memberships  # noqa: F401  (registers the components)
from pipeline.rules import (  # noqa: F401  (registers the components)
    gazetteer, glued_names, outlets, person_mentions, place_names, state_bodies, titled_names)
from pipeline import nlp, tokenizer
from pipeline.clean import MAX_CHARS, CleaningError, clean_text, remove_controls
from pipeline.export import DocumentRecords, doc_records, failed_records
from pipeline.ingest import RawDocument

log = logging.getLogger("berita")
RULES = ("berita_gazetteer", "berita_outlets", "berita_state_bodies", "berita_titled_names", "berita_place_names",
         "berita_glued_names", "berita_person_mentions", "berita_dates", "berita_triggers", "berita_context",
         "berita_memberships")


@lru_cache(maxsize=1)
def rules_pipeline() -> Language:
    """A blank Indonesian spaCy pipeline with berita's rule components.

    Its tokenizer adds spaCy's tokenizer exceptions only as texts need them
    (:mod:`pipeline.tokenizer`): building them all was most of the start-up.
    """
    rules = tokenizer.blank("id")
    for name in RULES:
        rules.add_pipe(name)
    return rules


@dataclass
class Settings:
    processors: tuple[str, ...] = nlp.DEFAULT_PROCESSORS
    batch_size: int = 16
    max_chars: int = MAX_CHARS
    model_dir: str | None = None
    threads: int | None = None
    """Torch threads per worker; None: the cores shared out among the workers."""
    device: str = "cpu"
    """``cpu`` or ``cuda`` (:func:`pipeline.nlp.resolve_device` turns ``--device auto`` into one)."""
    worker_batches: int | None = 40
    """Batches a worker process annotates before a fresh one replaces it; None: never.

    A long-lived worker's memory creeps up (allocator fragmentation, the largest
    batches met so far); replacing it after a bounded amount of work keeps a
    run's peak memory independent of the corpus size, at the cost of reloading
    the models (about 2 s, 1% of the time at the default) once per ``worker_batches``
    batches.
    """


@dataclass
class Prepared:
    """A cleaned document waiting for Stanza."""

    document: dict
    text: str
    published: object


def _document_row(raw: RawDocument) -> dict:
    return {"doc_id": raw.doc_id, "source": raw.source, "title": remove_controls(raw.title), "published": "",
            "url": remove_controls(raw.url), "published_from": ""}


def prepare(raw: RawDocument, settings: Settings) -> Prepared | DocumentRecords:
    """Clean one document and find its reference date; a failure becomes its error row."""
    document = _document_row(raw)
    if raw.error:
        return failed_records(document, raw.error)
    try:
        text = clean_text(raw.text or "", settings.max_chars)
    except CleaningError as err:
        return failed_records(document, str(err))
    published = dates.parse_published(raw.published)
    if published is not None:
        document.update(published=published.isoformat(), published_from="metadata")
    elif raw.published:
        return failed_records(document, f"published is not an ISO date: {raw.published!r}")
    else:
        found = dates.dateline(text)
        if found:
            published = dates.parse_published(found)
            document.update(published=found, published_from="dateline")
    return Prepared(document, text, published)


def annotate_batch(batch: list[Prepared], settings: Settings) -> list[DocumentRecords]:
    """Stanza on the whole batch, then conversion and rules per document."""
    import stanza

    tagger = nlp.load_pipeline(settings.processors, settings.model_dir, settings.device)
    try:
        tagged = tagger([stanza.Document([], text=p.text) for p in batch])
    except Exception as err:  # one bad document must not lose the batch: retry one by one
        if len(batch) == 1:
            return [failed_records(batch[0].document, f"stanza failed: {_one_line(err)}")]
        return [r for p in batch for r in annotate_batch([p], settings)]
    return [_annotate_one(p, sdoc) for p, sdoc in zip(batch, tagged)]


def _annotate_one(prepared: Prepared, sdoc) -> DocumentRecords:
    try:
        doc = nlp.to_spacy(sdoc, prepared.text, rules_pipeline().vocab)
        doc._.published = prepared.published
        doc = rules_pipeline()(doc)
        return doc_records(doc, prepared.document)
    except Exception as err:  # report the document, keep the batch
        log.debug("annotating %s failed", prepared.document["doc_id"], exc_info=True)  # the row says why
        return failed_records(prepared.document, f"annotation failed: {_one_line(err)}")


def _one_line(err: Exception) -> str:
    lines = str(err).strip().splitlines()
    return f"{type(err).__name__}: {lines[0] if lines else ''}".rstrip(": ")
