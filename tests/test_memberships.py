"""Membership claims on small hand-built documents."""
from datetime import date

from helpers import annotate_text, claims


def test_coordinated_members_give_one_claim_each():
    doc = annotate_text("Armenia, Belarus, dan Tajikistan bergabung dengan CSTO pada tahun 1993.")
    assert claims(doc) == {("ARM", "CSTO", "joined", "1993", False), ("BLR", "CSTO", "joined", "1993", False),
                           ("TJK", "CSTO", "joined", "1993", False)}


def test_reference_to_the_organisation_resolves_to_the_last_one_named():
    doc = annotate_text("NATO menggelar KTT di Vilnius. Finlandia bergabung dengan aliansi tersebut pada 2023.")
    assert claims(doc) == {("FIN", "NATO", "joined", "2023", False)}


def test_sentence_without_organisation_continues_the_one_before():
    doc = annotate_text("OPEC memangkas produksi. OPEC bertemu di Wina. Sementara Angola keluar pada 2023.")
    assert claims(doc) == {("AGO", "OPEC", "left", "2023", False)}


def test_negation_is_kept_and_marked():
    doc = annotate_text("Arab Saudi belum bergabung dengan BRICS.")
    assert claims(doc) == {("SAU", "BRICS", "joined", None, True)}


def test_intent_is_not_a_claim():
    doc = annotate_text("Thailand berencana untuk bergabung dengan BRICS tahun depan.", date(2024, 6, 1))
    assert claims(doc) == set()


def test_parenthetical_is_a_claim_with_its_own_date():
    doc = annotate_text("CSTO bertemu di Moskow. Perjanjian untuk mendirikan organisasi ditandatangani oleh Armenia dan Uzbekistan "
                        "pada 15 Mei 1992 (Uzbekistan meninggalkan CSTO pada 2012).")
    assert claims(doc) == {("ARM", "CSTO", "founder", "1992-05-15", False),
                           ("UZB", "CSTO", "founder", "1992-05-15", False), ("UZB", "CSTO", "left", "2012", False)}


def test_an_organisation_can_be_a_member():
    doc = annotate_text("Uni Afrika kini menjadi anggota tetap G20.")
    assert claims(doc) == {("AU", "G20", "joined", None, False)}


def test_pronoun_member_resolves_to_the_state_before_it():
    doc = annotate_text("Angola menyatakan bahwa mereka akan keluar dari OPEC.")
    assert claims(doc) == {("AGO", "OPEC", "left", None, False)}


def test_more_specific_relation_wins_in_one_clause():
    doc = annotate_text("Arab Saudi telah diundang untuk bergabung dengan BRICS.")
    assert claims(doc) == {("SAU", "BRICS", "invited", None, False)}


def test_list_after_trigger_and_member_relation():
    doc = annotate_text("CSTO saat ini menyatukan enam negara: Armenia, Belarus, Kazakhstan, Kirgistan, Rusia, "
                        "dan Tajikistan.")
    assert {c[0] for c in claims(doc)} == {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"}
    assert {c[2] for c in claims(doc)} == {"member"}


def test_states_far_from_the_trigger_are_not_members():
    doc = annotate_text("Sesi itu melibatkan partisipasi tamu dari luar ASEAN, termasuk Perdana Menteri Kanada.")
    assert claims(doc) == set()


def test_trigger_without_any_organisation_in_the_article_gives_nothing():
    assert claims(annotate_text("Inggris keluar dari pertandingan itu.")) == set()


def test_follow_up_takes_relation_and_organisation_with_its_own_date():
    doc = annotate_text("Brunei Darussalam bergabung dengan ASEAN pada 1984, disusul Vietnam pada 1995.")
    assert claims(doc) == {("BRN", "ASEAN", "joined", "1984", False), ("VNM", "ASEAN", "joined", "1995", False)}


def test_elided_subject_after_tetapi():
    doc = annotate_text("Indonesia belum menjadi anggota OECD, tetapi telah mengajukan permohonan keanggotaan "
                        "pada 2024.")
    assert claims(doc) == {("IDN", "OECD", "joined", None, True), ("IDN", "OECD", "applied", "2024", False)}


def test_a_clause_with_its_own_subject_does_not_borrow_members():
    doc = annotate_text("BRICS terus tumbuh. Turki dan Malaysia sudah mendaftar, sementara beberapa negara lain "
                        "menyatakan ketertarikan bergabung.")
    assert claims(doc) == {("TUR", "BRICS", "applied", None, False), ("MYS", "BRICS", "applied", None, False)}


def test_member_list_after_the_organisation():
    doc = annotate_text("Anggota NATO saat ini adalah Amerika Serikat, Kanada, dan Turki.")
    assert claims(doc) == {(c, "NATO", "member", None, False) for c in ("USA", "CAN", "TUR")}


def test_founders_after_a_date_inside_the_passive():
    doc = annotate_text("ASEAN didirikan pada 8 Agustus 1967 oleh Indonesia dan Thailand.")
    assert claims(doc) == {("IDN", "ASEAN", "founder", "1967-08-08", False),
                           ("THA", "ASEAN", "founder", "1967-08-08", False)}


def test_refusal_is_a_negated_claim():
    assert claims(annotate_text("Argentina menolak bergabung dengan BRICS.")) == {
        ("ARG", "BRICS", "joined", None, True)}


def test_coordinated_verbs_share_the_subject_and_keep_their_own_dates():
    doc = annotate_text("Indonesia pernah keluar dari OPEC pada 2009 dan kembali bergabung pada 2016.")
    assert claims(doc) == {("IDN", "OPEC", "left", "2009", False), ("IDN", "OPEC", "joined", "2016", False)}


def test_organisation_admitting_members():
    doc = annotate_text("Pada 2024, BRICS menerima Mesir dan Iran sebagai anggota baru.")
    assert claims(doc) == {("EGY", "BRICS", "joined", "2024", False), ("IRN", "BRICS", "joined", "2024", False)}


def test_members_named_after_a_count_and_termasuk():
    doc = annotate_text("NATO kini beranggotakan 32 negara, termasuk Finlandia dan Swedia.")
    assert claims(doc) == {("FIN", "NATO", "member", None, False), ("SWE", "NATO", "member", None, False)}


def test_a_date_belongs_to_the_verb_before_it():
    doc = annotate_text("Bergabungnya Swedia menyusul Finlandia yang lebih dulu masuk NATO pada April 2023.")
    assert ("FIN", "NATO", "joined", "2023-04", False) in claims(doc)
    assert ("SWE", "NATO", "joined", None, False) in claims(doc)


def test_a_date_of_a_purpose_clause_goes_to_the_claim():
    doc = annotate_text("Moldova telah mengajukan permohonan untuk bergabung dengan Uni Eropa pada 2022.")
    assert claims(doc) == {("MDA", "EU", "applied", "2022", False)}


def test_subject_before_a_relative_clause():
    doc = annotate_text("Swedia, yang mengajukan permohonan bersama Finlandia ke NATO pada Mei 2022, masih menunggu.")
    assert ("SWE", "NATO", "applied", "2022-05", False) in claims(doc)


def test_no_longer_a_member_means_left():
    doc = annotate_text("Sejak 2020, Inggris tidak lagi menjadi anggota Uni Eropa.")
    assert claims(doc) == {("GBR", "EU", "left", "2020", False)}


def test_plain_word_rules_go_to_a_phrase_matcher_and_match_what_the_matcher_matched():
    """Every trigger and reference rule matches the same spans as spaCy's Matcher with all patterns would."""
    from spacy.matcher import Matcher

    from pipeline import memberships
    from pipeline.corpora import read_json_lines
    from pipeline.annotate import rules_pipeline

    assert memberships.word_sequences([{"LOWER": {"IN": ["negara", "negara-negara"]}}, {"LOWER": "anggota"}]) == [
        ["negara", "anggota"], ["negara-negara", "anggota"]]
    assert memberships.word_sequences([{"LOWER": {"IN": ["anggota"]}, "OP": "?"}]) is None
    assert memberships.word_sequences([{"LOWER": {"IN": ["Anggota"]}}]) is None  # the Matcher would never match it
    text = ("Negara-negara anggota ASEAN, yakni Indonesia dan Malaysia, menerima undangan untuk bergabung. "
            "Keanggotaan Rusia di dewan itu kemudian dicabut. Kedua negara tersebut resmi menjadi anggota BRICS.")
    doc = annotate_text(text)
    for name in ("membership_triggers.jsonl", "references.jsonl"):
        every, split = Matcher(rules_pipeline().vocab), memberships.PatternMatcher(rules_pipeline())
        for i, rule in enumerate(read_json_lines(name)):
            every.add(str(i), [rule["pattern"]])
            split.add(str(i), rule["pattern"])
        assert len(split.phrases) and len(split.patterns)
        assert sorted(split(doc)) == sorted(every(doc)) != []
