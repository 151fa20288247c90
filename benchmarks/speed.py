"""Benchmark: `berita annotate` vs bare Stanza on the same real news, side by side (issue 17).

Both run as fresh processes on one thread (``OMP_NUM_THREADS=1``, ``--workers 1
--threads 1``) on the first ``--articles`` articles of ``../shared/news/indosum.jsonl``,
and both are timed from the outside, so the wall time includes start-up
(imports, model loading) as a user sees it.  Bare Stanza is ``stanza.Pipeline``
with the same shipped models and processors, fed the raw texts in batches of
``--batch-size`` documents, without berita's token split rules, conversion,
rules or export.  The runs alternate (Stanza, berita, Stanza, berita, ...) and
the best of ``--runs`` counts, since the machine is shared.  Both throughputs
use the same token count (Stanza's), so their ratio is the ratio of the wall
times.  A one-article run of each (start-up dominates) and ``berita --help``
are timed the same way; each process's peak RSS is read with ``wait4``.

Memory of the workers: ``berita annotate --workers 2`` on the same articles,
its processes sampled from ``/proc/<pid>/smaps_rollup`` five times a second;
a worker's private memory (USS: pages no other process shares) is what one
more worker adds, since the workers fork from a server that loaded the models.
A retired worker's replacement is timed in-process: a pool whose workers retire
after every batch, one tiny batch at a time.
Prints every run with the load, the figures and whether the targets of issue
17 are met; asserts nothing.

    python benchmarks/speed.py                  # 40 articles, best of 2
    python benchmarks/speed.py --articles 150   # the issue's figure
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "news" / "indosum.jsonl"
TARGET_RATIO = 1.5
"""berita's throughput over bare Stanza's (issue 17)."""
TARGET_ONE_ARTICLE_S = 4.0
"""Wall time of a one-article `berita annotate` run (issue 17)."""
TARGET_WORKER_MB = 250
"""Extra memory of a second worker (issue 17)."""
TARGET_REPLACE_S = 1.0
"""A worker that replaces a retired one is ready within this (issue 17)."""


def one_thread_env() -> dict[str, str]:
    """The environment of every timed process: one torch/BLAS thread, this checkout first on the path."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONPATH=path)


def write_articles(news: Path, n: int, folder: Path) -> Path:
    """The first ``n`` articles of the news file as their own JSONL input."""
    path = folder / f"news-{n}.jsonl"
    with open(news, encoding="utf-8") as lines, open(path, "w", encoding="utf-8") as out:
        for _, line in zip(range(n), lines):
            out.write(line)
    return path


def bare_stanza(path: Path, processors: str, batch_size: int) -> int:
    """Tag every article of ``path`` with bare Stanza (runs in its own process); the token count."""
    import stanza
    import torch

    from pipeline import nlp

    torch.set_num_threads(1)
    # stanza.Pipeline itself, not nlp.build_pipeline, which adds berita's own
    # speed-ups (start-up, lemmas of unseen names); the same model files.
    model_dir = nlp.default_model_dir()
    nlp.ensure_resources(model_dir)
    tagger = stanza.Pipeline(lang=nlp.LANG, dir=str(model_dir), processors=processors, download_method=None,
                             use_gpu=False, logging_level="ERROR",
                             **nlp.model_paths(model_dir, nlp.parse_processors(processors)))
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    tokens = 0
    for i in range(0, len(texts), batch_size):
        tokens += sum(d.num_tokens for d in tagger([stanza.Document([], text=t) for t in texts[i:i + batch_size]]))
    return tokens


@dataclass
class Run:
    """One timed process."""

    seconds: float
    """Wall time, start-up included."""
    peak_mb: float
    """Its peak RSS (``berita annotate --workers 1`` annotates in its main process: the memory of one worker)."""
    stdout: str


def timed(command: list[str]) -> Run:
    """Run a fresh process; its own peak RSS comes from ``wait4``, which reports on that child alone."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True, env=one_thread_env(), cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            err.seek(0)
            raise RuntimeError(f"{' '.join(command)} failed:\n{err.read()}")
        out.seek(0)
        return Run(seconds, usage.ru_maxrss / 1024, out.read())


def stanza_run(path: Path, args) -> Run:
    """Bare Stanza on ``path`` in a fresh process (this script with --bare); it prints the token count."""
    return timed([sys.executable, __file__, "--bare", str(path), "--processors", args.processors,
                  "--batch-size", str(args.batch_size)])


def berita_run(path: Path, out: Path, args) -> Run:
    """``berita annotate`` on ``path``: one worker, one thread, everything redone."""
    return timed([sys.executable, "-m", "pipeline.cli", "annotate", str(path), "--out", str(out), "--force",
                  "--quiet", "--workers", "1", "--threads", "1", "--processors", args.processors,
                  "--batch-size", str(args.batch_size)])


def side_by_side(path: Path, out: Path, args) -> tuple[Run, Run, int]:
    """Alternating runs: the best run of bare Stanza and of berita, and Stanza's token count."""
    bare, berita = [], []
    for _ in range(args.runs):
        bare.append(stanza_run(path, args))
        berita.append(berita_run(path, out, args))
        print(f"  {path.name}: Stanza {bare[-1].seconds:.1f} s, berita {berita[-1].seconds:.1f} s ({load()})",
              flush=True)
    best = min(bare, key=lambda r: r.seconds), min(berita, key=lambda r: r.seconds)
    return *best, int(bare[0].stdout.split()[-1])


def _children() -> dict[int, list[int]]:
    """Every process's children, from ``/proc``."""
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _descendants(pid: int, kids: dict[int, list[int]]) -> list[int]:
    return [pid] + [d for kid in kids.get(pid, []) for d in _descendants(kid, kids)]


def _memory_mb(pid: int) -> dict[str, float]:
    """RSS, PSS and USS (private clean + dirty) of one process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
            fields[parts[0][:-1]] = int(parts[1]) / 1024
    return {"rss": fields["Rss"], "pss": fields["Pss"], "uss": fields["Private_Clean"] + fields["Private_Dirty"]}


def worker_memory(path: Path, out: Path, args) -> dict[str, dict[str, float]]:
    """Peak memory of each process of a two-worker run: ``main``, ``fork server``, ``worker 1``, ...

    Workers are the fork server's children, in the order they appeared.
    """
    command = [sys.executable, "-m", "pipeline.cli", "annotate", str(path), "--out", str(out), "--force", "--quiet",
               "--workers", "2", "--threads", "1", "--processors", args.processors, "--batch-size", str(args.batch_size)]
    process = subprocess.Popen(command, env=one_thread_env(), cwd=ROOT)
    peaks: dict[int, dict[str, float]] = {}
    commands: dict[int, str] = {}
    servers: set[int] = set()
    while process.poll() is None:
        kids = _children()
        for pid in _descendants(process.pid, kids):
            try:
                now = _memory_mb(pid)
                commands.setdefault(pid, Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " "))
            except (OSError, KeyError):
                continue
            peaks[pid] = {k: max(v, peaks.get(pid, {}).get(k, 0.0)) for k, v in now.items()}
            if "forkserver" in commands[pid] and pid in kids.get(process.pid, []):
                servers.add(pid)
        time.sleep(0.2)
    if process.returncode:
        raise RuntimeError(f"{' '.join(command)} failed")
    named = {"main": peaks[process.pid]}
    named.update({"fork server": peaks[pid] for pid in servers})
    workers = [pid for pid in peaks if pid not in (process.pid, *servers) and "resource_tracker" not in commands[pid]]
    named.update({f"worker {i}": peaks[pid] for i, pid in enumerate(workers, 1)})
    return named


def replaced_worker_seconds(processors: str) -> list[float]:
    """Round trips of a one-sentence batch on a pool whose one worker retires after every batch.

    The first includes nothing but the trip (the pool's first worker is ready); each
    later one includes starting the worker that replaces the retired one.
    """
    from pipeline import nlp
    from pipeline.annotate import Settings, prepare
    from pipeline.ingest import RawDocument
    from pipeline.run.runner import PoolExecutor

    settings = Settings(processors=nlp.parse_processors(processors), worker_batches=1, threads=1)
    job = [("key", "fp", prepare(RawDocument(doc_id="a", source="s", text="Jakarta ramai pada 1 Mei 2020."), settings))]
    pool = PoolExecutor(settings, 1)
    seconds = []
    try:
        for _ in range(4):
            start = time.perf_counter()
            pool.submit(job)
            pool.drain()
            seconds.append(time.perf_counter() - start)
    finally:
        pool.close()
    return seconds


def load() -> str:
    """The machine's load, printed with every figure: the runs are only comparable at a similar load."""
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def unseen_articles() -> int:
    """How many of the news file's first articles the shipped lemma cache leaves out (the recipe's setting)."""
    sys.path.insert(0, str(ROOT))
    from pipeline.corpora import data_file

    return json.loads(data_file("recipe.json").read_text(encoding="utf-8"))["full"]["lemma_cache"]["skip_articles"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=Path, default=NEWS)
    parser.add_argument("--articles", type=int, default=40, help="how many articles (the issue's figure: 150)")
    parser.add_argument("--runs", type=int, default=2, help="alternating runs of each; the best counts")
    parser.add_argument("--processors", default="tokenize,mwt,pos,lemma,ner")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--bare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--replace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        print(bare_stanza(args.bare, args.processors, args.batch_size))
        return
    if args.replace:
        print(" ".join(f"{s:.2f}" for s in replaced_worker_seconds(args.processors)))
        return
    print(f"{load()}; {args.articles} articles, best of {args.runs}, one thread, wall time incl. start-up")
    unseen = unseen_articles()
    if args.news.resolve() == NEWS.resolve() and args.articles > unseen:
        print(f"note: articles after the first {unseen} are in the lemmatizer's cache (`berita train lemma-cache`); "
              f"berita meets their words as seen ones")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        help_s = min(timed([sys.executable, "-m", "pipeline.cli", "--help"]).seconds for _ in range(args.runs))
        print(f"berita --help: {help_s:.2f} s")
        one_bare, one, _ = side_by_side(write_articles(args.news, 1, tmp), tmp / "one", args)
        print(f"one article: berita {one.seconds:.1f} s, bare Stanza {one_bare.seconds:.1f} s")
        articles = write_articles(args.news, args.articles, tmp)
        bare, berita, tokens = side_by_side(articles, tmp / "out", args)
        memory = worker_memory(articles, tmp / "two", args)
        replace = timed([sys.executable, __file__, "--replace", "--processors", args.processors]).stdout.split()
    ratio = bare.seconds / berita.seconds
    print(f"{args.articles} articles, {tokens:,} tokens: berita {berita.seconds:.1f} s = "
          f"{tokens / berita.seconds:,.0f} tokens/s, peak RSS {berita.peak_mb:.0f} MB; bare Stanza "
          f"{bare.seconds:.1f} s = {tokens / bare.seconds:,.0f} tokens/s, peak RSS {bare.peak_mb:.0f} MB")
    print(f"berita / bare Stanza: {ratio:.2f}x (target >= {TARGET_RATIO}x: {_met(ratio >= TARGET_RATIO)}); "
          f"one-article run {one.seconds:.1f} s (target <= {TARGET_ONE_ARTICLE_S:.0f} s: "
          f"{_met(one.seconds <= TARGET_ONE_ARTICLE_S)})")
    for name, peak in memory.items():
        print(f"two workers, {name}: peak USS {peak['uss']:.0f} MB, PSS {peak['pss']:.0f} MB, RSS {peak['rss']:.0f} MB")
    extra = max(peak["uss"] for name, peak in memory.items() if name.startswith("worker"))
    print(f"extra memory of a worker (largest private peak): {extra:.0f} MB "
          f"(target <= {TARGET_WORKER_MB} MB: {_met(extra <= TARGET_WORKER_MB)})")
    replaced = max(float(s) for s in replace[1:])
    print(f"one-sentence batches, a fresh worker each: {' '.join(replace)} s; a replaced worker is ready within "
          f"{replaced:.2f} s (target <= {TARGET_REPLACE_S:.0f} s: {_met(replaced <= TARGET_REPLACE_S)})")
    print(f"after: {load()}")


def _met(met: bool) -> str:
    return "met" if met else "NOT met"


if __name__ == "__main__":
    main()
