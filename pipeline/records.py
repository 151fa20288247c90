"""`read_records(out)`: the exported tables as typed DataFrames, for notebooks.

``pd.read_csv`` with its defaults damages the records the way spreadsheets
do: an id like ``0177885192810397`` would become a number, an empty
``review_status`` a float NaN, and formula-neutralised cells keep their
``'``.  This reads every cell as text, restores neutralised cells, and only
then types the columns that are numbers or flags.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.export import COLUMNS, TABLES, unneutralise

INTEGERS = ("n_sentences", "n_tokens", "n_entities", "n_dates", "n_memberships", "sentence_index", "char_start",
            "char_end")
FLAGS = ("negated",)


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts and offsets as nullable integers, flags as nullable booleans, everything else as strings."""
    frame = frame.map(unneutralise)
    for column in frame:
        if column in INTEGERS:
            frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
        elif column in FLAGS:
            frame[column] = frame[column].str.lower().map({"true": True, "false": False}).astype("boolean")
        else:
            frame[column] = frame[column].astype("string")
    return frame


def read_records(out: Path, tables: tuple[str, ...] = TABLES) -> dict[str, pd.DataFrame]:
    """The tables of a `berita annotate` output folder by name, typed (see :func:`typed`).

    Missing columns of the record contract (docs/records.md) are an error rather than a silent KeyError later.
    """
    frames = {}
    for table in tables:
        frame = pd.read_csv(Path(out) / f"{table}.csv", dtype=str, keep_default_na=False)
        missing = [c for c in COLUMNS[table] if c not in frame]
        if missing:
            raise ValueError(f"{Path(out) / f'{table}.csv'}: missing column(s) {', '.join(missing)}")
        frames[table] = typed(frame)
    return frames
