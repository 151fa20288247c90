"""The review store: every decision ever applied to an output folder, in ``OUT/reviews.sqlite``.

Decisions are appended, never updated: a changed decision is a new row in
the same *chain* (the history of one claim), and the chain's last row is the
current decision.  ``links`` says which exported claim each chain belongs to
now, with that claim's values as the pipeline produced them; a re-run that
moves or re-words a claim re-links its chain instead of losing it.  SQLite
(standard library) gives atomic, crash-safe commits and safe concurrent use.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

STORE = "reviews.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY, chain INTEGER NOT NULL, claim_id TEXT NOT NULL, doc_id TEXT NOT NULL,
    claim TEXT NOT NULL, status TEXT NOT NULL, corrected TEXT NOT NULL,
    reviewer TEXT NOT NULL, decided_at TEXT NOT NULL, source_file TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS decisions_chain ON decisions (chain);
CREATE INDEX IF NOT EXISTS decisions_claim ON decisions (claim_id);
CREATE TABLE IF NOT EXISTS links (claim_id TEXT PRIMARY KEY, chain INTEGER NOT NULL UNIQUE, machine TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Decision:
    """What a reviewer decided about one claim: a status, and the corrected values when ``corrected``."""

    status: str
    corrected: tuple[tuple[str, str], ...] = ()

    def values(self) -> dict[str, str]:
        return dict(self.corrected)


@dataclass(frozen=True)
class Current:
    """The current decision of one chain and the claim it is linked to."""

    chain: int
    claim_id: str
    machine: dict
    decision: Decision
    reviewer: str
    decided_at: str
    source_file: str


def _decision(status: str, corrected: str) -> Decision:
    return Decision(status, tuple(sorted(json.loads(corrected).items())))


class ReviewStore:
    """One output folder's decisions; use as a context manager (one transaction)."""

    def __init__(self, out: Path):
        self.path = Path(out) / STORE
        self.db: sqlite3.Connection | None = None

    def __enter__(self) -> "ReviewStore":
        self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self.db.executescript(SCHEMA)
        self.db.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, kind, error, trace) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")
        self.db.close()

    def current(self) -> dict[str, Current]:
        """Linked claim_id -> its chain's current decision."""
        rows = self.db.execute(
            "SELECT l.chain, l.claim_id, l.machine, d.status, d.corrected, d.reviewer, d.decided_at, d.source_file "
            "FROM links l JOIN decisions d ON d.id = (SELECT MAX(id) FROM decisions WHERE chain = l.chain)")
        return {r[1]: Current(r[0], r[1], json.loads(r[2]), _decision(r[3], r[4]), *r[5:]) for r in rows}

    def history(self, claim_id: str) -> set[Decision]:
        """Every decision ever recorded for this claim id or for the chain now linked to it."""
        rows = self.db.execute(
            "SELECT status, corrected FROM decisions WHERE claim_id = ? "
            "OR chain = (SELECT chain FROM links WHERE claim_id = ?)", (claim_id, claim_id))
        return {_decision(*r) for r in rows}

    def snapshot(self, claim_id: str) -> dict | None:
        """The claim, as exported, that an earlier decision about ``claim_id`` was made on."""
        row = self.db.execute("SELECT claim FROM decisions WHERE claim_id = ? ORDER BY id DESC LIMIT 1",
                              (claim_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def record(self, machine: dict, decision: Decision, reviewer: str, source_file: str,
               chain: int | None) -> None:
        """Append a decision on the claim ``machine`` (to ``chain``, or as a new chain) and link it."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        cursor = self.db.execute(
            "INSERT INTO decisions (chain, claim_id, doc_id, claim, status, corrected, reviewer, decided_at, "
            "source_file) VALUES (COALESCE(?, 0), ?, ?, ?, ?, ?, ?, ?, ?)",
            (chain, machine["claim_id"], machine["doc_id"], json.dumps(machine, ensure_ascii=False),
             decision.status, json.dumps(decision.values(), ensure_ascii=False), reviewer, now, source_file))
        if chain is None:
            chain = cursor.lastrowid
            self.db.execute("UPDATE decisions SET chain = ? WHERE id = ?", (chain, chain))
        self.link(chain, machine)

    def link(self, chain: int, machine: dict) -> None:
        """Attach ``chain`` to the claim ``machine`` (replacing the chain's earlier link)."""
        self.db.execute("DELETE FROM links WHERE chain = ? OR claim_id = ?", (chain, machine["claim_id"]))
        self.db.execute("INSERT INTO links (claim_id, chain, machine) VALUES (?, ?, ?)",
                        (machine["claim_id"], chain, json.dumps(machine, ensure_ascii=False)))

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM links").fetchone()[0]


def exists(out: Path) -> bool:
    return (Path(out) / STORE).exists()
