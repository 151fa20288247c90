"""Reading back CSV files that went through a spreadsheet.

Spreadsheets change a CSV in ways that are not the reviewer's doing: Excel in
an Indonesian (or any comma-decimal) locale saves ``;``-separated files, Excel
on Windows saves Windows-1252 ("CSV") or tab-separated UTF-16 ("Unicode
Text"), and an ISO date cell comes back as ``15/05/1992``.  This module
undoes what it can and says so, so that a reviewer is never blamed for it.
"""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from pipeline.corpora import data_file
from pipeline.export import unneutralise
from pipeline.review.problems import ReviewError

DELIMITERS = (",", ";", "\t")
ADVICE = "save it from the spreadsheet as 'CSV UTF-8 (comma delimited)'"


@dataclass
class Sheet:
    """The cells of a CSV file (unneutralised), with each row's number as a spreadsheet shows it (header: 1)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    notes: list[str] = field(default_factory=list)


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """The text of a CSV file saved as UTF-8, UTF-16 (with its BOM) or Windows-1252, and a note on the last two."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), [f"{name}: read as UTF-16"]
    if b"\x00" in data:  # UTF-16 without its byte order mark, or not text at all
        raise ReviewError([f"{name}: not a text file in a known encoding; {ADVICE}"])
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), [f"{name}: not UTF-8, read as Windows-1252; {ADVICE} to keep every character"]
    except UnicodeDecodeError:
        raise ReviewError([f"{name}: neither UTF-8, UTF-16 nor Windows-1252; {ADVICE}"]) from None


def delimiter(first_line: str) -> str:
    """The separator of a header line: the one of ``,`` ``;`` tab it holds most of (headers hold no quotes)."""
    return max(DELIMITERS, key=first_line.count)


def read_sheet(path: Path) -> Sheet:
    """A CSV file as a reviewer's spreadsheet saved it, whatever its encoding and separator."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise ReviewError([f"cannot read {path}: {err.strerror or err}"]) from None
    text, notes = decode(data, Path(path).name)
    sep = delimiter(text.split("\n", 1)[0])
    if sep != ",":
        notes.append(f"{Path(path).name}: {'tab' if sep == chr(9) else repr(sep)}-separated, read as such")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header = [unneutralise(h).strip() for h in next(reader, [])]
    rows = [(number, [unneutralise(f) for f in fields]) for number, fields in enumerate(reader, start=2)]
    return Sheet(header, rows, notes)


@lru_cache(maxsize=1)
def _formats() -> tuple[str, ...]:
    lines = data_file("spreadsheet_date_formats.txt").read_text(encoding="utf-8").splitlines()
    return tuple(x for x in lines if x.strip() and not x.startswith("#"))


def reformatted_date(value: str, original: str) -> bool:
    """Whether ``value`` is the ISO date ``original`` as a spreadsheet displays it.

    A spreadsheet stores ``1992`` as a number (unchanged) but ``2023-08`` as the
    first of August, so a month or year value matches the first day of its period.
    """
    if not original or "/" in original or value == original:
        return False
    day = original + {4: "-01-01", 7: "-01"}.get(len(original), "")
    for fmt in _formats():
        try:
            if datetime.strptime(value.strip(), fmt).strftime("%Y-%m-%d") == day:
                return True
        except ValueError:
            continue
    return False
