"""The shipped cache of the lemmatizer's answers changes no lemma and spares its seq2seq model."""
import logging
import shutil

import pytest

from pipeline import lemma_cache, nlp

TEXT = ("Para pengunjuk rasa menyuarakan ketidakpuasan terhadap pemekaran wilayah. "
        "Penyelundupan satwa langka dipersoalkan oleh para pegiat konservasi.")
TAGGING = ("tokenize", "mwt", "pos", "lemma")


@pytest.fixture
def lemma_model(tmp_path):
    """A copy of the shipped lemmatizer in a folder of its own, so a cache can be put beside it."""
    model = tmp_path / "lemma" / "berita.pt"
    model.parent.mkdir()
    shutil.copyfile(nlp.model_file(nlp.default_model_dir(), "lemma"), model)
    return model


def lemmas_and_questions(pipeline, text=TEXT):
    """The lemmas of ``text`` and how many batches of words the seq2seq model was asked about."""
    trainer, asked = pipeline.processors["lemma"].trainer, []
    predict = trainer.predict
    trainer.predict = lambda *args: asked.append(1) or predict(*args)
    try:
        return [w.lemma for w in pipeline(text).iter_words()], sum(asked)
    finally:
        del trainer.predict


def test_cached_answers_are_the_models_own_and_spare_it_every_question(lemma_model):
    fresh, asked = lemmas_and_questions(nlp.product_pipeline(TAGGING))
    assert asked > 0
    triples = lemma_cache.predicted(nlp.product_pipeline(TAGGING), [TEXT])
    assert triples and all(word in TEXT for word, _, _ in triples)
    lemma_cache.write(lemma_cache.cache_file(lemma_model), triples, lemma_model)
    assert lemma_cache.read(lemma_cache.cache_file(lemma_model)) == (lemma_cache.fingerprint(lemma_model), triples)

    cached = nlp.product_pipeline(TAGGING)
    assert lemma_cache.load_into(cached.processors["lemma"], lemma_model) == len(triples)
    assert lemmas_and_questions(cached) == (fresh, 0)
    other = "Pemekaran wilayah dipersoalkan lagi oleh pegiat yang menyuarakan ketidakpuasan."
    assert lemmas_and_questions(cached, other)[0] == lemmas_and_questions(nlp.product_pipeline(TAGGING), other)[0]


def test_a_cache_made_for_another_lemmatizer_is_ignored_with_a_warning(lemma_model, caplog):
    lemma_cache.write(lemma_cache.cache_file(lemma_model), [("menyuarakan", "VERB", "salah")], lemma_model)
    lemma_model.write_bytes(lemma_model.read_bytes() + b"retrained")
    pipeline = nlp.product_pipeline(TAGGING)
    with caplog.at_level(logging.WARNING):
        assert lemma_cache.load_into(pipeline.processors["lemma"], lemma_model) == 0
    assert "berita train lemma-cache" in caplog.text
    assert "salah" not in [w.lemma for w in pipeline("Mereka menyuarakan protes.").iter_words()]


def test_words_with_tabs_quotes_and_backslashes_survive_the_file(lemma_model):
    triples = [('a"b', "X", 'a"b'), ("c\\d", "SYM", "c\\d"), ("e\tf", "X", "e\tf")]
    path = lemma_cache.cache_file(lemma_model)
    lemma_cache.write(path, triples, lemma_model)
    assert lemma_cache.read(path)[1] == triples


def test_the_shipped_cache_belongs_to_the_shipped_lemmatizer_and_is_loaded():
    model = nlp.model_file(nlp.default_model_dir(), "lemma")
    made_for, triples = lemma_cache.read(lemma_cache.cache_file(model))
    assert made_for == lemma_cache.fingerprint(model) and len(triples) > 10_000
    word, tag, lemma = triples[len(triples) // 2]
    trainer = nlp.load_pipeline(nlp.DEFAULT_PROCESSORS).processors["lemma"].trainer
    assert trainer.skip_seq2seq([(word, tag)]) == [True]
    assert trainer.ensemble([(word, tag)], [""]) == [lemma]
