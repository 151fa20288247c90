"""Write ``MODEL_CARD.md`` next to the shipped models from what the recipe measured.

The card is generated, never edited by hand, so its numbers are exactly the
ones ``berita train`` printed.
"""
from __future__ import annotations

import json
import platform
from datetime import date
from pathlib import Path

from pipeline.corpora import NER_SOURCES

SOURCES = """\
| data | used for | licence |
|---|---|---|
| UD Indonesian-GSD v2.17 (dev split) | all UD models (train; last 60 sentences: lemma dev) | CC BY-SA 4.0 |
| UD Indonesian-CSUI (train / test) | all UD models (train) / reported UD scores (test) | CC BY-SA 4.0 |
| UD Indonesian-PUD, IndoLEM revision | tokenize, mwt, pos, depparse (900 train; last 100: dev of mwt, pos, depparse) | CC BY-SA 4.0 |
| idner-news-2k (Khairunnisa et al. 2020) | ner train/dev | MIT |
| NERGrit (IndoNLU) | ner train/dev/test | IndoNLU licence |
| NERP (IndoNLU) | ner train/dev/test | IndoNLU licence |
| NER-UI, NER-UGM (IndoLEM, fold 1) | ner train/dev/test | see upstream README |

Public sources: universaldependencies.org (UD treebanks), the IndoNLU and
IndoLEM benchmark repositories (NERGrit, NERP, NER-UI, NER-UGM) and the
idner-news-2k release; `berita train --corpora DIR` reads a copy laid out as
`ud/UD_Indonesian-*/` and `ner/<name>/`."""

ORG_SPLIT = """\
- ORG inherits a disagreement between the NER corpora: idner-news-2k and
  NER-UI tag political parties and state bodies (`Golkar`, `DPR`, `KPK`, `TNI`)
  as organisations, NER-UGM about two times in three, NERP (the only
  lower-case corpus) almost never. The model learned the split by case: in
  cased news text they are ORG; in all lower-case text they are mostly left
  untagged. Counts in `EXPERIMENTS.md`; the combined dev F1 is partly held down
  by the same disagreement."""
ORG_HARMONISED = """\
- ORG: the NER corpora disagree on political parties and state bodies
  (`Golkar`, `DPR`, `KPK`, `TNI`): idner-news-2k and NER-UI tag them, NER-UGM
  about two times in three, NERP (the only lower-case corpus) almost never.
  The recipe tags in {corpora} the organisation names that {reference} tag
  consistently (`ner_data.org_names` in the recipe), so training follows the
  news convention; the dev and test splits keep their own gold, so the scores
  of {corpora} count these ORGs as errors. Counts in `EXPERIMENTS.md`."""
LIMITATIONS = """\
- No MISC class: events, products, food, times and quantities are O.
- Trained on news and encyclopaedic text (the UD treebanks, the NER
  corpora); informal text (social media, chat) is out of domain for every
  processor."""


def limitations(recipe) -> str:
    """The card's limitations; what it says of ORG depends on how the recipe treats the corpora."""
    ner = recipe.settings["ner_data"]
    if ner.get("tag_orgs_in"):
        org = ORG_HARMONISED.format(corpora=", ".join(ner["tag_orgs_in"]),
                                    reference=" and ".join(ner["org_names"]["from"]))
    else:
        org = ORG_SPLIT
    return org + "\n" + LIMITATIONS

TARGETS = {
    ("ud_end_to_end_csui_test", "Tokens"): 99.5, ("ud_end_to_end_csui_test", "Sentences"): 92.0,
    ("ud_end_to_end_csui_test", "Words"): 99.0, ("ud_gold_tokens_csui_test", "UPOS"): 92.5,
    ("ud_gold_tokens_csui_test", "Lemmas"): 93.0, ("ud_end_to_end_csui_test", "LAS"): 70.0,
    ("ner", "nerui-test"): 0.90, ("ner", "idner-news-2k-dev"): 0.86, ("ner", "nerp-test"): 0.83,
    ("ner", "combined-dev"): 0.82,
}
NEWS_SOURCES = {
    "indosum.jsonl": "IndoSum (Kurniawan & Louvan, IALP 2018), development folds, 2,310 Indonesian news "
                     "articles of 2016-2018 as `../shared/news/indosum.jsonl`; CC BY-SA 4.0",
}
"""Unlabelled news files the vectors may read (``pretrain.news`` in the recipe), with their provenance."""


def merge_training_log(out: Path, results: dict[str, dict]) -> dict[str, dict]:
    """Training facts per stage, kept across runs that retrain only some stages."""
    path = Path(out) / "training.json"
    log = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    log.update(results)
    path.write_text(json.dumps(log, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return log


def _target(key: tuple[str, str]) -> str:
    return f"{TARGETS[key]}" if key in TARGETS else ""


def ud_table(scores: dict) -> str:
    rows = ["| metric | end to end (raw text) | gold tokens | target |", "|---|---|---|---|"]
    e2e, gold = scores["ud_end_to_end_csui_test"], scores["ud_gold_tokens_csui_test"]
    for name in ("Tokens", "Sentences", "Words", "UPOS", "XPOS", "UFeats", "Lemmas", "UAS", "LAS"):
        target = _target(("ud_end_to_end_csui_test", name)) or _target(("ud_gold_tokens_csui_test", name))
        rows.append(f"| {name} | {e2e.get(name, '-')} | {gold.get(name, '-')} | {target} |")
    return "\n".join(rows)


def split_rules_note(scores: dict) -> str:
    """End to end includes the token split rules; say what the models score without them."""
    alone = scores.get("ud_tokenizer_alone_csui_test")
    if not alone:
        return ""
    return (f"\nEnd to end includes berita's token split rules (`pipeline/data/token_splits.jsonl`,\n"
            f"applied by `pipeline/retokenize.py` as Stanza's tokenizer postprocessor). The\n"
            f"tokenizer and MWT models alone: tokens {alone.get('Tokens', '-')}, sentences "
            f"{alone.get('Sentences', '-')}, words {alone.get('Words', '-')}. End to end, a proper noun\n"
            f"missing from the lemmatizer's dictionary is its own lemma (`nlp.proper_nouns_unchanged`);\n"
            f"the gold-token column is the lemmatizer model alone.")


def data_choices(recipe) -> str:
    """What the NER trains on and is selected on, and what text the vectors read, from the recipe."""
    ner = recipe.settings["ner_data"]
    news = recipe.settings["pretrain"].get("news", [])
    lines = [f"NER trains on the train splits of {', '.join(ner['train'])}; its checkpoint is selected on "
             f"the dev splits of {', '.join(ner['select'])} (`selection-dev` below)."]
    weighed = sorted(ner.get("copies", {}).items())
    if weighed:
        lines.append("Some train splits are repeated, to weigh them against the others: "
                     + ", ".join(f"{name} {n} times" for name, n in weighed) + " (`ner_data.copies`).")
    used = set(ner["select"]) | set(ner["train"])
    unused = [s.folder for s in NER_SOURCES if s.folder not in used]
    if unused:
        lines.append(f"Not trained on: {', '.join(unused)} (its dev and test scores are reported below for "
                     f"reference; why in `EXPERIMENTS.md`).")
    vectors = "The word vectors read the lower-cased non-test text of the UD and NER corpora"
    if news:
        vectors += " and unlabelled news: " + "; ".join(NEWS_SOURCES.get(n, n) for n in news)
    lines.append(vectors + ".")
    cache = recipe.settings.get("lemma_cache")
    if cache:
        lines.append(f"The lemma cache (`lemma-cache` stage, `pipeline/lemma_cache.py`) holds the lemmatizer's own "
                     f"answers on {NEWS_SOURCES.get(cache['news'], cache['news'])}, all but its first "
                     f"{cache['skip_articles']} articles (left unseen for the speed benchmark); it changes no "
                     f"lemma, only how often the seq2seq model runs.")
    return "\n".join(lines)


def ner_table(scores: dict) -> str:
    rows = ["| split | label | precision | recall | F1 | support | target F1 |", "|---|---|---|---|---|---|---|"]
    for split, labels in scores["ner"].items():
        for label, s in labels.items():
            target = _target(("ner", split)) if label == "micro avg" else ""
            rows.append(f"| {split} | {label} | {s['precision']:.3f} | {s['recall']:.3f} | "
                        f"{s['f1-score']:.3f} | {int(s['support'])} | {target} |")
    return "\n".join(rows)


def training_table(log: dict[str, dict]) -> str:
    rows = ["| stage | minutes | size (MB) | command |", "|---|---|---|---|"]
    for stage, info in log.items():
        rows.append(f"| {stage} | {info['minutes']} | {info['size_mb']} | `{info['command']}` |")
    return "\n".join(rows)


def scheduled_minutes(log: dict[str, dict], jobs: int) -> float:
    """Wall minutes of the whole recipe from per-stage minutes, scheduled as ``train_all`` does.

    Each stage takes the first free slot in submission order and waits there
    for the stages it needs, like the recipe's thread pool.
    """
    from pipeline.train import NEEDS, submission_order

    slots, finished = [0.0] * jobs, {}
    for stage in submission_order(list(log)):
        slot = min(range(jobs), key=slots.__getitem__)
        start = max([slots[slot], *(finished.get(need, 0.0) for need in NEEDS.get(stage, ()))])
        finished[stage] = slots[slot] = start + log[stage]["minutes"]
    return max(slots)


def write_model_card(recipe, scores: dict) -> Path:
    """Render the card into the model directory."""
    log = merge_training_log(recipe.out, {})
    sizes = ", ".join(f"{k} {v}" for k, v in scores["sizes_mb"].items())
    ablation_path = Path(recipe.out) / "ablation.json"
    ablation = ""
    if ablation_path.exists():
        # The shipped tagger's own scores, not the copy kept in ablation.json: the
        # vectors may have been retrained since the no-pretrain tagger was.
        a, shipped = json.loads(ablation_path.read_text(encoding="utf-8")), scores["ud_gold_tokens_csui_test"]
        ablation = (f"\nWord vectors vs `--no_pretrain` (tagger, gold tokens, CSUI-test): UPOS "
                    f"{shipped['UPOS']} with the word2vec pretrain, {a['pos_no_pretrain']['UPOS']} "
                    f"without (UFeats {shipped['UFeats']} vs {a['pos_no_pretrain']['UFeats']}).\n")
    tok = recipe.settings["tokenize_data"]
    card = f"""# berita Indonesian Stanza models

Generated by `berita train` ({recipe.profile} recipe) on {date.today().isoformat()},
{platform.machine()}, Python {platform.python_version()}. Do not edit by hand.

Processors: tokenize, mwt, pos (UPOS + UFeats; XPOS is dropped because the
three treebanks use incompatible XPOS tagsets), lemma, depparse, ner (PER, ORG,
LOC), and word2vec vectors (`pretrain`) shared by pos, depparse and ner.
Weights are stored in fp16 (Stanza loads them into fp32); the scores below are
those of the stored fp16 files.

## Data

{SOURCES}

{data_choices(recipe)}

NER labels are harmonised with `pipeline/data/ner_labels.tsv`: PERSON/PPL -> PER;
ORGANISATION/ORGANIZATION/IND -> ORG; PLACE/PLC/LOCATION -> LOC; EVT, FNB,
TIME, QUANTITY -> O. PUD's split clitics (`tidak` + `lah`) are rewritten as
multi-word tokens, the convention of GSD and CSUI. The tokenizer trains on
GSD and PUD once and on CSUI-train {tok["csui_copies"]} times, less CSUI-train's last
{tok["tokenize_dev"]} sentences, which select its checkpoint: GSD's raw text has spaces
around every token, so only CSUI and PUD show how news text glues tokens that UD
splits (`30-35`, `PPh-nya`, `DPR/MPR`; `rata-rata` stays whole), and rarely.

## Scores (held out)

UD, CSUI-test (F1 x 100; gold-token UAS/LAS use gold tags):

{ud_table(scores)}
{split_rules_note(scores)}

NER, entity level (exact span and label, seqeval), every test and dev split
available, the dev splits that select the checkpoint (`selection-dev`) and all
dev splits together (`combined-dev`):

{ner_table(scores)}

Sizes (MB): {sizes}.
{ablation}
## Limitations

{limitations(recipe)}

## Training

Seed {recipe.seed}, one thread per trainer, two trainers at a time. Reproduce
with `berita train` (one stage: `berita train ner`). Commands as run (paths
relative to the recipe's work folder):

{training_table(log)}

Stages retrained alone keep their own minutes; scheduled as `berita train`
runs them (two at a time, longest first), the minutes above make
{scheduled_minutes(log, jobs=2):.0f} minutes end to end.
"""
    path = Path(recipe.out) / "MODEL_CARD.md"
    path.write_text(card.replace(str(recipe.work) + "/", ""), encoding="utf-8")
    return path
