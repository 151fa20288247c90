"""Records of annotated documents and the four CSV files of SPEC.md.

Like medspaCy's DocConsumer, :func:`doc_records` turns an annotated ``Doc``
into plain rows; :func:`write_tables` writes them with pandas, incrementally,
into temporary files that are renamed into place only when the run ends, so
a killed run or a full disk never leaves half-written CSVs behind.
"""
from __future__ import annotations

import hashlib
import re
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd
from spacy.tokens import Doc

from pipeline.io.atomic import atomic_open, atomic_path

COLUMNS = {
    "documents": ["doc_id", "source", "title", "published", "status", "error", "n_sentences", "n_tokens",
                  "n_entities", "n_dates", "n_memberships", "url", "published_from", "text_file"],
    "entities": ["doc_id", "entity_id", "text", "label", "canonical_id", "canonical_name", "sentence_index",
                 "char_start", "char_end", "source"],
    "dates": ["doc_id", "date_id", "text", "value", "granularity", "kind", "sentence_index", "char_start", "char_end"],
    "memberships": ["doc_id", "claim_id", "member", "member_id", "organization", "organization_id", "relation",
                    "date_text", "date_value", "negated", "sentence_index", "char_start", "char_end", "evidence",
                    "review_status"],
}
TABLES = tuple(COLUMNS)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ID_PREFIX = {"claim": "c", "ent": "e", "date": "t", "fact": "f"}


def neutralise(value):
    """OWASP CSV-injection advice: a cell a spreadsheet would execute gets a leading ``'``.

    A cell that already starts with ``'`` gets one more, so that
    :func:`unneutralise` restores every cell exactly.
    """
    if isinstance(value, str) and value[:1] and (value[0] in FORMULA_STARTS or value[0] == "'"):
        return "'" + value
    return value


def unneutralise(value):
    """The exact inverse of :func:`neutralise`."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] and (value[1] in FORMULA_STARTS or value[1] == "'"):
        return value[1:]
    return value


def stable_id(kind: str, *parts: object) -> str:
    """A short id that is the same for the same input on every run.

    It starts with a letter (``c`` claim, ``e`` entity, ``t`` time/date, ``f`` fact): an
    all-hex id such as ``0177885192810397`` or ``9e16580036973470`` is turned
    into a number by every spreadsheet, and a reviewed file then no longer
    joins its claims.
    """
    digest = hashlib.sha1("\x1f".join(str(p) for p in (kind, *parts)).encode("utf-8")).hexdigest()[:16]
    return ID_PREFIX[kind] + digest


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a whole table as :func:`write_tables` writes one (neutralised, CRLF rows), atomically.

    A full disk or a kill leaves the previous file intact and no temporary file behind.
    """
    with atomic_path(Path(path)) as tmp:
        frame.map(neutralise).to_csv(tmp, index=False, lineterminator="\r\n")
    return Path(path)


PLAIN_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
HASHED_NAME = re.compile(r".*-[0-9a-f]{10}")


def safe_name(doc_id: str) -> str:
    """The file name stem of a document's text, one per doc_id whatever the doc_ids are.

    A plain id (lower-case ASCII letters, digits, ``._-``) is its own name.  Any
    other id (``/``, ``:``, a newline, upper case that a case-insensitive file
    system would fold, unicode that one would normalise, too long) gets a
    readable prefix plus a hash of the exact id, so ``a/b``, ``a:b`` and ``A_b``
    never share a file.  A plain id that looks like a hashed name is hashed too,
    so no plain name can equal a hashed one.
    """
    if PLAIN_NAME.fullmatch(doc_id) and not HASHED_NAME.fullmatch(doc_id):
        return doc_id
    readable = re.sub(r"^[.-]+", "", re.sub(r"[^\w.-]+", "_", doc_id))[:40] or "doc"
    return f"{readable}-{hashlib.sha1(doc_id.encode('utf-8', 'surrogatepass')).hexdigest()[:10]}"


def text_name(doc_id: str) -> str:
    """The name of a document's cleaned text in ``OUT/texts``."""
    return f"{safe_name(doc_id)}.txt"


@dataclass
class DocumentRecords:
    """Everything one input document contributes to the output."""

    document: dict
    text: str | None = None
    rows: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in TABLES if t != "documents"})


def sentence_indices(doc: Doc) -> list[int]:
    """Sentence number per token, counting only sentences with words in them."""
    index, out = -1, [0] * len(doc)
    for sent in doc.sents:
        if any(not t.is_space for t in sent):
            index += 1
        for token in sent:
            out[token.i] = max(index, 0)
    return out


def _evidence_bounds(sent) -> tuple[int, int]:
    words = [t for t in sent if not t.is_space]
    return (words[0].idx, words[-1].idx + len(words[-1].text)) if words else (sent.start_char, sent.end_char)


def doc_records(doc: Doc, document: dict) -> DocumentRecords:
    """Rows for the entities, dates and membership claims of one annotated document."""
    doc_id = document["doc_id"]
    sentence_of = sentence_indices(doc)
    records = DocumentRecords(document=document, text=doc.text)
    for ent in doc.ents:
        records.rows["entities"].append({
            "doc_id": doc_id, "entity_id": stable_id("ent", doc_id, ent.start_char, ent.end_char, ent.label_, ent.text),
            "text": ent.text, "label": ent.label_, "canonical_id": ent._.canonical_id,
            "canonical_name": ent._.canonical_name, "sentence_index": sentence_of[ent.start],
            "char_start": ent.start_char, "char_end": ent.end_char, "source": ent._.source,
        })
    for date in doc._.dates:
        records.rows["dates"].append({
            "doc_id": doc_id, "date_id": stable_id("date", doc_id, date.start, date.end, date.value),
            "text": date.text, "value": date.value, "granularity": date.granularity, "kind": date.kind,
            "sentence_index": sentence_of[date.span.start] if date.span is not None else "",
            "char_start": date.start, "char_end": date.end,
        })
    for claim in doc._.claims:
        start, end = _evidence_bounds(claim.sentence)
        records.rows["memberships"].append({
            "doc_id": doc_id,
            "claim_id": stable_id("claim", doc_id, claim.member_id, claim.organization_id, claim.relation,
                                  claim.date_value, claim.negated, start, end),
            "member": claim.member, "member_id": claim.member_id, "organization": claim.organization,
            "organization_id": claim.organization_id, "relation": claim.relation,
            "date_text": claim.date_text, "date_value": claim.date_value,
            "negated": "true" if claim.negated else "false",
            "sentence_index": sentence_of[claim.sentence.start], "char_start": start, "char_end": end,
            "evidence": records.text[start:end], "review_status": "",
        })
    document.update(
        status="ok", error="", text_file=f"texts/{text_name(doc_id)}",
        n_sentences=max(sentence_of, default=-1) + 1 if len(doc) else 0,
        n_tokens=sum(not t.is_space for t in doc), n_entities=len(records.rows["entities"]),
        n_dates=len(records.rows["dates"]), n_memberships=len(records.rows["memberships"]),
    )
    return records


def failed_records(document: dict, error: str) -> DocumentRecords:
    """The row of a document that could not be annotated."""
    document.update(status="error", error=error, text_file="", n_sentences=0, n_tokens=0, n_entities=0,
                    n_dates=0, n_memberships=0)
    return DocumentRecords(document=document)


def write_tables(records: Iterable[DocumentRecords], out: Path, chunk: int = 500,
                 parquet: bool = False) -> dict[str, int]:
    """Write the four CSVs (and Parquet files if asked) from documents in output order.

    Rows go to temporary files in chunks (memory stays flat however many
    documents there are) and each file is renamed into place at the end, so
    a reader never sees a half-written table.  CSV cells are neutralised
    against spreadsheet formula injection; Parquet keeps the values as they are.
    """
    out = Path(out)
    counts = {t: 0 for t in TABLES}
    buffer: dict[str, list[dict]] = {t: [] for t in TABLES}
    with ExitStack() as files:
        csvs = {t: files.enter_context(atomic_open(out / f"{t}.csv")) for t in TABLES}
        for table, handle in csvs.items():
            pd.DataFrame(columns=COLUMNS[table]).to_csv(handle, index=False, lineterminator="\r\n")
        writers = _ParquetTables(out, files) if parquet else None

        def flush() -> None:
            for table, rows in buffer.items():
                if rows:
                    frame = pd.DataFrame(rows).reindex(columns=COLUMNS[table])
                    # RFC 4180: CRLF rows, so that a CR inside a cell gets quoted too
                    frame.map(neutralise).to_csv(csvs[table], header=False, index=False, lineterminator="\r\n")
                    if writers:
                        writers.write(table, frame)
                    counts[table] += len(rows)
                    rows.clear()

        for n, document in enumerate(records, start=1):
            buffer["documents"].append(document.document)
            for table, rows in document.rows.items():
                buffer[table].extend(rows)
            if n % chunk == 0:
                flush()
        flush()
    return counts


class _ParquetTables:
    """One streaming Parquet writer per table, all values as strings (like the CSVs).

    Each writes through :func:`atomic_path` registered on ``files``, so the
    Parquet files are renamed into place (closed first) with the CSVs.
    """

    def __init__(self, out: Path, files: ExitStack):
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.schemas = {t: pa.schema([(c, pa.string()) for c in COLUMNS[t]]) for t in TABLES}
        self.writers = {}
        for table in TABLES:
            path = files.enter_context(atomic_path(out / f"{table}.parquet"))
            self.writers[table] = files.enter_context(pq.ParquetWriter(path, self.schemas[table]))

    def write(self, table: str, frame: pd.DataFrame) -> None:
        import pyarrow as pa

        strings = frame.astype("string").fillna("")
        self.writers[table].write_table(pa.Table.from_pandas(strings, schema=self.schemas[table], preserve_index=False))
