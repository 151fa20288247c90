"""The Python API (README, Python) with the real models: Docs, streams, typed tables."""
import os
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT

import pipeline

TEXTS = ["Armenia bergabung dengan CSTO pada 1992.", "Georgia keluar dari CSTO.",
         "JAKARTA - Uzbekistan meninggalkan CSTO pada 2012, kata pejabat itu, Senin (16/5/2022)."]


@pytest.fixture(scope="module")
def nlp():
    return pipeline.load(device="cpu")


def test_readme_python_examples_run(tmp_path, monkeypatch):
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("\n## Python\n")[1].split("\n## ")[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2
    shutil.copytree(ROOT / "annotations", tmp_path / "annotations", ignore=shutil.ignore_patterns(".berita"))
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    assert pd.read_csv(tmp_path / "reviewed.csv", dtype=str)["review_status"].eq("accepted").all()


def _said(doc) -> tuple:
    """What a Doc says, comparable across processes."""
    return (doc.text, [(e.start_char, e.end_char, e.label_, e._.canonical_id) for e in doc.ents],
            [(d.text, d.value) for d in doc._.dates],
            [(c.member_id, c.relation, c.organization_id, c.date_value, c.negated) for c in doc._.claims])


def test_pipe_in_two_processes_gives_the_docs_of_one(nlp):
    alone = [_said(doc) for doc in nlp.pipe(TEXTS, batch_size=2)]
    assert [_said(doc) for doc in nlp.pipe(TEXTS, batch_size=2, n_process=2)] == alone
    assert alone[0][3] == [("ARM", "joined", "CSTO", "1992", False)]
    assert _said(nlp(TEXTS[2])) == alone[2]


def test_a_text_that_cannot_be_annotated_is_a_value_error(nlp):
    with pytest.raises(ValueError, match="empty"):
        nlp("  \n ")


def test_annotate_gives_the_commands_records_typed():
    """The committed annotations/ are `berita annotate corpus/`; the API gives the same rows for the same article."""
    article = pd.DataFrame({"id": ["seed-csto"], "text": [(ROOT / "corpus" / "seed-csto.txt").read_text("utf-8")],
                            "title": [None]})
    produced, committed = pipeline.annotate(article), pipeline.read_records(ROOT / "annotations")
    for table in ("entities", "dates", "memberships"):
        pd.testing.assert_frame_equal(produced[table], committed[table])
    ignored = ["source", "text_file"]
    pd.testing.assert_frame_equal(produced.documents.drop(columns=ignored), committed.documents.drop(columns=ignored))
    claims = produced.memberships
    assert claims["char_start"].dtype == "Int64" and claims["negated"].dtype == "boolean"
    assert claims["date_value"].dtype == "string" and "1992-05-15" in set(claims["date_value"])


def test_plain_texts_keep_their_order_and_failures_are_rows():
    records = pipeline.annotate([*TEXTS[:2]] * 5 + [""])
    documents = records.documents
    assert list(documents["doc_id"]) == [f"doc{i:02d}" for i in range(1, 12)]
    assert list(documents["status"]) == ["ok"] * 10 + ["error"]
    assert list(records.memberships["doc_id"][:2]) == ["doc01", "doc02"]


def test_import_is_cheap_and_annotate_stays_the_function():
    code = ("import sys, pipeline; heavy = {'torch', 'stanza', 'spacy', 'pandas'} & set(sys.modules); "
            "import pipeline.annotate; from pipeline.annotate import Settings; "
            "print(sorted(heavy), pipeline.annotate.__module__, Settings.__module__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.split() == ["[]", "pipeline.api", "pipeline.annotate"]


@pytest.mark.parametrize("chosen, expected", [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")])
def test_openmp_threads_sleep_when_they_wait_unless_the_user_chose(chosen, expected):
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if chosen:
        env["OMP_WAIT_POLICY"] = chosen
    code = "import os, pipeline, torch; print(os.environ['OMP_WAIT_POLICY'])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    assert done.stdout.strip() == expected
