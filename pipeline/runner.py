"""A whole `berita annotate` run: streaming, parallel, resumable.

Inputs are read lazily and cleaned in the main process; batches of documents
go to an executor (in process, a pool of worker processes, or a Dask cluster)
whose workers load the models once; each finished document becomes a part in
the :class:`~pipeline.store.PartStore`; at the end the CSVs are assembled from
the parts in ``doc_id`` order.  A bounded number of batches is in flight, so
memory does not grow with the corpus.
"""
from __future__ import annotations

import os
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Callable, Iterable

from pipeline.annotate import Prepared, Settings, annotate_batch, prepare
from pipeline.export import DocumentRecords, write_tables
from pipeline.ingest import RawDocument
from pipeline.review import reconcile
from pipeline.store import PartStore, fingerprint, part_key, pipeline_version

Job = tuple[str, str, Prepared]
Done = tuple[str, str, DocumentRecords]


def threads_per_worker(workers: int, wanted: int | None = None) -> int:
    """Torch/BLAS threads for each of ``workers`` processes, so cores are not oversubscribed."""
    return wanted or max(1, (os.cpu_count() or 1) // max(1, workers))


def init_worker(settings: Settings, threads: int) -> None:
    """Load the models once in this process, with its share of the cores."""
    import torch

    from pipeline import nlp
    from pipeline.annotate import rules_pipeline

    torch.set_num_threads(threads)
    nlp.load_pipeline(settings.processors, settings.model_dir)
    rules_pipeline()


def process(jobs: list[Job], settings: Settings) -> list[Done]:
    """Annotate one batch (runs in a worker)."""
    records = annotate_batch([p for _, _, p in jobs], settings)
    return [(key, fp, r) for (key, fp, _), r in zip(jobs, records)]


class InlineExecutor:
    """Everything in this process."""

    def __init__(self, settings: Settings):
        self.settings = settings
        init_worker(settings, threads_per_worker(1, settings.threads))

    def submit(self, jobs: list[Job]) -> list[list[Done]]:
        return [process(jobs, self.settings)]

    def drain(self) -> list[list[Done]]:
        return []

    def close(self) -> None:
        """Nothing to release."""


class _WindowExecutor:
    """Keeps at most ``window`` batches in flight; subclasses say how to start one."""

    def __init__(self, window: int):
        self.window = window
        self.pending: deque = deque()

    def _start(self, jobs: list[Job]):
        raise NotImplementedError

    @staticmethod
    def _result(handle) -> list[Done]:
        raise NotImplementedError

    def submit(self, jobs: list[Job]) -> list[list[Done]]:
        self.pending.append(self._start(jobs))
        finished = []
        while len(self.pending) > self.window:
            finished.append(self._result(self.pending.popleft()))
        return finished

    def drain(self) -> list[list[Done]]:
        finished = [self._result(h) for h in self.pending]
        self.pending.clear()
        return finished


class PoolExecutor(_WindowExecutor):
    """``--workers N``: N processes on this machine, each with its own models."""

    def __init__(self, settings: Settings, workers: int):
        import multiprocessing

        super().__init__(window=2 * workers)
        self.settings = settings
        threads = threads_per_worker(workers, settings.threads)
        os.environ.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
        # A fork server that has imported torch, Stanza and spaCy once starts
        # every worker with them already imported (and without a parent's threads).
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["torch", "stanza", "pipeline.annotate"])
        self.pool = context.Pool(workers, init_worker, (settings, threads),
                                 maxtasksperchild=settings.worker_batches)

    def _start(self, jobs):
        return self.pool.apply_async(process, (jobs, self.settings))

    @staticmethod
    def _result(handle):
        return handle.get()

    def close(self) -> None:
        self.pool.close()
        self.pool.join()


class DaskExecutor(_WindowExecutor):
    """``--dask local`` or ``--scheduler tcp://host:8786``: a Dask distributed cluster."""

    def __init__(self, settings: Settings, workers: int, scheduler: str):
        from dask.distributed import Client, LocalCluster

        self.cluster = None
        if scheduler == "local":
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            self.client = Client(scheduler)
        super().__init__(window=2 * max(1, len(self.client.scheduler_info()["workers"])))
        self.settings = settings
        from pipeline.dask_plugin import ModelPlugin

        self.client.register_plugin(ModelPlugin(settings))

    def _start(self, jobs):
        return self.client.submit(process, jobs, self.settings, pure=False)

    @staticmethod
    def _result(handle):
        return handle.result()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(settings: Settings, workers: int, scheduler: str | None):
    if scheduler:
        return DaskExecutor(settings, workers, scheduler)
    if workers > 1:
        return PoolExecutor(settings, workers)
    return InlineExecutor(settings)


@dataclass
class RunSummary:
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    tokens: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    reviews_kept: int = 0
    reviews_orphaned: list[str] = field(default_factory=list)


def run(raws: Iterable[RawDocument], out, settings: Settings, workers: int = 1, scheduler: str | None = None,
        force: bool = False, on_progress: Callable[[RunSummary], None] | None = None,
        parquet: bool = False) -> RunSummary:
    """Annotate every document into ``out``; finished documents of an earlier run are kept."""
    store = PartStore(out)
    version = pipeline_version(settings.processors, settings.model_dir)
    summary = RunSummary()
    keys: list[tuple[str, int, str]] = []
    seen: Counter[str] = Counter()
    executor = None
    batch: list[Job] = []

    def save(finished: list[list[Done]]) -> None:
        for done in finished:
            for key, fp, records in done:
                store.save(key, fp, records)
                _count(summary, records)
        if finished and on_progress:
            on_progress(summary)

    try:
        for raw in raws:
            ordinal = seen[raw.doc_id]
            seen[raw.doc_id] += 1
            if ordinal and not raw.error:
                raw.error = f"duplicate doc_id {raw.doc_id!r} (already read earlier in this run)"
            key, fp = part_key(raw.doc_id, ordinal), fingerprint(raw, version)
            keys.append((raw.doc_id, ordinal, key))
            if not force and store.done(key, fp):
                summary.skipped += 1
                continue
            item = prepare(raw, settings)
            if isinstance(item, DocumentRecords):
                save([[(key, fp, item)]])
                continue
            batch.append((key, fp, item))
            if len(batch) >= settings.batch_size:
                executor = executor or make_executor(settings, workers, scheduler)
                save(executor.submit(batch))
                batch = []
        if batch:
            executor = executor or make_executor(settings, workers, scheduler)
            save(executor.submit(batch))
        if executor:
            save(executor.drain())
    finally:
        if executor:
            executor.close()
    keys.sort()
    summary.counts = write_tables(_tally(store.load_all(k for _, _, k in keys), summary.statuses), out,
                                  parquet=parquet)
    summary.reviews_kept, summary.reviews_orphaned = reconcile(out)
    return summary


def _tally(records: Iterable[DocumentRecords], statuses: Counter) -> Iterable[DocumentRecords]:
    """Count final statuses (resumed documents included) while the tables are written."""
    for item in records:
        statuses[item.document["status"]] += 1
        yield item


def _count(summary: RunSummary, records: DocumentRecords) -> None:
    if records.document["status"] == "ok":
        summary.ok += 1
        summary.tokens += records.document["n_tokens"]
    else:
        summary.failed += 1
