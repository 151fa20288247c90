"""The rule pipeline's tokenizer cuts texts exactly as spaCy's Indonesian tokenizer does."""
import json

import pytest
import spacy

from pipeline import tokenizer
from pipeline.rules.gazetteer import entries

TRICKY = [
    "Perserikatan Bangsa-Bangsa dan negara-negara A.S. pada Jan. 5",  # reduplications, abbreviations
    "Jum'at Dr. rer. nat. Budi (Jl. Sudirman) dll.",  # an apostrophe, an exception with spaces
    "Rp3.000\tdan\n:) <3 \u00a0 kata-kata",  # whitespace exceptions, emoticons
]


@pytest.fixture(scope="module")
def full():
    """spaCy's own Indonesian pipeline, every exception built up front."""
    return spacy.blank("id")


def _cut(nlp, text: str) -> list[tuple[str, str, str]]:
    return [(t.text, t.norm_, t.whitespace_) for t in nlp.make_doc(text)]


def test_a_fresh_tokenizer_holds_no_exceptions_until_a_text_needs_one():
    nlp = tokenizer.blank("id")
    assert nlp.tokenizer.tokenizer.rules == {}
    nlp.make_doc("Perserikatan Bangsa-Bangsa")
    assert set(nlp.tokenizer.tokenizer.rules) == {" ", "Bangsa-Bangsa"}  # a space is an exception too


def test_the_gazetteer_names_and_tricky_texts_are_cut_alike(full):
    lazy = tokenizer.blank("id")
    for text in [*entries(), *TRICKY]:
        assert _cut(lazy, text) == _cut(full, text), text


def test_real_news_is_cut_alike(full, shared):
    lazy = tokenizer.blank("id")
    with open(shared / "news" / "indosum.jsonl", encoding="utf-8") as lines:
        for _, line in zip(range(50), lines):
            text = json.loads(line)["text"]
            assert _cut(lazy, text) == _cut(full, text)


def test_lexical_attributes_are_indonesian():
    doc = tokenizer.blank("id").make_doc("dua puluh orang")
    assert [t.like_num for t in doc] == [True, True, False]
