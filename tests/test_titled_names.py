"""People named after an office and a state or organisation (invented sentences)."""
import pytest

from helpers import annotate_text
from test_gazetteer import after_rule


@pytest.mark.parametrize("text,person", [
    ("Presiden Kirgistan Almazbek Atambayev tiba di Bishkek.", "Almazbek Atambayev"),
    ("Perdana Menteri (PM) Estonia Kaja Kallas menolak usul itu.", "Kaja Kallas"),
    ("Menteri Luar Negeri Peru Javier González-Olaechea berbicara.", "Javier González-Olaechea"),
    ("Sekjen NATO Mark Rutte membuka pertemuan.", "Mark Rutte"),
    ("Kata pemimpin Korea Utara Kim Jong Un kepada wartawan.", "Kim Jong Un"),
    ("Presiden Portugal Marcelo Rebelo de Sousa menerima tamu.", "Marcelo Rebelo de Sousa"),
])
def test_the_name_after_an_office_and_a_state_is_a_person(text, person):
    doc = annotate_text(text)
    assert (person, "PER") in [(e.text, e.label_) for e in doc.ents]


@pytest.mark.parametrize("text,stanza,person", [
    ("Presiden Finlandia, Aino Virtanen, dan Presiden Rusia tiba.", [], "Aino Virtanen"),
    ("Hal itu disampaikan Menteri Luar Negeri Peru, Ana Cecilia Gervasi.", [], "Ana Cecilia Gervasi"),
    ("Sekjen NATO, Mark Rutte (kiri), tiba.", [("Mark", "PER")], "Mark Rutte"),
])
def test_a_name_set_off_by_commas_after_office_and_state_is_a_person(text, stanza, person):
    doc = after_rule("berita_titled_names", text, stanza)
    assert (person, "PER") in [(e.text, e.label_) for e in doc.ents]


@pytest.mark.parametrize("text", [
    "Presiden Rusia, Senin, mengatakan bahwa perang usai.",               # a weekday after the comma
    "Menteri Luar Negeri Iran, Irak dan Suriah bertemu.",                 # a list of states
    "Presiden Prancis, Emmanuel Macron dan pejabat lain tiba.",           # the apposition does not close
])
def test_no_person_after_a_comma_that_opens_no_apposition(text):
    doc = after_rule("berita_titled_names", text, [])
    assert [e for e in doc.ents if e.label_ == "PER"] == []


def test_a_name_that_stanza_joined_to_the_state_is_given_back():
    doc = after_rule("berita_titled_names", "Presiden Mongolia Ukhnaa Khurelsukh datang.",
                     [("Mongolia Ukhnaa Khurelsukh", "PER")])
    assert [(e.text, e.label_) for e in doc.ents] == [("Mongolia", "GPE"), ("Ukhnaa Khurelsukh", "PER")]


@pytest.mark.parametrize("text,stanza,expected", [
    ("Presiden Kolombia Gustavo Petro Urrego tiba.", [("Gustavo", "PER"), ("Petro Urrego", "PER")],
     [("Kolombia", "GPE"), ("Gustavo Petro Urrego", "PER")]),
    ("Presiden Brasil Lula da Silva tiba.", [("Brasil Lula da Silva", "PER")],
     [("Brasil", "GPE"), ("Lula da Silva", "PER")]),
    ("Menlu Chile Alberto van Klaveren datang.", [("Alberto van Klaveren", "PER")],
     [("Chile", "GPE"), ("Alberto van Klaveren", "PER")]),
])
def test_pieces_of_the_name_become_the_whole_name(text, stanza, expected):
    doc = after_rule("berita_titled_names", text, stanza)
    assert [(e.text, e.label_) for e in doc.ents] == expected


@pytest.mark.parametrize("text", [
    "Presiden AS Senin (3/2) menandatangani aturan itu.",        # a weekday, not a name
    "Pasukan Rusia Dan Ukraina bertempur lagi.",                 # no office; a capitalised conjunction
    "Duta Besar Indonesia untuk Rusia datang.",                  # a lower-case word after the state
    "Pelatih AS Roma memuji pemainnya.",                         # a capital city after the state
    "Presiden Brasil. Luiz datang kemudian.",                    # the next sentence
    "Presiden Peru di Lima menolak.",                            # a preposition is no particle
])
def test_no_person_without_a_name_right_after_office_and_state(text):
    doc = annotate_text(text)
    assert not [e for e in doc.ents if e.label_ == "PER"]
