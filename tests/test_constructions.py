"""Membership constructions of Indonesian, one invented sentence (or two) each.

Every sentence here is made up for the construction it shows (docs/claims.md lists
them); none is copied from the dev set.  Claims are (member, organisation,
relation, date, negated).
"""
from datetime import date

import pytest

from helpers import annotate_text, claims

PUBLISHED = date(2024, 6, 1)

CONSTRUCTIONS = {
    # member lists, whatever introduces them
    "list after yakni": (
        "Saat ini SCO memiliki sembilan negara anggota, yakni China, India, Iran, dan Pakistan.",
        {("CHN", "SCO", "member", None, False), ("IND", "SCO", "member", None, False),
         ("IRN", "SCO", "member", None, False), ("PAK", "SCO", "member", None, False)}),
    "list after the organisation and yaitu": (
        "Pertemuan itu dihadiri 12 dari 15 negara anggota ECOWAS, yaitu Ghana, Senegal, dan Togo.",
        {("GHA", "ECOWAS", "member", None, False), ("SEN", "ECOWAS", "member", None, False),
         ("TGO", "ECOWAS", "member", None, False)}),
    "list after mencakup and a reference": (
        "ASEAN bertemu di Jakarta. Selain Jepang, blok ini juga mencakup Kanada, Cile, dan Peru.",
        {("CAN", "ASEAN", "member", None, False), ("CHL", "ASEAN", "member", None, False),
         ("PER", "ASEAN", "member", None, False)}),
    "list after seperti": (
        "Harga minyak tertekan pasokan dari anggota OPEC seperti Libya dan Nigeria.",
        {("LBY", "OPEC", "member", None, False), ("NGA", "OPEC", "member", None, False)}),
    "list in a parenthesis": (
        "Kesepakatan dicapai enam negara Teluk (Arab Saudi, Kuwait, Bahrain, Qatar, Oman, dan Uni Emirat Arab) "
        "yang tergabung dalam GCC.",
        {(m, "GCC", "member", None, False) for m in ("SAU", "KWT", "BHR", "QAT", "OMN", "ARE")}),
    "a membership noun heads its own phrase": (
        "Dengan bergabungnya Indonesia, anggota BRICS kini berjumlah sepuluh.",
        {("IDN", "BRICS", "joined", None, False)}),
    "co-subjects with bersama": (
        "Mesir, bersama Iran dan Etiopia, resmi bergabung dengan BRICS.",
        {(m, "BRICS", "joined", None, False) for m in ("EGY", "IRN", "ETH")}),
    "apposition": (
        "GCC bertemu di Riyadh. Anggota lainnya, Kuwait dan Oman, menolak usulan itu.",
        {("KWT", "GCC", "member", None, False), ("OMN", "GCC", "member", None, False)}),
    "members' group between the trigger and the list": (
        "Bank itu didirikan oleh negara-negara ASEAN yakni Indonesia, Malaysia, dan Thailand.",
        {("IDN", "ASEAN", "member", None, False), ("MYS", "ASEAN", "member", None, False),
         ("THA", "ASEAN", "member", None, False)}),
    "list with a misspelt name": (
        "Gabon dan Tago menjadi anggota Persemakmuran.",
        {("GAB", "Commonwealth", "joined", None, False), ("TGO", "Commonwealth", "joined", None, False)}),
    "list with formal state names": (
        "Burkina Faso, Republik Mali, dan Republik Niger keluar dari ECOWAS.",
        {("BFA", "ECOWAS", "left", None, False), ("MLI", "ECOWAS", "left", None, False),
         ("NER", "ECOWAS", "left", None, False)}),
    # founders
    "founding composition": (
        "APEC dibentuk di Canberra pada 7 November 1989, terdiri atas dua belas negara yakni Australia, Jepang, "
        "dan Kanada, yang kesemuanya merupakan anggota OECD.",
        {("AUS", "APEC", "founder", "1989-11-07", False), ("JPN", "APEC", "founder", "1989-11-07", False),
         ("CAN", "APEC", "founder", "1989-11-07", False), ("AUS", "OECD", "member", None, False),
         ("JPN", "OECD", "member", None, False), ("CAN", "OECD", "member", None, False)}),
    "founders after digagas oleh": (
        "Forum itu, yakni IORA, digagas oleh India dan Afrika Selatan.",
        {("IND", "IORA", "founder", None, False), ("ZAF", "IORA", "founder", None, False)}),
    # status relations
    "joined with a partner status": (
        "Ghana resmi bergabung dengan BRICS dengan status sebagai negara mitra.",
        {("GHA", "BRICS", "partner", None, False)}),
    "joining the ranks of partners": (
        "Ghana telah menjadi mitra resmi BRICS, bergabung dengan Bolivia, Kuba, dan Uganda.",
        {(m, "BRICS", "partner", None, False) for m in ("GHA", "BOL", "CUB", "UGA")}),
    "joining the ranks of members": (
        "Kenya menjadi anggota penuh SCO dan bergabung dengan negara-negara seperti Rusia dan China.",
        {("KEN", "SCO", "joined", None, False), ("RUS", "SCO", "member", None, False),
         ("CHN", "SCO", "member", None, False)}),
    "observer status": (
        "Timor Leste saat ini telah berstatus sebagai pengamat di ASEAN.",
        {("TLS", "ASEAN", "observer", None, False)}),
    "invitation accepted": (
        "Meksiko menerima undangan untuk bergabung dengan OPEC.",
        {("MEX", "OPEC", "invited", None, False)}),
    "membership ended": (
        "Keanggotaan Rusia di Dewan Eropa berakhir pada Maret 2022.",
        {("RUS", "Council of Europe", "left", "2022-03", False)}),
    "withdrawal as a noun after its subject": (
        "Burkina Faso, Mali, dan Niger mengumumkan penarikan diri dari ECOWAS pada Januari 2024.",
        {(m, "ECOWAS", "left", "2024-01", False) for m in ("BFA", "MLI", "NER")}),
    # subjects across words and punctuation
    "subject of a wish carried to a negated verb": (
        "Ukraina ingin bergabung dengan NATO, tetapi belum diterima sebagai anggota.",
        {("UKR", "NATO", "joined", None, True)}),
    "comma-enclosed apposition of the subject": (
        "Mauritania, negara gurun di pantai barat Afrika, akhirnya bergabung dengan ECOWAS pada 2024.",
        {("MRT", "ECOWAS", "joined", "2024", False)}),
    "acronym in a parenthesis after the subject": (
        "Papua Nugini (PNG) resmi bergabung dengan APEC.",
        {("PNG", "APEC", "joined", None, False)}),
    "fronted adverbial clause, subject after the comma": (
        "Sejak bergabung dengan WTO pada 2001, China terus tumbuh.", {("CHN", "WTO", "joined", "2001", False)}),
    "expelled": (
        "Rusia dikeluarkan dari Dewan Eropa pada Maret 2022.",
        {("RUS", "Council of Europe", "left", "2022-03", False)}),
    "permanent members after adalah": (
        "Anggota tetap Dewan Keamanan PBB adalah Amerika Serikat, Rusia, China, Inggris, dan Prancis.",
        {(m, "UNSC", "member", None, False) for m in ("USA", "RUS", "CHN", "GBR", "FRA")}),
    "sama-sama anggota": (
        "Iran dan Arab Saudi sama-sama anggota OPEC.",
        {("IRN", "OPEC", "member", None, False), ("SAU", "OPEC", "member", None, False)}),
    "ordinal relative clause": (
        "Chad menjadi negara keempat yang keluar dari ECOWAS, setelah Mali dan Niger.",
        {("TCD", "ECOWAS", "left", None, False), ("MLI", "ECOWAS", "left", None, False),
         ("NER", "ECOWAS", "left", None, False)}),
    # references
    "a capital standing for its state as a member": (
        "Stockholm resmi bergabung dengan NATO pada 2024.", {("SWE", "NATO", "joined", "2024", False)}),
    "a capital as a place is no member": (
        "NATO bersidang. Presiden Jokowi meninggalkan Jakarta menuju Brussel.", set()),
    "the same act, later": (
        "Angola keluar dari OPEC pada 2023. Sebelumnya, Qatar telah melakukan hal yang sama pada tahun 2019.",
        {("AGO", "OPEC", "left", "2023", False), ("QAT", "OPEC", "left", "2019", False)}),
    "counted reference to a list of states": (
        "Aljazair dan Tunisia bergabung dengan Uni Afrika pada 1963. Kedua negara Maghribi tersebut keluar dari "
        "ECOWAS pada 2000.",
        {("DZA", "AU", "joined", "1963", False), ("TUN", "AU", "joined", "1963", False),
         ("DZA", "ECOWAS", "left", "2000", False), ("TUN", "ECOWAS", "left", "2000", False)}),
    "organisation left unsaid continues the sentence before": (
        "Uni Afrika menggelar KTT. Kemudian menambahkan Maroko pada 2017.",
        {("MAR", "AU", "joined", "2017", False)}),
    "list after a date": (
        "BRICS kini beranggotakan sepuluh negara setelah empat negara lain bergabung pada tahun 2024, yaitu "
        "Mesir dan Iran.",
        {("EGY", "BRICS", "joined", "2024", False), ("IRN", "BRICS", "joined", "2024", False)}),
    "relative clause of the subject, its negation its own": (
        "Jepang, yang semula menolak usulan itu, akhirnya bergabung dengan AIIB.",
        {("JPN", "AIIB", "joined", None, False)}),
    "gapped verb with dates of its own": (
        "Vietnam bergabung dengan ASEAN pada 1995, Laos dan Myanmar pada 1997, dan Kamboja pada 1999.",
        {("VNM", "ASEAN", "joined", "1995", False), ("LAO", "ASEAN", "joined", "1997", False),
         ("MMR", "ASEAN", "joined", "1997", False), ("KHM", "ASEAN", "joined", "1999", False)}),
    "a verb of its own is no gapping": (
        "Vietnam bergabung dengan ASEAN pada 1995, Laos menolak pada 1997.",
        {("VNM", "ASEAN", "joined", "1995", False)}),
    "list after antara lain past a comma": (
        "BRICS kini beranggotakan sepuluh negara, antara lain Brasil, Rusia, dan India.",
        {(m, "BRICS", "member", None, False) for m in ("BRA", "RUS", "IND")}),
    "a decision reaches across a list": (
        "Keputusan Burkina Faso, Mali, dan Niger untuk keluar dari ECOWAS berlaku efektif.",
        {(m, "ECOWAS", "left", None, False) for m in ("BFA", "MLI", "NER")}),
    # dates that belong to the claim
    "date carried by hal ini from the next sentence": (
        "Niger keluar dari ECOWAS. Blok itu mengumumkan hal ini pada Rabu, 29 Januari 2025.",
        {("NER", "ECOWAS", "left", "2025-01-29", False)}),
    "a next sentence with a claim of its own keeps its date": (
        "Niger keluar dari ECOWAS. Mali bergabung dengan OPEC pada 2020 dan hal ini terjadi pada 2021.",
        {("NER", "ECOWAS", "left", None, False), ("MLI", "OPEC", "joined", "2020", False)}),
    "a next sentence that does not refer back": (
        "Niger keluar dari ECOWAS. Hujan turun pada 2021.", {("NER", "ECOWAS", "left", None, False)}),
    # what is not a claim
    "nothing named, nothing claimed": (
        "Harga minyak naik. Sementara Angola keluar dari gedung itu pada 2023.", set()),
    "a subject with a verb of its own after setelah": (
        "Chad keluar dari ECOWAS, setelah Rusia menyerang Mali.", {("TCD", "ECOWAS", "left", None, False)}),
    "organisation of a membership noun is not a member": (
        "Anggota G20 sebelum Uni Afrika bergabung adalah negara-negara besar.",
        {("AU", "G20", "joined", None, False)}),
    "a state and an organisation after a bare comma are not one list": (
        "G7 bertemu. Sebelum bergabungnya Meksiko, APEC mencakup banyak negara.",
        {("MEX", "APEC", "joined", None, False)}),
    "an organisation joins only what its own clause names": (
        "BRICS bertemu di Kazan. Pemerintah memutuskan untuk bergabung dengan Bank Pembangunan Baru.", set()),
    "another sense of mitra": (
        "Vietnam menjadi mitra dagang utama ASEAN.", set()),
    "ambiguous acronym without its organisation": (
        "Pesawat TNI AU menjadi anggota G20.", set()),
    "proposal": (
        "Presiden mengusulkan agar Papua Nugini menjadi anggota ASEAN.", set()),
    "enabling is not joining": (
        "Parlemen meratifikasi aturan yang memungkinkan Swedia bergabung dengan NATO.", set()),
    "reluctance negates": (
        "Turki masih ogah-ogahan menerima Swedia menjadi anggota NATO.",
        {("SWE", "NATO", "joined", None, True)}),
    "an application named as a noun": (
        "Aktivis memprotes pengajuan Turki menjadi anggota Uni Eropa.", {("TUR", "EU", "applied", None, False)}),
    "leaving a part of the organisation": (
        "Survei itu menunjukkan Inggris akan meninggalkan pasar tunggal Uni Eropa.", set()),
    "leaving a part with the organisation unsaid": (
        "Uni Eropa bersidang. Partai itu membawa Inggris keluar dari pasar tunggal dan serikat pabean.", set()),
    "leaving a building": (
        "Delegasi Kenya keluar dari gedung PBB.", set()),
    "agreement to a future membership": (
        "Para menteri NATO setuju Georgia menjadi anggota.", set()),
    "a decision taken is reported as done": (
        "Parlemen Hungaria memutuskan untuk menarik diri dari ICC.", {("HUN", "ICC", "left", None, False)}),
}


@pytest.mark.parametrize("name", CONSTRUCTIONS)
def test_construction(name):
    text, expected = CONSTRUCTIONS[name]
    assert claims(annotate_text(text, PUBLISHED)) == expected


FAMILIES = {
    "noun of the daftar family": ("Pendaftaran Vietnam ke APEC diterima pada 1998.",
                                  ("VNM", "APEC", "applied", "1998", False)),
    "passive of the daftar family": ("Mesir telah didaftarkan ke BRICS.", ("EGY", "BRICS", "applied", None, False)),
    "noun of the gabung family": ("Penggabungan Kroasia ke Uni Eropa berlangsung pada 2013.",
                                  ("HRV", "EU", "joined", "2013", False)),
}


@pytest.mark.parametrize("name", FAMILIES)
def test_trigger_family_through_lemmas(name):
    """Forms no surface rule lists, found through Stanza's lemma and the word's affixes."""
    from helpers import annotate_with_stanza

    text, expected = FAMILIES[name]
    assert expected in claims(annotate_with_stanza(text, PUBLISHED))
