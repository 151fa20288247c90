"""Review decisions in and out of an output folder, never losing one.

`berita review apply REVIEWED.csv --out DIR` validates a file of decisions
(``review_status`` accepted / rejected / corrected, corrected values in the
claim's own columns) and merges it into the review store: new decisions are
added, changed ones continue their claim's history, unchanged ones are
counted.  Nothing is recorded when any line is wrong.  ``facts.csv`` is
rebuilt afterwards, so facts follow decisions.

After every `berita annotate` run (and every apply), :func:`reconcile`
re-attaches each decision to its claim by content, not by offsets, so that
an edited article keeps its decisions, and rewrites ``memberships.csv`` with
the current decisions and ``reviewed_memberships.csv`` with every decision.
``DIR/.berita/claims.csv`` keeps the claims as the pipeline produced them,
so a corrected claim can always be told from its correction.
"""
from __future__ import annotations

import re
import shutil
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from difflib import SequenceMatcher
from pathlib import Path

import pandas as pd

from pipeline.export import COLUMNS, unneutralise, write_csv
from pipeline.review.facts import write_facts
from pipeline.review.problems import ReviewError
from pipeline.review.sheets import read_sheet, reformatted_date
from pipeline.review.store import Current, Decision, ReviewStore, exists
from pipeline.review.validate import correction_problem

STATUSES = ("accepted", "rejected", "corrected")
CLAIM_FIELDS = ("member", "member_id", "organization", "organization_id", "relation", "date_text", "date_value")
REQUIRED = ("doc_id", "claim_id", *CLAIM_FIELDS, "review_status")
REVIEWED = "reviewed_memberships.csv"
MACHINE = Path(".berita") / "claims.csv"
HISTORY_COLUMNS = ("reviewer", "decided_at", "source_file", "orphaned")
SAME_SENTENCE = 0.8  # similarity above which an edited evidence sentence is still the same sentence
NUMBER = re.compile(r"[\d.,]+(E[+-]?\d+)?", re.IGNORECASE)


@dataclass
class Applied:
    """What `review apply` did: counts for the summary line, notes on what was read leniently."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    total: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.new} new, {self.changed} changed, {self.unchanged} unchanged; "
                f"{self.total} decisions in the review store")


def normalise(text: str) -> str:
    """Evidence text for matching: Unicode-normalised, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def claim_key(claim: dict) -> tuple[str, ...]:
    """What a claim says, whatever its offsets: document, member, organisation, relation."""
    return claim["doc_id"], claim["member_id"], claim["organization_id"], claim["relation"]


def similarity(a: str, b: str) -> float:
    """How many of the shorter sentence's words the longer one holds, in order (1.0: the same, or one inside the other).

    Words, not characters: two unrelated short sentences share many letters.
    """
    a, b = normalise(a).split(), normalise(b).split()
    if a == b:
        return 1.0
    matched = sum(block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return matched / max(1, min(len(a), len(b)))


class Claims:
    """The claims of an export as the pipeline produced them, by id and by what they say."""

    def __init__(self, rows: list[dict]):
        self.by_id = {r["claim_id"]: r for r in rows}
        self.by_key: dict[tuple, list[dict]] = defaultdict(list)
        for row in rows:
            self.by_key[claim_key(row)].append(row)

    def match(self, snapshot: dict, taken: set[str]) -> dict | None:
        """The free claim that says what the snapshot says, in the same or a lightly edited sentence.

        The same sentence wins over an edited one (a dateline such as
        ``JAKARTA -`` put in front still matches), then the more similar;
        among equals the same date and polarity, then the nearest offsets
        break the tie.
        """
        evidence = normalise(snapshot["evidence"])
        scored = [(similarity(c["evidence"], evidence), c)
                  for c in self.by_key.get(claim_key(snapshot), []) if c["claim_id"] not in taken]
        best = min((x for x in scored if x[0] >= SAME_SENTENCE), default=None, key=lambda x: (
            normalise(x[1]["evidence"]) != evidence, -x[0], x[1]["date_value"] != snapshot["date_value"],
            x[1]["negated"] != snapshot["negated"], abs(int(x[1]["char_start"]) - int(snapshot["char_start"]))))
        return best[1] if best else None


def _table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False).map(unneutralise)


def _exported(out: Path) -> pd.DataFrame:
    path = Path(out) / "memberships.csv"
    if not path.exists():
        raise ReviewError([f"{path} not found: apply a review to the folder it was exported from"])
    return _table(path)


def _machine(out: Path) -> Claims:
    """The pipeline's own claims: the copy taken right after annotate, else memberships.csv (older folders)."""
    path = Path(out) / MACHINE
    return Claims(_table(path if path.exists() else Path(out) / "memberships.csv").to_dict("records"))


def row_decision(cells: dict) -> Decision | None:
    """The decision a row states as written (None without a status)."""
    status = cells["review_status"].strip().lower()
    if not status:
        return None
    if status != "corrected":
        return Decision(status)
    return Decision(status, tuple(sorted((f, cells[f].strip()) for f in CLAIM_FIELDS)))


def decided(machine: dict, current: Current | None) -> dict:
    """A claim as the export shows it: the pipeline's values with the current decision's corrections."""
    row = dict(machine)
    row["review_status"] = current.decision.status if current else ""
    if current:
        row.update(current.decision.values())
    return row


def describe(claim: dict) -> str:
    """A claim as a reviewer reads it (not as a bare id)."""
    date = f" ({claim['date_value']})" if claim["date_value"] else ""
    negated = " [negated]" if claim.get("negated") == "true" else ""
    return (f"{claim['doc_id']}: {claim['member']} ({claim['member_id']}) {claim['relation']} "
            f"{claim['organization_id']}{date}{negated}, \"{claim['evidence']}\" [{claim['claim_id']}]")


# ------------------------------------------------------------------ apply


def _unknown_id(number: int, claim_id: str) -> str:
    hint = (" - a spreadsheet turned it into a number: format the claim_id column as Text before editing"
            if NUMBER.fullmatch(claim_id) else " (ids must not be edited)")
    return f"line {number}: claim_id {claim_id!r} is not in this export{hint}"


def _resolve(number: int, cells: dict, claims: Claims, store: ReviewStore, notes: list[str]) -> dict | None:
    """The exported claim a row is about: by id, else (an export older than the last run) by content."""
    claim_id = cells["claim_id"].strip()
    if claim_id in claims.by_id:
        return claims.by_id[claim_id]
    snapshot = store.snapshot(claim_id) or cells
    if not {"evidence", "negated"} <= snapshot.keys() or not str(snapshot.get("char_start", "")).isdigit():
        return None
    match = claims.match(snapshot, set())
    if match:
        notes.append(f"line {number}: claim {claim_id} was re-extracted since this file was exported; "
                     f"matched by content to {match['claim_id']}")
    return match


def _check(number: int, cells: dict, machine: dict, notes: list[str]) -> tuple[Decision | None, list[str]]:
    """The row's decision on ``machine`` and what is wrong with it."""
    status = cells["review_status"].strip()
    if status.lower() not in STATUSES:
        return None, [f"line {number}: unknown review_status {status!r} (use {', '.join(STATUSES)} or leave empty)"]
    if reformatted_date(cells["date_value"].strip(), machine["date_value"]):
        notes.append(f"line {number}: date_value {cells['date_value']!r} read as {machine['date_value']} "
                     "(a spreadsheet reformatted it; format the column as Text to keep ISO dates)")
        cells = {**cells, "date_value": machine["date_value"]}
    changed = [f for f in CLAIM_FIELDS if cells[f].strip() != machine[f]]
    decision = row_decision(cells)
    if decision.status != "corrected":
        return decision, [f"line {number}: {', '.join(changed)} changed but review_status is {status!r}, "
                          "not 'corrected'"] if changed else []
    if not changed:
        return decision, [f"line {number}: review_status is 'corrected' but no claim column was changed "
                          "(use 'accepted', or correct member/organisation/relation/date columns)"]
    values = decision.values()
    return decision, [f"line {number}: {p}" for f in changed if (p := correction_problem(f, values[f]))]


def _parse(sheet, claims: Claims, store: ReviewStore, notes: list[str]) -> list[tuple[dict, Decision]]:
    """Every decision of a reviewed file, validated; raises with every wrong line."""
    problems: list[str] = []
    seen: dict[str, tuple[int, Decision]] = {}
    parsed = []
    for number, fields in sheet.rows:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(sheet.header):
            problems.append(f"line {number}: expected {len(sheet.header)} columns, found {len(fields)}")
            continue
        cells = dict(zip(sheet.header, fields))
        if not cells["review_status"].strip():
            continue
        machine = _resolve(number, cells, claims, store, notes)
        if machine is None:
            problems.append(_unknown_id(number, cells["claim_id"].strip()))
            continue
        decision, wrong = _check(number, cells, machine, notes)
        problems += wrong
        first = seen.setdefault(machine["claim_id"], (number, decision))
        if first[1] != decision:
            problems.append(f"line {number}: conflicts with line {first[0]} on claim {machine['claim_id']} "
                            f"({first[1].status} there, {decision.status} here); keep one decision per claim")
        elif first[0] == number and not wrong:
            parsed.append((machine, decision))
    if problems:
        raise ReviewError(problems)
    return parsed


def apply_review(reviewed: Path, out: Path, reviewer: str = "") -> Applied:
    """Merge a reviewed file's decisions into ``out``'s review store, then refresh the exported files."""
    sheet = read_sheet(reviewed)
    missing = [c for c in REQUIRED if c not in sheet.header]
    if missing:
        raise ReviewError([f"line 1: missing column(s) {', '.join(missing)}"])
    _exported(out)
    result = Applied(notes=list(sheet.notes))
    with ReviewStore(out) as store:
        parsed = _parse(sheet, _machine(out), store, result.notes)
        if not parsed:
            raise ReviewError([f"{reviewed}: no decisions (review_status is empty on every line); nothing applied"])
        current = store.current()
        source = str(Path(reviewed).resolve())
        for machine, decision in parsed:
            link = current.get(machine["claim_id"])
            if link and link.decision == decision:
                result.unchanged += 1
                continue
            result.changed += bool(link)
            result.new += not link
            store.record(machine, decision, reviewer, source, link.chain if link else None)
        result.total = store.count()
        _export(out, store)
    write_facts(out)
    return result


# ------------------------------------------------------------------ after a run


def reconcile(out: Path) -> tuple[int, list[str]]:
    """Re-attach decisions to the claims of a fresh run: (decisions in place, orphans described).

    A claim with the same id keeps its decision; others are matched by
    content (see :class:`Claims`).  A decision that matches nothing stays in
    the store, linked to its old claim, and re-attaches if the claim returns.
    """
    out = Path(out)
    (out / MACHINE).parent.mkdir(parents=True, exist_ok=True)
    write_csv(_exported(out), out / MACHINE)
    if not exists(out):
        return 0, []
    claims = _machine(out)
    with ReviewStore(out) as store:
        current = store.current()
        taken = {c for c in current if c in claims.by_id}
        orphans = []
        for claim_id, link in current.items():
            if claim_id in claims.by_id:
                store.link(link.chain, claims.by_id[claim_id])
                continue
            match = claims.match(link.machine, taken)
            if match:
                taken.add(match["claim_id"])
                store.link(link.chain, match)
            else:
                orphans.append(f"{describe(link.machine)} {link.decision.status}")
        _export(out, store)
    return len(current) - len(orphans), orphans


def _export(out: Path, store: ReviewStore) -> None:
    """memberships.csv with the current decisions (unapplied edits left alone), reviewed_memberships.csv in full."""
    current = store.current()
    claims = _machine(out)
    exported = _exported(out)
    rows = []
    for cells in exported.to_dict("records"):
        decision = row_decision(cells)
        if decision and decision not in store.history(cells["claim_id"]):
            rows.append(cells)  # a decision never applied: the reviewer's, not ours to overwrite
        else:
            rows.append(decided(claims.by_id.get(cells["claim_id"], cells), current.get(cells["claim_id"])))
    write_csv(pd.DataFrame(rows, columns=exported.columns), out / "memberships.csv")
    reviewed = [{**decided(link.machine, link), "reviewer": link.reviewer, "decided_at": link.decided_at,
                 "source_file": link.source_file, "orphaned": str(claim_id not in claims.by_id).lower()}
                for claim_id, link in sorted(current.items(), key=lambda item: (item[1].machine["doc_id"], item[0]))]
    write_csv(pd.DataFrame(reviewed, columns=[*COLUMNS["memberships"], *HISTORY_COLUMNS]), out / REVIEWED)


# ------------------------------------------------------------------ before a run


def unapplied(out: Path) -> int:
    """How many decisions in ``out/memberships.csv`` were never applied to the review store."""
    path = Path(out) / "memberships.csv"
    if not path.exists():
        return 0
    sheet = read_sheet(path)
    if "review_status" not in sheet.header or "claim_id" not in sheet.header:
        return 0
    rows = [dict(zip(sheet.header, fields)) for _, fields in sheet.rows if len(fields) == len(sheet.header)]
    pending = [r for r in rows if r["review_status"].strip()]
    if not pending or not exists(out):
        return len(pending)
    with ReviewStore(out) as store:
        return sum(row_decision(r) not in store.history(r["claim_id"].strip()) for r in pending)


def guard_unapplied(out: Path, discard: bool) -> str | None:
    """Refuse a run that would overwrite unapplied decisions; with ``discard``, set the file aside instead."""
    pending = unapplied(out)
    if not pending:
        return None
    path = Path(out) / "memberships.csv"
    if not discard:
        raise ReviewError([f"{path} holds {pending} review decision(s) never applied; apply them first: "
                           f"berita review apply {path} --out {out} (or re-run with --discard-unapplied)"])
    kept = Path(out) / ".berita" / "discarded" / f"memberships-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}.csv"
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, kept)
    return f"{pending} unapplied review decision(s) discarded; the file is kept as {kept}"

