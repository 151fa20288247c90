"""`berita report OUT_DIR`: one self-contained HTML page to review a run.

No network and no CDN: styles, script and the timeline figures (SVG) are
inline.  The page has an overview (documents, claims per organisation with a
timeline, entity and date counts), then one section per document with its
cleaned text, entities and dates highlighted (label and canonical id on
hover) and its claims next to their evidence, each linking to its place in
the text.  Filters narrow the claims by organisation, relation and review
status.
"""
from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from pipeline.export import safe_name, unneutralise, write_text

RELATION_COLORS = {"member": "#4e79a7", "founder": "#59a14f", "joined": "#76b7b2", "left": "#e15759",
                   "applied": "#f28e2b", "observer": "#b07aa1", "partner": "#9c755f", "invited": "#edc948"}
STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1em;color:#222}
h1{margin-top:0}table{border-collapse:collapse;width:100%;margin:.5em 0}
td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top;font-size:14px}
mark{padding:0 2px;border-radius:3px;cursor:help}mark.ent{background:#dbe9f6}mark.ent-GPE{background:#d4edda}
mark.ent-PER{background:#fbe3d6}mark.ent-ORG{background:#e8dcf4}mark.ent-LOC{background:#fff3c4}
mark.date{background:#fde2e4;border-bottom:2px solid #e15759}
.text{white-space:pre-wrap;border:1px solid #ccc;padding:.8em;background:#fafafa}
.filters select{margin-right:1em}.error{color:#b00}.hidden{display:none}
section.doc{border-top:3px solid #4e79a7;margin-top:2em}a.claim{font-size:12px}
"""
SCRIPT = """
function applyFilters(){
  var o=document.getElementById('f-org').value, r=document.getElementById('f-rel').value,
      s=document.getElementById('f-status').value;
  document.querySelectorAll('tr.claim').forEach(function(row){
    var ok=(!o||row.dataset.org===o)&&(!r||row.dataset.rel===r)&&(!s||row.dataset.status===s);
    row.classList.toggle('hidden',!ok);
  });
}
document.querySelectorAll('.filters select').forEach(function(el){el.addEventListener('change',applyFilters);});
"""


def _read(out: Path, table: str) -> pd.DataFrame:
    frame = pd.read_csv(Path(out) / f"{table}.csv", dtype=str, keep_default_na=False).map(unneutralise)
    for column in ("char_start", "char_end"):
        if column in frame:
            frame[column] = frame[column].astype(int)
    return frame


def _anchor(doc_id: str, start: int) -> str:
    return f"d-{safe_name(doc_id)}-{start}"


def highlight(text: str, entities: pd.DataFrame, dates: pd.DataFrame, anchors: set[int], doc_id: str) -> str:
    """The text with entity and date marks and claim anchors, escaped."""
    spans = [(r.char_start, r.char_end, "ent ent-" + r.label,
              " · ".join(x for x in (r.label, r.canonical_id, r.canonical_name) if x)) for r in entities.itertuples()]
    spans += [(r.char_start, r.char_end, "date", f"date · {r.value or 'unresolved'} · {r.granularity} · {r.kind}")
              for r in dates.itertuples()]
    kept: list[tuple[int, int, str, str]] = []
    for span in sorted(spans):
        if not kept or span[0] >= kept[-1][1]:  # overlapping marks would nest badly: the first one wins
            kept.append(span)
    opens = {start: (css, title) for start, _, css, title in kept}
    closes = {end for _, end, _, _ in kept}
    cuts = sorted({0, len(text), *anchors, *opens, *closes})
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        if a in closes:
            pieces.append("</mark>")
        if a in anchors:
            pieces.append(f'<a id="{_anchor(doc_id, a)}"></a>')
        if a in opens:
            css, title = opens[a]
            pieces.append(f'<mark class="{css}" title="{html.escape(title)}">')
        pieces.append(html.escape(text[a:b]))
    if len(text) in closes:
        pieces.append("</mark>")
    return "".join(pieces)


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
    return (f'<svg role="img" aria-label="timeline {html.escape(org)}" width="{width}" height="{height}">'
            f'<line x1="40" y1="20" x2="{width - right}" y2="20" stroke="#999"/>{axis}{"".join(drawn)}</svg>')


def _options(select_id: str, label: str, values) -> str:
    options = "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in sorted(set(values)) if v)
    return f'<label>{label} <select id="{select_id}"><option value="">all</option>{options}</select></label>'


def _claim_rows(claims: pd.DataFrame) -> str:
    rows = []
    for r in claims.itertuples():
        status = r.review_status or "unreviewed"
        negated = " (negated)" if r.negated == "true" else ""
        rows.append(
            f'<tr class="claim" data-org="{html.escape(r.organization_id)}" data-rel="{r.relation}" '
            f'data-status="{html.escape(status)}"><td>{html.escape(r.member)} ({html.escape(r.member_id)})</td>'
            f'<td>{r.relation}{negated}</td><td>{html.escape(r.organization_id)}</td>'
            f'<td>{html.escape(r.date_value)}</td><td>{html.escape(status)}</td><td>{html.escape(r.evidence)} '
            f'<a class="claim" href="#{_anchor(r.doc_id, r.char_start)}">[in text]</a></td></tr>')
    head = "<tr><th>member</th><th>relation</th><th>organisation</th><th>date</th><th>review</th><th>evidence</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def render(out: Path) -> str:
    """The report page for one output folder."""
    out = Path(out)
    docs, ents, dates, claims = (_read(out, t) for t in ("documents", "entities", "dates", "memberships"))
    reviewed = out / "reviewed_memberships.csv"
    if reviewed.exists():
        status = _read(out, "reviewed_memberships").set_index("claim_id")["review_status"]
        claims["review_status"] = claims["claim_id"].map(status).fillna(claims["review_status"])
    parts = [f"<h1>berita report: {html.escape(out.name)}</h1>", "<h2>Documents</h2><table>",
             "<tr><th>doc_id</th><th>status</th><th>entities</th><th>dates</th><th>claims</th><th>error</th></tr>"]
    for d in docs.itertuples():
        link = f'<a href="#doc-{safe_name(d.doc_id)}">{html.escape(d.doc_id)}</a>' if d.status == "ok" else \
            html.escape(d.doc_id)
        parts.append(f'<tr><td>{link}</td><td>{d.status}</td><td>{d.n_entities}</td><td>{d.n_dates}</td>'
                     f'<td>{d.n_memberships}</td><td class="error">{html.escape(d.error)}</td></tr>')
    parts.append("</table><h2>Claims by organisation</h2>")
    for org, group in claims.groupby("organization_id"):
        parts.append(f"<h3>{html.escape(org)}</h3>{timeline(org, group)}")
    counts = ", ".join(f"{label} {n}" for label, n in ents["label"].value_counts().items())
    parts.append(f"<h2>Counts</h2><p>Entities: {counts or 'none'}. Dates: {len(dates)}.</p>")
    parts.append('<h2>Claims</h2><div class="filters">'
                 + _options("f-org", "organisation", claims["organization_id"])
                 + _options("f-rel", "relation", claims["relation"])
                 + _options("f-status", "review", claims["review_status"].replace("", "unreviewed"))
                 + "</div>" + _claim_rows(claims))
    for d in docs[docs["status"] == "ok"].itertuples():
        text_path = out / "texts" / f"{safe_name(d.doc_id)}.txt"
        text = text_path.read_text(encoding="utf-8") if text_path.exists() else ""
        mine = claims[claims["doc_id"] == d.doc_id]
        body = highlight(text, ents[ents["doc_id"] == d.doc_id], dates[dates["doc_id"] == d.doc_id],
                         set(mine["char_start"]), d.doc_id)
        parts.append(f'<section class="doc" id="doc-{safe_name(d.doc_id)}"><h2>{html.escape(d.doc_id)}</h2>'
                     f'<p>{html.escape(d.title)} {html.escape(d.published)}</p>{_claim_rows(mine)}'
                     f'<div class="text">{body}</div></section>')
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>berita report</title>'
            f'<style>{STYLE}</style></head><body>{"".join(parts)}<script>{SCRIPT}</script></body></html>')


def write_report(out: Path) -> Path:
    """Write ``out/report.html`` through a temp file: a full disk leaves the previous report whole."""
    return write_text(Path(out) / "report.html", render(out))

