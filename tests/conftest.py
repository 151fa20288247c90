"""Shared fixtures: the real shipped models, loaded once per test session."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpora").is_dir():
        pytest.fail(f"{SHARED} is missing: the tests need ../shared beside the checkout")
    return SHARED


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
