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


@pytest.mark.parametrize("line", [
    "Baca juga: Harga Cabai Naik Jelang Lebaran",
    "BACA JUGA : Harga Cabai Naik Jelang Lebaran",
    "[Baca juga: Harga Cabai Naik Jelang Lebaran]",
    "(Baca Juga: Harga Cabai Naik Jelang Lebaran)",
    "SIMAK JUGA - Harga Cabai Naik Jelang Lebaran",
    "Lihat juga: Harga Cabai Naik Jelang Lebaran |",
    "Baca: Harga Cabai Naik Jelang Lebaran",
    "Baca_Juga",
    'Simak Video "Pasar Tradisional Mulai Ramai"',
    "Artikel terkait: Harga Cabai Naik",
    "Berita Terkait",
    "Pilihan Editor: Harga Cabai Naik",
    "Artikel ini telah tayang di Contoh.com dengan judul Harga Cabai Naik",
])
def test_link_lines_of_every_style_go(line):
    assert clean_text(f"Awal berita.\n{line}\nAkhir berita.\n") == "Awal berita.\nAkhir berita.\n"


def test_a_bare_link_label_before_a_paragraph_keeps_the_paragraph():
    text = "Awal.\nBaca juga:\nPetani di Desa Sukamaju mulai panen, kata kepala desa.\n"
    assert clean_text(text) == "Awal.\nPetani di Desa Sukamaju mulai panen, kata kepala desa.\n"


@pytest.mark.parametrize("line", [
    "ADVERTISEMENT", "Advertisement", "- Iklan -", "SCROLL TO CONTINUE WITH CONTENT", "Scroll untuk melanjutkan",
    "Lanjutkan membaca artikel di bawah", "Baca berita tanpa iklan. Gabung Contoh.com+", "[Gambas:Video Contoh]",
    "Dapatkan update berita pilihan setiap hari dari Contoh.com di Google News",
    "Simak breaking news langsung di ponselmu lewat WhatsApp Channel Contoh",
    "Bagikan:", "Share this article", "Bagikan ke:", "Salin link", "Facebook Twitter WhatsApp Telegram",
    "Copyright © Contoh Media 2024", "Foto: Shutterstock", "ANTARA FOTO/Budi Santoso",
])
def test_advertising_scroll_share_and_credit_lines_go(line):
    assert clean_text(f"Awal berita.\n{line}\nAkhir berita.\n") == "Awal berita.\nAkhir berita.\n"


@pytest.mark.parametrize("line,kept", [
    ("Hujan turun di Bogor. (ros)", "Hujan turun di Bogor."),
    ("Hujan turun di Bogor. (Ran)", "Hujan turun di Bogor."),
    ("Hujan turun di Bogor.(nvc/ita)", "Hujan turun di Bogor."),
    ("Hujan turun di Bogor. (abc / xyz)", "Hujan turun di Bogor."),
    ("Hujan turun di Bogor. [ros]", "Hujan turun di Bogor."),
    ("Hujan turun di Bogor. (Abc/xyz)", "Hujan turun di Bogor."),
    ("Hujan turun di Bogor. (T.A012/B034)", "Hujan turun di Bogor."),
    ("Warga menonton parade (Foto: Dok. Panitia)", "Warga menonton parade"),
    ("Warga menonton parade. (REUTERS/Budi Santoso)", "Warga menonton parade."),
    ("Warga menonton parade (ANTARA FOTO/Budi Santoso).", "Warga menonton parade."),
    ("Warga menonton parade. (dok. Humas Pemkot)", "Warga menonton parade."),
])
def test_editor_initials_and_photo_credits_are_cut_from_the_line(line, kept):
    assert clean_text(f"{line}\nAkhir.\n") == f"{kept}\nAkhir.\n"


@pytest.mark.parametrize("line", [
    "Dana Moneter Internasional (IMF)", "Presiden bertemu pejabat (Iran)", "Amerika Serikat (AS/USA)",
    "Vaksin (COVID-19) tiba", "Organisasi itu (Ran) bertemu.", "Perserikatan Bangsa-Bangsa (PBB/UN)",
    "Kerusakan parah. (Antara / Reuters)",
])
def test_acronyms_countries_and_sources_in_brackets_stay(line):
    assert clean_text(line + "\n") == line + "\n"
