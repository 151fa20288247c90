/* berita report: renders the records on demand and keeps review decisions in local storage.
   Every value from the records goes into the page as text (textContent), never as HTML. */
(function () {
  'use strict';
  var PAGE = 50, FIELDS, D, KEY = document.body.dataset.store;
  var claims = [], byId = {}, decisions = {}, factList = [], factsById = {};
  var state = {q: '', org: '', rel: '', status: '', negated: '', doc: '', sort: 'member', dir: 1, page: 0,
               docQ: '', docPage: 0, factOrg: ''};
  var COLUMNS = ['doc_id', 'claim_id', 'member', 'member_id', 'organization', 'organization_id', 'relation',
                 'date_text', 'date_value', 'negated', 'sentence_index', 'char_start', 'char_end', 'evidence',
                 'review_status'];

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      if (k === 'text') node.textContent = props[k];
      else if (k === 'class') node.className = props[k];
      else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), props[k]);
      else node.setAttribute(k, props[k]);
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  async function load() {
    if (typeof DecompressionStream === 'undefined') {
      throw new Error('this browser cannot read the report (it needs Chrome 80+, Firefox 113+ or Safari 16.4+)');
    }
    var b64 = document.getElementById('payload').textContent.trim();
    var binary = atob(b64), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return JSON.parse(await new Response(stream).text());
  }

  function toClaim(row) {
    var c = {doc: row[0], id: row[1], negated: !!row[9], sent: row[10], sentence_index: row[11], start: row[12],
             end: row[13], applied: row[14], fixed: row[15]};
    FIELDS.forEach(function (f, i) { c[f] = row[2 + i]; });
    c.evidence = D.sentences[c.sent];
    c.docId = D.docs[c.doc] ? D.docs[c.doc][0] : '';
    var cur = function (f) { return f in c.fixed ? c.fixed[f] : c[f]; };
    c.fact = [cur('member_id'), cur('organization_id'), cur('relation'), cur('date_value'), c.negated].join('\u001f');
    c.label = cur('member') + ' (' + cur('member_id') + ') · ' + cur('relation') + ' · ' + cur('organization_id') +
      (cur('date_value') ? ' · ' + cur('date_value') : '') + (c.negated ? ' · negated' : '');
    return c;
  }

  function effective(c) {
    var local = decisions[c.id];
    if (local) return {status: local.status, values: local.values || {}, local: true};
    return {status: c.applied, values: c.fixed, local: false};
  }

  function value(c, f) { var v = effective(c).values; return f in v ? v[f] : c[f]; }

  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(decisions)); } catch (e) { /* private mode: kept for this visit */ }
    updateCount();
  }

  // ------------------------------------------------------------------ highlighting

  function findRanges(text, wanted) {
    var lower = text.toLowerCase(), out = [];
    wanted.forEach(function (w) {
      if (!w[0]) return;
      var at = lower.indexOf(w[0].toLowerCase());
      if (at >= 0) out.push([at, at + w[0].length, w[1]]);
    });
    return out;
  }

  function marked(text, base, marks, anchors) {
    /* text from offset `base`, with marks [start, end, label, title] (absolute offsets) and anchor ids */
    var kept = [], cuts = {0: 1}, frag = document.createDocumentFragment();
    cuts[text.length] = 1;
    marks.slice().sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; }).forEach(function (m) {
      var s = m[0] - base, e = m[1] - base;
      if (s < 0 || e > text.length || (kept.length && s < kept[kept.length - 1][1])) return;
      kept.push([s, e, m[2], m[3]]); cuts[s] = 1; cuts[e] = 1;
    });
    Object.keys(anchors || {}).forEach(function (a) { if (a - base >= 0 && a - base <= text.length) cuts[a - base] = 1; });
    var points = Object.keys(cuts).map(Number).sort(function (a, b) { return a - b; });
    var open = null, k = 0;
    for (var i = 0; i + 1 < points.length; i++) {
      var a = points[i], b = points[i + 1];
      if (anchors && anchors[a + base]) anchors[a + base].forEach(function (id) { frag.appendChild(el('span', {id: id})); });
      if (k < kept.length && kept[k][0] === a) {
        var m = kept[k++];
        open = el('mark', {class: 'ent-' + m[2], title: m[2] + (m[3] ? ' · ' + m[3] : '')});
        frag.appendChild(open);
      }
      (open || frag).appendChild(document.createTextNode(text.slice(a, b)));
      if (open && kept[k - 1][1] === b) {
        open.appendChild(el('span', {class: 'lbl', text: kept[k - 1][2] + (kept[k - 1][3] ? ' ' + kept[k - 1][3].split(' · ')[0] : '')}));
        open = null;
      }
    }
    return frag;
  }

  function evidenceNode(c) {
    var ranges = findRanges(c.evidence, [[value(c, 'member'), 'hl-member'], [value(c, 'organization'), 'hl-org'],
                                         [value(c, 'date_text'), 'hl-date']]);
    var node = el('span', {class: 'evidence'});
    ranges.sort(function (x, y) { return x[0] - y[0]; });
    var at = 0;
    ranges.forEach(function (r) {
      if (r[0] < at) return;
      node.appendChild(document.createTextNode(c.evidence.slice(at, r[0])));
      node.appendChild(el('mark', {class: r[2], text: c.evidence.slice(r[0], r[1])}));
      at = r[1];
    });
    node.appendChild(document.createTextNode(c.evidence.slice(at)));
    return node;
  }

  // ------------------------------------------------------------------ claims

  function passes(c) {
    var e = effective(c), status = e.status || 'unreviewed';
    if (state.org && value(c, 'organization_id') !== state.org) return false;
    if (state.rel && value(c, 'relation') !== state.rel) return false;
    if (state.status && status !== state.status) return false;
    if (state.negated && String(c.negated) !== state.negated) return false;
    if (state.doc && c.docId.toLowerCase().indexOf(state.doc.toLowerCase()) < 0) return false;
    if (state.q) {
      var hay = [c.docId, c.id, c.evidence, status].concat(FIELDS.map(function (f) { return value(c, f); }))
        .join(' ').toLowerCase();
      if (hay.indexOf(state.q.toLowerCase()) < 0) return false;
    }
    return true;
  }

  var SORTS = {
    member: function (f) { return f.claims[0].label; },
    document: function (f) { return f.claims[0].docId; },
    relation: function (f) { return value(f.claims[0], 'relation'); },
    organisation: function (f) { return value(f.claims[0], 'organization_id'); },
    date: function (f) { return value(f.claims[0], 'date_value'); },
    evidence: function (f) { return -f.claims.length; },
    status: function (f) { return effective(f.claims[0]).status || 'unreviewed'; }
  };

  function facts() {
    var groups = {}, order = [];
    claims.forEach(function (c) {
      if (!passes(c)) return;
      if (!groups[c.fact]) { groups[c.fact] = {claims: []}; order.push(groups[c.fact]); }
      groups[c.fact].claims.push(c);
    });
    var key = SORTS[state.sort];
    return order.sort(function (a, b) {
      var x = key(a), y = key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * state.dir;
    });
  }

  function claimNode(c) {
    var e = effective(c), status = e.status || 'unreviewed';
    var changes = FIELDS.filter(function (f) { return f in e.values && e.values[f] !== c[f]; }).map(function (f) {
      return el('span', {class: 'change'}, [f + ': ', el('del', {text: c[f] || '∅'}), ' ', el('ins', {text: e.values[f] || '∅'}), ' ']);
    });
    var where = el('div', {class: 'where'}, [
      el('a', {href: '#doc-view', class: 'doc-link', text: c.docId, onclick: function (ev) { ev.preventDefault(); showDoc(c.doc, c.id); }}),
      ' · ', el('code', {class: 'claim-id', text: c.id}), ' · ', el('span', {class: 'status', text: status})
    ].concat(changes.length ? [' · '].concat(changes) : []));
    var node = el('div', {class: 'claim s-' + status + (e.local ? ' local' : ''), tabindex: '0', 'data-id': c.id}, [
      el('div', {}, [evidenceNode(c), where]),
      el('div', {class: 'buttons'}, [
        el('button', {type: 'button', class: 'accept', title: 'accept (a)', text: 'Accept', onclick: function () { decide(c, 'accepted'); }}),
        el('button', {type: 'button', class: 'reject', title: 'reject (r)', text: 'Reject', onclick: function () { decide(c, 'rejected'); }}),
        el('button', {type: 'button', class: 'correct', title: 'correct (c)', text: 'Correct…', onclick: function () { correctForm(c, node); }}),
        el('button', {type: 'button', class: 'clear', title: 'undo this browser\'s decision (u)', text: 'Undo', onclick: function () { decide(c, null); }})
      ])
    ]);
    return node;
  }

  function rowOf(c) {
    /* the claim's row the reviewer is on (a claim shows in the facts view and in the claims list) */
    var here = document.activeElement && document.activeElement.closest && document.activeElement.closest('.claim');
    return here && here.dataset.id === c.id ? here : document.querySelector('.claim[data-id="' + c.id + '"]');
  }

  function redraw(c, focus) {
    var old = rowOf(c), fresh;
    if (!old) return;
    document.querySelectorAll('.claim[data-id="' + c.id + '"]').forEach(function (row) {
      var node = claimNode(c);
      row.replaceWith(node);
      if (row === old) fresh = node;
    });
    if (focus) fresh.focus();
    return fresh;
  }

  function record(c, status, values) {
    if (status) decisions[c.id] = values ? {status: status, values: values} : {status: status};
    else delete decisions[c.id];
  }

  function decide(c, status, values) {
    record(c, status, values);
    save();
    renderFactHeads();
    var row = redraw(c, false);
    var next = row && row.nextElementSibling && row.nextElementSibling.classList.contains('claim') ? row.nextElementSibling : null;
    if (!next && row) {
      var all = Array.prototype.slice.call(document.querySelectorAll('.claim'));
      next = all[all.indexOf(row) + 1];
    }
    (status && next ? next : row || document.body).focus();
  }

  function problem(c, vals) {
    var ids = new Set(D.known_ids);
    var iso = /^\d{4}(-\d{2}(-\d{2})?)?$/;
    var okDate = function (d) {
      if (!iso.test(d)) return false;
      var p = d.split('-').map(Number), y = p[0], m = p[1] || 1, day = p[2] || 1;
      var t = new Date(Date.UTC(y, m - 1, day));
      return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === day;
    };
    for (var k = 0; k < 2; k++) {
      var f = ['member_id', 'organization_id'][k], v = vals[f];
      if (v !== c[f] && !ids.has(v) && !(v.indexOf('new:') === 0 && v.length > 4)) {
        return f + ' ' + JSON.stringify(v) + ' is neither an ISO 3166 alpha-3 code nor a known id (write new:Name for a new organisation)';
      }
    }
    if (D.relations.indexOf(vals.relation) < 0) return 'unknown relation ' + JSON.stringify(vals.relation);
    var parts = vals.date_value ? vals.date_value.split('/') : [];
    if (parts.length > 2 || !parts.every(okDate)) return 'date_value must be ISO 8601: 1992, 2023-08, 1992-05-15 or a/b';
    if (FIELDS.every(function (f) { return vals[f] === c[f]; })) return 'nothing changed: accept the claim instead';
    return null;
  }

  function correctForm(c, row) {
    if (!row || row.querySelector('.correct-form')) return;
    var inputs = {}, message = el('span', {class: 'problem'});
    var form = el('form', {class: 'correct-form'}, FIELDS.map(function (f) {
      var input;
      if (f === 'relation') {
        input = el('select', {name: f}, D.relations.map(function (r) { return el('option', {value: r, text: r}); }));
      } else {
        input = el('input', {name: f, size: f === 'member' || f === 'organization' ? 18 : 12});
        if (/_id$/.test(f)) input.setAttribute('list', 'known-ids');
      }
      input.value = value(c, f);
      inputs[f] = input;
      return el('label', {}, [f + ' ', input]);
    }).concat([el('button', {type: 'submit', text: 'Save correction'}),
               el('button', {type: 'button', text: 'Cancel', onclick: function () { redraw(c, true); }}), message]));
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var vals = {};
      FIELDS.forEach(function (f) { vals[f] = inputs[f].value.trim(); });
      var p = problem(c, vals);
      if (p) { message.textContent = p; return; }
      decide(c, 'corrected', vals);
    });
    row.appendChild(form);
    inputs.member_id.focus();
  }

  function showMore(box, list, from) {
    /* a fact that thousands of sentences state shows them a few at a time */
    var step = from ? 50 : 5;
    list.slice(from, from + step).forEach(function (c) { box.appendChild(claimNode(c)); });
    if (list.length > from + step) {
      var more = el('button', {type: 'button', class: 'more', text: 'show ' + Math.min(50, list.length - from - step) +
        ' more of ' + (list.length - from - step)});
      more.addEventListener('click', function () { more.remove(); showMore(box, list, from + step); });
      box.appendChild(more);
    }
  }

  function select(id, label, values, current) {
    var s = el('select', {id: id}, [el('option', {value: '', text: 'all'})].concat(values.map(function (v) {
      return el('option', {value: v, text: v});
    })));
    s.value = current;
    return el('label', {}, [label + ' ', s]);
  }

  function uniq(f) {
    var seen = {};
    claims.forEach(function (c) { seen[value(c, f)] = 1; });
    return Object.keys(seen).filter(Boolean).sort();
  }

  function renderClaims() {
    var ui = document.getElementById('claims-ui'), list = facts();
    var pages = Math.max(1, Math.ceil(list.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    var controls = el('div', {class: 'controls'}, [
      el('input', {type: 'search', id: 'f-search', placeholder: 'search (/)', value: state.q}),
      select('f-org', 'organisation', uniq('organization_id'), state.org),
      select('f-rel', 'relation', D.relations, state.rel),
      select('f-status', 'review', ['unreviewed', 'accepted', 'rejected', 'corrected'], state.status),
      select('f-negated', 'negated', ['true', 'false'], state.negated),
      el('input', {type: 'search', id: 'f-doc', placeholder: 'document', value: state.doc}),
      select('f-sort', 'sort by', Object.keys(SORTS), state.sort),
      el('button', {type: 'button', id: 'f-dir', text: state.dir > 0 ? '↑' : '↓', title: 'sort direction'})
    ]);
    controls.querySelector('#f-sort option[value=""]').remove();
    var bar = el('div', {class: 'controls'}, [
      el('span', {id: 'fact-count', text: list.length + ' facts, ' +
        list.reduce(function (n, f) { return n + f.claims.length; }, 0) + ' claims'}),
      el('span', {class: 'pager'}, [
        el('button', {type: 'button', id: 'prev', text: '‹ prev', onclick: function () { state.page--; renderClaims(); }}),
        el('span', {id: 'page', text: 'page ' + (state.page + 1) + ' of ' + pages}),
        el('button', {type: 'button', id: 'next', text: 'next ›', onclick: function () { state.page++; renderClaims(); }})]),
      el('button', {type: 'button', id: 'download', text: 'Download reviewed CSV', onclick: download}),
      el('span', {id: 'pending'})
    ]);
    bar.querySelector('#prev').disabled = state.page === 0;
    bar.querySelector('#next').disabled = state.page >= pages - 1;
    var body = el('div', {id: 'facts'}, list.slice(state.page * PAGE, (state.page + 1) * PAGE).map(function (f) {
      var docsOf = {};
      f.claims.forEach(function (c) { docsOf[c.docId] = 1; });
      var box = el('div', {class: 'fact'}, [el('h4', {}, [f.claims[0].label, ' ', el('span', {class: 'n', text:
        '— ' + f.claims.length + ' sentence' + (f.claims.length > 1 ? 's' : '') + ' in ' + Object.keys(docsOf).length +
        ' document' + (Object.keys(docsOf).length > 1 ? 's' : '')})])]);
      showMore(box, f.claims, 0);
      return box;
    }));
    var hint = el('p', {class: 'hint', text: 'Keys: j/k next/previous claim · a accept · r reject · c correct · u undo · ' +
      'd open its document · / search. Decisions stay in this browser until you download the CSV and run ' +
      '`berita review apply FILE --out FOLDER`.'});
    ui.replaceChildren(controls, bar, hint, body);
    ['f-search', 'f-doc'].forEach(function (id) {
      controls.querySelector('#' + id).addEventListener('input', function (ev) {
        state[id === 'f-search' ? 'q' : 'doc'] = ev.target.value; state.page = 0; renderSoon(id);
      });
    });
    [['f-org', 'org'], ['f-rel', 'rel'], ['f-status', 'status'], ['f-negated', 'negated'], ['f-sort', 'sort']].forEach(function (p) {
      controls.querySelector('#' + p[0]).addEventListener('change', function (ev) {
        state[p[1]] = ev.target.value; state.page = 0; renderClaims();
      });
    });
    controls.querySelector('#f-dir').addEventListener('click', function () { state.dir = -state.dir; renderClaims(); });
    updateCount();
  }

  // ------------------------------------------------------------------ facts

  function toFact(row) {
    return {id: row[0], member_id: row[1], member: row[2], org: row[3], relation: row[4], date: row[5], dates: row[6],
            negated: !!row[7], docs: row[8], first: row[9], last: row[10], conflict: row[11],
            claims: row[12].map(function (id) { return byId[id]; }).filter(Boolean)};
  }

  function factStatus(f) {
    /* from its claims' decisions, this browser's included: rejected when all are, accepted when all are decided */
    var statuses = f.claims.map(function (c) { return effective(c).status || ''; });
    if (statuses.every(function (s) { return s === 'rejected'; })) return 'rejected';
    return statuses.indexOf('') >= 0 ? 'unreviewed' : 'accepted';
  }

  function decideFact(f, status) {
    /* a whole fact: every claim; accepting keeps the corrections of corrected claims */
    f.claims.forEach(function (c) {
      if (!(status === 'accepted' && effective(c).status === 'corrected')) record(c, status);
    });
    save();
    f.claims.forEach(function (c) { redraw(c, false); });
    renderFactHeads();
  }

  function factHead(f) {
    var n = f.claims.length, status = factStatus(f);
    return [el('span', {class: 'when', text: f.date || 'undated'}), ' ',
      el('b', {text: f.member + ' (' + f.member_id + ')'}), ' ' + f.relation + (f.negated ? ' (negated)' : '') + ' ',
      el('span', {class: 'n', text: '— ' + n + ' claim' + (n > 1 ? 's' : '') + ' in ' + f.docs + ' document' +
        (f.docs > 1 ? 's' : '') + (f.dates ? ' · dates ' + f.dates : '')}), ' ',
      el('span', {class: 'status', text: status}),
      f.conflict ? el('span', {class: 'conflict-text', text: ' ⚠ ' + f.conflict}) : null];
  }

  function renderFactHeads() {
    document.querySelectorAll('details.fact-row').forEach(function (box) {
      var f = factsById[box.dataset.fact];
      box.className = 'fact-row fs-' + factStatus(f) + (f.conflict ? ' conflict' : '');
      var head = box.querySelector('summary .head');
      head.replaceChildren.apply(head, factHead(f).filter(Boolean));
    });
  }

  function factNode(f) {
    var box = el('details', {class: 'fact-row', 'data-fact': f.id}, [el('summary', {}, [
      el('span', {class: 'head'}),
      el('span', {class: 'buttons'}, [
        el('button', {type: 'button', class: 'accept-fact', text: 'Accept fact', onclick: function (ev) {
          ev.preventDefault(); decideFact(f, 'accepted'); }}),
        el('button', {type: 'button', class: 'reject-fact', text: 'Reject fact', onclick: function (ev) {
          ev.preventDefault(); decideFact(f, 'rejected'); }}),
        el('button', {type: 'button', class: 'undo-fact', text: 'Undo', onclick: function (ev) {
          ev.preventDefault(); decideFact(f, null); }})])])]);
    box.addEventListener('toggle', function () {
      /* the claims and their evidence are drawn when the fact is opened */
      if (box.open && !box.querySelector('.claim')) showMore(box, f.claims, 0);
    });
    return box;
  }

  function renderFacts() {
    var ui = document.getElementById('facts-ui'), orgs = Object.keys(D.rosters);
    if (!orgs.length) { ui.replaceChildren(el('p', {text: 'No facts.'})); return; }
    if (orgs.indexOf(state.factOrg) < 0) {  /* first the organisation with the most facts */
      var counts = {};
      factList.forEach(function (f) { counts[f.org] = (counts[f.org] || 0) + 1; });
      state.factOrg = orgs.reduce(function (a, b) { return (counts[b] || 0) > (counts[a] || 0) ? b : a; });
    }
    var mine = factList.filter(function (f) { return f.org === state.factOrg; });
    var roster = D.rosters[state.factOrg], pick = select('fx-org', 'organisation', orgs, state.factOrg);
    pick.querySelector('option[value=""]').remove();
    pick.querySelector('select').addEventListener('change', function (ev) { state.factOrg = ev.target.value; renderFacts(); });
    var byDate = function (a, b) {  /* undated last */
      var x = a.date || '\uffff', y = b.date || '\uffff';
      return x < y ? -1 : x > y ? 1 : 0;
    };
    var events = mine.filter(function (f) { return D.events.indexOf(f.relation) >= 0; }).sort(byDate);
    var others = mine.filter(function (f) { return D.events.indexOf(f.relation) < 0; }).sort(byDate);
    ui.replaceChildren(el('div', {class: 'controls'}, [pick, el('span', {class: 'hint', text:
        mine.length + ' facts; open one for its claims. Accept or reject a fact to decide all its claims.'})]),
      el('h3', {text: 'Roster as of ' + D.as_of + ' (' + roster.members.length + ' members)'}),
      el('p', {id: 'roster'}, roster.members.map(function (m) {
        return el('span', {class: 'member', title: m[1] + ', since ' + m[2], text: m[0]});
      })),
      roster.unplaced.length ? el('p', {class: 'hint', text: roster.unplaced.length + ' fact(s) cannot be placed in ' +
        'time (undated, or dated too coarsely): ' + roster.unplaced.map(function (id) {
          return factsById[id].member_id + ' ' + factsById[id].relation; }).join(', ')}) : null,
      el('h3', {text: 'Timeline: founders, joins and leaves'}),
      el('div', {id: 'fact-timeline'}, events.map(factNode)),
      el('h3', {text: 'Other facts'}), el('div', {id: 'fact-others'}, others.map(factNode)));
    renderFactHeads();
  }

  var timer = null;
  function renderSoon(focusId) {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var pos = document.getElementById(focusId).selectionStart;
      renderClaims();
      var input = document.getElementById(focusId);
      input.focus(); input.setSelectionRange(pos, pos);
    }, 150);
  }

  function updateCount() {
    var n = Object.keys(decisions).length, p = document.getElementById('pending');
    if (p) p.textContent = n ? n + ' decision' + (n > 1 ? 's' : '') + ' in this browser, not applied yet' : '';
  }

  // ------------------------------------------------------------------ CSV out

  function cell(v) {
    v = v === undefined || v === null ? '' : String(v);
    if (/^[=+\-@\t\r']/.test(v)) v = "'" + v;  /* as pipeline/export.py's neutralise */
    return '"' + v.replace(/"/g, '""') + '"';
  }

  function csv() {
    var lines = [COLUMNS.join(',')];
    claims.forEach(function (c) {
      var e = effective(c);
      if (!e.status) return;
      var row = {doc_id: c.docId, claim_id: c.id, negated: c.negated ? 'true' : 'false', sentence_index: c.sentence_index,
                 char_start: c.start, char_end: c.end, evidence: c.evidence, review_status: e.status};
      FIELDS.forEach(function (f) { row[f] = e.status === 'corrected' ? value(c, f) : c[f]; });
      lines.push(COLUMNS.map(function (k) { return cell(row[k]); }).join(','));
    });
    return '\ufeff' + lines.join('\r\n') + '\r\n';
  }

  function download() {
    var a = el('a', {href: URL.createObjectURL(new Blob([csv()], {type: 'text/csv;charset=utf-8'})),
                     download: 'reviewed_memberships_browser.csv'});
    document.body.appendChild(a); a.click(); a.remove();
  }

  // ------------------------------------------------------------------ documents

  function showDoc(i, claimId) {
    var d = D.docs[i], view = document.getElementById('doc-view');
    var mine = claims.filter(function (c) { return c.doc === i; });
    var anchors = {};
    mine.forEach(function (c) { (anchors[c.start] = anchors[c.start] || []).push('at-' + c.id); });
    var marks = D.marks[i] || [], text = D.texts[i], body;
    if (text !== undefined) {
      body = el('div', {class: 'text'}, [marked(text, 0, marks, anchors)]);
    } else {
      var seen = {};
      body = el('div', {}, [el('p', {class: 'hint', text: 'The sentences its claims come from (the full text is in ' + d[8] +
        ': this batch is too large to carry every text).'})].concat(mine.filter(function (c) {
        return seen[c.start] ? false : (seen[c.start] = 1);
      }).map(function (c) {
        return el('div', {class: 'snippet'}, [marked(c.evidence, c.start, marks, anchors)]);
      })));
    }
    view.replaceChildren(
      el('button', {type: 'button', id: 'close-doc', text: 'Close (Esc)', onclick: closeDoc}),
      el('h2', {text: d[0]}), el('p', {class: 'meta', text: [d[1], d[2], d[3], d[4]].filter(Boolean).join(' · ')}),
      el('ul', {class: 'doc-claims'}, mine.map(function (c) {
        return el('li', {}, [el('a', {href: '#at-' + c.id, class: 'claim-link', text: c.label, onclick: function (ev) {
          ev.preventDefault(); document.getElementById('at-' + c.id).scrollIntoView({block: 'center'});
        }}), ' · ' + (effective(c).status || 'unreviewed')]);
      })), body);
    view.hidden = false;
    var target = claimId && document.getElementById('at-' + claimId);
    (target || view).scrollIntoView({block: 'center'});
  }

  function closeDoc() {
    var view = document.getElementById('doc-view');
    view.hidden = true; view.replaceChildren();
    document.getElementById('claims').scrollIntoView();
  }

  function renderDocs() {
    var ui = document.getElementById('docs-ui'), q = state.docQ.toLowerCase();
    var list = D.docs.map(function (d, i) { return [d, i]; }).filter(function (p) {
      return !q || (p[0][0] + ' ' + p[0][1] + ' ' + p[0][4]).toLowerCase().indexOf(q) >= 0;
    });
    var pages = Math.max(1, Math.ceil(list.length / PAGE));
    state.docPage = Math.min(state.docPage, pages - 1);
    var search = el('input', {type: 'search', id: 'doc-search', placeholder: 'search documents', value: state.docQ});
    search.addEventListener('change', function (ev) { state.docQ = ev.target.value; state.docPage = 0; renderDocs(); });
    var table = el('table', {id: 'doc-table'}, [el('tr', {}, ['document', 'status', 'title', 'published', 'entities',
      'dates', 'claims', 'error'].map(function (h) { return el('th', {text: h}); }))].concat(
      list.slice(state.docPage * PAGE, (state.docPage + 1) * PAGE).map(function (p) {
        var d = p[0], name = d[7] ? el('a', {href: '#doc-view', text: d[0], onclick: function (ev) {
          ev.preventDefault(); showDoc(p[1]);
        }}) : document.createTextNode(d[0]);
        return el('tr', {}, [el('td', {}, [name])].concat([d[3], d[1], d[2], d[5], d[6], d[7]].map(function (v) {
          return el('td', {text: String(v)});
        })).concat([el('td', {class: 'error', text: d[4]})]));
      })));
    ui.replaceChildren(el('div', {class: 'controls'}, [search, el('span', {class: 'pager'}, [
      el('button', {type: 'button', text: '‹ prev', disabled: state.docPage === 0 ? '' : null,
                    onclick: function () { state.docPage--; renderDocs(); }}),
      'page ' + (state.docPage + 1) + ' of ' + pages + ' (' + list.length + ' documents)',
      el('button', {type: 'button', text: 'next ›', onclick: function () { state.docPage++; renderDocs(); }})])]),
      el('div', {class: 'scroll'}, [table]));
    if (state.docPage === 0) ui.querySelector('.pager button').disabled = true;
    ui.querySelectorAll('.pager button')[1].disabled = state.docPage >= pages - 1;
  }

  // ------------------------------------------------------------------ keys

  function focusedClaim() {
    var node = document.activeElement && document.activeElement.closest && document.activeElement.closest('.claim');
    return node ? byId[node.dataset.id] : null;
  }

  function move(step) {
    var all = Array.prototype.slice.call(document.querySelectorAll('.claim'));
    var at = all.indexOf(document.activeElement);
    var next = all[Math.max(0, Math.min(all.length - 1, at + step))];
    if (next) next.focus();
  }

  document.addEventListener('keydown', function (ev) {
    var tag = ev.target.tagName;
    if (ev.key === 'Escape') {
      if (tag === 'INPUT' || tag === 'SELECT') { var c0 = focusedClaim(); if (c0) redraw(c0, true); else ev.target.blur(); }
      else if (!document.getElementById('doc-view').hidden) closeDoc();
      return;
    }
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var c = focusedClaim();
    var actions = {
      j: function () { move(1); }, ArrowDown: function () { move(1); }, k: function () { move(-1); },
      ArrowUp: function () { move(-1); }, '/': function () { document.getElementById('f-search').focus(); },
      a: function () { if (c) decide(c, 'accepted'); }, r: function () { if (c) decide(c, 'rejected'); },
      c: function () { if (c) correctForm(c, rowOf(c)); }, u: function () { if (c) decide(c, null); },
      d: function () { if (c) showDoc(c.doc, c.id); }
    };
    if (actions[ev.key] && (c || 'jk/'.indexOf(ev.key) >= 0 || ev.key.indexOf('Arrow') === 0)) {
      ev.preventDefault(); actions[ev.key]();
    }
  });

  load().then(function (data) {
    D = data; FIELDS = D.fields;
    try { decisions = JSON.parse(localStorage.getItem(KEY) || '{}'); } catch (e) { decisions = {}; }
    claims = D.claims.map(toClaim);
    claims.forEach(function (c) { byId[c.id] = c; });
    factList = D.facts.map(toFact);
    factList.forEach(function (f) { factsById[f.id] = f; });
    Object.keys(decisions).forEach(function (id) { if (!byId[id]) delete decisions[id]; });
    var list = el('datalist', {id: 'known-ids'}, D.known_ids.map(function (v) { return el('option', {value: v}); }));
    document.body.appendChild(list);
    renderFacts();
    renderClaims();
    renderDocs();
    document.body.dataset.ready = 'true';
    requestAnimationFrame(function () {  /* first frame after rendering: what benchmarks/report_scale.py measures */
      setTimeout(function () { document.body.dataset.paintedMs = String(Math.round(performance.now())); }, 0);
    });
  }).catch(function (err) {
    document.getElementById('claims-ui').replaceChildren(el('p', {class: 'error', text: 'The report could not be read: ' + err.message}));
    throw err;
  });
}());
