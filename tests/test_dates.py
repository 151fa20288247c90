"""Date expressions: the normalisation table of the end-to-end issue."""
from datetime import date

import pytest

from pipeline.dates import anchor, dateline, find_dates, number, resolve_weekday

PUBLISHED = date(2023, 12, 22)  # a Friday

TABLE = [
    ("pada 15 Mei 1992 mereka", "15 Mei 1992", "1992-05-15", "day", "absolute"),
    ("Jakarta, 16/5/2022 - berita", "16/5/2022", "2022-05-16", "day", "absolute"),
    ("Melansir TASS, Senin (16/5/2022), menurut", "Senin (16/5/2022)", "2022-05-16", "day", "absolute"),
    ("pada Sabtu (9/9/23) waktu", "Sabtu (9/9/23)", "2023-09-09", "day", "absolute"),
    ("pada Kamis (21/12) bahwa", "Kamis (21/12)", "2023-12-21", "day", "relative"),
    ("bergabung pada tahun 1993.", "tahun 1993", "1993", "year", "absolute"),
    ("keluar pada 2012.", "2012", "2012", "year", "absolute"),
    ("pada Agustus 2023 lalu", "Agustus 2023", "2023-08", "month", "absolute"),
    ("pada 26-28 Oktober 2025", "26-28 Oktober 2025", "2025-10-26/2025-10-28", "range", "absolute"),
    ("dari 1 Januari hingga 31 Desember 2025", "1 Januari hingga 31 Desember 2025",
     "2025-01-01/2025-12-31", "range", "absolute"),
    ("dari tanggal 26 hingga 28 Oktober", "26 hingga 28 Oktober", "2023-10-26/2023-10-28", "range", "relative"),
    ("Tahun lalu, aliansi", "Tahun lalu", "2022", "year", "relative"),
    ("keputusan bulan lalu untuk", "bulan lalu", "2023-11", "month", "relative"),
    ("produksi tahun depan.", "tahun depan", "2024", "year", "relative"),
    ("sejak Juni lalu.", "Juni lalu", "2023-06", "month", "relative"),
    ("pada hari Senin.", "hari Senin", "2023-12-18", "day", "relative"),
    ("pada Jumat waktu setempat", "Jumat", "2023-12-22", "day", "relative"),
    ("Jakarta, 12-3-2024 -", "12-3-2024", "2024-03-12", "day", "absolute"),
    ("diperbarui 2024-03-12 pukul", "2024-03-12", "2024-03-12", "day", "absolute"),
    ("peristiwa 30 tahun lalu itu", "30 tahun lalu", "1993", "year", "relative"),
    # a weekday followed by its date: the date, not "hari <weekday>" alone
    ("diumumkan pada hari Selasa (12/9) oleh", "Selasa (12/9)", "2023-09-12", "day", "relative"),
    ("diteken pada hari Kamis, (5/10/2023) pagi", "Kamis, (5/10/2023)", "2023-10-05", "day", "absolute"),
    ("dalam rapat hari Senin, 4 Desember 2023.", "Senin, 4 Desember 2023", "2023-12-04", "day", "absolute"),
    ("pada hari Senin, 12 orang", "hari Senin", "2023-12-18", "day", "relative"),
]

# Constructions of issue 13 (item 6), all against PUBLISHED = 2023-12-22.
CONSTRUCTIONS = [
    # "bulan" before a month name; a month without a year is the closest one
    ("diresmikan pada bulan Juli 2019 di", "bulan Juli 2019", "2019-07", "month", "absolute"),
    ("akan dibahas pada bulan Februari.", "bulan Februari", "2024-02", "month", "relative"),
    ("Pada bulan Oktober, pemerintah", "bulan Oktober", "2023-10", "month", "relative"),
    # period modifiers: the month or year at the precision written
    ("dimulai awal Januari untuk", "awal Januari", "2024-01", "month", "relative"),
    ("sejak pertengahan bulan Agustus", "pertengahan bulan Agustus", "2023-08", "month", "relative"),
    ("rampung pada akhir tahun 2026 nanti", "akhir tahun 2026", "2026", "year", "absolute"),
    ("sejak awal 2021, harga", "awal 2021", "2021", "year", "absolute"),
    ("pada pertengahan tahun lalu", "pertengahan tahun lalu", "2022", "year", "relative"),
    ("Hingga akhir tahun depan, proyek", "akhir tahun depan", "2024", "year", "relative"),
    ("dibuka awal bulan depan.", "awal bulan depan", "2024-01", "month", "relative"),
    # a month of a relative year; a month with a relative word
    ("sejak bulan Mei tahun lalu ia", "bulan Mei tahun lalu", "2022-05", "month", "relative"),
    ("digelar Oktober tahun depan.", "Oktober tahun depan", "2024-10", "month", "relative"),
    ("sejak 23 Agustus tahun lalu,", "23 Agustus tahun lalu", "2022-08-23", "day", "relative"),
    ("pada Jumat, 9 Februari tahun depan", "Jumat, 9 Februari tahun depan", "2024-02-09", "day", "relative"),
    ("pada Agustus silam,", "Agustus silam", "2023-08", "month", "relative"),
    ("dirilis Februari mendatang.", "Februari mendatang", "2024-02", "month", "relative"),
    ("ditunda sejak Juni ini.", "Juni ini", "2023-06", "month", "relative"),
    ("dalam rapat bulan kemarin", "bulan kemarin", "2023-11", "month", "relative"),
    # counted relative dates, in digits or number words, at the unit written
    ("dibangun sejak tiga tahun lalu", "tiga tahun lalu", "2020", "year", "relative"),
    ("pindah dua bulan lalu ke", "dua bulan lalu", "2023-10", "month", "relative"),
    ("Lima belas tahun silam, kota itu", "Lima belas tahun silam", "2008", "year", "relative"),
    ("dua puluh lima tahun yang lalu", "dua puluh lima tahun yang lalu", "1998", "year", "relative"),
    ("terpilih setahun lalu", "setahun lalu", "2022", "year", "relative"),
    ("sebulan yang lalu mereka", "sebulan yang lalu", "2023-11", "month", "relative"),
    # a year with a qualifier or a demonstrative
    ("menjelang tahun baru 2024 ini", "tahun baru 2024 ini", "2024", "year", "absolute"),
    ("dalam APBN tahun anggaran 2022", "tahun anggaran 2022", "2022", "year", "absolute"),
    ("dilantik pada tahun 2023 ini, sekaligus", "tahun 2023 ini", "2023", "year", "absolute"),
]


@pytest.mark.parametrize("text,expr,value,granularity,kind", TABLE + CONSTRUCTIONS)
def test_normalisation_table(text, expr, value, granularity, kind):
    found = find_dates(text, PUBLISHED)
    assert [(d.text, d.value, d.granularity, d.kind) for d in found] == [(expr, value, granularity, kind)]
    assert text[found[0].start:found[0].end] == expr


@pytest.mark.parametrize("text", ["peringatan 30 tahun organisasi", "pria berusia 47 tahun itu",
                                  "sebanyak 2020 orang", "selama dua tahun", "sejak 1990-an",
                                  "pada tahun 2000-an", "anak berusia tiga tahun", "selama tiga tahun terakhir",
                                  "dalam lima tahun mendatang", "dalam dua tahun ini", "beberapa tahun lalu",
                                  "puluhan tahun silam", "pada tahun-tahun mendatang", "berbulan-bulan lalu"])
def test_durations_ages_and_counts_are_not_dates(text):
    assert find_dates(text, PUBLISHED) == []


def test_relative_dates_stay_unresolved_without_reference():
    found = find_dates("Tahun lalu dan hari Senin", None)
    assert [(d.text, d.value) for d in found] == [("Tahun lalu", ""), ("hari Senin", "")]
    found = find_dates("tiga tahun lalu, pada bulan Maret tahun lalu dan awal Juni", None)
    assert [(d.text, d.value) for d in found] == [("tiga tahun lalu", ""), ("bulan Maret tahun lalu", ""),
                                                 ("awal Juni", "")]


def test_relative_dates_follow_the_reference():
    found = find_dates("bulan Maret tahun lalu, tiga tahun lalu dan akhir tahun depan", date(2025, 1, 10))
    assert [d.value for d in found] == ["2024-03", "2022", "2026"]


@pytest.mark.parametrize("words,value", [("tiga", 3), ("Sepuluh", 10), ("dua belas", 12), ("dua puluh", 20),
                                         ("dua puluh tiga", 23), ("seratus dua puluh lima", 125), ("30", 30)])
def test_number_words(words, value):
    assert number(words) == value


def test_a_month_without_year_is_anchored_in_the_direction_written():
    june = date(2000, 6, 1)
    assert anchor(june, "month", date(2024, 6, 15), -1) == date(2024, 6, 1)  # "Juni lalu" in June
    assert anchor(june, "month", date(2024, 5, 15), -1) == date(2023, 6, 1)
    assert anchor(june, "month", date(2024, 7, 15), 1) == date(2025, 6, 1)  # "Juni mendatang"
    assert anchor(june, "month", date(2024, 11, 15), 0) == date(2024, 6, 1)  # "Juni ini"
    assert anchor(june, "month", date(2024, 11, 15)) == date(2024, 6, 1)  # closest
    assert anchor(june, "month", date(2024, 12, 15)) == date(2024, 6, 1)  # a tie goes to the past


def test_29_february_without_a_leap_year_nearby_stays_unresolved():
    assert [(d.text, d.value) for d in find_dates("pada 29 Februari lalu", date(2022, 6, 1))] == [("29 Februari", "")]
    found = find_dates("pada 29 Februari tahun lalu", date(2024, 6, 1))
    assert [(d.text, d.value) for d in found] == [("29 Februari tahun lalu", "")]


def test_weekday_means_the_day_itself_or_the_past_week():
    monday = date(2022, 5, 16)
    assert resolve_weekday(0, monday) == monday
    assert resolve_weekday(4, monday) == date(2022, 5, 13)
    assert resolve_weekday(0, monday, "lalu") == date(2022, 5, 9)


def test_dateline_is_the_first_full_date():
    assert dateline("Judul\n\nMelansir TASS, Senin (16/5/2022), pada tahun 2020 dan 15 Mei 1992") == "2022-05-16"
    assert dateline("Tanpa tanggal pada tahun 2020.") == ""
