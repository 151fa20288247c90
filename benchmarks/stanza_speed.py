"""Benchmark: tokens/s and peak RSS of the loaded Stanza pipeline on CPU, per processor set.

Text is assembled at run time from the UD sentences in ../shared/corpora.
Each processor set runs in a fresh process (so peak RSS is its own), on one
thread, after one warm-up pass.  Prints figures; asserts nothing.

    python benchmarks/stanza_speed.py [--sentences 600] [--corpora DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from benchmarks_corpus import corpus_sentences  # noqa: E402

SETS = ("tokenize", "tokenize,mwt", "tokenize,mwt,pos", "tokenize,mwt,pos,lemma",
        "tokenize,mwt,pos,lemma,ner", "tokenize,mwt,pos,lemma,depparse,ner")


def corpus_text(corpora: Path, sentences: int) -> str:
    """Paragraphs of 8 sentences from the `# text` lines of the UD treebanks."""
    texts = corpus_sentences(corpora)[:sentences]
    return "\n\n".join(" ".join(texts[i:i + 8]) for i in range(0, len(texts), 8))


def measure(processors: str, text: str) -> dict:
    import torch

    from pipeline import nlp

    torch.set_num_threads(1)
    pipeline = nlp.build_pipeline(nlp.parse_processors(processors))
    pipeline(text[:2000])
    start = time.perf_counter()
    doc = pipeline(text)
    seconds = time.perf_counter() - start
    tokens = doc.num_tokens
    return {"processors": processors, "tokens": tokens, "seconds": round(seconds, 2),
            "tokens_per_s": round(tokens / seconds), "peak_rss_mb": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpora")
    parser.add_argument("--sentences", type=int, default=600)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    text = corpus_text(args.corpora, args.sentences)
    if args.one:
        print(json.dumps(measure(args.one, text)))
        return
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    print(f"{'processors':42} {'tokens':>7} {'seconds':>8} {'tokens/s':>9} {'peak RSS MB':>12}")
    for processors in SETS:
        out = subprocess.run([sys.executable, __file__, "--one", processors, "--sentences", str(args.sentences),
                              "--corpora", str(args.corpora)], capture_output=True, text=True, env=env, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['processors']:42} {r['tokens']:>7} {r['seconds']:>8} {r['tokens_per_s']:>9} {r['peak_rss_mb']:>12}")


if __name__ == "__main__":
    main()
