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

from collections import Counter, defaultdict
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


Claim = dict[str, str]


def _fact(key: tuple[str, str, str], claims: list[Claim]) -> dict:
    """One fact from its claims (decisions already applied to their values).

    It rests on the claims not rejected, or on all of them when every one
    is (a rejected fact).
    """
    counted = [c for c in claims if c["review_status"] != "rejected"] or claims
    asserted = [c for c in counted if c["negated"] != "true"]
    date, disagreements = best_date([d for c in asserted or counted if (d := precise(c["date_value"]))])
    published = sorted(c["published"] for c in counted if c["published"])
    statuses = {c["review_status"] for c in claims}
    conflicts = [f"dates {d}" for d in disagreements] if key[2] in EVENTS else []
    if asserted and len(asserted) < len(counted):
        conflicts.append(f"negated in {len(counted) - len(asserted)} of {len(counted)} claims")
    return {
        "fact_id": stable_id("fact", *key), "member_id": key[0], "organization_id": key[1], "relation": key[2],
        "member": Counter(c["member"] for c in counted).most_common(1)[0][0], "date_value": date,
        "dates": "; ".join(f"{v}={n}" for v, n in sorted(Counter(c["date_value"] for c in counted).items()) if v),
        "negated": "false" if asserted else "true", "n_claims": len(counted),
        "n_documents": len({c["doc_id"] for c in counted}), "n_rejected": sum(c["review_status"] == "rejected" for c in claims),
        "first_published": published[0] if published else "", "last_published": published[-1] if published else "",
        "claim_ids": " ".join(c["claim_id"] for c in claims), "conflict": conflicts,
        "review_status": "rejected" if statuses == {"rejected"} else "" if "" in statuses else "accepted",
    }


def _claim_time(claim: Claim) -> str:
    """How late a claim is: its date, or, undated, its document's publication."""
    return claim["date_value"] or claim["published"]


def _member_after_leaving(facts: pd.DataFrame, groups: dict[tuple, list[Claim]]) -> None:
    """Flag a ``left`` fact with no later ``joined`` fact but a later plain ``member`` claim, on both facts.

    A member claim is as late as its date, or, undated, as its document's
    publication ("is a member" in an article published after leaving).
    """
    live = facts[(facts["review_status"] != "rejected") & (facts["negated"] == "false")]
    by_key = {(r.member_id, r.organization_id, r.relation): r for r in live.itertuples()}
    for left in live[(live["relation"] == "left") & (live["date_value"] != "")].itertuples():
        joined = by_key.get((left.member_id, left.organization_id, "joined"))
        if joined is not None and joined.date_value and start(joined.date_value) > end(left.date_value):
            continue
        later = [c for c in groups.get((left.member_id, left.organization_id, "member"), [])
                 if c["negated"] != "true" and c["review_status"] != "rejected" and _claim_time(c)
                 and start(_claim_time(c)) > end(left.date_value)]
        if not later:
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
    columns = list(claims.columns)
    groups: dict[tuple, list[Claim]] = defaultdict(list)
    for values in zip(*(claims[c].tolist() for c in columns)):
        claim = dict(zip(columns, values))
        groups[tuple(claim[k] for k in KEY)].append(claim)
    keys = sorted(groups, key=lambda k: (k[1], k[0], k[2]))
    facts = pd.DataFrame([_fact(key, groups[key]) for key in keys], columns=COLUMNS)
    _member_after_leaving(facts, groups)
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


def _fact_time(fact) -> str:
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
    placed: dict[str, list[tuple]] = defaultdict(list)
    unplaced = []
    for fact in live.itertuples():
        when = _fact_time(fact)
        if not when or start(when) <= limit < end(when):
            unplaced.append(fact.Index)
        elif end(when) <= limit:
            placed[fact.member_id].append((start(when), fact.relation == "left", when, fact))
    members = []
    for member_id in sorted(placed):
        events = sorted(placed[member_id], key=lambda e: e[:2])
        if events[-1][1]:
            continue
        left = max((e[0] for e in events if e[1]), default="")
        since = [e for e in events if not e[1] and e[0] > left]
        members.append({"organization_id": organization_id, "as_of": as_of, "member_id": member_id,
                        "member": since[0][3].member, "since": since[0][2],
                        "relations": " ".join(e[3].relation for e in since),
                        "fact_ids": " ".join(e[3].fact_id for e in since)})
    columns = ["organization_id", "as_of", "member_id", "member", "since", "relations", "fact_ids"]
    return Roster(pd.DataFrame(members, columns=columns), live.loc[unplaced, COLUMNS])
