"""End to end with the real models: the reference corpus and the dev set."""
import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import FIGURES, ROOT
from pipeline.evaluate import evaluate, report
from pipeline.export import text_name

RATCHET = json.loads((ROOT / "tests" / "devset_floor.json").read_text(encoding="utf-8"))


def annotate(inputs, out):
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "annotate", *map(str, inputs), "--out", str(out),
                           "--quiet"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def devset_out(tmp_path_factory, shared):
    return annotate([shared / "devset" / "articles.jsonl"], tmp_path_factory.mktemp("devset-out"))


def _table(folder, name):
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("table", ["documents", "entities", "dates", "memberships"])
def test_committed_annotations_are_a_fresh_run_of_the_corpus(corpus_out, table):
    """``annotations/`` is what the README's regeneration command writes today (review decisions aside)."""
    expected = _table(ROOT / "annotations", table).drop(columns="review_status", errors="ignore")
    produced = _table(corpus_out, table).drop(columns="review_status", errors="ignore")
    pd.testing.assert_frame_equal(produced, expected)


def test_committed_texts_are_a_fresh_run_of_the_corpus(corpus_out):
    committed = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "annotations" / "texts").iterdir()}
    assert committed == {p.name: p.read_text(encoding="utf-8") for p in (corpus_out / "texts").iterdir()}


def test_seed_article_claims_dates_and_no_boilerplate_entities(corpus_out, shared, tmp_path):
    lines = (shared / "devset" / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "seed.jsonl").write_text("\n".join(x for x in lines if '"seed-csto"' in x) + "\n")
    scores = evaluate(tmp_path / "seed.jsonl", corpus_out)
    assert scores.tp == 18
    print(report(scores, verbose=True))
    assert (scores.fp, scores.fn) == (0, 0)
    assert scores.dated_right == scores.dated
    assert scores.dates_found == scores.dates
    assert scores.absent_seen == 0


def test_devset_holds_the_ratchet(devset_out, shared):
    """The dev-set figures never fall below the last measured floor (``devset_floor.json``)."""
    scores = evaluate(shared / "devset" / "gold.jsonl", devset_out)
    FIGURES.append("dev set: " + "; ".join(report(scores).splitlines()[-2:]))
    print(report(scores, verbose=True))
    figures = scores.figures()
    FIGURES.append("dev set figures: " + json.dumps(figures))
    for name, floor in RATCHET["floors"].items():
        assert figures[name] >= floor, f"{name} {figures[name]} fell below its floor {floor}"
    for name, ceiling in RATCHET["ceilings"].items():
        assert figures[name] <= ceiling, f"{name} {figures[name]} rose above its ceiling {ceiling}"


@pytest.mark.parametrize("table", ["entities", "dates"])
def test_offsets_point_at_the_text(devset_out, table):
    rows = _table(devset_out, table)
    assert len(rows)
    documents = _table(devset_out, "documents")
    for doc_id, group in rows.groupby("doc_id"):
        text = (devset_out / "texts" / text_name(doc_id)).read_text(encoding="utf-8")
        for row in group.itertuples():
            assert text[int(row.char_start):int(row.char_end)] == row.text
    assert set(rows["doc_id"]) <= set(documents["doc_id"])


def test_evidence_is_the_sentence_at_its_offsets(devset_out):
    claims = _table(devset_out, "memberships")
    for row in claims.itertuples():
        text = (devset_out / "texts" / text_name(row.doc_id)).read_text(encoding="utf-8")
        assert text[int(row.char_start):int(row.char_end)] == row.evidence


def test_ids_are_stable_across_runs(devset_out, tmp_path, shared):
    again = annotate([shared / "devset" / "articles.jsonl"], tmp_path)
    for table, key in (("memberships", "claim_id"), ("entities", "entity_id"), ("dates", "date_id")):
        assert list(_table(again, table)[key]) == list(_table(devset_out, table)[key])


def test_a_run_writes_the_facts_of_its_claims(corpus_out):
    """Issue 19: every annotate run writes facts.csv from its claims (the reference folder's, for the corpus)."""
    pd.testing.assert_frame_equal(_table(corpus_out, "facts"), _table(ROOT / "annotations", "facts"))


def test_devset_facts_are_one_per_gold_fact_and_the_seed_roster_holds(devset_out, shared):
    """Issue 19's "done when": one row per distinct extracted gold fact; the CSTO roster as of 2013."""
    gold = {tuple(m[:3]) for line in (shared / "devset" / "gold.jsonl").read_text(encoding="utf-8").splitlines()
            for m in json.loads(line)["memberships"]}
    facts = _table(devset_out, "facts")
    keys = list(zip(facts["member_id"], facts["organization_id"], facts["relation"]))
    assert len(keys) == len(set(keys))
    FIGURES.append(f"dev set facts: {len(facts)} rows, {len(gold & set(keys))} of the {len(gold)} distinct gold "
                   f"facts; {(facts['conflict'] != '').sum()} with a conflict")
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "roster", "CSTO", "--as-of", "2013", str(devset_out),
                           "--csv", str(devset_out / "csto-2013.csv")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _table(devset_out, "csto-2013")["member_id"].tolist() == ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]
