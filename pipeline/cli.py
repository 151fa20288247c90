"""The `berita` command: annotate, evaluate, train."""
from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from pipeline import nlp

log = logging.getLogger("berita")


def _annotate_parser(sub) -> None:
    p = sub.add_parser("annotate", help="annotate articles into the four CSVs of SPEC.md")
    p.add_argument("inputs", nargs="+", type=Path, help=".txt/.jsonl/.csv files or folders")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--processors", default=",".join(nlp.DEFAULT_PROCESSORS),
                   help=f"Stanza processors (default {','.join(nlp.DEFAULT_PROCESSORS)}; add depparse for trees)")
    p.add_argument("--batch-size", type=int, default=16, help="documents per Stanza batch")
    p.add_argument("--max-chars", type=int, default=1_000_000, help="longer articles are reported as errors")
    p.add_argument("--models", type=Path, default=None, help="model folder (default: the shipped models)")
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

    from pipeline.annotate import Settings, annotate
    from pipeline.export import CsvExport
    from pipeline.ingest import read_inputs

    _setup_logging(args.log_file)
    console = Console(stderr=True, quiet=args.quiet)
    try:
        settings = Settings(nlp.parse_processors(args.processors), args.batch_size, args.max_chars,
                            str(args.models) if args.models else None)
        nlp.load_pipeline(settings.processors, settings.model_dir)
    except (ValueError, nlp.MissingModelError) as err:
        console.print(f"[red]error:[/red] {err}", highlight=False)
        return 2
    export = CsvExport(args.out)
    ok = failed = tokens = 0
    start = time.time()
    with Progress(console=console, transient=True, disable=args.quiet or not console.is_terminal) as progress:
        task = progress.add_task("annotating", total=None)
        for batch in annotate(read_inputs(args.inputs), settings):
            export.write(batch)
            for records in batch:
                if records.document["status"] == "ok":
                    ok += 1
                    tokens += records.document["n_tokens"]
                else:
                    failed += 1
                    log.warning("%s: %s", records.document["doc_id"], records.document["error"])
            elapsed = max(time.time() - start, 1e-9)
            progress.update(task, advance=len(batch),
                            description=f"{ok + failed} docs, {(ok + failed) / elapsed:.1f} docs/s, "
                                        f"{tokens / elapsed:.0f} tokens/s")
    paths = export.finish()
    _summary(console, export.counts, ok, failed, tokens, time.time() - start, paths)
    return 1 if failed and not ok else 0


def _summary(console, counts, ok, failed, tokens, seconds, paths) -> None:
    from rich.table import Table

    table = Table(title=f"berita: {ok} ok, {failed} failed, {tokens:,} tokens in {seconds:.1f} s", show_header=True)
    table.add_column("records")
    table.add_column("rows", justify="right")
    table.add_column("file")
    for name, path in paths.items():
        table.add_row(name, str(counts[name]), str(path))
    console.print(table)


def run_evaluate(args) -> int:
    import json

    from pipeline.evaluate import evaluate, report

    try:
        scores = evaluate(args.gold, args.out)
    except FileNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(scores.figures()) if args.json else report(scores, args.verbose))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["train"]:
        from pipeline.train import main as train_main

        return train_main(argv[1:])
    args = build_parser().parse_args(argv)
    return {"annotate": run_annotate, "evaluate": run_evaluate}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
