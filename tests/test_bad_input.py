"""Bad input (SPEC.md): every document is reported, the batch goes on."""
import json
import subprocess
import sys

import pandas as pd
import pytest

GOOD = "Presiden Joko Widodo menyatakan Indonesia bergabung dengan BRICS pada 2025.\n"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("inputs")
    (inputs / "good.txt").write_text(GOOD, encoding="utf-8")
    (inputs / "latin1.txt").write_bytes("Berita tentang S\xe3o Paulo".encode("latin-1"))
    (inputs / "empty.txt").write_text("", encoding="utf-8")
    (inputs / "big.txt").write_text("kata " * 1_100_000, encoding="utf-8")  # 5.5 MB
    (inputs / "gone.txt").symlink_to(inputs / "missing-target.txt")
    lines = [json.dumps({"id": "j-ok", "text": GOOD, "published": "2025-01-07"}), "{not json",
             json.dumps({"id": "j-notext", "title": "tanpa teks"}), json.dumps({"id": "j-empty", "text": "  "}),
             json.dumps({"id": "j-baddate", "text": GOOD, "published": "kemarin"})]
    (inputs / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pd.DataFrame([{"id": "c-ok", "text": GOOD}, {"id": "c-empty", "text": ""}]).to_csv(inputs / "table.csv",
                                                                                       index=False)
    out = tmp_path_factory.mktemp("out")
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "annotate", str(inputs), "--out", str(out),
                           "--quiet"], capture_output=True, text=True)
    documents = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    return done, documents, out


@pytest.mark.parametrize("doc_id,error", [
    ("latin1", "not valid UTF-8"),
    ("empty", "empty text"),
    ("big", "text too long"),
    ("gone", "cannot read"),
    ("batch.jsonl:2", "malformed JSON"),
    ("j-notext", "missing 'text' field"),
    ("j-empty", "empty text"),
    ("j-baddate", "published is not an ISO date"),
    ("c-empty", "empty text"),
])
def test_each_bad_document_gets_a_one_line_error(run, doc_id, error):
    _, documents, _ = run
    row = documents.loc[doc_id]
    assert row["status"] == "error"
    assert error in row["error"] and "\n" not in row["error"]


def test_the_rest_of_the_batch_is_processed(run):
    done, documents, out = run
    assert done.returncode == 0, done.stderr
    ok = documents[documents["status"] == "ok"]
    assert sorted(ok.index) == ["c-ok", "good", "j-ok"]
    claims = pd.read_csv(out / "memberships.csv", dtype=str)
    assert set(claims["doc_id"]) == {"c-ok", "good", "j-ok"}
    assert set(claims["member_id"]) == {"IDN"} and set(claims["organization_id"]) == {"BRICS"}


def test_every_input_document_is_listed_once(run):
    _, documents, _ = run
    assert len(documents) == 12 and documents.index.is_unique


def test_exit_code_is_non_zero_only_when_every_document_failed(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "annotate", str(tmp_path / "empty.txt"),
                           "--out", str(tmp_path / "out"), "--quiet"], capture_output=True, text=True)
    assert done.returncode == 1
    assert (tmp_path / "out" / "documents.csv").read_text().count("\n") == 2
