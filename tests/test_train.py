"""The training recipe runs end to end on a tiny slice, so it cannot rot."""
import json
import subprocess
import sys

from pipeline import corpora, lemma_cache, nlp
from pipeline.train import with_lemma_cache


def test_quick_recipe_trains_installs_evaluates_and_loads(tmp_path, shared):
    out = tmp_path / "models"
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "train", "--profile", "quick", "--corpora", str(shared / "corpora"),
         "--work", str(tmp_path / "work"), "--out", str(out)],
        capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    for processor in (*nlp.ALL_PROCESSORS, "pretrain"):
        assert nlp.model_file(out, processor).stat().st_size > 0
    lemma_model = nlp.model_file(out, "lemma")
    assert lemma_cache.read(lemma_cache.cache_file(lemma_model))[0] == lemma_cache.fingerprint(lemma_model)
    scores = json.loads((out / "scores.json").read_text())
    corpora_names = {"idner-news-2k", "nergrit", "nerp", "nerugm", "nerui"}
    assert set(scores["ner"]) == ({f"{c}-dev" for c in corpora_names} | {f"{c}-test" for c in corpora_names - {"idner-news-2k"}}
                                  | {"selection-dev", "combined-dev"})
    assert 0 <= scores["ud_gold_tokens_csui_test"]["UPOS"] <= 100
    assert set(scores["ud_tokenizer_alone_csui_test"]) <= {"Tokens", "Sentences", "Words", "error"}
    card = (out / "MODEL_CARD.md").read_text()
    assert "python -m stanza.models.ner_tagger" in card and "CC BY-SA 4.0" in card
    assert "token split rules" in card and "## Limitations" in card
    pipeline = nlp.build_pipeline(nlp.ALL_PROCESSORS, out)
    assert pipeline("Jakarta ramai.").sentences

    (out / "scores.json").unlink()
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "train", "--eval-only", "--profile", "quick",
         "--corpora", str(shared / "corpora"), "--work", str(tmp_path / "fresh-work"), "--out", str(out)],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert set(json.loads((out / "scores.json").read_text())["ner"]) == set(scores["ner"])

    extra = tmp_path / "extra.json"
    corpora.write_ner_json([[("Kremlin", "B-ORG"), ("membantah", "O")]], extra)
    before = nlp.model_file(out, "ner").stat().st_mtime_ns
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "train", "ner", "--profile", "quick", "--no-eval",
         "--corpora", str(shared / "corpora"), "--work", str(tmp_path / "work-ner"), "--out", str(out),
         "--extra", str(extra)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert nlp.model_file(out, "ner").stat().st_mtime_ns != before
    train = corpora.read_ner_json(tmp_path / "work-ner" / "data" / "ner" / "train.json")
    assert [("Kremlin", "B-ORG"), ("membantah", "O")] in train


def test_one_stage_can_be_retrained_alone(tmp_path, shared):
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "train", "mwt", "--profile", "quick", "--no-eval",
         "--corpora", str(shared / "corpora"), "--work", str(tmp_path / "work"), "--out", str(tmp_path / "m")],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert [p.parent.name for p in (tmp_path / "m" / "id").glob("*/*.pt")] == ["mwt"]


def test_the_lemma_cache_is_rebuilt_with_the_lemmatizer():
    assert with_lemma_cache(["lemma"]) == ["lemma", "lemma-cache"]
    assert with_lemma_cache(["pos", "lemma", "ner"]) == ["pos", "lemma", "ner", "lemma-cache"]
    assert with_lemma_cache(["pos", "ner"]) == ["pos", "ner"]
    assert with_lemma_cache(["lemma-cache"]) == ["lemma-cache"]


def test_unknown_stage_is_refused(tmp_path):
    """The stage name is checked first, so the mistake is named even without the corpora."""
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "train", "parser", "--corpora", str(tmp_path / "no")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "unknown stage(s) parser" in done.stderr


def test_card_schedules_stage_minutes_like_the_recipe():
    from pipeline.modelcard import scheduled_minutes

    minutes = {"pretrain": 1, "ner": 10, "pos": 5, "depparse": 5, "lemma": 3, "tokenize": 1, "mwt": 1}
    log = {stage: {"minutes": m} for stage, m in minutes.items()}
    assert scheduled_minutes(log, jobs=1) == sum(minutes.values())
    # pretrain, then ner beside pos + depparse (both wait for pretrain), then lemma beside tokenize + mwt
    assert scheduled_minutes(log, jobs=2) == 14
