"""Review round trip and spreadsheet safety, on an output folder built from records."""
import csv

import pandas as pd
import pytest

from pipeline.export import COLUMNS, DocumentRecords, neutralise, unneutralise, write_tables
from pipeline.review import REVIEWED, ReviewError, apply_review, read_review, reconcile

HOSTILE = ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "'quoted", "''", "biasa"]


def _claim(i: int, evidence: str) -> dict:
    row = dict.fromkeys(COLUMNS["memberships"], "")
    row.update(doc_id="d", claim_id=f"c{i}", member="Armenia", member_id="ARM", organization="CSTO",
               organization_id="CSTO", relation="member", negated="false", sentence_index=0, char_start=0,
               char_end=len(evidence), evidence=evidence)
    return row


@pytest.fixture
def out(tmp_path):
    records = DocumentRecords(document={"doc_id": "d", "status": "ok"})
    records.rows["memberships"] = [_claim(i, text) for i, text in enumerate(HOSTILE)]
    write_tables([records], tmp_path, parquet=True)
    return tmp_path


@pytest.mark.parametrize("value", HOSTILE + ["", "a=b"])
def test_neutralise_is_exactly_reversible(value):
    assert unneutralise(neutralise(value)) == value


def test_no_exported_cell_starts_like_a_formula(out):
    with open(out / "memberships.csv", newline="", encoding="utf-8") as handle:
        for row in list(csv.reader(handle))[1:]:
            for cell in row:
                assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell
    assert list(pd.read_parquet(out / "memberships.parquet")["evidence"]) == HOSTILE


def _edit(out, path, changes: dict[int, dict]) -> None:
    frame = pd.read_csv(out / "memberships.csv", dtype=str, keep_default_na=False)
    for index, values in changes.items():
        for column, value in values.items():
            frame.loc[index, column] = value
    frame.to_csv(path, index=False, lineterminator="\r\n")  # as spreadsheets save CSV


def test_apply_restores_hostile_text_and_keeps_decisions(out, tmp_path_factory):
    reviewed = tmp_path_factory.mktemp("r") / "reviewed.csv"
    _edit(out, reviewed, {0: {"review_status": "accepted"}, 1: {"review_status": "rejected"},
                          2: {"review_status": "corrected", "relation": "founder", "date_value": "1992-05-15"}})
    written = pd.read_csv(apply_review(reviewed, out), dtype=str, keep_default_na=False)
    assert list(written["review_status"]) == ["accepted", "rejected", "corrected"]
    assert list(written["evidence"]) == HOSTILE[:3]
    assert written.loc[2, "relation"] == "founder"
    assert reconcile(out) == (3, [])


@pytest.mark.parametrize("changes,message", [
    ({0: {"review_status": "acepted"}}, "line 2: unknown review_status 'acepted'"),
    ({1: {"claim_id": "edited"}}, "line 3: unknown claim_id 'edited'"),
    ({0: {"review_status": "corrected", "relation": "friend"}}, "line 2: unknown relation 'friend'"),
    ({3: {"member_id": "RUS", "review_status": "accepted"}}, "line 5: member_id changed but review_status"),
])
def test_bad_reviews_are_refused_with_line_numbers_and_nothing_written(out, tmp_path, changes, message):
    reviewed = tmp_path / "reviewed.csv"
    _edit(out, reviewed, changes)
    with pytest.raises(ReviewError) as err:
        apply_review(reviewed, out)
    assert any(p.startswith(message) for p in err.value.problems), err.value.problems
    assert not (out / REVIEWED).exists()


def test_wrong_column_count_is_refused(out, tmp_path):
    lines = (out / "memberships.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2] + ",extra"
    (tmp_path / "reviewed.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="line 3: expected 15 columns, found 16"):
        read_review(tmp_path / "reviewed.csv", out)


def test_decisions_of_vanished_claims_are_reported(out, tmp_path):
    reviewed = tmp_path / "reviewed.csv"
    _edit(out, reviewed, {0: {"review_status": "accepted"}, 4: {"review_status": "rejected"}})
    apply_review(reviewed, out)
    records = DocumentRecords(document={"doc_id": "d", "status": "ok"})
    records.rows["memberships"] = [_claim(0, HOSTILE[0])]
    write_tables([records], out)
    assert reconcile(out) == (1, ["c4"])
