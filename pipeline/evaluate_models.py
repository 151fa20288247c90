"""Held-out scores of the trained Stanza models, as the model card reports them.

UD: end to end on raw CSUI-test text (tokens, sentences, words, tags, lemmas,
UAS/LAS) and with gold tokens (each model on its own).  NER: entity-level
precision/recall/F1 per label (seqeval, exact spans) on every test split and
on the combined dev set.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipeline import corpora as C
from pipeline import nlp

UD_METRICS = ("Tokens", "Sentences", "Words", "UPOS", "XPOS", "UFeats", "Lemmas", "UAS", "LAS")


def ud_metrics(gold: Path, system: Path, names=UD_METRICS) -> dict[str, float]:
    """F1 (x100) of the CoNLL 2018 evaluation for the named metrics."""
    from stanza.models.common.utils import ud_scores
    from udtools.udeval import UDError

    try:
        evaluation = ud_scores(str(gold), str(system))
    except UDError as err:
        # An under-trained model (the quick recipe) can garble the text so badly
        # that CoNLL 2018 alignment is impossible; report that instead of crashing.
        return {"error": str(err).splitlines()[0]}
    return {name: round(100 * evaluation[name].f1, 2) for name in names}


def end_to_end_ud(recipe) -> dict[str, float]:
    """Run tokenize..depparse on the raw test text and score against gold."""
    return _raw_text_ud(recipe, ("tokenize", "mwt", "pos", "lemma", "depparse"), "test_end_to_end.conllu")


def tokenizer_alone_ud(recipe) -> dict[str, float]:
    """Tokens, sentences and words of the tokenizer and MWT models without berita's split rules."""
    return _raw_text_ud(recipe, ("tokenize", "mwt"), "test_tokenizer_alone.conllu",
                        names=("Tokens", "Sentences", "Words"), tokenize_postprocessor=None)


def _raw_text_ud(recipe, processors: tuple[str, ...], name: str, names=UD_METRICS, **options) -> dict[str, float]:
    from stanza.utils.conll import CoNLL

    pipeline = nlp.build_pipeline(processors, recipe.out, **options)
    text = recipe.data("tokenize", "test.txt").read_text(encoding="utf-8")
    system = recipe.output(name)
    CoNLL.write_doc2conll(pipeline(text), str(system))
    return ud_metrics(recipe.data("tokenize", "test.gold.conllu"), system, names)


def predict_gold_tokens(recipe, stage: str) -> Path:
    """Run one trainer in predict mode on the gold test file; returns its output."""
    from pipeline.train import SHORTHAND, TRAINERS, single_thread_env

    model = nlp.model_file(recipe.out, stage)
    output = recipe.output(f"{stage}_test.conllu")
    args = [
        "--mode", "predict", "--eval_file", str(recipe.data("ud", "test.conllu")),
        "--output_file", str(output), "--save_dir", str(model.parent), "--save_name", model.name,
        "--shorthand", SHORTHAND,
    ]
    if stage in nlp.NEEDS_PRETRAIN:
        args += ["--lang", nlp.LANG]
        args += ["--no_pretrain"] if recipe.no_pretrain else [
            "--wordvec_pretrain_file", str(nlp.model_file(recipe.out, "pretrain"))]
    subprocess.run([sys.executable, "-m", TRAINERS[stage], *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=single_thread_env())
    return output


def gold_token_ud(recipe) -> dict[str, float]:
    """UPOS/UFeats, lemmas and UAS/LAS with gold tokens (and gold tags for the parser)."""
    gold = recipe.data("ud", "test.conllu")
    scores = ud_metrics(gold, predict_gold_tokens(recipe, "pos"), ("UPOS", "UFeats"))
    scores.update(ud_metrics(gold, predict_gold_tokens(recipe, "lemma"), ("Lemmas",)))
    scores.update(ud_metrics(gold, predict_gold_tokens(recipe, "depparse"), ("UAS", "LAS")))
    return scores


def bioes_to_bio(tags: list[str]) -> list[str]:
    """Stanza predicts BIOES; seqeval and the corpora use BIO."""
    return [("B" + t[1:]) if t[:1] == "S" else ("I" + t[1:]) if t[:1] == "E" else t for t in tags]


def ner_scores(pipeline, sentences: list[C.NerSentence]) -> dict[str, dict[str, float]]:
    """Entity-level P/R/F1 per label and micro-averaged, on pre-tokenised sentences."""
    from seqeval.metrics import classification_report

    gold = [[tag for _, tag in s] for s in sentences]
    doc = pipeline([[tok for tok, _ in s] for s in sentences])
    pred = [bioes_to_bio([t.ner for t in s.tokens]) for s in doc.sentences]
    report = classification_report(gold, pred, output_dict=True, zero_division=0)
    return {
        label: {k: round(float(report[label][k]), 4) for k in ("precision", "recall", "f1-score", "support")}
        for label in report if label in ("PER", "ORG", "LOC", "micro avg")
    }


def ner_evaluation(recipe) -> dict[str, dict]:
    """NER scores on each test and dev split, the dev splits that select the checkpoint, and all dev splits."""
    pipeline = nlp.build_pipeline(("tokenize", "ner"), recipe.out, tokenize_pretokenized=True)
    splits = {f"{path.stem}-{part}": C.read_ner_json(path)
              for part in ("test", "dev") for path in sorted(recipe.data("ner", part).glob("*.json"))}
    splits["selection-dev"] = C.read_ner_json(recipe.data("ner", "dev.json"))
    splits["combined-dev"] = [s for name, part in splits.items() if name.endswith("-dev") and name != "selection-dev"
                              for s in part]
    return {name: ner_scores(pipeline, sentences) for name, sentences in splits.items()}


def evaluate_models(recipe) -> dict:
    """Every held-out score of the installed models; also saved as scores.json."""
    scores = {
        "ud_end_to_end_csui_test": end_to_end_ud(recipe),
        "ud_tokenizer_alone_csui_test": tokenizer_alone_ud(recipe),
        "ud_gold_tokens_csui_test": gold_token_ud(recipe),
        "ner": ner_evaluation(recipe),
        "sizes_mb": {p.parent.name: round(p.stat().st_size / 2**20, 2)
                     for p in sorted(Path(recipe.out, nlp.LANG).glob("*/*.pt"))},
    }
    scores["sizes_mb"]["total"] = round(sum(scores["sizes_mb"].values()), 2)
    (Path(recipe.out) / "scores.json").write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    return scores
