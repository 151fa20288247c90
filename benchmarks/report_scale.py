"""Benchmark of `berita report` on a large batch: page weight, generation time, open time in headless Chromium.

Annotating 10,000 articles takes hours on 2 cores, so the batch is built from
a real annotated folder (the dev set, annotated first unless ``--source`` names
a folder): its documents are copied until there are ``--docs`` of them, each
copy with new ids and its words replaced by pseudo-words of the same length
(one mapping per copy), so offsets stay valid while gzip cannot shrink the
copies against each other.  The dev set is claim-dense (every article holds
membership claims), so this is a heavy case for the page.  Prints figures; it
asserts nothing.

    python benchmarks/report_scale.py --docs 10000 [--source OUT_DIR] [--keep DIR]
"""
from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pipeline.export import DocumentRecords, safe_name, stable_id, unneutralise, write_tables  # noqa: E402
from pipeline.report import write_report  # noqa: E402
from pipeline.review import reconcile  # noqa: E402

WORD = re.compile(r"[^\W\d_]+")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def scramble(text: str, copy: int) -> str:
    """Every word replaced by a pseudo-word of the same length and case, the same one throughout this copy."""
    def pseudo(match: re.Match) -> str:
        word = match.group(0)
        digest = hashlib.md5(f"{copy}:{word.lower()}".encode()).digest()
        letters = "".join(LETTERS[digest[i % 16] % 26] for i in range(len(word)))
        return "".join(x.upper() if y.isupper() else x for x, y in zip(letters, word))
    return WORD.sub(pseudo, text)


def annotated_devset(folder: Path) -> Path:
    out = folder / "devset-out"
    subprocess.run([sys.executable, "-m", "pipeline.cli", "annotate", str(ROOT.parent / "shared" / "devset" /
                    "articles.jsonl"), "--out", str(out), "--workers", "1", "--quiet"], check=True)
    return out


def _copy(doc: dict, rows: dict[str, list[dict]], text: str, copy: int) -> DocumentRecords:
    doc_id = f"{doc['doc_id']}-{copy:05d}"
    new_text = scramble(text, copy)
    records = DocumentRecords(document={**doc, "doc_id": doc_id, "title": scramble(doc["title"], copy)}, text=new_text)
    for table, kind, key in (("entities", "ent", "entity_id"), ("dates", "date", "date_id"),
                             ("memberships", "claim", "claim_id")):
        for row in rows[table]:
            new = {**row, "doc_id": doc_id, key: stable_id(kind, doc_id, row[key])}
            start, end = int(row["char_start"]), int(row["char_end"])
            new["evidence" if table == "memberships" else "text"] = new_text[start:end]
            if table == "memberships":
                new.update({f: scramble(row[f], copy) for f in ("member", "organization", "date_text")})
            records.rows[table].append(new)
    return records


def build(source: Path, target: Path, n: int) -> None:
    """``n`` documents in ``target``, copied from the annotated folder ``source``."""
    tables = {t: pd.read_csv(source / f"{t}.csv", dtype=str, keep_default_na=False).map(unneutralise)
              for t in ("documents", "entities", "dates", "memberships")}
    docs = tables["documents"][tables["documents"]["status"] == "ok"].to_dict("records")
    rows = {d["doc_id"]: {t: tables[t][tables[t]["doc_id"] == d["doc_id"]].to_dict("records")
                          for t in ("entities", "dates", "memberships")} for d in docs}
    texts = {d["doc_id"]: (source / "texts" / f"{safe_name(d['doc_id'])}.txt").read_text(encoding="utf-8")
             for d in docs}
    (target / "texts").mkdir(parents=True)
    (target / ".berita").mkdir()

    def records():
        for i in range(n):
            doc = docs[i % len(docs)]
            copy = _copy(doc, rows[doc["doc_id"]], texts[doc["doc_id"]], i // len(docs))
            (target / "texts" / f"{safe_name(copy.document['doc_id'])}.txt").write_text(copy.text, encoding="utf-8")
            yield copy
    write_tables(sorted(records(), key=lambda r: r.document["doc_id"]), target)
    reconcile(target)


def open_times(page: Path, runs: int) -> list[float]:
    """Seconds from navigation start to the first frame after the page rendered its records, fresh load each.

    The page stamps ``data-painted-ms`` (``performance.now()``, which counts
    from navigation start) once its records are decoded, the first page of
    claims is rendered and a frame has been painted.
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,2000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    times = []
    try:
        for _ in range(runs):
            driver.get("about:blank")
            driver.get(page.as_uri())
            painted = WebDriverWait(driver, 60).until(
                lambda d: d.execute_script("return document.body.dataset.paintedMs"))
            times.append(int(painted) / 1000)
            assert driver.execute_script("return document.querySelectorAll('.claim').length") > 0
    finally:
        driver.quit()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--source", type=Path, help="an annotated folder to copy from (default: the dev set)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the batch here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        source = args.source or annotated_devset(Path(scratch))
        target = args.keep or Path(scratch) / "batch"
        start = time.perf_counter()
        build(source, target, args.docs)
        built = time.perf_counter() - start
        claims = len(pd.read_csv(target / "memberships.csv", dtype=str))
        start = time.perf_counter()
        page = write_report(target)
        generated = time.perf_counter() - start
        texts = sum(p.stat().st_size for p in (target / "texts").iterdir())
        times = open_times(page, args.runs)
        print(f"documents {args.docs:,}; claims {claims:,}; texts {texts / 1e6:.1f} MB (batch built in {built:.0f} s)")
        print(f"report.html {page.stat().st_size / 1e6:.2f} MB, generated in {generated:.1f} s")
        loads = ", ".join(f"{t:.2f}" for t in times)
        print(f"open in headless Chromium (navigation start to first frame with the claims): "
              f"median {statistics.median(times):.2f} s over {len(times)} loads ({loads})")


if __name__ == "__main__":
    main()
