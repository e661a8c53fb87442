"""The report's stylesheet (data): screen and print, system fonts only."""

STYLE = """
:root{--ink:#202124;--muted:#5f6368;--line:#dadce0;--head:#f1f3f4;--accent:#1a73e8;
--pass:#137333;--pass-bg:#e6f4ea;--fail:#c5221f;--fail-bg:#fce8e6;--warn:#8a4b00;--warn-bg:#fef7e0}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:#f8f9fa;color:var(--ink);
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif}
header.cover,nav.toc,main{max-width:1140px;margin:0 auto;padding:0 28px}
header.cover{background:#fff;border-bottom:3px solid var(--accent);padding-top:20px;padding-bottom:14px}
h1{font-size:26px;margin:0 0 12px}
h2{font-size:20px;margin:28px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:16px;margin:20px 0 8px}
dl.covers{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;margin:0}
dl.covers dt{color:var(--muted)}
dl.covers dd{margin:0;overflow-wrap:anywhere}
dl.covers dd code{white-space:nowrap}
p.note{color:var(--muted);font-size:12px;margin:10px 0 0}
nav.toc{padding-top:8px;padding-bottom:8px}
nav.toc ol{display:flex;flex-wrap:wrap;gap:4px 18px;list-style:none;margin:0;padding:0;font-size:13px}
nav.toc a{color:var(--accent);text-decoration:none}
main{background:#fff;padding-bottom:32px}
section{margin:0}
table{border-collapse:collapse;width:100%;table-layout:fixed;margin:8px 0 16px;background:#fff}
th,td{border:1px solid var(--line);padding:6px 8px;vertical-align:top;text-align:left;
overflow-wrap:anywhere;word-break:break-word;hyphens:none}
thead th{background:var(--head);font-weight:600}
tbody th{font-weight:600;background:#fafafa}
table.small td,table.small th{font-size:12px}
table.facts td:first-child{color:var(--muted)}
code{font:12px/1.35 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;background:var(--head);
padding:0 3px;border-radius:3px;overflow-wrap:anywhere;word-break:normal}
.nobr{white-space:nowrap}
ul{margin:4px 0 12px;padding-left:22px}
li{margin:2px 0;overflow-wrap:anywhere}
td.ok{color:var(--pass);font-weight:600;background:var(--pass-bg)}
td.bad{color:var(--fail);font-weight:600;background:var(--fail-bg)}
td.warn{color:var(--warn);font-weight:600;background:var(--warn-bg)}
td.info{color:var(--muted);font-weight:600;background:var(--head)}
table.sign-off td{height:2.6em}
table.sign-off td:first-child{color:var(--muted)}
table.verdicts td{font-size:12.5px}
table.verdicts .mark{display:inline-block;font-weight:700;font-size:12px;padding:0 6px;border-radius:9px;
margin-right:4px}
td.v-pass .mark{color:var(--pass);background:var(--pass-bg);border:1px solid var(--pass)}
td.v-fail .mark{color:var(--fail);background:var(--fail-bg);border:1px solid var(--fail)}
td.v-warn .mark{color:var(--warn);background:var(--warn-bg);border:1px solid var(--warn)}
td.v-fail{background:#fffafa}
.detail{color:var(--ink)}
figure.diagram{margin:12px 0 20px;position:relative;left:50%;transform:translateX(-50%);max-width:none}
figure.diagram .frame{border:1px solid var(--line);border-radius:6px;padding:7px;background:#fff;overflow-x:auto}
svg.diagram{display:block;height:auto;margin:0 auto}
figcaption{font-size:12px;color:var(--muted);margin:6px 8px 0;line-height:1.7}
figcaption .key{white-space:nowrap;margin-right:12px}
.swatch{display:inline-block;width:11px;height:11px;border:1px solid #5f6368;border-radius:2px;margin:0 5px -1px 0}
.swatch.outside{background:#fff;border-style:dashed}
.arrow{display:inline-block;width:20px;border-top:2px solid;margin:0 5px 3px 0}
.arrow.dashed{border-top-style:dashed}
@page{size:A4;margin:14mm 12mm}
@page wide{size:A4 landscape;margin:10mm}
@media print{
body{background:#fff;font-size:10pt}
header.cover,main{max-width:none;padding:0}
header.cover{border-bottom-width:2px}
nav.toc{display:none}
h2{break-after:avoid;page-break-after:avoid}
h3,h4{break-after:avoid;page-break-after:avoid}
section[id^="region-"]{break-before:page;page-break-before:always}
tr,figure,li{break-inside:avoid;page-break-inside:avoid}
figure.diagram{width:100% !important;left:0;transform:none}
figure.diagram .frame{overflow:visible}
figure.diagram{page:wide;break-before:page;break-after:page;margin:0}
svg.diagram{min-width:0 !important;max-height:170mm}
figcaption{line-height:1.4}
thead{display:table-header-group}
table{font-size:9.5pt}
table.small td,table.small th{font-size:8.5pt}
code{font-size:8.5pt}
a{color:inherit;text-decoration:none}
}
"""
