"""Date expressions: the normalisation table of the end-to-end issue."""
from datetime import date

import pytest

from pipeline.dates import dateline, find_dates, resolve_weekday

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


@pytest.mark.parametrize("text,expr,value,granularity,kind", TABLE)
def test_normalisation_table(text, expr, value, granularity, kind):
    found = find_dates(text, PUBLISHED)
    assert [(d.text, d.value, d.granularity, d.kind) for d in found] == [(expr, value, granularity, kind)]
    assert text[found[0].start:found[0].end] == expr


@pytest.mark.parametrize("text", ["peringatan 30 tahun organisasi", "pria berusia 47 tahun itu",
                                  "sebanyak 2020 orang", "selama dua tahun", "sejak 1990-an",
                                  "pada tahun 2000-an"])
def test_durations_ages_and_counts_are_not_dates(text):
    assert find_dates(text, PUBLISHED) == []


def test_relative_dates_stay_unresolved_without_reference():
    found = find_dates("Tahun lalu dan hari Senin", None)
    assert [(d.text, d.value) for d in found] == [("Tahun lalu", ""), ("hari Senin", "")]


def test_weekday_means_the_day_itself_or_the_past_week():
    monday = date(2022, 5, 16)
    assert resolve_weekday(0, monday) == monday
    assert resolve_weekday(4, monday) == date(2022, 5, 13)
    assert resolve_weekday(0, monday, "lalu") == date(2022, 5, 9)


def test_dateline_is_the_first_full_date():
    assert dateline("Judul\n\nMelansir TASS, Senin (16/5/2022), pada tahun 2020 dan 15 Mei 1992") == "2022-05-16"
    assert dateline("Tanpa tanggal pada tahun 2020.") == ""
