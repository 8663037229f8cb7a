namespace ValidationLab.Reports.Html;

/// <summary>
/// The page's only style sheet and only script, inlined so the report is one file that opens anywhere (offline,
/// attached to an e-mail, archived with the run) and loads nothing from the network. The script only filters the
/// item list: every word and number is in the HTML already, so the page reads the same with scripts disabled.
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
        footer{margin-top:48px;color:var(--muted);font-size:13px}
        @media print{main{max-width:none;padding:0}.filters{display:none!important}.out{max-height:none}}
        """;

    public const string Script = """
        (function () {
          var boxes = document.querySelectorAll('.items');
          for (var b = 0; b < boxes.length; b++) { wire(boxes[b]); }
          function wire(box) {
            var bar = box.querySelector('.filters');
            if (!bar) { return; }
            var rows = box.querySelectorAll('details.it');
            var texts = null, kind = 'all', query = '';
            var shown = box.querySelector('.shown');
            var buttons = bar.querySelectorAll('button');
            bar.hidden = false;
            function apply() {
              if (query !== '' && texts === null) {
                texts = [];
                for (var i = 0; i < rows.length; i++) { texts.push(rows[i].textContent.toLowerCase()); }
              }
              var n = 0;
              for (var j = 0; j < rows.length; j++) {
                var k = ' ' + rows[j].getAttribute('data-k') + ' ';
                var ok = (kind === 'all' || k.indexOf(' ' + kind + ' ') >= 0) && (query === '' || texts[j].indexOf(query) >= 0);
                rows[j].hidden = !ok;
                if (ok) { n++; }
              }
              shown.textContent = n + ' of ' + rows.length + ' items shown';
            }
            for (var i = 0; i < buttons.length; i++) {
              buttons[i].addEventListener('click', function (e) {
                kind = e.currentTarget.getAttribute('data-f');
                for (var x = 0; x < buttons.length; x++) { buttons[x].setAttribute('aria-pressed', buttons[x] === e.currentTarget ? 'true' : 'false'); }
                apply();
              });
            }
            bar.querySelector('input').addEventListener('input', function (e) { query = e.target.value.trim().toLowerCase(); apply(); });
          }
        })();
        """;
}
