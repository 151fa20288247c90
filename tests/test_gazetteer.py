"""Gazetteer: aliases, organisations, label corrections, long form + acronym."""
import re

import pytest
from spacy.tokens import Span

from helpers import annotate_text, rules_nlp


@pytest.mark.parametrize("name,code", [
    ("Rusia", "RUS"), ("Kirgistan", "KGZ"), ("Inggris", "GBR"), ("Tiongkok", "CHN"), ("Belarusia", "BLR"),
    ("Timor Leste", "TLS"), ("Afrika Selatan", "ZAF"), ("Uni Emirat Arab", "ARE"), ("Amerika Serikat", "USA"),
    ("Jerman", "DEU"), ("Filipina", "PHL"), ("Korea Selatan", "KOR"),
])
def test_state_aliases_get_iso_codes(name, code):
    doc = annotate_text(f"Presiden {name} tiba kemarin.")
    ents = [(e.text, e.label_, e._.canonical_id) for e in doc.ents]
    assert (name, "GPE", code) in ents


@pytest.mark.parametrize("name,org", [
    ("CSTO", "CSTO"), ("NATO", "NATO"), ("UE", "EU"), ("Uni Eropa", "EU"), ("Uni Afrika", "AU"),
    ("PBB", "UN"), ("OKI", "OIC"), ("Liga Arab", "Arab League"), ("G20", "G20"), ("Kelompok Tujuh", "G7"),
    ("Perhimpunan Bangsa-Bangsa Asia Tenggara", "ASEAN"),
])
def test_organisations_get_canonical_ids(name, org):
    doc = annotate_text(f"Para pemimpin {name} bertemu.")
    assert (name, "ORG", org) in [(e.text, e.label_, e._.canonical_id) for e in doc.ents]


def test_long_form_and_acronym_are_linked():
    doc = annotate_text("Negara-negara Organisasi Perjanjian Keamanan Kolektif (CSTO) bertemu.")
    ents = {e.text: e._.canonical_id for e in doc.ents}
    assert ents["Organisasi Perjanjian Keamanan Kolektif"] == "CSTO" and ents["CSTO"] == "CSTO"


def _with_stanza_entities(text: str, ents: list[tuple[str, str]]):
    """A doc as the Stanza conversion would hand it over, before the gazetteer."""
    nlp = rules_nlp()
    doc = nlp.make_doc(text)
    spans = []
    for surface, label in ents:
        for match in re.finditer(re.escape(surface), text):
            spans.append(doc.char_span(match.start(), match.end(), label=label))
    doc.ents = sorted(spans, key=lambda s: s.start)
    return nlp.get_pipe("berita_gazetteer")(doc)


def after_rule(component: str, text: str, ents: list[tuple[str, str]]):
    """The doc after the gazetteer and then the rule ``component``, from the NER's ``ents``."""
    from pipeline.annotate import rules_pipeline

    return rules_pipeline().get_pipe(component)(_with_stanza_entities(text, ents))


def test_unknown_long_form_and_acronym_share_a_canonical_name():
    doc = _with_stanza_entities("Badan Pusat Statistik (BPS) mencatat. BPS juga menyebut.",
                                [("Badan Pusat Statistik", "ORG"), ("BPS", "ORG")])
    names = [(e.text, e._.canonical_name) for e in doc.ents]
    assert names == [("Badan Pusat Statistik", "Badan Pusat Statistik"), ("BPS", "Badan Pusat Statistik"),
                     ("BPS", "Badan Pusat Statistik")]


def test_mislabelled_states_and_institutions_are_corrected():
    doc = _with_stanza_entities("Kremlin menyebut Tajikistan dan Uzbekistan.",
                                [("Kremlin", "PER"), ("Tajikistan dan Uzbekistan", "PER")])
    assert [(e.text, e.label_, e._.canonical_id) for e in doc.ents] == [
        ("Kremlin", "ORG", ""), ("Tajikistan", "GPE", "TJK"), ("Uzbekistan", "GPE", "UZB")]
    assert [e._.source for e in doc.ents] == ["stanza", "rule", "rule"]


def test_wider_organisation_names_are_kept_with_the_state_as_a_mention():
    doc = _with_stanza_entities("Kementerian Luar Negeri Brazil menyatakan.",
                                [("Kementerian Luar Negeri Brazil", "ORG")])
    assert [(e.text, e.label_) for e in doc.ents] == [("Kementerian Luar Negeri Brazil", "ORG")]
    assert [(m.text, m._.canonical_id) for m in doc.spans["mentions"]] == [("Brazil", "BRA")]


def test_stanza_entities_keep_their_source_and_get_enriched():
    doc = _with_stanza_entities("Presiden Rusia datang.", [("Rusia", "LOC")])
    ent = doc.ents[0]
    assert (ent.label_, ent._.canonical_id, ent._.source) == ("GPE", "RUS", "stanza")
    assert isinstance(ent, Span)


@pytest.mark.parametrize("text,name", [
    ("Isi berita.\n(Febrina Ratna)\n", "Febrina Ratna"),
    ("Isi berita.\n[Redaktur: Elsya Tri Ahaddini]\n", "Elsya Tri Ahaddini"),
    ("Isi berita.\nEditor: Budi Santoso\n", "Budi Santoso"),
])
def test_credit_lines_name_people(text, name):
    doc = _with_stanza_entities(text, [(name.split()[-1], "LOC")])
    assert (name, "PER", "rule") in [(e.text, e.label_, e._.source) for e in doc.ents]


def test_acronym_in_parentheses_is_not_a_credit():
    doc = annotate_text("Dana Moneter Internasional\n(IMF)\n")
    assert all(e.label_ != "PER" for e in doc.ents)


@pytest.mark.parametrize("name,code", [
    ("Republik Mali", "MLI"), ("Kerajaan Arab Saudi", "SAU"), ("Republik Islam Iran", "IRN"),
    ("Republik Federal Jerman", "DEU"), ("Kesultanan Oman", "OMN"), ("Republik Turkiye", "TUR"),
    ("Republik Rakyat China", "CHN"), ("Kingdom of Saudi Arabia", "SAU"), ("Republik Korea", "KOR"),
    ("Inggris Raya", "GBR"), ("Persatuan Emirat Arab", "ARE"),
])
def test_formal_names_of_states_are_one_entity(name, code):
    doc = annotate_text(f"Duta besar {name} tiba kemarin.")
    assert (name, "GPE", code) in [(e.text, e.label_, e._.canonical_id) for e in doc.ents]


def test_formal_names_come_from_data_for_every_title():
    from pipeline.rules.gazetteer import entries
    titles = {name.split()[0] for name, e in entries().items() if e.label == "GPE" and " " in name}
    assert {"Republik", "Kerajaan", "Kesultanan", "Negara"} <= titles
    assert sum(name.startswith("Republik ") for name in entries()) > 100


@pytest.mark.parametrize("text,stanza,expected", [
    ("Pasukan Inggris Raya tiba.", [("Inggris", "LOC")], [("Inggris Raya", "GPE", "GBR")]),
    ("Kanada ikut Persemakmuran Inggris.", [("Kanada", "LOC"), ("Persemakmuran", "ORG")],
     [("Kanada", "GPE", "CAN"), ("Persemakmuran Inggris", "ORG", "Commonwealth")]),
    ("Delegasi Persatuan Emirat Arab datang.", [("Persatuan Emirat Arab", "ORG")],
     [("Persatuan Emirat Arab", "GPE", "ARE")]),
    ("Utusan Kerajaan Arab Saudi datang.", [("Kerajaan Arab", "LOC")], [("Kerajaan Arab Saudi", "GPE", "SAU")]),
    ("Negara Gabon bergabung.", [("Negara Gabon", "LOC")], [("Gabon", "GPE", "GAB")]),
    ("Sidang Komisi Eropa dimulai.", [("Komisi", "ORG")], [("Komisi Eropa", "ORG", "European Commission")]),
])
def test_whole_gazetteer_names_override_shorter_or_mislabelled_spans(text, stanza, expected):
    doc = _with_stanza_entities(text, stanza)
    assert [(e.text, e.label_, e._.canonical_id) for e in doc.ents] == expected


def test_a_lone_word_that_opens_organisation_names_is_no_place():
    doc = _with_stanza_entities("Belarus ikut di Uni dengan Rusia.", [("Belarus", "LOC"), ("Uni", "LOC"), ("Rusia", "LOC")])
    assert ("Uni", "ORG") in [(e.text, e.label_) for e in doc.ents]


@pytest.mark.parametrize("name,org", [
    ("Parlemen Eropa", "European Parliament"), ("Komisi Eropa", "European Commission"),
    ("Dewan Keamanan PBB", "UNSC"), ("Majelis Umum PBB", "UNGA"), ("Bank Sentral Eropa", "ECB"),
    ("Mahkamah Internasional", "ICJ"), ("Program Pangan Dunia", "WFP"),
])
def test_eu_and_un_bodies_are_known(name, org):
    doc = annotate_text(f"Pernyataan {name} dibacakan.")
    assert (name, "ORG", org) in [(e.text, e.label_, e._.canonical_id) for e in doc.ents]


@pytest.mark.parametrize("name", ["TASS", "Reuters", "Xinhua", "Anadolu", "IDN Times", "KOMPAS.TV", "iNews.id",
                                  "Antara News", "CNN Indonesia"])
def test_news_agencies_and_outlets_are_organisations(name):
    doc = annotate_text(f"Seperti dilansir {name}, rapat ditunda.")
    assert (name, "ORG") in [(e.text, e.label_) for e in doc.ents]


@pytest.mark.parametrize("text,stanza,expected", [
    ("Desa itu diserang militan ISIS semalam.", [], [("ISIS", "ORG", "Negara Islam Irak dan Suriah")]),
    ("Serangan itu diklaim NIIS.", [("NIIS", "LOC")], [("NIIS", "ORG", "Negara Islam Irak dan Suriah")]),
    ("Kelompok Al Qaeda dan Taliban berunding.", [("Al", "ORG"), ("Qaeda", "ORG")],
     [("Al Qaeda", "ORG", "Al-Qaeda"), ("Taliban", "ORG", "Taliban")]),
    ("Pejuang Negara Islam Irak dan Syam mundur dari Mosul.", [("Irak", "LOC"), ("Syam", "LOC"), ("Mosul", "LOC")],
     [("Negara Islam Irak dan Syam", "ORG", "Negara Islam Irak dan Suriah"), ("Mosul", "LOC", "")]),
])
def test_armed_groups_and_agencies_are_organisations_under_one_name(text, stanza, expected):
    doc = _with_stanza_entities(text, stanza)
    assert [(e.text, e.label_, e._.canonical_name) for e in doc.ents] == expected


@pytest.mark.parametrize("text,stanza,expected", [
    ("SURABAYA, Contoh.com - Warga Madura antre.", [("SURABAYA", "ORG"), ("Contoh.com - Warga Madura", "ORG")],
     [("SURABAYA", "LOC"), ("Contoh.com", "ORG"), ("Warga Madura", "ORG")]),
    ("Bogor, IDN Times - Parlemen Palau setuju.", [("Bogor", "LOC"), ("IDN Times - Parlemen Palau", "ORG")],
     [("Bogor", "LOC"), ("IDN Times", "ORG"), ("Parlemen Palau", "ORG")]),
    ("Medan (ANTARA) - Hujan turun.", [], [("Medan", "LOC"), ("ANTARA", "ORG")]),
    ("CONTOHKOTA.COM - Hujan turun di Bogor.", [("Bogor", "LOC")], [("CONTOHKOTA.COM", "ORG"), ("Bogor", "LOC")]),
])
def test_datelines_name_a_place_and_an_outlet(text, stanza, expected):
    doc = _with_stanza_entities(text + "\nIsi berita.", stanza)
    assert [(e.text, e.label_) for e in doc.ents] == expected


@pytest.mark.parametrize("text,stanza,expected", [
    # tokenised text spaces the dash of a name: it stays one name
    ("Saham Veltra - Norsk naik.", [("Veltra - Norsk", "ORG")], [("Veltra - Norsk", "ORG")]),
    ("Pesawat mendarat di Bandara Hasan - Yamin pagi ini.", [("Bandara Hasan - Yamin", "LOC")],
     [("Bandara Hasan - Yamin", "LOC")]),
    ("Bos Kwon Tae - Sung hadir.", [("Kwon Tae - Sung", "PER")], [("Kwon Tae - Sung", "PER")]),
    # two people's full names: a pair of candidates
    ("Pasangan Budi Santoso - Rina Marlina menang.", [("Budi Santoso - Rina Marlina", "PER")],
     [("Budi Santoso", "PER"), ("Rina Marlina", "PER")]),
    # a dateline's dash: a name opens an article
    ("Kabarkota - Pelabuhan Tegal dibangun.\nSaham Veltra - Norsk naik.",
     [("Kabarkota - Pelabuhan Tegal", "ORG"), ("Veltra - Norsk", "ORG")],
     [("Kabarkota", "ORG"), ("Pelabuhan Tegal", "ORG"), ("Veltra - Norsk", "ORG")]),
    # but a text of one sentence has no dateline
    ("Veltra - Norsk merilis laporan.", [("Veltra - Norsk", "ORG")], [("Veltra - Norsk", "ORG")]),
])
def test_a_spaced_dash_inside_a_name_cuts_only_two_peoples_names(text, stanza, expected):
    assert [(e.text, e.label_) for e in _with_stanza_entities(text, stanza).ents] == expected


def test_no_dateline_in_an_ordinary_sentence_and_hyphenated_names_stay_whole():
    doc = _with_stanza_entities("Namun, Presiden Joko - yang tiba kemarin - berkata. Park Geun - hye datang.",
                                [("Presiden Joko", "PER"), ("Park Geun - hye", "PER")])
    assert [(e.text, e.label_) for e in doc.ents] == [("Presiden Joko", "PER"), ("Park Geun - hye", "PER")]


def test_a_wider_name_led_by_a_known_outlet_is_kept():
    doc = _with_stanza_entities("Mengutip Contoh Kompas Gramedia, harga naik.", [("Kompas Gramedia", "ORG")])
    assert [(e.text, e.label_) for e in doc.ents] == [("Kompas Gramedia", "ORG")]


def test_a_known_place_followed_by_a_city_is_cut_to_the_known_name():
    doc = _with_stanza_entities("Mereka bertemu di Istana Merdeka Jakarta kemarin.", [("Istana Merdeka Jakarta", "LOC")])
    assert [(e.text, e.label_) for e in doc.ents] == [("Istana Merdeka", "LOC")]


@pytest.mark.parametrize("text,stanza,expected", [
    ("BANDUNG, SELASA -- Hujan turun.", [("BANDUNG", "ORG")], [("BANDUNG", "LOC")]),
    ("CONTOH.CO.ID - MEDAN. Hujan turun.", [("MEDAN", "ORG")], [("CONTOH.CO.ID", "ORG"), ("MEDAN", "LOC")]),
])
def test_datelines_with_a_weekday_or_the_place_after_the_outlet(text, stanza, expected):
    doc = _with_stanza_entities(text + "\nIsi berita.", stanza)
    assert [(e.text, e.label_) for e in doc.ents] == expected


def test_an_outlet_before_the_place_is_not_read_as_a_place():
    doc = _with_stanza_entities("CONTOH.NET, TOKYO - Hujan turun.\nIsi berita.", [])
    assert [(e.text, e.label_) for e in doc.ents] == [("CONTOH.NET", "ORG"), ("TOKYO", "LOC")]


@pytest.mark.parametrize("text,stanza,expected", [
    ("Komisi Pengawas Perikanan (Kawasikan) menolak.", [("Komisi Pengawas Perikanan (Kawasikan)", "ORG")],
     [("Komisi Pengawas Perikanan", "ORG", "Komisi Pengawas Perikanan"), ("Kawasikan", "ORG", "Komisi Pengawas Perikanan")]),
    ("Kata Budi Santoso (Bubu) kemarin.", [("Budi Santoso (Bubu)", "PER")],
     [("Budi Santoso", "PER", ""), ("Bubu", "PER", "")]),
    ("Layanan Kereta Cepat Laut (KCL - X) dibuka.", [("Kereta Cepat Laut (KCL", "ORG")],
     [("Kereta Cepat Laut", "ORG", ""), ("KCL", "ORG", "")]),
    ("Anggota Badan Intelijen Pantai (Baintai) Kepolisian datang.", [("Badan Intelijen Pantai (Baintai) Kepolisian", "ORG")],
     [("Badan Intelijen Pantai", "ORG", "Badan Intelijen Pantai"), ("Baintai", "ORG", "Badan Intelijen Pantai"),
      ("Kepolisian", "ORG", "")]),
    ("Saham PT Sinar Baru (Persero) naik.", [("PT Sinar Baru (Persero)", "ORG")],
     [("PT Sinar Baru (Persero)", "ORG", "")]),
    ("Saham PT Sinar Baru (Persero) Tbk (SIBA) naik.", [("PT Sinar Baru (Persero) Tbk (SIBA)", "ORG")],
     [("PT Sinar Baru (Persero) Tbk", "ORG", "PT Sinar Baru (Persero) Tbk"), ("SIBA", "ORG", "PT Sinar Baru (Persero) Tbk")]),
    ("Ia bermain [melawan Persipura] kemarin.", [("Persipura]", "ORG")], [("Persipura", "ORG", "")]),
])
def test_statistical_entities_are_cut_at_brackets_into_the_names_they_hold(text, stanza, expected):
    doc = _with_stanza_entities(text, stanza)
    assert [(e.text, e.label_, e._.canonical_name) for e in doc.ents] == expected


@pytest.mark.parametrize("text,stanza,expected", [
    ("Warga makan gyoza di pasar Jakarta.", [("gyoza", "PER"), ("Jakarta", "LOC")], [("Jakarta", "LOC")]),
    ("Harga sport utility vehicle naik 5 persen.", [("sport utility vehicle", "ORG")], []),
    ("Tim U23 menang.", [("U23", "ORG")], [("U23", "ORG")]),
    ("warga jakarta makan gyoza di pasar.", [("jakarta", "LOC")], [("jakarta", "LOC")]),
])
def test_lower_case_statistical_names_are_dropped_from_cased_text_only(text, stanza, expected):
    doc = _with_stanza_entities(text, stanza)
    assert [(e.text, e.label_) for e in doc.ents] == expected
