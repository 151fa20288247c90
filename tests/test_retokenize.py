"""Token split rules: unit tests on strings, and the real tokenizer with the rules applied."""
import pytest

from pipeline import retokenize


@pytest.mark.parametrize("token, pieces", [
    ("30-35", ["30", "-", "35"]),
    ("6,2-6,8", ["6,2", "-", "6,8"]),
    ("Januari-Oktober", ["Januari", "-", "Oktober"]),
    ("Bapepam-LK", ["Bapepam", "-", "LK"]),
    ("PPh-nya", ["PPh", "-", "nya"]),
    ("DPR/MPR", ["DPR", "/", "MPR"]),
    ("Rp3.000", ["Rp", "3.000"]),
    ("AS]", ["AS", "]"]),
    ("[menurut", ["[", "menurut"]),
    ("[Redaksi]", ["[", "Redaksi", "]"]),
    ("{catatan}", ["{", "catatan", "}"]),
    ("[30-35]", ["[", "30", "-", "35", "]"]),
])
def test_glued_tokens_split_as_the_treebanks_write_them(token, pieces):
    assert retokenize.split_token(token) == pieces


@pytest.mark.parametrize("token", [
    "Undang-Undang", "rata-rata", "anak-anaknya", "Harley-Davidson", "APBN-P", "C/O", "km/jam",
    "16/5/2022", "Rp", "42,5", "Mei-an", "[", "]", "a[i]",
])
def test_other_tokens_stay_whole(token):
    assert retokenize.split_token(token) is None


def test_every_rule_records_its_evidence():
    rules = retokenize.split_rules()
    assert len({rule.name for rule in rules}) == len(rules)
    assert all(rule.evidence and rule.example for rule in rules)


def test_square_brackets_leave_the_names_they_enclose_whole(stanza_pipeline):
    """The tokenizer never saw a square bracket; a name inside one is still a name of its own."""
    text = "Kebijakan itu, menurut para pengamat [termasuk Jepang], tidak berubah [kata Menteri Retno]."
    doc = stanza_pipeline(text)
    tokens = [t.text for t in doc.iter_tokens()]
    assert {"[", "termasuk", "Jepang", "]", "Retno"} <= set(tokens)
    assert all(text[t.start_char:t.end_char] == t.text for t in doc.iter_tokens())


def test_postprocess_keeps_multiword_tokens_it_does_not_split():
    sentences = [["Harga", ("harganya", True), "naik", "30-35", ("PPh-nya", True), "."]]
    assert retokenize.postprocess(sentences) == [
        ["Harga", ("harganya", True), "naik", "30", "-", "35", "PPh", "-", "nya", "."]
    ]


def test_tokens_with_whitespace_inside_are_split_at_it():
    sentences = [[("kota Delhi", True), "Persemakmuran. Beberapa 30-35"]]
    assert retokenize.postprocess(sentences) == [["kota", "Delhi", "Persemakmuran.", "Beberapa", "30", "-", "35"]]


def test_pipeline_splits_glued_tokens_with_exact_offsets(stanza_pipeline):
    text = "Harga naik 30-35 persen menjadi Rp3.000, kata anggota DPR/MPR dari Jakarta."
    doc = stanza_pipeline(text)
    tokens = [t.text for t in doc.iter_tokens()]
    for piece in ("30", "35", "Rp", "3.000", "DPR", "MPR"):
        assert piece in tokens
    assert all(text[t.start_char:t.end_char] == t.text for t in doc.iter_tokens())


def test_rules_applied_on_demand_give_what_stanzas_postprocessor_gives():
    """Articles without a token to split skip Stanza's rebuild; every article comes out as with the postprocessor."""
    import stanza

    from pipeline import nlp

    texts = ["Harganya, naik 30-35 persen [kata AS] menjadi Rp3.000.\n\nPPh-nya naik, kata DPR/MPR.",
             "Menurutnya, harga naik. Beliau datang kemarin.", "Ia pergi ke Jakarta.\nLalu pulang."]
    on_demand = nlp.build_pipeline(("tokenize", "mwt"))
    postprocessed = nlp.build_pipeline(("tokenize", "mwt"), tokenize_postprocessor=retokenize.postprocess)

    def tokens(doc):
        return [[(t.text, t.start_char, t.end_char, [w.text for w in t.words]) for t in s.tokens] for s in doc.sentences]

    expected = [tokens(postprocessed(text)) for text in texts]
    assert [tokens(on_demand(text)) for text in texts] == expected
    assert [tokens(d) for d in on_demand([stanza.Document([], text=t) for t in texts])] == expected
    assert ["30", "-", "35"] == [t[0] for t in expected[0][0][3:6]]
