"""The `berita` command: annotate, evaluate, train."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from pipeline import nlp

log = logging.getLogger("berita")


def _at_least(low: int):
    """An argparse type: a whole number of at least ``low``."""
    def parse(text: str) -> int:
        if not text.isdigit() or int(text) < low:
            raise argparse.ArgumentTypeError(f"expected a whole number >= {low}, got {text!r}")
        return int(text)
    return parse


_positive = _at_least(1)


def _annotate_parser(sub) -> None:
    p = sub.add_parser("annotate", help="annotate articles into the four CSVs of SPEC.md")
    p.add_argument("inputs", nargs="+", type=Path, help=".txt/.jsonl/.csv files or folders")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--processors", default=",".join(nlp.DEFAULT_PROCESSORS),
                   help=f"Stanza processors (default {','.join(nlp.DEFAULT_PROCESSORS)}; add depparse for trees)")
    p.add_argument("--batch-size", type=_positive, default=16, help="documents per Stanza batch")
    p.add_argument("--max-chars", type=int, default=1_000_000, help="longer articles are reported as errors")
    p.add_argument("--models", type=Path, default=None, help="model folder (default: the shipped models)")
    p.add_argument("--workers", type=_positive, default=os.cpu_count() or 1,
                   help="worker processes, each with its own models (default: all cores)")
    p.add_argument("--threads", type=_positive, default=None,
                   help="torch threads per worker (default: the cores shared out among the workers)")
    p.add_argument("--worker-batches", type=_at_least(0), default=None,
                   help="batches a worker process annotates before a fresh one replaces it, which keeps "
                        "memory flat on long runs (default 40; 0: never; with --workers 2 or more)")
    p.add_argument("--dask", choices=["local"], help="run on a local Dask cluster of --workers processes")
    p.add_argument("--scheduler", help="run on a Dask cluster, e.g. tcp://host:8786")
    p.add_argument("--force", action="store_true", help="redo documents finished by an earlier run into --out")
    p.add_argument("--discard-unapplied", action="store_true",
                   help="overwrite a memberships.csv holding review decisions never applied (a copy is kept)")
    p.add_argument("--format", choices=["csv", "parquet"], default="csv",
                   help="parquet: also write the tables as Parquet for notebooks (CSV stays the contract)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    p.add_argument("--log-file", type=Path, help="write a log of the run here")


def _evaluate_parser(sub) -> None:
    p = sub.add_parser("evaluate", help="score an output folder against gold records")
    p.add_argument("gold", type=Path, help="gold JSONL (format of shared/devset/README.md)")
    p.add_argument("out", type=Path, help="a `berita annotate` output folder")
    p.add_argument("--verbose", action="store_true", help="list missed and spurious records")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="berita", description="Indonesian news annotation pipeline")
    sub = parser.add_subparsers(dest="command", required=True)
    _annotate_parser(sub)
    _evaluate_parser(sub)
    report = sub.add_parser("report", help="write OUT_DIR/report.html, a self-contained page to review a run")
    report.add_argument("out", type=Path, help="a `berita annotate` output folder")
    review = sub.add_parser("review", help="apply reviewed claims; export reviewed entities for NER training")
    actions = review.add_subparsers(dest="action", required=True)
    apply = actions.add_parser("apply", help="validate a reviewed memberships CSV and merge its decisions into the "
                                             "folder's review store")
    apply.add_argument("reviewed", type=Path)
    apply.add_argument("--out", type=Path, required=True, help="the output folder the claims came from")
    apply.add_argument("--reviewer", default="", help="who made these decisions (kept with each one)")
    export_ner = actions.add_parser("export-ner", help="reviewed entities.csv -> NER training JSON")
    export_ner.add_argument("entities", type=Path, help="entities.csv with a review_status column")
    export_ner.add_argument("--texts", type=Path, help="folder of the cleaned texts (default: texts/ beside it)")
    export_ner.add_argument("--out", type=Path, required=True, help="JSON file for `berita train ner --extra`")
    sub.add_parser("train", help="train the Stanza models (see `berita train --help`)", add_help=False)
    return parser


def _setup_logging(log_file: Path | None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    handlers[0].setLevel(logging.WARNING)
    if log_file:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, handlers=handlers, format="%(asctime)s %(levelname)s %(message)s")


def run_annotate(args) -> int:
    from rich.console import Console
    from rich.progress import Progress

    from pipeline.annotate import Settings
    from pipeline.ingest import read_inputs
    from pipeline.runner import run

    _setup_logging(args.log_file)
    console = Console(stderr=True, quiet=args.quiet)
    try:
        settings = Settings(nlp.parse_processors(args.processors), args.batch_size, args.max_chars,
                            str(args.models) if args.models else None, args.threads)
        if args.worker_batches is not None:
            settings.worker_batches = args.worker_batches or None
        nlp.model_paths(Path(settings.model_dir) if settings.model_dir else nlp.default_model_dir(),
                        settings.processors)
    except (ValueError, nlp.MissingModelError) as err:
        console.print(f"[red]error:[/red] {err}", highlight=False)
        return 2
    from pipeline.review import ReviewError, guard_unapplied

    try:
        discarded = guard_unapplied(args.out, args.discard_unapplied)
    except ReviewError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if discarded:
        print(discarded, file=sys.stderr)
    start = time.time()
    with Progress(console=console, transient=True, disable=args.quiet or not console.is_terminal) as progress:
        task = progress.add_task("annotating", total=None)

        def on_progress(summary) -> None:
            elapsed = max(time.time() - start, 1e-9)
            done = summary.ok + summary.failed
            progress.update(task, completed=done + summary.skipped,
                            description=f"{done} docs, {done / elapsed:.1f} docs/s, "
                                        f"{summary.tokens / elapsed:.0f} tokens/s")

        summary = run(_logged(read_inputs(args.inputs)), args.out, settings, args.workers,
                      args.scheduler or args.dask, args.force, on_progress, parquet=args.format == "parquet")
    _summary(console, summary, time.time() - start, args.out)
    return 1 if summary.statuses["error"] and not summary.statuses["ok"] else 0


def _logged(raws):
    """Log each unreadable input as it is read."""
    for raw in raws:
        if raw.error:
            log.warning("%s: %s", raw.doc_id, raw.error)
        yield raw


def _summary(console, summary, seconds, out: Path) -> None:
    from rich.table import Table

    title = (f"berita: {summary.statuses['ok']} ok, {summary.statuses['error']} failed "
             f"({summary.skipped} kept from an earlier run), {summary.tokens:,} tokens in {seconds:.1f} s")
    table = Table(title=title, show_header=True)
    table.add_column("records")
    table.add_column("rows", justify="right")
    table.add_column("file")
    for name, rows in summary.counts.items():
        table.add_row(name, str(rows), str(out / f"{name}.csv"))
    console.print(table)
    if summary.reviews_kept or summary.reviews_orphaned:
        console.print(f"review decisions kept: {summary.reviews_kept}; no longer matching a claim: "
                      f"{len(summary.reviews_orphaned)}", highlight=False)
        for orphan in summary.reviews_orphaned:
            console.print(f"  no longer in the text: {orphan}", highlight=False, soft_wrap=True, markup=False)


def run_evaluate(args) -> int:
    import json

    from pipeline.evaluate import evaluate, report

    try:
        scores = evaluate(args.gold, args.out)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.json:
        for warning in scores.warnings():
            print(warning, file=sys.stderr)
        print(json.dumps(scores.figures()))
    else:
        print(report(scores, args.verbose))
    return 0


def run_report(args) -> int:
    from pipeline.report import write_report

    if not (args.out / "documents.csv").exists():
        print(f"error: {args.out} is not a `berita annotate` output folder (no documents.csv)", file=sys.stderr)
        return 2
    try:
        print(write_report(args.out))
    except OSError as err:
        print(f"error: cannot write {args.out / 'report.html'}: {err.strerror or err}", file=sys.stderr)
        return 1
    return 0


def run_review(args) -> int:
    from pipeline.review import ReviewError, apply_review, export_ner

    try:
        if args.action == "apply":
            applied = apply_review(args.reviewed, args.out, args.reviewer)
            for note in applied.notes:
                print(f"note: {note}", file=sys.stderr)
            print(applied.summary())
        else:
            texts = args.texts or args.entities.parent / "texts"
            print(f"{export_ner(args.entities, texts, args.out)} sentences written to {args.out}")
    except ReviewError as err:
        for problem in err.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["train"]:
        from pipeline.train import main as train_main

        return train_main(argv[1:])
    args = build_parser().parse_args(argv)
    commands = {"annotate": run_annotate, "evaluate": run_evaluate, "report": run_report, "review": run_review}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
