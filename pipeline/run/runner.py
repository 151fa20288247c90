"""A whole `berita annotate` run: streaming, parallel, resumable.

Inputs are read lazily and cleaned in the main process; batches of documents
go to an executor (in process, a pool of worker processes, or a Dask cluster)
whose workers load the models once; each finished document becomes a part in
the :class:`~pipeline.store.PartStore`; at the end the CSVs are assembled from
the parts in ``doc_id`` order.  A bounded number of batches is in flight, so
memory does not grow with the corpus.  Ctrl-C stops the run cleanly: no more
work is handed out, the workers are stopped, every finished document stays
saved and :class:`Interrupted` says how many, so the same command resumes.
"""
from __future__ import annotations

import gc
import logging
import os
import signal
from collections import Counter, deque
from dataclasses import dataclass, field
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

from pipeline.annotate import Prepared, Settings, annotate_batch, prepare
from pipeline.export import DocumentRecords, write_tables
from pipeline.ingest import RawDocument
from pipeline.review import reconcile
from pipeline.run import preload
from pipeline.review.facts import write_facts
from pipeline.store import PartStore, fingerprint, part_key, pipeline_version

Job = tuple[str, str, Prepared]
Done = tuple[str, str, DocumentRecords]
log = logging.getLogger("berita")


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped the run; ``done`` documents are saved and a re-run resumes after them."""

    def __init__(self, done: int):
        super().__init__(f"interrupted: {done} done, resume with the same command")
        self.done = done


def threads_per_worker(workers: int, wanted: int | None = None) -> int:
    """Torch/BLAS threads for each of ``workers`` processes, so cores are not oversubscribed."""
    return wanted or max(1, (os.cpu_count() or 1) // max(1, workers))


def init_worker(settings: Settings, threads: int, own_process: bool = False) -> None:
    """Load the models once in this process, with its share of the cores.

    In a process that is berita's alone (``own_process``: a pool worker, the
    command line's) everything loaded is then frozen out of the garbage
    collector: the models are millions of objects that live until the process
    ends, and every full collection walked them all again (a tenth of a run
    on news), as did the collections at exit (0.9 s).  A caller's process
    (the Python API, a Dask worker) keeps its collector as it is.
    """
    import torch

    from pipeline import nlp
    from pipeline.annotate import rules_pipeline

    torch.set_num_threads(threads)
    nlp.load_pipeline(settings.processors, settings.model_dir, settings.device)
    rules_pipeline()
    if own_process:
        gc.freeze()


def init_pool_worker(settings: Settings, threads: int) -> None:
    """:func:`init_worker` in a pool process, which leaves Ctrl-C to the main process.

    A terminal sends SIGINT to the whole process group; a worker that died of
    it would take its batch with it and leave the pool waiting for it forever.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    init_worker(settings, threads, own_process=True)


def process(jobs: list[Job], settings: Settings) -> list[Done]:
    """Annotate one batch (runs in a worker)."""
    records = annotate_batch([p for _, _, p in jobs], settings)
    return [(key, fp, r) for (key, fp, _), r in zip(jobs, records)]


class InlineExecutor:
    """Everything in this process."""

    def __init__(self, settings: Settings, own_process: bool = False):
        self.settings = settings
        init_worker(settings, threads_per_worker(1, settings.threads), own_process)

    def submit(self, jobs: list[Job]) -> list[list[Done]]:
        return [process(jobs, self.settings)]

    def drain(self) -> list[list[Done]]:
        return []

    def abort(self) -> list[list[Done]]:
        """Nothing runs in the background."""
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

    @staticmethod
    def _finished(handle) -> bool:
        """Whether the batch is done and succeeded (its result can be taken without waiting)."""
        raise NotImplementedError

    def _stop(self) -> None:
        """Stop every worker now, dropping the batches they are on."""
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

    def abort(self) -> list[list[Done]]:
        """The batches already finished; the rest are dropped and the workers stopped."""
        finished = [self._result(h) for h in self.pending if self._finished(h)]
        self.pending.clear()
        self._stop()
        return finished


def worker_pool(settings: Settings, workers: int, max_batches: int | None = None):
    """``workers`` processes with the models loaded, each replaced after ``max_batches`` tasks (None: never).

    A fork server that has imported torch, Stanza and spaCy and loaded the
    models once starts every worker with them (and without a parent's
    threads); the workers share the models' memory copy-on-write.
    """
    import multiprocessing

    threads = threads_per_worker(workers, settings.threads)
    model_dir = str(settings.model_dir) if settings.model_dir else None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["torch", "pipeline.annotate", "pipeline.run.preload"])
    with _environment(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads),
                      **{preload.ENV: preload.describe(settings.processors, model_dir, settings.device)}):
        return context.Pool(workers, init_pool_worker, (settings, threads), maxtasksperchild=max_batches)


class PoolExecutor(_WindowExecutor):
    """``--workers N``: N processes on this machine, each with its own models."""

    def __init__(self, settings: Settings, workers: int):
        super().__init__(window=2 * workers)
        self.settings = settings
        self.pool = worker_pool(settings, workers, settings.worker_batches)

    def _start(self, jobs):
        return self.pool.apply_async(process, (jobs, self.settings))

    @staticmethod
    def _result(handle):
        return handle.get()

    @staticmethod
    def _finished(handle) -> bool:
        return handle.ready() and handle.successful()

    def _stop(self) -> None:
        self.pool.terminate()

    def close(self) -> None:
        self.pool.close()
        self.pool.join()


class DaskExecutor(_WindowExecutor):
    """``--dask local`` or ``--scheduler tcp://host:8786``: a Dask distributed cluster."""

    def __init__(self, settings: Settings, workers: int, scheduler: str):
        from dask.distributed import Client, LocalCluster

        self.cluster = None
        if scheduler == "local":
            with _sigint_ignored():  # inherited by the worker processes: Ctrl-C is the main process's to handle
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            self.client = Client(scheduler)
        super().__init__(window=2 * max(1, len(self.client.scheduler_info()["workers"])))
        self.settings = settings
        from pipeline.run.dask_plugin import ModelPlugin

        self.client.register_plugin(ModelPlugin(settings))

    def _start(self, jobs):
        return self.client.submit(process, jobs, self.settings, pure=False)

    @staticmethod
    def _result(handle):
        return handle.result()

    @staticmethod
    def _finished(handle) -> bool:
        return handle.status == "finished"

    def _stop(self) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(settings: Settings, workers: int, scheduler: str | None, own_process: bool = False):
    if scheduler:
        return DaskExecutor(settings, workers, scheduler)
    if workers > 1:
        return PoolExecutor(settings, workers)
    return InlineExecutor(settings, own_process)


@dataclass
class RunSummary:
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    tokens: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    failed_ids: list[str] = field(default_factory=list)
    reviews_kept: int = 0
    reviews_orphaned: list[str] = field(default_factory=list)


def run(raws: Iterable[RawDocument], out, settings: Settings, workers: int = 1, scheduler: str | None = None,
        force: bool = False, on_progress: Callable[[RunSummary], None] | None = None,
        parquet: bool = False, own_process: bool = False) -> RunSummary:
    """Annotate every document into ``out``; finished documents of an earlier run are kept.

    The caller holds the lock of ``out`` (:func:`pipeline.io.lock.exclusive`);
    ``own_process`` says this process is berita's alone (see :func:`init_worker`).
    Raises :class:`Interrupted` on Ctrl-C, after saving what was finished.
    """
    store = PartStore(out)
    version = pipeline_version(settings.processors, settings.model_dir)
    summary = RunSummary()
    order: list[tuple[str, int, str, str]] = []  # doc_id, ordinal, part key, source
    seen: dict[str, tuple[int, str]] = {}  # doc_id: how often read, where first
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
            ordinal, first = seen.get(raw.doc_id, (0, raw.location))
            seen[raw.doc_id] = (ordinal + 1, first)
            if ordinal and not raw.error:
                raw.error = f"duplicate doc_id {raw.doc_id!r} at {raw.location} (first read at {first})"
            key, fp = part_key(raw.doc_id, ordinal), fingerprint(raw, version)
            order.append((raw.doc_id, ordinal, key, raw.source))
            if not force and store.done(key, fp):
                summary.skipped += 1
                continue
            item = prepare(raw, settings)
            if isinstance(item, DocumentRecords):
                save([[(key, fp, item)]])
                continue
            batch.append((key, fp, item))
            if len(batch) >= settings.batch_size:
                executor = executor or make_executor(settings, workers, scheduler, own_process)
                save(executor.submit(batch))
                batch = []
        if batch:
            executor = executor or make_executor(settings, workers, scheduler, own_process)
            save(executor.submit(batch))
        if executor:
            save(executor.drain())
            executor.close()
            executor = None
        order.sort()
        summary.counts = write_tables(_assembled(store, order, summary), out, parquet=parquet)
        summary.reviews_kept, summary.reviews_orphaned = reconcile(out)
        summary.counts["facts"] = write_facts(out, parquet)
    except KeyboardInterrupt:
        with _sigint_ignored():
            if executor:
                save(executor.abort())
                executor = None
        raise Interrupted(summary.ok + summary.failed + summary.skipped) from None
    finally:
        if executor:  # failing anyway: stop the workers rather than wait for them
            executor.abort()
    return summary


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    """These variables in the environment while the block runs (a fork server started in it keeps them).

    Restored afterwards so that processes this one starts later (and the
    caller of ``berita.pipe``) do not inherit them.
    """
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """A second Ctrl-C must not break the clean-up of the first."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _assembled(store: PartStore, order: list[tuple[str, int, str, str]],
               summary: RunSummary) -> Iterable[DocumentRecords]:
    """The saved documents in output order, with this run's input paths; final statuses counted on the way."""
    for _, _, key, source in order:
        item = store.load(key)
        item.document["source"] = source
        summary.statuses[item.document["status"]] += 1
        if item.document["status"] != "ok":
            summary.failed_ids.append(item.document["doc_id"])
        yield item


def _count(summary: RunSummary, records: DocumentRecords) -> None:
    """Count a document finished in this run; a failed one is also warned about, one line on stderr."""
    if records.document["status"] == "ok":
        summary.ok += 1
        summary.tokens += records.document["n_tokens"]
    else:
        summary.failed += 1
        log.warning("%s: %s", records.document["doc_id"], records.document["error"])
