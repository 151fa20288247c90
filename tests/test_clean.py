"""Boilerplate removal (SPEC.md, Cleaning)."""
import pytest

from pipeline.clean import CleaningError, clean_text


def test_boilerplate_lines_are_removed():
    text = ("Find Us On Social Media :\n\nJudul\n\nParagraf satu.\n\n"
            "Baca Juga: Rudal IRIS-T SLM Bakal Jadi Andalan\n\nParagraf dua.(*)\n")
    cleaned = clean_text(text)
    assert "Find Us" not in cleaned and "Baca Juga" not in cleaned and "IRIS-T" not in cleaned
    assert cleaned.endswith("Paragraf dua.\n")
    assert "Paragraf satu." in cleaned


def test_bare_link_label_drops_the_headline_on_the_next_line():
    cleaned = clean_text("Awal.\nBaca Juga:\nSherpa G20 Indonesia Pimpin Perundingan\nAkhir.\n")
    assert cleaned == "Awal.\nAkhir.\n"


def test_editor_initials_go_but_acronyms_and_credits_stay():
    cleaned = clean_text("Angola keluar dari OPEC. (ros)\nDana Moneter Internasional (IMF)\n(Febrina Ratna)\n")
    assert "(ros)" not in cleaned
    assert "(IMF)" in cleaned and "(Febrina Ratna)" in cleaned


def test_crlf_becomes_newline():
    assert clean_text("Satu.\r\nDua.\r\n") == "Satu.\nDua.\n"


def test_control_characters_go_and_page_breaks_become_line_breaks():
    assert clean_text("Sa\x00tu.\x1b\tDua.\fTiga.\vEmpat.\n") == "Satu.\tDua.\nTiga.\nEmpat.\n"


@pytest.mark.parametrize("text", ["", "   \n\n", "Baca juga: sesuatu\n"])
def test_empty_text_is_an_error(text):
    with pytest.raises(CleaningError, match="empty"):
        clean_text(text)


def test_too_long_text_is_an_error():
    with pytest.raises(CleaningError, match="too long"):
        clean_text("a" * 11, max_chars=10)
