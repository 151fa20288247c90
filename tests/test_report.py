"""The HTML report, opened in a real headless browser (Debian's chromium + chromedriver)."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report-out")
    subprocess.run([sys.executable, "-m", "pipeline.cli", "annotate", str(ROOT / "corpus"), "--out", str(out),
                    "--quiet"], check=True)
    subprocess.run([sys.executable, "-m", "pipeline.cli", "report", str(out)], check=True, capture_output=True)
    return out / "report.html"


def test_report_is_self_contained(report):
    page = report.read_text(encoding="utf-8")
    assert "<script src" not in page and "<link" not in page and "http://" not in page.split("<body")[0]


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.fail("chromium and chromedriver are needed (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,2000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    yield driver
    driver.quit()


def test_report_opens_without_console_errors_and_links_claims(report, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(Path(report).as_uri())
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    marks = browser.find_elements(By.CSS_SELECTOR, "mark.ent")
    assert any(m.text == "CSTO" and "CSTO" in m.get_attribute("title") for m in marks)
    assert browser.find_elements(By.CSS_SELECTOR, "mark.date")
    links = browser.find_elements(By.CSS_SELECTOR, "a.claim")
    assert links
    for link in links:
        target = link.get_attribute("href").split("#", 1)[1]
        assert browser.find_elements(By.ID, target), target
    assert browser.find_elements(By.CSS_SELECTOR, "svg[aria-label='timeline CSTO'] circle")
    Select(browser.find_element(By.ID, "f-rel")).select_by_value("left")
    visible = [r for r in browser.find_elements(By.CSS_SELECTOR, "tr.claim") if r.is_displayed()]
    assert visible and all(r.get_attribute("data-rel") == "left" for r in visible)
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "report.png"))


def test_reviewed_entities_become_ner_training_data(report, tmp_path, shared):
    import pandas as pd

    from pipeline import corpora
    from pipeline.export import unneutralise
    from pipeline.train import Recipe, prepare_ner

    out = report.parent
    entities = pd.read_csv(out / "entities.csv", dtype=str, keep_default_na=False).map(unneutralise)
    entities["review_status"] = "accepted"
    kremlin = entities["text"] == "Kremlin"
    entities.loc[kremlin, ["review_status", "label"]] = ["corrected", "ORG"]
    reviewed = out / "entities_reviewed.csv"
    entities.to_csv(reviewed, index=False)
    target = tmp_path / "extra.json"
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "review", "export-ner", str(reviewed),
                           "--texts", str(out / "texts"), "--out", str(target)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    sentences = corpora.read_ner_json(target)
    tags = {(tok, tag) for s in sentences for tok, tag in s}
    assert ("Kremlin", "B-ORG") in tags and ("Lukashenko", "I-PER") in tags
    assert ("CSTO", "B-ORG") in tags and ("Armenia", "B-LOC") in tags
    recipe = Recipe(shared / "corpora", tmp_path / "work", tmp_path / "models", "quick", extra_ner=[target])
    prepare_ner(recipe)
    train = corpora.read_ner_json(recipe.data("ner", "train.json"))
    assert all(s in train for s in sentences)


def test_a_failed_write_leaves_the_previous_report_whole(report, tmp_path, monkeypatch):
    """A full disk mid-write (ENOSPC after half the page) keeps the old report and leaves no temp file."""
    import errno

    from pipeline.report import write_report

    out = tmp_path / "out"
    shutil.copytree(report.parent, out)
    before = (out / "report.html").read_bytes()
    real_write = Path.write_text

    def disk_full(path, text, *args, **kwargs):
        real_write(path, text[:len(text) // 2], *args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", disk_full)
    with pytest.raises(OSError):
        write_report(out)
    monkeypatch.undo()
    assert (out / "report.html").read_bytes() == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".") and p.is_file()) == []
