"""Hostile ids and inputs, a full disk, leftovers of killed runs, the folder lock and one-line errors (issue 15)."""
import errno
import html
import json
import os
import resource
import subprocess
import sys

import pandas as pd
import pytest

from pipeline.export import DocumentRecords, safe_name, text_name, write_tables
from pipeline.io.atomic import atomic_open
from pipeline.io.lock import exclusive
from pipeline.store import part_key

CLI = [sys.executable, "-m", "pipeline.cli"]
COUNTRIES = ["Indonesia", "Malaysia", "Thailand", "Vietnam", "Filipina", "Brasil", "Mesir", "Iran"]
COLLIDING = ["a/b", "a_b", "a:b", "x\ny", "x y", "p" * 200 + "1", "p" * 200 + "2", "Berita Café"]
ANNOTATED = COLLIDING + ["nul", "linked-article"]


def _article(country: str) -> str:
    return f"Presiden menyatakan {country} bergabung dengan BRICS pada 2025.\n"


def _cli(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "250"}, **kwargs)


def _part(out, doc_id: str):
    key = part_key(doc_id, 0)
    return out / ".berita" / "parts" / key[:2] / f"{key}.json"


def _frame(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """One folder of hostile input annotated into an --out inside it, then moved and annotated again."""
    base = tmp_path_factory.mktemp("hostile")
    inputs, elsewhere = base / "inputs", base / "elsewhere"
    inputs.mkdir()
    elsewhere.mkdir()
    records = [{"id": doc_id, "text": _article(country)} for doc_id, country in zip(COLLIDING, COUNTRIES)]
    records += [{"id": "nul", "title": "judul\x00", "text": "Indonesia\x00 bergabung dengan BRICS pada 2025."},
                {"id": "kosong", "text": "   "}, {"id": "a_b", "text": _article("Iran")}]
    (inputs / "hostile.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (elsewhere / "linked-article.txt").write_text(_article("Mesir"), encoding="utf-8")
    (inputs / "linked").symlink_to("../elsewhere")
    first = _cli("annotate", inputs, base / "missing", "--out", inputs / "out", "--workers", "1")
    assert first.returncode == 0, first.stderr
    before = _frame(inputs / "out" / "documents.csv")
    parts = {doc_id: _part(inputs / "out", doc_id).stat().st_mtime_ns for doc_id in ANNOTATED}
    moved = base / "moved"
    inputs.rename(moved)
    second = _cli("annotate", moved, base / "missing", "--out", moved / "out", "--workers", "1", "--quiet")
    assert second.returncode == 0, second.stderr
    return {"out": moved / "out", "stderr": first.stderr, "before": before, "parts": parts, "moved": moved}


def test_ids_that_sanitise_alike_get_a_text_each_and_offsets_into_it(hostile):
    out = hostile["out"]
    documents = _frame(out / "documents.csv")
    ok = documents[documents["status"] == "ok"].set_index("doc_id", drop=False)
    assert set(COLLIDING) <= set(ok["doc_id"])
    assert ok["text_file"].is_unique and len(list((out / "texts").iterdir())) == len(ok)
    for doc_id, country in zip(COLLIDING, COUNTRIES):
        assert ok.loc[doc_id, "text_file"] == f"texts/{text_name(doc_id)}"
        assert (out / "texts" / text_name(doc_id)).read_text(encoding="utf-8") == _article(country)
    entities = _frame(out / "entities.csv")
    assert set(COLLIDING) <= set(entities["doc_id"])
    for row in entities.itertuples():
        text = (out / ok.loc[row.doc_id, "text_file"]).read_text(encoding="utf-8")
        assert text[int(row.char_start):int(row.char_end)] == row.text


def test_nul_bytes_reach_no_output_file(hostile):
    assert _frame(hostile["out"] / "documents.csv").set_index("doc_id").loc["nul", "status"] == "ok"
    for path in hostile["out"].rglob("*"):
        if path.is_file():
            assert b"\x00" not in path.read_bytes(), path


def test_failed_documents_are_warned_and_named_with_lines(hostile):
    stderr, documents = hostile["stderr"], hostile["before"]
    assert "kosong: empty text" in stderr
    summary = [line for line in stderr.splitlines() if line.startswith("failed")]
    assert summary and all(name in summary[0] for name in ("kosong", "missing", "a_b")), stderr
    duplicate = documents[(documents["doc_id"] == "a_b") & (documents["status"] == "error")]["error"].iloc[0]
    assert "hostile.jsonl:11" in duplicate and "first read at" in duplicate and "hostile.jsonl:2" in duplicate


def test_a_missing_folder_is_reported_as_missing(hostile):
    error = hostile["before"].set_index("doc_id").loc["missing", "error"]
    assert "no such file" in error and "unsupported" not in error


def test_a_symlinked_subfolder_is_read(hostile):
    assert hostile["before"].set_index("doc_id").loc["linked-article", "status"] == "ok"


def test_the_output_folder_inside_the_input_is_not_read_back(hostile):
    after = _frame(hostile["out"] / "documents.csv")
    assert list(after["doc_id"]) == list(hostile["before"]["doc_id"])
    assert not any("/out/" in source for source in after["source"])


def test_moved_inputs_are_resumed_not_redone(hostile):
    moved = hostile["moved"]
    assert {doc_id: _part(moved / "out", doc_id).stat().st_mtime_ns for doc_id in ANNOTATED} == hostile["parts"]
    sources = _frame(moved / "out" / "documents.csv")["source"]
    assert sources.str.contains(str(moved / "hostile.jsonl"), regex=False).any()


def test_text_names_are_unique_readable_and_safe():
    ids = COLLIDING + ["A_b", "Café", "Cafe\u0301", "abc-0123456789", ".hidden", "..", "-rf", "x" * 300, "a\x00b"]
    names = [text_name(doc_id) for doc_id in ids]
    assert len(set(names)) == len(names) and len({n.lower() for n in names}) == len(names)
    for name in names:
        assert "/" not in name and "\x00" not in name and "\n" not in name and not name.startswith((".", "-"))
        assert len(name.encode("utf-8")) <= 120
    assert text_name("seed-csto") == "seed-csto.txt" and text_name("antara.2022_05") == "antara.2022_05.txt"
    assert safe_name("abc-0123456789") != "abc-0123456789"  # a plain id never looks like a hashed name


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "documents.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(OSError) as err:
        with atomic_open(target) as handle:
            handle.write("half a ta")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert err.value.filename == str(target)
    assert target.read_text(encoding="utf-8") == "old\n" and os.listdir(tmp_path) == ["documents.csv"]


def _empty_articles(folder, n: int):
    path = folder / "empty.jsonl"
    path.write_text("".join(json.dumps({"id": f"kosong-{i:03d}", "text": ""}) + "\n" for i in range(n)),
                    encoding="utf-8")
    return path


def test_a_full_disk_is_one_line_and_keeps_the_old_tables(tmp_path):
    articles, out = _empty_articles(tmp_path, 80), tmp_path / "out"
    assert _cli("annotate", articles, "--out", out, "--quiet").returncode == 1  # every document failed
    old = (out / "documents.csv").read_bytes()
    assert len(old) > 4096

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = _cli("annotate", articles, "--out", out, "--quiet", "--force", preexec_fn=small_files)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == f"error: {out / 'documents.csv'}: File too large"
    assert (out / "documents.csv").read_bytes() == old
    assert not [p for p in out.rglob(".*") if p.is_file() and p.name != "lock"]


def test_leftovers_of_a_killed_run_are_removed_by_the_next(tmp_path):
    articles, out = _empty_articles(tmp_path, 1), tmp_path / "out"
    leftovers = [out / ".documents.csv.partial", out / ".entities.csv.123.0a1b2c3d.tmp",
                 out / "texts" / ".a.txt.123.0a1b2c3d.tmp", out / ".berita" / "parts" / "ab" / ".ab12.json.9.ffff.tmp"]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half", encoding="utf-8")
    assert _cli("annotate", articles, "--out", out, "--quiet").returncode == 1
    assert not any(path.exists() for path in leftovers)


def _output_folder(parent):
    """A small output folder as `berita annotate` leaves it, written without the models."""
    out = parent / "out"
    (out / ".berita").mkdir(parents=True)
    write_tables([DocumentRecords(document={"doc_id": "d", "status": "ok"})], out)
    return out


@pytest.mark.parametrize("command", [["annotate", "{in}", "--out", "{out}"], ["report", "{out}"],
                                     ["review", "apply", "{in}", "--out", "{out}"]])
def test_every_writer_is_refused_while_another_holds_the_folder(tmp_path, command):
    out = _output_folder(tmp_path)
    before = {p: p.read_bytes() for p in out.iterdir() if p.is_file()}
    args = [a.format(out=out, **{"in": _empty_articles(tmp_path, 1)}) for a in command]
    with exclusive(out):
        done = _cli(*args)
    assert done.returncode == 2
    assert done.stderr == (f"error: {out} is in use by another berita run (pid {os.getpid()}); "
                           "wait for it to finish or choose another output folder\n")
    assert {p: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_user_errors_are_one_line(tmp_path):
    (tmp_path / "a.txt").write_text(_article("Iran"), encoding="utf-8")
    out = _output_folder(tmp_path)
    (tmp_path / "entities.csv").write_text("doc_id,review_status\n", encoding="utf-8")
    cases = {
        ("annotate", tmp_path / "a.txt", "--out", tmp_path / "a.txt"): "is a file, not a folder",
        ("annotate", out, "--out", tmp_path / "new"): "is a berita output folder, not an input",
        ("evaluate", out / "documents.csv", out): "not a JSON line",
        ("review", "export-ner", tmp_path / "entities.csv", "--out", tmp_path / "x.json"): "no texts folder",
        ("review", "apply", tmp_path / "none.csv", "--out", tmp_path / "none"): "is not a folder",
    }
    for args, message in cases.items():
        done = _cli(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert done.stderr.startswith("error: ") and message in done.stderr, (args, done.stderr)
        assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr, done.stderr


def test_debug_keeps_the_traceback(tmp_path):
    (tmp_path / "a.txt").write_text(_article("Iran"), encoding="utf-8")
    for args in (["--debug", "annotate"], ["annotate", "--debug"]):
        done = _cli(*args, tmp_path / "a.txt", "--out", tmp_path / "a.txt")
        assert done.returncode != 0 and "Traceback" in done.stderr and "NotADirectoryError" in done.stderr


def test_max_chars_must_be_positive(tmp_path):
    done = _cli("annotate", tmp_path / "a.txt", "--out", tmp_path / "out", "--max-chars", "-1")
    assert done.returncode == 2 and "--max-chars: expected a whole number >= 1" in done.stderr
    assert not (tmp_path / "out").exists()


def test_evaluate_names_a_gold_record_without_id(tmp_path):
    from pipeline.evaluate import GoldError, read_gold

    (tmp_path / "gold.jsonl").write_text('{"id": "a"}\n\n["b"]\n', encoding="utf-8")
    with pytest.raises(GoldError, match="gold.jsonl:3: a gold record is a JSON object with an 'id'"):
        list(read_gold(tmp_path / "gold.jsonl"))


def test_an_input_symlink_loop_is_read_once(tmp_path):
    from pipeline.ingest import expand_inputs

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "back").symlink_to("..")
    assert list(expand_inputs([tmp_path])) == [tmp_path / "sub" / "a.txt"]



def test_the_report_escapes_every_value_read_back_from_edited_csvs(tmp_path):
    from pipeline.report import render

    payload = "<img src=x onerror=alert(1)>"
    records = DocumentRecords(document={"doc_id": "d", "status": "ok", "n_entities": payload, "n_dates": payload,
                                        "n_memberships": payload})
    entity = {"doc_id": "d", "entity_id": "e", "text": "Iran", "label": payload, "char_start": 0, "char_end": 4}
    claim = {"doc_id": "d", "claim_id": "c", "member": "Iran", "member_id": "IRN", "organization": "BRICS",
             "organization_id": "BRICS", "relation": payload, "date_value": "2025", "negated": "false",
             "char_start": 0, "char_end": 4, "evidence": "Iran"}
    records.rows["entities"], records.rows["memberships"] = [entity], [claim]
    failed = DocumentRecords(document={"doc_id": "f", "status": payload})
    write_tables([records, failed], tmp_path)
    page = render(tmp_path)
    assert "<img" not in page and html.escape(payload) in page
