"""The review workflow through the real `berita` command and the real models."""
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT

ARTICLE = "seed-csto.txt"


def berita(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "300"})


@pytest.fixture
def out(corpus_out, tmp_path):
    shutil.copytree(corpus_out, tmp_path / "out")
    return tmp_path / "out"


def _claims(out) -> pd.DataFrame:
    return pd.read_csv(out / "memberships.csv", dtype=str, keep_default_na=False)


def _corpus(tmp_path, edit) -> object:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / ARTICLE).write_text(edit((ROOT / "corpus" / ARTICLE).read_text(encoding="utf-8")), encoding="utf-8")
    return corpus


def test_every_decision_survives_an_edited_article(out, tmp_path):
    claims = _claims(out)
    claims["review_status"] = ["accepted", "rejected"] * (len(claims) // 2) + ["accepted"] * (len(claims) % 2)
    left = claims.index[(claims["relation"] == "left") & (claims["date_value"] == "2012")][0]
    claims.loc[left, ["review_status", "date_value", "member"]] = ["corrected", "2012-05", "Uzbékistan"]
    # Indonesian-locale Excel on Windows: ';'-separated, Windows-1252
    claims.to_csv(tmp_path / "reviewed.csv", index=False, sep=";", encoding="cp1252", lineterminator="\r\n")
    done = berita("review", "apply", tmp_path / "reviewed.csv", "--out", out, "--reviewer", "ana")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{len(claims)} new, 0 changed, 0 unchanged; {len(claims)} decisions in the review " \
                                  "store"
    assert "read as Windows-1252" in done.stderr

    corpus = _corpus(tmp_path, lambda text: text.replace("Lukashenko mencatat", "JAKARTA - Lukashenko mencatat")
                     .replace("Find Us On Social Media :", "Find Us On Social Media :\n\nArtikel ini diperbarui."))
    done = berita("annotate", corpus, "--out", out, "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert f"review decisions kept: {len(claims)}; no longer matching a claim: 0" in done.stderr
    after = _claims(out)
    assert not set(after["claim_id"]) & set(claims["claim_id"])  # every offset moved
    assert after["evidence"].str.startswith("JAKARTA - ").any()
    assert list(after["review_status"]) == list(claims["review_status"])
    assert list(after.loc[left, ["date_value", "member"]]) == ["2012-05", "Uzbékistan"]
    reviewed = pd.read_csv(out / "reviewed_memberships.csv", dtype=str, keep_default_na=False)
    assert set(reviewed["reviewer"]) == {"ana"} and set(reviewed["orphaned"]) == {"false"}


def test_vanished_claims_are_reported_with_what_they_said(out, tmp_path):
    claims = _claims(out)
    claims["review_status"] = "accepted"
    claims.to_csv(tmp_path / "reviewed.csv", index=False)
    assert berita("review", "apply", tmp_path / "reviewed.csv", "--out", out).returncode == 0
    corpus = _corpus(tmp_path, lambda text: text.replace("Sementara Azerbaijan dan Georgia keluar pada tahun 1999.",
                                                         ""))
    done = berita("annotate", corpus, "--out", out, "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert f"review decisions kept: {len(claims) - 2}; no longer matching a claim: 2" in done.stderr
    orphans = [line.strip() for line in done.stderr.splitlines() if "no longer in the text" in line]
    assert len(orphans) == 2 and all("(1999)" in line and "keluar pada tahun 1999" in line for line in orphans)
    assert any(line.startswith("no longer in the text: seed-csto: Azerbaijan (AZE) left CSTO") for line in orphans)


def test_a_rerun_refuses_to_overwrite_unapplied_decisions(out, tmp_path):
    claims = _claims(out)
    claims.loc[3, "review_status"] = "rejected"
    claims.to_csv(out / "memberships.csv", index=False, lineterminator="\r\n")
    before = (out / "memberships.csv").read_bytes()
    done = berita("annotate", ROOT / "corpus", "--out", out, "--workers", "1", "--quiet")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: {out / 'memberships.csv'} holds 1 review decision(s) never applied; apply them first: "
        f"berita review apply {out / 'memberships.csv'} --out {out} (or re-run with --discard-unapplied)"]
    assert (out / "memberships.csv").read_bytes() == before
    assert berita("review", "apply", out / "memberships.csv", "--out", out).returncode == 0
    done = berita("annotate", ROOT / "corpus", "--out", out, "--workers", "1", "--quiet")
    assert done.returncode == 0, done.stderr
    assert _claims(out).loc[3, "review_status"] == "rejected"


def test_discard_unapplied_keeps_a_copy(out):
    claims = _claims(out)
    claims.loc[3, "review_status"] = "rejected"
    claims.to_csv(out / "memberships.csv", index=False, lineterminator="\r\n")
    done = berita("annotate", ROOT / "corpus", "--out", out, "--workers", "1", "--quiet", "--discard-unapplied")
    assert done.returncode == 0, done.stderr
    assert "1 unapplied review decision(s) discarded; the file is kept as" in done.stderr
    assert _claims(out).loc[3, "review_status"] == ""
    kept = next((out / ".berita" / "discarded").iterdir())
    assert pd.read_csv(kept, dtype=str, keep_default_na=False).loc[3, "review_status"] == "rejected"


def test_an_empty_review_is_refused_in_one_line(out):
    done = berita("review", "apply", out / "memberships.csv", "--out", out)
    assert done.returncode == 2
    assert done.stderr.strip() == (f"error: {out / 'memberships.csv'}: no decisions (review_status is empty on every "
                                   "line); nothing applied")
