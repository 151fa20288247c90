"""Benchmark of whole runs: pipeline overhead over bare Stanza, worker speed-up, memory growth.

Builds synthetic corpora at run time from the UD sentences in ../shared/corpora
and prints figures (it asserts nothing):

* tokens/s of bare Stanza vs the full pipeline (conversion + rules + export) on
  the same processors, one process, and the overhead in %;
* wall time of `berita annotate` with 1 worker (one thread, then the default
  threads) and with 2 workers, and the speed-ups;
* peak RSS of `berita annotate` (default workers: all cores) at two corpus sizes;
* the cost of replacing workers (`--worker-batches`): 2 workers that are never
  replaced vs 2 workers replaced every few batches, per replacement.

    python benchmarks/scale.py --small 1000 --large 10000 [--min-tokens 300 --max-tokens 600]
    python benchmarks/scale.py --only speedup        # one part: overhead, speedup, rss or replace
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from benchmarks_corpus import synthetic_articles  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("overhead", "speedup", "rss", "replace")


def write_corpus(corpora: Path, n: int, folder: Path, lo: int, hi: int) -> Path:
    path = folder / f"articles-{n}.jsonl"
    if path.exists():
        return path
    with open(path, "w", encoding="utf-8") as out:
        for article in synthetic_articles(corpora, n, lo, hi):
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    return path


def annotate(path: Path, out: Path, *options: str) -> tuple[float, float, float]:
    """(seconds, peak RSS MB of its largest process, peak RSS MB of all its processes) of one run.

    ``options`` are passed on (e.g. ``--workers 2``); none means the defaults.
    The process tree (main process, fork server, workers) is sampled every
    0.2 s with psutil (a dependency of Dask), since the workers are not
    children that ``getrusage`` would see.
    """
    import psutil

    command = [sys.executable, "-m", "pipeline.cli", "annotate", str(path), "--out", str(out), "--quiet", "--force",
               *options]
    start = time.perf_counter()
    run = psutil.Popen(command)
    largest = total = 0
    while run.poll() is None:
        sizes = []
        for proc in [run, *run.children(recursive=True)]:
            try:
                sizes.append(proc.memory_info().rss)
            except psutil.NoSuchProcess:
                continue
        largest, total = max([largest, *sizes]), max(total, sum(sizes))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    if run.returncode:
        raise subprocess.CalledProcessError(run.returncode, command)
    return seconds, largest / 2**20, total / 2**20


def overhead(path: Path, processors: str) -> dict:
    """Bare Stanza vs the full pipeline, in this process, same documents and processors."""
    import stanza
    import torch

    from pipeline import nlp
    from pipeline.annotate import Settings, annotate_batch, prepare
    from pipeline.ingest import read_inputs

    torch.set_num_threads(1)
    settings = Settings(nlp.parse_processors(processors))
    prepared = [prepare(raw, settings) for raw in read_inputs([path])]
    tagger = nlp.load_pipeline(settings.processors)
    annotate_batch(prepared[:2], settings)
    start = time.perf_counter()
    tokens = 0
    for i in range(0, len(prepared), settings.batch_size):
        docs = tagger([stanza.Document([], text=p.text) for p in prepared[i:i + settings.batch_size]])
        tokens += sum(d.num_tokens for d in docs)
    bare = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        from pipeline.export import write_tables

        start = time.perf_counter()
        records = []
        for i in range(0, len(prepared), settings.batch_size):
            records += annotate_batch(prepared[i:i + settings.batch_size], settings)
        write_tables(records, Path(tmp))
        full = time.perf_counter() - start
    return {"tokens": tokens, "bare_tokens_per_s": round(tokens / bare), "full_tokens_per_s": round(tokens / full),
            "overhead_pct": round(100 * (full - bare) / bare, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--min-tokens", type=int, default=300)
    parser.add_argument("--max-tokens", type=int, default=600)
    parser.add_argument("--speedup", type=int, default=None,
                        help="articles for the 1 vs 2 workers comparison (default: --small)")
    parser.add_argument("--replace-every", type=int, default=5,
                        help="--worker-batches of the replaced run in the 'replace' part")
    parser.add_argument("--processors", default="tokenize,mwt,pos,lemma,ner")
    parser.add_argument("--only", choices=PARTS, action="append", help="run only this part (repeatable)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; articles of {args.min_tokens}-{args.max_tokens} tokens")
    parts = args.only or PARTS
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        def corpus(n: int) -> Path:
            return write_corpus(args.corpora, n, tmp, args.min_tokens, args.max_tokens)

        if "overhead" in parts:
            print("overhead (1 process, 1 thread):", json.dumps(overhead(corpus(args.small), args.processors)))
        if "speedup" in parts:
            n = args.speedup or args.small
            single = annotate(corpus(n), tmp / "single", "--workers", "1", "--threads", "1")[0]
            one = annotate(corpus(n), tmp / "one", "--workers", "1")[0]
            two = annotate(corpus(n), tmp / "two", "--workers", "2")[0]
            print(f"{n} articles: 1 worker with 1 thread {single:.1f} s, 1 worker with the default threads "
                  f"(all cores) {one:.1f} s, 2 workers {two:.1f} s; speed-up of 2 workers "
                  f"{single / two:.2f}x over 1 single-thread worker, {one / two:.2f}x over 1 default worker")
        if "rss" in parts:
            _, small_one, small_all = annotate(corpus(args.small), tmp / "small")
            _, large_one, large_all = annotate(corpus(args.large), tmp / "large")
            for what, a, b in (("largest process", small_one, large_one), ("all processes", small_all, large_all)):
                print(f"peak RSS, {what} (default workers): {a:.0f} MB at {args.small} articles, "
                      f"{b:.0f} MB at {args.large} ({100 * (b - a) / a:+.1f}%)")
        if "replace" in parts:
            replacement(corpus(args.small), tmp, args.small, args.replace_every)


def replacement(path: Path, tmp: Path, n: int, every: int) -> None:
    """Wall time of 2 workers never replaced vs replaced every ``every`` batches."""
    from pipeline.annotate import Settings

    default = Settings()
    kept = annotate(path, tmp / "kept", "--workers", "2", "--worker-batches", "0")[0]
    replaced = annotate(path, tmp / "replaced", "--workers", "2", "--worker-batches", str(every))[0]
    per_worker = -(-n // default.batch_size) / 2
    count = 2 * (-(-per_worker // every) - 1)
    cost = (replaced - kept) / count
    lifetime = default.worker_batches * default.batch_size * 2 * kept / n
    print(f"{n} articles, 2 workers: never replaced {kept:.1f} s, replaced every {every} batches "
          f"{replaced:.1f} s ({count:.0f} replacements, {cost:.1f} s each); at the default of "
          f"{default.worker_batches} batches of {default.batch_size} that is {100 * cost / lifetime:.1f}% "
          f"of a worker's time")


if __name__ == "__main__":
    main()
