"""Synthetic Indonesian articles assembled at run time from the UD sentences in the corpora."""
from __future__ import annotations

import random
from pathlib import Path
from typing import Iterator


def corpus_sentences(corpora: Path) -> list[str]:
    """The `# text` sentences of every UD treebank."""
    sentences = []
    for path in sorted((Path(corpora) / "ud").glob("*/*.conllu")):
        sentences += [line[9:].strip() for line in path.read_text(encoding="utf-8").splitlines()
                      if line.startswith("# text = ")]
    return sentences


def synthetic_articles(corpora: Path, n: int, min_tokens: int = 300, max_tokens: int = 600,
                       seed: int = 7) -> Iterator[dict]:
    """``n`` JSONL-ready articles of roughly min..max tokens, in paragraphs of 3 sentences."""
    sentences = corpus_sentences(corpora)
    rng = random.Random(seed)
    for i in range(n):
        target, picked, tokens = rng.randint(min_tokens, max_tokens), [], 0
        while tokens < target:
            sentence = rng.choice(sentences)
            picked.append(sentence)
            tokens += len(sentence.split())
        paragraphs = [" ".join(picked[j:j + 3]) for j in range(0, len(picked), 3)]
        yield {"id": f"synth-{i:06d}", "text": "\n\n".join(paragraphs), "published": "2024-06-01"}
