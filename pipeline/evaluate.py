"""`berita evaluate GOLD.jsonl OUT_DIR`: score an output folder against gold records.

The gold format and the scoring are those of ``shared/devset/README.md``:
claim precision/recall/F1 over the non-negated rows of memberships.csv
(``optional`` claims neither rewarded nor penalised), dated-claim accuracy on
matched claims whose gold has a date, entity recall, date recall, and the
boilerplate texts that must not appear as entities.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pandas as pd

from pipeline.export import unneutralise

LABEL_GROUPS = {"PER": {"PER"}, "ORG": {"ORG"}, "LOC": {"LOC", "GPE"}, "ORG|LOC": {"ORG", "LOC", "GPE"}}


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    dated: int = 0
    dated_right: int = 0
    entities: int = 0
    entities_found: int = 0
    dates: int = 0
    dates_found: int = 0
    absent_seen: int = 0
    notes: list[str] = field(default_factory=list)

    @staticmethod
    def ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    @property
    def precision(self) -> float:
        return self.ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self.ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> dict[str, float]:
        return {
            "claim_precision": round(self.precision, 4), "claim_recall": round(self.recall, 4),
            "claim_f1": round(self.f1, 4), "dated_claim_accuracy": round(self.ratio(self.dated_right, self.dated), 4),
            "entity_recall": round(self.ratio(self.entities_found, self.entities), 4),
            "date_recall": round(self.ratio(self.dates_found, self.dates), 4), "absent_entities_seen": self.absent_seen,
        }


def _read(out: Path, table: str) -> pd.DataFrame:
    path = Path(out) / f"{table}.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: is {out} a `berita annotate` output folder?")
    return pd.read_csv(path, dtype=str, keep_default_na=False).map(unneutralise)


def score_document(gold: dict, claims: pd.DataFrame, ents: pd.DataFrame, dts: pd.DataFrame, s: Scores) -> None:
    """Add one document's counts to ``s`` (and its misses to ``s.notes``)."""
    doc_id = gold["id"]
    rows = claims[claims["negated"].str.lower() != "true"]
    predicted = defaultdict(set)
    for r in rows.itertuples():
        predicted[(r.member_id, r.organization_id, r.relation)].add(r.date_value)
    gold_claims = {tuple(c[:3]): c[3] for c in gold.get("memberships", [])}
    optional = {tuple(c[:3]) for c in gold.get("optional", [])}
    for key, value in gold_claims.items():
        if key in predicted:
            s.tp += 1
            if value:
                s.dated += 1
                if value in predicted[key]:
                    s.dated_right += 1
                else:
                    s.notes.append(f"{doc_id}: wrong date {key}: {sorted(predicted[key])} (gold {value})")
        else:
            s.fn += 1
            s.notes.append(f"{doc_id}: missed claim {key} {value or ''}".rstrip())
    for key in predicted:
        if key not in gold_claims and key not in optional:
            s.fp += 1
            s.notes.append(f"{doc_id}: spurious claim {key}")
    for text, group in gold.get("entities", []):
        s.entities += 1
        if ((ents["text"] == text) & ents["label"].isin(LABEL_GROUPS[group])).any():
            s.entities_found += 1
        else:
            s.notes.append(f"{doc_id}: missed entity {text!r} ({group})")
    for text, value in gold.get("dates", []):
        s.dates += 1
        if ((dts["text"] == text) & (dts["value"] == value)).any():
            s.dates_found += 1
        else:
            s.notes.append(f"{doc_id}: missed date {text!r} = {value}")
    for text in gold.get("absent", []):
        if ents["text"].str.contains(text, regex=False).any():
            s.absent_seen += 1
            s.notes.append(f"{doc_id}: boilerplate entity {text!r}")


class GoldError(ValueError):
    """The gold file is not gold JSONL."""


def read_gold(path: Path) -> Iterator[dict]:
    """The gold records of a JSONL file, each checked to be an object with an ``id``."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        raise GoldError(f"{path}: not UTF-8 text (byte {err.start}); the gold file is JSONL") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            gold = json.loads(line)
        except json.JSONDecodeError as err:
            raise GoldError(f"{path}:{number}: not a JSON line ({err.msg}); the gold file is JSONL, "
                            "one record per line (shared/devset/README.md)") from None
        if not isinstance(gold, dict) or "id" not in gold:
            raise GoldError(f"{path}:{number}: a gold record is a JSON object with an 'id'")
        yield gold


def evaluate(gold_path: Path, out: Path) -> Scores:
    """Scores of an output folder against a gold JSONL file."""
    claims, ents, dts = _read(out, "memberships"), _read(out, "entities"), _read(out, "dates")
    scores = Scores()
    for gold in read_gold(gold_path):
        pick = lambda frame: frame[frame["doc_id"] == gold["id"]]  # noqa: E731
        score_document(gold, pick(claims), pick(ents), pick(dts), scores)
    return scores


def report(scores: Scores, verbose: bool = False) -> str:
    """The printed report: misses first when verbose, the figures last."""
    lines = list(scores.notes) if verbose else []
    f = scores.figures()
    lines.append(f"claims: P {f['claim_precision']:.3f} R {f['claim_recall']:.3f} F1 {f['claim_f1']:.3f} "
                 f"(tp {scores.tp}, fp {scores.fp}, fn {scores.fn}); dated-claim accuracy "
                 f"{f['dated_claim_accuracy']:.3f} ({scores.dated_right}/{scores.dated})")
    lines.append(f"entity recall {f['entity_recall']:.3f} ({scores.entities_found}/{scores.entities}); "
                 f"date recall {f['date_recall']:.3f} ({scores.dates_found}/{scores.dates}); "
                 f"boilerplate entities {f['absent_entities_seen']}")
    return "\n".join(lines)
