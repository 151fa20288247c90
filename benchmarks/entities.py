"""Benchmark: entities as `berita` outputs them, scored on held-out news NER sentences (issue 16).

The model card scores the NER model alone on pre-tokenised sentences.  Users
meet the whole product: Stanza's tokenizer, the NER, then berita's rules
(gazetteer names, brackets, people after an office, lower-case names dropped
from cased text).  This scores that product the way a withheld news test set
does: each held-out sentence (the dev splits of the two news corpora, which
no model is trained on, and NER-UI's test split) is joined with single spaces
into a text, annotated by ``pipeline.load()``, and its entities are compared
with the gold ones by exact character span and label (GPE counts as LOC; MISC
and the gold's other labels are left out).  Prints precision, recall and F1 per
split and label; asserts nothing.

    python benchmarks/entities.py
    python benchmarks/entities.py --splits idner-news-2k-dev
    python benchmarks/entities.py --models work/candidate/models
"""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
SPLITS = ("idner-news-2k-dev", "nerui-dev", "nerui-test")
LABELS = ("PER", "ORG", "LOC")
Span = tuple[int, int, str]


def gold_text(sentence: list[tuple[str, str]]) -> tuple[str, set[Span]]:
    """The sentence as text (tokens joined by single spaces) and its gold entities as character spans."""
    text, offsets = "", []
    for token, _ in sentence:
        text += " " if text else ""
        offsets.append((len(text), len(text) + len(token)))
        text += token
    spans, current = set(), None
    for (start, end), (_, tag) in zip(offsets, sentence):
        if tag.startswith("I-") and current and current[2] == tag[2:]:
            current[1] = end
            continue
        if current:
            spans.add(tuple(current))
        current = [start, end, tag[2:]] if tag[:2] in ("B-", "I-") else None
    if current:
        spans.add(tuple(current))
    return text, {s for s in spans if s[2] in LABELS}


def predicted(doc) -> set[Span]:
    labels = {"GPE": "LOC"}
    return {(e.start_char, e.end_char, labels.get(e.label_, e.label_)) for e in doc.ents
            if labels.get(e.label_, e.label_) in LABELS}


def score(counts: Counter, label: str) -> str:
    tp, fp, fn = counts[label, "tp"], counts[label, "fp"], counts[label, "fn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"{label:6} P {p:.3f} R {r:.3f} F1 {f:.3f} (gold {tp + fn}, found {tp + fp})"


def split_sentences(name: str, corpora: Path = CORPORA) -> list:
    from pipeline import corpora as C

    corpus, part = name.rsplit("-", 1)
    sentences = C.load_ner_split(corpora, part).get(corpus)
    if sentences is None:
        raise SystemExit(f"no {part} split of {corpus} under {corpora}")
    return sentences


def annotated(nlp, texts: list[str], size: int = 32) -> list:
    """A ``Doc`` per text, or None where cleaning left nothing to annotate (a line that reads as boilerplate)."""
    docs = []
    for i in range(0, len(texts), size):
        batch = texts[i:i + size]
        try:
            docs += list(nlp.pipe(batch))
        except ValueError:
            docs += [_one(nlp, text) for text in batch]
    return docs


def _one(nlp, text: str):
    try:
        return nlp(text)
    except ValueError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", nargs="+", default=SPLITS, help=f"default: {' '.join(SPLITS)}")
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="the corpora folder (default: ../shared/corpora)")
    parser.add_argument("--models", type=Path, help="a model folder to score instead of the shipped models "
                        "(a candidate from `berita train --out`)")
    args = parser.parse_args()
    import pipeline

    nlp = pipeline.load(models=args.models)
    for name in args.splits:
        pairs = [gold_text(s) for s in split_sentences(name, args.corpora)]
        counts: Counter = Counter()
        changed = 0
        for (text, gold), doc in zip(pairs, annotated(nlp, [text for text, _ in pairs])):
            if doc is None or doc.text.rstrip("\n") != text:  # cleaning changed the text: offsets would not meet
                changed += 1
                continue
            found = predicted(doc)
            for label in LABELS:
                g = {s for s in gold if s[2] == label}
                f = {s for s in found if s[2] == label}
                counts[label, "tp"] += len(g & f)
                counts[label, "fp"] += len(f - g)
                counts[label, "fn"] += len(g - f)
        for key in ("tp", "fp", "fn"):
            counts["all", key] = sum(counts[label, key] for label in LABELS)
        print(f"{name}: {len(pairs)} sentences ({changed} changed or emptied by cleaning, left out)")
        for label in LABELS + ("all",):
            print("  " + score(counts, label))


if __name__ == "__main__":
    main()
