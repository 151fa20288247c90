"""The shipped Stanza models: offline loading, one loader, clear errors."""
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import nlp

SENTENCE = ("Presiden Belarusia Alexander Lukashenko bertemu di Moskow. Melansir TASS, Kremlin menyebut "
            "para pemimpin CSTO akan membahas kerja sama militer.")


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_models_load_and_tag_with_the_network_unavailable(no_network):
    """The models alone, offline.  Where the person's name starts, after office + state, is left to the rules
    (``rules/titled_names``; the NER may take ``Belarusia`` into the name): the next test checks the whole."""
    pipeline = nlp.build_pipeline(nlp.ALL_PROCESSORS)
    doc = pipeline(SENTENCE)
    ents = {e.text: e.type for e in doc.ents}
    assert [label for text, label in ents.items() if text.endswith("Alexander Lukashenko")] == ["PER"]
    assert ents.get("Moskow") == "LOC"
    assert ents.get("TASS") == "ORG"
    assert all(w.upos for s in doc.sentences for w in s.words)
    assert all(w.deprel for s in doc.sentences for w in s.words)


def test_full_pipeline_labels_known_names(stanza_pipeline):
    from pipeline.annotate import rules_pipeline

    doc = rules_pipeline()(nlp.to_spacy(stanza_pipeline(SENTENCE), SENTENCE, rules_pipeline().vocab))
    ents = {e.text: (e.label_, e._.canonical_id) for e in doc.ents}
    assert ents["Alexander Lukashenko"][0] == "PER"
    assert ents["Belarusia"] == ("GPE", "BLR")
    assert ents["Kremlin"][0] in ("ORG", "LOC")
    assert ents["CSTO"] == ("ORG", "CSTO") and ents["TASS"][0] == "ORG"


def test_pipeline_is_loaded_once_per_process():
    assert nlp.load_pipeline(nlp.DEFAULT_PROCESSORS) is nlp.load_pipeline(nlp.DEFAULT_PROCESSORS)


def test_loading_the_models_skips_torchs_compiler_and_ipython_and_leaves_both_usable():
    """Neither Stanza's unused optimizers nor its notebook check import what berita does not use (seconds of
    start-up); a later optimizer still gets torch's compiler exclusion, and IPython still imports."""
    code = ("import sys, torch; from pipeline import nlp; nlp.load_pipeline(); "
            "print('torch._dynamo' in sys.modules, 'IPython' in sys.modules); "
            "torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))]); import IPython; "
            "print('torch._dynamo' in sys.modules, IPython.get_ipython is not None)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.split() == ["False", "False", "True", "True"]


def test_lemmas_kept_from_the_model_equal_what_the_model_says():
    """The product's lemmatizer stores seq2seq lemmas and reuses them; a fresh one without the store agrees."""
    import stanza

    text = "Para pengunjuk rasa menyuarakan ketidakpuasan. Pengunjuk rasa kembali menyuarakan ketidakpuasan."
    kept = nlp.load_pipeline(nlp.DEFAULT_PROCESSORS)
    first, again = (kept(stanza.Document([], text=text)) for _ in range(2))
    plain = nlp.build_pipeline(nlp.DEFAULT_PROCESSORS)(text)
    lemmas = [[w.lemma for w in d.iter_words()] for d in (first, again, plain)]
    assert lemmas[0] == lemmas[1] == lemmas[2]
    stored = kept.processors["lemma"].trainer
    assert stored.skip_seq2seq([("menyuarakan", w.upos) for w in first.iter_words() if w.text == "menyuarakan"])[0]


def test_unseen_proper_nouns_are_their_own_lemma_without_asking_the_model():
    pipeline = nlp.load_pipeline(nlp.DEFAULT_PROCESSORS)
    doc = pipeline("Menlu Ruslan Kazakbayev tiba di Bishkek dan menyuarakan dukungan.")
    names = [w for w in doc.iter_words() if w.upos == "PROPN"]
    assert {"Kazakbayev", "Bishkek"} <= {w.text for w in names}
    assert all(w.lemma == w.text for w in names)
    trainer = pipeline.processors["lemma"].trainer
    assert trainer.skip_seq2seq([("Kazakbayev", "PROPN"), ("Kazakbayev", "NOUN")]) == [True, False]


def test_on_cpu_the_tagger_and_the_ners_letters_run_in_int8_and_name_the_same_entities():
    """Only the parts measured to keep their scores are quantised: the whole tagger, the NER's character
    model; the NER's sentence LSTM stays fp32.  The int8 NER finds what the fp32 one finds."""
    from torch.ao.nn.quantized.dynamic import LSTM as Int8LSTM

    text = ("Menteri Luar Negeri Retno Marsudi bertemu Sergei Lavrov di Moskow. "
            "Kazakhstan dan Kirgistan menandatangani perjanjian dengan Uni Eropa di Brussel.")
    int8 = nlp.load_pipeline(nlp.DEFAULT_PROCESSORS)
    ner = int8.processors["ner"].trainers[0].model
    assert isinstance(ner.charmodel.charlstm.lstm, Int8LSTM)
    assert not isinstance(ner.taggerlstm.lstm, Int8LSTM)
    assert any(isinstance(m, Int8LSTM) for m in int8.processors["pos"].trainer.model.modules())
    fp32 = nlp.build_pipeline(("tokenize", "mwt", "pos", "ner"))
    assert [(e.text, e.type) for e in int8(text).ents] == [(e.text, e.type) for e in fp32(text).ents]


def test_feature_bundles_are_named_once_as_stanza_names_them():
    pipeline = nlp.load_pipeline(nlp.DEFAULT_PROCESSORS)
    vocab = pipeline.processors["pos"].trainer.vocab["feats"]
    words = list(pipeline("Mereka menyuarakan ketidakpuasan kepada pemerintah. Ia juga menyuarakannya.").iter_words())
    assert any(w.feats for w in words)
    for word in words:
        ids = vocab.unit2id(word.feats or "_")
        assert vocab.id2unit(ids) == type(vocab).id2unit(vocab, ids) == (word.feats or "_")
    assert vocab.id2unit.cache_info().hits > 0


def test_character_models_see_each_distinct_word_once_and_tag_as_stanza_does(monkeypatch):
    """Words repeat within a batch (``yang``, ``di``, names); the character LSTMs of the tagger and the
    NER see each form once, and every word still gets the tags and entities Stanza's own forward gives."""
    from stanza.models.common.char_model import CharacterModel

    seen = []
    stanza_forward = CharacterModel.forward

    def counted(self, chars, *args):
        seen.append(len(chars))
        return stanza_forward(self, chars, *args)

    monkeypatch.setattr(CharacterModel, "forward", counted)
    text = ("Menteri Sugiarto bertemu Menteri Handayani di Surabaya yang baru dibuka. Sugiarto dan Handayani "
            "lalu terbang ke Surabaya, kota yang ramai, dan di Surabaya mereka bertemu Gubernur Sugiarto.")
    pipeline = nlp.build_pipeline(("tokenize", "mwt", "pos", "ner"))
    words = len(list(pipeline(text).iter_words()))
    seen.clear()
    once = pipeline(text)
    assert len(seen) == 2 and max(seen) < words
    for name in ("pos", "ner"):
        del pipeline.processors[name].trainer.model.charmodel.forward  # back to Stanza's forward
    seen.clear()
    every = pipeline(text)
    assert seen == [words, words]
    assert [(w.text, w.upos, w.feats) for w in once.iter_words()] == [(w.text, w.upos, w.feats) for w in every.iter_words()]
    assert [(e.text, e.type) for e in once.ents] == [(e.text, e.type) for e in every.ents]


def test_the_tokenizer_stops_reading_a_finished_paragraph_and_tokenizes_as_stanza_does(monkeypatch):
    """Paragraphs of one batch are read in windows until the longest is done; the paragraphs that
    ended earlier drop out of the model's rows, and tokens and sentences stay Stanza's own."""
    from stanza.models.tokenization.trainer import Trainer

    rows = []
    stanza_predict = Trainer.predict

    def counted(self, inputs):
        rows.append(len(inputs[3]))
        return stanza_predict(self, inputs)

    monkeypatch.setattr(Trainer, "predict", counted)
    long = " ".join(f"Pada hari ke-{day}, Menteri Sugiarto meninjau pasar di Surabaya dan Malang." for day in range(40))
    text = "\n\n".join([long, "Harga beras turun.", "Pedagang di Malang menyambut kabar itu dengan lega."])
    pipeline = nlp.build_pipeline(("tokenize", "mwt"))
    skipping = pipeline(text)
    assert max(rows) == 3 and min(rows) == 1
    del pipeline.processors["tokenize"].trainer.predict  # back to Stanza's predict
    rows.clear()
    every = pipeline(text)
    assert set(rows) == {3}
    assert [[(t.text, t.start_char) for t in s.tokens] for s in skipping.sentences] == \
        [[(t.text, t.start_char) for t in s.tokens] for s in every.sentences]
    assert len(skipping.sentences) > 40


def test_only_the_shipped_models_skip_torchs_vetting_unpickler(monkeypatch, tmp_path):
    """The files inside the package are read by torch's C unpickler (as trusted as the package's code);
    a model directory a user passes is still read with ``weights_only=True``, and torch.load is
    torch's own again once the models are loaded."""
    import shutil

    import torch

    calls = []
    torch_load = torch.load

    def recorded(f, *args, **kwargs):
        calls.append((Path(f).parent.name, kwargs.get("weights_only")))
        return torch_load(f, *args, **kwargs)

    monkeypatch.setattr(torch, "load", recorded)
    nlp.build_pipeline(("tokenize", "mwt", "pos"))
    assert torch.load is recorded
    assert sorted(calls) == [("mwt", False), ("pos", False), ("pretrain", False), ("tokenize", False)]
    own = tmp_path / "models"
    shutil.copytree(nlp.default_model_dir(), own, ignore=shutil.ignore_patterns("depparse", "lemma", "ner", "pos"))
    calls.clear()
    nlp.build_pipeline(("tokenize", "mwt"), model_dir=own)
    assert sorted(calls) == [("mwt", True), ("tokenize", True)]


def test_missing_model_names_the_file(tmp_path):
    tokenizer = nlp.model_file(tmp_path, "tokenize")
    tokenizer.parent.mkdir(parents=True)
    tokenizer.symlink_to(nlp.model_file(nlp.default_model_dir(), "tokenize"))
    with pytest.raises(nlp.MissingModelError, match=r"missing Stanza model for ner: .*id/ner/berita\.pt"):
        nlp.build_pipeline(("tokenize", "ner"), tmp_path)


def test_pretokenized_input_needs_no_tokenizer_model(tmp_path):
    for processor in ("ner", "pretrain"):
        target = nlp.model_file(tmp_path, processor)
        target.parent.mkdir(parents=True)
        target.symlink_to(nlp.model_file(nlp.default_model_dir(), processor))
    doc = nlp.build_pipeline(("tokenize", "ner"), tmp_path, tokenize_pretokenized=True)([["Melansir", "TASS", "."]])
    assert [(e.text, e.type) for e in doc.ents] == [("TASS", "ORG")]
    with pytest.raises(nlp.MissingModelError, match="tokenize"):
        nlp.build_pipeline(("tokenize", "ner"), tmp_path)


@pytest.mark.parametrize("spec", ["tokenize,parser", "pos,lemma"])
def test_bad_processor_lists_are_refused(spec):
    with pytest.raises(ValueError):
        nlp.parse_processors(spec)


def test_only_requested_processors_get_paths():
    paths = nlp.model_paths(nlp.default_model_dir(), ("tokenize", "mwt", "pos"))
    assert set(paths) == {"tokenize_model_path", "mwt_model_path", "pos_model_path", "pos_pretrain_path"}
