"""`berita train`: reproduce the shipped Indonesian Stanza models from the public corpora.

Every model is trained by Stanza's own trainer (run as a subprocess with one
thread and a fixed seed), evaluated on held-out data, stored in fp16 inside
the package, and described in ``MODEL_CARD.md`` with the scores printed here.
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import corpora as C
from pipeline import nlp
from pipeline.arguments import Parser

STAGES = ("pretrain", "tokenize", "mwt", "lemma", "pos", "depparse", "ner", "lemma-cache")
NEEDS = {"pos": ("pretrain",), "depparse": ("pretrain",), "ner": ("pretrain",),
         "lemma-cache": ("tokenize", "mwt", "pos", "lemma")}
# Pretrain first (three stages need it), then the longest stages first; the lemma cache reads four models.
SUBMISSION_ORDER = ("pretrain", "ner", "pos", "depparse", "lemma", "tokenize", "mwt", "lemma-cache")
SHORTHAND = "id_berita"
TRAINERS = {
    "tokenize": "stanza.models.tokenizer",
    "mwt": "stanza.models.mwt_expander",
    "lemma": "stanza.models.lemmatizer",
    "pos": "stanza.models.tagger",
    "depparse": "stanza.models.parser",
    "ner": "stanza.models.ner_tagger",
}


def default_corpora() -> Path:
    """``../shared/corpora`` next to the checkout, as the project lays it out."""
    return Path(__file__).resolve().parents[2] / "shared" / "corpora"


@dataclass
class Recipe:
    """Where the recipe reads, works and writes, and with which settings."""

    corpora: Path
    work: Path
    out: Path
    profile: str = "full"
    extra_ner: list[Path] = field(default_factory=list)
    no_pretrain: bool = False
    settings: dict = field(init=False)
    seed: int = field(init=False)

    def __post_init__(self) -> None:
        config = json.loads(C.data_file("recipe.json").read_text(encoding="utf-8"))
        self.settings = config[self.profile]
        self.seed = config["seed"]

    @property
    def limit(self) -> int | None:
        return self.settings["data_limit"]

    def data(self, *parts: str) -> Path:
        return self.work / "data" / Path(*parts)

    def output(self, name: str) -> Path:
        """A file in the work folder's ``out`` (predictions, vectors); the folder is made on first use."""
        folder = self.work / "out"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    def saved(self, stage: str) -> Path:
        return self.work / "saved" / f"{stage}.pt"


# ------------------------------------------------------------------ data prep


def prepare_ud(recipe: Recipe) -> None:
    """Write the UD splits in the files Stanza's trainers read."""
    from stanza.utils.datasets import conllu_to_text, prepare_tokenizer_data

    ud = C.load_ud(recipe.corpora, limit=recipe.limit, **recipe.settings["tokenize_data"])
    C.write_conllu(ud.train_full, recipe.data("ud", "train_full.conllu"))
    C.write_conllu(ud.train_pud, recipe.data("ud", "train_pud.conllu"))
    C.write_conllu(ud.train_full + ud.train_pud, recipe.data("ud", "train_all.conllu"))
    C.write_conllu(ud.dev, recipe.data("ud", "dev.conllu"))
    C.write_conllu(ud.lemma_dev, recipe.data("ud", "lemma_dev.conllu"))
    C.write_conllu(ud.test, recipe.data("ud", "test.conllu"))
    for split, sentences in (("train", ud.tokenize_train), ("dev", ud.tokenize_dev), ("test", ud.test)):
        gold = C.write_conllu(C.with_paragraphs(sentences, every=8), recipe.data("tokenize", f"{split}.gold.conllu"))
        text = recipe.data("tokenize", f"{split}.txt")
        conllu_to_text.main([str(gold), str(text)])
        prepare_tokenizer_data.main([
            str(text), str(gold),
            "-o", str(recipe.data("tokenize", f"{split}.toklabels")),
            "-m", str(recipe.data("tokenize", f"{split}-mwt.json")),
        ])


def prepare_ner(recipe: Recipe) -> None:
    """Write harmonised NER train/dev/test JSON (train adds any ``--extra`` files).

    ``ner_data`` in the recipe names the corpora trained on and those whose dev
    splits select the checkpoint (``dev.json``); every corpus's dev split is also
    written to ``dev/<name>.json`` so the card reports each one.  Corpora named in
    ``tag_orgs_in`` get the organisation names the other corpora tag consistently
    (``org_names``: in which corpora, how often, what share) tagged ORG in their
    training split.  ``copies`` repeats a corpus's training split (default once):
    it weighs the news corpora against NERP's larger, lower-case, differently
    tagged split without dropping NERP.
    """
    choice = recipe.settings["ner_data"]
    train_parts = C.load_ner_split(recipe.corpora, "train", recipe.limit)
    harmonised = choice.get("tag_orgs_in", [])
    if harmonised:
        names = dict(choice["org_names"])
        reference = [s for name in names.pop("from") for s in train_parts.get(name, [])]
        orgs = C.consistent_names(reference, "ORG", **names)
        train_parts = {name: [C.tag_names(s, orgs, "ORG") for s in part] if name in harmonised else part
                       for name, part in train_parts.items()}
    copies = choice.get("copies", {})
    train = [s for name, part in train_parts.items() if name in choice["train"]
             for s in part * copies.get(name, 1)]
    for extra in recipe.extra_ner:
        train += C.read_ner_json(extra)
    C.write_ner_json(C.shuffled(train, recipe.seed), recipe.data("ner", "train.json"))
    dev_parts = C.load_ner_split(recipe.corpora, "dev", recipe.limit)
    C.write_ner_json([s for name, part in dev_parts.items() if name in choice["select"] for s in part],
                     recipe.data("ner", "dev.json"))
    for name, sentences in dev_parts.items():
        C.write_ner_json(sentences, recipe.data("ner", "dev", f"{name}.json"))
    for name, sentences in C.load_ner_split(recipe.corpora, "test", recipe.limit).items():
        C.write_ner_json(sentences, recipe.data("ner", "test", f"{name}.json"))


# ------------------------------------------------------------------- training


def trainer_args(recipe: Recipe, stage: str) -> list[str]:
    """The command-line arguments of Stanza's trainer for one stage."""
    d, saved = recipe.data, recipe.saved(stage)
    common = ["--save_dir", str(saved.parent), "--save_name", saved.name, "--seed", str(recipe.seed)]
    vectors = ["--no_pretrain"] if recipe.no_pretrain else ["--wordvec_pretrain_file", str(recipe.saved("pretrain"))]
    per_stage = {
        "tokenize": [
            "--txt_file", str(d("tokenize", "train.txt")), "--label_file", str(d("tokenize", "train.toklabels")),
            "--mwt_json_file", str(d("tokenize", "train-mwt.json")),
            "--dev_txt_file", str(d("tokenize", "dev.txt")), "--dev_label_file", str(d("tokenize", "dev.toklabels")),
            "--dev_conll_gold", str(d("tokenize", "dev.gold.conllu")),
            "--conll_file", str(recipe.output("tokenize_dev.conllu")),
            "--lang", nlp.LANG, "--shorthand", SHORTHAND,
        ],
        "mwt": [
            "--train_file", str(d("ud", "train_all.conllu")), "--eval_file", str(d("ud", "dev.conllu")),
            "--gold_file", str(d("ud", "dev.conllu")), "--output_file", str(recipe.output("mwt_dev.conllu")),
            "--lang", nlp.LANG, "--shorthand", SHORTHAND,
        ],
        "lemma": [
            "--train_file", str(d("ud", "train_full.conllu")), "--eval_file", str(d("ud", "lemma_dev.conllu")),
            "--output_file", str(recipe.output("lemma_dev.conllu")), "--shorthand", SHORTHAND,
        ],
        "pos": [
            "--train_file", f"{d('ud', 'train_full.conllu')};{d('ud', 'train_pud.conllu')}",
            "--eval_file", str(d("ud", "dev.conllu")), "--output_file", str(recipe.output("pos_dev.conllu")),
            "--lang", nlp.LANG, "--shorthand", SHORTHAND, *vectors,
        ],
        "depparse": [
            "--train_file", str(d("ud", "train_all.conllu")), "--eval_file", str(d("ud", "dev.conllu")),
            "--output_file", str(recipe.output("depparse_dev.conllu")),
            "--lang", nlp.LANG, "--shorthand", SHORTHAND, *vectors,
        ],
        "ner": [
            "--train_file", str(d("ner", "train.json")), "--eval_file", str(d("ner", "dev.json")),
            "--shorthand", SHORTHAND, *vectors,
        ],
    }
    return per_stage[stage] + common + list(recipe.settings[stage])


def single_thread_env() -> dict[str, str]:
    """One BLAS/torch thread per job: two jobs then use both cores best."""
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = "1"
    return env


def run_trainer(recipe: Recipe, stage: str) -> str:
    """Run one Stanza trainer to completion; returns the command for the model card."""
    args = ["--mode", "train", *trainer_args(recipe, stage)]
    command = [sys.executable, "-m", TRAINERS[stage], *args]
    log = recipe.work / "logs" / f"{stage}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w", encoding="utf-8") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, env=single_thread_env())
    if done.returncode != 0 or not recipe.saved(stage).exists():
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-5:]
        raise RuntimeError(f"training {stage} failed (see {log}):\n" + "\n".join(tail))
    return shlex.join(["python", "-m", TRAINERS[stage], *args])


def train_pretrain(recipe: Recipe) -> str:
    """Word2vec vectors from all non-test Indonesian text, saved as a Stanza pretrain."""
    from gensim.models import Word2Vec
    from stanza.models.common.pretrain import Pretrain

    cfg = recipe.settings["pretrain"]
    sentences = list(C.embedding_sentences(recipe.corpora, recipe.limit))
    for name in cfg.get("news", []):
        sentences += C.news_sentences(recipe.corpora.parent / "news" / name, recipe.limit)
    model = Word2Vec(
        sentences, vector_size=cfg["vector_size"], window=cfg["window"], min_count=cfg["min_count"],
        epochs=cfg["epochs"], workers=1, seed=recipe.seed, max_final_vocab=cfg["max_vocab"],
    )
    vec = recipe.output("vectors.txt")
    model.wv.save_word2vec_format(str(vec))
    recipe.saved("pretrain").parent.mkdir(parents=True, exist_ok=True)
    Pretrain(str(recipe.saved("pretrain")), str(vec)).load()
    return f"gensim Word2Vec({json.dumps(cfg)}, workers=1, seed={recipe.seed}) -> stanza Pretrain"


def half_precision(obj):
    """A copy of a checkpoint with float32 tensors stored as float16 (half the size).

    Stanza copies a state dict into float32 parameters on load, so inference
    still runs in float32; the model card shows the scores of these fp16 files.
    """
    import torch

    if isinstance(obj, torch.Tensor) and obj.dtype == torch.float32:
        return obj.half()
    if isinstance(obj, dict):
        return {k: half_precision(v) for k, v in obj.items()}
    return obj


def build_lemma_cache(recipe: Recipe) -> str:
    """The lemmatizer's answers on unlabelled news, saved beside it (``pipeline.lemma_cache``).

    The first ``skip_articles`` articles are left out: the speed benchmark
    reads them, and it must meet them as unseen news.
    """
    import torch

    from pipeline import lemma_cache

    cfg = recipe.settings["lemma_cache"]
    torch.set_num_threads(1)
    pipeline = nlp.product_pipeline(("tokenize", "mwt", "pos", "lemma"), str(recipe.out))
    texts = lemma_cache.news_texts(recipe.corpora.parent / "news" / cfg["news"], cfg["skip_articles"],
                                   cfg.get("articles"))
    triples = lemma_cache.predicted(pipeline, texts)
    lemma_model = nlp.model_file(recipe.out, "lemma")
    lemma_cache.write(lemma_cache.cache_file(lemma_model), triples, lemma_model)
    return f"pipeline.lemma_cache.predicted(tokenize,mwt,pos,lemma on {json.dumps(cfg)}): {len(triples)} lemmas"


def install(recipe: Recipe, stage: str) -> Path:
    """Copy a trained model into the shipped model directory (fp16 except the pretrain)."""
    import torch

    target = nlp.model_file(recipe.out, stage)
    target.parent.mkdir(parents=True, exist_ok=True)
    checkpoint = torch.load(recipe.saved(stage), map_location="cpu", weights_only=False)
    torch.save(checkpoint if stage == "pretrain" else half_precision(checkpoint), target)
    nlp.ensure_resources(recipe.out)
    return target


def reuse_installed_pretrain(recipe: Recipe) -> None:
    """`berita train ner` alone in a fresh work folder trains on the installed word vectors.

    The taggers must use the vectors they will be shipped with, so without a
    freshly trained pretrain the installed one is the right one.
    """
    saved, installed = recipe.saved("pretrain"), nlp.model_file(recipe.out, "pretrain")
    if not saved.exists() and installed.exists():
        saved.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(installed, saved)


def train_stage(recipe: Recipe, stage: str) -> dict:
    """Train, install and time one stage (its command relative to the work folder)."""
    start = time.time()
    if "pretrain" in NEEDS.get(stage, ()) and not recipe.no_pretrain:
        reuse_installed_pretrain(recipe)
    if stage == "lemma-cache":
        command = build_lemma_cache(recipe)
        target = lemma_cache_file(recipe)
    else:
        command = train_pretrain(recipe) if stage == "pretrain" else run_trainer(recipe, stage)
        target = install(recipe, stage)
    info = {"command": command.replace(f"{recipe.work}/", ""), "minutes": round((time.time() - start) / 60, 1),
            "size_mb": round(target.stat().st_size / 2**20, 2)}
    print(f"[train] {stage}: {info['minutes']} min, {info['size_mb']} MB", flush=True)
    return info


def lemma_cache_file(recipe: Recipe) -> Path:
    from pipeline import lemma_cache

    return lemma_cache.cache_file(nlp.model_file(recipe.out, "lemma"))


def with_lemma_cache(stages: list[str]) -> list[str]:
    """The stages to run: the lemma cache is rebuilt whenever the lemmatizer is retrained.

    Its lemmas depend on the lemmatizer alone (a retrained tagger or tokenizer
    only changes which words it would have been asked about).
    """
    if "lemma" in stages and "lemma-cache" not in stages:
        return [*stages, "lemma-cache"]
    return stages


def submission_order(stages: list[str]) -> list[str]:
    """The given stages in the order the recipe submits them (``SUBMISSION_ORDER``)."""
    return [s for s in SUBMISSION_ORDER if s in stages]


def train_all(recipe: Recipe, stages: list[str], jobs: int) -> dict[str, dict]:
    """Train stages with ``jobs`` at a time, longest first, respecting dependencies."""
    done = {s: threading.Event() for s in STAGES}
    for stage in STAGES:
        if stage not in stages:
            done[stage].set()
    results: dict[str, dict] = {}

    def run(stage: str) -> None:
        for need in NEEDS.get(stage, ()):
            done[need].wait()
        try:
            results[stage] = train_stage(recipe, stage)
        finally:
            done[stage].set()

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for future in [pool.submit(run, s) for s in submission_order(stages)]:
            future.result()
    return results


def ablation_no_pretrain(recipe: Recipe) -> dict:
    """Train the tagger once more without word vectors; save gold-token UPOS of both to ablation.json."""
    from pipeline.evaluate_models import predict_gold_tokens, ud_metrics

    bare = Recipe(recipe.corpora, recipe.work / "no_pretrain", recipe.work / "no_pretrain" / "models",
                  recipe.profile, no_pretrain=True)
    bare.work.mkdir(parents=True, exist_ok=True)
    (bare.work / "data").mkdir(exist_ok=True)
    for part in ("ud", "ner", "tokenize"):
        link = bare.work / "data" / part
        if not link.exists():
            link.symlink_to(recipe.data(part).resolve())
    info = train_stage(bare, "pos")
    gold = recipe.data("ud", "test.conllu")
    result = {"pos_with_pretrain": ud_metrics(gold, predict_gold_tokens(recipe, "pos"), ("UPOS", "UFeats")),
              "pos_no_pretrain": ud_metrics(gold, predict_gold_tokens(bare, "pos"), ("UPOS", "UFeats")),
              "no_pretrain_command": info["command"]}
    (Path(recipe.out) / "ablation.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="berita train", description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("stages", nargs="*", metavar="STAGE", help=f"stages to (re)train, from {', '.join(STAGES)}; default: all")
    add("--corpora", type=Path, default=default_corpora(), help="the corpora folder (default: ../shared/corpora)")
    add("--work", type=Path, default=Path("work/train"), help="scratch folder for data, logs, checkpoints")
    add("--out", type=Path, default=nlp.default_model_dir(),
        help="where the models are installed (default: the package)")
    add("--profile", choices=("full", "quick"), default="full", help="'quick' = tiny smoke run")
    add("--jobs", type=int, default=2, help="trainers run at a time (one thread each)")
    add("--extra", type=Path, action="append", default=[],
        help="extra NER training data (Stanza NER JSON, e.g. from reviewed entities)")
    parser.add_argument("--no-eval", action="store_true", help="skip evaluation and the model card")
    parser.add_argument("--eval-only", action="store_true", help="evaluate the installed models, rewrite the card")
    parser.add_argument("--ablation-no-pretrain", action="store_true",
                        help="also train the tagger without word vectors and record both UPOS scores in the card")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.stages) - set(STAGES))
    if unknown:
        parser.error(f"unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)}")
    if not args.corpora.is_dir():
        parser.error(f"corpora folder not found: {args.corpora}")
    stages = with_lemma_cache(list(args.stages) or list(STAGES))
    recipe = Recipe(args.corpora, args.work, args.out, args.profile, args.extra)
    from pipeline.modelcard import merge_training_log, write_model_card

    start = time.time()
    prepare_ud(recipe)
    prepare_ner(recipe)
    if not args.eval_only:
        results = train_all(recipe, stages, args.jobs)
        merge_training_log(recipe.out, results)
        print(f"[train] trained {', '.join(results)} in {(time.time() - start) / 60:.1f} min", flush=True)
    if args.ablation_no_pretrain:
        ablation_no_pretrain(recipe)
    if not args.no_eval:
        from pipeline.evaluate_models import evaluate_models

        scores = evaluate_models(recipe)
        write_model_card(recipe, scores)
        print(json.dumps(scores, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
