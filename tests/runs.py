"""CLI runs on synthetic articles that the scale and interrupt tests share."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks_corpus import synthetic_articles

CLI = [sys.executable, "-m", "pipeline.cli", "annotate"]
TABLES = ("documents", "entities", "dates", "memberships")


def write_articles(path: Path, corpora: Path, n: int) -> Path:
    """``n`` short synthetic articles drawn from the corpora, as JSONL."""
    with open(path, "w", encoding="utf-8") as out:
        for article in synthetic_articles(corpora, n, min_tokens=20, max_tokens=50):
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    return path


def reference_run(articles: Path, out: Path) -> Path:
    """One uninterrupted one-worker run: what every other run must reproduce."""
    subprocess.run([*CLI, str(articles), "--out", str(out), "--workers", "1", "--quiet"], check=True)
    return out


def tables(out: Path) -> dict[str, bytes]:
    return {t: (out / f"{t}.csv").read_bytes() for t in TABLES}
