"""The review round trip: reviewed claims back in, reviewed entities out as NER training data.

`berita review apply REVIEWED.csv --out DIR` validates a memberships file that
reviewers edited in a spreadsheet and writes ``DIR/reviewed_memberships.csv``;
nothing is written when any line is wrong, and every wrong line is reported
with its number.  `berita review export-ner ENTITIES.csv --out FILE.json`
turns accepted/corrected entities into Stanza NER training data for
`berita train ner --extra FILE.json`.
"""
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pandas as pd

from pipeline.export import COLUMNS, safe_name, unneutralise
from pipeline.io.atomic import write_text

STATUSES = ("accepted", "rejected", "corrected")
RELATIONS = ("member", "founder", "joined", "left", "applied", "observer", "partner", "invited")
CLAIM_FIELDS = ("member", "member_id", "organization", "organization_id", "relation", "date_text", "date_value")
REVIEWED = "reviewed_memberships.csv"


class ReviewError(ValueError):
    """A reviewed file that cannot be applied; ``problems`` lists one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _exported_claims(out: Path) -> pd.DataFrame:
    path = Path(out) / "memberships.csv"
    if not path.exists():
        raise ReviewError([f"{path} not found: apply a review to the folder it was exported from"])
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.map(unneutralise).set_index("claim_id", drop=False)


def _check_row(number: int, row: dict, exported: pd.DataFrame) -> list[str]:
    problems = []
    status = row["review_status"].strip()
    if status and status not in STATUSES:
        problems.append(f"line {number}: unknown review_status {status!r} (use {', '.join(STATUSES)} or leave empty)")
    if row["claim_id"] not in exported.index:
        problems.append(f"line {number}: unknown claim_id {row['claim_id']!r} (ids must not be edited)")
        return problems
    if row["relation"] not in RELATIONS:
        problems.append(f"line {number}: unknown relation {row['relation']!r} (use {', '.join(RELATIONS)})")
    original = exported.loc[row["claim_id"]]
    changed = [f for f in CLAIM_FIELDS if row[f] != original[f]]
    if changed and status != "corrected":
        problems.append(f"line {number}: {', '.join(changed)} changed but review_status is {status or 'empty'!r}, "
                        "not 'corrected'")
    return problems


def read_review(reviewed: Path, out: Path) -> pd.DataFrame:
    """The reviewed rows (with a decision), validated against the export in ``out``."""
    exported = _exported_claims(out)
    try:
        with open(reviewed, encoding="utf-8-sig", newline="") as handle:  # keep CRs inside cells
            text = handle.read()
    except (OSError, UnicodeDecodeError) as err:
        raise ReviewError([f"cannot read {reviewed}: {err}"]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    missing = [c for c in COLUMNS["memberships"] if c not in header]
    if missing:
        raise ReviewError([f"line 1: missing column(s) {', '.join(missing)}"])
    problems, rows = [], []
    for fields in reader:
        number = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            problems.append(f"line {number}: expected {len(header)} columns, found {len(fields)}")
            continue
        row = {k: unneutralise(v) for k, v in zip(header, fields)}
        problems += _check_row(number, row, exported)
        if row["review_status"].strip():
            rows.append(row)
    if problems:
        raise ReviewError(problems)
    return pd.DataFrame(rows, columns=header)


def apply_review(reviewed: Path, out: Path) -> Path:
    """Validate and write ``out/reviewed_memberships.csv`` (atomically)."""
    frame = read_review(reviewed, out)
    path = Path(out) / REVIEWED
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_csv(tmp, index=False)
    os.replace(tmp, path)
    return path


def reconcile(out: Path) -> tuple[int, list[str]]:
    """After a re-run: (decisions kept, claim_ids of decisions whose claim no longer exists)."""
    path = Path(out) / REVIEWED
    if not path.exists():
        return 0, []
    decisions = pd.read_csv(path, dtype=str, keep_default_na=False)
    current = set(pd.read_csv(Path(out) / "memberships.csv", dtype=str, keep_default_na=False)["claim_id"])
    orphans = [c for c in decisions["claim_id"] if c not in current]
    return len(decisions) - len(orphans), orphans


# ------------------------------------------------------------ entities -> NER


def _bio(tokens: list[tuple[int, int, str]], entities: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    tags = []
    for start, end, text in tokens:
        tag = "O"
        for e_start, e_end, label in entities:
            if e_start <= start and end <= e_end:
                tag = ("B-" if start == e_start or not tags or tags[-1][1] == "O" else "I-") + label
        tags.append((text, tag))
    return tags


NER_LABEL = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC"}


def export_ner(entities_csv: Path, texts: Path, target: Path) -> int:
    """Sentences whose entities were all reviewed, tagged with the accepted/corrected ones.

    A sentence that still holds an unreviewed entity is left out: its missing
    decisions would teach the model that entity is not one.
    """
    from pipeline import nlp

    frame = pd.read_csv(entities_csv, dtype=str, keep_default_na=False).map(unneutralise)
    if "review_status" not in frame:
        raise ReviewError([f"{entities_csv}: no review_status column"])
    tokenizer = nlp.load_pipeline(("tokenize",))
    sentences = []
    for doc_id, group in frame.groupby("doc_id"):
        text = (Path(texts) / f"{safe_name(doc_id)}.txt").read_text(encoding="utf-8")
        for sentence in tokenizer(text).sentences:
            start, end = sentence.tokens[0].start_char, sentence.tokens[-1].end_char
            inside = group[(group["char_start"].astype(int) >= start) & (group["char_end"].astype(int) <= end)]
            if inside.empty or (inside["review_status"] == "").any():
                continue
            keep = inside[inside["review_status"].isin(("accepted", "corrected")) & inside["label"].isin(NER_LABEL)]
            spans = [(int(r.char_start), int(r.char_end), NER_LABEL[r.label]) for r in keep.itertuples()]
            tokens = [(t.start_char, t.end_char, t.text) for t in sentence.tokens]
            sentences.append(_bio(tokens, spans))
    write_text(Path(target), json.dumps([[{"text": t, "ner": g} for t, g in s] for s in sentences],
                                        ensure_ascii=False))
    return len(sentences)
