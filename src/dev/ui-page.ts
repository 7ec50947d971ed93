// The UI's HTML and styles. Its modules come from dist (see ui-server.ts); the
// page only says where the dev server's base is, for `/@vite/client`.

const CSS = `
:root { --bg:#fff; --fg:#1d2330; --muted:#6b7385; --line:#e3e6ec; --side:#f6f7f9; --accent:#2f6fdb; --warn:#b45309; --row:22px;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; height: 100vh; display: grid; grid-template: "head head" auto "side main" 1fr / 360px 1fr; }
header { grid-area: head; display: flex; gap: 16px; align-items: center; padding: 8px 14px; border-bottom: 1px solid var(--line); }
header h1 { font-size: 14px; margin: 0; font-weight: 600; }
header .status { color: var(--muted); }
header .status.off { color: var(--warn); }
aside { grid-area: side; overflow: auto; background: var(--side); border-right: 1px solid var(--line); padding: 10px 12px; }
aside h2 { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 14px 0 6px; }
.pages { list-style: none; margin: 0; padding: 0; }
.pages li { padding: 6px 8px; border-radius: 6px; cursor: pointer; border: 1px solid transparent; }
.pages li.sel { background: #fff; border-color: var(--line); }
.pages li.saved .meta { color: #5b3cc4; }
.pages .url { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
.pages .meta { color: var(--muted); font-size: 11px; }
.empty { color: var(--muted); font-style: italic; }
form.attach { display: flex; gap: 6px; }
form.attach input { flex: 1; min-width: 0; }
input[type=text], input[type=search] { font: 12px ui-monospace, monospace; padding: 4px 6px; border: 1px solid #c9ced8; border-radius: 4px; }
button { font: inherit; padding: 3px 10px; border: 1px solid #c9ced8; background: #fff; border-radius: 4px; cursor: pointer; }
button:hover { border-color: var(--accent); }
button.on { background: #fff4e5; border-color: var(--warn); }
button:disabled, input:disabled { opacity: .5; cursor: default; }
button:disabled:hover { border-color: #c9ced8; }
label.button { padding: 3px 10px; border: 1px solid #c9ced8; background: #fff; border-radius: 4px; cursor: pointer; }
label.button:hover { border-color: var(--accent); }
.notice { display: flex; gap: 8px; align-items: center; padding: 6px 12px; border-bottom: 1px solid var(--line); background: #eef4ff; }
.notice.error { background: #fdeceb; color: #9f1d13; }
.notice[hidden] { display: none; }
.notice span { flex: 1; font: 12px ui-monospace, monospace; }
.notice button { border: 0; background: none; padding: 0 4px; color: var(--muted); }
.chips { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }
.chip { font: 12px ui-monospace, monospace; background: #e8effc; border-radius: 10px; padding: 1px 4px 1px 8px; }
.chip button { border: 0; background: none; padding: 0 4px; color: var(--muted); }
details.pkg { margin: 2px 0; }
details.pkg summary { cursor: pointer; font: 12px ui-monospace, monospace; padding: 2px 0; }
.tp { display: flex; align-items: center; gap: 6px; padding: 1px 0 1px 18px; font: 12px ui-monospace, monospace; }
.tp .sig { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; flex: 1; }
.count { font: 11px ui-monospace, monospace; color: var(--muted); min-width: 2ch; text-align: right; }
.count.live { color: var(--accent); font-weight: 600; }
main { grid-area: main; display: flex; flex-direction: column; min-width: 0; min-height: 0; }
.toolbar { display: flex; gap: 8px; align-items: center; padding: 8px 12px; border-bottom: 1px solid var(--line); }
.toolbar input[type=search] { width: 260px; }
.toolbar .stats { margin-left: auto; color: var(--muted); font-variant-numeric: tabular-nums; }
.toolbar .stats .drop { color: var(--warn); }
canvas.timeline { width: 100%; height: 120px; display: block; border-bottom: 1px solid var(--line); cursor: crosshair; }
.thead, .row { display: grid; grid-template-columns: 100px 150px 190px 1fr 90px; gap: 10px; padding: 0 12px; }
.thead { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); padding-top: 6px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
.rows { flex: 1; overflow: auto; position: relative; }
.spacer { position: relative; }
.row { position: absolute; left: 0; right: 0; height: var(--row); line-height: var(--row); font: 12px/var(--row) ui-monospace, monospace; white-space: nowrap; }
.row > span { overflow: hidden; text-overflow: ellipsis; }
.row:nth-child(odd) { background: #fafbfc; }
.row .t { color: var(--muted); font-variant-numeric: tabular-nums; }
.row .p { color: #5b3cc4; }
.row .e { color: #0a6e5c; font-weight: 600; }
.row .k { color: var(--muted); }
`;

/** The UI's HTML; `base` is the dev server's base (`/` by default). */
export function uiPage(base: string): string {
  const b = escapeHtml(base);
  return `<!doctype html>
<html lang="en" data-base="${b}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tracing · unplugin-tracing</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>unplugin-tracing</h1><span class="status off" id="status">connecting…</span></header>
<aside>
  <h2>Pages</h2>
  <ul class="pages" id="pages"><li class="empty">no page connected: open the app</li></ul>
  <h2>Attach</h2>
  <form class="attach" id="attach"><input type="text" id="pattern" placeholder="src/net:* or *:traceConn*" autocomplete="off" spellcheck="false"><button id="attach-button">Attach</button></form>
  <label><input type="checkbox" id="stacks"> count stacks (for the pprof profile)</label>
  <div class="chips" id="patterns"></div>
  <h2>Tracepoints</h2>
  <div id="tracepoints" class="empty">—</div>
</aside>
<main>
  <div class="toolbar">
    <input type="search" id="filter" placeholder="filter: package, event, arguments…" spellcheck="false">
    <button id="pause">Pause</button>
    <button id="clear">Clear</button>
    <button id="trace">Download trace</button>
    <button id="pprof">Download pprof</button>
    <label class="button" title="Open a trace file saved by Download trace or the recorder">Open trace…<input type="file" id="open" accept=".json,application/json" hidden></label>
    <span class="stats" id="stats"></span>
  </div>
  <div class="notice" id="notice" role="status" hidden><span id="notice-text"></span><button id="notice-close" title="dismiss">×</button></div>
  <canvas class="timeline" id="timeline"></canvas>
  <div class="thead"><span>time</span><span>package</span><span>event</span><span>arguments</span><span>task</span></div>
  <div class="rows" id="rows"><div class="spacer" id="spacer"></div></div>
</main>
<script type="module" src="${b}__tracing/src/dev/ui/main.js"></script>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
