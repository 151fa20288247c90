"""A state's own bodies as one organisation (invented sentences)."""
import pytest

from helpers import annotate_text
from pipeline.rules.gazetteer import MENTIONS
from test_gazetteer import _with_stanza_entities


@pytest.mark.parametrize("text,stanza,body", [
    ("Kata Kementerian Energi Brasil kemarin.", [("Brasil", "LOC")], "Kementerian Energi Brasil"),
    ("Kedutaan Besar Jepang di Jakarta tutup.", [("Kedutaan Besar", "ORG"), ("Jepang", "LOC")], "Kedutaan Besar Jepang"),
    ("Angkatan Udara Israel menyerang.", [], "Angkatan Udara Israel"),
])
def test_a_body_named_with_its_state_last_is_one_organisation(text, stanza, body):
    doc = _with_stanza_entities(text, stanza)
    from pipeline.annotate import rules_pipeline

    doc = rules_pipeline().get_pipe("berita_state_bodies")(doc)
    assert (body, "ORG") in [(e.text, e.label_) for e in doc.ents]
    assert body.split()[-1] in [m.text for m in doc.spans[MENTIONS]]


@pytest.mark.parametrize("text", [
    "Delegasi Brasil tiba di Kementerian kemarin.",      # no head word right before the state
    "Kementerian itu memuji Brasil.",                    # a lower-case word between
])
def test_no_body_without_its_head_word_right_before_the_state(text):
    doc = annotate_text(text)
    assert not [e for e in doc.ents if e.label_ == "ORG" and e.text.startswith("Kementerian")]
