// The tracing UI at /__tracing/: talks to the dev server over Vite's own HMR client
// (so the server's host and token settings apply), shows connected pages and their
// tracepoints, attaches by checkbox or pattern, and shows the events live. Saved
// recordings (Open trace…) are pages of a second, read-only source.

import { checkPatterns } from "../../../runtime/live/limits.ts";
import type { PageInfo, WireTracepoint } from "../../../runtime/live/protocol.ts";
import { renderDetails } from "./details.ts";
import { emptyState } from "./empty-state.ts";
import { countMatches, globstarHint } from "./pattern-match.ts";
import { SavedSource } from "./saved-source.ts";
import { loadSettings, saveSettings } from "./settings.ts";
import { renderPages, renderPatterns, renderTracepoints, type SidebarActions } from "./sidebar.ts";
import type { Source } from "./source.ts";
import { renderSpanChoices, renderSpans } from "./span-form.ts";
import { checkSpan, sameSpan, type SpanDef } from "./spans.ts";
import { Recordings } from "./recordings.ts";
import type { EventStore, Row } from "./store.ts";
import { EventTable } from "./table.ts";
import { Timeline, type Picked } from "./timeline.ts";
import { traceFileOf } from "./trace-file.ts";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const base = document.documentElement.dataset.base ?? "/";
const settings = loadSettings();
const save = () => saveSettings(settings);

/** Every source's pages, in wiring order; `pages` is them all. */
const pagesOf = new Map<Source, PageInfo[]>();
/** Events each source's server skipped for this viewer. */
const skippedOf = new Map<Source, number>();
let pages: PageInfo[] = [];
const tracepoints = new Map<string, WireTracepoint[]>();
const recordings = new Recordings(() => $<HTMLInputElement>("filter").value);
let selected: string | null = null;
let paused = false;
let nextRequest = 1;
const closedPackages = new Set<string>();
const seen = new Set<string>();
/** The last patterns typed, to put back if the server refuses them. */
let lastTyped = "";

const table = new EventTable($("rows"), $("spacer"));
const timeline = new Timeline($<HTMLCanvasElement>("timeline"), $("tip"), $("timeline-lanes"));
timeline.spans = settings.spans;
timeline.groupBy = settings.groupBy;
table.onView = (a, b) => {
  timeline.band = [a, b];
  timeline.update();
};
timeline.onPick = (t) => {
  const s = storeOf(selected);
  if (s) table.scrollToIndex(s.indexAt(t));
};
timeline.onSelect = (p) => showPicked(p, false);
table.onClick = (i) => {
  const row = storeOf(selected)?.at(i);
  if (!row) return;
  const p: Picked = { kind: "event", row };
  timeline.selected = p;
  timeline.reveal(p);
  showPicked(p, true);
};

function showPicked(p: Picked | null, fromTable: boolean): void {
  const s = storeOf(selected);
  const row = p === null ? null : p.kind === "event" ? p.row : p.slice.begin;
  table.selected = row;
  if (row && s && !fromTable) {
    let i = s.indexAt(row.time);
    while (i < s.size && s.at(i) !== row && s.at(i)!.time === row.time) i++;
    table.scrollToIndex(i);
  }
  table.update();
  renderDetails($("details"), p, s?.origin || current()?.timeOrigin || 0, s?.size ? s.at(0)!.time : 0, () => {
    timeline.selected = null;
    showPicked(null, false);
    timeline.redraw();
  });
}

function storeOf(page: string | null): EventStore | null {
  return page === null ? null : recordings.of(page);
}

const current = () => pages.find((p) => p.id === selected) ?? null;
const sourceOf = (page: string | undefined): Source | undefined => [...pagesOf].find(([, ps]) => ps.some((p) => p.id === page))?.[0];
const isSaved = (page: string | undefined) => sourceOf(page)?.readOnly === true;
const namesOf = (page: string | null): string[] => {
  const set = new Set((page ? (tracepoints.get(page) ?? []) : []).map((t) => `${t.package}:${t.name}`));
  for (const k of storeOf(page)?.counts().keys() ?? []) set.add(k);
  return [...set].sort();
};

function status(text: string, ok: boolean): void {
  const el = $("status");
  el.textContent = text;
  el.className = ok ? "status" : "status off";
}

let statsQueued = false;
function renderStats(): void {
  if (statsQueued) return;
  statsQueued = true;
  requestAnimationFrame(() => {
    statsQueued = false;
    const s = storeOf(selected);
    const p = current();
    const parts = [`${(s?.size ?? 0).toLocaleString()} shown`, `${(s?.rows.length ?? 0).toLocaleString()} kept`];
    const src = sourceOf(p?.id);
    const lost = (p?.dropped ?? 0) + (src ? (skippedOf.get(src) ?? 0) : 0);
    const el = $("stats");
    el.replaceChildren(parts.join(" · "));
    if (lost > 0) el.append(" · ", Object.assign(document.createElement("span"), { className: "drop", textContent: `${lost.toLocaleString()} dropped` }));
    if (paused) el.append(" · ", Object.assign(document.createElement("span"), { className: "wait", textContent: `paused, ${recordings.waitingCount.toLocaleString()} waiting` }));
    renderEmpty();
  });
}

/** What the timeline and the table say when they show nothing, and why. */
function renderEmpty(): void {
  const p = current();
  const s = storeOf(selected);
  const text = emptyState({
    page: p !== null,
    saved: isSaved(p?.id),
    kept: s?.rows.length ?? 0,
    shown: s?.size ?? 0,
    filter: $<HTMLInputElement>("filter").value.trim(),
    patterns: p?.patterns ?? [],
    matching: (p?.patterns ?? []).filter((x) => countMatches(x, namesOf(selected)) > 0).length,
    waiting: paused ? recordings.waitingCount : 0,
  });
  $("rows-empty").textContent = text;
  if (timeline.empty !== text) {
    timeline.empty = text;
    timeline.redraw();
  }
}

function renderSide(): void {
  const p = current();
  const names = namesOf(selected);
  renderPages($("pages"), pages, selected, actions, new Set(pages.filter((x) => isSaved(x.id)).map((x) => x.id)));
  renderPatterns($("patterns"), p?.patterns ?? [], actions, names);
  const recorded = isSaved(p?.id) ? storeOf(selected)?.counts() : undefined;
  renderTracepoints($("tracepoints"), selected ? (tracepoints.get(selected) ?? []) : [], p?.patterns ?? [], actions, closedPackages, recorded);
  renderSpanChoices($<HTMLSelectElement>("span-begin"), $<HTMLSelectElement>("span-end"), names);
  renderSpans($("spans"), settings.spans, removeSpan);
  renderEmpty();
}

/** A saved recording takes no attach, stack counting or profile. */
function renderControls(readOnly: boolean): void {
  for (const id of ["pattern", "attach-button", "stacks", "pprof"]) $<HTMLInputElement | HTMLButtonElement>(id).disabled = readOnly;
  $<HTMLInputElement>("pattern").placeholder = readOnly ? "a saved recording: read-only" : "src/net:* or *:traceConn*";
}

function notice(text: string, error: boolean): void {
  const el = $("notice");
  el.hidden = text === "";
  el.className = error ? "notice error" : "notice";
  $("notice-text").textContent = text;
}

function fieldError(id: "pattern" | "span", text: string): void {
  $(`${id}-error`).textContent = text;
  if (id === "pattern") $("pattern").classList.toggle("invalid", text !== "");
}

function select(page: string | null): void {
  selected = page;
  const s = storeOf(page);
  table.store = timeline.store = s;
  const p = current();
  table.timeOrigin = timeline.timeOrigin = s?.origin || p?.timeOrigin || 0;
  table.follow = true;
  table.selected = timeline.selected = null;
  showPicked(null, false);
  timeline.view.fit();
  timeline.invalidate();
  table.update();
  // Set from the page only when it is selected: a page list in flight must not undo a click.
  if (p) $<HTMLInputElement>("stacks").checked = p.stacks;
  if (p && !isSaved(p.id)) (settings.page = p.url), save();
  fieldError("pattern", "");
  renderControls(isSaved(p?.id));
  renderSide();
  renderStats();
}

function remember(url: string, patterns: string[], on: boolean): void {
  const set = new Set(settings.patterns[url] ?? []);
  for (const p of patterns) on ? set.add(p) : set.delete(p);
  settings.patterns[url] = [...set];
  save();
}

/** The selected page and its source, if the page takes requests (a live page). */
function live(): { p: PageInfo; src: Source } | null {
  const p = current();
  const src = sourceOf(p?.id);
  return p && src && !src.readOnly ? { p, src } : null;
}

const actions: SidebarActions = {
  select,
  attach(patterns) {
    const l = live();
    if (!l) return;
    // Remembered once the server accepts them (attached), so a refused pattern is not attached again after a reload.
    l.src.send("unplugin-tracing:attach", { page: l.p.id, patterns, stacks: $<HTMLInputElement>("stacks").checked });
  },
  detach(patterns) {
    const l = live();
    if (!l) return;
    remember(l.p.url, patterns, false);
    l.src.send("unplugin-tracing:detach", { page: l.p.id, patterns });
  },
};

function setSpans(next: SpanDef[]): void {
  settings.spans = next;
  timeline.spans = next;
  save();
  timeline.invalidate();
  renderSide();
}
function removeSpan(d: SpanDef): void {
  setSpans(settings.spans.filter((x) => !sameSpan(x, d)));
}

function download(name: string, blob: Blob): void {
  const a = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function fileName(p: PageInfo, ext: string): string {
  // A saved recording is named after its file, a live page after its path.
  const name = isSaved(p.id) ? p.url.replace(/\.json$/i, "") : new URL(p.url).pathname;
  return `trace-${name.replace(/[^\w]+/g, "-").replace(/^-|-$/g, "") || "page"}-${new Date().toISOString().replace(/[:.]/g, "-")}.${ext}`;
}

const originOf = (page: string) => pages.find((p) => p.id === page)?.timeOrigin ?? 0;

/** Shows what waited while paused. */
function release(): void {
  recordings.release();
  table.update();
  timeline.update();
}

function wire(src: Source): void {
  pagesOf.set(src, []);
  // The full list comes once (on watch); then one page at a time as it changes.
  src.on("unplugin-tracing:pages", (m) => setPages(m.pages));
  src.on("unplugin-tracing:page", (m) => {
    const list = [...(pagesOf.get(src) ?? [])];
    const i = list.findIndex((p) => p.id === m.page.id);
    if (i >= 0) list[i] = m.page;
    else list.push(m.page);
    setPages(list);
  });
  src.on("unplugin-tracing:page-gone", (m) => {
    // If it comes back (a reload slower than the server waits), it comes back with nothing attached.
    seen.delete(m.page);
    setPages((pagesOf.get(src) ?? []).filter((p) => p.id !== m.page));
  });
  function setPages(list: PageInfo[]): void {
    const m = { pages: list };
    const before = current();
    pagesOf.set(src, m.pages);
    // Live pages first, then saved recordings.
    const all = [...pagesOf];
    pages = [...all.filter(([s]) => !s.readOnly), ...all.filter(([s]) => s.readOnly)].flatMap(([, ps]) => ps);
    for (const p of m.pages) {
      if (seen.has(p.id) || src.readOnly) continue;
      seen.add(p.id);
      // The server keeps what this viewer attached across reloads of the page and of
      // this UI; what it no longer has (this UI was away longer than the server
      // waits, or the page was) is attached again from what this tab remembers.
      // Under a new viewer id (a duplicated tab), patterns another viewer holds are
      // attached for this one too: the other's go when it does.
      const want = (settings.patterns[p.url] ?? []).filter((x) => freshViewer || !p.patterns.includes(x));
      const stacks = settings.stacks.includes(p.url);
      if (want.length) src.send("unplugin-tracing:attach", { page: p.id, patterns: want, stacks });
    }
    if (!current()) {
      const next = pages.find((p) => p.url === before?.url) ?? pages.find((p) => p.url === settings.page) ?? pages[0] ?? null;
      select(next?.id ?? null);
    } else {
      table.timeOrigin = timeline.timeOrigin = storeOf(selected)?.origin || current()!.timeOrigin;
      renderSide();
      renderStats();
    }
    // Keep the recordings of the last few gone pages; forget the rest.
    if (!src.readOnly) recordings.prune(pages);
    if (!src.readOnly) status(`connected · ${m.pages.length} page${m.pages.length === 1 ? "" : "s"}`, true);
  }
  src.on("unplugin-tracing:page-tracepoints", (m) => {
    tracepoints.set(m.page, m.tracepoints);
    if (m.page === selected) renderSide();
  });
  src.on("unplugin-tracing:page-events", (m) => {
    skippedOf.set(src, m.skipped);
    if (paused && !m.history) {
      recordings.wait(m.page, m.events, originOf(m.page));
      renderStats();
      return;
    }
    recordings.add(m.page, m.events, originOf(m.page));
    if (m.page === selected) {
      table.update();
      timeline.update();
      renderStats();
      if (src.readOnly) renderSide();
    }
  });
  // A pattern that matches nothing (yet) says so instead of passing in silence.
  src.on("unplugin-tracing:attached", (m) => {
    const url = pages.find((p) => p.id === m.page)?.url;
    if (url !== undefined && !src.readOnly) remember(url, m.patterns, true);
    if (m.unmatched.length === 0) return;
    const names = namesOf(selected);
    const hints = m.unmatched.flatMap((p) => {
      const h = globstarHint(p, names);
      return h ? [`${h.pattern} would match ${h.count} (* stops at /, ** crosses it)`] : [];
    });
    notice(`nothing matches ${m.unmatched.join(" ")} yet: it stays attached for modules that load later${hints.length ? `; ${hints.join("; ")}` : ""}`, false);
  });
  src.on("unplugin-tracing:profile-data", (m) => {
    const bytes = Uint8Array.from(atob(m.base64), (c) => c.charCodeAt(0));
    const p = pages.find((x) => x.id === m.page);
    download(p ? fileName(p, "pb.gz") : "profile.pb.gz", new Blob([bytes], { type: "application/octet-stream" }));
  });
  src.on("unplugin-tracing:error", (m) => {
    // Another connection holds this viewer id: this tab's own socket before a reload
    // (ask again, once) or a duplicated tab (sessionStorage is copied): take a new one.
    if (m.event === "unplugin-tracing:watch" && m.message.includes("in use by another connection")) {
      const fresh = watchRetried;
      watchRetried = true;
      freshViewer = fresh;
      setTimeout(() => src.send("unplugin-tracing:watch", { history: true, viewer: viewerId(fresh) }), fresh ? 0 : 500);
      return;
    }
    console.warn(`unplugin-tracing: ${m.event ?? ""} ${m.message}`);
    // Shown where it belongs: a refused pattern under the pattern field, with the text back in it.
    if (m.event === "unplugin-tracing:attach" || m.event === "unplugin-tracing:detach") {
      const input = $<HTMLInputElement>("pattern");
      if (input.value === "" && lastTyped !== "") input.value = lastTyped;
      fieldError("pattern", m.message);
    } else if (m.event === "unplugin-tracing:profile") notice(`Download pprof: ${m.message}`, true);
    else status(`error: ${m.message}`, false);
  });
  src.on("vite:ws:disconnect", () => status("disconnected from the dev server", false));
  src.send("unplugin-tracing:watch", src.readOnly ? { history: true } : { history: true, viewer: viewerId() });
}

let watchRetried = false;
/** Whether this tab watches under a new viewer id, not the one that attached its remembered patterns. */
let freshViewer = false;

/** This tab's viewer id, kept across reloads so the server keeps what it attached meanwhile. */
function viewerId(fresh = false): string {
  const key = "unplugin-tracing:viewer";
  try {
    const kept = fresh ? null : sessionStorage.getItem(key);
    if (kept !== null && /^[\w-]{1,64}$/.test(kept)) return kept;
    const id = crypto.randomUUID();
    sessionStorage.setItem(key, id);
    return id;
  } catch {
    return crypto.randomUUID();
  }
}

$("notice-close").addEventListener("click", () => notice("", false));
const saved = new SavedSource();
$<HTMLInputElement>("open").addEventListener("change", async () => {
  const input = $<HTMLInputElement>("open");
  const file = input.files?.[0];
  input.value = ""; // so the same file can be opened again
  if (!file) return;
  const r = await saved.openFile(file);
  if ("error" in r) return notice(r.error, true);
  notice(r.note, false);
  const add = r.spans.filter((d) => !settings.spans.some((x) => sameSpan(x, d)));
  if (add.length) setSpans([...settings.spans, ...add]);
  select(r.page);
});

$("attach").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const input = $<HTMLInputElement>("pattern");
  const patterns = input.value.split(/[\s,]+/).filter(Boolean);
  if (patterns.length === 0) return fieldError("pattern", "type a pattern: package:event, with * globs");
  const why = checkPatterns(patterns);
  // A malformed pattern keeps the text, so it can be corrected.
  if (why !== null) return fieldError("pattern", why);
  if (!live()) return fieldError("pattern", "no live page selected");
  fieldError("pattern", "");
  lastTyped = input.value;
  actions.attach(patterns);
  input.value = "";
});
$("pattern").addEventListener("input", () => fieldError("pattern", ""));
$("stacks").addEventListener("change", () => {
  const l = live();
  if (!l) return;
  const on = $<HTMLInputElement>("stacks").checked;
  settings.stacks = settings.stacks.filter((u) => u !== l.p.url).concat(on ? [l.p.url] : []);
  save();
  l.src.send("unplugin-tracing:attach", { page: l.p.id, patterns: [], stacks: on });
});
$("span-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const by = $<HTMLInputElement>("span-key").value.trim();
  const d: SpanDef = { begin: $<HTMLSelectElement>("span-begin").value, end: $<HTMLSelectElement>("span-end").value, ...(by ? { by } : {}) };
  const why = checkSpan(d);
  if (why !== null) return fieldError("span", why);
  fieldError("span", "");
  if (!settings.spans.some((x) => sameSpan(x, d))) setSpans([...settings.spans, d]);
});
$<HTMLInputElement>("group-by").value = settings.groupBy;
$("group-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const by = $<HTMLInputElement>("group-by").value.trim();
  if (by !== "" && !/^[\w$]+$/.test(by)) return ($("group-error").textContent = `group by an argument name, not ${JSON.stringify(by.slice(0, 40))}`), undefined;
  $("group-error").textContent = "";
  settings.groupBy = timeline.groupBy = by;
  save();
  timeline.invalidate();
});
let filterTimer: ReturnType<typeof setTimeout> | undefined;
function applyFilter(): void {
  const text = $<HTMLInputElement>("filter").value;
  settings.filter = text;
  save();
  recordings.setFilter(text);
  timeline.invalidate();
  table.update();
  renderStats();
}
$<HTMLInputElement>("filter").value = settings.filter;
$("filter").addEventListener("input", () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(applyFilter, 120);
});
$("pause").addEventListener("click", () => {
  paused = !paused;
  if (!paused) release();
  $("pause").textContent = paused ? "Resume" : "Pause";
  $("pause").classList.toggle("on", paused);
  renderStats();
});
$("clear").addEventListener("click", () => {
  storeOf(selected)?.clear();
  table.follow = true;
  table.selected = timeline.selected = null;
  showPicked(null, false);
  timeline.view.fit();
  timeline.invalidate();
  table.update();
  renderStats();
});
$("fit").addEventListener("click", () => {
  timeline.view.fit();
  timeline.redraw();
});
$("trace").addEventListener("click", () => {
  const p = current();
  const s = storeOf(selected);
  if (!p || !s) return;
  const rows: Row[] = [];
  for (let i = 0; i < s.size; i++) rows.push(s.at(i)!);
  // Paused or not, what was recorded is in the file.
  const more = recordings.waitingFor(p.id, s);
  const origin = s.origin || p.timeOrigin;
  const info = { processName: p.url, dropped: p.dropped + s.evicted, failures: p.failures };
  const file = traceFileOf(rows, more, settings.spans, origin === 0 ? info : { ...info, timeOrigin: origin });
  download(fileName(p, "json"), new Blob([JSON.stringify(file)], { type: "application/json" }));
});
$("pprof").addEventListener("click", () => {
  const l = live();
  if (!l) return;
  // Without stack counting the page has nothing to put in a profile: say so instead of downloading an empty one.
  if (!l.p.stacks) return notice("Download pprof: count stacks is off for this page, so no stack was counted. Tick “count stacks”, use the app, then download.", true);
  l.src.send("unplugin-tracing:profile", { page: l.p.id, request: nextRequest++ });
});

wire(saved);
const { createHotContext } = (await import(/* @vite-ignore */ `${base}@vite/client`)) as {
  createHotContext(owner: string): Source & { on(name: "vite:beforeFullReload", cb: (payload: { path?: string }) => void): void };
};
const hot = createHotContext(`${base}__tracing/`);
// An edit the app cannot hot-swap makes Vite reload every tab, this one too, which
// would drop the recording shown here. Vite's client (8.x) reloads a tab for a
// payload path ending in .html only if it is that tab's own page, and lets listeners
// see the payload first: point it at a page that is not this one.
hot.on("vite:beforeFullReload", (payload) => {
  payload.path = `${base}__tracing/not-this-page.html`;
});
wire(hot);
