"""Per-document results on disk: what makes runs resumable and output order-independent.

Each finished document is one small JSON part under ``OUT/.berita/parts``,
written atomically (temporary file + rename) and stamped with a fingerprint
of its input text and of the pipeline (code, data files, models).  A re-run
skips documents whose part has the same fingerprint (the same doc_id, content
and pipeline, wherever the input file lies now); the CSVs are assembled
from the parts in ``doc_id`` order, so they are the same whatever the number
of workers or the order in which documents finished.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from pipeline.export import DocumentRecords, text_name
from pipeline.ingest import RawDocument
from pipeline.io.atomic import remove_temporaries, write_text


@lru_cache(maxsize=8)
def pipeline_version(processors: tuple[str, ...], model_dir: str | None) -> str:
    """A hash of everything that shapes the output: code, rule data, models, processors."""
    from pipeline import nlp

    digest = hashlib.sha1()
    try:
        digest.update(metadata.version("berita").encode())
    except metadata.PackageNotFoundError:
        digest.update(b"dev")
    digest.update(",".join(processors).encode())
    package = Path(str(resources.files("pipeline")))
    models = Path(model_dir) if model_dir else nlp.default_model_dir()
    files = sorted(package.glob("*.py")) + sorted((package / "data").iterdir()) + sorted(models.glob("id/*/*.pt"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(raw: RawDocument, version: str) -> str:
    """Input document + pipeline: a part with another fingerprint is redone.

    The input's path is left out: the same files moved or mounted elsewhere are
    not redone (the ``source`` column is set from the current run instead).
    """
    parts = (raw.doc_id, raw.text or "", raw.error, raw.published, raw.title, raw.url, version)
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def part_key(doc_id: str, ordinal: int) -> str:
    """Where a document's part lives (``ordinal`` > 0 for a repeated doc_id)."""
    return hashlib.sha1(f"{doc_id}\x1f{ordinal}".encode("utf-8")).hexdigest()


class PartStore:
    """The parts of one output folder."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.root = self.out / ".berita" / "parts"
        self.root.mkdir(parents=True, exist_ok=True)
        (self.out / "texts").mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    @staticmethod
    def _head(fp: str) -> str:
        """How a part with this fingerprint begins (``save`` writes the fingerprint first)."""
        return json.dumps({"fingerprint": fp})[:-1]

    def done(self, key: str, fp: str) -> bool:
        """Whether this document is finished with the same input and pipeline.

        Only the head of the part is read: a resumed run over a large archive
        checks every document, and parsing whole parts there would be wasted.
        """
        head = self._head(fp)
        try:
            with open(self._path(key), encoding="utf-8") as part:
                return part.read(len(head)) == head
        except FileNotFoundError:
            return False

    def save(self, key: str, fp: str, records: DocumentRecords) -> None:
        """Write the cleaned text, then the part (atomically): a part means finished."""
        if records.text is not None:
            write_text(self.out / "texts" / text_name(records.document["doc_id"]), records.text)
        payload = {"fingerprint": fp, "document": records.document, "rows": records.rows}
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, json.dumps(payload, ensure_ascii=False))

    def load(self, key: str) -> DocumentRecords:
        payload = json.loads(self._path(key).read_text(encoding="utf-8"))
        return DocumentRecords(document=payload["document"], rows=payload["rows"])


def remove_leftovers(out: Path) -> int:
    """Remove the temporary files a killed or failed run left in output folder ``out`` (caller holds its lock)."""
    out = Path(out)
    folders = [out, out / "texts", *(out / ".berita" / "parts").glob("*/")]
    return sum(remove_temporaries(folder) for folder in folders)
