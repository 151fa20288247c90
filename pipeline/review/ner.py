"""Reviewed entities out as NER training data.

`berita review export-ner ENTITIES.csv --out FILE.json` turns accepted and
corrected entities into Stanza NER training data for
`berita train ner --extra FILE.json`.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from pipeline.export import text_name, unneutralise
from pipeline.io.atomic import write_text
from pipeline.review.problems import ReviewError


def _bio(tokens: list[tuple[int, int, str]], entities: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    tags = []
    for start, end, text in tokens:
        tag = "O"
        for e_start, e_end, label in entities:
            if e_start <= start and end <= e_end:
                tag = ("B-" if start == e_start or not tags or tags[-1][1] == "O" else "I-") + label
        tags.append((text, tag))
    return tags


NER_LABEL = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC"}


def export_ner(entities_csv: Path, texts: Path, target: Path) -> int:
    """Sentences whose entities were all reviewed, tagged with the accepted/corrected ones.

    A sentence that still holds an unreviewed entity is left out: its missing
    decisions would teach the model that entity is not one.
    """
    from pipeline import nlp

    frame = pd.read_csv(entities_csv, dtype=str, keep_default_na=False).map(unneutralise)
    if "review_status" not in frame:
        raise ReviewError([f"{entities_csv}: no review_status column"])
    tokenizer = nlp.load_pipeline(("tokenize",))
    sentences = []
    for doc_id, group in frame.groupby("doc_id"):
        text = (Path(texts) / text_name(doc_id)).read_text(encoding="utf-8")
        for sentence in tokenizer(text).sentences:
            start, end = sentence.tokens[0].start_char, sentence.tokens[-1].end_char
            inside = group[(group["char_start"].astype(int) >= start) & (group["char_end"].astype(int) <= end)]
            if inside.empty or (inside["review_status"] == "").any():
                continue
            keep = inside[inside["review_status"].isin(("accepted", "corrected")) & inside["label"].isin(NER_LABEL)]
            spans = [(int(r.char_start), int(r.char_end), NER_LABEL[r.label]) for r in keep.itertuples()]
            tokens = [(t.start_char, t.end_char, t.text) for t in sentence.tokens]
            sentences.append(_bio(tokens, spans))
    write_text(Path(target), json.dumps([[{"text": t, "ner": g} for t, g in s] for s in sentences],
                                        ensure_ascii=False))
    return len(sentences)
