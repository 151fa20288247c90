"""`read_records(out)`: the exported tables as typed DataFrames (:class:`Records`), for notebooks.

``pd.read_csv`` with its defaults damages the records the way spreadsheets
do: an id like ``0177885192810397`` would become a number, an empty
``review_status`` a float NaN, and formula-neutralised cells keep their
``'``.  This reads every cell as text, restores neutralised cells, and only
then types the columns that are numbers or flags.
"""
from __future__ import annotations

from dataclasses import dataclass
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


@dataclass
class Records:
    """The four tables of the record contract (docs/records.md) as typed DataFrames."""

    documents: pd.DataFrame
    entities: pd.DataFrame
    dates: pd.DataFrame
    memberships: pd.DataFrame

    def __getitem__(self, table: str) -> pd.DataFrame:
        """``records["memberships"]`` as well as ``records.memberships``, as when read_records returned a dict."""
        if table not in TABLES:
            raise KeyError(f"no table {table!r}; the tables are {', '.join(TABLES)}")
        return getattr(self, table)


def read_records(out: str | Path) -> Records:
    """The tables of a `berita annotate` output folder, typed (see :func:`typed`).

    Missing columns of the record contract are an error rather than a silent KeyError later.
    """
    frames = {}
    for table in TABLES:
        frame = pd.read_csv(Path(out) / f"{table}.csv", dtype=str, keep_default_na=False)
        missing = [c for c in COLUMNS[table] if c not in frame]
        if missing:
            raise ValueError(f"{Path(out) / f'{table}.csv'}: missing column(s) {', '.join(missing)}")
        frames[table] = typed(frame)
    return Records(**frames)
