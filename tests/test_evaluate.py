"""Scoring of an output folder against gold records."""
import json

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
         "negated": "false"},
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
    scores = evaluate(tmp_path / "gold.jsonl", tmp_path)
    assert (scores.tp, scores.fp, scores.fn) == (2, 1, 1)
    figures = scores.figures()
    assert figures["dated_claim_accuracy"] == 0.5
    assert figures["entity_recall"] == 0.5 and figures["date_recall"] == 0.5
    assert figures["absent_entities_seen"] == 1
    text = report(scores, verbose=True)
    assert "spurious claim ('RUS', 'CSTO', 'left')" in text and "missed claim ('GEO', 'CSTO', 'joined')" in text
