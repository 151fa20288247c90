"""Places introduced by the word for their kind (invented sentences)."""
import pytest

from test_gazetteer import after_rule


def _labels(text, stanza):
    return {e.text: e.label_ for e in after_rule("berita_place_names", text, stanza).ents}


@pytest.mark.parametrize("text,name", [
    ("Pertemuan itu digelar di kota Termez pekan lalu.", "Termez"),
    ("Warga desa Sukamaju menolak tambang.", "Sukamaju"),
    ("Badai melanda negara bagian Oaxaca kemarin.", "Oaxaca"),
    ("Para menteri berkumpul di ibu kota Tajikistan, Dushanbe, untuk KTT.", "Dushanbe"),
    ("Kapal itu berlabuh di pulau Natuna.", "Natuna"),
])
def test_a_person_introduced_by_a_kind_of_place_is_a_place(text, name):
    assert _labels(text, [(name, "PER")])[name] == "LOC"


@pytest.mark.parametrize("text,name", [
    ("Kepala desa Sutrisno membantah tuduhan itu.", "Sutrisno"),        # an office before the kind word
    ("Wakil wali kota Budi Santoso hadir.", "Budi Santoso"),
    ("Pertemuan di Kota Bharu dihadiri Anwar.", "Anwar"),                # no kind word before the name
    ("Ia menelepon ibu Sri Mulyani kemarin.", "Sri Mulyani"),           # 'ibu' alone is a mother, not a capital
    ("Di ibu kota, Joko Widodo membuka pameran.", "Joko Widodo"),       # no state between
])
def test_people_stay_people(text, name):
    assert _labels(text, [(name, "PER"), ("Kota Bharu", "LOC")])[name] == "PER"


@pytest.mark.parametrize("text,capital", [
    ("Parlemen meratifikasi aksesi Oslo ke aliansi itu.", "Oslo"),
    ("Mereka meminta agar Hanoi menghentikan dukungan itu.", "Hanoi"),
])
def test_a_capital_the_ner_took_for_an_organisation_is_a_place(text, capital):
    assert _labels(text, [(capital, "ORG")])[capital] == "LOC"


def test_other_organisations_stay_organisations():
    stanza = [("Oslo Energi", "ORG"), ("Hanoi Tech", "ORG")]
    labels = _labels("Saham Oslo Energi naik, kata Direktur Hanoi Tech.", stanza)
    assert labels == {"Oslo Energi": "ORG", "Hanoi Tech": "ORG"}
