/**
 * The report's stylesheet: Okabe–Ito colours as CSS variables, a prefers-color-scheme dark
 * variant, a one-column layout that reads at phone width, and print rules for A4 and Letter
 * (the page box is left to the printer's paper; figures scale through their viewBox).
 */
import { OKABE_ITO, OKABE_ITO_DARK } from './palette';

const vars = (p: readonly string[]) => p.map((c, i) => `--c${i}:${c};`).join('');

export const REPORT_CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1a1a1a;--muted:#595959;--grid:#e3e3e3;--panel:#f6f6f4;--accent:#0072B2;${vars(OKABE_ITO)}}
@media (prefers-color-scheme:dark){:root{--bg:#15171a;--fg:#ececec;--muted:#b0b0b0;--grid:#34383d;--panel:#1f2226;--accent:#56B4E9;${vars(OKABE_ITO_DARK)}}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;overflow-wrap:break-word;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header,main,footer{max-width:1040px;margin:0 auto;padding:0 20px}
header{padding-top:24px}
h1{font-size:1.7rem;line-height:1.25;margin:.2em 0 .3em;overflow-wrap:anywhere}
h2{font-size:1.35rem;margin:1.6em 0 .5em;padding-top:.4em;border-top:2px solid var(--grid)}
h3{font-size:1.08rem;margin:1.1em 0 .35em}
h2,h3,figcaption,.legend li,.notes,.kv div{overflow-wrap:anywhere;min-width:0}
p{margin:.5em 0}
a{color:var(--accent)}
.muted,.meta{color:var(--muted)}
.meta{font-size:.9rem}
nav{max-width:1040px;margin:0 auto;padding:4px 20px;font-size:.92rem}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.2em 1.1em}
.lead p{font-size:1.08rem;max-width:62em}
.lead strong{overflow-wrap:anywhere}
.warn{border-left:4px solid var(--c5);padding:.4em .8em;background:var(--panel)}
table{border-collapse:collapse;font-size:.88rem;margin:.4em 0 .8em;width:100%}
th,td{border-bottom:1px solid var(--grid);padding:.3em .5em;text-align:left;vertical-align:top}
th{font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.scroll{overflow-x:auto;max-width:100%}
table.files td{overflow-wrap:anywhere}
.dflt{color:var(--muted);cursor:help}
.src{font-size:.82rem;color:var(--muted)}
.src li{margin:.15em 0}
figure.chart{margin:1.2em 0 1.6em;padding:12px 12px 8px;background:var(--panel);border-radius:6px;break-inside:avoid;page-break-inside:avoid}
figure.chart h3{margin:0 0 .2em}
figcaption p{margin:.1em 0 .5em;font-size:.92rem;color:var(--muted)}
.plot{width:100%;min-height:40px;position:relative;overflow:hidden}
.plot svg{display:block;width:100%;height:auto;overflow:visible}
.legend{list-style:none;margin:.2em 0 .4em;padding:0;display:flex;flex-wrap:wrap;gap:.15em 1em;font-size:.85rem}
.legend li{display:flex;align-items:center;gap:.35em}
.sw{display:inline-block;width:14px;height:10px;border-radius:2px;flex:none}
.sw.line{height:3px;border-radius:0}
.sw.band{opacity:.35}
.sw.line,.sw.dash{width:22px}
.sw.dash{height:0;border-top-width:3px;border-top-style:dashed;background:none!important}
.sw.ring{width:12px;height:12px;border-radius:50%;background:none!important;border:3px solid var(--c5)}
${OKABE_ITO.map((_, i) => `.c${i}{background:var(--c${i});border-color:var(--c${i})}.sw.hatch.c${i}{background:repeating-linear-gradient(45deg,var(--c${i}) 0 3px,transparent 3px 6px);box-shadow:inset 0 0 0 1px var(--c${i})}`).join('')}
.notes{font-size:.85rem;color:var(--muted);margin:.3em 0}
details{margin:.3em 0;font-size:.9rem}
summary{cursor:pointer;color:var(--accent)}
.dl{font-size:.88rem}
pre{background:var(--panel);padding:12px;overflow:auto;font-size:.82rem;line-height:1.4;border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere}
svg text{fill:var(--fg);font-family:inherit}
svg .axis path,svg .axis line{stroke:var(--muted)}
svg .axis text{fill:var(--muted);font-size:12px}
svg .grid line{stroke:var(--grid)}
svg .grid path{display:none}
svg .mark:focus{outline:none}
svg .mark:focus-visible,svg .focus-layer:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
svg .mark-bar:focus-visible,svg .mark-site:focus-visible,svg .mark-event:focus-visible{stroke:var(--fg);stroke-width:2px}
svg .cursor{stroke:var(--muted);stroke-dasharray:3 3}
svg .bottleneck{stroke:var(--c5)}
#tooltip{position:fixed;z-index:10;max-width:min(360px,90vw);padding:6px 9px;border-radius:4px;background:var(--fg);color:var(--bg);font-size:.82rem;line-height:1.35;pointer-events:none;white-space:pre-line;box-shadow:0 2px 8px rgba(0,0,0,.25)}
#tooltip[hidden]{display:none}
.kv{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px;margin:.8em 0}
.kv div{background:var(--panel);border-radius:6px;padding:8px 10px}
.kv b{display:block;font-size:1.25rem}
.kv span{font-size:.82rem;color:var(--muted)}
footer{padding-bottom:40px;font-size:.85rem;color:var(--muted)}
@media (max-width:600px){body{font-size:15px}header,main,footer,nav{padding-left:12px;padding-right:12px}h1{font-size:1.35rem}figure.chart{padding:8px 6px;margin-left:-6px;margin-right:-6px}table{font-size:.8rem}}
@page{margin:14mm 12mm}
@media print{
:root{color-scheme:light;--bg:#fff;--fg:#000;--muted:#444;--grid:#ccc;--panel:#fff;--accent:#000;${vars(OKABE_ITO)}}
body{font-size:10.5pt}
header,main,footer{max-width:none;padding:0}
nav,.dl,#tooltip,.noprint{display:none!important}
h2{break-after:avoid;page-break-after:avoid}
h3{break-after:avoid}
figure.chart{border:1px solid #ccc;padding:6px}
table,pre{break-inside:auto}
.scroll{overflow:visible}
table{font-size:8.5pt}
tr{break-inside:avoid}
a{color:#000;text-decoration:none}
}
`;
