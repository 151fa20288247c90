"""Outlets named as a report's source after an attribution verb (invented sentences)."""
import pytest

from test_gazetteer import after_rule


def _entities(text, stanza):
    return [(e.text, e.label_) for e in after_rule("berita_outlets", text, stanza).ents]


@pytest.mark.parametrize("text,outlet", [
    ("Harga minyak naik, seperti dilansir Harian Kalbar Raya.", "Harian Kalbar Raya"),
    ("Pelatih itu mundur, dikutip dari Gazzetta Sportiva, Senin.", "Gazzetta Sportiva"),
    ("Kabar itu diberitakan kabarsatu.com pagi ini.", "kabarsatu.com"),
    ("Laporan itu dimuat oleh Pos Timur.", "Pos Timur"),
])
def test_the_name_after_an_attribution_verb_is_an_organisation(text, outlet):
    assert (outlet, "ORG") in _entities(text, [])


@pytest.mark.parametrize("text,stanza,kept", [
    ("Pernyataan itu dikutip Senin lalu.", [], []),                                  # a weekday
    ("Pidato itu dikutip Presiden Budi Santoso.", [("Budi Santoso", "PER")],         # the NER's person stays
     [("Budi Santoso", "PER")]),
    ("Seperti dilansir Reuters, harga turun.", [("Reuters", "ORG")], [("Reuters", "ORG")]),
    ("Data itu dikutip dari Malaysia.", [], [("Malaysia", "GPE")]),                  # a known state
    ("Pidato itu dikutip Presiden Budi Santoso.", [], []),                          # an office: a person quoted
    ("Artikel itu dilansir kemarin.", [], []),                                       # no name
])
def test_no_outlet_where_the_words_are_something_else(text, stanza, kept):
    assert _entities(text, stanza) == kept
