"""The `berita` command: annotate, evaluate, roster, report, review, train.

Every failure the user can act on (bad arguments, a folder in use, a full
disk, a missing file) ends the command with one ``error:`` line and exit code
2; Ctrl-C with one ``interrupted`` line and 130.  ``--debug`` keeps the
traceback for bug reports.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pipeline import nlp
from pipeline.arguments import Parser, Version
from pipeline.io.lock import FolderBusy, exclusive

log = logging.getLogger("berita")


def _at_least(low: int):
    """An argparse type: a whole number of at least ``low``."""
    def parse(text: str) -> int:
        if not text.isdigit() or int(text) < low:
            raise argparse.ArgumentTypeError(f"expected a whole number >= {low}, got {text!r}")
        return int(text)
    return parse


_positive = _at_least(1)
ERROR, INTERRUPTED = 2, 130
BROKEN_PIPE = 141
"""Exit status of a command whose reader closed the pipe (as a shell reports a process killed by SIGPIPE)."""
FAILED_SHOWN = 10
"""Failed doc_ids the summary names (documents.csv lists them all)."""


def _debug_flag(parser: argparse.ArgumentParser, default=False) -> None:
    parser.add_argument("--debug", action="store_true", default=default,
                        help="show the traceback of an error (for bug reports)")


def _annotate_parser(sub, common) -> None:
    p = sub.add_parser("annotate", parents=[common], help="annotate articles into the four CSVs of docs/records.md")
    p.add_argument("inputs", nargs="+", type=Path, help=".txt/.jsonl/.csv files or folders")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--processors", default=",".join(nlp.DEFAULT_PROCESSORS),
                   help=f"Stanza processors (default {','.join(nlp.DEFAULT_PROCESSORS)}; add depparse for trees)")
    p.add_argument("--batch-size", type=_positive, default=16, help="documents per Stanza batch")
    p.add_argument("--max-chars", type=_positive, default=1_000_000, help="longer articles are reported as errors")
    p.add_argument("--models", type=Path, default=None, help="model folder (default: the shipped models)")
    p.add_argument("--device", choices=nlp.DEVICES, default="auto",
                   help="where Stanza runs; auto: the CUDA GPU when torch sees one, else the CPU")
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


def _evaluate_parser(sub, common) -> None:
    p = sub.add_parser("evaluate", parents=[common], help="score an output folder against gold records")
    p.add_argument("gold", type=Path, help="gold JSONL (format in docs/records.md)")
    p.add_argument("out", type=Path, help="a `berita annotate` output folder")
    p.add_argument("--verbose", action="store_true", help="list missed and spurious records")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")


def _iso_date(text: str) -> str:
    """An argparse type: an ISO 8601 date at any precision (2013, 2013-06, 2013-06-30)."""
    from pipeline.review.validate import date_problem

    if not text or "/" in text or date_problem(text):
        raise argparse.ArgumentTypeError(f"expected an ISO 8601 date (2013, 2013-06, 2013-06-30), got {text!r}")
    return text


def _roster_parser(sub, common) -> None:
    p = sub.add_parser("roster", parents=[common], help="the members of an organisation at a date, from facts.csv")
    p.add_argument("organization", metavar="ORG", help="organisation id as in facts.csv (CSTO, NATO, BRICS, ...)")
    p.add_argument("out", type=Path, metavar="OUT_DIR", help="a `berita annotate` output folder")
    p.add_argument("--as-of", type=_iso_date, metavar="DATE",
                   help="by the end of this date (2013: by 31 December 2013; default: today)")
    p.add_argument("--csv", type=Path, metavar="FILE", help="write the members here, one row each with member_id "
                                                            "(the facts that cannot be placed go to stderr)")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="berita", description="Indonesian news annotation pipeline")
    parser.add_argument("--version", action=Version)
    _debug_flag(parser)
    common = Parser(add_help=False)  # --debug after the command too, not overriding one before
    _debug_flag(common, default=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    _annotate_parser(sub, common)
    _evaluate_parser(sub, common)
    _roster_parser(sub, common)
    report = sub.add_parser("report", parents=[common],
                            help="write OUT_DIR/report.html, a self-contained page to review a run")
    report.add_argument("out", type=Path, help="a `berita annotate` output folder")
    review = sub.add_parser("review", parents=[common],
                            help="apply reviewed claims; export reviewed entities for NER training")
    actions = review.add_subparsers(dest="action", required=True)
    apply = actions.add_parser("apply", parents=[common],
                               help="validate a reviewed memberships CSV and merge its decisions into the "
                                    "folder's review store")
    apply.add_argument("reviewed", type=Path)
    apply.add_argument("--out", type=Path, required=True, help="the output folder the claims came from")
    apply.add_argument("--reviewer", default="", help="who made these decisions (kept with each one)")
    export_ner = actions.add_parser("export-ner", parents=[common], help="reviewed entities.csv -> NER training JSON")
    export_ner.add_argument("entities", type=Path, help="entities.csv with a review_status column")
    export_ner.add_argument("--texts", type=Path, help="folder of the cleaned texts (default: texts/ beside it)")
    export_ner.add_argument("--out", type=Path, required=True, help="JSON file for `berita train ner --extra`")
    sub.add_parser("train", help="train the Stanza models (see `berita train --help`)", add_help=False)
    return parser


class _OneLineFormatter(logging.Formatter):
    """Log lines without tracebacks (the terminal's format unless --debug)."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None}))


class _Stderr(logging.StreamHandler):
    """Log lines to ``sys.stderr`` as it is when they are written, not as it was at setup.

    The progress bar replaces ``sys.stderr`` while it runs and prints what is
    written there above itself, so warnings do not land on top of the bar.
    """

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def _setup_logging(log_file: Path | None, debug: bool) -> None:
    terminal = _Stderr()
    terminal.setLevel(logging.DEBUG if debug else logging.WARNING)
    if not debug:
        terminal.setFormatter(_OneLineFormatter("%(message)s"))
    handlers: list[logging.Handler] = [terminal]
    if log_file:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    logging.basicConfig(level=logging.INFO, handlers=handlers, format="%(asctime)s %(levelname)s %(message)s",
                        force=True)
    log.setLevel(logging.DEBUG if debug else logging.INFO)


@contextmanager
def _holding(out: Path) -> Iterator[None]:
    """Hold the lock of output folder ``out`` and remove what killed runs left in it."""
    from pipeline.store import remove_leftovers

    if not out.is_dir():
        raise NotADirectoryError(f"{out} is not a folder")
    with exclusive(out):
        remove_leftovers(out)
        yield


def run_annotate(args) -> int:
    from rich.console import Console

    from pipeline.annotate import Settings
    from pipeline.ingest import check_inputs, count_documents, read_inputs
    from pipeline.run.runner import run

    _setup_logging(args.log_file, args.debug)
    console = Console(stderr=True, quiet=args.quiet)
    settings = Settings(nlp.parse_processors(args.processors), args.batch_size, args.max_chars,
                        str(args.models) if args.models else None, args.threads,
                        device=nlp.resolve_device(args.device))
    if args.worker_batches is not None:
        settings.worker_batches = args.worker_batches or None
    nlp.model_paths(Path(settings.model_dir) if settings.model_dir else nlp.default_model_dir(), settings.processors)
    check_inputs(args.inputs, args.out)
    if args.out.exists() and not args.out.is_dir():
        raise NotADirectoryError(f"--out {args.out} is a file, not a folder")
    from pipeline.review import guard_unapplied

    discarded = guard_unapplied(args.out, args.discard_unapplied)
    if discarded:
        print(discarded, file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    shown = not args.quiet and console.is_terminal
    start = time.time()
    with _holding(args.out), _progress_bar(console, shown) as progress:
        task = progress.add_task("annotating", total=count_documents(args.inputs, args.out) if shown else None,
                                 speed="")

        def on_progress(summary) -> None:
            elapsed = max(time.time() - start, 1e-9)
            progress.update(task, completed=summary.ok + summary.failed + summary.skipped,
                            speed=f"{summary.tokens / elapsed:,.0f} tokens/s")

        summary = run(read_inputs(args.inputs, args.out), args.out, settings, args.workers,
                      args.scheduler or args.dask, args.force, on_progress, parquet=args.format == "parquet",
                      own_process=True)
    _summary(console, summary, time.time() - start, args.out)
    return 1 if summary.statuses["error"] and not summary.statuses["ok"] else 0


def _progress_bar(console, shown: bool):
    """Documents done / total, percentage, tokens/s and time left; log lines print above it (:class:`_Stderr`)."""
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                               TimeRemainingColumn)

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                    TextColumn("{task.fields[speed]}"), TimeRemainingColumn(), console=console, transient=True,
                    disable=not shown)


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
    if summary.failed_ids:
        shown = summary.failed_ids[:FAILED_SHOWN]
        more = len(summary.failed_ids) - len(shown)
        console.print(f"failed (the error column of documents.csv says why): {', '.join(shown)}"
                      + (f" and {more} more" if more else ""), highlight=False, markup=False)
    if summary.reviews_kept or summary.reviews_orphaned:
        console.print(f"review decisions kept: {summary.reviews_kept}; no longer matching a claim: "
                      f"{len(summary.reviews_orphaned)}", highlight=False)
        for orphan in summary.reviews_orphaned:
            console.print(f"  no longer in the text: {orphan}", highlight=False, soft_wrap=True, markup=False)


def run_evaluate(args) -> int:
    import json

    from pipeline.evaluate import evaluate, report

    scores = evaluate(args.gold, args.out)
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
        return ERROR
    with _holding(args.out):
        print(write_report(args.out))
    return 0


def run_roster(args) -> int:
    """Members of ORG by the end of --as-of, then the facts that cannot be placed (on stderr with --csv)."""
    from datetime import date

    from pipeline.export import write_csv
    from pipeline.review.facts import read_facts, roster

    facts = read_facts(args.out)
    known = sorted(set(facts["organization_id"]))
    org = next((o for o in known if o.casefold() == args.organization.casefold()), None)
    if org is None:
        raise ValueError(f"no facts about {args.organization} in {args.out / 'facts.csv'} "
                         f"(organisations: {', '.join(known) or 'none'})")
    as_of = args.as_of or date.today().isoformat()
    found = roster(facts, org, as_of)
    if args.csv:
        write_csv(found.members, args.csv)
        print(f"{len(found.members)} members of {org} as of {as_of} written to {args.csv}")
    else:
        print(f"{org} as of {as_of}: {len(found.members)} members")
        for m in found.members.itertuples():
            print(f"{m.member_id}\t{m.member}\tsince {m.since}\t{m.relations}\t{m.fact_ids}")
    aside = sys.stderr if args.csv else sys.stdout
    if len(found.unplaced):
        print(f"{len(found.unplaced)} fact(s) cannot be placed before or after {as_of}:", file=aside)
    for f in found.unplaced.itertuples():
        print(f"{f.member_id}\t{f.member}\t{f.relation}\t{f.date_value or 'undated'}\t{f.fact_id}", file=aside)
    return 0


def run_review(args) -> int:
    from pipeline.review import ReviewError, apply_review, export_ner

    try:
        if args.action == "apply":
            with _holding(args.out):
                applied = apply_review(args.reviewed, args.out, args.reviewer)
            for note in applied.notes:
                print(f"note: {note}", file=sys.stderr)
            print(applied.summary())
        else:
            texts = args.texts or args.entities.parent / "texts"
            if not texts.is_dir():
                raise FileNotFoundError(f"no texts folder at {texts}: name the output folder's texts/ with --texts")
            print(f"{export_ner(args.entities, texts, args.out)} sentences written to {args.out}")
    except ReviewError as err:
        for problem in err.problems:
            print(f"error: {problem}", file=sys.stderr)
        return ERROR
    return 0


def describe(err: Exception) -> str:
    """One line for an error: what went wrong and where, without the traceback."""
    if isinstance(err, OSError) and err.strerror:
        where = f"{err.filename}: " if err.filename else ""
        return f"{where}{err.strerror}" + (f" (-> {err.filename2})" if err.filename2 else "")
    message = (str(err).strip().splitlines() or [""])[0]
    if isinstance(err, (OSError, ValueError, FolderBusy)):
        return message or type(err).__name__
    return f"{type(err).__name__}: {message} (unexpected: run with --debug for the traceback and report it)"


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that Python's flush at exit does not fail on the closed pipe again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["train"]:
        from pipeline.train import main as train_main

        return train_main(argv[1:])
    args = build_parser().parse_args(argv)
    commands = {"annotate": run_annotate, "evaluate": run_evaluate, "report": run_report, "review": run_review,
                "roster": run_roster}
    try:
        return commands[args.command](args)
    except KeyboardInterrupt as stop:  # the runner's says how far it got
        print(str(stop) or "interrupted", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:  # `berita evaluate ... | head`: the reader has what it wanted
        _silence_stdout()
        return BROKEN_PIPE
    except Exception as err:  # the one place that turns errors into messages
        if args.debug:
            raise
        print(f"error: {describe(err)}", file=sys.stderr)
        return ERROR


if __name__ == "__main__":
    sys.exit(main())
