"""Conversion of the training corpora into Stanza's formats."""
from pipeline import corpora as C


def test_pud_clitics_become_multiword_tokens():
    sentence = [
        "# text = tidaklah begitu",
        "1\ttidak\t_\tPART\tNEG\t_\t3\tadvmod\t_\tSpaceAfter=No",
        "2\tlah\t_\tPART\tRP\t_\t1\tdep:prt\t_\t_",
        "3\tbegitu\t_\tPRON\tPRD\t_\t0\troot\t_\tSpaceAfter=No",
    ]
    out = C.clitics_to_mwt(sentence, C.clitics())
    assert out[1] == "1-2\ttidaklah\t_\t_\t_\t_\t_\t_\t_\t_"
    assert out[2].endswith("\t_") and "SpaceAfter" not in out[2]
    assert out[4].startswith("3\tbegitu")


def test_non_clitic_after_no_space_is_left_alone():
    sentence = ["1\tAS\t_\tPROPN\t_\t_\t0\troot\t_\tSpaceAfter=No", "2\t,\t_\tPUNCT\t_\t_\t1\tpunct\t_\t_"]
    assert C.clitics_to_mwt(sentence, C.clitics()) == sentence


def test_blank_columns_keeps_ranges_and_comments():
    sentence = ["# x", "1-2\tbukunya\t_\t_\t_\t_\t_\t_\t_\t_", "1\tbuku\tbuku\tNOUN\tNSD\t_\t0\troot\t_\t_"]
    out = C.blank_columns(sentence, (4,))
    assert out[:2] == sentence[:2]
    assert out[2].split("\t")[4] == "_" and out[2].split("\t")[3] == "NOUN"


def test_harmonise_maps_labels_and_repairs_bio():
    mapping = C.ner_label_map()
    sentence = [("Joko", "B-PERSON"), ("Widodo", "I-PERSON"), ("di", "O"), ("Piala", "B-EVT"),
                ("Dunia", "I-EVT"), ("Jakarta", "I-PLC"), ("oleh", "O"), ("PT", "B-IND")]
    assert C.harmonise(sentence, mapping) == [
        ("Joko", "B-PER"), ("Widodo", "I-PER"), ("di", "O"), ("Piala", "O"), ("Dunia", "O"),
        ("Jakarta", "B-LOC"), ("oleh", "O"), ("PT", "B-ORG")]


def test_read_bio_handles_crlf_and_space_separated(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"Meski SCONJ O\r\nJokowi PROPN B-PER\r\n\r\nIni PRON O\r\n")
    assert C.read_bio(path) == [[("Meski", "O"), ("Jokowi", "B-PER")], [("Ini", "O")]]


def test_ner_json_round_trip(tmp_path):
    sentences = [[("Jakarta", "B-LOC"), ("ramai", "O")]]
    assert C.read_ner_json(C.write_ner_json(sentences, tmp_path / "a.json")) == sentences


def test_ud_splits_hold_out_pud_dev_and_csui_test(shared):
    ud = C.load_ud(shared / "corpora", limit=None)
    assert len(ud.dev) == 100 and len(ud.train_pud) == 900
    assert len(ud.test) == 374
    train_ids = {line for s in ud.train_full + ud.train_pud for line in s if line.startswith("# sent_id")}
    assert not train_ids & {line for s in ud.test + ud.dev for line in s if line.startswith("# sent_id")}
    assert all(line.split("\t")[4] == "_" for s in ud.train_full for line in s
               if not line.startswith("#") and line.split("\t")[0].isdigit())


def _ids(sentences):
    return [line for s in sentences for line in s if line.startswith("# sent_id")]


def test_tokenizer_is_selected_on_the_tail_of_csui_train_it_does_not_see(shared):
    ud = C.load_ud(shared / "corpora", tokenize_dev=150, csui_copies=3)
    dev, train = _ids(ud.tokenize_dev), _ids(ud.tokenize_train)
    assert len(dev) == 150 and set(dev) <= set(_ids(ud.train_full))
    assert not set(dev) & set(train) and not set(_ids(ud.test)) & set(train)
    csui = [i for i in train if i.startswith("# sent_id = csui-train")]
    assert len(csui) == 3 * len(set(csui)) == 3 * (656 - 150)


def _bio(text: str) -> list[tuple[str, str]]:
    """``word/TAG`` pairs (``O`` when no tag) from an invented sentence."""
    return [(w.split("/")[0], w.split("/")[1] if "/" in w else "O") for w in text.split()]


def test_names_a_corpus_tags_consistently_are_found():
    cased = [_bio("Ketua Partai/B-ORG Hijau/I-ORG bertemu KPN/B-ORG ."),
             _bio("Partai/B-ORG Hijau/I-ORG dan KPN/B-ORG setuju ."),
             _bio("Anggota KPN/B-ORG dari Partai/B-ORG Hijau/I-ORG Raya/I-ORG hadir ."),
             _bio("Bank/B-ORG Sentosa/I-ORG tutup , kata Sentosa ."),
             _bio("Bank/B-ORG Sentosa/I-ORG buka ; Bank Sentosa lagi .")]
    names = C.consistent_names(cased, "ORG", min_count=2, share=0.8)
    assert names == {("partai", "hijau"), ("kpn",)}  # Bank Sentosa: tagged 2 times of 3


def test_untagged_names_are_tagged_longest_first_and_tags_are_kept():
    names = {("partai", "hijau"), ("kpn",), ("hijau",)}
    sentence = _bio("kader partai hijau dan kpn/B-LOC serta hijau muda")
    assert C.tag_names(sentence, names, "ORG") == _bio(
        "kader partai/B-ORG hijau/I-ORG dan kpn/B-LOC serta hijau/B-ORG muda")
