"""Shared fixtures: the real shipped models, loaded once per test session."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REQUIRE_ALL = os.environ.get("BERITA_REQUIRE_ALL") == "1"
"""Set by ``.ci/run``: CI has the corpora, the dev set and Chromium, so their absence is a failure there."""
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT / "benchmarks"))


def absent(reason: str) -> NoReturn:
    """Skip a test whose data or browser this machine lacks, in one line; under CI fail it instead."""
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (BERITA_REQUIRE_ALL=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared() -> Path:
    """``../shared``: the training corpora and the dev set, kept beside the repository (README, Test)."""
    if not ((SHARED / "corpora").is_dir() and (SHARED / "devset" / "gold.jsonl").is_file()):
        absent(f"no corpora and dev set in {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def corpus_out(tmp_path_factory) -> Path:
    """`berita annotate corpus/` once per session, run from the repository root as the README runs it.

    Several modules read this output; the ones that change an output folder work on a copy of it.
    """
    out = tmp_path_factory.mktemp("corpus-out")
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "annotate", "corpus/", "--out", str(out),
                           "--workers", "1", "--quiet"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def stanza_pipeline():
    """The default Stanza pipeline from the shipped models."""
    from pipeline import nlp

    return nlp.load_pipeline(nlp.DEFAULT_PROCESSORS)


FIGURES: list[str] = []
"""Measured figures (dev-set scores) that the run prints at the end, pass or fail."""


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("berita figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
