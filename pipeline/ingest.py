"""Read articles from ``.txt`` files, folders, ``.jsonl`` and ``.csv`` lazily.

Every input document becomes exactly one :class:`RawDocument`, also the ones
that cannot be read: those carry a one-line ``error`` so that the run goes on
and ``documents.csv`` still lists them (SPEC.md, Input).
"""
from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

SUFFIXES = (".txt", ".jsonl", ".csv")


@dataclass
class RawDocument:
    """One input article as read, before cleaning."""

    doc_id: str
    source: str
    text: str | None = None
    title: str = ""
    url: str = ""
    published: str = ""
    error: str = ""


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(f"{where}: not valid UTF-8 (byte {err.start}: {data[err.start:err.start + 1]!r})") from None


def _from_record(record: dict, source: str, where: str) -> RawDocument:
    """A document from a JSONL/CSV record; problems become the document's error."""
    doc_id = str(record.get("id") or "").strip()
    if not doc_id:
        return RawDocument(doc_id=where, source=source, error=f"{where}: missing 'id' field")
    text = record.get("text")
    published = record.get("published") or ""
    doc = RawDocument(doc_id=doc_id, source=source, title=str(record.get("title") or ""),
                      url=str(record.get("url") or ""), published=str(published))
    if text is None:
        doc.error = f"{where}: missing 'text' field"
    elif not isinstance(text, str):
        doc.error = f"{where}: 'text' is not a string"
    else:
        doc.text = text
    return doc


def read_txt(path: Path) -> Iterator[RawDocument]:
    """A ``.txt`` file is one article; its stem is the doc_id."""
    doc = RawDocument(doc_id=path.stem, source=str(path))
    try:
        doc.text = _decode(path.read_bytes(), path.name)
    except (OSError, ValueError) as err:
        doc.error = _one_line(err)
    yield doc


def read_jsonl(path: Path) -> Iterator[RawDocument]:
    """One article per line; a malformed line is a failed document named after its line."""
    try:
        handle = open(path, "rb")
    except OSError as err:
        yield RawDocument(doc_id=path.stem, source=str(path), error=_one_line(err))
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path.name}:{number}"
            if not raw.strip():
                continue
            try:
                record = json.loads(_decode(raw, where))
                if not isinstance(record, dict):
                    raise ValueError(f"{where}: expected a JSON object")
            except (ValueError, json.JSONDecodeError) as err:
                yield RawDocument(doc_id=where, source=str(path), error=_one_line(err, f"{where}: malformed JSON"))
                continue
            yield _from_record(record, str(path), where)


def read_csv(path: Path) -> Iterator[RawDocument]:
    """A CSV with the JSONL columns (``id``, ``text`` required)."""
    try:
        text = _decode(path.read_bytes(), path.name)
    except (OSError, ValueError) as err:
        yield RawDocument(doc_id=path.stem, source=str(path), error=_one_line(err))
        return
    csv.field_size_limit(sys.maxsize)
    reader = csv.DictReader(text.splitlines(keepends=True))
    if not reader.fieldnames or "id" not in reader.fieldnames:
        yield RawDocument(doc_id=path.stem, source=str(path), error=f"{path.name}: CSV needs an 'id' column")
        return
    for number, record in enumerate(reader, start=2):
        yield _from_record(record, str(path), f"{path.name}:{number}")


READERS = {".txt": read_txt, ".jsonl": read_jsonl, ".csv": read_csv}


def expand_inputs(inputs: Iterable[Path]) -> Iterator[Path]:
    """Files to read: folders recursively (sorted), files as given."""
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            # not is_dir() rather than is_file(): a broken link is still an input to report
            yield from sorted(p for p in item.rglob("*") if p.suffix.lower() in SUFFIXES and not p.is_dir())
        else:
            yield item


def read_inputs(inputs: Iterable[Path]) -> Iterator[RawDocument]:
    """All documents of all inputs, lazily, in order."""
    for path in expand_inputs(inputs):
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            yield RawDocument(doc_id=path.stem, source=str(path),
                              error=f"{path.name}: unsupported file type (use .txt, .jsonl or .csv)")
        elif not path.exists():
            yield RawDocument(doc_id=path.stem, source=str(path), error=f"cannot read {path}: no such file")
        else:
            yield from reader(path)


def _one_line(err: Exception, fallback: str = "") -> str:
    text = str(err).strip().splitlines()
    message = text[0] if text else type(err).__name__
    if isinstance(err, json.JSONDecodeError):
        return f"{fallback}: {message}"
    if isinstance(err, OSError):
        return f"cannot read {getattr(err, 'filename', '') or ''}: {err.strerror or message}".strip()
    return message
