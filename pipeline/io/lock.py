"""One berita command at a time per output folder.

Two runs into one folder would interleave their writes (doubled CSV rows, a
rename of a file the other run already moved), so every command that writes
an output folder holds an exclusive ``flock`` on ``OUT/.berita/lock`` while it
works and a second one is refused at once with the holder's pid.  The kernel
releases the lock when its process dies, however it dies, so a killed run
never leaves a stale lock behind; the file itself stays (removing it would
let two runs lock two different files).
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class FolderBusy(RuntimeError):
    """Another process holds the folder's lock."""


def lock_path(folder: Path) -> Path:
    return Path(folder) / ".berita" / "lock"


@contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """Hold the lock of output folder ``folder`` (which must exist) for the block.

    Raises :class:`FolderBusy` naming the holder when another process has it.
    """
    path = lock_path(folder)
    path.parent.mkdir(exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "a process that is starting"
            raise FolderBusy(f"{folder} is in use by another berita run ({holder}); "
                             "wait for it to finish or choose another output folder") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)
