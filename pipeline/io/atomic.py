"""Writes that a crash, a full disk or Ctrl-C cannot leave half done.

Every file berita writes goes to a temporary file in the same folder, is
flushed to disk and renamed over the target (``os.replace`` is atomic on
POSIX): a reader sees the old file or the new one, never a truncated one.
Temporary names are unique per write (pid and a random token, created with
``O_EXCL``) and all match :data:`LEFTOVERS`, so the next run into the folder,
holding its lock, can remove what a killed run left behind.
"""
from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

LEFTOVERS = (".*.tmp", ".*.partial")
"""Temporary files of interrupted writes (``.partial``: the CSVs of older versions)."""


def _temporary(path: Path) -> Path:
    """Create an empty, not yet used temporary file beside ``path`` (the umask applies as for any file)."""
    while True:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path to write ``path`` through: renamed into place only when the block succeeds.

    On any exception (disk full, Ctrl-C) the temporary file is removed and
    ``path`` keeps its old content; an ``OSError`` that names no file (a
    failed write) is made to name ``path``, so that its message says where.
    """
    path = Path(path)
    tmp = _temporary(path)
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException as err:
        tmp.unlink(missing_ok=True)
        if isinstance(err, OSError) and err.filename is None:
            err.filename = str(path)
        raise
    _fsync(path.parent)  # the rename itself survives a power cut


@contextmanager
def atomic_open(path: Path, mode: str = "w", **kwargs) -> Iterator[IO]:
    """``open(path, mode)`` through :func:`atomic_path`; text modes default to UTF-8 with exact line ends."""
    if "b" not in mode:
        kwargs = {"encoding": "utf-8", "newline": "", **kwargs}
    with atomic_path(path) as tmp, open(tmp, mode, **kwargs) as handle:
        yield handle


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically."""
    with atomic_open(path) as handle:
        handle.write(text)


def remove_temporaries(folder: Path) -> int:
    """Remove the temporary files of interrupted writes in ``folder``; how many there were.

    Only safe while holding the folder's lock: another run's temporary files
    look the same.
    """
    removed = 0
    for pattern in LEFTOVERS:
        for path in Path(folder).glob(pattern):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
