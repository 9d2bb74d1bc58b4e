/* ADC resistance map: filter, sort, paginate and expand the embedded triples.
   Plain DOM; text is only ever set with textContent, never parsed as HTML. */
(function () {
  "use strict";
  var t0 = performance.now();
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var PAGE = 50;
  var ROLE_NAMES = { drug: "drug", mechanism: "mechanism", strategy: "strategy", entity: "entity" };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") node.textContent = attrs[k];
        else if (k === "cls") node.className = attrs[k];
        else node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function label(cat) { return cat ? cat.replace(/_/g, " ") : "\u2014"; }
  function uniqueSorted(values) {
    var seen = {};
    values.forEach(function (v) { if (v) seen[v] = true; });
    return Object.keys(seen).sort(function (a, b) { return a.localeCompare(b); });
  }
  function fillSelect(select, values, fmt) {
    values.forEach(function (v) { select.appendChild(el("option", { value: v, text: fmt ? fmt(v) : v })); });
  }

  /* ---------- triples table ---------- */
  var T = DATA.triples;
  T.forEach(function (r) {
    r._text = [r.id, r.drug, r.mech, r.ment, r.mcat, r.strat, r.sent, r.scat].join(" ").toLowerCase();
    r._flags = r.nh + r.nn;
  });
  var state = { drug: "", mcat: "", scat: "", conf: 0, q: "", onlyNew: false, key: "conf", dir: -1, page: 0, open: {} };
  var $ = function (id) { return document.getElementById(id); };
  var rows = T;

  fillSelect($("f-drug"), uniqueSorted(T.map(function (r) { return r.drug; })));
  fillSelect($("f-mcat"), uniqueSorted(DATA.vocab.mech.concat(T.map(function (r) { return r.mcat; }))), label);
  fillSelect($("f-scat"), uniqueSorted(DATA.vocab.strat.concat(T.map(function (r) { return r.scat; }))), label);

  function matches(r) {
    if (state.drug && r.drug !== state.drug) return false;
    if (state.mcat && (state.mcat === "-" ? r.mcat : r.mcat !== state.mcat)) return false;
    if (state.scat && (state.scat === "-" ? r.scat : r.scat !== state.scat)) return false;
    if (r.conf < state.conf) return false;
    if (state.onlyNew && !r.new) return false;
    if (state.q && r._text.indexOf(state.q) < 0 && !sentenceMatch(r.id, state.q)) return false;
    return true;
  }
  var sentenceCache = {};
  function sentenceMatch(id, q) {
    var text = sentenceCache[id];
    if (text === undefined) {
      text = (DATA.evidence[id] || []).map(function (e) { return e.s; }).join(" ").toLowerCase();
      sentenceCache[id] = text;
    }
    return text.indexOf(q) >= 0;
  }
  function sortKey(r, key) { return key === "flags" ? r._flags : r[key]; }
  var collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
  function compare(a, b) {
    var x = sortKey(a, state.key), y = sortKey(b, state.key);
    var c = typeof x === "number" ? x - y : collator.compare(x, y);
    if (c !== 0) return c * state.dir;
    return (b.conf - a.conf) || (a.id < b.id ? -1 : (a.id > b.id ? 1 : 0));
  }
  function apply() {
    rows = T.filter(matches);
    rows.sort(compare);
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    render();
  }

  function flagBadges(nh, nn, pol) {
    var out = [];
    if (pol === "negated") out.push(el("span", { cls: "badge neg", title: "every evidence sentence denies this claim: a negative finding, not support", text: "negative finding" }));
    if (nh) out.push(el("span", { cls: "badge hed", title: nh + " hedged evidence rows", text: nh + " hedged" }));
    if (nn) out.push(el("span", { cls: "badge neg", title: nn + " negated evidence rows", text: nn + " negated" }));
    return out;
  }
  function slotCell(specific) { return el("td", null, [specific || "\u2014"]); }
  function catCell(cat) { return el("td", { cls: cat ? "cat" : "cat none" }, [label(cat)]); }

  function highlighted(sentence, spans) {
    var q = el("blockquote", { cls: "sentence" });
    var pos = 0;
    spans.forEach(function (sp) {
      if (sp[0] < pos) return;
      if (sp[0] > pos) q.appendChild(document.createTextNode(sentence.slice(pos, sp[0])));
      q.appendChild(el("mark", { cls: "hl-" + sp[2], title: ROLE_NAMES[sp[2]] || sp[2] }, [sentence.slice(sp[0], sp[1])]));
      pos = sp[1];
    });
    if (pos < sentence.length) q.appendChild(document.createTextNode(sentence.slice(pos)));
    return q;
  }
  function refItem(ref) {
    var li = el("li");
    li.appendChild(el("span", { cls: "refn", text: ref.n === null ? "[?]" : "[" + ref.n + "]" }));
    if (ref.title) li.appendChild(document.createTextNode(" " + ref.title + (ref.year ? " (" + ref.year + ")" : "") + " "));
    if (ref.links.length) {
      ref.links.forEach(function (l) {
        li.appendChild(el("a", { href: l[1], target: "_blank", rel: "noopener noreferrer", cls: "reflink", text: l[0] }));
      });
    } else {
      var ids = Object.keys(ref.ids).map(function (k) { return k + ":" + ref.ids[k]; }).join(" ");
      li.appendChild(el("span", { cls: "muted", text: ids ? " " + ids : " (no identifier in the reference list)" }));
    }
    return li;
  }
  function evidencePanel(r) {
    var box = el("div", { cls: "evidence" });
    var evs = DATA.evidence[r.id] || [];
    box.appendChild(el("p", { cls: "legend" }, [
      el("mark", { cls: "hl-drug", text: "drug" }), " ", el("mark", { cls: "hl-mechanism", text: "mechanism" }), " ",
      el("mark", { cls: "hl-strategy", text: "strategy" }), " ", el("mark", { cls: "hl-entity", text: "other entity" }),
      el("span", { cls: "muted", text: "  triple " + r.id + (r.mech ? " \u00b7 mechanism: " + r.mech : "") + (r.strat ? " \u00b7 strategy: " + r.strat : "") })
    ]));
    if (!evs.length) box.appendChild(el("p", { cls: "muted", text: "No evidence rows in this export." }));
    evs.forEach(function (e) {
      var item = el("div", { cls: "ev" + (e.neg ? " is-neg" : "") + (e.hed ? " is-hed" : "") });
      item.appendChild(highlighted(e.s, e.hl));
      var doc = DATA.docs[e.doc] || {};
      var meta = el("p", { cls: "meta" }, [
        el("strong", { text: doc.title || doc.file || e.doc }),
        doc.year ? " (" + doc.year + ")" : "",
        " \u00b7 section: " + (e.sec || "\u2014") + " \u00b7 sentence " + e.si + " \u00b7 extractor " + e.ext + " "
      ]);
      if (e.hed) meta.appendChild(el("span", { cls: "badge hed", text: "hedged" }));
      if (e.neg) meta.appendChild(el("span", { cls: "badge neg", text: "negated" }));
      item.appendChild(meta);
      if (e.refs.length) {
        item.appendChild(el("p", { cls: "refhead", text: "Cited primary papers" }));
        item.appendChild(el("ul", { cls: "refs" }, e.refs.map(refItem)));
      } else {
        item.appendChild(el("p", { cls: "muted small", text: "This sentence cites no reference." }));
      }
      box.appendChild(item);
    });
    return box;
  }
  function toggle(id) {
    if (state.open[id]) delete state.open[id]; else state.open[id] = true;
    render();
  }
  function render() {
    var body = $("t-body");
    var frag = document.createDocumentFragment();
    var start = state.page * PAGE;
    rows.slice(start, start + PAGE).forEach(function (r) {
      var open = !!state.open[r.id];
      var btn = el("button", { type: "button", cls: "expander", "aria-expanded": open ? "true" : "false", title: "show evidence" }, [open ? "\u25be " : "\u25b8 ", r.drug]);
      var first = el("td", { cls: "drug" }, [btn]);
      if (r.new) first.appendChild(el("span", { cls: "badge new", text: "new" }));
      var flags = el("td", null, flagBadges(r.nh, r.nn, r.pol));
      var tr = el("tr", { cls: "trow" + (open ? " open" : ""), "data-id": r.id }, [
        first, catCell(r.mcat), slotCell(r.ment || r.mech), catCell(r.scat), slotCell(r.sent || r.strat),
        el("td", { cls: "num", text: String(r.ne) }), el("td", { cls: "num", text: String(r.nd) }),
        el("td", { cls: "num", text: String(r.np) }), flags,
        el("td", { cls: "num" }, [el("span", { cls: "conf", style: "--c:" + r.conf }, [r.conf.toFixed(2)])])
      ]);
      tr.addEventListener("click", function (ev) { if (ev.target.tagName !== "A") toggle(r.id); });
      frag.appendChild(tr);
      if (open) frag.appendChild(el("tr", { cls: "evrow", "data-for": r.id }, [el("td", { colspan: "10" }, [evidencePanel(r)])]));
    });
    body.replaceChildren(frag);
    var n = rows.length;
    $("t-status").textContent = n === T.length
      ? n.toLocaleString() + " triples"
      : n.toLocaleString() + " of " + T.length.toLocaleString() + " triples match";
    pager($("t-pager"), n, state.page, function (p) { state.page = p; render(); });
    document.querySelectorAll("#t-table th[data-key]").forEach(function (th) {
      var k = th.getAttribute("data-key");
      th.setAttribute("aria-sort", k === state.key ? (state.dir > 0 ? "ascending" : "descending") : "none");
    });
  }
  function pager(box, n, page, go, size) {
    var pages = Math.max(1, Math.ceil(n / (size || PAGE)));
    box.replaceChildren();
    if (pages === 1) return;
    var prev = el("button", { type: "button", text: "\u2039 previous" });
    var next = el("button", { type: "button", text: "next \u203a" });
    prev.disabled = page === 0; next.disabled = page >= pages - 1;
    prev.addEventListener("click", function () { go(page - 1); });
    next.addEventListener("click", function () { go(page + 1); });
    box.appendChild(prev);
    box.appendChild(el("span", { text: " page " + (page + 1) + " of " + pages + " " }));
    box.appendChild(next);
  }

  /* ---------- controls ---------- */
  function onFilter(update) { return function (ev) { update(ev.target); state.page = 0; apply(); }; }
  $("f-drug").addEventListener("change", onFilter(function (t) { state.drug = t.value; }));
  $("f-mcat").addEventListener("change", onFilter(function (t) { state.mcat = t.value; }));
  $("f-scat").addEventListener("change", onFilter(function (t) { state.scat = t.value; }));
  $("f-conf").addEventListener("input", onFilter(function (t) { state.conf = parseFloat(t.value) || 0; }));
  $("f-new").addEventListener("change", onFilter(function (t) { state.onlyNew = t.checked; }));
  var timer = null;
  $("f-q").addEventListener("input", function (ev) {
    clearTimeout(timer);
    timer = setTimeout(function () { state.q = ev.target.value.trim().toLowerCase(); state.page = 0; apply(); }, 120);
  });
  function reset() {
    ["f-drug", "f-mcat", "f-scat", "f-q"].forEach(function (id) { $(id).value = ""; });
    $("f-conf").value = "0"; $("f-new").checked = false;
    state.drug = state.mcat = state.scat = state.q = ""; state.conf = 0; state.onlyNew = false; state.page = 0;
  }
  $("f-reset").addEventListener("click", function () { reset(); apply(); });
  document.querySelectorAll("#t-table th[data-key]").forEach(function (th) {
    th.tabIndex = 0;
    function sort() {
      var k = th.getAttribute("data-key");
      if (state.key === k) state.dir = -state.dir;
      else { state.key = k; state.dir = ["drug", "mcat", "ment", "scat", "sent"].indexOf(k) >= 0 ? 1 : -1; }
      apply();
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); sort(); } });
  });
  var showNew = $("show-new");
  if (showNew) showNew.addEventListener("click", function () { reset(); $("f-new").checked = true; state.onlyNew = true; apply(); });
  function showTriple(id) {
    reset(); $("f-q").value = id; state.q = id.toLowerCase(); state.open[id] = true; apply();
    $("triples").scrollIntoView();
  }
  function fromHash() {
    var m = /^#t=(t_[0-9a-f]+)$/.exec(location.hash);
    if (m) showTriple(m[1]);
  }
  window.addEventListener("hashchange", fromHash);

  /* ---------- inferred (class-level) view ---------- */
  var I = DATA.inferred, iState = { drug: "", basis: "", page: 0 }, IPAGE = 20;
  fillSelect($("i-drug"), uniqueSorted(I.map(function (r) { return r.drug; }).concat(I.map(function (r) { return r.with; }))));
  fillSelect($("i-basis"), uniqueSorted(I.map(function (r) { return r.basis; })), label);
  function renderInferred() {
    var sel = I.filter(function (r) {
      return (!iState.drug || r.drug === iState.drug || r.with === iState.drug) && (!iState.basis || r.basis === iState.basis);
    });
    var pages = Math.max(1, Math.ceil(sel.length / IPAGE));
    if (iState.page >= pages) iState.page = pages - 1;
    var frag = document.createDocumentFragment();
    sel.slice(iState.page * IPAGE, iState.page * IPAGE + IPAGE).forEach(function (r) {
      var link = el("a", { href: "#t=" + r.src, text: r.srcdrug ? r.srcdrug + " (" + label(r.mcat) + ")" : r.src });
      frag.appendChild(el("tr", { cls: "inf" }, [
        el("td", { text: r.drug }), el("td", { text: r.with }), el("td", { text: label(r.basis) }),
        el("td", { text: r.value }), el("td", { text: label(r.mcat) }), el("td", { text: r.ment || "\u2014" }),
        el("td", null, [link, el("span", { cls: "badge inf", text: "inferred" })])
      ]));
    });
    $("i-body").replaceChildren(frag);
    $("i-status").textContent = I.length
      ? sel.length.toLocaleString() + " of " + I.length.toLocaleString() + " inferred rows"
      : "No class-level inferences in this run.";
    pager($("i-pager"), sel.length, iState.page, function (p) { iState.page = p; renderInferred(); }, IPAGE);
  }
  $("i-drug").addEventListener("change", function (ev) { iState.drug = ev.target.value; iState.page = 0; renderInferred(); });
  $("i-basis").addEventListener("change", function (ev) { iState.basis = ev.target.value; iState.page = 0; renderInferred(); });

  /* ---------- documents ---------- */
  var evPerDoc = {};
  Object.keys(DATA.evidence).forEach(function (id) {
    DATA.evidence[id].forEach(function (e) { evPerDoc[e.doc] = (evPerDoc[e.doc] || 0) + 1; });
  });
  var docList = $("doc-list");
  Object.keys(DATA.docs).sort().forEach(function (id) {
    var d = DATA.docs[id];
    var li = el("li", null, [el("strong", { text: d.title || d.file || id })]);
    var bits = [d.journal, d.year, d.file].filter(Boolean).join(" \u00b7 ");
    if (bits) li.appendChild(el("span", { cls: "muted", text: " " + bits }));
    if (d.doi) li.appendChild(el("a", { cls: "reflink", href: "https://doi.org/" + encodeURI(d.doi), target: "_blank", rel: "noopener noreferrer", text: "DOI" }));
    li.appendChild(el("span", { cls: "badge", text: (evPerDoc[id] || 0) + " evidence rows" }));
    docList.appendChild(li);
  });
  if (!docList.children.length) docList.appendChild(el("li", { cls: "muted", text: "No documents table in this export." }));

  apply();
  renderInferred();
  fromHash();
  window.__report = { ready: true, initMs: performance.now() - t0, readyAt: performance.now(), nTriples: T.length };
})();
