"""Stanza -> spaCy conversion: exact offsets, multi-word tokens, whitespace, entities.

The Stanza documents here are built by hand (as the tagger would return
them), so every case is exact; tests/test_models.py runs the real models.
"""
import re

import pytest
import spacy
from stanza.models.common.doc import Document

from pipeline.nlp import to_spacy

VOCAB = spacy.blank("id").vocab


def stanza_doc(text: str, sentences: list[list[tuple]], parsed: bool = True) -> Document:
    """Build a Stanza document: each token is (surface, ner) or (surface, ner, [(word, upos), ...])."""
    cursor, out = 0, []
    for sentence in sentences:
        rows, word_id = [], 0
        for token in sentence:
            surface, ner, words = token[0], token[1], token[2] if len(token) > 2 else [(token[0], "X")]
            start = text.index(surface, cursor)
            cursor = start + len(surface)
            misc = f"start_char={start}|end_char={cursor}"
            ids = list(range(word_id + 1, word_id + 1 + len(words)))
            if len(words) > 1:
                rows.append({"id": (ids[0], ids[-1]), "text": surface, "misc": misc, "ner": ner})
            for i, (word, upos) in zip(ids, words):
                row = {"id": i, "text": word, "upos": upos, "lemma": word.lower()}
                if parsed:
                    row.update(head=0 if i == 1 else 1, deprel="root" if i == 1 else "dep")
                if len(words) == 1:
                    row.update(misc=misc, ner=ner)
                rows.append(row)
            word_id = ids[-1]
        out.append(rows)
    doc = Document(out, text=text)
    for sentence, tokens in zip(doc.sentences, sentences):
        for token, spec in zip(sentence.tokens, tokens):
            token.ner = spec[1]
    doc.build_ents()
    return doc


TEXT = 'Kata  pemerintahannya\n\n"Jakarta" kepadanya  Jokowinya.\n'
SENTENCES = [
    [("Kata", "O"), ("pemerintahannya", "O", [("pemerintahan", "NOUN"), ("nya", "PRON")])],
    [('"', "O"), ("Jakarta", "S-LOC"), ('"', "O"), ("kepadanya", "O", [("kepada", "ADP"), ("dia", "PRON")]),
     ("Jokowinya", "S-PER", [("Jokowi", "PROPN"), ("nya", "PRON")]), (".", "O")],
]


@pytest.mark.parametrize("parsed", [True, False])
def test_text_and_offsets_are_exact(parsed):
    doc = to_spacy(stanza_doc(TEXT, SENTENCES, parsed), TEXT, VOCAB)
    assert doc.text == TEXT
    for token in doc:
        assert TEXT[token.idx:token.idx + len(token.text)] == token.text


def test_clitics_split_into_words_with_their_own_tags():
    doc = to_spacy(stanza_doc(TEXT, SENTENCES), TEXT, VOCAB)
    words = [(t.text, t.pos_) for t in doc if not t.is_space]
    assert ("pemerintahan", "NOUN") in words and ("nya", "PRON") in words
    assert ("kepadanya", "ADP") in words  # words do not spell the token: kept whole


def test_whitespace_runs_become_space_tokens_and_sentences_hold():
    doc = to_spacy(stanza_doc(TEXT, SENTENCES), TEXT, VOCAB)
    # spaCy convention: one space is the previous token's trailing space, the rest a token
    assert [t.text for t in doc if t.is_space] == [" ", "\n\n", " ", "\n"]
    sents = [s.text.strip() for s in doc.sents]
    assert sents == ["Kata  pemerintahannya", '"Jakarta" kepadanya  Jokowinya.']


def test_entities_next_to_quotes_and_on_multiword_tokens_are_kept():
    doc = to_spacy(stanza_doc(TEXT, SENTENCES), TEXT, VOCAB)
    assert [(e.text, e.label_) for e in doc.ents] == [("Jakarta", "LOC"), ("Jokowinya", "PER")]
    for ent in doc.ents:
        assert TEXT[ent.start_char:ent.end_char] == ent.text


def test_heads_stay_inside_their_sentence():
    doc = to_spacy(stanza_doc(TEXT, SENTENCES), TEXT, VOCAB)
    for sent in doc.sents:
        for token in sent:
            assert sent.start <= token.head.i < sent.end


def test_leading_and_trailing_whitespace():
    text = "  \nHalo dunia \n"
    doc = to_spacy(stanza_doc(text, [[("Halo", "O"), ("dunia", "O")]]), text, VOCAB)
    assert doc.text == text and re.fullmatch(r"\s+", doc[0].text)


def test_a_line_break_starts_a_sentence_without_a_parse():
    text = "Pembentukan BRICS\nBRICS dibentuk pada 2009."
    sdoc = stanza_doc(text, [[("Pembentukan", "O"), ("BRICS", "O"), ("BRICS", "O"), ("dibentuk", "O"),
                              ("pada", "O"), ("2009", "O"), (".", "O")]], parsed=False)
    doc = to_spacy(sdoc, text, VOCAB)
    assert [s.text.strip() for s in doc.sents] == ["Pembentukan BRICS", "BRICS dibentuk pada 2009."]


def test_an_entity_across_a_line_break_is_left_out():
    text = "akhir KTT.\nIndonesia belum"
    sdoc = stanza_doc(text, [[("akhir", "O"), ("KTT.", "B-ORG"), ("Indonesia", "E-ORG"), ("belum", "O")]],
                      parsed=False)
    assert list(to_spacy(sdoc, text, VOCAB).ents) == []
