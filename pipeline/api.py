"""berita from Python, in spaCy's manner.

:func:`load` gives a callable that turns a text into a spaCy ``Doc`` (entities,
``doc._.dates``, ``doc._.claims``); :func:`annotate` gives the four tables of
the record contract as DataFrames.  Both run the functions `berita annotate`
runs: documents are cleaned and dated by :func:`pipeline.annotate.prepare`,
and :func:`annotate` goes through the command's own runner and reads its
output with :func:`pipeline.records.read_records`, so the records are the
command's to the byte.
"""
from __future__ import annotations

import tempfile
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd
from spacy.tokens import Doc

from pipeline import nlp
from pipeline.annotate import Prepared, Settings, prepare, rules_pipeline
from pipeline.ingest import RawDocument, _from_record
from pipeline.records import Records, read_records
from pipeline.run.runner import run, worker_pool

SOURCE = "<python>"
"""The ``source`` column of documents given as Python objects rather than files."""


class Berita:
    """The loaded pipeline: berita's Stanza models and its spaCy rule components.

    Call it on a text for a ``Doc``; :meth:`pipe` streams many.  ``doc.text`` is
    the cleaned text (boilerplate lines removed, as in ``texts/`` of an output
    folder), so offsets agree with the CSVs.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.tagger = nlp.load_pipeline(settings.processors, settings.model_dir, settings.device)
        self.rules = rules_pipeline()

    def __call__(self, text: str) -> Doc:
        """One annotated ``Doc``; a text that cannot be annotated (empty, too long) raises ValueError."""
        return next(self.pipe([text]))

    def pipe(self, texts: Iterable[str], batch_size: int = 16, n_process: int = 1) -> Iterator[Doc]:
        """``Doc``s in the order of ``texts``, tagged ``batch_size`` at a time.

        With ``n_process`` > 1, Stanza runs in that many worker processes (forked
        with the models loaded, as ``--workers``); the rules run here, because a ``Doc``'s claims
        hold spans that cannot travel between processes.
        """
        batches = _batches((self._prepared(text) for text in texts), batch_size)
        if n_process == 1:
            for batch in batches:
                yield from self._docs(batch, self.tagger(_stanza_documents(batch)))
            return
        settings = self.settings
        with worker_pool(settings, n_process) as pool:
            while wave := list(islice(batches, 2 * n_process)):  # a bounded number of batches in flight
                for batch, tagged in zip(wave, pool.starmap(_tag, [([p.text for p in b], settings) for b in wave])):
                    yield from self._docs(batch, _from_serialized(tagged))

    def _prepared(self, text: str) -> Prepared:
        item = prepare(RawDocument(doc_id="text", source=SOURCE, text=text), self.settings)
        if not isinstance(item, Prepared):
            raise ValueError(item.document["error"])
        return item

    def _docs(self, batch: list[Prepared], tagged: list) -> Iterator[Doc]:
        """Stanza's documents of a batch as spaCy ``Doc``s annotated by the rules."""
        for prepared, sdoc in zip(batch, tagged):
            doc = nlp.to_spacy(sdoc, prepared.text, self.rules.vocab)
            doc._.published = prepared.published
            yield self.rules(doc)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


def _stanza_documents(batch: list[Prepared]) -> list:
    import stanza

    return [stanza.Document([], text=p.text) for p in batch]


def _tag(texts: list[str], settings: Settings) -> list[bytes]:
    """Stanza on one batch in a worker process, serialised for the way back."""
    import stanza

    tagger = nlp.load_pipeline(settings.processors, settings.model_dir, settings.device)
    return [d.to_serialized() for d in tagger([stanza.Document([], text=t) for t in texts])]


def _from_serialized(blobs: list[bytes]) -> list:
    import stanza

    return [stanza.Document.from_serialized(blob) for blob in blobs]


def settings(processors: str | Iterable[str] = nlp.DEFAULT_PROCESSORS, batch_size: int = 16,
             device: str = "auto", models: str | Path | None = None) -> Settings:
    """The run's settings from the command line's options, checked as the command checks them."""
    return Settings(nlp.parse_processors(processors), batch_size, model_dir=str(models) if models else None,
                    device=nlp.resolve_device(device))


def load(processors: str | Iterable[str] = nlp.DEFAULT_PROCESSORS, device: str = "auto",
         models: str | Path | None = None) -> Berita:
    """The pipeline, models loaded once per process (``--processors``, ``--device``, ``--models``)."""
    return Berita(settings(processors, device=device, models=models))


def annotate(data: Iterable[str] | pd.DataFrame, workers: int = 1, **options) -> Records:
    """The four tables for texts, or for a DataFrame with the input columns (``id``, ``text``, optional
    ``title``, ``url``, ``published``); ``options`` as for :func:`settings`.

    Plain texts get the ids ``doc1``, ``doc2``, ... (zero-padded, so the
    tables, sorted by ``doc_id``, keep the order of the texts).  A document
    that cannot be annotated is a row with ``status`` ``error``, as in the
    command's output.
    """
    with tempfile.TemporaryDirectory(prefix="berita-") as out:
        run(_raw_documents(data), Path(out), settings(**options), workers)
        return read_records(out)


def _raw_documents(data: Iterable[str] | pd.DataFrame) -> Iterator[RawDocument]:
    if isinstance(data, pd.DataFrame):
        rows = data.astype(object).where(data.notna(), None).to_dict("records")  # NaN is no value, not "nan"
        for number, row in enumerate(rows, start=1):
            yield _from_record(row, SOURCE, f"row {number}", number)
        return
    texts = list(data)
    width = len(str(len(texts)))
    for number, text in enumerate(texts, start=1):
        yield _from_record({"id": f"doc{number:0{width}d}", "text": text}, SOURCE, f"text {number}", number)
