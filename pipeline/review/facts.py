"""From claims to facts: one row per (member, organisation, relation) across every document of a folder.

An analyst reviews ``IDN joined BRICS 2025-01-06`` once, not once per article
that states it.  :func:`build_facts` groups the claims of ``memberships.csv``
(with the review decisions applied: rejected claims set aside, corrected ones
counted with their corrections) into facts, dates each fact at the finest
precision its claims agree on and names what disagrees in ``conflict``.
:func:`write_facts` writes ``facts.csv`` after every `annotate` run and every
`review apply`, so facts follow decisions.  :func:`roster` answers "who was a
member of ORG at DATE" from the facts.

Dates are compared as periods: ``2012`` is 2012-01-01..2012-12-31, so
``2012-05`` is neither before nor after it; a range ``a/b`` runs from a's
start to b's end.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.export import stable_id, unneutralise, write_csv
from pipeline.io.atomic import atomic_path

FACTS = "facts.csv"
KEY = ["member_id", "organization_id", "relation"]
EVENTS = ("founder", "joined", "left")  # facts that happen at one time: two different dates contradict
COLUMNS = ["fact_id", "member_id", "member", "organization_id", "relation", "date_value", "dates",
           "negated", "n_claims", "n_documents", "n_rejected", "first_published", "last_published", "claim_ids",
           "conflict", "review_status"]
PRECISIONS = (4, 7, 10)  # characters of an ISO date at year, month, day precision


# ------------------------------------------------------------------ dates as periods


def start(value: str) -> str:
    """The first day of an ISO date at any precision, or of a range (comparable as a string)."""
    first = value.split("/")[0]
    return first + "-01-01"[len(first) - 4:]


def end(value: str) -> str:
    """The last day (as a string that sorts after every day of the period) of an ISO date or range."""
    last = value.split("/")[-1]
    return last + "-12-31"[len(last) - 4:]


def precise(value: str) -> str:
    """A date as one year, month or day: a range becomes what its two ends share (``2025-10-26/2025-10-28`` ->
    ``2025-10``), so that it can agree or disagree with single dates."""
    if "/" not in value:
        return value
    a, b = value.split("/", 1)
    shared = next((n for n in reversed(PRECISIONS) if a[:n] == b[:n] and len(a) >= n and len(b) >= n), 0)
    return a[:shared]


def best_date(values: list[str]) -> tuple[str, list[str]]:
    """The best-supported date of some claims at the finest precision they agree on, and the disagreements.

    Year, then month, then day: the claims that agree with the date so far
    vote on the next precision; a single most-voted value refines the date,
    a tie stops it at the coarser precision (no date at all when the years
    tie).  Every vote between two or more values is a disagreement.
    """
    chosen, disagreements = "", []
    for length in PRECISIONS:
        votes = Counter(v[:length] for v in values if len(v) >= length and v.startswith(chosen))
        if not votes:
            break
        ranked = sorted(votes.items(), key=lambda item: (-item[1], item[0]))
        if len(ranked) > 1:
            disagreements.append(" vs ".join(f"{v} ({n})" for v, n in ranked))
            if ranked[0][1] == ranked[1][1]:
                break
        chosen = ranked[0][0]
    return chosen, disagreements


# ------------------------------------------------------------------ facts


def _counted(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims a fact is made of: those not rejected, or all of them when every one is (a rejected fact)."""
    kept = claims[claims["review_status"] != "rejected"]
    return kept if len(kept) else claims


def _fact(key: tuple[str, str, str], claims: pd.DataFrame) -> dict:
    """One fact from its claims (decisions already applied to their values)."""
    counted = _counted(claims)
    asserted = counted[counted["negated"] != "true"]
    dated = [d for v in (asserted if len(asserted) else counted)["date_value"] if (d := precise(v))]
    date, disagreements = best_date(dated)
    published = sorted(p for p in counted["published"] if p)
    statuses = set(claims["review_status"])
    conflicts = [f"dates {d}" for d in disagreements] if key[2] in EVENTS else []
    if len(asserted) and len(asserted) < len(counted):
        conflicts.append(f"negated in {len(counted) - len(asserted)} of {len(counted)} claims")
    return {
        "fact_id": stable_id("fact", *key), "member_id": key[0], "organization_id": key[1], "relation": key[2],
        "member": counted["member"].mode().iloc[0],
        "date_value": date, "dates": "; ".join(f"{v}={n}" for v, n in sorted(Counter(counted["date_value"]).items())
                                               if v),
        "negated": "true" if asserted.empty else "false", "n_claims": len(counted),
        "n_documents": counted["doc_id"].nunique(), "n_rejected": int((claims["review_status"] == "rejected").sum()),
        "first_published": published[0] if published else "", "last_published": published[-1] if published else "",
        "claim_ids": " ".join(claims["claim_id"]), "conflict": conflicts,
        "review_status": "rejected" if statuses == {"rejected"} else "" if "" in statuses else "accepted",
    }


def _member_after_leaving(facts: pd.DataFrame, claims: pd.DataFrame) -> None:
    """Flag a ``left`` fact with no later ``joined`` fact but a later plain ``member`` claim, on both facts.

    A member claim is as late as its date, or, undated, as its document's
    publication ("is a member" in an article published after leaving).
    """
    live = facts[(facts["review_status"] != "rejected") & (facts["negated"] == "false")]
    by_key = {(r.member_id, r.organization_id, r.relation): r for r in live.itertuples()}
    member_claims = claims[(claims["relation"] == "member") & (claims["negated"] != "true")
                           & (claims["review_status"] != "rejected")]
    for left in live[(live["relation"] == "left") & (live["date_value"] != "")].itertuples():
        joined = by_key.get((left.member_id, left.organization_id, "joined"))
        if joined is not None and joined.date_value and start(joined.date_value) > end(left.date_value):
            continue
        mine = member_claims[(member_claims["member_id"] == left.member_id)
                             & (member_claims["organization_id"] == left.organization_id)]
        when = mine["date_value"].where(mine["date_value"] != "", mine["published"])
        later = mine[[bool(w) and start(w) > end(left.date_value) for w in when]]
        if later.empty:
            continue
        member = by_key[(left.member_id, left.organization_id, "member")]
        facts.at[left.Index, "conflict"].append(f"member in {len(later)} later claim(s) ({member.fact_id}) with "
                                                 "no later joined")
        facts.at[member.Index, "conflict"].append(f"member after left {left.date_value} ({left.fact_id})")


def build_facts(claims: pd.DataFrame) -> pd.DataFrame:
    """The facts of a claims table (memberships.csv as exported, plus each claim's document's ``published``).

    Sorted by organisation, member, relation.
    """
    claims = claims.assign(review_status=claims["review_status"].str.strip().str.lower())
    if "published" not in claims:
        claims = claims.assign(published="")
    rows = [_fact(key, group) for key, group in claims.groupby(KEY, sort=True)]
    facts = pd.DataFrame(rows, columns=COLUMNS)
    if facts.empty:
        return facts
    facts = facts.sort_values(["organization_id", "member_id", "relation"], ignore_index=True)
    _member_after_leaving(facts, claims)
    facts["conflict"] = facts["conflict"].map("; ".join)
    return facts


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False).map(unneutralise)


def read_facts(out: Path) -> pd.DataFrame:
    """``out/facts.csv`` as written, every cell as text."""
    path = Path(out) / FACTS
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: run `berita annotate` into {out} first")
    return _read(path)


def folder_facts(out: Path) -> pd.DataFrame:
    """The facts of an output folder: its current claims (decisions applied) dated by their documents."""
    out = Path(out)
    claims = _read(out / "memberships.csv")
    published = _read(out / "documents.csv").drop_duplicates("doc_id").set_index("doc_id")["published"]
    return build_facts(claims.assign(published=claims["doc_id"].map(published).fillna("").str[:10]))


def write_facts(out: Path, parquet: bool = False) -> int:
    """Write ``out/facts.csv``, and ``facts.parquet`` when asked or when one is there (never stale); the row count."""
    out = Path(out)
    facts = folder_facts(out)
    write_csv(facts, out / FACTS)
    if parquet or (out / "facts.parquet").exists():
        with atomic_path(out / "facts.parquet") as tmp:
            facts.astype(str).to_parquet(tmp, index=False)
    return len(facts)


# ------------------------------------------------------------------ rosters


@dataclass
class Roster:
    """Who was a member at a date, and the facts that cannot be placed before or after it."""

    members: pd.DataFrame
    unplaced: pd.DataFrame


def _when(fact) -> str:
    """When a fact puts its member in or out: its date; an undated member fact, its first publication."""
    return fact.date_value or (fact.first_published if fact.relation == "member" else "")


def roster(facts: pd.DataFrame, organization_id: str, as_of: str) -> Roster:
    """The members of an organisation at the end of ``as_of`` (``2013``: by 31 December 2013).

    Founder, joined and member facts put a member in, left facts take it
    out; the latest fact placed by the date decides (at the same date a
    leave wins).  A fact is placed when its period ends by the date; one
    that is undated, or whose period straddles the date, is unplaced.
    Rejected and negated facts take no part.
    """
    limit = end(as_of)
    live = facts[(facts["organization_id"] == organization_id) & (facts["review_status"] != "rejected")
                 & (facts["negated"] == "false") & facts["relation"].isin(("member", *EVENTS))]
    when = pd.Series([_when(f) for f in live.itertuples()], index=live.index, dtype=str)
    placed = live[when.map(lambda w: bool(w) and end(w) <= limit)]
    unplaced = live[when.map(lambda w: not w or start(w) <= limit < end(w))]
    members = []
    for member_id, group in placed.assign(when=when).groupby("member_id"):
        group = group.assign(order=group["when"].map(start), out=group["relation"] == "left")
        group = group.sort_values(["order", "out"], kind="stable")
        if group["out"].iloc[-1]:
            continue
        left = group.loc[group["out"], "order"].max() if group["out"].any() else ""
        since = group[~group["out"] & (group["order"] > left)]
        members.append({"organization_id": organization_id, "as_of": as_of, "member_id": member_id,
                        "member": since["member"].iloc[0], "since": since["when"].iloc[0],
                        "relations": " ".join(since["relation"]), "fact_ids": " ".join(since["fact_id"])})
    columns = ["organization_id", "as_of", "member_id", "member", "since", "relations", "fact_ids"]
    return Roster(pd.DataFrame(members, columns=columns), unplaced[COLUMNS])
