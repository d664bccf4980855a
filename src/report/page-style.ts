/** The report's stylesheet, inlined; the page's CSP admits it by hash. */
export const REPORT_STYLE = `
:root { --fg: #1b1f24; --muted: #5b6470; --line: #d8dde3; --bg: #f6f8fa; --card: #fff; --accent: #0b5cad;
  --critical: #7d1128; --high: #c62828; --medium: #ef8f00; --low: #2e7d32; --informational: #607d8b; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1400px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 16px; margin: 0 0 8px; }
h3 { font-size: 13px; margin: 12px 0 4px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 12px 0; min-width: 0; }
.meta, .hint { color: var(--muted); margin: 4px 0; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin: 12px 0; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.tile .value { font-size: 26px; font-weight: 600; }
.tile .label { font-weight: 600; }
.tile .hint { font-size: 12px; }
.nothing { background: var(--card); border: 2px dashed var(--line); border-radius: 8px; padding: 32px; text-align: center; margin: 12px 0; }
.nothing h2 { font-size: 22px; }
.row { display: grid; grid-template-columns: minmax(260px, 1fr) 2.5fr; gap: 12px; }
.row section, .grid4 section { margin: 0; }
.grid4 { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 12px; margin: 12px 0; }
.bars { list-style: none; margin: 0; padding: 0; }
.bars li { display: grid; grid-template-columns: minmax(0, 2.2fr) minmax(40px, 1fr) auto; gap: 8px; align-items: center; padding: 2px 0; }
.bars .key { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; text-align: left; }
.bars .bar { background: var(--bg); border-radius: 3px; height: 12px; overflow: hidden; }
.bars .fill { display: block; height: 100%; background: var(--accent); }
.bars .count { font-variant-numeric: tabular-nums; min-width: 3em; text-align: right; }
button.link { background: none; border: 0; padding: 0; color: var(--accent); cursor: pointer; font: inherit; }
button.link:hover { text-decoration: underline; }
.timeline svg { width: 100%; height: auto; display: block; }
.timeline .axis { stroke: var(--line); }
.timeline .tick { font-size: 11px; fill: var(--muted); }
.sev-critical { background: var(--critical); fill: var(--critical); }
.sev-high { background: var(--high); fill: var(--high); }
.sev-medium { background: var(--medium); fill: var(--medium); }
.sev-low { background: var(--low); fill: var(--low); }
.sev-informational, .sev-other { background: var(--informational); fill: var(--informational); }
.bars .fill.sev-critical { background: var(--critical); }
.bars .fill.sev-high { background: var(--high); }
.bars .fill.sev-medium { background: var(--medium); }
.bars .fill.sev-low { background: var(--low); }
.bars .fill.sev-informational { background: var(--informational); }
.sev, .outcome { display: inline-block; white-space: nowrap; }
.legend { display: flex; gap: 12px; flex-wrap: wrap; margin: 4px 0; color: var(--muted); font-size: 12px; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.sev { color: #fff; border-radius: 10px; padding: 1px 8px; font-size: 12px; }
.outcome { border-radius: 10px; padding: 1px 8px; font-size: 12px; border: 1px solid var(--line); }
.outcome-succeeded { background: #fde7e7; border-color: #e5a3a3; }
.outcome-denied { background: #e7f3e8; border-color: #a5cfa8; }
.outcome-failed { background: #fff4e0; border-color: #e8c98a; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
.filters input { flex: 1 1 320px; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
.filters select { padding: 6px; border: 1px solid var(--line); border-radius: 6px; font: inherit; background: #fff; }
.chip { border: 1px solid var(--accent); color: var(--accent); background: #eef5fc; border-radius: 12px; padding: 2px 10px; cursor: pointer; font: inherit; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td { overflow-wrap: anywhere; }
th { font-size: 12px; color: var(--muted); white-space: nowrap; }
th .sort { background: none; border: 0; font: inherit; color: inherit; cursor: pointer; padding: 0; }
th[aria-sort="ascending"] .sort::after { content: " ▲"; }
th[aria-sort="descending"] .sort::after { content: " ▼"; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.path { font-family: ui-monospace, Consolas, monospace; font-size: 12px; }
.narrow { width: 28px; }
.toggle { border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; width: 24px; }
tr.open td { background: #eef5fc; }
.details-row > td { background: #fafbfc; }
.detail-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 24px; }
.kv { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 0; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, Consolas, monospace; font-size: 12px; }
pre.json { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px; max-height: 480px; overflow: auto; font-size: 12px; margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.pager { display: flex; gap: 12px; align-items: center; justify-content: flex-end; padding: 8px 0 0; }
.pager button { padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; font: inherit; }
.pager button[disabled] { opacity: .4; cursor: default; }
.problems code { font-size: 12px; }
.suppressed-by { font-weight: 600; }
@media (max-width: 900px) { .row, .detail-grid { grid-template-columns: 1fr; } }
`;
