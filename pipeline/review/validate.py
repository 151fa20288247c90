"""What a reviewer may write into a corrected claim.

Ids must be ones the pipeline itself would emit (ISO 3166-1 alpha-3 for
states, the gazetteer's ids for organisations), or carry an explicit
``new:`` prefix for an organisation the gazetteer lacks, so that a typo such
as ``NATOO`` cannot pass as a new organisation.  Relations are those of
SPEC.md (``data/relations.tsv``); dates are ISO 8601 at any precision, or a
range of two such dates, as in dates.csv.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import pycountry

from pipeline.corpora import read_table

NEW_ID = "new:"
ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@lru_cache(maxsize=1)
def relations() -> dict[str, str]:
    """Relation -> meaning, in SPEC.md's order."""
    return {relation: meaning for relation, meaning in read_table("relations.tsv")}


@lru_cache(maxsize=1)
def known_ids() -> frozenset[str]:
    """Every id the pipeline can emit: ISO 3166-1 alpha-3 codes and the gazetteer's organisation ids."""
    from pipeline.rules.gazetteer import entries

    return frozenset({c.alpha_3 for c in pycountry.countries} | {e.canonical_id for e in entries().values()} - {""})


def _iso_date(value: str) -> bool:
    match = ISO_DATE.fullmatch(value)
    if not match:
        return False
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def date_problem(value: str) -> str | None:
    """Why ``value`` is not an ISO 8601 date (``1992``, ``2023-08``, ``1992-05-15``) or range, or None."""
    if not value or all(_iso_date(part) for part in value.split("/")) and value.count("/") <= 1:
        return None
    return f"date_value {value!r} is not an ISO 8601 date (1992, 2023-08, 1992-05-15 or 2025-10-26/2025-10-28)"


def id_problem(column: str, value: str) -> str | None:
    """Why ``value`` is not a known id nor an explicit ``new:Name``, or None."""
    if value in known_ids() or value.startswith(NEW_ID) and value[len(NEW_ID):].strip():
        return None
    upper = value.upper()
    hint = f"; did you mean {upper!r}?" if upper in known_ids() else ""
    return (f"{column} {value!r} is neither an ISO 3166 alpha-3 code nor a gazetteer id "
            f"(write new:Name for an organisation the gazetteer lacks){hint}")


def correction_problem(column: str, value: str) -> str | None:
    """Why a corrected cell cannot be accepted, or None; free-text columns take anything."""
    if column in ("member_id", "organization_id"):
        return id_problem(column, value)
    if column == "relation" and value not in relations():
        return f"unknown relation {value!r} (use {', '.join(relations())})"
    if column == "date_value":
        return date_problem(value)
    return None
