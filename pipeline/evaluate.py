"""`berita evaluate GOLD.jsonl OUT_DIR`: score an output folder against gold records.

The gold format and the scoring are those of ``shared/devset/README.md``:
claim precision/recall/F1 over the non-negated rows of memberships.csv
(``optional`` claims neither rewarded nor penalised), dated-claim accuracy on
matched claims whose gold has a date, entity recall, date recall, and the
boilerplate texts that must not appear as entities.

The report explains itself: gold documents missing from the output are
warned about (their claims count as missed), claims are scored per relation
and per organisation too, and ``--verbose`` lists every miss as a readable
line with its evidence and claim id, grouped by document.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
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
    notes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_relation: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    by_organization: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    missing: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def count(self, outcome: str, key: tuple) -> None:
        """One claim outcome (tp, fp, fn) for its (member, organisation, relation) key, overall and per group."""
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.by_organization[key[1]][outcome] += 1
        self.by_relation[key[2]][outcome] += 1

    def warnings(self) -> list[str]:
        """Gold documents the output lacks or failed on: their claims all count as missed."""
        lines = []
        for docs, what in ((self.missing, "not in the output folder"), (self.failed, "failed in the output")):
            if docs:
                shown = ", ".join(docs[:10]) + (f" and {len(docs) - 10} more" if len(docs) > 10 else "")
                lines.append(f"warning: {len(docs)} gold document(s) {what} (their claims count as missed): {shown}")
        return lines

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


def _claim(key: tuple, date: str | None = None) -> str:
    return f"{key[0]} {key[2]} {key[1]}" + (f" ({date})" if date else "")


def _evidence(rows: pd.DataFrame, key: tuple) -> str:
    """The first sentence and claim id that state ``key``, for a reader to find it."""
    match = rows[(rows["member_id"] == key[0]) & (rows["organization_id"] == key[1]) & (rows["relation"] == key[2])]
    if match.empty or not match.iloc[0]["evidence"]:
        return ""
    first = match.iloc[0]
    more = f" (+{len(match) - 1} more)" if len(match) > 1 else ""
    return f': "{first["evidence"]}" [{first["claim_id"]}]{more}'


def score_document(gold: dict, claims: pd.DataFrame, ents: pd.DataFrame, dts: pd.DataFrame, s: Scores) -> None:
    """Add one document's counts to ``s`` (and its misses to ``s.notes``)."""
    notes = s.notes[gold["id"]]
    rows = claims[claims["negated"].str.lower() != "true"]
    predicted = defaultdict(set)
    for r in rows.itertuples():
        predicted[(r.member_id, r.organization_id, r.relation)].add(r.date_value)
    gold_claims = {tuple(c[:3]): c[3] for c in gold.get("memberships", [])}
    optional = {tuple(c[:3]) for c in gold.get("optional", [])}
    for key, value in gold_claims.items():
        if key in predicted:
            s.count("tp", key)
            if value:
                s.dated += 1
                if value in predicted[key]:
                    s.dated_right += 1
                else:
                    notes.append(f"wrong date: {_claim(key, ', '.join(sorted(predicted[key])) or 'undated')}, "
                                 f"gold {value}{_evidence(rows, key)}")
        else:
            s.count("fn", key)
            notes.append(f"missed claim: {_claim(key, value)}")
    for key in predicted:
        if key not in gold_claims and key not in optional:
            s.count("fp", key)
            notes.append(f"spurious claim: {_claim(key)}{_evidence(rows, key)}")
    for text, group in gold.get("entities", []):
        s.entities += 1
        if ((ents["text"] == text) & ents["label"].isin(LABEL_GROUPS[group])).any():
            s.entities_found += 1
        else:
            notes.append(f"missed entity {text!r} ({group})")
    for text, value in gold.get("dates", []):
        s.dates += 1
        if ((dts["text"] == text) & (dts["value"] == value)).any():
            s.dates_found += 1
        else:
            notes.append(f"missed date {text!r} = {value}")
    for text in gold.get("absent", []):
        if ents["text"].str.contains(text, regex=False).any():
            s.absent_seen += 1
            notes.append(f"boilerplate entity {text!r}")


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
    status = _read(out, "documents").set_index("doc_id")["status"]
    scores = Scores()
    for gold in read_gold(gold_path):
        if gold["id"] not in status.index:
            scores.missing.append(gold["id"])
        elif status[gold["id"]] != "ok":
            scores.failed.append(gold["id"])
        pick = lambda frame: frame[frame["doc_id"] == gold["id"]]  # noqa: E731
        score_document(gold, pick(claims), pick(ents), pick(dts), scores)
    return scores


def _table(title: str, groups: dict[str, Counter]) -> list[str]:
    """Claim counts and scores per group, one aligned line each."""
    width = max([len(title), *map(len, groups)])
    lines = [f"{title:<{width}}   tp   fp   fn      P      R     F1"]
    for name, c in sorted(groups.items()):
        p, r = Scores.ratio(c["tp"], c["tp"] + c["fp"]), Scores.ratio(c["tp"], c["tp"] + c["fn"])
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"{name:<{width}} {c['tp']:4d} {c['fp']:4d} {c['fn']:4d}  {p:.3f}  {r:.3f}  {f1:.3f}")
    return lines


def report(scores: Scores, verbose: bool = False) -> str:
    """The printed report: warnings, misses by document (verbose), tables per relation and organisation, figures."""
    lines = scores.warnings()
    if verbose:
        for doc_id, notes in sorted(scores.notes.items()):
            if notes:
                lines += [doc_id] + [f"  {note}" for note in notes]
    lines += _table("relation", scores.by_relation) + _table("organisation", scores.by_organization)
    f = scores.figures()
    lines.append(f"claims: P {f['claim_precision']:.3f} R {f['claim_recall']:.3f} F1 {f['claim_f1']:.3f} "
                 f"(tp {scores.tp}, fp {scores.fp}, fn {scores.fn}); dated-claim accuracy "
                 f"{f['dated_claim_accuracy']:.3f} ({scores.dated_right}/{scores.dated})")
    lines.append(f"entity recall {f['entity_recall']:.3f} ({scores.entities_found}/{scores.entities}); "
                 f"date recall {f['date_recall']:.3f} ({scores.dates_found}/{scores.dates}); "
                 f"boilerplate entities {f['absent_entities_seen']}")
    return "\n".join(lines)
