"""Review round trip and spreadsheet safety, on an output folder built from records (no models)."""
import csv
import io
import sqlite3

import pandas as pd
import pytest

from pipeline.export import COLUMNS, DocumentRecords, neutralise, stable_id, unneutralise, write_tables
from pipeline.review import REVIEWED, ReviewError, apply_review, guard_unapplied, reconcile, unapplied
from pipeline.review.store import STORE

HOSTILE = ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "'quoted", "''", "biasa"]


def _claim(i: int, evidence: str, start: int = 0, **values) -> dict:
    row = dict.fromkeys(COLUMNS["memberships"], "")
    row.update(doc_id="d", claim_id=f"c{i}-{start}", member="Armenia", member_id="ARM", organization="CSTO",
               organization_id="CSTO", relation="member", negated="false", sentence_index=0, char_start=start,
               char_end=start + len(evidence), evidence=evidence)
    row.update(values)
    return row


def _run(folder, claims: list[dict]) -> tuple[int, list[str]]:
    """What `berita annotate` does to the folder: the tables, then the decisions re-attached."""
    records = DocumentRecords(document={"doc_id": "d", "status": "ok"})
    records.rows["memberships"] = claims
    write_tables([records], folder, parquet=True)
    return reconcile(folder)


@pytest.fixture
def out(tmp_path):
    _run(tmp_path, [_claim(i, text) for i, text in enumerate(HOSTILE)])
    return tmp_path


def _exported(out):
    return pd.read_csv(out / "memberships.csv", dtype=str, keep_default_na=False)


def _edit(out, path, changes: dict[int, dict], **to_csv) -> None:
    """A reviewer's file: the export with some cells changed, saved as spreadsheets save CSV."""
    frame = _exported(out)
    for index, values in changes.items():
        for column, value in values.items():
            frame.loc[index, column] = value
    frame.to_csv(path, index=False, **{"lineterminator": "\r\n", **to_csv})


def _history(out) -> list[tuple]:
    with sqlite3.connect(out / STORE) as db:
        return db.execute("SELECT claim_id, status, reviewer, source_file FROM decisions ORDER BY id").fetchall()


@pytest.mark.parametrize("value", HOSTILE + ["", "a=b"])
def test_neutralise_is_exactly_reversible(value):
    assert unneutralise(neutralise(value)) == value


def test_no_exported_cell_starts_like_a_formula(out):
    with open(out / "memberships.csv", newline="", encoding="utf-8") as handle:
        for row in list(csv.reader(handle))[1:]:
            for cell in row:
                assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell
    assert list(pd.read_parquet(out / "memberships.parquet")["evidence"]) == HOSTILE


def test_apply_restores_hostile_text_and_keeps_decisions(out, tmp_path_factory):
    reviewed = tmp_path_factory.mktemp("r") / "reviewed.csv"
    _edit(out, reviewed, {0: {"review_status": "accepted"}, 1: {"review_status": "rejected"},
                          2: {"review_status": "corrected", "relation": "founder", "date_value": "1992-05-15"}})
    applied = apply_review(reviewed, out, reviewer="ana")
    assert (applied.new, applied.changed, applied.unchanged, applied.total) == (3, 0, 0, 3)
    written = pd.read_csv(out / REVIEWED, dtype=str, keep_default_na=False).map(unneutralise)
    assert list(written["review_status"]) == ["accepted", "rejected", "corrected"]
    assert list(written["evidence"]) == HOSTILE[:3]
    assert written.loc[2, "relation"] == "founder"
    assert set(written["reviewer"]) == {"ana"} and set(written["source_file"]) == {str(reviewed)}
    assert reconcile(out) == (3, [])


def test_reviewed_file_neutralises_the_reviewers_own_values(out, tmp_path):
    reviewed = tmp_path / "reviewed.csv"
    _edit(out, reviewed, {8: {"review_status": "corrected", "member": "=HYPERLINK(\"http://evil\")",
                              "date_text": "@SUM(A1)"}})
    apply_review(reviewed, out)
    for name in (REVIEWED, "memberships.csv"):
        with open(out / name, newline="", encoding="utf-8") as handle:
            cells = [cell for row in list(csv.reader(handle))[1:] for cell in row]
        assert "'=HYPERLINK(\"http://evil\")" in cells and "'@SUM(A1)" in cells
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_a_second_file_merges_with_the_first_and_history_is_kept(out, tmp_path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    _edit(out, first, {0: {"review_status": "accepted"}, 1: {"review_status": "accepted"}})
    apply_review(first, out, reviewer="ana")
    _edit(out, second, {1: {"review_status": "rejected"}, 0: {"review_status": "accepted"},
                        4: {"review_status": "Rejected"}})
    applied = apply_review(second, out, reviewer="budi")
    assert (applied.new, applied.changed, applied.unchanged, applied.total) == (1, 1, 1, 3)
    assert applied.summary() == "1 new, 1 changed, 1 unchanged; 3 decisions in the review store"
    current = pd.read_csv(out / REVIEWED, dtype=str, keep_default_na=False).set_index("claim_id")
    assert current["review_status"].to_dict() == {"c0-0": "accepted", "c1-0": "rejected", "c4-0": "rejected"}
    assert current.loc["c0-0", "reviewer"] == "ana" and current.loc["c1-0", "reviewer"] == "budi"
    assert [(c, s, r) for c, s, r, _ in _history(out)] == [
        ("c0-0", "accepted", "ana"), ("c1-0", "accepted", "ana"), ("c1-0", "rejected", "budi"),
        ("c4-0", "rejected", "budi")]
    assert list(_exported(out)["review_status"][:5]) == ["accepted", "rejected", "", "", "rejected"]


def test_conflicting_decisions_in_one_file_are_refused(out, tmp_path):
    frame = _exported(out)
    frame.loc[0, "review_status"] = "accepted"
    twice = frame.loc[[0]].assign(review_status="rejected")
    pd.concat([frame, twice]).to_csv(tmp_path / "reviewed.csv", index=False, lineterminator="\r\n")
    with pytest.raises(ReviewError, match=r"line 11: conflicts with line 2 on claim c0-0 \(accepted there, "
                                          r"rejected here\)"):
        apply_review(tmp_path / "reviewed.csv", out)
    assert not (out / REVIEWED).exists() and _history(out) == []


def test_the_same_decision_twice_in_one_file_is_one_decision(out, tmp_path):
    frame = _exported(out)
    frame.loc[0, "review_status"] = "accepted"
    pd.concat([frame, frame.loc[[0]]]).to_csv(tmp_path / "reviewed.csv", index=False, lineterminator="\r\n")
    assert apply_review(tmp_path / "reviewed.csv", out).new == 1


def test_a_file_without_decisions_is_refused(out, tmp_path):
    _edit(out, tmp_path / "reviewed.csv", {})
    with pytest.raises(ReviewError, match="no decisions .review_status is empty on every line.; nothing applied"):
        apply_review(tmp_path / "reviewed.csv", out)
    assert not (out / REVIEWED).exists()


@pytest.mark.parametrize("changes,message", [
    ({0: {"review_status": "acepted"}}, "line 2: unknown review_status 'acepted'"),
    ({1: {"claim_id": "edited", "review_status": "corrected", "relation": "founder"}},
     "line 3: claim_id 'edited' is not in this export (ids must not be edited)"),
    ({0: {"review_status": "corrected", "relation": "friend"}}, "line 2: unknown relation 'friend'"),
    ({3: {"member_id": "RUS", "review_status": "accepted"}}, "line 5: member_id changed but review_status"),
    ({2: {"member_id": "XXX", "review_status": "corrected"}}, "line 4: member_id 'XXX' is neither an ISO 3166"),
    ({2: {"organization_id": "NATOO", "review_status": "corrected"}}, "line 4: organization_id 'NATOO' is neither"),
    ({2: {"organization_id": "nato", "review_status": "corrected"}}, "line 4: organization_id 'nato' is neither an "
                                                                      "ISO 3166 alpha-3 code nor a gazetteer id "
                                                                      "(write new:Name for an organisation the "
                                                                      "gazetteer lacks); did you mean 'NATO'?"),
    ({2: {"date_value": "2023-13-45", "review_status": "corrected"}},
     "line 4: date_value '2023-13-45' is not an ISO 8601 date"),
    ({2: {"date_value": "kemarin", "review_status": "corrected"}}, "line 4: date_value 'kemarin' is not an ISO 8601"),
    ({2: {"review_status": "corrected"}}, "line 4: review_status is 'corrected' but no claim column was changed"),
    ({5: {"claim_id": "1.77885E+14", "review_status": "corrected", "member_id": "RUS"}},
     "line 7: claim_id '1.77885E+14' is not in this export - a spreadsheet turned it into a number"),
])
def test_bad_reviews_are_refused_with_line_numbers_and_nothing_written(out, tmp_path, changes, message):
    reviewed = tmp_path / "reviewed.csv"
    _edit(out, reviewed, changes)
    with pytest.raises(ReviewError) as err:
        apply_review(reviewed, out)
    assert any(p.startswith(message) for p in err.value.problems), err.value.problems
    assert not (out / REVIEWED).exists()


@pytest.mark.parametrize("values", [
    {"organization_id": "new:Shanghai Cooperation Organisation"}, {"member_id": "TUR", "member": "Türkiye"},
    {"organization_id": "NATO"}, {"member_id": "AU"}, {"date_value": "1992"}, {"date_value": "2023-08"},
    {"date_value": "1992-05-15"}, {"date_value": "2025-10-26/2025-10-28"},
    {"relation": "observer"},
])
def test_valid_corrections_are_applied(out, tmp_path, values):
    _edit(out, tmp_path / "reviewed.csv", {0: {"review_status": "corrected", **values}})
    apply_review(tmp_path / "reviewed.csv", out)
    written = pd.read_csv(out / REVIEWED, dtype=str, keep_default_na=False)
    assert written.loc[0, list(values)].to_dict() == values


def test_wrong_column_count_is_refused(out, tmp_path):
    lines = (out / "memberships.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2] + ",extra"
    (tmp_path / "reviewed.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="line 3: expected 15 columns, found 16"):
        apply_review(tmp_path / "reviewed.csv", out)


@pytest.mark.parametrize("encoding,sep,note", [
    ("cp1252", ";", "not UTF-8, read as Windows-1252"), ("utf-16", "\t", "read as UTF-16"),
    ("utf-8-sig", ";", "';'-separated"),
])
def test_spreadsheet_encodings_and_separators_are_read_back(out, tmp_path, encoding, sep, note):
    reviewed = tmp_path / "reviewed.csv"
    _edit(out, reviewed, {0: {"review_status": "corrected", "member": "Türkiye", "member_id": "TUR"},
                          8: {"review_status": "ACCEPTED"}}, sep=sep, encoding=encoding)
    applied = apply_review(reviewed, out)
    assert applied.new == 2 and any(note in n for n in applied.notes), applied.notes
    written = pd.read_csv(out / REVIEWED, dtype=str, keep_default_na=False).map(unneutralise)
    assert list(written["member"]) == ["Türkiye", "Armenia"]
    assert list(written["evidence"]) == [HOSTILE[0], HOSTILE[8]]


def test_a_file_in_an_unknown_encoding_is_refused_with_advice(out, tmp_path):
    (tmp_path / "reviewed.csv").write_bytes("doc_id,claim_id\n".encode("utf-16-le"))  # no byte order mark
    with pytest.raises(ReviewError, match="save it from the spreadsheet as 'CSV UTF-8"):
        apply_review(tmp_path / "reviewed.csv", out)


@pytest.mark.parametrize("exported,reformatted", [
    ("1992-05-15", "15/05/1992"), ("1992-05-15", "5/15/1992"), ("1992-05-15", "1992-05-15 00:00:00"),
    ("2023-08", "Aug-23"), ("2023-08", "01/08/2023"), ("1992", "1992"),
])
def test_spreadsheet_reformatted_dates_are_recognised(tmp_path, exported, reformatted):
    _run(tmp_path, [_claim(0, "Armenia anggota CSTO.", date_value=exported, date_text="x")])
    _edit(tmp_path, tmp_path / "reviewed.csv", {0: {"review_status": "accepted", "date_value": reformatted}})
    applied = apply_review(tmp_path / "reviewed.csv", tmp_path)
    assert applied.new == 1
    assert (reformatted == exported) != any("a spreadsheet reformatted it" in n for n in applied.notes)
    assert _exported(tmp_path).loc[0, "date_value"] == exported


@pytest.mark.parametrize("kind", ["claim", "ent", "date"])
def test_ids_are_never_read_as_numbers(kind):
    ids = [stable_id(kind, "d", n) for n in range(3000)]
    assert all(i[0].isalpha() for i in ids)
    frame = pd.read_csv(io.StringIO("id\n" + "\n".join(ids)))  # default type inference, as a notebook
    assert pd.api.types.is_string_dtype(frame["id"]) and list(frame["id"]) == ids


def test_decisions_follow_their_claims_when_the_text_moves(out, tmp_path):
    same = "Armenia anggota CSTO."
    _run(out, [_claim(0, same, 0), _claim(1, same, 100), _claim(2, "Belarus juga.", 50, member_id="BLR")])
    _edit(out, tmp_path / "reviewed.csv", {0: {"review_status": "accepted"}, 1: {"review_status": "rejected"},
                                           2: {"review_status": "corrected", "date_value": "1993"}})
    apply_review(tmp_path / "reviewed.csv", out)
    moved = [_claim(0, same, 10), _claim(1, " ".join(same.upper().split(" ")), 110),
             _claim(2, "JAKARTA - Belarus  juga.", 60, member_id="BLR")]  # a dateline, case and spacing changed
    assert _run(out, moved) == (3, [])
    current = _exported(out).set_index("claim_id")
    assert current["review_status"].to_dict() == {"c0-10": "accepted", "c1-110": "rejected", "c2-60": "corrected"}
    assert current.loc["c2-60", "date_value"] == "1993"


def test_a_reworded_sentence_is_not_the_same_claim(out, tmp_path):
    _edit(out, tmp_path / "reviewed.csv", {8: {"review_status": "rejected"}})
    apply_review(tmp_path / "reviewed.csv", out)
    assert _run(out, [_claim(8, "Armenia tetap anggota blok itu.", 5)])[0] == 0


def test_decisions_whose_claim_vanished_are_reported_readably_and_kept(out, tmp_path):
    _edit(out, tmp_path / "reviewed.csv", {0: {"review_status": "accepted"}, 8: {"review_status": "rejected"}})
    apply_review(tmp_path / "reviewed.csv", out)
    kept, orphans = _run(out, [_claim(0, HOSTILE[0])])
    assert kept == 1
    assert orphans == ['d: Armenia (ARM) member CSTO, "biasa" [c8-0] rejected']
    assert _run(out, [_claim(0, HOSTILE[0]), _claim(8, HOSTILE[8], 40)]) == (2, [])
    assert _exported(out).loc[1, "review_status"] == "rejected"


def test_unapplied_decisions_in_memberships_csv_block_a_rerun(out, tmp_path):
    frame = _exported(out)
    frame.loc[[0, 3], "review_status"] = ["accepted", "rejected"]
    frame.to_csv(out / "memberships.csv", index=False, lineterminator="\r\n")
    assert unapplied(out) == 2
    with pytest.raises(ReviewError, match=f"holds 2 review decision.s. never applied; apply them first: "
                                          f"berita review apply {out / 'memberships.csv'} --out {out}"):
        guard_unapplied(out, discard=False)
    message = guard_unapplied(out, discard=True)
    kept = next((out / ".berita" / "discarded").iterdir())
    assert str(kept) in message and pd.read_csv(kept, dtype=str, keep_default_na=False).equals(frame)
    apply_review(out / "memberships.csv", out)
    assert unapplied(out) == 0 and guard_unapplied(out, discard=False) is None


def test_apply_leaves_other_unapplied_decisions_in_memberships_csv_alone(out, tmp_path):
    frame = _exported(out)
    frame.loc[5, "review_status"] = "rejected"
    frame.to_csv(out / "memberships.csv", index=False, lineterminator="\r\n")
    _edit(out, tmp_path / "reviewed.csv", {0: {"review_status": "accepted"}, 5: {"review_status": ""}})
    apply_review(tmp_path / "reviewed.csv", out)
    assert list(_exported(out)["review_status"][[0, 5]]) == ["accepted", "rejected"]
    assert unapplied(out) == 1


def test_read_records_types_the_tables_and_keeps_ids_and_statuses_as_text(out, tmp_path):
    import pipeline

    _edit(out, tmp_path / "reviewed.csv", {0: {"review_status": "accepted"}})
    apply_review(tmp_path / "reviewed.csv", out)
    tables = pipeline.read_records(out)
    claims = tables["memberships"]
    assert list(claims["evidence"]) == HOSTILE
    assert claims["char_start"].dtype == "Int64" and claims["negated"].dtype == "boolean"
    assert claims["review_status"].dtype == "string" and list(claims["review_status"][:2]) == ["accepted", ""]
    assert tables["documents"]["n_tokens"].isna().all()


def test_a_file_exported_before_a_rerun_is_matched_by_content(out, tmp_path):
    _edit(out, tmp_path / "old.csv", {8: {"review_status": "rejected"}})  # reviewed on the first run's export
    _run(out, [_claim(i, text, 10) for i, text in enumerate(HOSTILE)])  # the article changed: every id moved
    applied = apply_review(tmp_path / "old.csv", out)
    assert applied.new == 1
    assert any("claim c8-0 was re-extracted since this file was exported; matched by content to c8-10" in n
               for n in applied.notes), applied.notes
    assert _exported(out).set_index("claim_id").loc["c8-10", "review_status"] == "rejected"
