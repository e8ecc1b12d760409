extension HTMLReport {
    /// The page's CSS: one column on a phone, charts side by side from 900 px, print-friendly.
    static let stylesheet = """
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f5f6f8}
        main{max-width:1180px;margin:0 auto;padding:16px}
        h1{font-size:1.5em;margin:0 0 6px}
        h2{font-size:1.2em;margin:28px 0 10px;border-bottom:1px solid #d8dce3;padding-bottom:4px}
        h3{font-size:1em;margin:14px 0 6px}
        code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.86em}
        pre{background:#fff;border:1px solid #d8dce3;border-radius:4px;padding:8px;white-space:pre-wrap;word-break:break-all;margin:4px 0 8px}
        section,header{min-width:0}
        .verdict{display:inline-block;font-weight:600;padding:4px 10px;border-radius:4px;margin:4px 0 10px}
        .verdict.pass{background:#dcf3e6;color:#145c38}.verdict.fail{background:#fbe0e0;color:#8c1c1c}
        .facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:4px 16px;margin:0}
        .facts div{min-width:0}.facts dt{font-size:.78em;color:#5b6473;text-transform:uppercase;letter-spacing:.03em}
        .facts dd{margin:0;overflow-wrap:anywhere}
        .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px;margin-top:12px}
        .tile{background:#fff;border:1px solid #d8dce3;border-radius:6px;padding:8px 10px}
        .tile span{display:block;font-size:.78em;color:#5b6473;text-transform:uppercase}.tile b{font-size:1.25em}
        .charts{display:grid;grid-template-columns:1fr;gap:12px}
        @media (min-width:900px){.charts{grid-template-columns:1fr 1fr}}
        figure{margin:0;background:#fff;border:1px solid #d8dce3;border-radius:6px;padding:8px;min-width:0}
        figcaption{font-weight:600;font-size:.9em;margin-top:4px}
        .chart{width:100%;height:auto;display:block}
        .chart text{font-size:12px;fill:#5b6473}.chart .ytick{text-anchor:end}.chart .xtick,.chart .empty{text-anchor:middle}
        .chart .grid{stroke:#e4e7ec;stroke-width:1}
        .legend{list-style:none;padding:0;margin:4px 0 0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:.85em}
        .legend .unit{color:#5b6473}.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px}
        .scroll{overflow-x:auto;max-width:100%}
        table{border-collapse:collapse;width:100%;background:#fff;font-size:.9em}
        th,td{padding:5px 8px;border-bottom:1px solid #e4e7ec;vertical-align:top}
        th{text-align:left;background:#eef0f4;white-space:nowrap}
        .sortable th{cursor:pointer;user-select:none}.sortable th::after{content:" \\2195";color:#9aa2ae}
        th.num,td.num{text-align:right;white-space:nowrap}
        td.name{overflow-wrap:anywhere;word-break:break-word;min-width:12em}
        td.status{min-width:9em}td.status small{display:block;color:#5b6473;overflow-wrap:anywhere}
        tr.fail td:first-child{color:#8c1c1c;font-weight:600}tr.pass td:first-child{color:#145c38}
        .bar{display:flex;height:10px;border-radius:3px;overflow:hidden;background:#e4e7ec;margin:3px 0}
        .bar span{display:block;height:100%}
        .chip{display:inline-block;font-size:.78em;background:#eef0f4;border-radius:3px;padding:0 5px;margin:1px 2px 1px 0;white-space:nowrap}
        .chip.cls{background:#fbe0e0;color:#8c1c1c;font-size:.8em}
        .cols{display:grid;grid-template-columns:1fr;gap:16px}@media (min-width:900px){.cols{grid-template-columns:1fr 1fr}}
        .counts{list-style:none;padding:0;margin:6px 0}.counts li{display:flex;gap:10px;border-bottom:1px dotted #d8dce3}
        .counts li span{flex:1;overflow-wrap:anywhere}.counts small{color:#5b6473;min-width:4.5em;text-align:right}
        .finding{background:#fff;border:1px solid #d8dce3;border-radius:6px;padding:10px 12px;margin:10px 0;min-width:0}
        .finding h3{margin:0 0 8px;overflow-wrap:anywhere}.label{font-size:.82em;color:#5b6473;margin:8px 0 0}
        .settings{margin:6px 0;font-size:.9em}details summary{cursor:pointer;overflow-wrap:anywhere}details summary code{word-break:break-all}
        @media (max-width:600px){main{padding:10px}.wide{display:none}th,td{padding:4px 5px}
        #endpoints .scroll{overflow:visible}#endpoints table,#endpoints tbody{display:block}#endpoints thead{display:none}
        #endpoints tr{display:grid;grid-template-columns:repeat(5,1fr);border-bottom:1px solid #d8dce3;padding:4px 0}
        #endpoints td{display:block;border:0;min-width:0;padding:2px 4px}#endpoints td.num{text-align:left}
        #endpoints td.name,#endpoints td.status{grid-column:1/-1}#endpoints td.wide{display:none}
        #endpoints td.num::before{content:attr(data-label);display:block;font-size:.72em;color:#5b6473}}
        @media print{body{background:#fff}main{max-width:none}.charts,.cols{grid-template-columns:1fr 1fr}
        figure,.finding,tr{break-inside:avoid}.sortable th::after{content:""}.scroll{overflow:visible}}
        """

    /// Sorts a table on a header click (numbers by `data-v`, text by content); opens collapsed
    /// requests before printing. Written without `<` or `&` so the page stays well-formed XML.
    static let script = """
        document.querySelectorAll("table.sortable th").forEach(function (th) {
          th.addEventListener("click", function () {
            var table = th.closest("table"), body = table.tBodies[0], col = +th.dataset.col;
            var desc = th.dataset.dir !== "desc", dir = desc ? 1 : -1; th.dataset.dir = desc ? "desc" : "asc";
            var text = th.classList.contains("text");
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = a.cells[col].dataset.v || a.cells[col].textContent, y = b.cells[col].dataset.v || b.cells[col].textContent;
              return dir * (text ? y.localeCompare(x) : (parseFloat(y) - parseFloat(x)));
            });
            rows.forEach(function (r) { body.appendChild(r); });
          });
        });
        window.addEventListener("beforeprint", function () {
          document.querySelectorAll("details").forEach(function (d) { d.open = true; });
        });
        """
}
