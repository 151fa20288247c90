"""The HTML report, opened in a real headless browser (Debian's chromium + chromedriver)."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, absent

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def report(corpus_out, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "out"
    shutil.copytree(corpus_out, out)
    subprocess.run([sys.executable, "-m", "pipeline.cli", "report", str(out)], check=True, capture_output=True)
    return out / "report.html"


def test_report_is_self_contained(report):
    page = report.read_text(encoding="utf-8")
    assert "<script src" not in page and "<link" not in page and "http://" not in page.split("<body")[0]
    assert '<meta name="viewport"' in page and "berita 0.1.0" in page and "models " in page


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        absent("no chromium and chromedriver (apt-get install chromium chromium-driver)")
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


def _open(browser, page: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(page.as_uri())
    WebDriverWait(browser, 20).until(lambda b: b.execute_script("return document.body.dataset.ready"))


def _visible(browser, css: str) -> list:
    from selenium.webdriver.common.by import By

    return [e for e in browser.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]


def test_report_opens_without_console_errors_and_shows_claims_and_documents(report, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _open(browser, report)
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert browser.find_elements(By.CSS_SELECTOR, "svg[aria-label='timeline CSTO'] circle")
    counts = browser.find_element(By.ID, "org-counts").text
    assert "CSTO" in counts and "undated" in counts
    assert browser.find_element(By.ID, "fact-count").text == "18 facts, 19 claims"
    belarus = [f for f in _visible(browser, ".fact") if f.text.startswith("Belarus (BLR) · member · CSTO")]
    assert belarus and "2 sentences in 1 document" in belarus[0].text  # one fact, its evidence list
    Select(browser.find_element(By.ID, "f-rel")).select_by_value("left")
    facts = _visible(browser, ".fact h4")
    assert len(facts) == 3 and all(" · left · " in f.text for f in facts)
    claim = _visible(browser, ".claim")[0]
    assert claim.find_element(By.CSS_SELECTOR, "mark.hl-member").text in facts[0].text
    assert claim.find_element(By.CSS_SELECTOR, "code.claim-id").text.startswith("c")
    claim.find_element(By.CSS_SELECTOR, "a.doc-link").click()
    view = browser.find_element(By.ID, "doc-view")
    assert view.is_displayed() and view.find_element(By.TAG_NAME, "h2").text == "seed-csto"
    labels = [m.text for m in view.find_elements(By.CSS_SELECTOR, "mark.ent-ORG")]
    assert "CSTO\nORG CSTO" in labels or "CSTOORG CSTO" in [x.replace("\n", "") for x in labels]  # label visible
    assert view.find_elements(By.CSS_SELECTOR, "mark.ent-DATE")
    browser.find_element(By.ID, "f-search").send_keys("Georgia")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 5).until(lambda b: b.find_element(By.ID, "fact-count").text == "2 facts, 2 claims")
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "report.png"))


def test_values_from_edited_files_are_shown_as_text(report, browser, tmp_path):
    """A cell such as ``<img onerror=...>`` in an edited CSV is text in the page, never markup."""
    import pandas as pd
    from selenium.webdriver.common.by import By

    out = tmp_path / "out"
    shutil.copytree(report.parent, out)
    attack = '<img src=x onerror="document.title=1">'
    for path in (out / "memberships.csv", out / ".berita" / "claims.csv"):  # as exported, and as produced
        claims = pd.read_csv(path, dtype=str, keep_default_na=False)
        claims.loc[0, ["member", "relation", "evidence"]] = [attack, attack, attack]
        claims.to_csv(path, index=False)
    subprocess.run([sys.executable, "-m", "pipeline.cli", "report", str(out)], check=True, capture_output=True)
    _open(browser, out / "report.html")
    assert browser.find_elements(By.TAG_NAME, "img") == [] and browser.title != "1"
    assert attack in browser.find_element(By.ID, "claims").text


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


def test_copies_repeat_a_corpus_in_the_ner_training_data(tmp_path, shared):
    """``ner_data.copies`` weighs a corpus by repeating its training split; the others stay once."""
    from pipeline import corpora
    from pipeline.train import Recipe, prepare_ner

    def training_sentences(copies: dict) -> list:
        recipe = Recipe(shared / "corpora", tmp_path / f"work{len(copies)}", tmp_path / "models", "quick")
        recipe.settings["ner_data"] = {**recipe.settings["ner_data"], "copies": copies}
        prepare_ner(recipe)
        return corpora.read_ner_json(recipe.data("ner", "train.json"))

    once, weighed = training_sentences({}), training_sentences({"nerui": 3})
    nerui = corpora.load_ner_split(shared / "corpora", "train", 150)["nerui"]
    assert len(weighed) == len(once) + 2 * len(nerui)
    assert all(weighed.count(s) >= 3 for s in nerui[:20])


def test_the_model_card_says_which_corpora_training_repeats(tmp_path, shared):
    from pipeline.modelcard import data_choices
    from pipeline.train import Recipe

    recipe = Recipe(shared / "corpora", tmp_path / "work", tmp_path / "models", "quick")
    assert "repeated" not in data_choices(recipe)
    recipe.settings["ner_data"] = {**recipe.settings["ner_data"], "copies": {"nerui": 3, "idner-news-2k": 2}}
    assert "idner-news-2k 2 times, nerui 3 times" in data_choices(recipe)


def test_a_failed_write_leaves_the_previous_report_whole(report, tmp_path, monkeypatch):
    """A full disk when the new page is flushed (ENOSPC) keeps the old report and leaves no temp file."""
    import errno
    import os

    from pipeline.report import write_report

    out = tmp_path / "out"
    shutil.copytree(report.parent, out)
    before = (out / "report.html").read_bytes()

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        write_report(out)
    monkeypatch.undo()
    assert (out / "report.html").read_bytes() == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".") and p.is_file()) == []


def test_review_in_the_browser_survives_apply_and_an_edited_rerun(report, browser, tmp_path):
    """Issue 14's round trip: review in the page, download, apply, re-run on an edited article, all still there."""
    import pandas as pd
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    out, downloads, corpus = tmp_path / "out", tmp_path / "downloads", tmp_path / "corpus"
    shutil.copytree(report.parent, out)
    downloads.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    _open(browser, out / "report.html")
    facts = {f.find_element(By.TAG_NAME, "h4").text.split(" — ")[0]: f for f in _visible(browser, ".fact")}
    founder = facts["Armenia (ARM) · founder · CSTO · 1992-05-15"].find_element(By.CSS_SELECTOR, ".claim")
    member = facts["Armenia (ARM) · member · CSTO"].find_element(By.CSS_SELECTOR, ".claim")
    joined = facts["Azerbaijan (AZE) · joined · CSTO · 1993"].find_element(By.CSS_SELECTOR, ".claim")
    ids = [c.get_attribute("data-id") for c in (founder, member, joined)]

    member.find_element(By.CSS_SELECTOR, "button.accept").click()
    keys = ActionChains(browser)
    browser.execute_script("arguments[0].focus()", browser.find_element(By.CSS_SELECTOR, f".claim[data-id='{ids[2]}']"))
    keys.send_keys("r").perform()
    browser.execute_script("arguments[0].focus()", browser.find_element(By.CSS_SELECTOR, f".claim[data-id='{ids[0]}']"))
    keys.send_keys("c").perform()
    form = browser.find_element(By.CSS_SELECTOR, f".claim[data-id='{ids[0]}'] .correct-form")
    form.find_element(By.NAME, "member_id").clear()
    form.find_element(By.NAME, "member_id").send_keys("XXX")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "member_id \"XXX\" is neither" in form.find_element(By.CSS_SELECTOR, ".problem").text
    form.find_element(By.NAME, "member_id").clear()
    form.find_element(By.NAME, "member_id").send_keys("ARM")
    form.find_element(By.NAME, "date_value").clear()
    form.find_element(By.NAME, "date_value").send_keys("1992-05")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    row = browser.find_element(By.CSS_SELECTOR, f".claim[data-id='{ids[0]}']")
    assert row.find_element(By.TAG_NAME, "del").text == "1992-05-15"
    assert row.find_element(By.TAG_NAME, "ins").text == "1992-05"
    assert browser.find_element(By.ID, "pending").text == "3 decisions in this browser, not applied yet"

    browser.find_element(By.ID, "download").click()
    WebDriverWait(browser, 10).until(lambda b: [p for p in downloads.iterdir() if p.suffix == ".csv"])
    reviewed = next(p for p in downloads.iterdir() if p.suffix == ".csv")
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "review", "apply", str(reviewed), "--out", str(out),
                           "--reviewer", "browser"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("3 new, 0 changed, 0 unchanged")

    corpus.mkdir()
    text = (ROOT / "corpus" / "seed-csto.txt").read_text(encoding="utf-8")
    (corpus / "seed-csto.txt").write_text(text.replace("Lukashenko mencatat", "JAKARTA - Lukashenko mencatat")
                                          .replace("Find Us On Social Media :", "Artikel ini diperbarui.\n\n"),
                                          encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "annotate", str(corpus), "--out", str(out),
                           "--workers", "1"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "review decisions kept: 3; no longer matching a claim: 0" in done.stderr
    claims = pd.read_csv(out / "memberships.csv", dtype=str, keep_default_na=False)
    assert not set(ids) & set(claims["claim_id"])  # every offset moved
    decided = claims[claims["review_status"] != ""].set_index(["member_id", "relation"])
    assert decided["review_status"].to_dict() == {("ARM", "founder"): "corrected", ("ARM", "member"): "accepted",
                                                  ("AZE", "joined"): "rejected"}
    assert decided.loc[("ARM", "founder"), "date_value"] == "1992-05"

    subprocess.run([sys.executable, "-m", "pipeline.cli", "report", str(out)], check=True, capture_output=True)
    _open(browser, out / "report.html")
    assert browser.find_element(By.ID, "pending").text == ""
    assert len(_visible(browser, ".claim.s-accepted")) == 1 and len(_visible(browser, ".claim.s-rejected")) == 1
    corrected = _visible(browser, ".claim.s-corrected")
    assert len(corrected) == 1 and corrected[0].find_element(By.TAG_NAME, "ins").text == "1992-05"
    timeline = browser.find_element(By.CSS_SELECTOR, "svg[aria-label='timeline CSTO']").text
    assert "GEO joined (1993)" in timeline and "AZE joined" not in timeline  # rejected claims leave the overview


def test_a_large_batch_pages_its_facts_and_shows_long_evidence_lists_a_few_at_a_time(report, browser, tmp_path):
    """Thousands of claims: 50 facts a page, a fact's sentences 5 at a time (the benchmark's batch builder)."""
    from report_scale import build
    from selenium.webdriver.common.by import By

    build(report.parent, tmp_path / "batch", 60)
    subprocess.run([sys.executable, "-m", "pipeline.cli", "report", str(tmp_path / "batch")], check=True,
                   capture_output=True)
    _open(browser, tmp_path / "batch" / "report.html")
    belarus = [f for f in _visible(browser, ".fact") if "(BLR) · member · CSTO —" in f.text][0]  # names scrambled
    assert "120 sentences in 60 documents" in belarus.text
    assert len(belarus.find_elements(By.CSS_SELECTOR, ".claim")) == 5
    belarus.find_element(By.CSS_SELECTOR, "button.more").click()
    assert len(belarus.find_elements(By.CSS_SELECTOR, ".claim")) == 55
    assert browser.find_element(By.ID, "fact-count").text == "18 facts, 1140 claims"
    docs = browser.find_element(By.ID, "docs-ui").text
    assert "page 1 of 2 (60 documents)" in docs


def test_the_page_fits_a_phone_screen(report, browser):
    """No sideways scrolling at a phone's width, the claims and an opened document included."""
    browser.set_window_size(390, 844)
    try:
        _open(browser, report)
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        browser.execute_script("document.querySelector('a.doc-link').click()")
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        browser.set_window_size(1280, 2000)


def test_the_facts_view_shows_rosters_timelines_and_conflicts_and_decides_whole_facts(report, browser, tmp_path):
    """Issue 19: a fact per (member, organisation, relation), opening to its claims; accept/reject it whole."""
    import pandas as pd
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    out, downloads = tmp_path / "out", tmp_path / "downloads"
    shutil.copytree(report.parent, out)
    downloads.mkdir()
    claims = pd.read_csv(out / "memberships.csv", dtype=str, keep_default_na=False)
    georgia = (claims["member_id"] == "GEO") & (claims["relation"] == "left")
    claims.loc[georgia, ["review_status", "member", "member_id", "date_value"]] = ["corrected", "Azerbaijan", "AZE",
                                                                                 "2000"]
    claims.to_csv(tmp_path / "corrected.csv", index=False)
    cli = [sys.executable, "-m", "pipeline.cli"]
    subprocess.run([*cli, "review", "apply", str(tmp_path / "corrected.csv"), "--out", str(out)], check=True)
    subprocess.run([*cli, "report", str(out)], check=True, capture_output=True)
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    _open(browser, out / "report.html")
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    view = browser.find_element(By.ID, "facts-ui")
    timeline = [f.find_element(By.CSS_SELECTOR, ".head").text for f in
                view.find_elements(By.CSS_SELECTOR, "#fact-timeline details")]
    assert timeline[0].startswith("1992-05-15 Armenia (ARM) founder — 1 claim in 1 document")
    assert [t.split(" — ")[0] for t in timeline[6:]] == [  # Georgia's leave now says Azerbaijan left in 2000
        "1993 Azerbaijan (AZE) joined", "1993 Belarus (BLR) joined", "1993 Georgia (GEO) joined",
        "2012 Uzbekistan (UZB) left", "undated Azerbaijan (AZE) left"]
    conflicts = view.find_elements(By.CSS_SELECTOR, "details.conflict")
    assert len(conflicts) == 1 and "⚠ dates 1999 (1) vs 2000 (1)" in conflicts[0].text
    # a leave in 1999 or 2000 cannot be placed: Azerbaijan stays on the roster, the leave is named as unplaced
    assert [m.text for m in view.find_elements(By.CSS_SELECTOR, "#roster .member")] == [
        "ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "RUS", "TJK"]
    assert "1 fact(s) cannot be placed in time (undated, or dated too coarsely): AZE left" in view.text

    joined = view.find_elements(By.CSS_SELECTOR, "#fact-timeline details")[6]
    joined.find_element(By.CSS_SELECTOR, ".head").click()  # the claims are rendered when the fact opens
    evidence = WebDriverWait(browser, 10).until(lambda b: joined.find_elements(By.CSS_SELECTOR, ".claim .evidence"))[0]
    assert evidence.text.startswith("Azerbaijan, Georgia dan Belarus bergabung")
    claim_id = joined.find_element(By.CSS_SELECTOR, ".claim").get_attribute("data-id")
    joined.find_element(By.CSS_SELECTOR, "button.reject-fact").click()
    assert "fs-rejected" in joined.get_attribute("class") and " rejected" in joined.find_element(By.CSS_SELECTOR,
                                                                                                 ".head").text
    assert all("s-rejected" in c.get_attribute("class")  # the claim, in this view and in the claims list
               for c in browser.find_elements(By.CSS_SELECTOR, f".claim[data-id='{claim_id}']"))
    assert len(browser.find_elements(By.CSS_SELECTOR, f".claim[data-id='{claim_id}']")) == 2
    conflicts[0].find_element(By.CSS_SELECTOR, "button.accept-fact").click()
    assert "fs-accepted" in conflicts[0].get_attribute("class")
    assert browser.find_element(By.ID, "pending").text == "2 decisions in this browser, not applied yet"

    browser.find_element(By.ID, "download").click()
    WebDriverWait(browser, 10).until(lambda b: [p for p in downloads.iterdir() if p.suffix == ".csv"])
    reviewed = next(p for p in downloads.iterdir() if p.suffix == ".csv")
    subprocess.run([*cli, "review", "apply", str(reviewed), "--out", str(out)], check=True, capture_output=True)
    facts = pd.read_csv(out / "facts.csv", dtype=str, keep_default_na=False).set_index(["member_id", "relation"])
    assert facts.loc[("AZE", "joined"), "review_status"] == "rejected"
    assert facts.loc[("AZE", "left"), ["review_status", "n_claims"]].tolist() == ["accepted", "2"]
