"""Rules that read a name against the article's other entities (invented sentences).

``person_mentions``: a person named in full, then by the last name alone;
``glued_names``: an organisation or team glued to a person's name.
"""
import re

import pytest

from test_gazetteer import rules_nlp

MARK = re.compile(r"\[([^\]]+)\]\((\w+)\)")


def _labels(marked: str, component: str = "berita_person_mentions") -> list[tuple[str, str]]:
    """Run ``component`` on ``marked``, whose ``[words](LABEL)`` are the NER's entities; (text, label) after it."""
    from pipeline.annotate import rules_pipeline

    nlp = rules_nlp()
    text, spans, shift = "", [], 0
    for match in MARK.finditer(marked):
        text += marked[shift:match.start()]
        spans.append((len(text), len(text) + len(match[1]), match[2]))
        text += match[1]
        shift = match.end()
    doc = nlp.make_doc(text + marked[shift:])
    doc.ents = [doc.char_span(start, end, label=label) for start, end, label in spans]
    doc = nlp.get_pipe("berita_gazetteer")(doc)
    doc = rules_pipeline().get_pipe(component)(doc)
    return [(e.text, e.label_) for e in doc.ents]


@pytest.mark.parametrize("marked,name", [
    ("Pembalap [Marko Hellstrom](PER) memimpin sejak awal. [Hellstrom](ORG) unggul dua detik.", "Hellstrom"),
    ("[Okafor](ORG) resmi pindah. Penyerang [Daniel Okafor](PER) meneken kontrak tiga tahun.", "Okafor"),
    ("Penyanyi [Lena Brandt](PER) tiba di Jakarta. Konser [Brandt](LOC) digelar Sabtu.", "Brandt"),
    ("Gelandang [Luis da Costa](PER) cedera. Pelatih menyebut [Costa](ORG) absen sebulan.", "Costa"),
])
def test_the_last_name_of_a_person_in_the_article_is_that_person(marked, name):
    labels = _labels(marked)
    assert (name, "PER") in labels and all(label == "PER" for text, label in labels if text == name)


@pytest.mark.parametrize("marked,name", [
    # an acronym glued to a name is an organisation
    ("Pelatih [Andi Wirawan PSMB](PER) hadir. [PSMB](ORG) menang 2-0.", "PSMB"),
    # a team glued after a full name that is a PER entity on its own
    ("[Jonas Keller](PER) juara lagi. Pembalap [Jonas Keller Rossano](PER) start dari depan. [Rossano](ORG) senang.",
     "Rossano"),
    # a first word lends nothing: the NER glues clubs before names
    ("Gelandang [Arema Hendro](PER) mencetak gol. [Arema](ORG) memimpin klasemen.", "Arema"),
    # a name of two words or more that is not one word of a full name
    ("Pemain [Ivan Kovac](PER) bergabung dengan [Kovac Motors](ORG) sebagai duta.", "Kovac Motors"),
    # no full name in the article
    ("[Ferrand](ORG) menang di kandang.", "Ferrand"),
])
def test_other_entities_keep_their_label(marked, name):
    assert dict(_labels(marked))[name] != "PER"


def test_a_known_state_is_never_a_persons_name():
    labels = _labels("Atlet [Rahmat Malaysia](PER) tampil. [Malaysia](ORG) meraih emas.")
    assert ("Malaysia", "PER") not in labels


@pytest.mark.parametrize("marked,parts", [
    ("Gelandang [Persiba Yusuf](PER) mencetak gol. [Persiba](ORG) menang, dan [Yusuf](PER) senang.",
     [("Persiba", "ORG"), ("Yusuf", "PER")]),
    ("Direktur [PT Sinar Tani Budi Hartono](PER) hadir. [PT Sinar Tani](ORG) untung. [Budi Hartono](PER) puas.",
     [("PT Sinar Tani", "ORG"), ("Budi Hartono", "PER")]),
    ("3. [Marko Hellstrom Vantera](PER) + 1,2 detik. [Vantera](ORG) kecewa. [Marko Hellstrom](PER) finis ketiga.",
     [("Marko Hellstrom", "PER"), ("Vantera", "ORG")]),
    ("Gubernur [Kalimaya Rudi Santoso](PER) datang. Banjir melanda [Kalimaya](LOC). [Rudi Santoso](PER) prihatin.",
     [("Kalimaya", "LOC"), ("Rudi Santoso", "PER")]),
])
def test_an_organisation_glued_to_a_name_is_cut_off(marked, parts):
    labels = _labels(marked, "berita_glued_names")
    assert all(part in labels for part in parts)
    assert " ".join(text for text, _ in parts) not in dict(labels)


@pytest.mark.parametrize("marked,name", [
    # the surname alone tagged ORG is the person's (person_mentions), not a team after a given name
    ("Penyanyi [Lena Brandt](PER) tiba. [Brandt](ORG) bernyanyi. [Lena](PER) tersenyum.", "Lena Brandt"),
    # halves that are not both entities of the article
    ("Gelandang [Persiba Yusuf](PER) mencetak gol. [Persiba](ORG) menang.", "Persiba Yusuf"),
    ("[Ivan Kovac](PER) menang. [Kovac](PER) senang.", "Ivan Kovac"),
])
def test_names_without_an_entity_glued_on_stay_whole(marked, name):
    assert dict(_labels(marked, "berita_glued_names"))[name] == "PER"
