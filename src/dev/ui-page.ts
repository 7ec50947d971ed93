// The UI's HTML and styles. Its modules come from dist (see ui-server.ts); the
// page only says where the dev server's base is, for `/@vite/client`.

const CSS = `
:root { --bg:#fff; --fg:#1d2330; --muted:#6b7385; --line:#e3e6ec; --side:#f6f7f9; --raised:#fff; --field:#c9ced8; --accent:#2f6fdb;
  --warn:#b45309; --err:#9f1d13; --err-bg:#fdeceb; --info-bg:#eef4ff; --chip:#e8effc; --zebra:#fafbfc; --pkg:#5b3cc4; --evt:#0a6e5c;
  --on-bg:#fff4e5; --sel:#dbe7ff; --row:22px;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); color-scheme: light; }
@media (prefers-color-scheme: dark) {
  :root { --bg:#15181e; --fg:#dfe3ea; --muted:#8d95a5; --line:#2b303a; --side:#1b1f26; --raised:#222731; --field:#3a414e; --accent:#6ea1ff;
    --warn:#f0a35e; --err:#ffb4ab; --err-bg:#3b1d1b; --info-bg:#1c2a44; --chip:#243352; --zebra:#191c22; --pkg:#b9a3ff; --evt:#4fd1b0;
    --on-bg:#3d2a12; --sel:#233a66; color-scheme: dark; }
}
* { box-sizing: border-box; }
body { margin: 0; height: 100vh; display: grid; grid-template: "head head" auto "side main" 1fr / clamp(230px, 27vw, 360px) minmax(0, 1fr); }
header { grid-area: head; display: flex; gap: 16px; align-items: center; padding: 8px 14px; border-bottom: 1px solid var(--line); min-width: 0; }
header h1 { font-size: 14px; margin: 0; font-weight: 600; white-space: nowrap; }
header .status { color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
header .status.off { color: var(--warn); }
header .stats { margin-left: auto; color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
header .stats .drop, header .stats .wait { color: var(--warn); }
aside { grid-area: side; overflow: auto; background: var(--side); border-right: 1px solid var(--line); padding: 10px 12px; min-width: 0; }
.side-head { display: flex; align-items: center; justify-content: space-between; margin-top: 4px; }
.side-head h2 { margin: 6px 0; }
.side-head .button { font-size: 12px; padding: 2px 8px; }
aside h2 { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 14px 0 6px; }
.pages { list-style: none; margin: 0; padding: 0; }
.pages li { padding: 6px 8px; border-radius: 6px; cursor: pointer; border: 1px solid transparent; }
.pages li.sel { background: var(--raised); border-color: var(--line); }
.pages li.saved .meta { color: var(--pkg); }
.pages .url { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
.pages .meta { color: var(--muted); font-size: 11px; }
.empty { color: var(--muted); font-style: italic; }
form.attach, form.span { display: flex; gap: 6px; flex-wrap: wrap; }
form.attach input { flex: 1; min-width: 0; }
form.span select { flex: 1 1 100%; min-width: 0; }
form.span input { flex: 1; min-width: 0; }
.field-error { color: var(--err); font: 12px ui-monospace, monospace; margin-top: 4px; }
.field-error:empty { display: none; }
input[type=text], input[type=search], select { font: 12px ui-monospace, monospace; padding: 4px 6px; border: 1px solid var(--field); border-radius: 4px; background: var(--raised); color: var(--fg); }
input.invalid { border-color: var(--err); }
button { font: inherit; padding: 3px 10px; border: 1px solid var(--field); background: var(--raised); color: var(--fg); border-radius: 4px; cursor: pointer; white-space: nowrap; }
button:hover { border-color: var(--accent); }
button.on { background: var(--on-bg); border-color: var(--warn); }
button:disabled, input:disabled, select:disabled { opacity: .5; cursor: default; }
button:disabled:hover { border-color: var(--field); }
label.button { padding: 3px 10px; border: 1px solid var(--field); background: var(--raised); border-radius: 4px; cursor: pointer; white-space: nowrap; }
label.button:hover { border-color: var(--accent); }
.notice { display: flex; gap: 8px; align-items: center; padding: 6px 12px; border-bottom: 1px solid var(--line); background: var(--info-bg); }
.notice.error { background: var(--err-bg); color: var(--err); }
.notice[hidden] { display: none; }
.notice span { flex: 1; font: 12px ui-monospace, monospace; }
.notice button { border: 0; background: none; padding: 0 4px; color: var(--muted); }
.chips { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }
.chip { font: 12px ui-monospace, monospace; background: var(--chip); border-radius: 10px; padding: 1px 4px 1px 8px; }
.chip.none { background: transparent; border: 1px dashed var(--warn); }
.chip .why { color: var(--warn); font-size: 11px; }
.chip button { border: 0; background: none; padding: 0 4px; color: var(--muted); }
details.pkg { margin: 2px 0; }
details.pkg summary { cursor: pointer; font: 12px ui-monospace, monospace; padding: 2px 0; }
.tp { display: flex; align-items: center; gap: 6px; padding: 1px 0 1px 18px; font: 12px ui-monospace, monospace; }
.tp .sig { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; flex: 1; }
.count { font: 11px ui-monospace, monospace; color: var(--muted); min-width: 2ch; text-align: right; }
.count.live { color: var(--accent); font-weight: 600; }
main { grid-area: main; display: flex; flex-direction: column; min-width: 0; min-height: 0; }
.toolbar { display: flex; gap: 6px; align-items: center; padding: 8px 12px; border-bottom: 1px solid var(--line); min-width: 0; }
.toolbar input[type=search] { flex: 1 1 260px; min-width: 120px; max-width: 340px; }
.toolbar .gap { flex: 1 1 0; }
.toolbar .pprof-note { color: var(--warn); font-size: 12px; }
.timeline-box { position: relative; max-height: 42vh; overflow-y: auto; overflow-x: hidden; border-bottom: 1px solid var(--line); flex: none; }
canvas.timeline { width: 100%; height: 120px; display: block; cursor: grab; outline: none; }
canvas.timeline:focus-visible { box-shadow: inset 0 0 0 2px var(--accent); }
canvas.timeline.dragging { cursor: grabbing; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; margin: 0; padding: 0; }
.tip { position: fixed; z-index: 5; pointer-events: none; max-width: 420px; padding: 6px 8px; border-radius: 6px; border: 1px solid var(--line); background: var(--raised); color: var(--fg);
  box-shadow: 0 4px 14px rgba(0,0,0,.18); font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; }
.tip[hidden] { display: none; }
.thead, .row { display: grid; grid-template-columns: 96px minmax(0, 0.8fr) minmax(0, 1fr) minmax(0, 3fr) minmax(0, 0.5fr); gap: 10px; padding: 0 12px; }
.thead { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); padding-top: 6px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
.rows { flex: 1; overflow: auto; position: relative; min-height: 80px; }
.rows-empty { position: absolute; left: 12px; top: 10px; color: var(--muted); font-style: italic; }
.rows-empty:empty { display: none; }
.spacer { position: relative; }
.row { position: absolute; left: 0; right: 0; height: var(--row); line-height: var(--row); font: 12px/var(--row) ui-monospace, monospace; white-space: nowrap; cursor: default; }
.row > span { overflow: hidden; text-overflow: ellipsis; }
.row:nth-child(odd) { background: var(--zebra); }
.row.sel { background: var(--sel); }
.row .t { color: var(--muted); font-variant-numeric: tabular-nums; }
.row .p { color: var(--pkg); }
.row .e { color: var(--evt); font-weight: 600; }
.row .k { color: var(--muted); }
.details { border-top: 1px solid var(--line); max-height: 34vh; overflow: auto; padding: 6px 12px 10px; background: var(--side); flex: none; }
.details[hidden] { display: none; }
.details .head { display: flex; gap: 10px; align-items: baseline; }
.details .head b { font: 600 12px ui-monospace, monospace; color: var(--evt); }
.details .head .close { margin-left: auto; border: 0; background: none; color: var(--muted); }
.details dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0 0; font: 12px ui-monospace, monospace; }
.details dt { color: var(--muted); }
.details dt.sub { padding-left: 14px; }
.details dd { margin: 0; white-space: pre-wrap; word-break: break-word; }
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
<header><h1>unplugin-tracing</h1><span class="status off" id="status">connecting…</span><span class="stats" id="stats"></span></header>
<aside>
  <div class="side-head"><h2>Pages</h2><label class="button" id="open-label" title="Open a trace file saved by Download trace, tstrace watch --out or the recorder">Open trace…<input type="file" id="open" accept=".json,application/json" hidden></label></div>
  <ul class="pages" id="pages"><li class="empty">no page connected: open the app</li></ul>
  <h2>Attach</h2>
  <form class="attach" id="attach"><input type="text" id="pattern" placeholder="src/net:* or **:traceConn*" autocomplete="off" spellcheck="false" aria-describedby="pattern-error"><button id="attach-button">Attach</button></form>
  <div class="field-error" id="pattern-error" role="alert"></div>
  <label><input type="checkbox" id="stacks"> count stacks (for the pprof profile)</label>
  <div class="chips" id="patterns"></div>
  <h2>Spans</h2>
  <form class="span" id="span-form" title="Pairs two events into slices on the timeline, as the recorder's spans option does">
    <select id="span-begin" aria-label="begin event"></select>
    <select id="span-end" aria-label="end event"></select>
    <input type="text" id="span-key" placeholder="pair by argument (e.g. id); empty: by task" autocomplete="off" spellcheck="false">
    <button id="span-add">Add span</button>
  </form>
  <div class="field-error" id="span-error" role="alert"></div>
  <div class="chips" id="spans"></div>
  <h2>Lanes</h2>
  <form class="span" id="group-form" title="The timeline groups lanes by task; in a browser every event is on main, so an argument such as a worker number can tell them apart">
    <input type="text" id="group-by" placeholder="group by task, or by an argument (e.g. worker)" autocomplete="off" spellcheck="false">
    <button id="group-apply">Group</button>
  </form>
  <div class="field-error" id="group-error" role="alert"></div>
  <h2>Tracepoints</h2>
  <div id="tracepoints" class="empty">—</div>
</aside>
<main>
  <div class="toolbar">
    <input type="search" id="filter" placeholder="filter: package, event, arguments…" spellcheck="false">
    <button id="pause" title="Stop the view; events keep being recorded and wait">Pause</button>
    <button id="clear">Clear</button>
    <button id="fit" title="Show the whole recording on the timeline (0)">Fit</button>
    <span class="gap"></span>
    <button id="trace">Download trace</button>
    <button id="pprof">Download pprof</button>
  </div>
  <div class="notice" id="notice" role="status" hidden><span id="notice-text"></span><button id="notice-close" title="dismiss">×</button></div>
  <div class="timeline-box" id="timeline-box"><canvas class="timeline" id="timeline" tabindex="0" aria-label="timeline: wheel or +/- to zoom, drag or arrows to pan, 0 to fit"></canvas></div>
  <ul class="sr-only" id="timeline-lanes" aria-label="timeline lanes"></ul>
  <div class="tip" id="tip" hidden></div>
  <div class="thead"><span>time</span><span>package</span><span>event</span><span>arguments</span><span>task</span></div>
  <div class="rows" id="rows"><div class="rows-empty" id="rows-empty"></div><div class="spacer" id="spacer"></div></div>
  <section class="details" id="details" hidden></section>
</main>
<script type="module" src="${b}__tracing/src/dev/ui/main.js"></script>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
