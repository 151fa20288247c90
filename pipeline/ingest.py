"""Read articles from ``.txt`` files, folders, ``.jsonl`` and ``.csv`` lazily.

Every input document becomes exactly one :class:`RawDocument`, also the ones
that cannot be read: those carry a one-line ``error`` so that the run goes on
and ``documents.csv`` still lists them (SPEC.md, Input).
"""
from __future__ import annotations

import csv
import json
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

SUFFIXES = (".txt", ".jsonl", ".csv")
OUTPUT_MARK = ".berita"
"""The folder every `berita annotate` output folder holds: such folders are never read as input."""
log = logging.getLogger("berita")


class InputError(ValueError):
    """The command line names inputs that cannot be used at all."""


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
    line: int = 0
    """Line of ``source`` the document was read from (JSONL, CSV); 0 for a whole file."""

    @property
    def location(self) -> str:
        """Where the document was read, for messages: ``path`` or ``path:line``."""
        return f"{self.source}:{self.line}" if self.line else self.source


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(f"{where}: not valid UTF-8 (byte {err.start}: {data[err.start:err.start + 1]!r})") from None


def _from_record(record: dict, source: str, where: str, line: int) -> RawDocument:
    """A document from a JSONL/CSV record; problems become the document's error."""
    doc_id = str(record.get("id") or "").strip()
    if not doc_id:
        return RawDocument(doc_id=where, source=source, line=line, error=f"{where}: missing 'id' field")
    text = record.get("text")
    published = record.get("published") or ""
    doc = RawDocument(doc_id=doc_id, source=source, title=str(record.get("title") or ""),
                      url=str(record.get("url") or ""), published=str(published), line=line)
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
    source = str(path)  # one string shared by all its documents: a run keeps one per document
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
                yield RawDocument(doc_id=where, source=source, line=number,
                                  error=_one_line(err, f"{where}: malformed JSON"))
                continue
            yield _from_record(record, source, where, number)


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
    source = str(path)
    for number, record in enumerate(reader, start=2):
        yield _from_record(record, source, f"{path.name}:{number}", number)


READERS = {".txt": read_txt, ".jsonl": read_jsonl, ".csv": read_csv}


def is_output_folder(folder: Path, out: Path | None = None) -> bool:
    """Whether ``folder`` is ``out`` or any other `berita annotate` output folder."""
    folder = Path(folder)
    return (folder / OUTPUT_MARK).is_dir() or (out is not None and folder.resolve() == Path(out).resolve())


def check_inputs(inputs: Iterable[Path], out: Path) -> None:
    """Refuse an input folder that is an output folder: its CSVs and texts would be read as articles."""
    for item in inputs:
        if Path(item).is_dir() and is_output_folder(item, out):
            raise InputError(f"{item} is a berita output folder, not an input: name the articles' folder instead")


def _folder_files(folder: Path, out: Path | None) -> Iterator[Path]:
    """Input files under ``folder``, following symlinked subfolders once and skipping output folders."""
    seen: set[Path] = set()

    def unreadable(err: OSError) -> None:
        log.warning("%s: skipped, %s", err.filename, err.strerror)

    for root, dirs, files in os.walk(folder, onerror=unreadable, followlinks=True):
        here = Path(root)
        if here.resolve() in seen:  # a link back into the tree: read once
            dirs.clear()
            continue
        if here != Path(folder) and is_output_folder(here, out):
            log.warning("%s: skipped, it is a berita output folder", here)
            dirs.clear()
            continue
        seen.add(here.resolve())
        # a broken link is listed with the files: still an input to report
        yield from (here / name for name in files if Path(name).suffix.lower() in SUFFIXES)


def expand_inputs(inputs: Iterable[Path], out: Path | None = None) -> Iterator[Path]:
    """Files to read: folders recursively (sorted, without output folders such as ``out``), files as given."""
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            yield from sorted(_folder_files(item, out))
        else:
            yield item


def read_inputs(inputs: Iterable[Path], out: Path | None = None) -> Iterator[RawDocument]:
    """All documents of all inputs, lazily, in order (output folders such as ``out`` left out)."""
    for path in expand_inputs(inputs, out):
        reader = READERS.get(path.suffix.lower())
        if not path.exists():
            yield RawDocument(doc_id=path.stem, source=str(path), error=f"cannot read {path}: no such file or folder")
        elif reader is None:
            yield RawDocument(doc_id=path.stem, source=str(path),
                              error=f"{path.name}: unsupported file type (use .txt, .jsonl or .csv)")
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


def count_documents(inputs: Iterable[Path], out: Path | None = None) -> int:
    """About how many documents :func:`read_inputs` will yield, for a progress bar's total.

    A quick pass that counts lines and rows without decoding articles (a
    malformed file may count differently from what it yields); its warnings
    are left to the real pass, which would repeat them.
    """
    log.disabled, was = True, log.disabled
    try:
        paths = list(expand_inputs(inputs, out))
    finally:
        log.disabled = was
    return sum(_count(path) for path in paths)


def _count(path: Path) -> int:
    """Documents in one input file: JSONL lines with content, CSV rows, else one."""
    try:
        if path.suffix.lower() == ".jsonl":
            with open(path, "rb") as handle:
                return sum(1 for line in handle if line.strip())
        if path.suffix.lower() == ".csv":
            csv.field_size_limit(sys.maxsize)
            with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
                return max(sum(1 for row in csv.reader(handle) if row) - 1, 1)
    except (OSError, csv.Error):
        pass  # read_inputs reports the file as one failed document
    return 1
