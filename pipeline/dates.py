"""Indonesian date expressions: find them, normalise them at the precision written.

Patterns are regular expressions over the text (``data/date_patterns.tsv``),
not over tokens: the statistical tokenizer may cut ``16/5/2022`` into
``16/5`` + ``/2022``.  Each match is mapped to tokens with
``Doc.char_span(alignment_mode="expand")`` only to know its sentence; the
record keeps the exact characters.  dateparser normalises what is written
absolutely (month names, numeric dates, years); a date written without a year
gets the year from ``published`` (see :func:`anchor`).  Relative dates
(``tahun lalu``, ``tiga tahun silam``, ``Maret tahun lalu``) are counted from
``published`` here, at the unit written, because dateparser knows only some of
their words; weekdays are resolved here too (see :func:`resolve_weekday`).
Durations and ages (``30 tahun``, ``selama tiga tahun``) match no pattern.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.corpora import read_table

GRANULARITY = {"day": "day", "month": "month", "year": "year"}


@dataclass
class DateMention:
    """One date expression with its normalised value."""

    text: str
    start: int
    end: int
    value: str
    granularity: str
    kind: str
    span: Span | None = None


@lru_cache(maxsize=1)
def calendar() -> dict[str, tuple[str, int]]:
    """Calendar word -> (kind, number): months, weekdays, period modifiers, relative words, units."""
    return {word: (kind, int(number)) for word, kind, number in read_table("calendar.tsv")}


@lru_cache(maxsize=1)
def number_words() -> dict[str, tuple[str, int]]:
    """Number word -> (op, value), read by :func:`number`."""
    return {word: (op, int(value)) for word, op, value in read_table("number_words.tsv")}


def number(words: str) -> int:
    """Digits or Indonesian number words as an int (``dua puluh tiga`` -> 23).

    ``times`` words multiply the word before them, which was already added once.
    """
    if words.isdigit():
        return int(words)
    total = last = 0
    for word in words.lower().split():
        op, value = number_words()[word]
        total += last * (value - 1) if op == "times" else value
        last = 0 if op == "times" else value
    return total


def _words(words: Iterable[str]) -> str:
    """Regex alternation, longest first; a lower-case word may also start a sentence.

    The alternation is guarded by a lookahead on the words' first letters: one
    character test lets the regex engine skip most positions without trying
    every word (about a tenth of the patterns' scanning time).
    """
    def one(word: str) -> str:
        if word[0].islower():
            return f"[{word[0].upper()}{word[0]}]{re.escape(word[1:])}"
        return re.escape(word)
    ordered = sorted(words, key=len, reverse=True)
    first = "".join(sorted({c for w in ordered for c in (w[0], w[0].upper())}))
    return f"(?=[{re.escape(first)}])(?:" + "|".join(one(w) for w in ordered) + ")"


def _alternation(kind: str, keep: Callable[[int], bool] = lambda number: True) -> str:
    """The calendar words of one kind (and number, e.g. past relative words) as a regex."""
    return _words(w for w, (k, n) in calendar().items() if k == kind and keep(n))


@lru_cache(maxsize=1)
def patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """Compiled date patterns, by name."""
    parts = {
        "DAY": r"(?:3[01]|[12]\d|0?[1-9])", "NUMMONTH": r"(?:1[0-2]|0?[1-9])",
        "YEAR": r"(?:19|20)\d{2}", "YEAR2": r"(?:(?:19|20)\d{2}|\d{2})",
        "MONTH": _alternation("month"), "WEEKDAY": _alternation("weekday"),
        "PERIOD": _alternation("period"), "UNIT": _alternation("unit"),
        "RELATIVE": _alternation("relative"), "PAST": _alternation("relative", lambda offset: offset < 0),
        "AHEAD": _alternation("relative", lambda offset: offset >= 0),
        "NUMBER": f"{_words(number_words())}(?:\\s+{_words(number_words())})*",
    }
    compiled = []
    for name, template in read_table("date_patterns.tsv"):
        regex = re.sub(r"\{(\w+)\}", lambda m: parts[m.group(1)], template)
        compiled.append((name, re.compile(regex)))
    return tuple(compiled)


@lru_cache(maxsize=256)
def _parser(reference: date | None):
    from dateparser.date import DateDataParser

    settings = {"DATE_ORDER": "DMY", "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": False}
    if reference:
        settings["RELATIVE_BASE"] = datetime(reference.year, reference.month, reference.day)
    return DateDataParser(languages=["id"], settings=settings)


def parse(text: str, reference: date | None) -> tuple[date | None, str]:
    """(date, granularity) of one expression, via dateparser."""
    data = _parser(reference).get_date_data(text)
    if data.date_obj is None or data.period not in GRANULARITY:
        return None, ""
    return data.date_obj.date(), GRANULARITY[data.period]


def iso(value: date | None, granularity: str) -> str:
    """ISO 8601 at the given precision."""
    if value is None:
        return ""
    return {"year": f"{value.year:04d}", "month": f"{value.year:04d}-{value.month:02d}"}.get(
        granularity, value.isoformat())


def resolve_weekday(weekday: int, reference: date, direction: str = "") -> date:
    """The weekday the text means, relative to the publication date.

    News writes a bare weekday for the day itself or a day of the past week
    (``pada hari Senin`` in an article published on Monday is that Monday);
    dateparser always goes strictly back a week, so this is resolved here.
    """
    back = (reference.weekday() - weekday) % 7
    if direction == "lalu" and back == 0:
        back = 7
    if direction == "depan":
        return reference + timedelta(days=(weekday - reference.weekday()) % 7 or 7)
    return reference - timedelta(days=back)


def anchor(value: date, granularity: str, reference: date, direction: int | None = None) -> date | None:
    """The year of a day or month written without one.

    Without a direction, the closest such day/month to the reference (news
    names the year of anything further than half a year away; a tie goes to
    the past).  ``Juni lalu`` (-1) is the latest June up to the reference,
    ``Juni mendatang`` (1) the first from it, ``Juni ini`` (0) the reference's.
    None where no year near the reference has that day (29 February).
    """
    def position(day: date) -> int:
        return day.year * 12 + day.month if granularity == "month" else day.toordinal()

    here = position(reference)
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(value.replace(year=year))
        except ValueError:
            continue
    if direction is None:
        return min(candidates, key=lambda d: abs(position(d) - here), default=None)
    if direction == 0:
        return next((d for d in candidates if d.year == reference.year), None)
    if direction < 0:
        return max((d for d in candidates if position(d) <= here), key=position, default=None)
    return min((d for d in candidates if position(d) >= here), key=position, default=None)


def _shift(reference: date, months: int) -> date:
    """The first day of the month ``months`` away from the reference."""
    year, month = divmod(reference.year * 12 + reference.month - 1 + months, 12)
    return date(year, month + 1, 1)


def _relative(groups: dict[str, str | None], reference: date) -> tuple[date | None, str]:
    """``tiga tahun lalu``, ``bulan depan``, ``Maret tahun lalu``, ``Juni lalu``, counted from the reference.

    The unit written is the precision; a day or month with a unit (``23
    Agustus tahun lalu``) is that day or month of the counted year, a month
    without one (``Juni lalu``) is anchored in the relative word's direction.
    """
    offset = calendar()[groups["rel"].lower()][1]
    month = groups.get("month")
    if not groups.get("unit"):
        return anchor(date(reference.year, calendar()[month][1], 1), "month", reference, offset), "month"
    unit = calendar()[groups["unit"].lower()][1]
    shifted = _shift(reference, unit * offset * number(groups.get("count") or "1"))
    if not month:
        return shifted, "year" if unit % 12 == 0 else "month"
    day = groups.get("day")
    try:
        return date(shifted.year, calendar()[month][1], int(day or 1)), "day" if day else "month"
    except ValueError:  # 29 Februari of a year that has none
        return None, "day"


def _strip_weekday(text: str) -> tuple[int | None, str]:
    match = re.match(r"(?:[Hh]ari\s+)?(" + _alternation("weekday") + r"),?\s*", text)
    if not match:
        return None, text
    return calendar()[match.group(1)][1], text[match.end():]


def normalise(name: str, match: re.Match, reference: date | None) -> tuple[str, str, str]:
    """(value, granularity, kind) of one pattern match."""
    text = match.group("text") if "text" in match.re.groupindex else match.group(0)
    if name.startswith("range_"):
        return _normalise_range(match, reference)
    weekday, rest = _strip_weekday(text)
    has_year = bool(re.search(r"(?:19|20)\d{2}|\d{1,2}/\d{1,2}/\d{2}", rest))
    kind = "absolute" if has_year else "relative"
    if name == "weekday":
        if reference is None:
            return "", "day", kind
        direction = "lalu" if text.endswith("lalu") else "depan" if text.endswith("depan") else ""
        return resolve_weekday(weekday, reference, direction).isoformat(), "day", kind
    if not has_year and reference is None:
        return "", "", kind
    groups = match.groupdict()
    if groups.get("rel"):
        value, granularity = _relative(groups, reference)
        return iso(value, granularity), granularity, kind
    written = " ".join(groups[g] for g in ("date", "month", "year") if groups.get(g))  # without the wording
    value, granularity = parse(written or rest, reference)
    if value and not has_year:
        value = anchor(value, granularity, reference)
    return iso(value, granularity), granularity, kind


def _normalise_range(match: re.Match, reference: date | None) -> tuple[str, str, str]:
    """``26-28 Oktober 2025``, ``1 Januari hingga 31 Desember 2025``: both ends as days."""
    groups = match.groupdict()
    year2 = groups.get("y2") or groups.get("y1")
    month1 = groups.get("m1") or groups["m2"]
    year1 = groups.get("y1") or year2
    kind = "absolute" if year2 else "relative"
    if not year2 and reference is None:
        return "", "range", kind
    ends = []
    for day, month, year in ((groups["d1"], month1, year1), (groups["d2"], groups["m2"], year2)):
        value, _ = parse(f"{day} {month} {year or ''}".strip(), reference)
        if value and not year and reference:
            value = anchor(value, "day", reference)
        ends.append(value)
    if None in ends:
        return "", "range", kind
    return f"{ends[0].isoformat()}/{ends[1].isoformat()}", "range", kind


def find_dates(text: str, reference: date | None = None) -> list[DateMention]:
    """Every date expression in the text, longest match first where they overlap."""
    found = []
    for name, pattern in patterns():
        for match in pattern.finditer(text):
            start, end = match.span("text") if "text" in pattern.groupindex else match.span()
            found.append((start, end, name, match))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    mentions: list[DateMention] = []
    covered = 0
    for start, end, name, match in found:
        if start < covered:
            continue
        covered = end
        if name.startswith("not_"):
            continue
        value, granularity, kind = normalise(name, match, reference)
        mentions.append(DateMention(text[start:end], start, end, value, granularity or "", kind))
    return mentions


def parse_published(value: str) -> date | None:
    """The ``published`` metadata (ISO date or datetime) as a date."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def dateline(text: str, window: int = 1500) -> str:
    """The first full date near the top (``Senin (16/5/2022)``): the publication date."""
    for mention in find_dates(text[:window]):
        if mention.kind == "absolute" and mention.granularity == "day":
            return mention.value
    return ""


def register_extensions() -> None:
    if not Doc.has_extension("published"):
        Doc.set_extension("published", default=None)
    if not Doc.has_extension("dates"):
        Doc.set_extension("dates", default=[])


@Language.component("berita_dates")
def date_component(doc: Doc) -> Doc:
    """Find dates, resolve them against ``doc._.published``, store them in ``doc._.dates``."""
    register_extensions()
    mentions = find_dates(doc.text, doc._.published)
    for mention in mentions:
        mention.span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    doc._.dates = mentions
    return doc


register_extensions()
