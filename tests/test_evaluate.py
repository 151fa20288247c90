"""Scoring of an output folder against gold records."""
import json
import subprocess
import sys

import pandas as pd

from pipeline.evaluate import evaluate, report
from pipeline.export import COLUMNS


def _write(out, table, rows):
    pd.DataFrame(rows, columns=COLUMNS[table]).to_csv(out / f"{table}.csv", index=False)


def test_scores_follow_the_devset_rules(tmp_path):
    gold = {"id": "a", "memberships": [["ARM", "CSTO", "founder", "1992-05-15"], ["UZB", "CSTO", "left", "2012"],
                                       ["GEO", "CSTO", "joined", None]],
            "optional": [["BLR", "CSTO", "member", None]],
            "dates": [["tahun 1993", "1993"], ["2012", "2012"]],
            "entities": [["Kremlin", "ORG|LOC"], ["Moskow", "LOC"]], "absent": ["Jerman"]}
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold) + "\n")
    claim = dict.fromkeys(COLUMNS["memberships"], "")
    _write(tmp_path, "memberships", [
        {**claim, "doc_id": "a", "member_id": "ARM", "organization_id": "CSTO", "relation": "founder",
         "date_value": "1992-05-15", "negated": "false"},
        {**claim, "doc_id": "a", "member_id": "UZB", "organization_id": "CSTO", "relation": "left",
         "date_value": "1999", "negated": "false"},
        {**claim, "doc_id": "a", "member_id": "BLR", "organization_id": "CSTO", "relation": "member",
         "negated": "false"},
        {**claim, "doc_id": "a", "member_id": "RUS", "organization_id": "CSTO", "relation": "left",
         "negated": "false", "claim_id": "c42", "evidence": "Rusia keluar dari CSTO."},
        {**claim, "doc_id": "a", "member_id": "GEO", "organization_id": "CSTO", "relation": "joined",
         "negated": "true"},
    ])
    ent = dict.fromkeys(COLUMNS["entities"], "")
    _write(tmp_path, "entities", [{**ent, "doc_id": "a", "text": "Kremlin", "label": "ORG"},
                                  {**ent, "doc_id": "a", "text": "Moskow", "label": "PER"},
                                  {**ent, "doc_id": "a", "text": "Jerman", "label": "GPE"}])
    date = dict.fromkeys(COLUMNS["dates"], "")
    _write(tmp_path, "dates", [{**date, "doc_id": "a", "text": "tahun 1993", "value": "1993"},
                               {**date, "doc_id": "a", "text": "2012", "value": "2011"}])
    _write(tmp_path, "documents", [{"doc_id": "a", "status": "ok"}])
    scores = evaluate(tmp_path / "gold.jsonl", tmp_path)
    assert (scores.tp, scores.fp, scores.fn) == (2, 1, 1)
    figures = scores.figures()
    assert figures["dated_claim_accuracy"] == 0.5
    assert figures["entity_recall"] == 0.5 and figures["date_recall"] == 0.5
    assert figures["absent_entities_seen"] == 1
    lines = report(scores, verbose=True).splitlines()
    assert lines[0] == "a"  # misses grouped by document, each a readable line with its evidence and claim id
    assert '  spurious claim: RUS left CSTO: "Rusia keluar dari CSTO." [c42]' in lines
    assert "  missed claim: GEO joined CSTO" in lines
    assert "  wrong date: UZB left CSTO (1999), gold 2012" in lines
    assert "left        1    1    0  0.500  1.000  0.667" in lines  # per relation
    assert "CSTO            2    1    1  0.667  0.667  0.667" in lines  # per organisation


def test_gold_documents_missing_from_the_output_are_warned_about(tmp_path):
    gold = [{"id": "a", "memberships": [["ARM", "CSTO", "member", None]]}, {"id": "b"}, {"id": "c"}]
    (tmp_path / "gold.jsonl").write_text("\n".join(json.dumps(g) for g in gold) + "\n")
    _write(tmp_path, "documents", [{"doc_id": "c", "status": "error"}])
    for table in ("memberships", "entities", "dates"):
        _write(tmp_path, table, [])
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "evaluate", str(tmp_path / "gold.jsonl"),
                           str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == ["warning: 2 gold document(s) not in the output folder (their claims count as missed): a, b",
                         "warning: 1 gold document(s) failed in the output (their claims count as missed): c"]
