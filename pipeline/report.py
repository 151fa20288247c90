"""`berita report OUT_DIR`: one self-contained HTML page to review a run, in a browser.

No network and no CDN: styles, script and the timeline figures (SVG) are
inline.  The overview (counts per organisation and relation, undated claims
included, and timelines) is rendered here; the records travel as one
gzip-compressed JSON payload that the page's script decodes and renders on
demand (a page of claims, one document at a time), which is what lets a
batch of thousands of articles open quickly.  Documents' full texts are
included while they fit ``TEXT_BUDGET``; beyond it a document shows the
sentences its claims come from.

The page is also a review tool: accept / reject / correct each claim (buttons
or keys), or accept / reject a whole fact (all its claims) in the facts view
(per organisation: the roster today and a timeline of founders, joins and
leaves, conflicts highlighted); decisions are kept in the browser's local
storage and downloaded as a CSV that `berita review apply` takes.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
from datetime import datetime, timezone
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

import pandas as pd

from pipeline.export import text_name, unneutralise
from pipeline.io.atomic import write_text
from pipeline.review.decisions import CLAIM_FIELDS, MACHINE
from pipeline.review.facts import EVENTS, folder_facts, roster
from pipeline.review.validate import known_ids, relations

TEXT_BUDGET = 3_000_000  # characters of document text the page carries in full
RELATION_COLORS = {"member": "#4e79a7", "founder": "#59a14f", "joined": "#76b7b2", "left": "#e15759",
                   "applied": "#f28e2b", "observer": "#b07aa1", "partner": "#9c755f", "invited": "#edc948"}
LABELS = {"PER": "person", "ORG": "organisation", "LOC": "place", "GPE": "state", "MISC": "other", "DATE": "date"}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False).map(unneutralise)


def rows_of(frame: pd.DataFrame) -> list[dict]:
    """The rows as dicts, column by column (``to_dict("records")`` is many times slower on Arrow strings)."""
    columns = list(frame.columns)
    return [dict(zip(columns, values)) for values in zip(*(frame[c].tolist() for c in columns))]


def _asset(name: str) -> str:
    return (resources.files("pipeline") / "report_assets" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def model_version() -> str:
    """A short hash of the shipped model files (what `--models` did not replace)."""
    from pipeline import nlp

    digest = hashlib.sha1()
    for path in sorted(nlp.default_model_dir().glob("id/*/*.pt")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _berita_version() -> str:
    try:
        return metadata.version("berita")
    except metadata.PackageNotFoundError:
        return "dev"


def claims_table(out: Path) -> pd.DataFrame:
    """The claims as the pipeline produced them, with each one's current status and corrected values."""
    current = _read(out / "memberships.csv")
    machine_path = out / MACHINE
    machine = _read(machine_path).set_index("claim_id") if machine_path.exists() else current.set_index("claim_id")
    frame = machine.reindex(current["claim_id"]).reset_index()
    frame = frame.fillna(current)  # a claim_id the machine copy lacks keeps the exported values
    frame["review_status"] = current["review_status"].str.strip().str.lower().values
    frame["fixed"] = [
        {f: cur[f] for f in CLAIM_FIELDS if cur[f] != mac[f]} if cur["review_status"].strip().lower() == "corrected"
        else {} for cur, mac in zip(rows_of(current), rows_of(frame))]
    return frame


def effective(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims with their corrections applied and the rejected ones left out: what the overview counts."""
    kept = claims[claims["review_status"] != "rejected"].copy()
    for field in CLAIM_FIELDS:
        kept[field] = [fixed.get(field, value) for fixed, value in zip(kept["fixed"], kept[field])]
    return kept


def timeline(org: str, claims: pd.DataFrame) -> str:
    """An SVG timeline of the dated claims of one organisation (years on the x axis).

    The same claim found in several documents is one mark, with its count.
    """
    dated = claims[claims["date_value"].str.match(r"^\d{4}")]
    if dated.empty:
        return "<p>No dated claims.</p>"
    marks = (dated.groupby(["member_id", "relation", "date_value"], sort=False).size()
             .reset_index(name="n").sort_values("date_value", kind="stable"))
    years = marks["date_value"].str[:4].astype(int)
    lo, hi = int(years.min()) - 1, int(years.max()) + 1
    width, row, right = 960, 18, 220
    x = lambda year: 40 + (year - lo) / max(hi - lo, 1) * (width - 40 - right)  # noqa: E731
    drawn = []
    for i, (r, year) in enumerate(zip(marks.itertuples(), years)):
        y = 30 + i * row
        label = f"{r.member_id} {r.relation} ({r.date_value})" + (f" ×{r.n}" if r.n > 1 else "")
        drawn.append(f'<circle cx="{x(year):.0f}" cy="{y}" r="5" fill="{RELATION_COLORS.get(r.relation, "#888")}">'
                     f'<title>{html.escape(label)}</title></circle>'
                     f'<text x="{x(year) + 9:.0f}" y="{y + 4}" font-size="12">{html.escape(label)}</text>')
    axis = "".join(f'<text x="{x(y):.0f}" y="14" font-size="11" text-anchor="middle">{y}</text>'
                   for y in range(lo, hi + 1, max(1, (hi - lo) // 10)))
    height = 40 + len(marks) * row
    return (f'<svg role="img" aria-label="timeline {html.escape(org)}" viewBox="0 0 {width} {height}" '
            f'width="100%" style="max-width:{width}px">'
            f'<line x1="40" y1="20" x2="{width - right}" y2="20" stroke="#999"/>{axis}{"".join(drawn)}</svg>')


def overview(claims: pd.DataFrame, docs: pd.DataFrame, ents: pd.DataFrame, dates: pd.DataFrame) -> str:
    """Counts per organisation and relation (dated and undated), timelines, entity counts."""
    kept = effective(claims)
    status = claims["review_status"].replace("", "unreviewed").value_counts()
    parts = [f"<p>{len(docs)} documents ({(docs['status'] == 'ok').sum()} ok, {(docs['status'] != 'ok').sum()} "
             f"failed); {len(claims)} claims: "
             + ", ".join(f"{html.escape(k)} {v}" for k, v in status.items()) + ". Rejected claims are left out "
             "below; corrected ones count with their corrections.</p>"]
    if not kept.empty:
        kept["dated"] = kept["date_value"].str.match(r"^\d{4}").map({True: "dated", False: "undated"})
        table = kept.pivot_table(index="organization_id", columns=["relation", "dated"], values="claim_id",
                                 aggfunc="count", fill_value=0)
        head = "".join(f"<th>{html.escape(r)}<br><small>{d}</small></th>" for r, d in table.columns)
        rows = "".join(f"<tr><th>{html.escape(org)}</th>" + "".join(f"<td>{n}</td>" for n in counts) + "</tr>"
                       for org, counts in table.iterrows())
        parts.append(f'<div class="scroll"><table id="org-counts"><tr><th>organisation</th>{head}</tr>{rows}'
                     '</table></div>')
    for org, group in kept.groupby("organization_id"):
        parts.append(f"<h3>{html.escape(org)}</h3>{timeline(org, group)}")
    counts = ", ".join(f"{label} {n}" for label, n in ents["label"].value_counts().items())
    parts.append(f"<p>Entities: {html.escape(counts) or 'none'}. Dates: {len(dates)}.</p>")
    return "".join(parts)


def legend() -> str:
    """Entity labels and relations, always visible (not only on hover)."""
    labels = "".join(f'<mark class="ent-{k}">{k}</mark> {v} ' for k, v in LABELS.items())
    rels = "".join(f'<li><b style="color:{RELATION_COLORS.get(r, "#888")}">{r}</b>: {html.escape(m)}</li>'
                   for r, m in relations().items())
    return f'<div class="legend"><p>{labels}</p><ul class="relations">{rels}</ul></div>'


def payload(out: Path, claims: pd.DataFrame, docs: pd.DataFrame, ents: pd.DataFrame, dates: pd.DataFrame) -> dict:
    """The records the page's script renders, compact: lists of rows, evidence sentences stored once."""
    index = {d: i for i, d in enumerate(docs["doc_id"])}
    sentences: dict[str, int] = {}
    rows = []
    for c in rows_of(claims):
        sentence = sentences.setdefault(c["evidence"], len(sentences))
        rows.append([index.get(c["doc_id"], -1), c["claim_id"], *(c[f] for f in CLAIM_FIELDS),
                     int(c["negated"] == "true"), sentence, int(c["sentence_index"] or 0), int(c["char_start"]),
                     int(c["char_end"]), c["review_status"], c["fixed"]])
    with_claims = set(claims["doc_id"])
    texts = {d: (out / "texts" / text_name(d)) for d in with_claims}
    full = sum(p.stat().st_size for p in texts.values() if p.exists()) <= TEXT_BUDGET
    spans: dict[str, list[tuple[int, int]]] = {}
    for doc_id, start, end in zip(*(claims[c].tolist() for c in ("doc_id", "char_start", "char_end"))):
        spans.setdefault(doc_id, []).append((int(start), int(end)))
    marks: dict[int, list] = {}
    for r in _marks(ents[ents["doc_id"].isin(with_claims)], dates[dates["doc_id"].isin(with_claims)]):
        if full or any(a <= r[1] and r[2] <= b for a, b in spans[r[0]]):
            marks.setdefault(index[r[0]], []).append(list(r[1:]))
    return {
        "docs": [[d.doc_id, d.title, d.published, d.status, d.error, _count(d.n_entities), _count(d.n_dates),
                  _count(d.n_memberships), f"texts/{text_name(d.doc_id)}"] for d in docs.itertuples()],
        "claims": rows, "sentences": list(sentences),
        "texts": {index[d]: p.read_text(encoding="utf-8") for d, p in texts.items() if full and p.exists()},
        "marks": marks, "fields": list(CLAIM_FIELDS), "relations": list(relations()),
        "known_ids": sorted(known_ids()), "colors": RELATION_COLORS,
    }


def _count(value: str) -> int:
    """A count read back from a CSV anyone can edit: a number, else 0."""
    return int(value) if str(value).isdigit() else 0


def facts_payload(facts: pd.DataFrame, as_of: str) -> dict:
    """The facts the page's facts view shows (each naming its claims by id) and every organisation's roster."""
    rows = [[f["fact_id"], f["member_id"], f["member"], f["organization_id"], f["relation"], f["date_value"],
             f["dates"], int(f["negated"] == "true"), f["n_documents"], f["first_published"], f["last_published"],
             f["conflict"], f["claim_ids"].split()] for f in rows_of(facts.astype(str))]
    rosters = {}
    for org in sorted(set(facts["organization_id"])):
        found = roster(facts, org, as_of)
        rosters[org] = {"members": [[m.member_id, m.member, m.since] for m in found.members.itertuples()],
                        "unplaced": found.unplaced["fact_id"].tolist()}
    return {"facts": rows, "rosters": rosters, "as_of": as_of, "events": list(EVENTS)}


def _marks(ents: pd.DataFrame, dates: pd.DataFrame) -> list[tuple]:
    """(doc_id, start, end, label, title) of every entity and date: what the page highlights."""
    found = [(r["doc_id"], int(r["char_start"]), int(r["char_end"]), r["label"],
              " · ".join(x for x in (r["canonical_id"], r["canonical_name"]) if x)) for r in rows_of(ents)]
    found += [(r["doc_id"], int(r["char_start"]), int(r["char_end"]), "DATE",
               " · ".join(x for x in (r["value"] or "unresolved", r["granularity"], r["kind"]) if x))
              for r in rows_of(dates)]
    return found


def _encode(data: dict) -> str:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")


def render(out: Path) -> str:
    """The report page for one output folder."""
    out = Path(out)
    docs, ents, dates = (_read(out / f"{t}.csv") for t in ("documents", "entities", "dates"))
    claims = claims_table(out)
    generated = datetime.now(timezone.utc).isoformat(timespec="seconds")
    data = {**payload(out, claims, docs, ents, dates), **facts_payload(folder_facts(out), generated[:10])}
    meta = (f"generated {generated} · berita {_berita_version()} · models {model_version()} · "
            f"{'full texts' if data['texts'] or claims.empty else 'claim sentences only (texts beyond the budget)'}")
    body = (f'<header><h1>berita report: {html.escape(out.name)}</h1><p class="meta">{html.escape(meta)}</p></header>'
            f'<nav><a href="#overview">Overview</a> <a href="#facts">Facts</a> <a href="#claims">Claims</a> '
            f'<a href="#documents">Documents</a></nav>'
            f'<section id="overview"><h2>Overview</h2>{overview(claims, docs, ents, dates)}{legend()}</section>'
            f'<section id="facts"><h2>Facts</h2><div id="facts-ui"></div></section>'
            f'<section id="claims"><h2>Claims</h2><div id="claims-ui"><p>Loading…</p></div></section>'
            f'<section id="doc-view" hidden></section>'
            f'<section id="documents"><h2>Documents</h2><div id="docs-ui"></div></section>')
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>berita report: {html.escape(out.name)}</title><style>{_asset("report.css")}</style></head>'
            f'<body data-store="berita-review:{html.escape(str(out.resolve()))}">{body}'
            f'<script id="payload" type="application/octet-stream">{_encode(data)}</script>'
            f'<script>{_asset("report.js")}</script></body></html>')


def write_report(out: Path) -> Path:
    """Write ``out/report.html`` through a temp file: a full disk leaves the previous report whole."""
    path = Path(out) / "report.html"
    write_text(path, render(out))
    return path
