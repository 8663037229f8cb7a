namespace ValidationLab.Reports.Html;

/// <summary>
/// The page's only style sheet and only script, inlined so the report is one file that opens anywhere (offline,
/// attached to an e-mail, archived with the run) and loads nothing from the network. The script only draws the
/// item browser from the page's data blocks, with text nodes; every figure is in the HTML itself.
/// </summary>
internal static class ReportAssets
{
    public const string Css = """
        :root{--ink:#1d2330;--muted:#5b6475;--line:#d9dee7;--soft:#f4f6f9;--ok:#1b7a3d;--bad:#b3261e;--warn:#8a5a00;--accent:#0b5cad}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:#fff}
        main{max-width:1180px;margin:0 auto;padding:24px 28px 64px}
        h1{font-size:26px;margin:0 0 4px}h2{font-size:21px;margin:40px 0 10px;padding-bottom:6px;border-bottom:2px solid var(--line)}
        h3{font-size:17px;margin:26px 0 8px}h4{font-size:15px;margin:18px 0 6px}
        p{margin:6px 0 10px}.muted{color:var(--muted)}.small{font-size:13px}
        code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;overflow-wrap:anywhere}
        nav ul{margin:6px 0;padding-left:20px}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:3px 18px;margin:12px 0}
        dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
        .guide{background:var(--soft);border-left:4px solid var(--accent);padding:10px 16px;margin:16px 0}
        .warnings{background:#fff7e6;border-left:4px solid var(--warn);padding:10px 16px}
        .warnings li{margin:3px 0}
        table{border-collapse:collapse;margin:8px 0 14px;font-size:14px}
        th,td{border-bottom:1px solid var(--line);padding:5px 12px 5px 0;text-align:left;vertical-align:top}
        th{font-weight:600;color:var(--muted);font-size:13px}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        .headline{font-size:20px;margin:8px 0}.headline b{font-size:24px}
        .ci{color:var(--muted);font-size:13px}
        .metric .ci{display:block}
        .charts{display:flex;flex-wrap:wrap;gap:16px 32px;align-items:flex-start}
        figure{margin:8px 0}figcaption{font-size:13px;color:var(--muted);max-width:560px}
        svg.chart{max-width:100%;height:auto;display:block}
        .filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:10px 0}
        .filters button{font:inherit;font-size:13px;padding:4px 10px;border:1px solid var(--line);background:#fff;border-radius:4px;cursor:pointer}
        .filters button[aria-pressed=true]{background:var(--accent);border-color:var(--accent);color:#fff}
        .filters input{font:inherit;font-size:13px;padding:4px 8px;border:1px solid var(--line);border-radius:4px;min-width:260px}
        .rows{border-top:1px solid var(--line)}
        .row,details.it>summary{display:grid;grid-template-columns:1.2rem minmax(8rem,12rem) 8rem 5rem 5rem 1fr;gap:0 10px;padding:5px 4px;border-bottom:1px solid var(--line);font-size:14px}
        .row{font-weight:600;color:var(--muted);font-size:13px}
        details.it>summary{cursor:pointer;list-style:none}
        details.it>summary::-webkit-details-marker{display:none}
        details.it>summary::before{content:"\25B8";color:var(--muted)}
        details.it[open]>summary::before{content:"\25BE"}
        details.it[open]>summary{background:var(--soft)}
        summary span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
        details.it dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px;margin:0;padding:10px 10px 14px 28px;border-bottom:1px solid var(--line);font-size:14px}
        details.it dt{color:var(--muted)}details.it dd{margin:0;min-width:0}
        .pre{white-space:pre-wrap;overflow-wrap:anywhere}
        .out{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:6px 8px;max-height:28em;overflow:auto}
        .b{font-size:12px;font-weight:600;border-radius:3px;padding:0 6px;justify-self:start}
        .b-c{color:var(--ok);background:#e7f4ec}.b-i{color:var(--bad);background:#fbe9e7}
        .b-u{color:var(--warn);background:#fff1d6}.b-e{color:#3d4452;background:#e6e8ec}.b-s{color:var(--accent);background:#e6eff9}
        .filters label{font-size:13px;color:var(--muted)}.filters select{font:inherit;font-size:13px;padding:3px 6px}
        .pager{display:flex;gap:12px;align-items:center;margin:8px 0}.pager button{font:inherit;font-size:13px;padding:4px 10px}
        .verdict{border:2px solid var(--line);border-radius:6px;padding:12px 18px;margin:12px 0}
        .verdict .word{font-size:22px;font-weight:700}
        .v-pass{border-color:var(--ok);background:#e7f4ec}.v-fail{border-color:var(--bad);background:#fbe9e7}.v-none{border-color:var(--warn);background:#fff7e6}
        .pass{color:var(--ok);font-weight:600}.fail{color:var(--bad);font-weight:600}
        pre.json{background:var(--soft);border:1px solid var(--line);padding:8px;overflow:auto;font-size:12px;white-space:pre-wrap}
        footer{margin-top:48px;color:var(--muted);font-size:13px}
        @media print{main{max-width:none;padding:0}.filters,.pager,nav,.guide,#items{display:none!important}.out{max-height:none}.verdict{break-inside:avoid}table,figure{break-inside:avoid}h2{break-after:avoid}}
        """;

    public const string Script = """
        (function () {
          'use strict';
          var data = document.getElementById('items-data');
          if (!data) { return; }
          // The items' text is in chunks of CHUNK items, one per line: base64 of raw-deflated JSON. The first chunk is
          // above this script; the rest follow it and are read once parsed (DOMContentLoaded), so the first page is
          // drawn while they arrive. Only the chunks a page shows are inflated; the index holds what filters need.
          function lines(id) { var t = document.getElementById(id).textContent; return t === '' ? [] : t.split('\n'); }
          var chunks = lines('items-data'), CHUNK = +data.getAttribute('data-chunk');
          var rest = new Promise(function (resolve) {
            function done() { chunks = chunks.concat(lines('items-rest')); resolve(); }
            if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', done); } else { done(); }
          });
          var index = JSON.parse(document.getElementById('items-index').textContent);
          var rowsIdx = index.rows, total = rowsIdx.length, parsed = [], pending = [];
          function inflate(c) {
            if (!pending[c]) {
              pending[c] = (c < chunks.length ? Promise.resolve() : rest).then(function () {
                var bin = atob(chunks[c]), bytes = new Uint8Array(bin.length);
                for (var b = 0; b < bin.length; b++) { bytes[b] = bin.charCodeAt(b); }
                var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
                return new Response(stream).text();
              }).then(function (t) { parsed[c] = JSON.parse(t); });
            }
            return pending[c];
          }
          function need(list) {
            var want = {}, waits = [];
            list.forEach(function (i) { var c = (i / CHUNK) | 0; if (!parsed[c] && !want[c]) { want[c] = true; waits.push(inflate(c)); } });
            return Promise.all(waits);
          }
          function item(i) { return parsed[(i / CHUNK) | 0][i % CHUNK]; }
          var all = [];
          for (var a = 0; a < total; a++) { all.push(a); }
          var PAGE = 25, page = 0, hits = all, texts = null;
          var $ = function (id) { return document.getElementById(id); };
          var rows = $('item-rows'), status = $('p-status'), prev = $('p-prev'), next = $('p-next');
          var fSuite = $('f-suite'), fStatus = $('f-status'), fStratum = $('f-stratum'), fFlip = $('f-flip'), fSlice = $('f-slice'), fText = $('f-text');
          var LABEL = { c: 'correct', i: 'incorrect', u: 'unparseable', e: 'errored', s: 'scored' };
          function el(tag, cls, text) {
            var e = document.createElement(tag);
            if (cls) { e.className = cls; }
            if (text !== undefined && text !== null) { e.textContent = text; }
            return e;
          }
          function field(dl, label, value, cls, missing) {
            dl.appendChild(el('dt', null, label));
            dl.appendChild(el('dd', value === null ? 'muted' : cls, value === null ? missing : value));
          }
          function draw(it) {
            var d = el('details', 'it'), s = el('summary');
            s.appendChild(el('span', null, it[1]));
            s.appendChild(el('span', 'b b-' + it[2], LABEL[it[2]]));
            s.appendChild(el('span', null, it[5] === null ? '\u2014' : it[5]));
            s.appendChild(el('span', null, it[6] === null ? '\u2014' : it[6]));
            s.appendChild(el('span', null, it[3] === null ? '' : it[3].slice(0, 140)));
            d.appendChild(s);
            var dl = el('dl');
            field(dl, 'Question', it[3], 'pre', 'not recorded');
            field(dl, 'Model output (verbatim)', it[4], 'pre out', 'no output was received');
            field(dl, 'Extracted answer', it[5], null, 'none could be extracted');
            field(dl, 'Gold (reference)', it[6], null, 'none');
            field(dl, 'Why scored so', it[7], 'pre', '');
            if (it[8] !== null) { field(dl, 'Error', it[8], 'pre', ''); }
            if (it[9].length) { field(dl, 'Strata', it[9].join(' \u00b7 '), null, ''); }
            if (it[10] !== null) { field(dl, 'Against production', it[10] ? 'flipped' : 'same outcome', null, ''); }
            field(dl, 'Details', it[11], 'small muted', '');
            d.appendChild(dl);
            return d;
          }
          // Each change bumps seq; a page whose chunks arrive after a newer change is dropped, not drawn.
          var seq = 0;
          function render() {
            var pages = Math.max(1, Math.ceil(hits.length / PAGE));
            page = Math.max(0, Math.min(page, pages - 1));
            var shown = hits.slice(page * PAGE, (page + 1) * PAGE), mine = ++seq;
            rows.setAttribute('aria-busy', 'true');
            return need(shown).then(function () {
              if (mine !== seq) { return; }
              var frag = document.createDocumentFragment();
              var head = el('div', 'row');
              head.setAttribute('aria-hidden', 'true');
              ['', 'Item', 'Outcome', 'Answer', 'Gold', 'Question'].forEach(function (h) { head.appendChild(el('span', null, h)); });
              frag.appendChild(head);
              shown.forEach(function (i) { frag.appendChild(draw(item(i))); });
              rows.textContent = '';
              rows.appendChild(frag);
              rows.removeAttribute('aria-busy');
              status.textContent = hits.length + ' of ' + total + ' items match \u00b7 page ' + (page + 1) + ' of ' + pages;
              prev.disabled = page === 0;
              next.disabled = page >= pages - 1;
            }, failed);
          }
          // A browser without DecompressionStream (or a damaged file) says so instead of failing silently.
          function failed(e) {
            rows.removeAttribute('aria-busy');
            status.textContent = 'The items could not be read in this browser (' + e + '); they are in items.jsonl of the run.';
          }
          function apply() {
            var q = fText.value.trim().toLowerCase();
            if (q !== '' && texts === null) {
              // Text search reads every item: inflate all chunks once, then search the lower-cased texts.
              var mine = ++seq;
              rows.setAttribute('aria-busy', 'true');
              return need(all).then(function () {
                if (texts === null) {
                  texts = all.map(function (i) { var it = item(i); return [it[1], it[3], it[4], it[5], it[6]].join('\n').toLowerCase(); });
                }
                if (mine === seq) { apply(); }
              }, failed);
            }
            var su = fSuite.value, st = fStatus.value, sr = index.strata.indexOf(fStratum.value), fl = fFlip ? fFlip.value : '';
            var sl = fSlice ? fSlice.value : '';
            var out = [];
            for (var i = 0; i < total; i++) {
              var r = rowsIdx[i];
              if (su !== '' && String(r[0]) !== su) { continue; }
              if (st !== '' && r[1] !== st && !(st === 'i' && r[1] === 'u')) { continue; }
              if (fStratum.value !== '' && r[3].indexOf(sr) < 0) { continue; }
              if (fl !== '' && String(r[2]) !== fl) { continue; }
              if (sl !== '' && r[4].indexOf(+sl) < 0) { continue; }
              if (q !== '' && texts[i].indexOf(q) < 0) { continue; }
              out.push(i);
            }
            hits = out;
            page = 0;
            return render();
          }
          [fSuite, fStatus, fStratum, fFlip, fSlice].forEach(function (f) { if (f) { f.addEventListener('change', apply); } });
          fText.addEventListener('input', apply);
          prev.addEventListener('click', function () { page--; render(); });
          next.addEventListener('click', function () { page++; render(); });
          var links = document.querySelectorAll('a.suite-items');
          for (var k = 0; k < links.length; k++) {
            links[k].addEventListener('click', function (e) { fSuite.value = e.currentTarget.getAttribute('data-suite'); apply(); });
          }
          document.querySelector('.filters').hidden = false;
          document.querySelector('.pager').hidden = false;
          render();
        })();
        """;
}
