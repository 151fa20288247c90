"""Facts from claims (issue 19), on invented claims: no models."""
import subprocess
import sys

import pandas as pd
import pytest

from pipeline.export import COLUMNS, DocumentRecords, write_tables
from pipeline.review import apply_review, reconcile
from pipeline.review.facts import best_date, build_facts, roster, write_facts


def _claims(*rows: tuple, **common) -> pd.DataFrame:
    """Claims as (member_id, organization_id, relation, date_value[, negated[, published[, review_status]]])."""
    frame = []
    for i, row in enumerate(rows):
        member, org, relation, date, negated, published, status = (*row, *("false", "", "")[len(row) - 4:])
        frame.append({**dict.fromkeys(COLUMNS["memberships"], ""), "doc_id": f"d{i}", "claim_id": f"c{i}",
                      "member": member.title(), "member_id": member, "organization": org, "organization_id": org,
                      "relation": relation, "date_value": date, "negated": negated, "published": published,
                      "review_status": status, **common})
    return pd.DataFrame(frame)


def _fact(facts: pd.DataFrame, member: str, relation: str) -> dict:
    return facts[(facts["member_id"] == member) & (facts["relation"] == relation)].iloc[0].to_dict()


def test_claims_at_different_precisions_agree_on_the_finest_date():
    facts = build_facts(_claims(("IDN", "BRICS", "joined", "2025"), ("IDN", "BRICS", "joined", "2025-01"),
                                ("IDN", "BRICS", "joined", "2025-01-06"), ("IDN", "BRICS", "joined", "2025-01-06"),
                                ("IDN", "BRICS", "joined", "")))
    assert len(facts) == 1
    fact = facts.iloc[0]
    assert (fact["date_value"], fact["conflict"]) == ("2025-01-06", "")
    assert fact["dates"] == "2025=1; 2025-01=1; 2025-01-06=2"
    assert (fact["n_claims"], fact["n_documents"], fact["claim_ids"]) == (5, 5, "c0 c1 c2 c3 c4")
    assert fact["fact_id"].startswith("f")


@pytest.mark.parametrize("dates,date,conflict", [
    (["2025-01-06", "2025-01-06", "2025-01-08"], "2025-01-06", "dates 2025-01-06 (2) vs 2025-01-08 (1)"),
    (["2025-01-06", "2025-01-08"], "2025-01", "dates 2025-01-06 (1) vs 2025-01-08 (1)"),
    (["1992", "1993"], "", "dates 1992 (1) vs 1993 (1)"),
    (["1993", "1993-05", "1999"], "1993-05", "dates 1993 (2) vs 1999 (1)"),
    (["2025-10-26/2025-10-28", "2025-10"], "2025-10", ""),  # a range is what its ends share
])
def test_different_dates_of_one_event_are_a_conflict(dates, date, conflict):
    fact = build_facts(_claims(*[("UZB", "CSTO", "left", d) for d in dates])).iloc[0]
    assert (fact["date_value"], fact["conflict"]) == (date, conflict)


def test_a_state_dated_differently_is_no_conflict():
    fact = build_facts(_claims(("ARM", "CSTO", "member", "2015"), ("ARM", "CSTO", "member", "2020"))).iloc[0]
    assert (fact["date_value"], fact["dates"], fact["conflict"]) == ("", "2015=1; 2020=1", "")


def test_best_date_reports_every_disagreement():
    assert best_date(["2024", "2024-08", "2024-09", "2024-09", "2023"]) == (
        "2024-09", ["2024 (4) vs 2023 (1)", "2024-09 (2) vs 2024-08 (1)"])


def test_negated_claims_against_asserted_ones_are_a_conflict():
    facts = build_facts(_claims(("UKR", "NATO", "joined", "", "true"), ("UKR", "NATO", "joined", "2030", "false"),
                                ("GEO", "NATO", "joined", "", "true")))
    ukraine, georgia = _fact(facts, "UKR", "joined"), _fact(facts, "GEO", "joined")
    assert ukraine["conflict"] == "negated in 1 of 2 claims" and ukraine["negated"] == "false"
    assert ukraine["date_value"] == "2030"  # the denial's (empty) date does not vote
    assert georgia["conflict"] == "" and georgia["negated"] == "true"


def test_a_member_claim_after_leaving_is_a_conflict_unless_it_rejoined():
    claims = _claims(("UZB", "CSTO", "left", "2012"), ("UZB", "CSTO", "member", "", "false", "2022-05-16"),
                     ("UZB", "CSTO", "member", "", "false", "2010-01-01"), ("GEO", "CSTO", "left", "1999"),
                     ("GEO", "CSTO", "member", "", "false", "1998-03-01"))
    facts = build_facts(claims)
    left, member = _fact(facts, "UZB", "left"), _fact(facts, "UZB", "member")
    assert left["conflict"] == f"member in 1 later claim(s) ({member['fact_id']}) with no later joined"
    assert member["conflict"] == f"member after left 2012 ({left['fact_id']})"
    assert (member["first_published"], member["last_published"]) == ("2010-01-01", "2022-05-16")
    assert _fact(facts, "GEO", "left")["conflict"] == ""  # the member claim is older than the leave
    rejoined = build_facts(pd.concat([claims, _claims(("UZB", "CSTO", "joined", "2020"))], ignore_index=True))
    assert set(rejoined["conflict"]) == {""}


def test_review_decisions_carry_over():
    facts = build_facts(_claims(("AZE", "CSTO", "joined", "1993", "false", "", "rejected"),
                                ("AZE", "CSTO", "joined", "1994", "false", "", "rejected"),
                                ("GEO", "CSTO", "joined", "1993", "false", "", "accepted"),
                                ("GEO", "CSTO", "joined", "1995", "false", "", "rejected"),
                                ("GEO", "CSTO", "joined", "1993", "false", "", "")))
    azerbaijan, georgia = _fact(facts, "AZE", "joined"), _fact(facts, "GEO", "joined")
    assert azerbaijan["review_status"] == "rejected" and azerbaijan["n_rejected"] == 2
    assert georgia["review_status"] == "" and (georgia["n_claims"], georgia["n_rejected"]) == (2, 1)
    assert (georgia["date_value"], georgia["conflict"], georgia["claim_ids"]) == ("1993", "", "c2 c3 c4")


def _folder(out, claims: pd.DataFrame) -> None:
    """An annotated folder holding these claims: what `berita annotate` writes before the facts."""
    records = []
    for doc_id, group in claims.groupby("doc_id"):
        record = DocumentRecords(document={"doc_id": doc_id, "status": "ok",
                                           "published": group["published"].iloc[0]})
        record.rows["memberships"] = group.drop(columns="published").assign(
            evidence=lambda g: g["member"] + " " + g["relation"], char_start=0,
            char_end=lambda g: g["evidence"].str.len()).to_dict("records")
        records.append(record)
    write_tables(records, out)
    reconcile(out)


def test_facts_follow_decisions_applied_to_a_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    _folder(out, _claims(("ARM", "CSTO", "member", ""), ("ARM", "CSTO", "member", ""), ("BLR", "CSTO", "left", "1999"),
                         published="2022-05-16"))
    assert write_facts(out, parquet=True) == 2
    assert list(pd.read_parquet(out / "facts.parquet")["member_id"]) == ["ARM", "BLR"]
    reviewed = pd.read_csv(out / "memberships.csv", dtype=str, keep_default_na=False)
    reviewed["review_status"] = ["corrected", "accepted", "rejected"]
    reviewed.loc[0, ["relation", "date_value"]] = ["founder", "1992-05-15"]
    reviewed.to_csv(tmp_path / "reviewed.csv", index=False)
    apply_review(tmp_path / "reviewed.csv", out)
    facts = pd.read_csv(out / "facts.csv", dtype=str, keep_default_na=False)
    assert facts[["member_id", "relation", "date_value", "n_claims", "review_status"]].values.tolist() == [
        ["ARM", "founder", "1992-05-15", "1", "accepted"], ["ARM", "member", "", "1", "accepted"],
        ["BLR", "left", "1999", "1", "rejected"]]
    assert facts["first_published"].tolist() == ["2022-05-16"] * 3
    assert list(pd.read_parquet(out / "facts.parquet")["relation"]) == ["founder", "member", "left"]  # refreshed too


CSTO = _claims(*[(m, "CSTO", "founder", "1992-05-15") for m in ("ARM", "KAZ", "KGZ", "RUS", "TJK", "UZB")],
               *[(m, "CSTO", "joined", "1993") for m in ("AZE", "GEO", "BLR")],
               ("UZB", "CSTO", "left", "2012"), ("AZE", "CSTO", "left", "1999"), ("GEO", "CSTO", "left", "1999"),
               ("BLR", "CSTO", "member", "", "false", "2022-05-16"), ("SRB", "CSTO", "joined", ""),
               ("AFG", "CSTO", "joined", "", "true"), ("IRN", "CSTO", "joined", "2010", "false", "", "rejected"),
               ("ARM", "NATO", "joined", "2000"))


@pytest.mark.parametrize("as_of,members", [
    ("2013", ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]),
    ("1995-01-01", ["ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "RUS", "TJK", "UZB"]),
    ("1992", ["ARM", "KAZ", "KGZ", "RUS", "TJK", "UZB"]),
    ("1992-05", ["ARM", "KAZ", "KGZ", "RUS", "TJK", "UZB"]),
    ("1992-05-14", []),
])
def test_roster_as_of_a_date(as_of, members):
    found = roster(build_facts(CSTO), "CSTO", as_of)
    assert found.members["member_id"].tolist() == members


def test_roster_names_its_supporting_facts_and_the_unplaced_ones():
    facts = build_facts(CSTO)
    found = roster(facts, "CSTO", "2025")
    belarus = found.members.set_index("member_id").loc["BLR"]
    assert (belarus["since"], belarus["relations"]) == ("1993", "joined member")
    assert belarus["fact_ids"].split() == [_fact(facts, "BLR", "joined")["fact_id"],
                                           _fact(facts, "BLR", "member")["fact_id"]]
    assert found.unplaced["member_id"].tolist() == ["SRB"]  # undated; the negated and rejected ones take no part
    assert roster(facts, "CSTO", "1993-06").unplaced["member_id"].tolist() == ["AZE", "BLR", "GEO", "SRB"]


def berita(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True, text=True)


def test_roster_command_prints_members_or_writes_them_as_csv(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    _folder(out, CSTO.assign(published=CSTO["published"].where(CSTO["published"] != "", "2022-05-16")))
    write_facts(out)
    done = berita("roster", "csto", "--as-of", "2013", out)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "CSTO as of 2013: 6 members"
    assert [line.split("\t")[0] for line in lines[1:7]] == ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]
    assert lines[7:] == ["1 fact(s) cannot be placed before or after 2013:",
                         f"SRB\tSrb\tjoined\tundated\t{_fact(build_facts(CSTO), 'SRB', 'joined')['fact_id']}"]

    done = berita("roster", "CSTO", out, "--as-of", "2013", "--csv", tmp_path / "roster.csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"6 members of CSTO as of 2013 written to {tmp_path / 'roster.csv'}\n"
    assert done.stderr.startswith("1 fact(s) cannot be placed before or after 2013:\nSRB\t")
    written = pd.read_csv(tmp_path / "roster.csv", dtype=str, keep_default_na=False)
    assert written["member_id"].tolist() == ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]


@pytest.mark.parametrize("args,message", [
    (["NATOO"], "error: no facts about NATOO in {out}/facts.csv (organisations: CSTO, NATO)"),
    (["CSTO", "--as-of", "2013-13"], "berita roster: error: argument --as-of: expected an ISO 8601 date "
                                     "(2013, 2013-06, 2013-06-30), got '2013-13'"),
])
def test_roster_command_refuses_in_one_line(tmp_path, args, message):
    out = tmp_path / "out"
    out.mkdir()
    _folder(out, CSTO)
    write_facts(out)
    done = berita("roster", *args, out)
    assert done.returncode == 2 and done.stderr.strip().splitlines()[-1] == message.format(out=out)
    (out / "facts.csv").unlink()
    assert berita("roster", "CSTO", out).stderr == f"error: {out}/facts.csv not found: run `berita annotate` into " \
                                                   f"{out} first\n"
